"""The ledger query: keyset paging both ways, every sort, filters that combine, counts."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path

import pytest

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store import ledger as ledger_mod
from fieldtui.store.ledger import (
    SORT_COLUMNS,
    LedgerFilter,
    LedgerQuery,
    LedgerRow,
    LedgerSort,
    prepare_ledger,
)

TODAY = date.today()
SYLLABLES = "浩海环保博俊华音日德东风灵广上阿尔卑斯家居智盛简美格绿朗"
STATUSES = ["operating", "operating", "building", "trial", "lead", "signed", "suspended"]


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    rng = random.Random(11)
    s = Store(tmp_path_factory.mktemp("ledger") / "ledger.db")
    with s.batch():
        officers = [s.officers.create(rec.Officer(name=f"官员{i}")).id for i in range(5)]
        for i in range(400):
            name = ("广东" if i % 3 == 0 else "") + "".join(rng.choice(SYLLABLES) for _ in range(3))
            e = s.enterprises.create(
                rec.Enterprise(
                    name=name + "有限公司",
                    uscc=None if i % 5 == 0 else f"9144128{i:011d}",
                    industry=rng.choice(["C", "C", "F", "I", None]),
                    status=rng.choice(STATUSES),
                    tags=["重点"] if i % 7 == 0 else [],
                )
            )
            if i % 4:
                s.assignments.create(
                    rec.Assignment(
                        year=TODAY.year, officer_id=officers[i % 5], enterprise_id=e.id, role="cso"
                    )
                )
            if i % 2:
                s.visits.create(
                    rec.Visit(date=TODAY - timedelta(days=rng.randint(0, 90)), enterprise_id=e.id)
                )
            if i % 6 == 0:
                s.problems.create(
                    rec.Problem(
                        enterprise_id=e.id,
                        description="供电",
                        status=rng.choice(["new", "in_progress", "resolved"]),
                        deadline=TODAY + timedelta(days=rng.randint(-20, 20)),
                    )
                )
    prepare_ledger(s.db)
    return s


def all_rows(query: LedgerQuery) -> list[LedgerRow]:
    return query.first_page(100_000)


FILTERS = [
    LedgerFilter(),
    LedgerFilter(text="广东"),
    LedgerFilter(text="g"),
    LedgerFilter(status="building"),
    LedgerFilter(industry="C", text="有限"),
    LedgerFilter(tag="重点"),
    LedgerFilter(overdue=True),
    LedgerFilter(no_visit_days=30),
]


@pytest.mark.parametrize("column", list(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("flt", FILTERS, ids=lambda f: repr(f)[13:60])
def test_paging_agrees_with_one_big_page(
    store: Store, column: str, descending: bool, flt: LedgerFilter
) -> None:
    query = LedgerQuery(store.db, flt, LedgerSort(column, descending))
    rows = all_rows(query)
    assert len(rows) == query.count()
    keys = [r.key for r in rows]
    assert keys == sorted(keys, reverse=descending)
    ids = [r.id for r in rows]

    forward: list[LedgerRow] = []
    key = None
    while page := query.page_after(key, 37):
        forward += page
        key = page[-1].key
    assert [r.id for r in forward] == ids

    backward: list[LedgerRow] = []
    key = None
    while page := query.page_before(key, 37):
        backward = page + backward
        key = page[0].key
    assert [r.id for r in backward] == ids

    assert [r.id for r in query.last_page(10)] == ids[-10:]
    fresh = LedgerQuery(store.db, flt, LedgerSort(column, descending))
    for offset in (0, 3, len(ids) // 2, max(0, len(ids) - 25), 40, 41):
        assert [r.id for r in query.rows_at(offset, 25)] == ids[offset : offset + 25]
        assert [r.id for r in fresh.fetch(offset, 25)] == ids[offset : offset + 25]


def test_walk_and_sort_plans_agree(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    """A searched non-name sort walks the index or sorts the matches: same rows either way."""
    flt = LedgerFilter(text="公司")
    sort = LedgerSort("last_visit", True)
    expected = [r.id for r in all_rows(LedgerQuery(store.db, flt, sort))]
    monkeypatch.setattr(ledger_mod, "SORT_LIMIT", 0)  # force the walk
    for budget in (3, 10_000):
        monkeypatch.setattr(ledger_mod, "WALK_BUDGET", budget)
        query = LedgerQuery(store.db, flt, sort)
        got: list[str] = []
        key = None
        while page := query.page_after(key, 20):
            got += [r.id for r in page]
            key = page[-1].key
        assert got == expected


def test_default_order_is_pinyin_of_the_name(store: Store) -> None:
    rows = all_rows(LedgerQuery(store.db))
    keys = [
        store.db.execute_sql(
            "SELECT name_key FROM enterprise_ledger WHERE id = ?", (r.id,)
        ).fetchone()[0]
        for r in rows
    ]
    assert keys == sorted(keys)


def test_status_sorts_in_workflow_order(store: Store) -> None:
    statuses = [r.status for r in all_rows(LedgerQuery(store.db, sort=LedgerSort("status")))]
    order = ["lead", "signed", "building", "trial", "operating", "suspended"]
    assert statuses == sorted(statuses, key=order.index)


def test_filters_combine(store: Store) -> None:
    everything = all_rows(LedgerQuery(store.db))
    combined = LedgerFilter(status="operating", industry="C", text="广东")
    rows = all_rows(LedgerQuery(store.db, combined))
    assert rows
    assert all(r.status == "operating" and r.industry == "C" for r in rows)
    assert all(r.name.startswith("广东") for r in rows)
    expected = [
        r.id
        for r in everything
        if r.status == "operating" and r.industry == "C" and r.name.startswith("广东")
    ]
    assert [r.id for r in rows] == expected
    assert LedgerQuery(store.db, combined).count() == len(expected)


def test_overdue_and_no_visit_filters(store: Store) -> None:
    overdue = all_rows(LedgerQuery(store.db, LedgerFilter(overdue=True)))
    assert overdue and all(r.overdue and r.open_problems > 0 for r in overdue)
    stale = all_rows(LedgerQuery(store.db, LedgerFilter(no_visit_days=30)))
    cutoff = TODAY - timedelta(days=30)
    assert stale and all(r.last_visit is None or r.last_visit < cutoff for r in stale)
    everything = all_rows(LedgerQuery(store.db))
    assert len(stale) == sum(1 for r in everything if r.last_visit is None or r.last_visit < cutoff)


def test_officer_and_tag_filters(store: Store) -> None:
    officer = store.officers.list()[0]
    rows = all_rows(LedgerQuery(store.db, LedgerFilter(officer_id=officer.id)))
    assert rows and all(r.lead_officer == officer.name for r in rows)
    tagged = all_rows(LedgerQuery(store.db, LedgerFilter(tag="重点")))
    assert len(tagged) == len(store.enterprises.list()) // 7 + 1
    assert all_rows(LedgerQuery(store.db, LedgerFilter(tag="重"))) == []  # whole tags only


def test_count_follows_writes_with_a_new_query(tmp_path: Path) -> None:
    s = Store(tmp_path / "w.db")
    first = s.enterprises.create(rec.Enterprise(name="甲公司"))
    s.enterprises.create(rec.Enterprise(name="乙公司"))
    assert LedgerQuery(s.db).count() == 2
    s.enterprises.delete(first.id)
    assert LedgerQuery(s.db).count() == 1
    assert [r.name for r in all_rows(LedgerQuery(s.db))] == ["乙公司"]


def test_unknown_sort_column_is_refused() -> None:
    with pytest.raises(ValueError):
        LedgerSort("colour")


def test_ranks_stored_by_an_older_status_list_are_recomputed(tmp_path: Path) -> None:
    """半停产 and 迁出 came between existing statuses, which moved the ranks after them: a
    ledger ranked by the older list must not filter 已注销 by a number it no longer has."""
    s = Store(tmp_path / "old.db")
    for name, status in [("甲", "closed"), ("乙", "suspended"), ("丙", "partial"), ("丁", "lead")]:
        s.enterprises.create(rec.Enterprise(name=f"{name}公司", status=status))
    older = {"lead": 0, "signed": 1, "building": 2, "trial": 3, "operating": 4, "suspended": 5,
             "closed": 6}  # fmt: skip
    with s.db.atomic():
        for code, rank in older.items():
            s.db.execute_sql(
                "UPDATE enterprise_ledger SET status_rank = ? WHERE status = ?", (rank, code)
            )
        s.db.execute_sql("UPDATE meta SET value = ? WHERE key = 'status_order'", (",".join(older),))
    assert prepare_ledger(s.db)
    closed = all_rows(LedgerQuery(s.db, LedgerFilter(status="closed")))
    assert [r.name for r in closed] == ["甲公司"]
    by_status = all_rows(LedgerQuery(s.db, sort=LedgerSort("status")))
    assert [r.status for r in by_status] == ["lead", "partial", "suspended", "closed"]
    assert not prepare_ledger(s.db)  # once only
