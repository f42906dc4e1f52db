"""Fuzzing the import with files that pass every checksum (issue 11, item 4).

Hypothesis mutates laptop A's valid file (any op's any column, the manifest's keys, whole
lines, the op count, parents, ids taken from the database) and recomputes every hash, as an
attacker would. The mutated file and laptop B's valid file go into one import. Whatever the
mutation: no exception escapes, the mutated file is refused (the database then holds exactly
what B's file alone gives) or merged, B's file is merged, every row equals its ops, and
importing the same files again changes nothing.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from fieldtui import sync
from fieldtui.domain.records import Enterprise, Project
from fieldtui.store import Store
from fieldtui.store.ids import new_id
from invariants import assert_rows_equal_ops
from sync_craft import op_line, pack, unpack
from sync_support import replica, snapshot

EXAMPLES = int(os.environ.get("FIELDTUI_FUZZ_EXAMPLES", "100"))


@dataclass(frozen=True)
class Template:
    dir: Path
    hub: Path
    a_file: bytes
    b_file: bytes
    ids: dict[str, str]
    """Replica ids (hub, a, b) and a few op ids the hub holds."""
    held_ops: tuple[str, ...]
    expected: Any
    """The hub's state after B's file alone."""


def _state(path: Path) -> Any:
    with Store(path) as store:
        db = store.db
        return (
            store.replica_id,
            snapshot(store),
            sorted(str(r[0]) for r in db.execute_sql("SELECT op_id FROM op")),
            sorted(tuple(r) for r in db.execute_sql("SELECT replica_id, name FROM sync_peer")),
            sorted(str(r[0]) for r in db.execute_sql("SELECT op_id FROM held_op")),
        )


def _copy(src: Path, dst: Path) -> None:
    a, b = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        a.backup(b)
    finally:
        b.close()
        a.close()


@cache
def template() -> Template:
    root = Path(tempfile.mkdtemp(prefix="fieldtui-fuzz-"))
    hub = replica(root / "hub.db", sync.HUB, "office")
    a = replica(root / "a.db", sync.LAPTOP, "zhang")
    b = replica(root / "b.db", sync.LAPTOP, "li")
    ent = hub.enterprises.create(Enterprise(name="浩海环保", employees=10)).id
    full = sync.export(hub, root / "full.fieldsync", full=True)[0].path
    for laptop in (a, b):
        sync.import_files(laptop, [full], make_backup=False)
    mine = a.enterprises.create(Enterprise(name="博俊科技", employees=12, status="operating")).id
    a.enterprises.update(ent, address="大旺大道1号")
    a.enterprises.update(ent, address="大旺大道2号")
    a.projects.create(Project(name="博俊二期", enterprise_id=mine))
    a.enterprises.delete(mine)
    b.enterprises.create(Enterprise(name="智盛自动化"))
    b.enterprises.update(ent, employees=20)
    a_file = sync.export(a, root / "a.fieldsync")[0].path.read_bytes()
    b_file = sync.export(b, root / "b.fieldsync")[0].path.read_bytes()
    ids = {"hub": hub.replica_id, "a": a.replica_id, "b": b.replica_id}
    held_ops = tuple(str(r[0]) for r in hub.db.execute_sql("SELECT op_id FROM op LIMIT 5"))
    for store in (hub, a, b):
        store.close()
    ref = root / "ref.db"
    _copy(root / "hub.db", ref)
    (root / "b-ref.fieldsync").write_bytes(b_file)
    with Store(ref) as store:
        sync.import_files(store, [root / "b-ref.fieldsync"], make_backup=False)
    return Template(root, root / "hub.db", a_file, b_file, ids, held_ops, _state(ref))


@contextmanager
def scratch() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="fieldtui-fuzz-run-"))
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


# -- mutations -------------------------------------------------------------------------------

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20),
    st.sampled_from(["", " ", "\x00", "\x1b]0;x\x07", "enterprise", "_deleted", "2024-02-30"]),
    st.text(min_size=300, max_size=900),
)
NASTY = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=8,
)


@st.composite
def mutated(draw: st.DrawFn) -> bytes:
    t = template()
    manifest, ops = unpack(t.a_file)
    manifest["file_id"] = new_id()
    lines: list[bytes] | None = None
    count: int | None = None
    known_ids = [*t.ids.values(), *t.held_ops, *(op[0] for op in ops)]
    for _ in range(draw(st.integers(1, 3))):
        kind = draw(
            st.sampled_from(
                [
                    "op column",
                    "op id from elsewhere",
                    "replica",
                    "seq",
                    "parents",
                    "drop",
                    "duplicate",
                    "manifest",
                    "manifest drop",
                    "names",
                    "value",
                    "value",
                    "line",
                    "line",
                    "count",
                    "op id from elsewhere",
                    "parents",
                ]
            )
        )
        i = draw(st.integers(0, len(ops) - 1)) if ops else 0
        if kind == "op column" and ops:
            column = draw(st.integers(0, 8))
            ops[i][column] = draw(NASTY)
        elif kind == "op id from elsewhere" and ops:
            ops[i][0] = draw(st.sampled_from([*t.held_ops, *known_ids]))
        elif kind == "replica" and ops:
            ops[i][1] = draw(st.sampled_from([*t.ids.values(), new_id()]))
        elif kind == "seq" and ops:
            ops[i][2] = draw(st.one_of(st.integers(-1, 12), st.sampled_from([2**63 - 1, 10**6])))
        elif kind == "parents" and ops:
            ops[i][8] = draw(st.lists(st.sampled_from([*known_ids, ops[i][0]]), max_size=3))
        elif kind == "drop" and ops:
            ops.pop(i)
        elif kind == "duplicate" and ops:
            ops.insert(i, list(ops[i]))
        elif kind == "manifest":
            manifest[draw(st.sampled_from(sorted(manifest)))] = draw(NASTY)
        elif kind == "manifest drop":
            manifest.pop(draw(st.sampled_from(sorted(manifest))), None)
        elif kind == "names":
            n = draw(st.sampled_from([1, 10, 2000]))
            manifest["names"] = {new_id(): draw(st.text(max_size=10)) for _ in range(n)}
        elif kind == "value" and ops:
            ops[i][7] = draw(
                st.one_of(
                    st.sampled_from(["abc", "2024-02-30", "-5", "91441284MA4UXX123Z", "bank rupt"]),
                    st.integers(-(2**63), 2**63 - 1),
                    st.text(max_size=50),
                    st.just("长" * 5000),
                )
            )
        elif kind == "line":
            lines = [op_line(op) for op in ops]
            bad = draw(
                st.sampled_from(
                    [
                        b"[" * 50_000 + b"]" * 50_000,
                        b"[" * 50_000 + b"]" * 50_000,
                        b"1,2",
                        b"",
                        b"{}",
                        b"null",
                        b'"x"',
                        b"[1,2,3]",
                        b"\xff\xfe",
                        json.dumps(draw(NASTY)).encode(),
                    ]
                )
            )
            lines.insert(draw(st.integers(0, len(lines))), bad)
        elif kind == "count":
            count = draw(st.integers(0, len(ops) + 3))
    if lines is not None:
        return pack(manifest, lines=lines, count=count)
    return pack(manifest, ops, count=count)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(crafted=mutated(), b_first=st.booleans())
def test_a_mutated_file_never_takes_the_good_ones_down(crafted: bytes, b_first: bool) -> None:
    t = template()
    with scratch() as work:
        hub = work / "hub.db"
        _copy(t.hub, hub)
        bad, good = work / "bad.fieldsync", work / "good.fieldsync"
        bad.write_bytes(crafted)
        good.write_bytes(t.b_file)
        order = [good, bad] if b_first else [bad, good]
        with Store(hub) as store:
            report = sync.import_files(store, order, make_backup=False)
            assert_rows_equal_ops(store)
        outcome = {f.path: f for f in report.files}
        event(outcome[bad].status)
        assert outcome[good].status == sync.IMPORTED, outcome[good]
        assert outcome[bad].status in (sync.REFUSED, sync.IMPORTED), outcome[bad]
        if outcome[bad].status == sync.REFUSED:
            assert outcome[bad].reason
            assert _state(hub) == t.expected
        with Store(hub) as store:
            again = sync.import_files(store, order, make_backup=False)
            assert again.added == 0
            assert_rows_equal_ops(store)
