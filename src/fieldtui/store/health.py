"""Database health for ``fieldtui doctor``: integrity, dangling references, schema, backups."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from peewee import ForeignKeyField

from fieldtui.domain.tables import table_title
from fieldtui.i18n import _, language, ngettext
from fieldtui.store.backups import list_backups
from fieldtui.store.consistency import row_mismatches
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
    differ_from_ops: list[str] = field(default_factory=list)
    """Rows that differ from what their ops say (the first :data:`MISMATCHES_SHOWN`)."""

    @property
    def problems(self) -> list[str]:
        found: list[str] = []
        if self.integrity != ["ok"]:
            found += [_("integrity check: {line}").format(line=line) for line in self.integrity]
        if self.schema_version < self.latest_schema_version:
            found.append(
                _(
                    "schema version {found}, this fieldtui's is {latest}: the database is "
                    "migrated (after a backup) the next time fieldtui opens it for writing"
                ).format(found=self.schema_version, latest=self.latest_schema_version)
            )
        elif self.schema_version > self.latest_schema_version:
            found.append(
                _(
                    "schema version {found} is newer than this fieldtui's ({latest}): "
                    "update fieldtui to work with this database"
                ).format(found=self.schema_version, latest=self.latest_schema_version)
            )
        found += [
            ngettext(
                "{n} {table} row names a missing {target} in {column} (e.g. {examples})",
                "{n} {table} rows name a missing {target} in {column} (e.g. {examples})",
                d.count,
            ).format(
                n=d.count,
                table=table_title(d.table),
                target=table_title(d.target),
                column=d.column,
                examples="、".join(d.examples) if language() == "zh" else ", ".join(d.examples),
            )
            for d in self.dangling
        ]
        found += [
            _("differs from its ops: {line}").format(line=line) for line in self.differ_from_ops
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
            "rows_differing_from_ops": self.differ_from_ops,
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


MISMATCHES_SHOWN = 20


def check(store: Store, replay: bool = True) -> Health:
    """Read-only: a store opened with ``read_only=True`` is checked as it is.

    A schema older or newer than this fieldtui's is reported, not migrated; the references are
    then not checked (the tables may not have the columns this version expects). ``replay``
    rebuilds every synced row from its ops (seconds per million ops).
    """
    db = store.db
    integrity = [str(r[0]) for r in db.execute_sql("PRAGMA integrity_check").fetchall()]
    backups, incomplete = list_backups(store.path)
    version, latest = schema_version(db), latest_schema_version()
    tables = set(db.get_tables())

    def count(table: str) -> int:
        if table not in tables:
            return 0
        return int(db.execute_sql(f"SELECT COUNT(*) FROM {table}").fetchone()[0])

    return Health(
        path=store.path,
        replica_id=store.replica_id,
        schema_version=version,
        latest_schema_version=latest,
        integrity=integrity,
        dangling=dangling_references(store) if version == latest else [],
        op_count=count("op"),
        open_conflicts=count("conflict"),
        backups=backups,
        incomplete_backups=incomplete,
        differ_from_ops=(
            [str(m) for m in row_mismatches(db, limit=MISMATCHES_SHOWN)] if replay else []
        ),
    )
