"""Add or edit one project: its enterprise, planned investment, source and milestones.

Built on :class:`~fieldtui.ui.screens.form_base.RecordFormScreen` with the schema's project
fields (``PROJECT``: labels, widgets, limits, choices; each date checked by the schema's
parser). What is special about a project is that its milestone dates are read together
(:func:`fieldtui.domain.milestones.check_project_dates`): an impossible date (before 1990, or
more than five years ahead: a typo) refuses the save, and a later milestone dated before an
earlier one only warns, because projects are recorded late and out of order in real life.
"""

from __future__ import annotations

from textual.css.query import NoMatches

from fieldtui.domain.forms import FieldCheck
from fieldtui.domain.milestones import MILESTONES, check_project_dates
from fieldtui.domain.schema import PROJECT
from fieldtui.i18n import N_
from fieldtui.ui.screens.form_base import RecordFormScreen, Texts

__all__ = ["ProjectFormScreen"]

MILESTONE_FIELDS = tuple(field for field, _stage in MILESTONES)


class ProjectFormScreen(RecordFormScreen):
    SCHEMA = PROJECT
    KIND = "project"
    TITLE_NEW = N_("New project")
    TITLE_EDIT = N_("Edit project")
    GONE = N_("This project no longer exists.")
    DELETE_TITLE = N_("Delete project")
    DELETE_QUESTION = N_(
        "Delete the project {name}? It disappears from the projects and can be restored "
        "from Deleted records."
    )
    DELETED = N_("Project deleted.")

    def check_field(self, name: str, raw: str | None) -> FieldCheck:
        """The schema's check, then, for a milestone date, the dates read together."""
        check = super().check_field(name, raw)
        if name not in MILESTONE_FIELDS or check.error or check.value is None:
            return check
        try:
            texts: Texts = self.raw()
        except NoMatches:  # not composed yet: the date alone
            return check
        texts[name] = raw
        dates = []
        for field in MILESTONE_FIELDS:
            own = super().check_field(field, texts.get(field))
            dates.append(None if own.error else own.value)
        for issue in check_project_dates(*dates):
            if issue.field != name:
                continue
            if issue.level == "error":
                return FieldCheck(error=issue.message)
            if not check.warning:
                return FieldCheck(check.value, warning=issue.message)
        return check

    def field_changed(self, name: str) -> None:
        """A date moved: the other milestones' order messages may change with it."""
        if name in MILESTONE_FIELDS and self.ready:
            for other in MILESTONE_FIELDS:
                if other != name:
                    self.show(other)
