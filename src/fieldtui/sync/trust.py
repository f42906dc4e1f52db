"""Whom a database takes files from, and how it seals its own (a team's signed, encrypted files).

Without a team nothing changes: files are plain format 1 (:mod:`fieldtui.sync.fileformat`),
checked by the sender's role and hub only. Once the hub has made a team
(:mod:`fieldtui.sync.team`):

- the **hub** takes only sealed files (:mod:`fieldtui.sync.sealed`) signed by a laptop device
  it enrolled and has not revoked, checks the signature with the public key it recorded at
  enrolment (never the one a file offers), and decrypts them with the team key of the file's
  epoch. The replica ids a device writes as are recorded with it; a file written as another
  device's replica is refused, so a laptop cannot speak for another;
- a **laptop** takes only sealed files signed by its hub's key. It learns that key, the team
  and the team key from the first hub file that carries the team key wrapped for its own
  device (the file the office writes when it enrolls the laptop), and new team keys (after a
  revocation) from the next hub files the same way;
- both write sealed files: signed with their device key, encrypted with the newest team key
  they have (a fresh nonce per file); the hub wraps that key for the laptop a file is for.

A database whose team marker (``team_id`` in ``meta``) is set but whose key file is missing
or of another team is refused for sync with a message saying so, rather than falling back to
unsigned files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from peewee import SqliteDatabase

from fieldtui.i18n import _, located
from fieldtui.sync import keyfile
from fieldtui.sync.crypto import CryptoError, b64, shown_fingerprint, unb64
from fieldtui.sync.errors import SyncError, SyncFileError
from fieldtui.sync.fileformat import Manifest
from fieldtui.sync.keyfile import KeyFile, TeamKeys
from fieldtui.sync.peers import HUB, LAPTOP, identity
from fieldtui.sync.sealed import (
    Envelope,
    check_signature,
    is_sealed,
    open_ciphertext,
    open_wrap,
    read_envelope,
    seal,
    wrap_for,
)

if TYPE_CHECKING:
    from fieldtui.store import Store

META_TEAM = "team_id"
"""Set when the database belongs to a team (the hub made it, or a laptop joined it)."""


@dataclass(slots=True)
class Device:
    """A laptop device enrolled in the hub's team."""

    device_id: str
    name: str
    role: str
    sign_key: bytes
    box_key: bytes
    replica_ids: list[str]
    enrolled_at: str
    revoked_at: str | None = None
    last_in_at: str | None = None

    @property
    def fingerprint(self) -> str:
        return shown_fingerprint(self.device_id)


_DEVICE_COLUMNS = (
    "device_id, name, role, sign_key, box_key, replica_ids, enrolled_at, revoked_at, last_in_at"
)


def _device(row: tuple[object, ...]) -> Device:
    device_id, name, role, sign_key, box_key, replicas, enrolled, revoked, last_in = row
    return Device(
        device_id=str(device_id),
        name=str(name),
        role=str(role),
        sign_key=unb64(str(sign_key)),
        box_key=unb64(str(box_key)),
        replica_ids=[str(r) for r in json.loads(str(replicas))],
        enrolled_at=str(enrolled),
        revoked_at=None if revoked is None else str(revoked),
        last_in_at=None if last_in is None else str(last_in),
    )


def devices(db: SqliteDatabase) -> list[Device]:
    cur = db.execute_sql(f"SELECT {_DEVICE_COLUMNS} FROM sync_device ORDER BY enrolled_at, name")
    return [_device(r) for r in cur.fetchall()]


def get_device(db: SqliteDatabase, device_id: str) -> Device | None:
    row = db.execute_sql(
        f"SELECT {_DEVICE_COLUMNS} FROM sync_device WHERE device_id = ?", (device_id,)
    ).fetchone()
    return _device(row) if row else None


def device_of_replica(db: SqliteDatabase, replica_id: str) -> Device | None:
    """The device that wrote as ``replica_id`` (the latest enrolled, if several did)."""
    found = [d for d in devices(db) if replica_id in d.replica_ids]
    return found[-1] if found else None


def save_device(db: SqliteDatabase, d: Device) -> None:
    db.execute_sql(
        f"INSERT OR REPLACE INTO sync_device ({_DEVICE_COLUMNS})"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            d.device_id,
            d.name,
            d.role,
            b64(d.sign_key),
            b64(d.box_key),
            json.dumps(d.replica_ids),
            d.enrolled_at,
            d.revoked_at,
            d.last_in_at,
        ),
    )


@dataclass(slots=True)
class SealInfo:
    """What a sealed file's envelope proved (set on :class:`SyncFile` by :meth:`Trust.open`)."""

    team_id: str
    epoch: int
    device_id: str
    sign_key: bytes
    learned: dict[int, bytes] = field(default_factory=dict)
    """Team keys unwrapped from the file for this device (a laptop learns them so)."""
    joins: bool = False
    """The file makes this laptop a member: its hub's key and the team are learnt from it."""


class Trust:
    """One database's keys and team, for an import or an export (see the module)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.db: SqliteDatabase = store.db
        self.role = identity(store).role
        self.keys: KeyFile | None = keyfile.load(store.path)
        marker = store.meta(META_TEAM)
        team = self.keys.team if self.keys is not None else None
        if marker and (team is None or team.team_id != marker):
            path = keyfile.key_path(store.path)
            raise SyncError(
                located(
                    path,
                    _(
                        "this database belongs to a team but its key file is missing or of "
                        "another team; put the key file back beside the database, or (a "
                        "laptop) join the team again"
                    ),
                )
            )

    @property
    def team(self) -> TeamKeys | None:
        return self.keys.team if self.keys is not None else None

    # -- reading ----------------------------------------------------------------------------

    def unsealed(self, path: Path) -> None:
        """A plain (format-1) file: refused once this database is in a team."""
        if self.team is None:
            return
        if self.role == HUB:
            raise SyncFileError(
                path,
                _(
                    "not signed: this office's hub takes files only from laptops enrolled in "
                    "its team (on the laptop: fieldtui sync team join; at the office: "
                    "fieldtui sync team enroll)"
                ),
            )
        raise SyncFileError(
            path,
            _("not signed by this laptop's hub: a laptop in a team takes only its hub's files"),
        )

    def open(self, path: Path, data: bytes) -> tuple[bytes, SealInfo]:
        """Verify a sealed file and return the format-1 file inside it."""
        envelope, ciphertext = read_envelope(path, data)
        keys = self.keys
        if keys is None:
            raise SyncFileError(path, _not_member(self.role))
        team = keys.team
        if team is not None and envelope.team != team.team_id:
            raise SyncFileError(
                path,
                _("encrypted for another team ({team}), not this office's ({mine})").format(
                    team=envelope.team[:8], mine=team.team_id[:8]
                ),
            )
        info = SealInfo(envelope.team, envelope.epoch, envelope.device, envelope.sign_key)
        if envelope.device == keys.device.device_id and team is not None:
            # A file this database wrote (left on the stick): its own key verifies it, and the
            # import then answers "written by this database".
            check_signature(path, envelope, ciphertext, keys.device.sign_public)
        elif self.role == HUB:
            device = self._enrolled(path, envelope)
            check_signature(path, envelope, ciphertext, device.sign_key)
        else:
            if team is None:
                info.joins = True
                check_signature(path, envelope, ciphertext, envelope.sign_key)
            elif envelope.sign_key != team.hub_sign:
                raise SyncFileError(
                    path,
                    _(
                        "not signed by this laptop's hub (signed by device {device}); a laptop "
                        "takes files only from its hub"
                    ).format(device=shown_fingerprint(envelope.device)),
                )
            else:
                check_signature(path, envelope, ciphertext, team.hub_sign)
            self._learn_wrapped(path, envelope, keys, info)
        key = (team.keys.get(envelope.epoch) if team else None) or info.learned.get(envelope.epoch)
        if key is None:
            raise SyncFileError(
                path,
                _not_member(self.role)
                if team is None
                else _(
                    "encrypted with the team key of epoch {epoch}, which this database was "
                    "never given"
                ).format(epoch=envelope.epoch),
            )
        return open_ciphertext(path, envelope, ciphertext, key), info

    def _enrolled(self, path: Path, envelope: Envelope) -> Device:
        device = get_device(self.db, envelope.device)
        if device is None or device.sign_key != envelope.sign_key:
            raise SyncFileError(
                path,
                _(
                    "signed by a device this hub has not enrolled ({device}); enrol the laptop "
                    "first (fieldtui sync team join on it, fieldtui sync team enroll here)"
                ).format(device=shown_fingerprint(envelope.device)),
            )
        if device.revoked_at:
            raise SyncFileError(
                path,
                _("signed by the device of {name} ({device}), revoked on {at}").format(
                    name=f"“{device.name}”", device=device.fingerprint, at=device.revoked_at
                ),
            )
        return device

    def _learn_wrapped(self, path: Path, envelope: Envelope, keys: KeyFile, info: SealInfo) -> None:
        mine = keys.device.device_id
        for w in envelope.wraps:
            if w.device != mine:
                continue
            try:
                info.learned[w.epoch] = open_wrap(w, envelope.team, keys.device)
            except CryptoError as exc:
                raise SyncFileError(
                    path, _("the team key in it does not open with this laptop's key")
                ) from exc

    def check_sender(self, path: Path, info: SealInfo | None, m: Manifest) -> None:
        """Under the write lock: the device may write as ``m``'s replica (the hub)."""
        if info is None or self.role != HUB:
            return
        device = get_device(self.db, info.device_id)
        if device is None or device.revoked_at:
            raise SyncFileError(path, _("signed by a device that is no longer enrolled"))
        if m.source_id in device.replica_ids:
            return
        other = device_of_replica(self.db, m.source_id)
        if other is not None and other.device_id != device.device_id:
            raise SyncFileError(
                path,
                _(
                    "signed by the device of {name} ({device}) but written as the database of "
                    "{other} ({replica}): a laptop speaks only for itself"
                ).format(
                    name=f"“{device.name}”",
                    device=device.fingerprint,
                    other=f"“{other.name}”",
                    replica=m.source_id,
                ),
            )

    def note_sender(self, info: SealInfo | None, m: Manifest, now: str) -> None:
        """In the import's transaction: the device wrote as this replica, at ``now``."""
        if info is None or self.role != HUB:
            return
        device = get_device(self.db, info.device_id)
        if device is None:
            return
        if m.source_id not in device.replica_ids:
            device.replica_ids.append(m.source_id)
        device.last_in_at = now
        save_device(self.db, device)

    def learn(self, infos: list[SealInfo], hub_name: str = "") -> TeamKeys | None:
        """After the import committed: a laptop keeps what its hub's files taught it (the
        team, the hub's key, new team keys). Returns the team it joined by these files."""
        if self.role != LAPTOP or self.keys is None:
            return None
        keys = self.keys
        changed = False
        joined: TeamKeys | None = None
        for info in infos:
            if keys.team is None:
                if not info.joins or not info.learned:
                    continue
                keys.team = joined = TeamKeys(info.team_id, info.sign_key, {}, hub_name)
                changed = True
            if info.team_id != keys.team.team_id:
                continue
            for epoch, key in info.learned.items():
                if keys.team.keys.get(epoch) != key:
                    keys.team.keys[epoch] = key
                    changed = True
        if changed:
            keyfile.write(self.store.path, keys)
        if keys.team is not None and self.store.meta(META_TEAM) != keys.team.team_id:
            self.store.set_meta(META_TEAM, keys.team.team_id)
        return joined

    # -- writing ----------------------------------------------------------------------------

    def seal(self, inner: bytes, target_id: str | None) -> bytes:
        """The file to write: ``inner`` sealed when this database is in a team (the hub wraps
        the team key for the target laptop's device), else ``inner`` itself."""
        keys, team = self.keys, self.team
        if keys is None or team is None:
            return inner
        epoch = team.current
        wraps = []
        if self.role == HUB and target_id:
            device = device_of_replica(self.db, target_id)
            if device is not None and not device.revoked_at:
                wraps.append(
                    wrap_for(
                        team.team_id, epoch, team.keys[epoch], device.device_id, device.box_key
                    )
                )
        return seal(inner, keys.device, team.team_id, epoch, team.keys[epoch], wraps)

    def can_read(self, target_id: str) -> str | None:
        """Why the laptop ``target_id`` could not read this hub's file (None: it can)."""
        if self.team is None or self.role != HUB:
            return None
        device = device_of_replica(self.db, target_id)
        if device is None:
            return _("it has not joined the team (enrol it: fieldtui sync team enroll)")
        if device.revoked_at:
            return _("its device was revoked on {at}").format(at=device.revoked_at)
        return None


def _not_member(role: str | None) -> str:
    if role == HUB:
        return _("encrypted for a team, but this hub has none (fieldtui sync team create)")
    return _(
        "encrypted for a team this laptop has not joined: on the laptop run fieldtui sync "
        "team join, and at the office fieldtui sync team enroll"
    )


def read_any(
    path: Path, data: bytes, trust: Trust, plain_ok: bool = False
) -> tuple[bytes, SealInfo | None]:
    """A file's format-1 bytes (opening a sealed one) and what its seal proved. A plain file
    is refused in a team unless ``plain_ok`` (recovery and tests)."""
    if is_sealed(data):
        return trust.open(path, data)
    if not plain_ok:
        trust.unsealed(path)
    return data, None
