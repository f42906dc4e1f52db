"""Database health for ``fieldtui doctor``: integrity, dangling references, schema, backups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peewee import ForeignKeyField

from fieldtui.store.backups import list_backups
from fieldtui.store.db import latest_schema_version, schema_version
from fieldtui.store.models import SYNCED_MODELS

if TYPE_CHECKING:
    from fieldtui.store import Store


@dataclass(frozen=True, slots=True)
class Reference:
    table: str
    column: str
    target: str
    required: bool


@dataclass(frozen=True, slots=True)
class Dangling:
    """Live rows of ``table`` whose ``column`` names no row of ``target``."""

    table: str
    column: str
    target: str
    count: int
    examples: list[str]
    """Up to five ids of the referring rows."""


@dataclass(slots=True)
class Health:
    path: Path
    replica_id: str
    schema_version: int
    latest_schema_version: int
    integrity: list[str]
    """``PRAGMA integrity_check`` lines; ``["ok"]`` when sound."""
    dangling: list[Dangling]
    op_count: int
    open_conflicts: int
    backups: list[Path] = field(default_factory=list)
    """Complete backups of this database, oldest first."""
    incomplete_backups: list[Path] = field(default_factory=list)
    """Cut-off files under a backup name, or left by an interrupted backup: not backups."""

    @property
    def problems(self) -> list[str]:
        found: list[str] = []
        if self.integrity != ["ok"]:
            found += [f"integrity: {line}" for line in self.integrity]
        if self.schema_version != self.latest_schema_version:
            found.append(
                f"schema version {self.schema_version}, expected {self.latest_schema_version}"
            )
        found += [
            f"{d.count} {d.table} row(s) name a missing {d.target} in {d.column}"
            f" (e.g. {', '.join(d.examples)})"
            for d in self.dangling
        ]
        return found

    def as_dict(self) -> dict[str, Any]:
        return {
            "db": str(self.path),
            "replica_id": self.replica_id,
            "schema_version": self.schema_version,
            "latest_schema_version": self.latest_schema_version,
            "integrity": self.integrity,
            "dangling_references": [
                {
                    "table": d.table,
                    "column": d.column,
                    "target": d.target,
                    "count": d.count,
                    "examples": d.examples,
                }
                for d in self.dangling
            ],
            "op_count": self.op_count,
            "open_conflicts": self.open_conflicts,
            "backups": [str(p) for p in self.backups],
            "incomplete_backups": [str(p) for p in self.incomplete_backups],
            "problems": self.problems,
            "ok": not self.problems,
        }


def references() -> list[Reference]:
    """Every reference column of the synced tables (they carry no FOREIGN KEY constraint)."""
    refs: list[Reference] = []
    for table, model in SYNCED_MODELS.items():
        for fld in model._meta.sorted_fields:
            if isinstance(fld, ForeignKeyField):
                refs.append(
                    Reference(table, fld.column_name, fld.rel_model._meta.table_name, not fld.null)
                )
    return refs


def dangling_references(store: Store) -> list[Dangling]:
    """Live rows naming a row that does not exist (a tombstoned target still exists).

    An empty required reference (a row created by merging ops that lacked the field) counts
    as dangling too; an optional one may be NULL.
    """
    found: list[Dangling] = []
    for ref in references():
        sql = (
            f'SELECT t.id FROM "{ref.table}" AS t WHERE t.deleted = 0'
            f' AND t."{ref.column}" IS NOT NULL AND NOT EXISTS'
            f' (SELECT 1 FROM "{ref.target}" AS r WHERE r.id = t."{ref.column}")'
            " ORDER BY t.id"
        )
        rows = [str(r[0]) for r in store.db.execute_sql(sql).fetchall()]
        if rows:
            found.append(Dangling(ref.table, ref.column, ref.target, len(rows), rows[:5]))
    return found


def check(store: Store) -> Health:
    db = store.db
    integrity = [str(r[0]) for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    backups, incomplete = list_backups(store.path)
    return Health(
        path=store.path,
        replica_id=store.replica_id,
        schema_version=schema_version(db),
        latest_schema_version=latest_schema_version(),
        integrity=integrity,
        dangling=dangling_references(store),
        op_count=int(db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]),
        open_conflicts=int(db.execute_sql("SELECT COUNT(*) FROM conflict").fetchone()[0]),
        backups=backups,
        incomplete_backups=incomplete,
    )
