"""Kinds whose sheet is not a list of independent rows: the yearly assignment plan.

domain.md: "A year's plan is replaced as a whole". An assignments sheet therefore *is* the
plan of every year it mentions: the store's service :func:`replace_year_plan` makes each year
exactly what the sheet lists, tombstoning assignments the sheet no longer has. One exception
keeps a typo from deleting work: a year with a refused row is merged, not replaced (its good
rows are created or updated, nothing is removed), because the refused row may be the very
assignment that would otherwise disappear. The summary says which years were merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from fieldtui.domain.enums import AssignmentRole
from fieldtui.domain.records import Assignment, Record
from fieldtui.i18n import _
from fieldtui.sheets.spec import Planned, Progress, Values
from fieldtui.sheets.summary import ImportCancelled, ImportSummary, RowIssue
from fieldtui.store.assignments import PlanEntry, replace_year_plan

if TYPE_CHECKING:
    from fieldtui.store import Store


class RowChecker(Protocol):
    """What a plan needs of the importer's ``RowChecker`` (:mod:`fieldtui.sheets.importer`).

    A protocol rather than an import keeps the importer and its special kinds from importing
    each other.
    """

    store: Store
    records: dict[str, Record]
    """The kind's live records by id, as the checker loaded them."""
    refused_rows: list[tuple[int, Values]]

    def write(
        self, plan: list[Planned], progress: Progress | None, cancel: Callable[[], bool] | None
    ) -> None:
        """Write planned rows the plain way (create or update each)."""


class SpecialPlan(Protocol):
    def adjust(self, checker: RowChecker, plan: list[Planned], summary: ImportSummary) -> None:
        """Complete the dry-run figures (e.g. what would be removed)."""

    def write(
        self,
        checker: RowChecker,
        plan: list[Planned],
        summary: ImportSummary,
        progress: Progress | None,
        cancel: Callable[[], bool] | None,
    ) -> None:
        """Write inside the import's transaction."""


class AssignmentPlan:
    """Each year in the sheet replaces that year's plan (see the module docstring)."""

    def __init__(self) -> None:
        self.replace_years: set[int] = set()
        self.merge_years: set[int] = set()

    def adjust(self, checker: RowChecker, plan: list[Planned], summary: ImportSummary) -> None:
        years = {p.values["year"] for p in plan}
        refused_years = {v.get("year") for _row, v in checker.refused_rows}
        if None in refused_years:
            # A refused row whose year is unreadable could belong to any year: replace none.
            self.merge_years = years
        else:
            self.merge_years = years & {y for y in refused_years if y is not None}
        self.replace_years = years - self.merge_years
        kept = {p.record_id for p in plan if p.record_id}
        for record in checker.records.values():
            assert isinstance(record, Assignment)
            if record.year in self.replace_years and record.id not in kept:
                summary.removed += 1
        for year in sorted(self.merge_years):
            summary.warnings.append(
                RowIssue(
                    None,
                    None,
                    _(
                        "{year}: some rows were refused, so this year's plan was merged, not "
                        "replaced; assignments missing from the sheet were kept"
                    ).format(year=year),
                )
            )

    def write(
        self,
        checker: RowChecker,
        plan: list[Planned],
        summary: ImportSummary,
        progress: Progress | None,
        cancel: Callable[[], bool] | None,
    ) -> None:
        by_year: dict[int, list[Planned]] = defaultdict(list)
        for item in plan:
            by_year[item.values["year"]].append(item)
        merged = [p for y in sorted(self.merge_years) for p in by_year[y]]
        if merged:
            checker.write(merged, progress, cancel)
        replace = sorted(self.replace_years)
        for done, year in enumerate(replace, start=1):
            if cancel is not None and cancel():
                raise ImportCancelled
            replace_year_plan(checker.store, year, [_entry(checker, p) for p in by_year[year]])
            if progress is not None:
                progress("write", done, len(replace))


def _entry(checker: RowChecker, item: Planned) -> PlanEntry:
    """The wanted assignment; a blank role keeps the stored one (blank never erases)."""
    role = item.values.get("role")
    if role is None and item.record_id is not None:
        current = checker.records[item.record_id]
        assert isinstance(current, Assignment)
        role = current.role
    return PlanEntry(
        officer_id=item.values["officer_id"],
        enterprise_id=item.values.get("enterprise_id"),
        project_id=item.values.get("project_id"),
        role=role or AssignmentRole.CSO.code,
    )


def _checklist_plan() -> SpecialPlan:
    from fieldtui.sheets.checklists import ChecklistPlan

    return ChecklistPlan()


SPECIAL: dict[str, Callable[[], SpecialPlan]] = {
    "assignments": AssignmentPlan,
    "checklists": _checklist_plan,
}
"""Kind name → factory of its plan (a fresh one per import: it remembers the years)."""
