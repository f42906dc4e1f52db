"""Property tests of the sync model: a hub and 3–5 laptops doing random work, files lost,
duplicated, reordered, imported twice or damaged, clocks wrong by years.

Checked: every replica converges once it holds every op; an import that brings no new op
changes nothing (idempotence, stale files never resurrect a deleted row); merge order does not
matter; no edit is lost (each op is the shown value, a kept conflict value, or superseded by an
op that saw it — checked against an oracle written independently of the store); an edit made
after seeing another supersedes it whatever the clocks say; delta files give what full files
give; a damaged file is refused and changes nothing.

CI runs a modest number of examples. ``HYPOTHESIS_PROFILE=thorough`` runs thousands (see the
README), and ``pytest -m slow`` runs the long variant below.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    precondition,
    rule,
)

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store, WriteError
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.rowstate import table_columns
from fieldtui.sync.peers import get_peer
from sync_support import YEAR_MS, FakeWall, open_replica, snapshot

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "")
CI_SETTINGS = settings(
    max_examples=20,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
THOROUGH_SETTINGS = settings(
    max_examples=2000,
    stateful_step_count=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)

FIELDS: dict[str, dict[str, st.SearchStrategy[Any]]] = {
    "enterprise": {
        "address": st.sampled_from(["四会市", "大旺一路", "大旺二路", None]),
        "employees": st.sampled_from([0, 12, 300, None]),
        "status": st.sampled_from(["operating", "suspended", "closed"]),
    },
    "officer": {
        "phone": st.sampled_from(["13800138000", "0758-2722284", None]),
        "unit": st.sampled_from(["招商一科", "服务中心"]),
        "name": st.sampled_from(["张三", "李四"]),
    },
}
EDITS = [(t, f) for t, fields in FIELDS.items() for f in fields]


@dataclass
class File:
    path: Path
    dst: int
    """Index of the replica the file is for (0 = hub)."""


def _tmp_dir() -> Path:
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    return Path(tempfile.mkdtemp(prefix="fieldtui-sync-", dir=base))


class SyncMachine(RuleBasedStateMachine):
    files = Bundle("files")

    def __init__(self) -> None:
        super().__init__()
        self.dir = _tmp_dir()
        self.reps: list[Store] = []
        self.walls: list[FakeWall] = []
        self.rows: list[tuple[str, str]] = []
        self.superseded: list[tuple[str, str, str, set[str]]] = []
        self.made: list[Path] = []
        self.seed = 0
        self.counter = 0

    # -- setup --------------------------------------------------------------------------

    @initialize(
        offsets=st.lists(
            st.sampled_from([0, 0, 0, 3600_000, -3 * YEAR_MS, 5 * YEAR_MS, -20 * YEAR_MS]),
            min_size=4,
            max_size=6,
        ),
        seed=st.integers(0, 2**32),
    )
    def setup(self, offsets: list[int], seed: int) -> None:
        self.seed = seed
        for i, offset in enumerate(offsets):
            store, wall = open_replica(self.dir / f"r{i}.db", offset)
            if i == 0:
                sync.init_role(store, sync.HUB, name="hub")
            else:
                sync.init_role(store, sync.LAPTOP, name=f"laptop{i}")
            self.reps.append(store)
            self.walls.append(wall)

    def teardown(self) -> None:
        try:
            if self.reps:
                self.converge_and_check()
        finally:
            for store in self.reps:
                store.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _rep(self, who: int) -> Store:
        return self.reps[who % len(self.reps)]

    def _path(self, stem: str) -> Path:
        self.counter += 1
        return self.dir / f"{self.counter:04d}-{stem}.fieldsync"

    # -- local work ---------------------------------------------------------------------

    @rule(who=st.integers(0, 5), table=st.sampled_from(sorted(FIELDS)), data=st.data())
    def create(self, who: int, table: str, data: st.DataObject) -> None:
        store = self._rep(who)
        if table == "enterprise":
            row_id = store.enterprises.create(
                Enterprise(
                    name=f"企业{len(self.rows)}", address=data.draw(FIELDS[table]["address"])
                )
            ).id
        else:
            row_id = store.officers.create(Officer(name=data.draw(FIELDS[table]["name"]))).id
        self.rows.append((table, row_id))

    @precondition(lambda self: bool(self.rows))
    @rule(
        who=st.integers(0, 5),
        pick=st.integers(0, 10**6),
        edit=st.sampled_from(EDITS),
        data=st.data(),
    )
    def edit(self, who: int, pick: int, edit: tuple[str, str], data: st.DataObject) -> None:
        store = self._rep(who)
        table, row_id = self.rows[pick % len(self.rows)]
        if edit[0] != table:
            return
        field = edit[1]
        value = data.draw(FIELDS[table][field])
        if field == "name" and value is None:
            return
        heads = store.writer.heads(table, row_id, field)
        try:
            changed = store.writer.update(table, row_id, {field: value})
        except WriteError:
            return  # not here yet, or deleted here
        if changed:
            self.superseded.append((table, row_id, field, heads))

    @precondition(lambda self: bool(self.rows))
    @rule(who=st.integers(0, 5), pick=st.integers(0, 10**6), deleted=st.booleans())
    def delete_or_restore(self, who: int, pick: int, deleted: bool) -> None:
        store = self._rep(who)
        table, row_id = self.rows[pick % len(self.rows)]
        heads = store.writer.heads(table, row_id, DELETED_FIELD)
        try:
            done = store.writer.set_deleted(table, row_id, deleted)
        except WriteError:
            return
        if done:
            self.superseded.append((table, row_id, DELETED_FIELD, heads))

    @rule(who=st.integers(0, 5), pick=st.integers(0, 10**6), head=st.integers(0, 10))
    def resolve(self, who: int, pick: int, head: int) -> None:
        store = self._rep(who)
        found = sync.list_conflicts(store.db)
        if not found:
            return
        conflict = found[pick % len(found)]
        chosen = conflict.heads[head % len(conflict.heads)]
        try:
            sync.resolve(store, conflict.table, conflict.row_id, conflict.field, take=chosen.op_id)
        except sync.SyncError:
            return  # a field of a deleted row: restore first
        heads = {h.op_id for h in conflict.heads if h.field == conflict.field}
        self.superseded.append((conflict.table, conflict.row_id, conflict.field, heads))
        assert not any(
            c.row_id == conflict.row_id and c.field == conflict.field
            for c in sync.list_conflicts(store.db)
        )

    @rule(who=st.integers(0, 5), years=st.sampled_from([-10, -1, 0, 0, 2, 30]))
    def skew_clock(self, who: int, years: int) -> None:
        self.walls[who % len(self.walls)].offset_ms = years * YEAR_MS

    # -- files --------------------------------------------------------------------------

    @rule(target=files, laptop=st.integers(1, 5), full=st.booleans())
    def export_laptop(self, laptop: int, full: bool) -> File:
        index = 1 + (laptop - 1) % (len(self.reps) - 1)
        (exported,) = sync.export(self.reps[index], self._path(f"up{index}"), full=full)
        self.made.append(exported.path)
        return File(exported.path, 0)

    @rule(target=files, laptop=st.integers(1, 5), full=st.booleans())
    def export_hub(self, laptop: int, full: bool) -> File:
        index = 1 + (laptop - 1) % (len(self.reps) - 1)
        hub = self.reps[0]
        known = get_peer(hub.db, self.reps[index].replica_id) is not None
        target = self._path(f"down{index}")
        if full or not known:
            (exported,) = sync.export(hub, target, full=True)
        else:
            (exported,) = sync.export(hub, target, for_peer=self.reps[index].replica_id)
        self.made.append(exported.path)
        return File(exported.path, index)

    @rule(file=files)
    def deliver(self, file: File) -> None:
        store = self.reps[file.dst]
        before = snapshot(store)
        report = sync.import_files(store, [file.path], make_backup=False)
        (outcome,) = report.files
        assert outcome.status in (sync.IMPORTED, sync.ALREADY), outcome.reason
        if outcome.status == sync.ALREADY or report.added == 0:
            # Nothing new: nothing changes (idempotence; a stale file resurrects nothing).
            assert snapshot(store) == before

    @rule(file=files, position=st.integers(0, 10**6), bit=st.integers(0, 7))
    def deliver_damaged(self, file: File, position: int, bit: int) -> None:
        data = bytearray(file.path.read_bytes())
        data[position % len(data)] ^= 1 << bit
        bad = self._path("damaged")
        bad.write_bytes(bytes(data))
        store = self.reps[file.dst]
        before = snapshot(store)
        ops_before = store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0]
        report = sync.import_files(store, [bad], make_backup=False)
        assert [f.status for f in report.files] == [sync.REFUSED]
        assert snapshot(store) == before
        assert store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0] == ops_before

    @rule()
    def converge(self) -> None:
        self.converge_and_check()

    # -- the checks ---------------------------------------------------------------------

    def converge_and_check(self) -> None:
        hub, laptops = self.reps[0], self.reps[1:]
        for laptop in laptops:
            (up,) = sync.export(laptop, self._path("sync-up"))
            report = sync.import_files(hub, [up.path], make_backup=False)
            assert not report.refused
        for laptop in laptops:
            (down,) = sync.export(hub, self._path("sync-down"), for_peer=laptop.replica_id)
            report = sync.import_files(laptop, [down.path], make_backup=False)
            assert not report.refused
        all_ops = _ops(hub)
        for laptop in laptops:
            assert _ops(laptop) == all_ops, "a replica lacks ops after a full round"
        expected = snapshot(hub)
        for laptop in laptops:
            assert snapshot(laptop) == expected, "replicas holding the same ops differ"
        check_oracle(hub)
        heads = _heads(hub)
        for table, row_id, field, old in self.superseded:
            assert not old & heads.get((table, row_id, field), set()), (
                "an edit made after seeing another did not supersede it"
            )
        # Delta files == full files, in any order.
        full = sync.export(hub, self._path("full"), full=True)[0].path
        fresh = Store(self.dir / f"fresh{self.counter}.db")
        sync.init_role(fresh, sync.LAPTOP, name="fresh")
        sync.import_files(fresh, [full], make_backup=False)
        assert snapshot(fresh) == expected, "a full file does not rebuild what deltas built"
        fresh.close()
        valid = [p for p in self.made if p.exists()]
        random.Random(self.seed).shuffle(valid)
        shuffled = Store(self.dir / f"shuffled{self.counter}.db")
        sync.init_role(shuffled, sync.HUB, name="shuffled")
        sync.import_files(shuffled, valid, make_backup=False, check_roles=False)
        sync.import_files(shuffled, [full], make_backup=False, check_roles=False)
        assert snapshot(shuffled) == expected, "import order changed the result"
        shuffled.close()


def _ops(store: Store) -> set[tuple[Any, ...]]:
    return {
        tuple(r)
        for r in store.db.execute_sql(
            "SELECT op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents FROM op"
        ).fetchall()
    }


def _heads(store: Store) -> dict[tuple[str, str, str], set[str]]:
    by_field: dict[tuple[str, str, str], list[tuple[str, list[str]]]] = {}
    for tbl, row_id, field, op_id, parents in store.db.execute_sql(
        "SELECT tbl, row_id, field, op_id, parents FROM op"
    ):
        by_field.setdefault((tbl, row_id, field), []).append((op_id, json.loads(parents)))
    heads: dict[tuple[str, str, str], set[str]] = {}
    for key, ops in by_field.items():
        named = {p for _, parents in ops for p in parents}
        heads[key] = {op_id for op_id, _ in ops if op_id not in named}
    return heads


def check_oracle(store: Store) -> None:
    """Rows and conflicts equal what the op set implies, computed here independently.

    This is "no edit is lost": every op is a current value, a kept conflict value, or
    superseded by an op of the same field that names it (or seen by the delete that hid it).
    """
    ops: dict[str, tuple[str, int, Any, str, str, str]] = {}
    rows: dict[tuple[str, str], dict[str, list[str]]] = {}
    for op_id, replica_id, hlc, value, tbl, row_id, field in store.db.execute_sql(
        "SELECT op_id, replica_id, hlc, value, tbl, row_id, field FROM op"
    ):
        ops[op_id] = (replica_id, hlc, json.loads(value), tbl, row_id, field)
        rows.setdefault((tbl, row_id), {}).setdefault(field, []).append(op_id)
    heads = _heads(store)
    parents = {
        str(r[0]): set(json.loads(r[1]))
        for r in store.db.execute_sql("SELECT op_id, parents FROM op")
    }

    def rank(op_id: str) -> tuple[int, str, str]:
        return (ops[op_id][1], ops[op_id][0], op_id)

    expected_conflicts: set[tuple[str, str, str, str]] = set()
    for (tbl, row_id), fields in rows.items():
        expect: dict[str, Any] = {"deleted": 0}
        for field in fields:
            hs = heads[(tbl, row_id, field)]
            best = max(hs, key=rank)
            column = "deleted" if field == DELETED_FIELD else field
            expect[column] = ops[best][2]
            if len({json.dumps(ops[h][2]) for h in hs}) > 1:
                expected_conflicts.add((tbl, row_id, field, json.dumps(sorted(hs))))
        deletes = [h for h in heads.get((tbl, row_id, DELETED_FIELD), set()) if ops[h][2] == 1]
        if deletes:
            seen = set().union(*(parents[d] for d in deletes))
            unseen = {
                h
                for f in fields
                if f != DELETED_FIELD
                for h in heads[(tbl, row_id, f)]
                if h not in seen
            }
            if unseen:
                contenders = heads[(tbl, row_id, DELETED_FIELD)] | unseen
                best = max(contenders, key=rank)
                expect["deleted"] = 1 if best in deletes else 0
                expected_conflicts = {
                    c for c in expected_conflicts if c[:3] != (tbl, row_id, DELETED_FIELD)
                }
                expected_conflicts.add((tbl, row_id, DELETED_FIELD, json.dumps(sorted(contenders))))
        columns = {
            name: (not_null, default) for name, not_null, default in table_columns(store.db, tbl)
        }
        names = list(expect)
        quoted = ", ".join(f'"{c}"' for c in names)
        row = store.db.execute_sql(
            f'SELECT {quoted} FROM "{tbl}" WHERE id = ?', (row_id,)
        ).fetchone()
        assert row is not None, f"{tbl} {row_id} has ops but no row"
        for name, actual in zip(names, row, strict=True):
            value = expect[name]
            not_null, default = columns[name]
            if value is None and not_null:
                value = default
            assert actual == value, f"{tbl}.{name} of {row_id}: {actual!r}, ops say {value!r}"
    actual_conflicts = {
        tuple(r) for r in store.db.execute_sql("SELECT tbl, row_id, field, heads FROM conflict")
    }
    assert actual_conflicts == expected_conflicts


TestSyncModel = SyncMachine.TestCase
TestSyncModel.settings = THOROUGH_SETTINGS if PROFILE == "thorough" else CI_SETTINGS


@pytest.mark.slow
class TestSyncModelLong(SyncMachine.TestCase):  # type: ignore[misc,valid-type]
    """Thousands of runs: ``pytest -m slow tests/test_sync_properties.py``."""

    settings = THOROUGH_SETTINGS
