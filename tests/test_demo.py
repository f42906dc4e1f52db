"""Demo data: every record kind, valid and unique codes, determinism, and the op log behind it.

One small build is shared by most tests (module scope) to keep the file fast; ``today`` is fixed
so the dates, and with them everything else, are the same on every run.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fieldtui.demo import build_demo
from fieldtui.domain.records import RECORD_TYPES
from fieldtui.domain.schema import KINDS
from fieldtui.domain.validators import check_phone, check_uscc
from fieldtui.store import Store
from fieldtui.store.models import synced_columns
from invariants import assert_rows_equal_ops

TODAY = date(2026, 6, 15)
SIZE = 150


def rows(store: Store, sql: str, *params: object) -> list[tuple[Any, ...]]:
    """Raw SQL rows: the tests check what is stored, not what repositories make of it."""
    return list(store.db.execute_sql(sql, params).fetchall())


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Store, dict[str, int]]]:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    with Store(path) as store:
        counts = build_demo(store, size=SIZE, seed=7, today=TODAY)
        yield store, counts


def test_every_record_kind_is_filled(built: tuple[Store, dict[str, int]]) -> None:
    store, counts = built
    assert set(counts) == set(RECORD_TYPES)
    for table in RECORD_TYPES:
        in_db = rows(store, f"SELECT COUNT(*) FROM {table}")[0][0]
        assert counts[table] == in_db, table
        assert in_db > 0, f"no {table} rows"
    assert counts["enterprise"] == SIZE


def test_every_stored_value_is_one_its_field_accepts(built: tuple[Store, dict[str, int]]) -> None:
    """The demo writes what a form, a sheet or a synced op could: the schema's check of a
    stored value passes for every column of every row (and the ops carry the same values)."""
    store, _counts = built
    for table, kind in KINDS.items():
        names = [f.name for f in kind.columns]
        quoted = ", ".join(f'"{n}"' for n in names)
        for row in rows(store, f"SELECT {quoted} FROM {table}"):
            for field, value in zip(kind.columns, row, strict=True):
                checked = field.check_column(value)
                assert checked.ok, (table, field.name, value, checked.error)
    for table, name, value in rows(store, "SELECT tbl, field, value FROM op"):
        if name.startswith("_") or name == "created_at":
            continue
        checked = KINDS[table].field(name).check_column(json.loads(value))
        assert checked.ok, (table, name, value, checked.error)


def test_every_row_equals_its_ops(built: tuple[Store, dict[str, int]]) -> None:
    """The demo is built through the write path: replaying the op log gives every row."""
    store, _counts = built
    assert_rows_equal_ops(store)


def test_codes_names_and_phones_are_valid_and_unique(built: tuple[Store, dict[str, int]]) -> None:
    store, _counts = built
    enterprises = rows(store, "SELECT name, uscc, phone FROM enterprise")
    names = [r[0] for r in enterprises]
    codes = [r[1] for r in enterprises if r[1] is not None]
    assert len(set(names)) == len(names)
    assert len(set(codes)) == len(codes)
    assert len(codes) > 0.8 * len(enterprises)
    for code in codes:
        result = check_uscc(str(code))
        assert result.ok and result.warning is None, code
    assert "广东浩海环保设备有限公司" in names
    officers = rows(store, "SELECT name, phone FROM officer")
    assert len({r[0] for r in officers}) == len(officers)
    for phone in [r[2] for r in enterprises] + [r[1] for r in officers]:
        assert phone is None or check_phone(str(phone)).ok, phone


def test_every_row_has_one_op_per_stored_field(built: tuple[Store, dict[str, int]]) -> None:
    """The demo goes through the write path: a row's ops are exactly its non-null fields."""
    store, _counts = built
    for table in RECORD_TYPES:
        fields = [c for c in synced_columns(table) if c not in ("id", "updated_at", "deleted")]
        non_null = " + ".join(f'("{c}" IS NOT NULL)' for c in fields)
        expected = dict(rows(store, f"SELECT id, {non_null} FROM {table}"))
        ops = rows(store, "SELECT row_id, COUNT(*) FROM op WHERE tbl = ? GROUP BY row_id", table)
        assert dict(ops) == expected, table
    seqs = rows(store, "SELECT MIN(seq), MAX(seq), COUNT(*) FROM op")[0]
    assert seqs[0] == 1 and seqs[1] == seqs[2]  # gapless


def test_the_zone_story_holds_together(built: tuple[Store, dict[str, int]]) -> None:
    store, _counts = built
    projects = rows(
        store,
        "SELECT signed_on, land_on, started_on, completed_on, trial_on, production_on, source "
        "FROM project",
    )
    ordered = [p for p in projects if [d for d in p[:6] if d] == sorted(d for d in p[:6] if d)]
    assert len(ordered) >= 0.9 * len(projects)
    assert any(p[1] and p[1] == p[2] for p in projects), "no 拿地即开工 project"
    same_year = [p for p in projects if p[5] and len({str(p[i])[:4] for i in (0, 2, 3, 5)}) == 1]
    assert len(same_year) >= 2
    assert all(str(d) <= TODAY.isoformat() for p in projects for d in p[:6] if d)
    # resolved problems carry a resolution, a satisfaction and a history whose status
    # changes end in "resolved", followed by the follow-up call with the satisfaction
    for pid, resolved_on, satisfaction in rows(
        store, "SELECT id, resolved_on, satisfaction FROM problem WHERE status = 'resolved'"
    ):
        assert resolved_on and satisfaction
        events = rows(
            store,
            'SELECT kind, status, "on", satisfaction FROM problem_event WHERE problem_id = ?',
            pid,
        )
        history = {status: on for kind, status, on, _s in events if kind == "status"}
        assert {"new", "assigned", "in_progress", "resolved"} <= set(history)
        assert history["resolved"] == resolved_on == max(history.values())
        assert history["new"] == min(on for _k, _st, on, _s in events)
        calls = [(on, s) for kind, _st, on, s in events if kind == "follow_up"]
        assert len(calls) == 1 and calls[0][0] >= resolved_on and calls[0][1] == satisfaction
    # some deadlines were extended, each with its reason and the new deadline
    extensions = rows(store, "SELECT note, deadline FROM problem_event WHERE kind = 'extension'")
    assert extensions and all(note and deadline for note, deadline in extensions)
    assert rows(store, "SELECT COUNT(*) FROM problem_event WHERE kind IS NULL")[0][0] == 0
    overdue = rows(
        store,
        "SELECT COUNT(*) FROM problem WHERE status NOT IN ('resolved', 'unresolvable') "
        "AND deadline < ?",
        TODAY.isoformat(),
    )[0][0]
    assert overdue > 0
    # nearly every visit has a complete negative-list self-check in the version in force
    # that day (both versions occur); a few recent ones are drafts; a breach is reported
    visits = rows(store, "SELECT COUNT(*) FROM visit")[0][0]
    drafts = rows(
        store, "SELECT v.date FROM visit_list l JOIN visit v ON v.id = l.id WHERE l.draft = 1"
    )
    assert 1 <= len(drafts) <= max(3, visits // 100)
    assert all((TODAY - date.fromisoformat(d)).days <= 14 for (d,) in drafts)
    versions = rows(
        store,
        "SELECT DISTINCT t.version FROM checklist_answer a"
        " JOIN checklist_item i ON i.id = a.item_id"
        " JOIN checklist_template t ON t.id = i.template_id WHERE a.visit_id IS NOT NULL",
    )
    assert sorted(v for (v,) in versions) == [1, 2]
    breached = rows(store, "SELECT COUNT(*) FROM checklist_answer WHERE answer = 'breached'")
    assert breached[0][0] >= 1
    kinds = {r[0] for r in rows(store, "SELECT kind FROM meeting")}
    assert kinds == {"coordination", "joint", "forum"}
    for (topics,) in rows(store, "SELECT topics FROM visit LIMIT 50"):
        assert set(json.loads(str(topics))) <= {"operations", "expansion", "construction",
                                                "staff_life"}  # fmt: skip
    notes = [r[0] for r in rows(store, "SELECT notes FROM enterprise WHERE notes IS NOT NULL")]
    assert any("[" in str(n) and "]" in str(n) for n in notes)  # user text is never markup


def _fingerprint(path: Path, seed: int) -> tuple[list[tuple[Any, ...]], ...]:
    with Store(path) as store:
        build_demo(store, size=40, seed=seed, today=TODAY)
        return (
            sorted(rows(store, "SELECT name, uscc, address, revenue_wan FROM enterprise")),
            sorted(rows(store, "SELECT name, signed_on, production_on FROM project")),
            sorted(rows(store, "SELECT date, kind, summary FROM visit")),
            sorted(rows(store, "SELECT raised_on, description, status FROM problem")),
        )


def test_same_seed_same_demo(tmp_path: Path) -> None:
    first = _fingerprint(tmp_path / "a.db", 11)
    assert first == _fingerprint(tmp_path / "b.db", 11)
    assert first[0] != _fingerprint(tmp_path / "c.db", 12)[0]


def test_refuses_a_database_with_data(tmp_store: Store) -> None:
    build_demo(tmp_store, size=3, today=TODAY)
    with pytest.raises(ValueError, match="already holds data"):
        build_demo(tmp_store, size=3, today=TODAY)


def test_progress_runs_from_zero_to_one(tmp_store: Store) -> None:
    seen: list[tuple[str, float]] = []
    build_demo(tmp_store, size=5, today=TODAY, progress=lambda s, f: seen.append((s, f)))
    fractions = [f for _s, f in seen]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    assert {"enterprises", "visits", "problems"} <= {s for s, _f in seen}


def test_only_the_ledger_grows_with_size(tmp_path: Path) -> None:
    """At 2,000 enterprises the rest of the zone stays near its published scale (domain.md)."""
    with Store(tmp_path / "big.db") as store:
        counts = build_demo(store, size=2000, seed=3, today=TODAY)
        codes = [r[0] for r in rows(store, "SELECT uscc FROM enterprise WHERE uscc IS NOT NULL")]
        assert_rows_equal_ops(store)
    assert counts["enterprise"] == 2000
    assert len(set(codes)) == len(codes)
    assert counts["officer"] == 50
    assert counts["project"] <= 800
    assert counts["visit"] <= 2 * 3000
    assert counts["meeting"] <= 32 + 7 + 1
    assert counts["activity"] <= 21 + 17


def test_demo_is_used_as_one_of_its_lead_officers(tmp_path: Path) -> None:
    with Store(tmp_path / "officer.db") as store:
        build_demo(store, size=60)
        officer_id = store.meta("officer_id")
        assert officer_id is not None
        assert store.officers.require(officer_id).role == "cso"
