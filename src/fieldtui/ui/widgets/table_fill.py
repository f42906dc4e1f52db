"""Refill a small DataTable with columns sized to their content, measured here.

Textual's DataTable sizes auto-width columns later, on idle, but keeps rows it already
rendered in a cache keyed without the widths: on a busy machine a refilled table can stay
drawn with its columns as narrow as their headers (seen in the officer roster under a loaded
test run). Giving every column an explicit width, from the cells about to be shown, makes the
first paint the right one. Only for short tables (rosters, plans, one enterprise's timeline);
long lists use the virtual table.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.widgets import DataTable

MAX_WIDTH = 60
"""No column grows past this; longer cells are cut with an ellipsis."""


def fill_table(
    table: DataTable[Text],
    headers: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Text]]],
    max_widths: Sequence[int | None] = (),
) -> None:
    """Replace columns and rows: ``rows`` are ``(row key, cells)``, cells as plain Text.

    ``max_widths`` caps columns one by one (None: :data:`MAX_WIDTH`), so a long free-text
    column does not push the ones after it off a narrow screen.
    """
    caps = [MAX_WIDTH] * len(headers)
    for index, cap in enumerate(max_widths):
        caps[index] = cap or MAX_WIDTH
    widths = [Text(h).cell_len for h in headers]
    for _key, cells in rows:
        for index, cell in enumerate(cells):
            widths[index] = max(widths[index], min(cell.cell_len, caps[index]))
    table.clear(columns=True)
    for header, width in zip(headers, widths, strict=True):
        table.add_column(Text(header), width=width)
    for key, cells in rows:
        table.add_row(*cells, key=key)
