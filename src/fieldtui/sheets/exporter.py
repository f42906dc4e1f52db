"""Sheet export: live records of one kind, in the columns their import reads.

Export writes what import expects (same headers, enum labels it parses, names it resolves),
so exporting and importing the file again changes nothing: the round trip is the test that
keeps the two honest.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.sheets.cells import Cell, Context, Labels
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.registry import get_kind
from fieldtui.sheets.spec import SheetKind
from fieldtui.sheets.writers import OutColumn, output_format, write_rows

if TYPE_CHECKING:
    from fieldtui.store import Store
    from fieldtui.store.repos import LinkRepo, Repo


@dataclass(frozen=True, slots=True)
class ExportSummary:
    file: str
    kind: str
    format: str
    rows: int

    def to_json(self) -> dict[str, Any]:
        return {"file": self.file, "kind": self.kind, "format": self.format, "rows": self.rows}


def export_rows(store: Store, kind: SheetKind, *, labels: Labels = "zh") -> Iterator[list[Cell]]:
    """The kind's live records as rows of cells, in a stable order (by the first column)."""
    refs = Refs(store)
    ctx = Context(refs, labels)
    if kind.rows is not None:
        for values in kind.rows(store, ctx):
            yield [
                None
                if (v := values.get(col.field)) is None or v in ("", [])
                else col.format(v, ctx)
                for col in kind.columns
            ]
        return
    repo: Repo[Any] = getattr(store, kind.repo)
    records = [r for r in repo.list() if kind.exportable is None or kind.exportable(r, refs)]
    first = kind.columns[0]
    links: dict[str, LinkRepo[Any]] = {
        c.field: getattr(store, c.link) for c in kind.link_columns if c.link
    }

    def sort_key(record: Any) -> tuple[str, str]:
        value = getattr(record, first.field, None)
        shown = first.format(value, ctx) if value is not None else ""
        return (str(shown or ""), record.created_at)

    for record in sorted(records, key=sort_key):
        row: list[Cell] = []
        for col in kind.columns:
            if col.field in links:
                value: Any = [
                    i for i in links[col.field].right_ids(record.id) if _live_ref(refs, col.key, i)
                ]
            else:
                value = getattr(record, col.field)
            row.append(
                None if value is None or value == [] or value == "" else col.format(value, ctx)
            )
        yield row


def _live_ref(refs: Refs, column: str, row_id: str) -> bool:
    """Links to deleted officers or enterprises are left out: import could not name them."""
    index = refs.enterprises if column == "enterprises" else refs.officers
    return row_id in index.live


def export_sheet(
    store: Store,
    kind: SheetKind | str,
    path: Path | str,
    *,
    english_headers: bool = False,
    labels: Labels = "zh",
) -> ExportSummary:
    """Write ``kind``'s live records to ``path`` (.xlsx or .csv by extension)."""
    kind = get_kind(kind) if isinstance(kind, str) else kind
    path = Path(path)
    fmt = output_format(path)
    columns = [OutColumn(c.header(english_headers), c.width, c.as_text) for c in kind.columns]
    count = write_rows(path, kind.sheet_title, columns, export_rows(store, kind, labels=labels))
    return ExportSummary(str(path), kind.name, fmt, count)
