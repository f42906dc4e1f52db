"""The few cryptographic steps sync files need, on the ``cryptography`` package.

- **Device keys**: every database of a team has an Ed25519 key pair (it signs the files it
  writes) and an X25519 key pair (the hub wraps the team key for it). A device is known by
  its *fingerprint*: the first 16 bytes of SHA-256 of its Ed25519 public key, shown to people
  as ``3F2A-9C1B-77D0-E4A5`` (the first 8 bytes) to compare at enrolment.
- **Team key**: 32 random bytes, AES-256-GCM, numbered by *epoch* (a revocation makes the
  next one). A file is encrypted under one epoch's key with a fresh 96-bit random nonce, the
  file's envelope as associated data.
- **Key wrap**: the team key encrypted for one device: an ephemeral X25519 key agreed with the
  device's public key, HKDF-SHA256 (bound to the team, the device and the epoch) to a one-use
  AES-GCM key. Only the device's private key opens it.

Nothing here touches files or the database; :mod:`fieldtui.sync.keyfile` keeps the private
keys, :mod:`fieldtui.sync.sealed` the file format.
"""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
WRAP_INFO = b"fieldtui team key wrap v1"


class CryptoError(Exception):
    """A signature that does not verify, or a ciphertext that does not open."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: object, size: int | None = None) -> bytes:
    """Base64 text → bytes (of ``size`` bytes when given); :class:`ValueError` otherwise."""
    if not isinstance(text, str) or len(text) > 4096:
        raise ValueError("not base64 text")
    data = base64.b64decode(text.encode("ascii"), validate=True)
    if size is not None and len(data) != size:
        raise ValueError(f"{len(data)} bytes, {size} expected")
    return data


def fingerprint(sign_key: bytes) -> str:
    """A device's id: 32 hex digits of SHA-256 of its Ed25519 public key."""
    return hashlib.sha256(sign_key).hexdigest()[:32]


def shown_fingerprint(device_id: str) -> str:
    """What people compare: ``3F2A-9C1B-77D0-E4A5``."""
    text = device_id[:16].upper()
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


@dataclass(frozen=True, slots=True)
class DeviceKeys:
    """A device's private keys (raw bytes) and what follows from them."""

    sign: bytes
    box: bytes

    @classmethod
    def generate(cls) -> DeviceKeys:
        return cls(
            Ed25519PrivateKey.generate().private_bytes_raw(),
            X25519PrivateKey.generate().private_bytes_raw(),
        )

    @property
    def sign_public(self) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.sign).public_key().public_bytes_raw()

    @property
    def box_public(self) -> bytes:
        return X25519PrivateKey.from_private_bytes(self.box).public_key().public_bytes_raw()

    @property
    def device_id(self) -> str:
        return fingerprint(self.sign_public)

    def signature(self, data: bytes) -> bytes:
        return Ed25519PrivateKey.from_private_bytes(self.sign).sign(data)


def verify(sign_key: bytes, signature: bytes, data: bytes) -> None:
    """:class:`CryptoError` unless ``signature`` is ``sign_key``'s over ``data``."""
    try:
        Ed25519PublicKey.from_public_bytes(sign_key).verify(signature, data)
    except (InvalidSignature, ValueError) as exc:
        raise CryptoError("bad signature") from exc


def new_team_key() -> bytes:
    return AESGCM.generate_key(bit_length=256)


def new_nonce() -> bytes:
    """96 random bits: never the same twice under one key in any office's lifetime."""
    return os.urandom(NONCE_BYTES)


def encrypt_with(key: bytes, nonce: bytes, plaintext: bytes, aad: bytes) -> bytes:
    return AESGCM(key).encrypt(nonce, plaintext, aad)


def encrypt(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """``(nonce, ciphertext)``: AES-256-GCM under ``key``, a fresh random nonce."""
    nonce = new_nonce()
    return nonce, encrypt_with(key, nonce, plaintext, aad)


def decrypt(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except (InvalidTag, ValueError) as exc:
        raise CryptoError("does not open") from exc


def _wrap_key(shared: bytes, context: bytes) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=WRAP_INFO + context
    ).derive(shared)


def wrap(team_key: bytes, box_public: bytes, context: bytes) -> tuple[bytes, bytes, bytes]:
    """The team key for one device: ``(ephemeral public key, nonce, wrapped key)``."""
    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(box_public))
    nonce, sealed = encrypt(_wrap_key(shared, context), team_key, context)
    return ephemeral.public_key().public_bytes_raw(), nonce, sealed


def unwrap(
    box_private: bytes, ephemeral: bytes, nonce: bytes, sealed: bytes, context: bytes
) -> bytes:
    try:
        shared = X25519PrivateKey.from_private_bytes(box_private).exchange(
            X25519PublicKey.from_public_bytes(ephemeral)
        )
    except ValueError as exc:
        raise CryptoError("bad key") from exc
    key = decrypt(_wrap_key(shared, context), nonce, sealed, context)
    if len(key) != KEY_BYTES:
        raise CryptoError("bad key")
    return key
