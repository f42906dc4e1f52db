"""Every sheet kind by its CLI name, in the order the CLI and the import screen list them."""

from __future__ import annotations

from fieldtui.sheets.checklists import CHECKLIST_ANSWERS, CHECKLISTS
from fieldtui.sheets.kinds import ASSIGNMENTS, ENTERPRISES, OFFICERS, PROJECTS
from fieldtui.sheets.kinds_work import ACTIVITIES, MEETINGS, PROBLEMS, VISITS
from fieldtui.sheets.spec import SheetKind

KINDS: dict[str, SheetKind] = {
    k.name: k
    for k in (
        ENTERPRISES,
        OFFICERS,
        ASSIGNMENTS,
        PROJECTS,
        VISITS,
        PROBLEMS,
        MEETINGS,
        ACTIVITIES,
        CHECKLISTS,
        CHECKLIST_ANSWERS,
    )
}


def get_kind(name: str) -> SheetKind:
    """The kind for a CLI name; ``ValueError`` lists the valid ones."""
    try:
        return KINDS[name.strip().lower()]
    except KeyError:
        raise ValueError(
            f"unknown sheet kind {name!r}; choose one of: {', '.join(KINDS)}"
        ) from None
