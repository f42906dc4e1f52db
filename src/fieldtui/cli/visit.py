"""``fieldtui visit add|list``: record visits and list them, for scripting.

  fieldtui visit add --enterprise NAME|USCC [--date D] [--kind K] [--person P] [--title T]
                     [--summary S] [--follow-up F] [--officer NAME]...
                     [--problem CATEGORY:DESCRIPTION]... [--all-kept | --breach ITEM:NOTE...]
  fieldtui visit list [--officer NAME] [--enterprise NAME|USCC] [--month YYYY-MM] [--kind K]
                      [--drafts | --complete] [--text TEXT] [--limit N]

A visit defaults to today, the current officer (the settings' officer, else the profile) and
an on-site visit. Each --problem becomes a problem record linked to the visit. The
negative-list self-check: --all-kept answers every item kept; --breach ITEM:NOTE reports a
breach of item ITEM (its number in the current version, or its text) with what happened, the
other items kept. Without either the visit is saved as a draft. Codes are accepted as the
code or its Chinese or English label; every value is checked as a form checks it.
"""

from __future__ import annotations

import argparse
import re
from typing import Any

from fieldtui.cli.common import EXIT_OK, CliError, Output
from fieldtui.cli.fieldwork import Values, open_existing, refused
from fieldtui.domain.enums import VisitKind
from fieldtui.domain.schema import PROBLEM, VISIT
from fieldtui.i18n import _, language

_SPLIT = re.compile(r"[:：]")


_USAGE = """\
  fieldtui visit add --enterprise NAME|USCC [--date D] [--kind K] [--person P] [--title T]
                     [--summary S] [--follow-up F] [--officer NAME]...
                     [--problem CATEGORY:DESCRIPTION]... [--all-kept | --breach ITEM:NOTE...]
  fieldtui visit list [--officer NAME] [--enterprise NAME|USCC] [--month YYYY-MM] [--kind K]
                      [--drafts | --complete] [--text TEXT] [--limit N]"""


def _description() -> str:
    return (
        _USAGE
        + "\n\n"
        + _(
            "A visit defaults to today, the current officer (the settings' officer, else the "
            "profile) and an on-site visit. Each --problem becomes a problem record linked to "
            "the visit. The negative-list self-check: --all-kept answers every item kept; "
            "--breach ITEM:NOTE reports a breach of item ITEM (its number in the current "
            "version, or its text) with what happened, the other items kept. Without either "
            "the visit is saved as a draft. Codes are accepted as the code or its Chinese or "
            "English label; every value is checked as a form checks it."
        )
    )


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "visit",
        help=_("record a visit (with its problems and self-check) or list visits"),
        description=_description(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    actions = parser.add_subparsers(
        dest="visit_action", metavar="ACTION", required=True, title=_("actions")
    )

    add = actions.add_parser("add", help=_("record a visit"), description=_("record a visit"))
    add.add_argument(
        "--enterprise", required=True, metavar="NAME|USCC", help=_("the enterprise visited")
    )
    add.add_argument("--date", metavar="DATE", help=_("visit date (default: today)"))
    add.add_argument("--kind", metavar="KIND", help=_("kind of visit (default: onsite)"))
    add.add_argument("--person", metavar="NAME", help=_("person met"))
    add.add_argument("--title", metavar="TITLE", help=_("the person's title"))
    add.add_argument("--topics", metavar="TOPICS", help=_("topics, separated by 、 or commas"))
    add.add_argument("--policies", metavar="TEXT", help=_("policies explained"))
    add.add_argument("--summary", metavar="TEXT", help=_("what was learnt at the visit"))
    add.add_argument("--follow-up", metavar="TEXT", help=_("what is to be followed up"))
    add.add_argument(
        "--officer",
        action="append",
        metavar="NAME",
        help=_("visiting officer (repeat for several; default: the current officer)"),
    )
    add.add_argument(
        "--problem",
        action="append",
        default=[],
        metavar="CATEGORY:DESCRIPTION",
        help=_("a problem raised at the visit (repeat for several)"),
    )
    check = add.add_mutually_exclusive_group()
    check.add_argument(
        "--all-kept", action="store_true", help=_("negative-list self-check: every item kept")
    )
    check.add_argument(
        "--breach",
        action="append",
        default=[],
        metavar="ITEM:NOTE",
        help=_("negative-list self-check: item ITEM breached (number or text), the rest kept"),
    )
    add.set_defaults(func=run_add)

    ls = actions.add_parser(
        "list", help=_("list visits, newest first"), description=_("list visits, newest first")
    )
    ls.add_argument("--officer", metavar="NAME", help=_("visits of this officer"))
    ls.add_argument("--enterprise", metavar="NAME|USCC", help=_("visits of this enterprise"))
    ls.add_argument("--month", metavar="YYYY-MM", help=_("visits of this month"))
    ls.add_argument("--kind", metavar="KIND", help=_("visits of this kind"))
    drafts = ls.add_mutually_exclusive_group()
    drafts.add_argument(
        "--drafts", action="store_true", help=_("only visits whose self-check is not complete")
    )
    drafts.add_argument(
        "--complete", action="store_true", help=_("only visits with a complete self-check")
    )
    ls.add_argument("--text", metavar="TEXT", help=_("search the enterprise, person and summary"))
    ls.add_argument("--limit", type=int, metavar="N", help=_("at most N visits"))
    ls.set_defaults(func=run_list)


# --------------------------------------------------------------------------- add


def _split(raw: str, option: str, what: str) -> tuple[str, str]:
    parts = _SPLIT.split(raw, maxsplit=1)
    if len(parts) != 2 or not parts[0].strip() or not parts[1].strip():
        raise CliError(
            _("{option} “{value}”: write it as {what}").format(option=option, value=raw, what=what)
        )
    return parts[0].strip(), parts[1].strip()


def _officers(values: Values, args: argparse.Namespace) -> tuple[str, ...]:
    from fieldtui.store.visits import default_officer_id

    if args.officer:
        field = PROBLEM.field("officer_id")
        return tuple(values.parse(field, name, "--officer", required=True) for name in args.officer)
    settings = getattr(args, "settings", None)
    current = default_officer_id(values.store, getattr(settings, "officer", None))
    if current is None:
        raise CliError(
            _(
                "--officer: no current officer is set for this database; give --officer NAME "
                "(or choose yours with the settings file's officer)"
            )
        )
    return (current,)


def _item(checklist: Any, ref: str, option: str) -> str:
    """An item of the current version by its number or its text (exact, else a unique
    part of it)."""
    ref = ref.strip()
    if ref.isdigit():
        for item in checklist.items:
            if item.position == int(ref):
                return str(item.id)
        raise CliError(
            _("{option}: the negative list has items 1 to {n}, not {ref}").format(
                option=option, n=len(checklist.items), ref=ref
            )
        )
    exact = [i for i in checklist.items if i.text == ref]
    found = exact or [i for i in checklist.items if ref in i.text]
    if len(found) != 1:
        listed = "; ".join(f"{i.position}. {i.text}" for i in checklist.items)
        raise CliError(
            _(
                "{option}: “{ref}” names {n} items of the negative list; give its number: {items}"
            ).format(option=option, ref=ref, n=len(found), items=listed)
        )
    return str(found[0].id)


def run_add(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.store import checklists
    from fieldtui.store.service import InputError
    from fieldtui.store.visits import RaisedProblem, SelfCheckInput, VisitInput, save_visit

    with open_existing(args) as store:
        values = Values(store)
        enterprise = values.parse(
            VISIT.field("enterprise_id"), args.enterprise, "--enterprise", required=True
        )
        day = values.parse(VISIT.field("date"), args.date, "--date")
        kind = values.parse(VISIT.field("kind"), args.kind, "--kind") or VisitKind.ONSITE.code
        problems = []
        for n, raw in enumerate(args.problem, 1):
            option = _("--problem #{n}").format(n=n)
            category_text, description = _split(raw, option, "CATEGORY:DESCRIPTION")
            problems.append(
                RaisedProblem(
                    category=values.parse(PROBLEM.field("category"), category_text, option),
                    description=values.parse(
                        PROBLEM.field("description"), description, option, required=True
                    ),
                )
            )
        current = checklists.current_checklist(store, "negative")
        self_check = None
        if args.all_kept or args.breach:
            answers = checklists.all_answered(current)
            for raw in args.breach:
                item_ref, note = _split(raw, "--breach", "ITEM:NOTE")
                answers[_item(current, item_ref, "--breach")] = checklists.Answer("breached", note)
            self_check = SelfCheckInput(current.template_id, answers)
        data = VisitInput(
            enterprise_id=enterprise,
            date=day or _today(),
            officer_ids=_officers(values, args),
            kind=kind,
            person=values.parse(VISIT.field("person"), args.person, "--person"),
            person_title=values.parse(VISIT.field("person_title"), args.title, "--title"),
            topics=tuple(values.parse(VISIT.field("topics"), args.topics, "--topics") or ()),
            policies=values.parse(VISIT.field("policies"), args.policies, "--policies"),
            summary=values.parse(VISIT.field("summary"), args.summary, "--summary"),
            follow_up=values.parse(VISIT.field("follow_up"), args.follow_up, "--follow-up"),
            problems=tuple(problems),
            self_check=self_check,
        )
        try:
            saved = save_visit(store, data)
        except InputError as exc:
            raise refused(exc) from None
        data_out = _visit_json(store, saved.visit_id)
    out.result(data_out, _add_text(data_out))
    return EXIT_OK


def _today() -> Any:
    from datetime import date

    return date.today()


def _visit_json(store: Any, visit_id: str) -> dict[str, Any]:
    from fieldtui.store.visits import load_visit

    detail = load_visit(store, visit_id)
    assert detail is not None
    check = detail.self_check
    return {
        "visit_id": visit_id,
        "date": detail.visit.date.isoformat() if detail.visit.date else None,
        "enterprise_id": detail.visit.enterprise_id,
        "enterprise": detail.enterprise_name,
        "kind": detail.visit.kind,
        "officers": list(detail.officer_names),
        "problems": [
            {"id": p.id, "category": p.category, "description": p.description}
            for p in detail.problems
        ],
        "self_check": {
            "version": check.checklist.version,
            "answered": len(check.answers),
            "items": len(check.checklist.items),
            "complete": check.complete,
            "breaches": [
                {"item": item.position, "text": item.text, "note": given.note}
                for item, given in check.failures
            ],
        },
        "draft": detail.draft,
    }


def _kind_label(code: str) -> str:
    try:
        return VisitKind(code).label(language())
    except ValueError:
        return code


def _add_text(data: dict[str, Any]) -> str:
    check = data["self_check"]
    if data["draft"]:
        state = _("not done: the visit is saved as a draft (answered {answered} of {items})")
    elif check["breaches"]:
        state = _("{n} item(s) breached")
    else:
        state = _("every item kept")
    lines = [
        _("Visit recorded: {date} {enterprise} ({kind}), officers: {officers}").format(
            date=data["date"],
            enterprise=data["enterprise"],
            kind=_kind_label(data["kind"]),
            officers="、".join(data["officers"]),
        ),
        _("Negative-list self-check (version {version}): {state}").format(
            version=check["version"],
            state=state.format(
                answered=check["answered"], items=check["items"], n=len(check["breaches"])
            ),
        ),
    ]
    for problem in data["problems"]:
        lines.append(
            _("Problem {id}: {description}").format(
                id=problem["id"][-8:], description=problem["description"]
            )
        )
    lines.append(_("Visit id: {id}").format(id=data["visit_id"]))
    return "\n".join(lines)


# --------------------------------------------------------------------------- list


def run_list(args: argparse.Namespace, out: Output) -> int:
    from fieldtui.domain.checklists import parse_month
    from fieldtui.store.visit_list import VisitFilter, VisitQuery

    with open_existing(args) as store:
        values = Values(store)
        month = None
        if args.month:
            try:
                month = parse_month(args.month)
            except ValueError as exc:
                raise CliError(
                    _("{option} “{value}”: {message}").format(
                        option="--month", value=args.month, message=exc
                    )
                ) from None
        draft = True if args.drafts else False if args.complete else None
        flt = VisitFilter(
            text=args.text or "",
            officer_id=values.parse(PROBLEM.field("officer_id"), args.officer, "--officer"),
            enterprise_id=values.parse(
                VISIT.field("enterprise_id"), args.enterprise, "--enterprise"
            ),
            month=month,
            kind=values.parse(VISIT.field("kind"), args.kind, "--kind"),
            draft=draft,
        )
        if args.limit is not None and args.limit < 0:
            raise CliError(_("--limit: give a number of visits, 0 or more"))
        query = VisitQuery(store.db, flt)
        total = query.count()
        rows = query.fetch(0, total if args.limit is None else min(args.limit, total))
    visits: list[dict[str, Any]] = [
        {
            "id": r.id,
            "date": r.date.isoformat() if r.date else None,
            "enterprise_id": r.enterprise_id,
            "enterprise": r.enterprise,
            "kind": r.kind,
            "officers": list(r.officers),
            "person": r.person or None,
            "summary": r.summary or None,
            "problems": r.problems,
            "draft": r.draft,
        }
        for r in rows
    ]
    lines = [
        "  ".join(
            part
            for part in (
                v["date"] or "",
                v["enterprise"],
                _kind_label(v["kind"]),
                "、".join(v["officers"]),
                _("draft") if v["draft"] else "",
                v["id"][-8:],
            )
            if part
        )
        for v in visits
    ]
    lines.append(_("{shown} of {total} visit(s)").format(shown=len(visits), total=total))
    out.result({"count": total, "visits": visits}, "\n".join(lines))
    return EXIT_OK
