"""``fieldtui problem add|status|extend|follow-up|show|list``: the problem ledger, scripted.

  fieldtui problem add --enterprise NAME|USCC --category C --description TEXT [--deadline D]
                       [--lead-unit U] [--raised-on D] [--officer NAME] [--note TEXT]
  fieldtui problem status ID STATUS [--note TEXT] [--on DATE] [--lead-unit U]
                       [--resolution TEXT]
  fieldtui problem extend ID DEADLINE --reason TEXT [--on DATE]
  fieldtui problem follow-up ID SATISFACTION [--note TEXT] [--on DATE]
  fieldtui problem show ID
  fieldtui problem list [--status S] [--open] [--overdue] [--due-this-week] [--officer NAME]
                        [--enterprise NAME|USCC] [--category C] [--lead-unit U] [--text T]
                        [--sort raised_on|deadline] [--limit N]

ID is the problem's id or a unique end of it (``problem list`` shows the last 8 characters).
The workflow: new → assigned → in_progress → resolved or unresolvable; assigning needs the
lead unit, resolving the resolution (--resolution, else the note), going back a step or
reopening a reason (--note). Every change is kept as a dated history entry (``show``).
Overdue: not resolved and past its deadline.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from fieldtui.cli.common import EXIT_OK, CliError, Output
from fieldtui.cli.fieldwork import Values, field_value, open_existing, refused
from fieldtui.domain.enums import ProblemCategory, ProblemEventKind, ProblemStatus, Satisfaction
from fieldtui.domain.schema import PROBLEM, PROBLEM_EVENT
from fieldtui.i18n import _, bracketed, labelled, language

_USAGE = """\
  fieldtui problem add --enterprise NAME|USCC --category C --description TEXT [--deadline D]
                       [--lead-unit U] [--raised-on D] [--officer NAME] [--note TEXT]
  fieldtui problem status ID STATUS [--note TEXT] [--on DATE] [--lead-unit U]
                       [--resolution TEXT]
  fieldtui problem extend ID DEADLINE --reason TEXT [--on DATE]
  fieldtui problem follow-up ID SATISFACTION [--note TEXT] [--on DATE]
  fieldtui problem show ID
  fieldtui problem list [--status S] [--open] [--overdue] [--due-this-week] [--officer NAME]
                        [--enterprise NAME|USCC] [--category C] [--lead-unit U] [--text T]
                        [--sort raised_on|deadline] [--limit N]"""


def _description() -> str:
    return (
        _USAGE
        + "\n\n"
        + _(
            "ID is the problem's id or a unique end of it (problem list shows the last 8 "
            "characters). The workflow: new → assigned → in_progress → resolved or "
            "unresolvable; assigning needs the lead unit, resolving the resolution "
            "(--resolution, else the note), going back a step or reopening a reason (--note). "
            "Every change is kept as a dated history entry (show). Overdue: not resolved and "
            "past its deadline."
        )
    )


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "problem",
        help=_("record problems, move them through the workflow, list them"),
        description=_description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        dest="problem_action", metavar="ACTION", required=True, title=_("actions")
    )
    today = _("default: today")

    add = actions.add_parser(
        "add", help=_("record a new problem"), description=_("record a new problem")
    )
    add.add_argument(
        "--enterprise", required=True, metavar="NAME|USCC", help=_("the enterprise raising it")
    )
    add.add_argument("--category", required=True, metavar="CATEGORY", help=_("its category"))
    add.add_argument(
        "--description", required=True, metavar="TEXT", help=_("what the enterprise asks for")
    )
    add.add_argument("--deadline", metavar="DATE", help=_("the deadline for handling it"))
    add.add_argument("--lead-unit", metavar="UNIT", help=_("the unit leading its handling"))
    add.add_argument("--raised-on", metavar="DATE", help=today)
    add.add_argument("--officer", metavar="NAME", help=_("default: the current officer"))
    add.add_argument("--note", metavar="TEXT", help=_("what the first history entry says"))
    add.set_defaults(func=run_add)

    status = actions.add_parser(
        "status",
        help=_("move a problem to another status"),
        description=_("move a problem to another status"),
    )
    status.add_argument("id", metavar="ID", help=_("the problem's id, or a unique end of it"))
    status.add_argument("status", metavar="STATUS", help=_("the new status"))
    status.add_argument("--note", metavar="TEXT", help=_("what the history entry says"))
    status.add_argument("--on", metavar="DATE", help=today)
    status.add_argument("--lead-unit", metavar="UNIT", help=_("the unit leading its handling"))
    status.add_argument("--resolution", metavar="TEXT", help=_("how it was resolved"))
    status.set_defaults(func=run_status)

    extend = actions.add_parser(
        "extend",
        help=_("give an open problem a later deadline"),
        description=_("give an open problem a later deadline"),
    )
    extend.add_argument("id", metavar="ID", help=_("the problem's id, or a unique end of it"))
    extend.add_argument("deadline", metavar="DEADLINE", help=_("the new deadline"))
    extend.add_argument("--reason", required=True, metavar="TEXT", help=_("why it takes longer"))
    extend.add_argument("--on", metavar="DATE", help=today)
    extend.set_defaults(func=run_extend)

    follow = actions.add_parser(
        "follow-up",
        help=_("the follow-up call after resolution"),
        description=_("the follow-up call after resolution"),
    )
    follow.add_argument("id", metavar="ID", help=_("the problem's id, or a unique end of it"))
    follow.add_argument("satisfaction", metavar="SATISFACTION", help=_("how satisfied it is"))
    follow.add_argument("--note", metavar="TEXT", help=_("what the enterprise said"))
    follow.add_argument("--on", metavar="DATE", help=today)
    follow.set_defaults(func=run_follow_up)

    show = actions.add_parser(
        "show", help=_("a problem and its history"), description=_("a problem and its history")
    )
    show.add_argument("id", metavar="ID", help=_("the problem's id, or a unique end of it"))
    show.set_defaults(func=run_show)

    ls = actions.add_parser("list", help=_("list problems"), description=_("list problems"))
    ls.add_argument("--status", metavar="STATUS", help=_("problems in this status"))
    ls.add_argument("--open", action="store_true", help=_("not resolved nor unresolvable"))
    ls.add_argument("--overdue", action="store_true", help=_("open and past the deadline"))
    ls.add_argument("--due-this-week", action="store_true", help=_("open and due this week"))
    ls.add_argument("--officer", metavar="NAME", help=_("problems this officer follows"))
    ls.add_argument("--enterprise", metavar="NAME|USCC", help=_("problems of this enterprise"))
    ls.add_argument("--category", metavar="CATEGORY", help=_("problems of this category"))
    ls.add_argument("--lead-unit", metavar="UNIT", help=_("problems this unit leads"))
    ls.add_argument("--text", metavar="TEXT", help=_("search the enterprise and description"))
    ls.add_argument(
        "--sort",
        choices=("raised_on", "deadline"),
        default="raised_on",
        help=_("order by the date raised (newest first) or by the deadline"),
    )
    ls.add_argument("--limit", type=int, metavar="N", help=_("at most N problems"))
    ls.set_defaults(func=run_list)


# --------------------------------------------------------------------------- helpers


def _label(enum: Any, code: str | None) -> str:
    if not code:
        return ""
    try:
        return str(enum(code).label(language()))
    except ValueError:
        return code


def _day(values: Values, raw: str | None, option: str) -> date | None:
    result: date | None = values.parse(PROBLEM_EVENT.field("on"), raw, option)
    return result


def _me(values: Values, args: argparse.Namespace) -> str | None:
    from fieldtui.store.visits import default_officer_id

    settings = getattr(args, "settings", None)
    return default_officer_id(values.store, getattr(settings, "officer", None))


def _problem_json(store: Any, problem_id: str) -> dict[str, Any]:
    from fieldtui.domain.problems import is_overdue
    from fieldtui.store.problems import problem_history

    p = store.problems.require(problem_id)
    enterprise = store.enterprises.get(p.enterprise_id)
    officer = store.officers.get(p.officer_id) if p.officer_id else None
    return {
        "id": p.id,
        "enterprise_id": p.enterprise_id,
        "enterprise": enterprise.name if enterprise else "",
        "raised_on": _iso(p.raised_on),
        "category": p.category,
        "description": p.description,
        "lead_unit": p.lead_unit,
        "assist_units": p.assist_units,
        "deadline": _iso(p.deadline),
        "status": p.status,
        "resolved_on": _iso(p.resolved_on),
        "resolution": p.resolution,
        "satisfaction": p.satisfaction,
        "officer_id": p.officer_id,
        "officer": officer.name if officer else None,
        "visit_id": p.visit_id,
        "overdue": is_overdue(p.status, p.deadline, date.today()),
        "history": [
            {
                "id": e.id,
                "kind": e.kind,
                "on": _iso(e.on),
                "status": e.status,
                "note": e.note,
                "deadline": _iso(e.deadline),
                "satisfaction": e.satisfaction,
                "officer": e.officer or None,
            }
            for e in problem_history(store, problem_id)
        ],
    }


def _iso(value: date | None) -> str | None:
    return value.isoformat() if isinstance(value, date) else None


def _problem_text(data: dict[str, Any]) -> str:
    lines = [
        f"{data['id']}  {data['enterprise']}",
        "  " + labelled(_label(ProblemCategory, data["category"]), data["description"]),
        "  "
        + _("Status: {status}; deadline: {deadline}; lead unit: {unit}").format(
            status=_label(ProblemStatus, data["status"])
            + (_(" (overdue)") if data["overdue"] else ""),
            deadline=data["deadline"] or "—",
            unit=data["lead_unit"] or "—",
        ),
    ]
    for entry in data["history"]:
        what = _label(ProblemEventKind, entry["kind"])
        if entry["status"]:
            what += " → " + _label(ProblemStatus, entry["status"])
        if entry["deadline"]:
            what += " → " + entry["deadline"]
        if entry["satisfaction"]:
            what += " → " + _label(Satisfaction, entry["satisfaction"])
        note = f"  {entry['note']}" if entry["note"] else ""
        who = "  " + bracketed(entry["officer"]) if entry["officer"] else ""
        lines.append(f"  {entry['on'] or '':10}  {what}{note}{who}")
    return "\n".join(lines)


def _find(store: Any, ref: str) -> str:
    from fieldtui.store.problems import find_problem
    from fieldtui.store.service import InputError

    try:
        return str(find_problem(store, ref).id)
    except InputError as exc:
        raise refused(exc) from None


# --------------------------------------------------------------------------- commands


def run_add(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store.problems import ProblemInput, create_problem
    from fieldtui.store.service import InputError

    with open_existing(args) as store:
        values = Values(store)
        me = _me(values, args)
        data = ProblemInput(
            enterprise_id=values.parse(
                PROBLEM.field("enterprise_id"), args.enterprise, "--enterprise", required=True
            ),
            category=values.parse(
                PROBLEM.field("category"), args.category, "--category", required=True
            ),
            description=values.parse(
                PROBLEM.field("description"), args.description, "--description", required=True
            ),
            deadline=values.parse(PROBLEM.field("deadline"), args.deadline, "--deadline"),
            lead_unit=values.parse(PROBLEM.field("lead_unit"), args.lead_unit, "--lead-unit"),
            raised_on=values.parse(PROBLEM.field("raised_on"), args.raised_on, "--raised-on"),
            officer_id=values.parse(PROBLEM.field("officer_id"), args.officer, "--officer"),
            note=values.parse(PROBLEM_EVENT.field("note"), args.note, "--note"),
        )
        try:
            problem = create_problem(store, data, recorded_by=me)
        except InputError as exc:
            raise refused(exc) from None
        result = _problem_json(store, problem.id)
    out.result(result, _("Problem recorded:") + "\n" + _problem_text(result))
    return EXIT_OK


def run_status(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store.problems import change_status
    from fieldtui.store.service import InputError

    with open_existing(args) as store:
        values = Values(store)
        problem_id = _find(store, args.id)
        status = field_value(PROBLEM.field("status"), args.status, "STATUS", required=True)
        try:
            change_status(
                store,
                problem_id,
                status,
                on=_day(values, args.on, "--on"),
                note=values.parse(PROBLEM_EVENT.field("note"), args.note, "--note"),
                lead_unit=values.parse(PROBLEM.field("lead_unit"), args.lead_unit, "--lead-unit"),
                resolution=values.parse(
                    PROBLEM.field("resolution"), args.resolution, "--resolution"
                ),
                officer_id=_me(values, args),
            )
        except InputError as exc:
            raise refused(exc) from None
        result = _problem_json(store, problem_id)
    out.result(result, _problem_text(result))
    return EXIT_OK


def run_extend(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store.problems import extend_deadline
    from fieldtui.store.service import InputError

    with open_existing(args) as store:
        values = Values(store)
        problem_id = _find(store, args.id)
        deadline = values.parse(PROBLEM.field("deadline"), args.deadline, "DEADLINE", required=True)
        try:
            extend_deadline(
                store,
                problem_id,
                deadline,
                reason=values.parse(PROBLEM_EVENT.field("note"), args.reason, "--reason"),
                on=_day(values, args.on, "--on"),
                officer_id=_me(values, args),
            )
        except InputError as exc:
            if exc.field == "note":  # the reason is the history entry's note
                exc = InputError.one("reason", str(exc))
            raise refused(exc) from None
        result = _problem_json(store, problem_id)
    out.result(result, _problem_text(result))
    return EXIT_OK


def run_follow_up(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store.problems import record_follow_up
    from fieldtui.store.service import InputError

    with open_existing(args) as store:
        values = Values(store)
        problem_id = _find(store, args.id)
        satisfaction = field_value(
            PROBLEM.field("satisfaction"), args.satisfaction, "SATISFACTION", required=True
        )
        try:
            record_follow_up(
                store,
                problem_id,
                satisfaction,
                note=values.parse(PROBLEM_EVENT.field("note"), args.note, "--note"),
                on=_day(values, args.on, "--on"),
                officer_id=_me(values, args),
            )
        except InputError as exc:
            raise refused(exc) from None
        result = _problem_json(store, problem_id)
    out.result(result, _problem_text(result))
    return EXIT_OK


def run_show(args: argparse.Namespace, out: Output) -> int:
    with open_existing(args) as store:
        result = _problem_json(store, _find(store, args.id))
    out.result(result, _problem_text(result))
    return EXIT_OK


def run_list(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store.problem_list import ProblemFilter, ProblemQuery, ProblemSort

    with open_existing(args) as store:
        values = Values(store)
        flt = ProblemFilter(
            text=args.text or "",
            status=values.parse(PROBLEM.field("status"), args.status, "--status"),
            open=args.open,
            category=values.parse(PROBLEM.field("category"), args.category, "--category"),
            lead_unit=values.parse(PROBLEM.field("lead_unit"), args.lead_unit, "--lead-unit"),
            officer_id=values.parse(PROBLEM.field("officer_id"), args.officer, "--officer"),
            enterprise_id=values.parse(
                PROBLEM.field("enterprise_id"), args.enterprise, "--enterprise"
            ),
            overdue=args.overdue,
            due_this_week=args.due_this_week,
        )
        if args.limit is not None and args.limit < 0:
            raise CliError(_("--limit: give a number of problems, 0 or more"))
        descending = args.sort == "raised_on"
        query = ProblemQuery(store.db, flt, ProblemSort(args.sort, descending))
        total = query.count()
        rows = query.fetch(0, total if args.limit is None else min(args.limit, total))
    problems: list[dict[str, Any]] = [
        {
            "id": r.id,
            "enterprise_id": r.enterprise_id,
            "enterprise": r.enterprise,
            "raised_on": _iso(r.raised_on),
            "category": r.category,
            "description": r.description,
            "lead_unit": r.lead_unit or None,
            "status": r.status,
            "deadline": _iso(r.deadline),
            "resolved_on": _iso(r.resolved_on),
            "officer": r.officer or None,
            "overdue": r.overdue,
            "due_this_week": r.due_this_week,
        }
        for r in rows
    ]
    lines = []
    for p in problems:
        mark = _("overdue") if p["overdue"] else ""
        lines.append(
            "  ".join(
                part
                for part in (
                    p["id"][-8:],
                    p["raised_on"] or "",
                    p["enterprise"],
                    _label(ProblemCategory, p["category"]),
                    _label(ProblemStatus, p["status"]),
                    p["deadline"] or "",
                    mark,
                    p["description"].replace("\n", " ")[:40],
                )
                if part
            )
        )
    lines.append(_("{shown} of {total} problem(s)").format(shown=len(problems), total=total))
    out.result({"count": total, "problems": problems}, "\n".join(lines))
    return EXIT_OK
