"""Checks any test can run on a store it has worked on.

``assert_rows_equal_ops(store)``: every synced row (and every open conflict) is exactly what
its op log says. A write that skipped the op log would never reach the office; this is how the
tests notice one. The ``tmp_store`` fixture runs it after every test that uses it; tests that
open their own databases (sheet files through the CLI, the demo build, sync replicas) call it
themselves.
"""

from __future__ import annotations

from peewee import SqliteDatabase

from fieldtui.store import Store
from fieldtui.store.consistency import row_mismatches

SHOWN = 20


def assert_rows_equal_ops(store: Store | SqliteDatabase) -> None:
    db = store.db if isinstance(store, Store) else store
    mismatches = row_mismatches(db, limit=SHOWN)
    assert not mismatches, "rows differ from their ops:\n" + "\n".join(f"  {m}" for m in mismatches)
