"""``fieldtui profile [set NAME|ID | list]``: the officer who uses this database.

The first-run screen asks a new user for their profile, but only on an empty database. A
laptop set up from the hub's sync file holds the roster already: its user is chosen among
those officers with ``profile set``. The choice stays in this database (it is not synced);
new visits default to this officer.
"""

from __future__ import annotations

import argparse
from typing import Any

from fieldtui.cli.common import EXIT_OK, CliError, Output, label_lines, open_store, quoted
from fieldtui.i18n import _
from fieldtui.store.profile import (
    ProfileError,
    current_officer,
    describe,
    set_current_officer,
)

ID_SHOWN = 8


def register(sub: Any) -> None:
    parser = sub.add_parser(
        "profile",
        help=_("show or choose the officer who uses this database"),
        description=_(
            "Show the officer who uses this database, list the officers to choose from, or "
            "choose one (a laptop set up from the hub's sync file: fieldtui profile set "
            "NAME). New visits default to this officer. The settings file's officer, if "
            "set, wins over it."
        ),
    )
    parser.set_defaults(func=run_show)
    actions = parser.add_subparsers(dest="profile_action", metavar="ACTION", title=_("actions"))
    show = actions.add_parser("show", help=_("who uses this database (the default)"))
    show.set_defaults(func=run_show)
    lst = actions.add_parser("list", help=_("the officers to choose from"))
    lst.set_defaults(func=run_list)
    st = actions.add_parser(
        "set",
        help=_("choose the officer who uses this database"),
        description=_(
            "Choose the officer who uses this database, by name, or by id or the end of it "
            "when two officers share a name."
        ),
    )
    st.add_argument("ref", metavar="NAME|ID", help=_("an officer's name, id, or end of the id"))
    st.set_defaults(func=run_set)


def _officer_json(officer: Any) -> dict[str, Any] | None:
    if officer is None:
        return None
    return {
        "id": officer.id,
        "name": officer.name,
        "unit": officer.unit,
        "phone": officer.phone,
        "role": officer.role,
    }


def run_show(args: argparse.Namespace, out: Output) -> int:
    settings = getattr(args, "settings", None)
    configured = getattr(settings, "officer", None)
    with open_store(args) as store:
        officer = current_officer(store)
    data = {"officer": _officer_json(officer), "settings_officer": configured}
    if officer is None:
        lines = [
            _(
                "No officer chosen for this database yet. Choose one with: fieldtui profile "
                "set NAME (fieldtui profile list shows them)"
            )
        ]
    else:
        from fieldtui.domain.enums import OfficerRole

        lines = label_lines(
            [
                (_("Officer"), describe(officer)),
                (_("Phone"), officer.phone or "—"),
                (_("Role"), _role_label(officer.role, OfficerRole)),
                (_("Id"), officer.id),
            ]
        )
    if configured:
        lines.append(
            _("The settings file names the officer {name}, which wins over this.").format(
                name=quoted(configured)
            )
        )
    out.result(data, "\n".join(lines))
    return EXIT_OK


def _role_label(code: str, enum: Any) -> str:
    from fieldtui.i18n import language

    try:
        return str(enum(code).label(language()))
    except ValueError:
        return code


def run_list(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        officers = sorted(store.officers.list(), key=lambda o: (o.name, o.unit or "", o.id))
        current = current_officer(store)
    data = {
        "current": current.id if current else None,
        "officers": [_officer_json(o) for o in officers],
    }
    if not officers:
        text = _(
            "There are no officers in this database yet: import the hub's sync file first "
            "(or the roster: fieldtui sheet import officers FILE)"
        )
    else:
        text = "\n".join(
            f"{'*' if current and o.id == current.id else ' '} {o.id[-ID_SHOWN:]}  {describe(o)}"
            for o in officers
        )
        text += "\n" + _("* this database's officer; choose with: fieldtui profile set NAME|ID")
    out.result(data, text)
    return EXIT_OK


def run_set(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            officer = set_current_officer(store, args.ref)
        except ProfileError as exc:
            raise CliError(str(exc)) from None
    out.result(
        {"officer": _officer_json(officer)},
        _("This database's officer is now {name}; new visits default to them.").format(
            name=quoted(describe(officer))
        ),
    )
    return EXIT_OK
