"""The layout shared by the list areas that page from SQL (ledger, visits, problems): a
search box with the count beside it, a status line, the virtual table.

The widgets' ids are the area's ``LIST_ID`` with a suffix (``ledger-search``,
``visits-table`` …), so each area's stylesheet and tests address its own widgets.
"""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Header, Static

from fieldtui.i18n import _
from fieldtui.ui.screens.list_screen import ListScreen, ListTable, SearchBox
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.virtual_table import TableColumn, VirtualTable

__all__ = ["PagedListScreen"]

RowT = TypeVar("RowT")


class PagedListScreen(ListScreen[None], Generic[RowT]):
    """A list area whose table pages from SQL itself (see :class:`ListScreen`)."""

    LIST_ID: ClassVar[str]
    """Prefix of the widgets' ids: ``{LIST_ID}-search``, ``-count``, ``-status``, ``-table``."""
    SEARCH_HINT: ClassVar[str]
    """The search box's placeholder (a msgid, marked with ``N_``)."""

    def columns(self, lang: str) -> list[TableColumn[Any]]:
        """The table's columns in a language."""
        raise NotImplementedError

    def compose(self) -> ComposeResult:
        prefix = self.LIST_ID
        yield Header()
        with Vertical(id=f"{prefix}-body"):
            with Horizontal(id=f"{prefix}-top"):
                yield SearchBox(_(self.SEARCH_HINT), id=f"{prefix}-search")
                yield Static("", id=f"{prefix}-count")
            yield Static("", id=f"{prefix}-status")
            yield ListTable(self.columns(self._lang()), id=f"{prefix}-table")
        yield AppFooter()

    def _lang(self) -> str:
        return getattr(self.app, "lang", "zh")

    @property
    def table(self) -> VirtualTable[RowT]:
        return self.query_one(f"#{self.LIST_ID}-table", VirtualTable)

    @property
    def search_input(self) -> SearchBox:
        return self.query_one(f"#{self.LIST_ID}-search", SearchBox)
