"""What a :class:`~fieldtui.ui.widgets.virtual_table.VirtualTable` shows: a row source,
column definitions, and the fitting of user text into terminal cells.

Kept apart from the widget so later list screens (visits, problems, projects) can define
their columns and sources without reading the widget's paging code.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from rich.cells import cell_len, get_character_cell_size
from rich.text import Text

__all__ = [
    "Align",
    "Cell",
    "ListSource",
    "TableColumn",
    "TableSource",
    "fit",
    "label_width",
    "plain",
]

RowT = TypeVar("RowT")
RowT_co = TypeVar("RowT_co", covariant=True)

Cell = str | Text
Align = Literal["left", "right"]


class TableSource(Protocol[RowT_co]):
    """What a :class:`VirtualTable` reads. Called from worker threads, never the UI thread."""

    def count(self) -> int:
        """How many rows there are."""
        ...

    def fetch(self, offset: int, limit: int) -> Sequence[RowT_co]:
        """Rows ``offset`` to ``offset + limit - 1`` (fewer at the end)."""
        ...


class ListSource(Generic[RowT]):
    """Rows already in memory (a roster, a year's plan) as a :class:`TableSource`.

    Short lists are read whole and filtered in Python, but shown by the same table as the
    ledger's 100,000 rows, so every list looks, cuts names and moves the same way.
    """

    def __init__(self, rows: Sequence[RowT]) -> None:
        self.rows: tuple[RowT, ...] = tuple(rows)

    def count(self) -> int:
        return len(self.rows)

    def fetch(self, offset: int, limit: int) -> Sequence[RowT]:
        return self.rows[offset : offset + limit]


@dataclass(frozen=True, slots=True)
class TableColumn(Generic[RowT]):
    key: str
    title: str
    """Shown in the header (already translated)."""
    cell: Callable[[RowT], Cell]
    """A row's cell: plain ``str`` or a ``Text`` whose *style* colours the whole cell."""
    width: int = 0
    """Width in terminal cells; 0 = takes the room the other columns leave."""
    min_width: int = 8
    align: Align = "left"
    want_width: int = 0
    """For a flexible column: narrower than this, columns with a ``drop_order`` are hidden."""
    drop_order: int = 0
    """0 = always shown; otherwise hidden on narrow terminals, the highest number first (an
    enterprise's name matters more than its industry at 80 columns)."""


_CONTROL = {i: " " for i in [*range(0x20), *range(0x7F, 0xA0)]}


def fit(text: str, width: int, align: Align = "left") -> str:
    """``text`` cut (with an ellipsis) or padded to exactly ``width`` terminal cells.

    A wide (CJK) character that would straddle the edge is dropped rather than halved, and
    control characters become spaces (a newline in a cell would break the line).
    """
    if width <= 0:
        return ""
    text = text.translate(_CONTROL)
    length = cell_len(text)
    if length > width:
        kept: list[str] = []
        used = 0
        for ch in text:
            size = get_character_cell_size(ch)
            if used + size > width - 1:
                break
            kept.append(ch)
            used += size
        text = "".join(kept) + "…"
        length = used + 1
    padding = " " * (width - length)
    return padding + text if align == "right" else text + padding


def plain(value: Cell) -> str:
    return value.plain if isinstance(value, Text) else value


class _Labelled(Protocol):
    def label(self, lang: str) -> str: ...


def label_width(labels: Iterable[_Labelled], lang: str, title: str = "", *, cap: int = 12) -> int:
    """A column's width for a code list's labels in ``lang``: the longest label (or the
    title), at most ``cap`` cells (longer ones are cut with "…"). English labels are longer
    than Chinese ones, so widths follow the language rather than being fixed."""
    widest = max((cell_len(member.label(lang)) for member in labels), default=0)
    return min(max(widest, cell_len(title)), cap)
