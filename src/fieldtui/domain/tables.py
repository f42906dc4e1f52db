"""What each synced table is called in messages (command output, sync conflicts, doctor).

The table names themselves (``enterprise``, ``visit_officer``) are part of the sync-file format
and stay as they are in files and ``--json``; people read these titles. Marked with ``N_`` and
translated where shown.
"""

from __future__ import annotations

from fieldtui.i18n import N_, _

TABLE_TITLES: dict[str, str] = {
    "officer": N_("officer"),
    "enterprise": N_("enterprise"),
    "assignment": N_("assignment"),
    "project": N_("project"),
    "visit": N_("visit"),
    "visit_officer": N_("visit officer"),
    "problem": N_("problem"),
    "problem_event": N_("problem handling record"),
    "meeting": N_("meeting"),
    "meeting_enterprise": N_("meeting enterprise"),
    "meeting_project": N_("meeting project"),
    "meeting_problem": N_("meeting problem"),
    "activity": N_("investment activity"),
    "activity_member": N_("activity member"),
    "activity_enterprise": N_("activity enterprise"),
    "checklist_template": N_("checklist template"),
    "checklist_item": N_("checklist item"),
    "checklist_answer": N_("checklist answer"),
}


def table_title(table: str) -> str:
    """The translated title of ``table``; an unknown table is shown by its name."""
    title = TABLE_TITLES.get(table)
    return _(title) if title else table
