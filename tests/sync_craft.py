"""Crafting sync files the way an attacker would: change anything, then recompute every checksum.

A checksum only proves that a file was not damaged on the way; whoever writes a file can make
its hashes match whatever it says. These helpers take a valid ``.fieldsync`` file apart into
its manifest and ops, and put any manifest and ops (or raw payload lines) back together with
matching hashes, sizes and counts, so the tests exercise what the importer does with content
it cannot trust.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

MAGIC = b"FIELDSYNC/"


def unpack(data: bytes) -> tuple[dict[str, Any], list[list[Any]]]:
    """A format-1 file's manifest and ops."""
    _header, rest = data.split(b"\n", 1)
    line, payload = rest.split(b"\n", 1)
    raw = zlib.decompress(payload) if payload else b""
    ops = [json.loads(x) for x in raw.decode("utf-8").splitlines()]
    return json.loads(line), ops


def op_line(op: Any) -> bytes:
    return json.dumps(op, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def pack(
    manifest: dict[str, Any],
    ops: list[Any] | None = None,
    *,
    lines: list[bytes] | None = None,
    manifest_line: bytes | None = None,
    count: int | None = None,
) -> bytes:
    """A file with ``ops`` (or raw payload ``lines``) under ``manifest``, hashes made to match.

    ``manifest_line`` replaces the manifest's JSON text as written (for manifests that are
    not JSON objects); ``count`` overrides the op count the manifest declares.
    """
    if lines is None:
        lines = [op_line(op) for op in ops or []]
    raw = b"".join(line + b"\n" for line in lines)
    payload = zlib.compress(raw)
    m = dict(manifest)
    m.update(
        ops=len(lines) if count is None else count,
        raw_bytes=len(raw),
        payload_bytes=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
    )
    text = manifest_line
    if text is None:
        text = json.dumps(m, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    header = MAGIC + f"1 {hashlib.sha256(text).hexdigest()}\n".encode()
    return header + text + b"\n" + payload


def repack(data: bytes, **changes: Any) -> bytes:
    """``data`` with manifest keys replaced (``file_id`` renewed so it is a new file)."""
    manifest, ops = unpack(data)
    manifest.update(changes)
    return pack(manifest, ops)
