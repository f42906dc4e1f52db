"""Property tests of the sync model: a hub and 3–5 laptops doing random work on every synced
table (link tables included) with awkward values, files lost, duplicated, reordered, imported
twice or damaged, clocks wrong by years.

Checked: every replica converges once it holds every op; an import that brings no new op
changes nothing (idempotence, stale files never resurrect a deleted row); merge order does not
matter; no edit is lost (each op is the shown value, a kept conflict value, or superseded by an
op that saw it — checked against an oracle written independently of the store); every row
equals its ops after every import (``invariants.assert_rows_equal_ops``, the store's own
replay); an edit made after seeing another supersedes it whatever the clocks say; delta files
give what full files give; a damaged file is refused and changes nothing.

Values come from each column's type (the Peewee model, the record's type hint and the code
lists) and are what a form or a sheet would store for them (the field schema's parser: control
characters cleaned, text within the field's length, numbers within its range): references name
rows other replicas made (so they may dangle until a file arrives), text is markup-like, holds
CJK beyond the BMP, emoji sequences, or runs to the field's limit. Values that do not fit their
field are held aside by an import (``tests/test_sync_trust.py``), not merged, so random ones
would make replicas differ by design. Two officers linking the same pair make the same link row.

CI runs a modest number of examples. ``HYPOTHESIS_PROFILE=thorough`` runs thousands (see the
README), and ``pytest -m slow`` runs the long variant below.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
import types
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any
from unittest import mock

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
from peewee import ForeignKeyField

import fieldtui.store.writer as writer_module
from fieldtui import sync
from fieldtui.domain.records import RECORD_TYPES
from fieldtui.domain.schema import Field, field_of
from fieldtui.domain.validators import clean_line, uscc_check_char
from fieldtui.store import Store, WriteError
from fieldtui.store.convert import to_column
from fieldtui.store.models import DELETED_FIELD, SYNCED_MODELS, synced_fields
from fieldtui.store.repos import LinkRepo, Repo
from fieldtui.store.rowstate import Value, table_columns
from fieldtui.sync.peers import get_peer
from fieldtui.sync.values import CODED_FIELDS, PHONE_FIELDS, USCC_FIELDS, value_problem
from invariants import assert_rows_equal_ops
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
LONG_TEXT = 200_000 if PROFILE == "thorough" else 20_000
"""Longest generated text, in characters (a sync value may hold up to 1,000,000)."""

# -- values ---------------------------------------------------------------------------------

AWKWARD_SAMPLES = [
    "ab[/]c",
    "[red]x[/red]",
    "[@click=app.quit]x[/]",
    "[link=https://example.com]y[/link]",
    "[b]unclosed",
    "\\[escaped]",
    "{name} %s %(x)d",
    "line1\nline2\r\nline3",
    "tab\there\vvertical\fform",
    "nul\x00inside",
    "\x1b[31mred\x1b[0m \x07bell \x7f",
    "\u202eright-to-left\u202c",
    "zero\u200bwidth\ufeffbom",
    "广东浩海环保设备有限公司",
    "肇庆（四会）简美实业有限公司",
    "𠮷野家 𪚥",
    "🏭 厂 👨\u200d👩\u200d👧",
    "e\u0301 combining, Å vs Å",
    "'; DROP TABLE op; --",
    "\"quoted\" and 'single'",
    "null",
    "0",
    "",
    " ",
    "  leading and trailing  ",
]
SHORT_TEXT = st.one_of(
    st.sampled_from(AWKWARD_SAMPLES),
    # any code point a Python str may hold and UTF-8 can carry (no lone surrogates)
    st.text(st.characters(exclude_categories=["Cs"]), max_size=30),
)
LONG = st.builds(
    lambda unit, n: (unit * (n // len(unit) + 1))[:n],
    st.sampled_from(["长文本🏭[b]\x07", "a", "企业台账 ", "\u0000x"]),
    st.integers(1_000, LONG_TEXT),
)
TEXT = st.one_of(SHORT_TEXT, SHORT_TEXT, SHORT_TEXT, LONG)
USCCS = ["91350100M000100Y43"] + [
    body + uscc_check_char(body) for body in ("91441284MA4UXX123", "91440101MA59UF8D7")
]
PHONES = ["13800138000", "0758-2722284", "020-12345678-123"]


def _base(tp: Any) -> Any:
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return args[0] if len(args) == 1 else tp
    return tp


@cache
def column_strategy(table: str, column: str) -> st.SearchStrategy[Value]:
    """Values of one non-reference column, as the store holds them (``to_column``)."""
    field = SYNCED_MODELS[table]._meta.columns[column]
    schema = field_of(table, column)
    tp = _base(typing.get_type_hints(RECORD_TYPES[table])[column])
    is_list = typing.get_origin(tp) is list
    coded = CODED_FIELDS.get((table, column))
    values: st.SearchStrategy[Any]
    if coded is not None:
        codes = st.sampled_from([m.code for m in coded])
        values = st.lists(codes, max_size=3, unique=True) if is_list else codes
    elif (table, column) in USCC_FIELDS:
        values = st.sampled_from(USCCS)
    elif (table, column) in PHONE_FIELDS:
        values = st.sampled_from(PHONES)
    elif tp is date:
        values = st.dates(date(1990, 1, 1), date(2100, 12, 31))
    elif tp is Decimal:
        values = st.decimals(0, 10**9, places=2, allow_nan=False, allow_infinity=False)
    elif tp is bool:
        values = st.booleans()
    elif tp is int:
        low, high = getattr(schema.type, "low", 0), getattr(schema.type, "high", 2**63 - 1)
        values = st.integers(low, high)
    elif is_list:
        values = st.lists(SHORT_TEXT.map(clean_line).filter(bool), max_size=4, unique=True)
    else:
        values = TEXT.map(lambda text: _as_typed(schema, text))
    stored = values.map(to_column).filter(lambda v: value_problem(table, column, v) is None)
    return st.one_of(stored, st.none()) if field.null else stored


def _as_typed(schema: Field, text: str) -> str:
    """What a form stores for ``text`` typed into a text field: cleaned, within its limit."""
    value, _warning = schema.type.parse(text)
    return str(value)[: schema.max_len or None]


def references(table: str) -> dict[str, tuple[str, bool]]:
    """Reference column → (target table, nullable)."""
    return {
        f.column_name: (f.rel_model._meta.table_name, bool(f.null))
        for f in SYNCED_MODELS[table]._meta.sorted_fields
        if isinstance(f, ForeignKeyField)
    }


def editable(table: str) -> list[str]:
    return sorted(synced_fields(table) - {"created_at"})


TABLES = list(SYNCED_MODELS)
LINK_TABLES = frozenset(
    t for t in TABLES if len(references(t)) == 2 and set(editable(t)) == set(references(t))
)


def repos(store: Store) -> dict[str, Repo[Any]]:
    return {r.table: r for r in vars(store).values() if isinstance(r, Repo)}


@contextmanager
def created_at(stamp: str | None) -> Iterator[None]:
    """Rows created inside stamp ``created_at`` with ``stamp`` (None: the real time)."""
    if stamp is None:
        yield
        return
    with mock.patch.object(writer_module, "now_iso", lambda: stamp):
        yield


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
        self.by_table: dict[str, list[str]] = {t: [] for t in TABLES}
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
        data=st.data(),
    )
    def setup(self, offsets: list[int], seed: int, data: st.DataObject) -> None:
        """Replicas, and rows of every table on the hub that every laptop receives: two of
        each record, one of each link (so some pairs are still free to link)."""
        self.seed = seed
        for i, offset in enumerate(offsets):
            store, wall = open_replica(self.dir / f"r{i}.db", offset)
            if i == 0:
                sync.init_role(store, sync.HUB, name="hub")
            else:
                sync.init_role(store, sync.LAPTOP, name=f"laptop{i}")
            self.reps.append(store)
            self.walls.append(wall)
        hub = self.reps[0]
        with hub.batch():
            for table in TABLES:
                for _ in range(1 if table in LINK_TABLES else 2):
                    self._create(hub, table, data)
        assert {t for t, _ in self.rows} == set(TABLES)
        (full,) = sync.export(hub, self._path("seed"), full=True)
        for laptop in self.reps[1:]:
            report = sync.import_files(laptop, [full.path], make_backup=False)
            assert not report.refused

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

    def _reference(self, target: str, nullable: bool, data: st.DataObject) -> str | None:
        known = self.by_table[target]
        if not known:
            return None
        choice = st.sampled_from(known)
        return data.draw(st.one_of(choice, st.none()) if nullable else choice)

    def _value(self, table: str, column: str, data: st.DataObject) -> Value:
        ref = references(table).get(column)
        if ref is not None:
            return self._reference(ref[0], ref[1], data)
        return data.draw(column_strategy(table, column))

    def _create(self, store: Store, table: str, data: st.DataObject) -> None:
        repo = repos(store)[table]
        refs = references(table)
        if any(not nullable and not self.by_table[t] for t, nullable in refs.values()):
            return  # a required reference with nothing to name yet
        if isinstance(repo, LinkRepo):
            left = self._reference(refs[repo.left][0], False, data)
            right = self._reference(refs[repo.right][0], False, data)
            assert left is not None and right is not None
            row_id = repo.link(left, right)  # the same pair on two replicas: the same row
        else:
            values = {c: self._value(table, c, data) for c in editable(table)}
            row_id = store.writer.create(table, values)
        if row_id not in self.by_table[table]:
            self.rows.append((table, row_id))
            self.by_table[table].append(row_id)

    # -- local work ---------------------------------------------------------------------

    @rule(who=st.integers(0, 5), table=st.sampled_from(TABLES), data=st.data())
    def create(self, who: int, table: str, data: st.DataObject) -> None:
        self._create(self._rep(who), table, data)

    def _editable_field(self, pick: int, data: st.DataObject) -> tuple[str, str, str] | None:
        table, row_id = self.rows[pick % len(self.rows)]
        fields = [f for f in editable(table) if table not in LINK_TABLES]
        if not fields:
            return None  # a link row has nothing but its two ends
        return table, row_id, data.draw(st.sampled_from(fields))

    def _edit(self, who: int, table: str, row_id: str, field: str, data: st.DataObject) -> None:
        store = self._rep(who)
        value = self._value(table, field, data)
        heads = store.writer.heads(table, row_id, field)
        try:
            changed = store.writer.update(table, row_id, {field: value})
        except WriteError:
            return  # not here yet, or deleted here
        if changed:
            self.superseded.append((table, row_id, field, heads))

    @precondition(lambda self: bool(self.rows))
    @rule(who=st.integers(0, 5), pick=st.integers(0, 10**6), data=st.data())
    def edit(self, who: int, pick: int, data: st.DataObject) -> None:
        target = self._editable_field(pick, data)
        if target is not None:
            self._edit(who, *target, data)

    @precondition(lambda self: bool(self.rows))
    @rule(
        first=st.integers(0, 5),
        second=st.integers(1, 5),
        pick=st.integers(0, 10**6),
        data=st.data(),
    )
    def edit_concurrently(self, first: int, second: int, pick: int, data: st.DataObject) -> None:
        """Two replicas change the same field before either hears of the other: a conflict
        (unless they happen to agree), on any table, with any values."""
        a = first % len(self.reps)
        b = (a + second) % len(self.reps)
        target = self._editable_field(pick, data)
        if target is not None and a != b:
            self._edit(a, *target, data)
            self._edit(b, *target, data)

    @precondition(lambda self: bool(self.rows))
    @rule(
        first=st.integers(0, 5),
        second=st.integers(1, 5),
        table=st.sampled_from([t for t in TABLES if t in LINK_TABLES]),
        data=st.data(),
    )
    def link_concurrently(self, first: int, second: int, table: str, data: st.DataObject) -> None:
        """Two officers link the same pair on their laptops: one link row, two creations."""
        a = first % len(self.reps)
        b = (a + second) % len(self.reps)
        repo_a = repos(self.reps[a])[table]
        assert isinstance(repo_a, LinkRepo)
        refs = references(table)
        left = self._reference(refs[repo_a.left][0], False, data)
        right = self._reference(refs[repo_a.right][0], False, data)
        if left is None or right is None:
            return
        # the second officer links the pair at once, or years before or after the first
        later = data.draw(
            st.sampled_from([None, "2001-01-01T00:00:00+00:00", "2099-12-31T23:59:59+00:00"])
        )
        for who, stamp in ((a, None), (b, later)):
            repo = repos(self.reps[who])[table]
            assert isinstance(repo, LinkRepo)
            with created_at(stamp):
                row_id = repo.link(left, right)
        if row_id not in self.by_table[table]:
            self.rows.append((table, row_id))
            self.by_table[table].append(row_id)

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
        assert_rows_equal_ops(store)
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
        for store in self.reps:
            assert_rows_equal_ops(store)
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
        assert_rows_equal_ops(fresh)
        fresh.close()
        valid = [p for p in self.made if p.exists()]
        random.Random(self.seed).shuffle(valid)
        shuffled = Store(self.dir / f"shuffled{self.counter}.db")
        sync.init_role(shuffled, sync.HUB, name="shuffled")
        sync.import_files(shuffled, valid, make_backup=False, check_roles=False)
        sync.import_files(shuffled, [full], make_backup=False, check_roles=False)
        assert snapshot(shuffled) == expected, "import order changed the result"
        assert_rows_equal_ops(shuffled)
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
            if field == "created_at":
                # made on two replicas (a link): the earliest creation, never a conflict
                expect[column] = min(str(ops[h][2]) for h in hs)
                continue
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
