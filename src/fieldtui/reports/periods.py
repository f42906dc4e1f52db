"""Date ranges the reports take: an inclusive range, a calendar month, a year.

Dates are stored as ISO text, so a range is compared as text in SQL (``date BETWEEN ? AND ?``);
these helpers keep the two ends right (inclusive, first and last day).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from statistics import median

from fieldtui.domain.checklists import parse_month


@dataclass(frozen=True, slots=True)
class Period:
    """Both ends included, as people say "from 1 January to 31 December"."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            msg = f"the range starts ({self.start}) after it ends ({self.end})"
            raise ValueError(msg)

    @property
    def bounds(self) -> tuple[str, str]:
        """ISO text of both ends, for ``BETWEEN ? AND ?``."""
        return self.start.isoformat(), self.end.isoformat()

    def holds(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end


def month_period(month: str) -> Period:
    """``YYYY-MM`` (or as :func:`parse_month` takes it) → its first to last day."""
    iso = parse_month(month)
    year, mon = int(iso[:4]), int(iso[5:7])
    return Period(date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1]))


def year_period(year: int) -> Period:
    return Period(date(year, 1, 1), date(year, 12, 31))


def day(value: object) -> date | None:
    """A stored ISO date, or None for empty or unreadable text (a row from a newer version)."""
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def number(value: Decimal | float | int) -> int | float:
    """A JSON number: whole values as int (the summary's 0, 5, 54800), others as float."""
    if isinstance(value, int):
        return value
    exact = Decimal(str(value)) if isinstance(value, float) else value
    return int(exact) if exact == exact.to_integral_value() else float(exact)


def median_days(values: list[int]) -> int | float | None:
    """The median of day counts (None when there are none; .5 when two middles differ)."""
    return number(median(values)) if values else None
