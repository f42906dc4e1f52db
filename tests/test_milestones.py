"""Project milestone rules (domain.md, "Validation": dates)."""

from __future__ import annotations

from datetime import date

import pytest

from fieldtui.domain import milestones, validators
from fieldtui.domain.enums import ProjectStage
from fieldtui.domain.milestones import Issue, check_project_dates, project_stage
from fieldtui.domain.validators import check_uscc

TODAY = date(2025, 6, 1)


def _dates(**kwargs: date | None) -> dict[str, date | None]:
    names = ("signed", "land", "started", "completed", "trial", "production")
    return {name: kwargs.get(name) for name in names}


def test_project_dates_in_order_have_no_issues() -> None:
    dates = _dates(
        signed=date(2024, 1, 10),
        land=date(2024, 3, 1),
        started=date(2024, 3, 1),  # 拿地即开工
        completed=date(2024, 6, 30),
        trial=date(2024, 7, 15),
        production=date(2024, 9, 1),
    )
    assert check_project_dates(**dates, today=TODAY) == []


def test_project_dates_empty_is_fine() -> None:
    assert check_project_dates(**_dates(), today=TODAY) == []


def test_out_of_order_is_a_warning() -> None:
    issues = check_project_dates(
        **_dates(signed=date(2024, 5, 1), started=date(2024, 3, 1)), today=TODAY
    )
    assert [(i.level, i.field) for i in issues] == [("warning", "started_on")]
    assert "2024-03-01" in issues[0].message and "2024-05-01" in issues[0].message


def test_production_before_start_is_a_warning() -> None:
    issues = check_project_dates(
        **_dates(started=date(2024, 5, 1), production=date(2024, 4, 1)), today=TODAY
    )
    assert issues == [
        Issue(
            "warning",
            "production_on",
            "Production (2024-04-01) is earlier than construction start (2024-05-01)",
        )
    ]


def test_each_out_of_order_field_is_reported_once() -> None:
    issues = check_project_dates(
        **_dates(signed=date(2024, 9, 1), land=date(2024, 2, 1), started=date(2024, 3, 1)),
        today=TODAY,
    )
    assert [(i.level, i.field) for i in issues] == [
        ("warning", "land_on"),
        ("warning", "started_on"),
    ]


@pytest.mark.parametrize(
    ("day", "field"),
    [(date(1989, 12, 31), "signed_on"), (date(2030, 6, 2), "signed_on")],
)
def test_impossible_dates_are_errors(day: date, field: str) -> None:
    issues = check_project_dates(**_dates(signed=day), today=TODAY)
    assert [(i.level, i.field) for i in issues] == [("error", field)]


def test_error_dates_do_not_cause_order_warnings() -> None:
    issues = check_project_dates(
        **_dates(signed=date(2099, 1, 1), land=date(2024, 1, 1)), today=TODAY
    )
    assert [(i.level, i.field) for i in issues] == [("error", "signed_on")]


def test_five_years_ahead_is_still_plausible() -> None:
    assert check_project_dates(**_dates(production=date(2030, 6, 1)), today=TODAY) == []
    leap = date(2024, 2, 29)
    assert check_project_dates(**_dates(production=date(2029, 2, 28)), today=leap) == []


def test_messages_are_translated_before_formatting(monkeypatch: pytest.MonkeyPatch) -> None:
    catalogue = {
        "USCC must be 18 characters, got {n}": "统一社会信用代码应为18位，实为{n}位",
        "signing": "签约",
    }
    for module in (validators, milestones):
        monkeypatch.setattr(module, "_gettext", lambda s: catalogue.get(s, s))
    assert check_uscc("123").error == "统一社会信用代码应为18位，实为3位"
    issues = check_project_dates(**_dates(signed=date(1980, 1, 1)), today=TODAY)
    assert issues[0].message.startswith("签约")


@pytest.mark.parametrize(
    ("kwargs", "stage"),
    [
        ({}, ProjectStage.NONE),
        ({"signed": date(2024, 1, 1)}, ProjectStage.SIGNED),
        ({"signed": date(2024, 1, 1), "land": date(2024, 2, 1)}, ProjectStage.LAND),
        ({"started": date(2024, 2, 1)}, ProjectStage.STARTED),
        ({"completed": date(2024, 2, 1)}, ProjectStage.COMPLETED),
        ({"trial": date(2024, 2, 1)}, ProjectStage.TRIAL),
        ({"production": date(2023, 1, 1), "trial": date(2024, 2, 1)}, ProjectStage.PRODUCTION),
    ],
)
def test_project_stage_is_furthest_milestone(kwargs: dict[str, date], stage: ProjectStage) -> None:
    assert project_stage(**_dates(**kwargs)) is stage


def test_project_stage_as_of() -> None:
    dates = _dates(signed=date(2024, 1, 10), land=date(2024, 3, 1), started=date(2024, 4, 1))
    assert project_stage(**dates, as_of=date(2024, 3, 31)) is ProjectStage.LAND
    assert project_stage(**dates, as_of=date(2024, 1, 1)) is ProjectStage.NONE
    assert project_stage(**dates) is ProjectStage.STARTED
