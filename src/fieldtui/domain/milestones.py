"""Project milestones: their order, the stage they make, and which dates are plausible.

Kept apart from :mod:`fieldtui.domain.validators` (which checks single values as typed)
because these rules read a project's dates together; sheets, the detail timeline and the
demo use them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from fieldtui.domain.enums import ProjectStage
from fieldtui.i18n import N_
from fieldtui.i18n import _ as _gettext

__all__ = ["MILESTONES", "Issue", "check_project_dates", "project_stage"]


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params)


MILESTONES: tuple[tuple[str, ProjectStage], ...] = (
    ("signed_on", ProjectStage.SIGNED),
    ("land_on", ProjectStage.LAND),
    ("started_on", ProjectStage.STARTED),
    ("completed_on", ProjectStage.COMPLETED),
    ("trial_on", ProjectStage.TRIAL),
    ("production_on", ProjectStage.PRODUCTION),
)
"""Project date fields in pipeline order, each with the stage it marks."""


_MILESTONE_NAMES = {
    "signed_on": N_("signing"),
    "land_on": N_("land supply"),
    "started_on": N_("construction start"),
    "completed_on": N_("completion"),
    "trial_on": N_("trial production"),
    "production_on": N_("production"),
}

_EARLIEST_PLAUSIBLE = date(1990, 1, 1)
_MAX_YEARS_AHEAD = 5


@dataclass(frozen=True, slots=True)
class Issue:
    """A finding about one field; ``field`` is the record attribute, e.g. ``started_on``."""

    level: Literal["error", "warning"]
    field: str
    message: str


def check_project_dates(
    signed: date | None,
    land: date | None,
    started: date | None,
    completed: date | None,
    trial: date | None,
    production: date | None,
    *,
    today: date | None = None,
) -> list[Issue]:
    """Plausibility of a project's milestone dates.

    Only impossible dates are errors (before 1990 or more than five years ahead: typos).
    Out-of-order milestones are warnings, because projects are recorded late and in any
    order, and some really do get land before the contract is signed.
    """
    today = today or date.today()
    latest_plausible = _add_years(today, _MAX_YEARS_AHEAD)
    issues: list[Issue] = []
    dates = (signed, land, started, completed, trial, production)
    # Latest earlier milestone seen so far, to compare each date against.
    previous: tuple[str, date] | None = None
    for (field, _stage), day in zip(MILESTONES, dates, strict=True):
        if day is None:
            continue
        name = _capitalise(_gettext(_MILESTONE_NAMES[field]))
        if day < _EARLIEST_PLAUSIBLE:
            issues.append(
                Issue("error", field, _("{name} date {day} is before 1990", name=name, day=day))
            )
            continue
        if day > latest_plausible:
            issues.append(
                Issue(
                    "error",
                    field,
                    _(
                        "{name} date {day} is more than {years} years in the future",
                        name=name,
                        day=day,
                        years=_MAX_YEARS_AHEAD,
                    ),
                )
            )
            continue
        if previous is not None and day < previous[1]:
            issues.append(
                Issue(
                    "warning",
                    field,
                    _(
                        "{name} ({day}) is earlier than {other} ({other_day})",
                        name=name,
                        day=day,
                        other=_gettext(_MILESTONE_NAMES[previous[0]]),
                        other_day=previous[1],
                    ),
                )
            )
        if previous is None or day > previous[1]:
            previous = (field, day)
    return issues


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap target year
        return date(day.year + years, 2, 28)


def project_stage(
    signed: date | None,
    land: date | None,
    started: date | None,
    completed: date | None,
    trial: date | None,
    production: date | None,
    *,
    as_of: date | None = None,
) -> ProjectStage:
    """The furthest milestone in pipeline order that has a date, not the most recent date.

    A project entered with a production date but no trial date is in production. ``as_of``
    ignores milestones dated later, for "stage at the end of that month" in reports.
    """
    stage = ProjectStage.NONE
    dates = (signed, land, started, completed, trial, production)
    for (_field, milestone), day in zip(MILESTONES, dates, strict=True):
        if day is not None and (as_of is None or day <= as_of):
            stage = milestone
    return stage
