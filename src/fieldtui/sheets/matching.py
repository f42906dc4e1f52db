"""The records a sheet's rows can match, read as the rows' keys need them.

An import matches each row to an existing live record by the kind's keys (an enterprise: its
USCC, else its name). Reading the whole table for that made a one-row sheet on a ledger of
100,000 enterprises cost seconds; :class:`KnownRecords` instead looks up the records the keys
name, one indexed query per distinct key, and reads the whole table only when the keys are
many (or the kind says nothing about how to look them up).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fieldtui.domain.records import Record
from fieldtui.sheets.spec import Key, SheetKind
from fieldtui.store.convert import record_from_row, to_column

if TYPE_CHECKING:
    from fieldtui.store import Store
    from fieldtui.store.repos import Repo


class KnownRecords:
    """The live records of one kind loaded so far, and the index of their keys."""

    PROBE_SHARE = 4
    """Read the whole table instead of probing key by key once the keys to look up number
    at least 1/PROBE_SHARE of its rows (one scan is then cheaper than the probes)."""

    def __init__(self, store: Store, kind: SheetKind, repo: Repo[Any]) -> None:
        self.store = store
        self.kind = kind
        self.repo = repo
        self.records: dict[str, Record] = {}
        self.index: dict[Key, list[str]] = {}
        self._probed: set[tuple[Any, ...]] = set()
        self._loaded_all = False

    def _add(self, record: Record) -> None:
        if record.id in self.records:
            return
        self.records[record.id] = record
        for key in self.kind.record_keys(record):
            self.index.setdefault(key, []).append(record.id)

    def load_all(self) -> None:
        if not self._loaded_all:
            for record in self.repo.list():
                self._add(record)
            self._loaded_all = True

    def load_keys(self, keys: Iterable[Key]) -> None:
        """Load the live records any of ``keys`` can match (and perhaps a few more).

        Each key kind's ``SheetKind.key_fields`` names the record fields its first items
        are; one indexed query per distinct prefix finds the candidates, and the kind's own
        ``record_keys`` then decide. Kinds without ``key_fields`` load the whole table.
        """
        if self._loaded_all:
            return
        spec = self.kind.key_fields
        probes: dict[tuple[Any, ...], tuple[str, ...]] = {}
        for key in keys:
            fields = spec.get(key[0]) if spec is not None else None
            if fields is None:
                self.load_all()
                return
            probe = (key[0], *key[1 : 1 + len(fields)])
            if probe not in self._probed:
                probes[probe] = fields
        if not probes:
            return
        table = self.repo.table
        if len(probes) * self.PROBE_SHARE >= self._table_size(table):
            self.load_all()
            return
        for probe, fields in probes.items():
            self._probed.add(probe)
            where = " AND ".join(f'"{f}" IS ?' for f in fields)
            cur = self.store.db.execute_sql(
                f'SELECT * FROM "{table}" WHERE deleted = 0 AND {where}',
                [to_column(v) for v in probe[1:]],
            )
            names = [d[0] for d in cur.description]
            for row in cur.fetchall():
                self._add(record_from_row(self.repo.cls, dict(zip(names, row, strict=True))))

    def _table_size(self, table: str) -> int:
        row = self.store.db.execute_sql(f'SELECT COUNT(*) FROM "{table}"').fetchone()
        return int(row[0])
