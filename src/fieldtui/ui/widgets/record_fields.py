"""A record's fields for reading, built from the field schema: labels, values and layout.

Any detail screen shows its record's fields with :func:`field_block`: labels and formatting
come from :mod:`fieldtui.domain.schema`, so a field added to a kind appears here without a
change. Every value is plain text (user data is never markup), and a stored value the field
cannot read is shown as it is, marked, rather than taking the screen down.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Group
from rich.table import Table
from rich.text import Text

from fieldtui.domain.records import Record
from fieldtui.domain.schema import Field, Kind
from fieldtui.i18n import _

__all__ = ["field_block", "field_value"]


def field_value(field: Field, record: Record, lang: str, *, long: bool = False) -> Text:
    """A field's value as plain text (never markup); a stored value that does not fit its
    field (or a code this version does not know) is shown as it is, in red with a "?"."""
    shown = field.show(getattr(record, field.name, None), lang)
    if long:
        text = Text(shown.text or "—", overflow="fold")
    else:
        text = Text(shown.text or "—", overflow="ellipsis", no_wrap=True)
    if not shown.ok:
        text.stylize("red")
        text.append(" ?", style="bold red")
    return text


def field_block(kind: Kind, record: Record, lang: str) -> Group:
    """A record's fields as a detail view shows them, all read from the schema: its title,
    short fields two to a row, then each wide field (address, lists, notes) on its own row."""

    def label(field: Field) -> Text:
        return Text(_(field.label), style="dim")

    title = Text(str(getattr(record, kind.title, "") or "") if kind.title else "", style="bold")
    if record.deleted:
        title.append("  " + _("(deleted)"), style="bold red")
    # Both grids share the label width so their values line up.
    width = max(cell_len(_(f.label)) for f in kind.fields)
    short = [f for f in kind.detail_fields if not f.wide]
    pairs = Table.grid(padding=(0, 2), expand=True)
    pairs.add_column(no_wrap=True, min_width=width)
    pairs.add_column(ratio=1)
    pairs.add_column(no_wrap=True)
    pairs.add_column(ratio=1)
    for index in range(0, len(short), 2):
        left = short[index]
        cells = [label(left), field_value(left, record, lang), Text(""), Text("")]
        if index + 1 < len(short):
            right = short[index + 1]
            cells[2:] = [label(right), field_value(right, record, lang)]
        pairs.add_row(*cells)
    longer = Table.grid(padding=(0, 2), expand=True)
    longer.add_column(no_wrap=True, min_width=width)
    longer.add_column(ratio=1)
    for wide in (f for f in kind.detail_fields if f.wide):
        longer.add_row(label(wide), field_value(wide, record, lang, long=True))
    return Group(title, pairs, longer)
