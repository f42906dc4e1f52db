"""Reports on small hand-built stores: every expected figure is counted by hand in the
comments beside the records, not by running the reports' SQL a second way."""

from __future__ import annotations

import csv
import errno
import io
import json
import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from fieldtui.domain import records as rec
from fieldtui.domain.checklists import Answer
from fieldtui.reports.monthly import monthly_report
from fieldtui.reports.periods import Period, month_period
from fieldtui.reports.ranking import COMPONENTS, check_weights, ranking
from fieldtui.reports.summary import summary
from fieldtui.store import Store
from fieldtui.store.checklists import (
    current_checklist,
    ensure_checklists,
    save_duty_check,
    save_self_check,
)

D = date
MARCH = Period(D(2025, 3, 1), D(2025, 3, 31))
TODAY = D(2025, 6, 1)


def _visit(store: Store, day: date, enterprise: str, kind: str, *officers: str) -> str:
    visit = store.visits.create(rec.Visit(date=day, enterprise_id=enterprise, kind=kind))
    for officer in officers:
        store.visit_officers.link(visit.id, officer)
    return visit.id


def _breach(store: Store, visit_id: str, officer_id: str, note: str) -> None:
    ensure_checklists(store)
    negative = current_checklist(store, "negative")
    answers = {item.id: Answer("kept") for item in negative.items}
    answers[negative.items[0].id] = Answer("breached", note)
    save_self_check(store, visit_id, negative.template_id, answers, officer_id=officer_id)


def _duty_done(store: Store, officer_id: str, month: str) -> None:
    ensure_checklists(store)
    duty = current_checklist(store, "duty")
    answers = {item.id: Answer("done") for item in duty.items}
    save_duty_check(store, officer_id, month, duty.template_id, answers)


@pytest.fixture
def zone(tmp_store: Store) -> dict[str, str]:
    """March 2025 in a small zone; the ids by short name."""
    s = tmp_store
    ids: dict[str, str] = {}
    ids["A"] = s.officers.create(rec.Officer(name="张伟", unit="经发局")).id
    ids["B"] = s.officers.create(rec.Officer(name="李明")).id
    for name in ("E1", "E2", "E3", "E4", "E5"):
        ids[name] = s.enterprises.create(rec.Enterprise(name=f"肇庆{name}有限公司")).id
    # this year's plan: A leads E1, E2, E3; B assists on E1; A's E4 is last year's; E5 deleted
    for officer, ent, year in [("A", "E1", 2025), ("A", "E2", 2025), ("A", "E3", 2025)]:
        s.assignments.create(
            rec.Assignment(year=year, officer_id=ids[officer], enterprise_id=ids[ent])
        )
    s.assignments.create(
        rec.Assignment(year=2025, officer_id=ids["B"], enterprise_id=ids["E1"], role="assist")
    )
    s.assignments.create(rec.Assignment(year=2024, officer_id=ids["A"], enterprise_id=ids["E4"]))
    gone = s.assignments.create(
        rec.Assignment(year=2025, officer_id=ids["A"], enterprise_id=ids["E5"])
    )
    s.assignments.delete(gone.id)

    # visits: in March v1 (first day), v2 (last day, A and B), v6; v3, v4 outside; v5 deleted
    ids["v1"] = _visit(s, D(2025, 3, 1), ids["E1"], "onsite", ids["A"])
    ids["v2"] = _visit(s, D(2025, 3, 31), ids["E2"], "phone", ids["A"], ids["B"])
    _visit(s, D(2025, 2, 28), ids["E3"], "onsite", ids["A"])
    _visit(s, D(2025, 4, 1), ids["E3"], "onsite", ids["A"])
    s.visits.delete(_visit(s, D(2025, 3, 15), ids["E3"], "policy", ids["A"]))
    _visit(s, D(2025, 3, 10), ids["E1"], "revisit", ids["B"])

    def problem(**kw: Any) -> rec.Problem:
        return s.problems.create(rec.Problem(enterprise_id=ids["E1"], description="蒸汽管道", **kw))

    A, B = ids["A"], ids["B"]
    # p1 raised on the first day, resolved on the last (after its deadline)
    problem(
        raised_on=D(2025, 3, 1),
        category="factors",
        status="resolved",
        resolved_on=D(2025, 3, 31),
        deadline=D(2025, 3, 20),
        officer_id=A,
    )
    # p2 raised before, resolved after March: open during it, and past its deadline
    problem(
        raised_on=D(2025, 2, 10),
        category="financing",
        status="resolved",
        resolved_on=D(2025, 4, 2),
        deadline=D(2025, 3, 15),
        officer_id=A,
    )
    # p3 raised in March, still in progress, deadline later
    problem(
        raised_on=D(2025, 3, 5),
        category="labour",
        status="in_progress",
        deadline=D(2025, 4, 30),
        officer_id=A,
    )
    # p4 deleted
    s.problems.delete(problem(raised_on=D(2025, 3, 6), category="labour", officer_id=A).id)
    # p5 raised and resolved before March
    problem(
        raised_on=D(2025, 1, 1),
        category="other",
        status="resolved",
        resolved_on=D(2025, 2, 1),
        officer_id=A,
    )
    # p6 B's, raised in March, found unresolvable
    problem(raised_on=D(2025, 3, 20), category="approval", status="unresolvable", officer_id=B)

    for day, kind in [
        (D(2025, 3, 1), "coordination"),
        (D(2025, 3, 31), "forum"),
        (D(2025, 4, 1), "joint"),
    ]:
        s.meetings.create(rec.Meeting(date=day, kind=kind, topic="协调会"))
    s.meetings.delete(s.meetings.create(rec.Meeting(date=D(2025, 3, 10), kind="joint")).id)

    def activity(day: date, kind: str, *enterprises: str) -> str:
        a = s.activities.create(rec.Activity(date=day, kind=kind, place="深圳"))
        for e in enterprises:
            s.activity_enterprises.link(a.id, ids[e])
        return a.id

    t1 = activity(D(2025, 3, 2), "trip_out", "E1", "E2", "E3")
    s.activity_enterprises.unlink(t1, ids["E3"])  # taken off the list: 2 entries
    activity(D(2025, 3, 31), "trip_out", "E1")  # E1 again: counts once more
    activity(D(2025, 2, 27), "trip_out", "E3")  # outside
    activity(D(2025, 3, 3), "reception")
    s.activities.delete(activity(D(2025, 3, 4), "trip_out", "E3"))

    def project(name: str, ent: str | None, **kw: Any) -> str:
        return s.projects.create(
            rec.Project(name=name, enterprise_id=ids[ent] if ent else None, **kw)
        ).id

    money = Decimal
    project(
        "P1",
        "E1",
        source="attracted",
        signed_on=D(2025, 3, 1),
        land_on=D(2025, 3, 5),
        started_on=D(2025, 3, 5),
        planned_investment_wan=money("1234.50"),
    )
    project(
        "P2",
        "E2",
        source="attracted",
        signed_on=D(2025, 3, 31),
        land_on=D(2025, 1, 1),
        started_on=D(2025, 3, 11),
        trial_on=D(2025, 3, 31),
        planned_investment_wan=money("100"),
    )
    project(
        "P3", "E4", source="attracted", signed_on=D(2025, 4, 1), planned_investment_wan=money("999")
    )
    project(
        "P4",
        None,
        source="expansion",
        revitalized=True,
        signed_on=D(2025, 3, 10),
        planned_investment_wan=money("500"),
    )
    project(
        "P5",
        None,
        source="revitalized",
        revitalized=True,
        signed_on=D(2025, 1, 15),
        land_on=D(2025, 2, 1),
    )
    s.projects.delete(
        project(
            "P6",
            None,
            source="attracted",
            signed_on=D(2025, 3, 15),
            planned_investment_wan=money("7"),
        )
    )

    _breach(s, ids["v1"], A, "接受企业宴请")
    _duty_done(s, A, "2025-03")
    return ids


def test_summary_counts_by_hand(tmp_store: Store, zone: dict[str, str]) -> None:
    data = summary(tmp_store, MARCH, today=TODAY)
    assert data["from"] == "2025-03-01" and data["to"] == "2025-03-31"
    # v1 (1 March), v2 (31 March), v6; not v3, v4 (outside) nor v5 (deleted); E1 and E2
    assert data["visits"]["total"] == 3
    assert data["visits"]["enterprises"] == 2
    assert data["visits"]["by_kind"] == {
        "onsite": 1,
        "door_to_door": 0,
        "policy": 0,
        "phone": 1,
        "wechat": 0,
        "revisit": 1,
    }
    problems = data["problems"]
    # raised p1, p3, p6; resolved p1 only (p2 after, p5 before); open at the end p2, p3;
    # overdue p2 (deadline 15 March)
    assert (problems["raised"], problems["resolved"]) == (3, 1)
    assert (problems["in_progress"], problems["overdue"]) == (2, 1)
    by = problems["by_category"]
    assert by["factors"] == {"raised": 1, "resolved": 1, "in_progress": 0, "overdue": 0}
    assert by["financing"] == {"raised": 0, "resolved": 0, "in_progress": 1, "overdue": 1}
    assert by["labour"] == {"raised": 1, "resolved": 0, "in_progress": 1, "overdue": 0}
    assert by["approval"] == {"raised": 1, "resolved": 0, "in_progress": 0, "overdue": 0}
    assert by["other"] == {"raised": 0, "resolved": 0, "in_progress": 0, "overdue": 0}
    assert data["meetings"] == {"total": 2, "by_kind": {"coordination": 1, "joint": 0, "forum": 1}}
    assert data["investment"] == {
        "trips_out": 2,  # 2 and 31 March; not 27 February, not the deleted one
        "enterprises_visited_on_trips": 3,  # E1, E2 on the first, E1 on the second
        "receptions": 1,
        "projects_introduced": 2,  # P1, P2 (P3 in April, P4 expansion, P6 deleted)
        "planned_investment_wan": 1334.5,
    }
    assert data["projects"] == {
        "revitalized": 1,  # P4 (P5 signed and given land before March)
        "same_year": 0,
        "land_to_start_days_median": 34.5,  # P1 0 days (拿地即开工), P2 69 days
        "land_to_trial_days_median": 89,  # P2: 1 January to 31 March
    }
    assert list(data) == ["from", "to", "visits", "problems", "meetings", "investment", "projects"]


def test_same_year_projects_and_a_period_ending_before_a_resolution(tmp_store: Store) -> None:
    s = tmp_store
    ent = s.enterprises.create(rec.Enterprise(name="华音")).id
    s.projects.create(
        rec.Project(
            name="同年",
            enterprise_id=ent,
            signed_on=D(2024, 2, 1),
            started_on=D(2024, 3, 1),
            completed_on=D(2024, 9, 1),
            production_on=D(2024, 12, 31),
        )
    )
    s.projects.create(
        rec.Project(
            name="跨年",
            enterprise_id=ent,
            signed_on=D(2024, 12, 1),
            started_on=D(2025, 1, 2),
            completed_on=D(2025, 2, 1),
            production_on=D(2025, 3, 1),
        )
    )
    two_years = Period(D(2024, 1, 1), D(2025, 12, 31))
    assert summary(s, two_years, today=TODAY)["projects"]["same_year"] == 1
    assert (
        summary(s, Period(D(2024, 1, 1), D(2024, 12, 30)), today=TODAY)["projects"]["same_year"]
        == 0
    )  # production on 31 December is outside


def test_a_range_must_not_end_before_it_starts() -> None:
    with pytest.raises(ValueError):
        Period(D(2025, 2, 1), D(2025, 1, 31))
    assert month_period("2024-02") == Period(D(2024, 2, 1), D(2024, 2, 29))
    with pytest.raises(ValueError):
        month_period("2026-13")


def test_monthly_report_of_an_officer(tmp_store: Store, zone: dict[str, str]) -> None:
    data = monthly_report(tmp_store, MARCH, officer_id=zone["A"], today=TODAY)
    assert data["month"] == "2025-03"
    assert data["officer"] == {"id": zone["A"], "name": "张伟", "unit": "经发局"}
    # A: v1 on E1, v2 on E2 (v6 is B's alone, v5 deleted)
    assert data["visits"]["total"] == 2 and data["visits"]["enterprises"] == 2
    # A's plan this year: E1, E2, E3 (E4 is 2024's, E5's assignment deleted)
    assert [e["id"] for e in data["not_visited"]] == [zone["E3"]]
    # p6 is B's: A raised p1, p3; resolved p1; open p2, p3; overdue p2
    p = data["problems"]
    assert (p["raised"], p["resolved"], p["in_progress"], p["overdue"]) == (2, 1, 2, 1)
    # A is assigned E1 (P1: signed 1st, land 5th, started 5th) and E2 (P2: started 11th,
    # signed 31st, trial 31st); P3 is E4's (last year's plan), P4/P5 have no enterprise
    got = [(m["date"], m["project"], m["milestone"]) for m in data["milestones"]]
    assert got == [
        ("2025-03-01", "P1", "signed"),
        ("2025-03-05", "P1", "land"),
        ("2025-03-05", "P1", "started"),
        ("2025-03-11", "P2", "started"),
        ("2025-03-31", "P2", "signed"),
        ("2025-03-31", "P2", "trial"),
    ]
    assert [(d["officer"], d["complete"], d["not_done"]) for d in data["duty"]] == [
        ("张伟", True, [])
    ]
    assert [(b["date"], b["officer"], b["note"]) for b in data["breaches"]] == [
        ("2025-03-01", "张伟", "接受企业宴请")
    ]
    assert "plan" not in data  # no place in the store for the next month's plan


def test_monthly_report_of_the_zone(tmp_store: Store, zone: dict[str, str]) -> None:
    data = monthly_report(tmp_store, MARCH, today=TODAY)
    assert data["officer"] is None
    assert data["visits"]["total"] == 3
    assert [e["id"] for e in data["not_visited"]] == [zone["E3"]]  # nobody visited E3
    # every live project: P1 3, P2 3, P4 1 (P3 in April, P5 before, P6 deleted)
    assert len(data["milestones"]) == 7
    # both officers are on this year's plan; B did not answer the duty list
    assert [(d["officer"], d["complete"], d["answered"]) for d in data["duty"]] == [
        ("张伟", True, 8),
        ("李明", False, 0),
    ]
    april = monthly_report(tmp_store, month_period("2025-04"), today=TODAY)
    assert april["breaches"] == []  # the breach was in March


# --------------------------------------------------------------------------- ranking


@pytest.fixture
def january(tmp_store: Store) -> dict[str, str]:
    """Two officers, ranked on 12 January 2025: two weeks of the year (Mondays 30 December
    and 6 January)."""
    s = tmp_store
    A = s.officers.create(rec.Officer(name="张伟")).id
    B = s.officers.create(rec.Officer(name="李明")).id
    e1 = s.enterprises.create(rec.Enterprise(name="博俊")).id
    e2 = s.enterprises.create(rec.Enterprise(name="日德")).id
    for officer, ent in [(A, e1), (A, e2), (B, e1)]:
        s.assignments.create(rec.Assignment(year=2025, officer_id=officer, enterprise_id=ent))
    # A: out visiting in both weeks (twice in the first): 2 of 2 weeks
    _visit(s, D(2025, 1, 2), e1, "onsite", A)
    _visit(s, D(2025, 1, 8), e1, "onsite", A)
    _visit(s, D(2025, 1, 3), e2, "onsite", A)
    _visit(s, D(2025, 1, 4), e2, "phone", A)  # same week again: no more
    # B: in the second week only: 1 of 2
    b_visit = _visit(s, D(2025, 1, 10), e1, "onsite", B)
    # A: one of two raised resolved (on time, satisfied); B: one of one, late, basic
    s.problems.create(
        rec.Problem(
            enterprise_id=e1,
            raised_on=D(2025, 1, 2),
            status="resolved",
            resolved_on=D(2025, 1, 5),
            deadline=D(2025, 1, 10),
            satisfaction="satisfied",
            officer_id=A,
        )
    )
    s.problems.create(rec.Problem(enterprise_id=e2, raised_on=D(2025, 1, 3), officer_id=A))
    s.problems.create(
        rec.Problem(
            enterprise_id=e1,
            raised_on=D(2025, 1, 2),
            status="resolved",
            resolved_on=D(2025, 1, 11),
            deadline=D(2025, 1, 5),
            satisfaction="basic",
            officer_id=B,
        )
    )
    _duty_done(s, A, "2025-01")  # A files January's report; B does not
    return {"A": A, "B": B, "b_visit": b_visit}


def test_ranking_measures_and_default_weights(tmp_store: Store, january: dict[str, str]) -> None:
    scores = ranking(tmp_store, 2025, today=D(2025, 1, 12))
    by_name = {s.name: s for s in scores}
    assert by_name["张伟"].measures == {
        "visits": 1.0,
        "resolution": 0.5,
        "on_time": 1.0,
        "satisfaction": 1.0,
        "projects": None,
        "monthly_report": 1.0,
    }
    assert by_name["李明"].measures == {
        "visits": 0.5,
        "resolution": 1.0,
        "on_time": 0.0,
        "satisfaction": 0.5,
        "projects": None,
        "monthly_report": 0.0,
    }
    # weights 20, 25, 10, 25, 5 (projects does not apply): 85 in all
    # 张伟: 20 + 12.5 + 10 + 25 + 5 = 72.5 → 85.3; 李明: 10 + 25 + 0 + 12.5 + 0 = 47.5 → 55.9
    assert [(s.rank, s.name, s.score) for s in scores] == [(1, "张伟", 85.3), (2, "李明", 55.9)]
    assert all(s.eligible for s in scores)


def test_weights_change_the_order(tmp_store: Store, january: dict[str, str]) -> None:
    only_resolution = dict.fromkeys(COMPONENTS, 0.0) | {"resolution": 25.0}
    scores = ranking(tmp_store, 2025, weights=only_resolution, today=D(2025, 1, 12))
    assert [(s.name, s.score) for s in scores] == [("李明", 100.0), ("张伟", 50.0)]


def test_a_breach_excludes_the_officer_from_the_award(
    tmp_store: Store, january: dict[str, str]
) -> None:
    _breach(tmp_store, january["b_visit"], january["B"], "收受购物卡")
    scores = {s.name: s for s in ranking(tmp_store, 2025, today=D(2025, 1, 12))}
    assert scores["李明"].eligible is False
    assert [b.note for b in scores["李明"].breaches] == ["收受购物卡"]
    assert scores["李明"].as_dict()["eligible"] is False
    assert scores["张伟"].eligible is True
    # a breach in the visit of another year does not veto this one
    assert all(s.eligible for s in ranking(tmp_store, 2024, today=D(2025, 1, 12)))


def test_weights_are_checked() -> None:
    assert check_weights({"satisfaction": 30})["satisfaction"] == 30
    for bad in ({"speed": 1}, {"visits": -1}, dict.fromkeys(COMPONENTS, 0)):
        with pytest.raises(ValueError):
            check_weights(bad)


def test_settings_know_the_ranking_components() -> None:
    from fieldtui.config import RANKING_WEIGHTS

    assert RANKING_WEIGHTS == COMPONENTS


def test_settings_ranking_table(tmp_path: Path) -> None:
    from fieldtui.config import ConfigError, load_settings

    path = tmp_path / "settings.toml"
    path.write_text("[ranking]\nsatisfaction = 30\nvisits = 0\n", encoding="utf-8")
    assert load_settings(path).ranking == {"satisfaction": 30.0, "visits": 0.0}
    path.write_text("[ranking]\nspeed = 3\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"ranking\.speed"):
        load_settings(path)


# --------------------------------------------------------------------------- command line


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from fieldtui.cli import main

    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_summary_json_is_the_domain_shape(
    tmp_store: Store, zone: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_store.path)
    code, out, _err = _cli(
        capsys,
        "--db",
        db,
        "--json",
        "report",
        "summary",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
    )
    assert code == 0
    data = json.loads(out)
    assert list(data) == ["from", "to", "visits", "problems", "meetings", "investment", "projects"]
    assert list(data["visits"]) == ["total", "enterprises", "by_kind"]
    assert list(data["problems"]) == ["raised", "resolved", "in_progress", "overdue", "by_category"]
    assert list(data["meetings"]) == ["total", "by_kind"]
    assert list(data["investment"]) == [
        "trips_out",
        "enterprises_visited_on_trips",
        "receptions",
        "projects_introduced",
        "planned_investment_wan",
    ]
    assert list(data["projects"]) == [
        "revitalized",
        "same_year",
        "land_to_start_days_median",
        "land_to_trial_days_median",
    ]
    assert data["investment"]["planned_investment_wan"] == 1334.5


def test_cli_month_and_ranking_in_chinese(
    tmp_store: Store, zone: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_store.path)
    code, out, _err = _cli(
        capsys,
        "--db",
        db,
        "--lang",
        "zh",
        "report",
        "monthly",
        "--month",
        "2025-03",
        "--officer",
        "张伟",
    )
    assert code == 0
    assert "走访信息月报：2025年3月，张伟（经发局）" in out
    assert "挂点企业未走访：1家" in out
    code, out, _err = _cli(
        capsys, "--db", db, "--lang", "zh", "report", "ranking", "--year", "2025"
    )
    assert code == 0
    assert "2025年度优秀首席服务官评选" in out
    assert "一票否决" in out  # 张伟's breach


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "monthly", "--month", "2026-13"], "2026-13"),
        (["report", "summary", "--from", "2025-02-01", "--to", "2025-01-01"], "--from"),
        (["report", "summary", "--from", "2025-02-30", "--to", "2025-03-01"], "--from"),
        (["report", "ranking", "--year", "20x5"], "20x5"),
        (["report", "ranking", "--year", "2025", "--weight", "speed=3"], "speed"),
        (["report", "ranking", "--year", "2025", "--format", "xlsx"], "-o"),
    ],
)
def test_cli_bad_input_is_one_line_and_exit_1(
    tmp_store: Store, capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _out, err = _cli(capsys, "--db", str(tmp_store.path), *argv)
    assert code == 1
    assert message in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_cli_missing_option_is_a_usage_error(
    tmp_store: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = _cli(
        capsys, "--db", str(tmp_store.path), "report", "summary", "--from", "2025-01-01"
    )
    assert code == 2
    assert "--to" in err


# --------------------------------------------------------------------------- formats and files


def _summary_to(capsys: pytest.CaptureFixture[str], db: str, *extra: str) -> tuple[int, str, str]:
    return _cli(
        capsys,
        "--db",
        db,
        "--lang",
        "zh",
        "report",
        "summary",
        "--from",
        "2025-03-01",
        "--to",
        "2025-03-31",
        *extra,
    )


def test_summary_written_as_each_format(
    tmp_store: Store, zone: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    db = str(tmp_store.path)
    for fmt in ("md", "csv", "xlsx", "json"):
        target = tmp_path / f"汇总.{fmt}"
        code, out, err = _summary_to(capsys, db, "--format", fmt, "-o", str(target))
        assert code == 0, err
        assert out.strip().splitlines() == [f"{target}：报表已写入（{fmt}）"]
    md = (tmp_path / "汇总.md").read_text(encoding="utf-8")
    assert md.startswith("# 工作汇总：2025年3月1日至2025年3月31日\n")
    assert "| 计划投资（万元） | 1334.5 |" in md
    raw = (tmp_path / "汇总.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["指标", "数值"]
    assert ["计划投资（万元）", "1334.5"] in rows
    book = load_workbook(tmp_path / "汇总.xlsx")
    assert book.sheetnames == ["概览", "诉求分类"]
    sheet = book["概览"]
    found = {row[0]: row[1] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert found["计划投资（万元）"] == 1334.5
    assert sheet.column_dimensions["A"].width > len("计划投资（万元）")
    data = json.loads((tmp_path / "汇总.json").read_text(encoding="utf-8"))
    assert data["investment"]["planned_investment_wan"] == 1334.5


def test_the_format_follows_the_file_name(
    tmp_store: Store, zone: dict[str, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from openpyxl import load_workbook

    target = tmp_path / "月报.xlsx"
    code, _out, err = _cli(
        capsys,
        "--db",
        str(tmp_store.path),
        "--lang",
        "zh",
        "report",
        "monthly",
        "--month",
        "2025-03",
        "-o",
        str(target),
    )
    assert code == 0, err
    book = load_workbook(target)
    assert book.sheetnames[:2] == ["概览", "诉求分类"]
    assert "挂点企业未走访" in book.sheetnames and "负面清单有违反" in book.sheetnames


def test_stdout_formats_and_json_equivalence(
    tmp_store: Store, zone: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_store.path)
    code, md, _err = _summary_to(capsys, db, "--format", "md")
    assert code == 0 and md.startswith("# 工作汇总") and "| 1334.5 |" in md
    code, text, _err = _summary_to(capsys, db, "--format", "csv")
    assert code == 0 and "计划投资（万元）,1334.5\n" in text and "\r" not in text
    _code, as_json, _err = _summary_to(capsys, db, "--json")
    _code, as_format, _err = _summary_to(capsys, db, "--format", "json")
    assert json.loads(as_json) == json.loads(as_format)
    code, out, _err = _cli(
        capsys, "--db", db, "--lang", "zh", "report", "ranking", "--year", "2025", "--format", "csv"
    )
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][:4] == ["名次", "人员", "单位", "得分"]
    assert {r[1] for r in rows[1:]} >= {"张伟"}


def test_xlsx_is_not_printed(
    tmp_store: Store, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _summary_to(capsys, str(tmp_store.path), "--format", "xlsx")
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "-o" in err


@pytest.mark.parametrize("where", ["missing folder", "read-only disk", "a folder"])
def test_an_unwritable_file_is_one_line(
    tmp_store: Store,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    where: str,
) -> None:
    db = str(tmp_store.path)  # opened before os.replace refuses (the tests run as root,
    target = tmp_path / "汇总.md"  # so a chmod'ed folder would not refuse anything)
    if where == "missing folder":
        target = tmp_path / "nowhere" / "汇总.md"
    elif where == "a folder":
        target = tmp_path
    else:

        def read_only(src: object, dst: object) -> None:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(dst))

        monkeypatch.setattr(os, "replace", read_only)
    code, out, err = _summary_to(capsys, db, "--format", "md", "-o", str(target))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and str(target) in err
    assert "Traceback" not in err
    assert not target.is_file()
    assert not list(tmp_path.rglob("*.tmp"))  # the temporary file is gone too


def test_text_from_people_never_becomes_a_formula() -> None:
    from openpyxl import load_workbook

    from fieldtui.reports.render import csv_text, xlsx_bytes
    from fieldtui.reports.tables import Report, Table

    table = Table("名单", ["企业", "数值"], [["=HYPERLINK(1)", -3], ["+1", 2.5]])
    report = Report("标题", [table], table)
    rows = list(csv.reader(io.StringIO(csv_text(report))))
    assert rows[1:] == [["'=HYPERLINK(1)", "-3"], ["'+1", "2.5"]]
    sheet = load_workbook(io.BytesIO(xlsx_bytes(report)))["名单"]
    assert sheet["A2"].value == "=HYPERLINK(1)" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == -3
