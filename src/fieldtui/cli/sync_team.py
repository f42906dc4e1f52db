"""``fieldtui sync team [status|create|join|enroll|revoke]``: the office's team (signed,
encrypted sync files; see :mod:`fieldtui.sync.team` for the flow)."""

from __future__ import annotations

import argparse
from typing import Any

from fieldtui.cli.common import EXIT_OK, CliError, Output, open_store, quoted
from fieldtui.domain.printable import printable
from fieldtui.i18n import _, located
from fieldtui.store.dberrors import explain
from fieldtui.sync import HUB, LAPTOP, SyncError
from fieldtui.sync.team import (
    JOIN_SUFFIX,
    DeviceStatus,
    TeamStatus,
    create_team,
    enroll,
    join_request,
    revoke,
    team_status,
)


def register_team(actions: Any) -> None:
    team = actions.add_parser(
        "team",
        help=_("the office's team: signed and encrypted sync files"),
        description=_(
            "The hub makes the team once (create); each laptop joins at the office: join "
            "writes a request onto the stick, the hub enrolls it and writes the laptop's next "
            "file with the team key; importing that file makes the laptop a member. From then "
            "on every file is signed by its device and encrypted: the hub takes files from "
            "enrolled laptops only, a laptop from its hub only. revoke shuts a laptop out and "
            "renews the team key."
        ),
    )
    team.set_defaults(func=run_team_status)
    steps = team.add_subparsers(dest="team_action", metavar="ACTION", title=_("actions"))
    status_ = steps.add_parser("status", help=_("the team, this device and the enrolled devices"))
    status_.set_defaults(func=run_team_status)
    create = steps.add_parser("create", help=_("hub: make the office's team"))
    create.add_argument("--name", help=_("the team's name (default: the hub's)"))
    create.set_defaults(func=run_team_create)
    join = steps.add_parser(
        "join",
        help=_("laptop: write a request to join the team (a {suffix} file)").format(
            suffix=JOIN_SUFFIX
        ),
    )
    join.add_argument(
        "out",
        metavar="OUT",
        help=_("folder (the stick), or a file name ending in {suffix}").format(suffix=JOIN_SUFFIX),
    )
    join.set_defaults(func=run_team_join)
    enroll_ = steps.add_parser(
        "enroll", help=_("hub: enroll the laptop of a join request and write its file")
    )
    enroll_.add_argument(
        "request",
        metavar="REQUEST",
        help=_("the laptop's {suffix} file").format(suffix=JOIN_SUFFIX),
    )
    enroll_.add_argument(
        "--out",
        metavar="DIR",
        help=_("where to write the laptop's file (default: beside the request)"),
    )
    enroll_.set_defaults(func=run_team_enroll)
    revoke_ = steps.add_parser(
        "revoke", help=_("hub: refuse a laptop's files from now on and renew the team key")
    )
    revoke_.add_argument(
        "device", metavar="LAPTOP", help=_("its name, device fingerprint or replica id")
    )
    revoke_.set_defaults(func=run_team_revoke)


def team_json(st: TeamStatus) -> dict[str, Any]:
    return {
        "role": st.role,
        "in_team": st.in_team,
        "team_id": st.team_id,
        "team_name": st.team_name,
        "epoch": st.epoch,
        "device": st.device_fingerprint,
        "hub_device": st.hub_fingerprint,
        "key_file": str(st.key_file),
        "waiting": st.waiting,
        "devices": [_device_json(d) for d in st.devices],
    }


def _device_json(d: DeviceStatus) -> dict[str, Any]:
    return {
        "device_id": d.device_id,
        "fingerprint": d.fingerprint,
        "name": d.name,
        "replica_ids": d.replica_ids,
        "enrolled_at": d.enrolled_at,
        "revoked_at": d.revoked_at,
        "last_in_at": d.last_in_at,
    }


def team_lines(st: TeamStatus) -> list[str]:
    if not st.in_team:
        if st.waiting:
            lines = [
                _(
                    "Not in a team yet: the join request is made; import the file the office "
                    "writes when it enrolls this laptop"
                )
            ]
        elif st.role == HUB:
            lines = [
                _(
                    "No team: sync files are neither signed nor encrypted (fieldtui sync "
                    "team create)"
                )
            ]
        else:
            lines = [_("Not in a team: sync files are neither signed nor encrypted")]
        if st.device_fingerprint:
            lines.append(_("This device: {fp}").format(fp=st.device_fingerprint))
        return lines
    lines = [
        _("Team {name} ({team}), team key epoch {epoch}").format(
            name=quoted(printable(st.team_name)), team=(st.team_id or "")[:8], epoch=st.epoch
        ),
        _("This device: {fp}").format(fp=st.device_fingerprint),
    ]
    if st.role == LAPTOP:
        lines.append(
            _("Files are taken from the hub with the device {fp} only").format(
                fp=st.hub_fingerprint
            )
        )
    lines.append(
        _("Keys: {path} (readable by its owner only; keep a copy safe)").format(path=st.key_file)
    )
    for d in st.devices:
        state = (
            _("revoked on {at}").format(at=d.revoked_at)
            if d.revoked_at
            else _("enrolled on {at}").format(at=d.enrolled_at)
        )
        last = _(", last file in {at}").format(at=d.last_in_at) if d.last_in_at else ""
        lines.append(
            "  "
            + _("{name} ({fp}): {state}{last}").format(
                name=quoted(printable(d.name)), fp=d.fingerprint, state=state, last=last
            )
        )
    return lines


def run_team_status(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            st = team_status(store)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    out.result(team_json(st), "\n".join(team_lines(st)))
    return EXIT_OK


def run_team_create(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            st = create_team(store, args.name)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    text = _(
        "Made the team {name}. This hub's device: {fp}. From now on it writes signed, "
        "encrypted files and takes files only from enrolled laptops: enroll each laptop "
        "(fieldtui sync team join on it, then fieldtui sync team enroll here). Keep a copy of "
        "{keys} safe: without it the hub cannot read its team's files."
    ).format(name=quoted(printable(st.team_name)), fp=st.hub_fingerprint, keys=st.key_file)
    out.result(team_json(st), text)
    return EXIT_OK


def run_team_join(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            request = join_request(store, args.out)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
        except OSError as exc:
            raise CliError(located(args.out, explain(exc) or exc.strerror or str(exc))) from exc
    data = {
        "path": str(request.path),
        "name": request.name,
        "replica_id": request.replica_id,
        "device": request.fingerprint,
    }
    text = _(
        "Wrote {path}. This laptop's device: {fp}. At the office: fieldtui sync team enroll "
        "with this file (check that it shows the same device), then import the file it writes."
    ).format(path=request.path, fp=request.fingerprint)
    out.result(data, text)
    return EXIT_OK


def run_team_enroll(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            done = enroll(store, args.request, args.out)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
        except OSError as exc:
            raise CliError(located(args.out or args.request, explain(exc) or str(exc))) from exc
    data = {
        "device": _device_json(done.device),
        "again": done.again,
        "files": [
            {"path": str(f.path), "ops": f.ops, "full": f.full, "bytes": f.size} for f in done.files
        ],
    }
    lines = [
        _("Enrolled {name}, device {fp} (check that the laptop showed the same).").format(
            name=quoted(printable(done.device.name)), fp=done.device.fingerprint
        )
    ]
    for f in done.files:
        lines.append(
            _("Wrote {path}: import it on the laptop (fieldtui sync import) to join.").format(
                path=f.path
            )
        )
    out.result(data, "\n".join(lines))
    return EXIT_OK


def run_team_revoke(args: argparse.Namespace, out: Output) -> int:
    with open_store(args) as store:
        try:
            done = revoke(store, args.device)
        except SyncError as exc:
            raise CliError(str(exc)) from exc
    data = {"device": _device_json(done.device), "epoch": done.epoch}
    text = _(
        "Revoked {name} (device {fp}): its files are refused from now on. The team key was "
        "renewed (epoch {epoch}); every other laptop receives it with its next file from the "
        "office."
    ).format(name=quoted(printable(done.device.name)), fp=done.device.fingerprint, epoch=done.epoch)
    out.result(data, text)
    return EXIT_OK
