"""The private keys of a database in a team, in a file beside it readable by its owner only.

``office.db`` keeps its keys in ``office.db.keys`` (JSON, mode 0600): the device's signing and
key-exchange private keys and, once the database belongs to a team, the team's id, the hub's
public signing key (a laptop accepts files signed by it only) and the team key of every epoch
it has been given. The database itself holds public things only (the enrolled devices), so its
backups carry no secret; a database copied without its key file cannot sign or read the team's
files until it joins again.

The file is replaced atomically (written under a temporary name with mode 0600 from its
creation, fsynced, renamed), so a crash never leaves half a key file. One whose mode lets others
read it is narrowed back to 0600 when read.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui.i18n import _, located
from fieldtui.sync.crypto import KEY_BYTES, DeviceKeys, b64, unb64
from fieldtui.sync.errors import SyncError

SUFFIX = ".keys"
FORMAT = 1
MAX_BYTES = 1024 * 1024


def key_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + SUFFIX)


@dataclass(slots=True)
class TeamKeys:
    team_id: str
    hub_sign: bytes
    """The hub's Ed25519 public key: only files it signed are taken from the hub."""
    keys: dict[int, bytes] = field(default_factory=dict)
    """Epoch → team key."""
    name: str = ""
    """The team's name (the hub's, as it was created)."""

    @property
    def current(self) -> int:
        return max(self.keys) if self.keys else 0


@dataclass(slots=True)
class KeyFile:
    device: DeviceKeys
    team: TeamKeys | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "format": FORMAT,
            "device": {"sign": b64(self.device.sign), "box": b64(self.device.box)},
        }
        if self.team is not None:
            data["team"] = {
                "id": self.team.team_id,
                "name": self.team.name,
                "hub_sign": b64(self.team.hub_sign),
                "keys": {str(epoch): b64(key) for epoch, key in sorted(self.team.keys.items())},
            }
        return data


def _parse(path: Path, data: Any) -> KeyFile:
    try:
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise ValueError("unknown format")
        device = DeviceKeys(
            unb64(data["device"]["sign"], KEY_BYTES), unb64(data["device"]["box"], KEY_BYTES)
        )
        team_data = data.get("team")
        team = None
        if team_data is not None:
            team = TeamKeys(
                team_id=str(team_data["id"]),
                name=str(team_data.get("name", "")),
                hub_sign=unb64(team_data["hub_sign"], KEY_BYTES),
                keys={int(e): unb64(k, KEY_BYTES) for e, k in team_data["keys"].items()},
            )
        return KeyFile(device, team)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise SyncError(located(path, _("damaged key file ({reason})").format(reason=exc))) from exc


def load(db_path: Path) -> KeyFile | None:
    """The database's key file, or None when it has none."""
    path = key_path(db_path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise SyncError(located(path, exc.strerror or str(exc))) from exc
    if os.name == "posix" and info.st_mode & 0o077:
        with contextlib.suppress(OSError):
            path.chmod(stat.S_IRUSR | stat.S_IWUSR)
    if info.st_size > MAX_BYTES:
        raise SyncError(located(path, _("damaged key file (too large)")))
    try:
        text = path.read_text(encoding="utf-8")
        return _parse(path, json.loads(text))
    except (OSError, UnicodeError, ValueError) as exc:
        if isinstance(exc, SyncError):
            raise
        raise SyncError(located(path, _("damaged key file ({reason})").format(reason=exc))) from exc


def write(db_path: Path, keys: KeyFile) -> Path:
    """Write the key file atomically, readable and writable by its owner only."""
    path = key_path(db_path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    data = json.dumps(keys.to_json(), indent=1, sort_keys=True).encode("utf-8")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, data)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise SyncError(
            located(
                path, _("cannot write the key file ({reason})").format(reason=exc.strerror or exc)
            )
        ) from exc
    return path


def load_or_create(db_path: Path) -> KeyFile:
    """The key file, made with fresh device keys if there is none yet."""
    found = load(db_path)
    if found is not None:
        return found
    keys = KeyFile(DeviceKeys.generate())
    write(db_path, keys)
    return keys
