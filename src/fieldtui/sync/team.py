"""The office's team: who may write sync files, and the keys that make them private.

The flow works with USB sticks and no network, at the office, in three commands:

1. ``fieldtui sync team create`` on the hub (once): the hub gets its device keys and the first
   team key (epoch 1), kept in its key file (:mod:`fieldtui.sync.keyfile`). From then on the
   hub writes only sealed files and takes only sealed files from enrolled laptops.
2. ``fieldtui sync team join E:/`` on a laptop (``sync init --laptop`` first): the laptop gets
   its device keys and writes a *join request* onto the stick: its name, replica id and public
   keys, signed with its new key (``张三-join-3F2A9C1B.fieldjoin``). It prints its device's
   fingerprint.
3. ``fieldtui sync team enroll E:/张三-join-….fieldjoin`` at the hub: the hub checks the
   request, prints the name and fingerprint (compare them with the laptop's screen), records
   the device, and writes the laptop's next file onto the stick, with the team key wrapped
   for that device. Importing that file (``fieldtui sync import``) makes the laptop a member:
   it learns the team, the hub's key (it takes files signed by that key only) and the team
   key, and prints the hub's fingerprint to compare with ``fieldtui sync team`` at the hub.

``fieldtui sync team revoke NAME`` (a lost or retired laptop): its files are refused from
then on, and the hub makes a new team key (the next epoch); every other laptop receives it
wrapped for its device in its next file from the hub, so what the office writes after the
revocation cannot be read with what the revoked laptop knew. ``fieldtui sync team`` shows the
team, this device and (at the hub) every device with its state.

An office that syncs without a team keeps working as before (plain files); it moves to a team
by creating one at the hub and enrolling each laptop once (README, "Sync workflow").
"""

from __future__ import annotations

import json
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _, bracketed, list_separator, located
from fieldtui.store.writer import now_iso
from fieldtui.sync import keyfile
from fieldtui.sync.crypto import (
    KEY_BYTES,
    CryptoError,
    b64,
    fingerprint,
    new_team_key,
    shown_fingerprint,
    unb64,
    verify,
)
from fieldtui.sync.errors import SyncError
from fieldtui.sync.exporter import Exported, app_version, export
from fieldtui.sync.fileformat import MAX_ID_CHARS, MAX_NAME_CHARS, write_atomically
from fieldtui.sync.keyfile import TeamKeys
from fieldtui.sync.peers import HUB, LAPTOP, get_peer, identity, note_peer, require_role
from fieldtui.sync.trust import (
    META_TEAM,
    Device,
    Trust,
    device_of_replica,
    devices,
    get_device,
    save_device,
)

if TYPE_CHECKING:
    from fieldtui.store import Store

JOIN_SUFFIX = ".fieldjoin"
JOIN_MAGIC = b"FIELDJOIN/1\n"
JOIN_SIGNED = b"fieldtui join request v1\n"
MAX_JOIN_BYTES = 64 * 1024


@dataclass(slots=True)
class DeviceStatus:
    """One enrolled laptop device, as the hub knows it."""

    device_id: str
    fingerprint: str
    name: str
    replica_ids: list[str]
    enrolled_at: str
    revoked_at: str | None
    last_in_at: str | None


@dataclass(slots=True)
class TeamStatus:
    """What ``fieldtui sync team`` (and the sync screen) shows."""

    role: str | None
    in_team: bool
    team_id: str | None
    team_name: str
    epoch: int
    """The newest team key this database has (0: none)."""
    device_fingerprint: str | None
    """This database's own device (None before it has keys)."""
    hub_fingerprint: str | None
    """The hub's device: its own (hub), the one files are taken from (laptop)."""
    key_file: Path
    devices: list[DeviceStatus] = field(default_factory=list)
    """At the hub: every enrolled device, revoked ones included."""
    waiting: bool = False
    """A laptop that made its join request and has not imported its enrolment file yet."""


@dataclass(slots=True)
class JoinRequest:
    path: Path
    name: str
    replica_id: str
    device_id: str

    @property
    def fingerprint(self) -> str:
        return shown_fingerprint(self.device_id)


@dataclass(slots=True)
class Enrolled:
    device: DeviceStatus
    files: list[Exported]
    again: bool
    """The device was enrolled before (its file is written again)."""


@dataclass(slots=True)
class Revoked:
    device: DeviceStatus
    epoch: int
    """The new team key's epoch."""


def _status_of(d: Device) -> DeviceStatus:
    return DeviceStatus(
        device_id=d.device_id,
        fingerprint=d.fingerprint,
        name=d.name,
        replica_ids=list(d.replica_ids),
        enrolled_at=d.enrolled_at,
        revoked_at=d.revoked_at,
        last_in_at=d.last_in_at,
    )


def team_status(store: Store) -> TeamStatus:
    me = identity(store)
    keys = keyfile.load(store.path)
    team = keys.team if keys else None
    hub_fp: str | None = None
    if team is not None:
        hub_fp = shown_fingerprint(fingerprint(team.hub_sign))
    return TeamStatus(
        role=me.role,
        in_team=team is not None,
        team_id=team.team_id if team else None,
        team_name=team.name if team else "",
        epoch=team.current if team else 0,
        device_fingerprint=shown_fingerprint(keys.device.device_id) if keys else None,
        hub_fingerprint=hub_fp,
        key_file=keyfile.key_path(store.path),
        devices=[_status_of(d) for d in devices(store.db)] if me.role == HUB else [],
        waiting=me.role == LAPTOP and keys is not None and team is None,
    )


def create_team(store: Store, name: str | None = None) -> TeamStatus:
    """Make this hub's team (once): device keys, team id, the first team key."""
    me = require_role(store)
    if me.role != HUB:
        raise SyncError(_("a team is made at the office, on the hub"))
    Trust(store)  # refuses a database whose key file went missing
    keys = keyfile.load_or_create(store.path)
    if keys.team is not None:
        raise SyncError(
            _("this hub already has a team ({team}); fieldtui sync team shows it").format(
                team=keys.team.team_id[:8]
            )
        )
    keys.team = TeamKeys(
        team_id=secrets.token_hex(16),
        hub_sign=keys.device.sign_public,
        keys={1: new_team_key()},
        name=clean_line(name or me.name)[:MAX_NAME_CHARS],
    )
    keyfile.write(store.path, keys)
    store.set_meta(META_TEAM, keys.team.team_id)
    return team_status(store)


# -- join requests --------------------------------------------------------------------------


_UNSAFE = re.compile(r"[^\w.-]+")


def _join_body(data: dict[str, Any]) -> bytes:
    body = {k: v for k, v in data.items() if k != "signature"}
    return JOIN_SIGNED + json.dumps(body, sort_keys=True, separators=(",", ":")).encode("utf-8")


def join_request(store: Store, out: Path | str) -> JoinRequest:
    """A laptop's request to join its office's team, written to ``out`` (a folder, or a file
    name ending in ``.fieldjoin``)."""
    me = require_role(store)
    if me.role != LAPTOP:
        raise SyncError(_("the hub makes the team (fieldtui sync team create); laptops join it"))
    Trust(store)
    keys = keyfile.load_or_create(store.path)
    if keys.team is not None:
        raise SyncError(
            _("this laptop is already in the team {team}; fieldtui sync team shows it").format(
                team=f"“{keys.team.name}”"
            )
        )
    device = keys.device
    data: dict[str, Any] = {
        "format": 1,
        "name": me.name,
        "replica_id": store.replica_id,
        "sign_key": b64(device.sign_public),
        "box_key": b64(device.box_public),
        "created_at": now_iso(),
        "app_version": app_version(),
    }
    data["signature"] = b64(device.signature(_join_body(data)))
    target = Path(out)
    as_dir = isinstance(out, str) and out.endswith(("/", "\\"))
    if as_dir and not target.exists():
        target.mkdir(parents=True)
    if target.is_dir():
        slug = _UNSAFE.sub("-", me.name).strip("-.") or "laptop"
        target = target / f"{slug}-join-{device.device_id[:8].upper()}{JOIN_SUFFIX}"
    elif target.suffix != JOIN_SUFFIX:
        raise SyncError(
            _("{path}: give a folder, or a file name ending in {suffix}").format(
                path=target, suffix=JOIN_SUFFIX
            )
        )
    line = json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")
    write_atomically(target, (JOIN_MAGIC, line, b"\n"))
    return JoinRequest(target, me.name, store.replica_id, device.device_id)


@dataclass(slots=True)
class _Request:
    name: str
    replica_id: str
    sign_key: bytes
    box_key: bytes

    @property
    def device_id(self) -> str:
        return fingerprint(self.sign_key)


def read_request(path: Path) -> _Request:
    """A join request, its signature checked (the laptop holds the key it names)."""

    def bad(reason: str) -> SyncError:
        return SyncError(located(path, reason))

    try:
        if path.stat().st_size > MAX_JOIN_BYTES:
            raise bad(_("not a join request (too large)"))
        raw = path.read_bytes()
    except OSError as exc:
        raise bad(_("cannot read: {reason}").format(reason=exc.strerror or exc)) from exc
    if not raw.startswith(JOIN_MAGIC):
        raise bad(_("not a fieldtui join request"))
    try:
        data = json.loads(raw[len(JOIN_MAGIC) :])
        if not isinstance(data, dict) or data.get("format") != 1:
            raise ValueError("unknown format")
        name = data["name"]
        replica_id = data["replica_id"]
        if not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
            raise ValueError("bad name")
        if not isinstance(replica_id, str) or not 0 < len(replica_id) <= MAX_ID_CHARS:
            raise ValueError("bad replica id")
        request = _Request(
            name=clean_line(name),
            replica_id=replica_id,
            sign_key=unb64(data["sign_key"], KEY_BYTES),
            box_key=unb64(data["box_key"], KEY_BYTES),
        )
        verify(request.sign_key, unb64(data["signature"], 64), _join_body(data))
    except RecursionError as exc:
        raise bad(_("damaged join request (nested too deeply)")) from exc
    except (ValueError, KeyError, TypeError) as exc:
        raise bad(_("damaged join request ({reason})").format(reason=exc)) from exc
    except CryptoError as exc:
        raise bad(_("the join request's signature does not verify (altered or damaged)")) from exc
    return request


def enroll(store: Store, request_path: Path | str, out: Path | str | None = None) -> Enrolled:
    """Enrol the laptop of a join request and write its next file (with the team key for it)
    into ``out`` (default: the request's folder)."""
    path = Path(request_path)
    me = require_role(store)
    if me.role != HUB:
        raise SyncError(_("laptops are enrolled at the office, on the hub"))
    trust = Trust(store)
    if trust.team is None:
        raise SyncError(_("this hub has no team yet: fieldtui sync team create"))
    request = read_request(path)
    db = store.db
    if request.replica_id == store.replica_id or request.sign_key == trust.team.hub_sign:
        raise SyncError(located(path, _("this is the hub's own database, not a laptop")))
    with store.writer.transaction():
        known = get_device(db, request.device_id)
        if known is not None and known.revoked_at:
            raise SyncError(
                located(
                    path,
                    _(
                        "the device of {name} ({device}) was revoked on {at}; a revoked "
                        "laptop joins again only with a new database (fieldtui sync init "
                        "--laptop on a new file)"
                    ).format(name=f"“{known.name}”", device=known.fingerprint, at=known.revoked_at),
                )
            )
        owner = device_of_replica(db, request.replica_id)
        if owner is not None and owner.device_id != request.device_id:
            raise SyncError(
                located(
                    path,
                    _(
                        "the database {replica} already belongs to the device of {name} "
                        "({device}){revoked}; a laptop joins with its own database"
                    ).format(
                        replica=request.replica_id,
                        name=f"“{owner.name}”",
                        device=owner.fingerprint,
                        revoked=_(", revoked") if owner.revoked_at else "",
                    ),
                )
            )
        peer = get_peer(db, request.replica_id)
        if peer is not None and peer.role == HUB:
            raise SyncError(located(path, _("that database is a hub, not a laptop")))
        now = now_iso()
        device = known or Device(
            device_id=request.device_id,
            name=request.name,
            role=LAPTOP,
            sign_key=request.sign_key,
            box_key=request.box_key,
            replica_ids=[],
            enrolled_at=now,
        )
        device.name = request.name or device.name
        if request.replica_id not in device.replica_ids:
            device.replica_ids.append(request.replica_id)
        save_device(db, device)
        note_peer(db, request.replica_id, role=LAPTOP, name=request.name, hub_id=me.replica_id)
    folder = str(path.parent if out is None else out)
    files = export(
        store, folder if folder.endswith(("/", "\\")) else folder + "/", for_peer=request.replica_id
    )
    return Enrolled(_status_of(device), files, again=known is not None)


def find_device(store: Store, ref: str) -> Device:
    """An enrolled device by its name, fingerprint (or its start) or replica id."""
    found = devices(store.db)
    compact = ref.replace("-", "").lower()
    exact = [d for d in found if ref in (d.name, *d.replica_ids) or d.device_id == compact]
    if not exact and len(compact) >= 4:
        exact = [d for d in found if d.device_id.startswith(compact)]
    live = [d for d in exact if not d.revoked_at]
    if len(exact) > 1 and len(live) == 1:
        exact = live
    if len(exact) == 1:
        return exact[0]
    names = list_separator().join(d.name + bracketed(d.fingerprint) for d in found) or _("none yet")
    if not exact:
        raise SyncError(
            _("no enrolled device {ref}; enrolled: {names}").format(ref=f"“{ref}”", names=names)
        )
    raise SyncError(
        _("{ref} names several devices; give its fingerprint: {names}").format(
            ref=f"“{ref}”", names=names
        )
    )


def revoke(store: Store, ref: str) -> Revoked:
    """Revoke a laptop's device and renew the team key (see the module)."""
    me = require_role(store)
    if me.role != HUB:
        raise SyncError(_("devices are revoked at the office, on the hub"))
    trust = Trust(store)
    keys = trust.keys
    if keys is None or keys.team is None:
        raise SyncError(_("this hub has no team yet: fieldtui sync team create"))
    device = find_device(store, ref)
    if device.revoked_at:
        raise SyncError(
            _("the device of {name} ({device}) was already revoked on {at}").format(
                name=f"“{device.name}”", device=device.fingerprint, at=device.revoked_at
            )
        )
    epoch = keys.team.current + 1
    keys.team.keys[epoch] = new_team_key()
    # The new key first: a revocation recorded without it would leave the old key in use.
    keyfile.write(store.path, keys)
    with store.writer.transaction():
        device.revoked_at = now_iso()
        save_device(store.db, device)
    return Revoked(_status_of(device), epoch)


def request_fingerprint(path: Path) -> str:
    """A join request's device fingerprint (for a screen to show before enrolling)."""
    return shown_fingerprint(read_request(path).device_id)
