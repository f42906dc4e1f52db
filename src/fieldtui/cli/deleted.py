"""``fieldtui deleted list|restore``: deleted records, and bringing one back.

A delete is a tombstone, so the office can always restore a record (the delete dialogs say
so). The restore is an ordinary change: it travels with the next sync files.
"""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import Any

from fieldtui.cli.common import EXIT_OK, CliError, Output, open_store, quoted
from fieldtui.i18n import _, language, ngettext
from fieldtui.store.deleted import KINDS, DeletedRecord, RestoreError, list_deleted, restore_deleted

ID_SHOWN = 8
"""Characters of the id shown: its end, which is what ``restore`` takes."""


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "deleted",
        help=_("list deleted records and restore them"),
        description=_(
            "Deleted records are kept, so they can be restored: list them (the most recently "
            "deleted first) and restore one by its id or a unique end of it. A restore is an "
            "ordinary change and travels with the next sync files."
        ),
    )
    actions = parser.add_subparsers(
        dest="deleted_action", metavar="ACTION", required=True, title=_("actions")
    )
    kinds_help = ", ".join(KINDS)
    lst = actions.add_parser(
        "list",
        help=_("list deleted records (of one kind, or all)"),
        description=_("List deleted records of KIND, or of every kind: {kinds}.").format(
            kinds=kinds_help
        ),
    )
    lst.add_argument("kind", nargs="?", choices=list(KINDS), metavar="KIND", help=kinds_help)
    lst.set_defaults(func=run_list)
    res = actions.add_parser(
        "restore",
        help=_("restore one deleted record"),
        description=_(
            "Restore the deleted record of KIND whose id is ID or ends with ID (the list "
            "shows the end of each id)."
        ),
    )
    res.add_argument("kind", choices=list(KINDS), metavar="KIND", help=kinds_help)
    res.add_argument("ref", metavar="ID", help=_("the id, or a unique end of it"))
    res.set_defaults(func=run_restore)


def count_phrase(kind: str, n: int) -> str:
    """``3家企业`` / ``3 enterprises``: each kind with its measure word (zh-style.md)."""
    if kind == "enterprises":
        text = ngettext("{n} enterprise", "{n} enterprises", n)
    elif kind == "officers":
        text = ngettext("{n} officer", "{n} officers", n)
    elif kind == "assignments":
        text = ngettext("{n} assignment", "{n} assignments", n)
    elif kind == "projects":
        text = ngettext("{n} project", "{n} projects", n)
    elif kind == "visits":
        text = ngettext("{n} visit", "{n} visits", n)
    elif kind == "problems":
        text = ngettext("{n} problem", "{n} problems", n)
    elif kind == "meetings":
        text = ngettext("{n} meeting", "{n} meetings", n)
    else:
        text = ngettext("{n} investment activity", "{n} investment activities", n)
    return text.format(n=n)


DETAIL_WIDTH = 30
"""Characters of the detail (a visit's summary can be long) before it is cut with …."""


def _when(record: DeletedRecord) -> str:
    if not record.deleted_at:
        return ""
    local = datetime.fromisoformat(record.deleted_at).astimezone()
    at = local.strftime("%Y-%m-%d %H:%M")
    if record.deleted_here:
        return _("deleted {at} on this database").format(at=at)
    who = record.deleted_by_name or (record.deleted_by or "")[-ID_SHOWN:]
    return _("deleted {at} by {who}").format(at=at, who=quoted(who))


def _cut(text: str, width: int = DETAIL_WIDTH) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def run_list(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        records = list_deleted(store, args.kind)
    data = {"count": len(records), "records": [r.to_json() for r in records]}
    if not records:
        out.result(data, _("No deleted records."))
        return EXIT_OK
    lines: list[str] = []
    for kind in KINDS:
        mine = [r for r in records if r.kind == kind]
        if not mine:
            continue
        sep = "：" if language() == "zh" else ": "
        lines.append(f"{_(KINDS[kind].title)}{sep}{count_phrase(kind, len(mine))}")
        for r in mine:
            parts = [r.id[-ID_SHOWN:], r.label]
            if r.detail:
                parts.append(_cut(r.detail))
            when = _when(r)
            if when:
                parts.append(when)
            lines.append("  " + "  ".join(parts))
    lines.append(_("Restore one with: fieldtui deleted restore KIND ID (ID: the end of the id)"))
    out.result(data, "\n".join(lines))
    return EXIT_OK


def run_restore(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            record = restore_deleted(store, args.kind, args.ref)
        except RestoreError as exc:
            raise CliError(str(exc)) from None
    out.result(
        {"restored": record.to_json()},
        _(
            "Restored {label} ({kind}, id {id}); the restore travels with the next sync files."
        ).format(label=quoted(record.label), kind=_(KINDS[record.kind].title), id=record.id),
    )
    return EXIT_OK
