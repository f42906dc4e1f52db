"""Screens by name, imported on first use: how screens open each other without importing
each other (the enterprise detail opens its form and the form opens a detail), and how the
app finds the form a draft belongs to.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from textual.screen import Screen

from fieldtui.i18n import N_

SCREENS: dict[str, str] = {
    "enterprise_detail": "fieldtui.ui.screens.enterprise_detail:EnterpriseDetailScreen",
    "enterprise_form": "fieldtui.ui.screens.enterprise_form:EnterpriseFormScreen",
    "officer_form": "fieldtui.ui.screens.officer_form:OfficerFormScreen",
    "visit_form": "fieldtui.ui.screens.visit_form:VisitFormScreen",
    "problem_detail": "fieldtui.ui.screens.problem_form:ProblemScreen",
    "problem_form": "fieldtui.ui.screens.problem_form:ProblemFormScreen",
    "project_form": "fieldtui.ui.screens.project_form:ProjectFormScreen",
    "meeting_form": "fieldtui.ui.screens.meeting_form:MeetingFormScreen",
    "activity_form": "fieldtui.ui.screens.activity_form:ActivityFormScreen",
    "duty_check": "fieldtui.ui.screens.duty_check:DutyCheckScreen",
    "checklist_editor": "fieldtui.ui.screens.checklist_editor:ChecklistEditorScreen",
    "breaches": "fieldtui.ui.screens.breaches:BreachesScreen",
}
"""Name → ``"module:Class"``."""


@dataclass(frozen=True, slots=True)
class FormRef:
    """Where a form kind's drafts are restored: its screen and the area it opens over."""

    screen: str
    """A name in :data:`SCREENS`."""
    area: str
    """An area id (``fieldtui.ui.areas``)."""
    label: str
    """What the record is called (English msgid), when a draft is offered back."""


FORMS: dict[str, FormRef] = {
    "enterprise": FormRef("enterprise_form", "ledger", N_("Enterprise")),
    "officer": FormRef("officer_form", "officers", N_("Officer")),
    "visit": FormRef("visit_form", "visits", N_("Visit")),
    "problem": FormRef("problem_form", "problems", N_("Problem")),
    "project": FormRef("project_form", "projects", N_("Project")),
    "meeting": FormRef("meeting_form", "meetings", N_("Meeting")),
    "activity": FormRef("activity_form", "activities", N_("Investment activity")),
    "checklist": FormRef("checklist_editor", "checklists", N_("Checklist revision")),
}
"""Draft kind (a form's ``KIND``) → its form. The first-run profile restores its own."""


def screen_class(name: str) -> type[Screen[Any]]:
    module_name, _sep, class_name = SCREENS[name].partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, Screen)):
        raise TypeError(f"{SCREENS[name]} is not a Screen")
    return cls


def make_screen(name: str, *args: Any, **kwargs: Any) -> Screen[Any]:
    """An instance of the named screen (``make_screen("enterprise_form", row_id)``)."""
    return screen_class(name)(*args, **kwargs)
