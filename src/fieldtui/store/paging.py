"""Keyset paging for list sources: the ``count()``/``fetch(offset, limit)`` protocol a
virtual table reads, served from an index walk from a remembered key.

A list source (:class:`fieldtui.store.visit_list.VisitQuery`,
:class:`fieldtui.store.problem_list.ProblemQuery`) says how to select a page after or before
a key, and how to count; this base remembers the keys of the pages it has served, so
scrolling and PageDown start from a key (an index seek) and only a jump into the middle of an
unseen region uses ``OFFSET``, from whichever end is nearer. The ledger's
:class:`~fieldtui.store.ledger.LedgerQuery` works the same way with plans of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any, Generic, Protocol, TypeVar

__all__ = ["Keyed", "PagedSource", "SortKey", "keyset_clause"]

SortKey = tuple[Any, ...]


class Keyed(Protocol):
    @property
    def key(self) -> SortKey: ...


RowT = TypeVar("RowT", bound=Keyed)


def keyset_clause(
    columns: Sequence[str], key: SortKey, *, after: bool, descending: bool
) -> tuple[str, list[Any]]:
    """``(a, b) > (?, ?)`` (or ``<``): rows after (or before) ``key`` in display order."""
    forward = after != descending
    cols = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    return f"({cols}) {'>' if forward else '<'} ({marks})", list(key)


class PagedSource(Generic[RowT]):
    """Rows in display order by key. Safe to share between worker threads (each thread uses
    its own connection); make a new one after a write (its keys and count go stale)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._count: int | None = None
        self._keys: dict[int, SortKey] = {}
        """Offset → sort key of rows already served: anchors for keyset fetches."""

    # -- what a source provides -----------------------------------------------------------

    def _count_rows(self) -> int:
        raise NotImplementedError

    def _select(
        self,
        *,
        after: SortKey | None = None,
        before: SortKey | None = None,
        limit: int,
        offset: int = 0,
        reverse: bool = False,
    ) -> list[RowT]:
        """Rows in display order; ``reverse`` walks from the end (and flips back)."""
        raise NotImplementedError

    # -- the protocol ---------------------------------------------------------------------

    def count(self) -> int:
        with self._lock:
            if self._count is not None:
                return self._count
        counted = self._count_rows()
        with self._lock:
            self._count = counted
        return counted

    def first_page(self, limit: int) -> list[RowT]:
        return self._select(limit=limit)

    def last_page(self, limit: int) -> list[RowT]:
        """The last ``limit`` rows, in display order (End)."""
        return self._select(limit=limit, reverse=True)

    def page_after(self, key: SortKey | None, limit: int) -> list[RowT]:
        return self._select(after=key, limit=limit)

    def page_before(self, key: SortKey | None, limit: int) -> list[RowT]:
        return self._select(before=key, limit=limit, reverse=True)

    def rows_at(self, offset: int, limit: int) -> list[RowT]:
        total = self.count()
        if offset >= total or limit <= 0:
            return []
        limit = min(limit, total - offset)
        from_end = total - offset - limit
        if from_end < offset:
            return self._select(limit=limit, offset=from_end, reverse=True)
        return self._select(limit=limit, offset=offset)

    def fetch(self, offset: int, limit: int) -> list[RowT]:
        """Rows ``offset .. offset+limit-1``, from a remembered neighbour's key when possible.
        The first page needs no count."""
        if limit <= 0 or offset < 0:
            return []
        with self._lock:
            before_key = self._keys.get(offset - 1)
            after_key = self._keys.get(offset + limit)
        if offset == 0:
            rows = self.first_page(limit)
        elif before_key is not None:
            rows = self.page_after(before_key, limit)
        elif after_key is not None:
            rows = self.page_before(after_key, limit)
        else:
            total = self.count()
            if offset >= total:
                return []
            if offset + limit >= total:
                rows = self.last_page(total - offset)
            else:
                rows = self.rows_at(offset, limit)
        if rows:
            with self._lock:
                self._keys[offset] = rows[0].key
                self._keys[offset + len(rows) - 1] = rows[-1].key
        return rows
