"""Helpers shared by the sync tests: replicas on fake wall clocks, snapshots, file shipping.

Every import through :func:`ship` or :func:`import_` is followed by the rows-equal-ops check.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from fieldtui import sync
from fieldtui.store import Store
from fieldtui.store.clock import HybridClock, wall_ms
from fieldtui.store.models import SYNCED_MODELS, synced_columns
from fieldtui.sync.peers import get_peer
from invariants import assert_rows_equal_ops

YEAR_MS = 365 * 24 * 3600 * 1000


class FakeWall:
    """A wall clock that runs ``offset_ms`` away from the real one (a laptop's wrong date)."""

    def __init__(self, offset_ms: int = 0) -> None:
        self.offset_ms = offset_ms

    def __call__(self) -> int:
        return wall_ms() + self.offset_ms


def open_replica(path: Path, offset_ms: int = 0) -> tuple[Store, FakeWall]:
    wall = FakeWall(offset_ms)
    return Store(path, clock=HybridClock(now_ms=wall)), wall


def replica(path: Path, role: str | None = None, name: str = "", offset_ms: int = 0) -> Store:
    store, _ = open_replica(path, offset_ms)
    if role:
        sync.init_role(store, role, name=name or path.stem)
    return store


def snapshot(store: Store) -> dict[str, Any]:
    """Every synced row (without the local ``updated_at``) and every open conflict."""
    data: dict[str, Any] = {}
    for table in SYNCED_MODELS:
        cols = [c for c in synced_columns(table) if c != "updated_at"]
        quoted = ", ".join(f'"{c}"' for c in cols)
        rows = store.db.execute_sql(f'SELECT {quoted} FROM "{table}" ORDER BY id').fetchall()
        data[table] = [tuple(r) for r in rows]
    data["conflict"] = [
        tuple(r)
        for r in store.db.execute_sql(
            "SELECT tbl, row_id, field, heads FROM conflict ORDER BY tbl, row_id, field"
        ).fetchall()
    ]
    return data


def op_ids(store: Store) -> set[str]:
    return {str(r[0]) for r in store.db.execute_sql("SELECT op_id FROM op").fetchall()}


def ship(src: Store, dst: Store, directory: Path, **kwargs: Any) -> sync.ImportReport:
    """Export from ``src`` (for ``dst`` when ``src`` is the hub) and import into ``dst``."""
    me = sync.identity(src)
    if me.role == sync.HUB and "full" not in kwargs:
        if get_peer(src.db, dst.replica_id) is None:
            kwargs["full"] = True  # the hub has not heard from this laptop yet
        else:
            kwargs.setdefault("for_peer", dst.replica_id)
    directory.mkdir(parents=True, exist_ok=True)
    files = sync.export(src, directory, **kwargs)
    report = sync.import_files(dst, [f.path for f in files], make_backup=False)
    assert_rows_equal_ops(dst)
    return report


def import_(store: Store, paths: Sequence[Path], **kwargs: Any) -> sync.ImportReport:
    kwargs.setdefault("make_backup", False)
    report = sync.import_files(store, list(paths), **kwargs)
    assert_rows_equal_ops(store)
    return report


def file_digest(path: Path) -> str:
    """SHA-256 over a database file and its WAL (what "byte-identical" compares)."""
    h = hashlib.sha256()
    for suffix in ("", "-wal"):
        p = Path(str(path) + suffix)
        h.update(suffix.encode())
        h.update(p.read_bytes() if p.exists() else b"<absent>")
    return h.hexdigest()


def conflicts_by_field(store: Store) -> dict[tuple[str, str, str], list[str]]:
    return {
        (c.table, c.row_id, c.field): sorted(
            json.dumps(h.value, ensure_ascii=False) for h in c.heads
        )
        for c in sync.list_conflicts(store.db)
    }
