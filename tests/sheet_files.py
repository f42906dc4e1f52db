"""Helpers for sheet tests: write small xlsx/csv files and count ops."""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

from fieldtui.store import Store

USCC_OK = "91350100M000100Y43"
"""The standard's worked example (domain.md): valid."""
USCC_BAD = "91350100M000100Y4Z"
"""Wrong check character: refused."""


def write_csv(path: Path, rows: Sequence[Sequence[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def write_xlsx(path: Path, rows: Sequence[Sequence[Any]], title: str = "Sheet1") -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(list(row))
    wb.save(path)
    return path


def op_total(store: Store) -> int:
    return int(store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0])


def table_dump(store: Store, table: str) -> list[tuple[Any, ...]]:
    """Every row of a table (minus the local ``updated_at``), for "nothing changed" checks."""
    cur = store.db.execute_sql(f"SELECT * FROM {table} ORDER BY id")
    cols = [d[0] for d in cur.description]
    keep = [i for i, c in enumerate(cols) if c != "updated_at"]
    return [tuple(row[i] for i in keep) for row in cur.fetchall()]
