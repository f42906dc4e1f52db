"""Sealed sync files (format 2): a team's files, signed by their device and encrypted.

Layout, byte for byte::

    FIELDSYNC/2 <sha256 of the envelope line, hex>\\n
    <envelope: one line of JSON>\\n
    <ciphertext: AES-256-GCM of a whole format-1 file, exactly envelope["bytes"] bytes>

The envelope says which team and which epoch's team key (``team``, ``epoch``), which device
wrote the file (``device``: its fingerprint; ``sign_key``: its Ed25519 public key), the GCM
nonce, the ciphertext's length, the team key wrapped for the devices this file is meant to
hand it to (``wraps``: the laptop a hub file is for), and ``signature``: the device's Ed25519
signature over the envelope's other fields (canonical JSON) and the ciphertext's SHA-256. The
same canonical JSON is the ciphertext's associated data, so nothing in the envelope can be
changed without the file failing to open.

Everything a lost stick could tell is inside the ciphertext: the manifest (names, replica
ids, vectors) and every change. Outside are the team's id, the device's public key and sizes.

Reading checks, in order: the header and the envelope's shape and sizes, then (by the caller,
who knows whom to trust: :mod:`fieldtui.sync.team`) the signature with the device's known
key, then decryption. Only then is the inner file read as any format-1 file.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui.i18n import _
from fieldtui.sync.crypto import (
    KEY_BYTES,
    NONCE_BYTES,
    TAG_BYTES,
    CryptoError,
    DeviceKeys,
    b64,
    decrypt,
    encrypt_with,
    fingerprint,
    new_nonce,
    unb64,
    unwrap,
    verify,
    wrap,
)
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.fileformat import MAGIC

FORMAT = 2
PREFIX = MAGIC + b"2 "
SIGNED = b"fieldtui sealed file v2\n"
MAX_ENVELOPE_BYTES = 64 * 1024
MAX_WRAPS = 64
SIGNATURE_BYTES = 64


@dataclass(frozen=True, slots=True)
class Wrap:
    """The team key of ``epoch`` for ``device``: see :func:`fieldtui.sync.crypto.wrap`."""

    device: str
    epoch: int
    ephemeral: bytes
    nonce: bytes
    key: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "device": self.device,
            "epoch": self.epoch,
            "ephemeral": b64(self.ephemeral),
            "nonce": b64(self.nonce),
            "key": b64(self.key),
        }


def wrap_context(team_id: str, device: str, epoch: int) -> bytes:
    return f"{team_id}/{device}/{epoch}".encode("ascii")


def wrap_for(team_id: str, epoch: int, key: bytes, device: str, box_public: bytes) -> Wrap:
    ephemeral, nonce, sealed = wrap(key, box_public, wrap_context(team_id, device, epoch))
    return Wrap(device, epoch, ephemeral, nonce, sealed)


def open_wrap(w: Wrap, team_id: str, device: DeviceKeys) -> bytes:
    return unwrap(device.box, w.ephemeral, w.nonce, w.key, wrap_context(team_id, w.device, w.epoch))


@dataclass(slots=True)
class Envelope:
    team: str
    epoch: int
    device: str
    sign_key: bytes
    nonce: bytes
    size: int
    wraps: list[Wrap] = field(default_factory=list)
    signature: bytes = b""

    def unsigned(self) -> bytes:
        """The canonical JSON of every field but the signature (signed; and the AAD)."""
        data = {
            "format": FORMAT,
            "team": self.team,
            "epoch": self.epoch,
            "device": self.device,
            "sign_key": b64(self.sign_key),
            "nonce": b64(self.nonce),
            "bytes": self.size,
            "wraps": [w.to_json() for w in self.wraps],
        }
        return json.dumps(data, sort_keys=True, separators=(",", ":")).encode("ascii")

    def signed_data(self, ciphertext: bytes) -> bytes:
        return SIGNED + self.unsigned() + hashlib.sha256(ciphertext).digest()


def is_sealed(data: bytes) -> bool:
    return data.startswith(PREFIX)


def seal(
    inner: bytes,
    device: DeviceKeys,
    team_id: str,
    epoch: int,
    key: bytes,
    wraps: list[Wrap] | None = None,
) -> bytes:
    """A sealed file holding the format-1 file ``inner``."""
    # The nonce and the size are part of the associated data, so they are fixed first (a GCM
    # ciphertext is the plaintext and a 16-byte tag).
    envelope = Envelope(
        team=team_id,
        epoch=epoch,
        device=device.device_id,
        sign_key=device.sign_public,
        nonce=new_nonce(),
        size=len(inner) + TAG_BYTES,
        wraps=list(wraps or []),
    )
    ciphertext = encrypt_with(key, envelope.nonce, inner, envelope.unsigned())
    envelope.signature = device.signature(envelope.signed_data(ciphertext))
    line = json.dumps(
        {**json.loads(envelope.unsigned()), "signature": b64(envelope.signature)},
        sort_keys=True,
        separators=(",", ":"),
    ).encode("ascii")
    header = PREFIX + hashlib.sha256(line).hexdigest().encode("ascii") + b"\n"
    return header + line + b"\n" + ciphertext


def read_envelope(path: Path, data: bytes) -> tuple[Envelope, bytes]:
    """The envelope and the ciphertext of a sealed file, shape-checked (not yet verified)."""
    end = data.find(b"\n", 0, 200)
    if end < 0:
        raise SyncFileError(path, _("damaged or truncated: the header line is incomplete"))
    header_hash = data[len(PREFIX) : end]
    start = end + 1
    stop = data.find(b"\n", start, start + MAX_ENVELOPE_BYTES + 1)
    if stop < 0:
        raise SyncFileError(path, _("damaged or truncated: the envelope is incomplete"))
    line = data[start:stop]
    if hashlib.sha256(line).hexdigest().encode("ascii") != header_hash:
        raise SyncFileError(path, _("damaged: the envelope does not match its checksum"))
    try:
        raw = json.loads(line)
        envelope = _envelope(raw)
    except RecursionError as exc:
        raise SyncFileError(path, _("damaged: the envelope is nested too deeply")) from exc
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise SyncFileError(
            path, _("damaged: bad envelope ({reason})").format(reason=str(exc)[:200])
        ) from exc
    ciphertext = data[stop + 1 :]
    if len(ciphertext) != envelope.size:
        raise SyncFileError(
            path,
            _("truncated or damaged: {n} of {total} bytes of encrypted changes").format(
                n=len(ciphertext), total=envelope.size
            ),
        )
    return envelope, ciphertext


def _text(raw: dict[str, Any], key: str, limit: int = 64) -> str:
    value = raw[key]
    if not isinstance(value, str) or not 0 < len(value) <= limit:
        raise ValueError(f"{key!r} must be a short string")
    return value


def _int(raw: dict[str, Any], key: str) -> int:
    value = raw[key]
    if type(value) is not int or not 0 <= value < 2**62:
        raise ValueError(f"{key!r} must be a non-negative integer")
    return value


def _envelope(raw: Any) -> Envelope:
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        raise ValueError("not a format-2 envelope")
    wraps = raw.get("wraps", [])
    if not isinstance(wraps, list) or len(wraps) > MAX_WRAPS:
        raise ValueError("'wraps' must be a short list")
    envelope = Envelope(
        team=_text(raw, "team"),
        epoch=_int(raw, "epoch"),
        device=_text(raw, "device"),
        sign_key=unb64(raw["sign_key"], KEY_BYTES),
        nonce=unb64(raw["nonce"], NONCE_BYTES),
        size=_int(raw, "bytes"),
        wraps=[
            Wrap(
                device=_text(w, "device"),
                epoch=_int(w, "epoch"),
                ephemeral=unb64(w["ephemeral"], KEY_BYTES),
                nonce=unb64(w["nonce"], NONCE_BYTES),
                key=unb64(w["key"], KEY_BYTES + TAG_BYTES),
            )
            for w in wraps
        ],
        signature=unb64(raw["signature"], SIGNATURE_BYTES),
    )
    if envelope.device != fingerprint(envelope.sign_key):
        raise ValueError("'device' is not the fingerprint of 'sign_key'")
    return envelope


def check_signature(path: Path, envelope: Envelope, ciphertext: bytes, sign_key: bytes) -> None:
    try:
        verify(sign_key, envelope.signature, envelope.signed_data(ciphertext))
    except CryptoError as exc:
        raise SyncFileError(
            path,
            _("its signature does not verify: it was altered, or not written by {who}").format(
                who=envelope.device[:16]
            ),
        ) from exc


def open_ciphertext(path: Path, envelope: Envelope, ciphertext: bytes, key: bytes) -> bytes:
    try:
        return decrypt(key, envelope.nonce, ciphertext, envelope.unsigned())
    except CryptoError as exc:
        raise SyncFileError(
            path,
            _("cannot be decrypted with the team key of epoch {epoch}").format(
                epoch=envelope.epoch
            ),
        ) from exc


__all__ = [
    "FORMAT",
    "Envelope",
    "Wrap",
    "check_signature",
    "is_sealed",
    "open_ciphertext",
    "open_wrap",
    "read_envelope",
    "seal",
    "wrap_for",
]
