"""The sync file (``.fieldsync``): a verified manifest and the ops as compressed JSON lines.

Layout, byte for byte::

    FIELDSYNC/<format> <sha256 of the manifest line, hex>\\n
    <manifest: one line of JSON>\\n
    <payload: zlib-compressed JSON lines, exactly manifest["payload_bytes"] bytes>

Each payload line is one op ``[op_id, replica_id, seq, hlc, tbl, row_id, field, value,
parents]`` (``value`` a JSON string, integer or null; ``parents`` a list of op ids). The header
carries the format version first so that a file from a newer fieldtui is refused with the
version it needs before anything else is read; the manifest hash in the header and the payload
hash in the manifest mean one flipped byte anywhere is caught, and a truncated file is caught
by the payload length. zlib (stdlib) because it decompresses several times faster than lzma at
a similar size for this kind of text; the manifest names the codec so a later format can add
another.

Reading verifies everything before a caller may write: size limits first (a file, a manifest,
the declared and the actual decompressed size, so a decompression bomb stops after one byte
too many), then hashes, versions, and (:mod:`fieldtui.sync.opcheck`) every op's shape, table,
field and value size. Files are
written to a temporary name in the target directory, fsynced and renamed, so a stick pulled
out mid-write never holds a half file under the real name.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.domain.validators import clean_line
from fieldtui.i18n import _
from fieldtui.store.rowstate import Value
from fieldtui.sync import limits
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.oplog import OP_COLUMNS, Vector

if TYPE_CHECKING:
    from fieldtui.sync.trust import SealInfo

FORMAT_VERSION = 1
"""The plain format written here; a team's files are sealed in format 2 around it
(:mod:`fieldtui.sync.sealed`)."""
SEALED_FORMAT = 2
READABLE_FORMAT = SEALED_FORMAT
MAGIC = b"FIELDSYNC/"
SUFFIX = ".fieldsync"
CODEC = "zlib"
COMPRESS_LEVEL = 6

# Limits against damaged or hostile files, per file. Generous for real offices (a zone's whole
# history is a few hundred thousand ops). What one import run takes on, all its files together,
# is bounded further by :mod:`fieldtui.sync.limits`.
MAX_FILE_BYTES = 512 * 1024 * 1024
MAX_MANIFEST_BYTES = 4 * 1024 * 1024
MAX_RAW_BYTES = 512 * 1024 * 1024
MAX_OPS = 2_000_000
MAX_VALUE_CHARS = 1_000_000
MAX_ID_CHARS = 64
MAX_NAME_CHARS = 200
MAX_PARENTS = 10_000
MAX_INT = 2**63 - 1

Op = tuple[str, str, int, int, str, str, str, Value, list[str]]
"""A received op: ``(op_id, replica_id, seq, hlc, tbl, row_id, field, value, parents)``."""


@dataclass(slots=True)
class Manifest:
    """What a sync file says about itself (see the module docstring for the layout)."""

    file_id: str
    source_id: str
    source_name: str
    source_role: str
    vector: Vector
    op_count: int
    schema: int
    app_version: str
    created_at: str
    source_hub_id: str | None = None
    source_formerly: list[str] = field(default_factory=list)
    """Replica ids the source had before (a database put back from a copy continues under a
    fresh id; see ``sync.continuity``): its hub or laptops still know it by those."""
    target_id: str | None = None
    target_checkpoints: list[tuple[int, str]] = field(default_factory=list)
    """``(seq, op_id)`` of some of the *target's* own ops the source holds: its highest seq,
    then seqs 1, 2, 4, 8… below it. The target compares them with its own ops to notice that
    it was put back from a copy (``sync.continuity``) and from where its history differs."""
    full: bool = False
    names: dict[str, str] = field(default_factory=dict)
    format: int = FORMAT_VERSION
    codec: str = CODEC
    payload_bytes: int = 0
    raw_bytes: int = 0
    payload_sha256: str = ""

    def to_json(self) -> dict[str, Any]:
        source: dict[str, Any] = {
            "replica_id": self.source_id,
            "name": self.source_name,
            "role": self.source_role,
            "hub_id": self.source_hub_id,
        }
        if self.source_formerly:  # absent otherwise: older readers ignore it either way
            source["formerly"] = list(self.source_formerly)
        extra: dict[str, Any] = {}
        if self.target_checkpoints:  # absent otherwise: older readers ignore it either way
            extra["target_checkpoints"] = [list(c) for c in self.target_checkpoints]
        return {
            **extra,
            "format": self.format,
            "schema": self.schema,
            "app_version": self.app_version,
            "file_id": self.file_id,
            "created_at": self.created_at,
            "source": source,
            "target": self.target_id,
            "full": self.full,
            "vector": self.vector,
            "names": self.names,
            "ops": self.op_count,
            "columns": list(OP_COLUMNS),
            "codec": self.codec,
            "payload_bytes": self.payload_bytes,
            "raw_bytes": self.raw_bytes,
            "payload_sha256": self.payload_sha256,
        }


@dataclass(slots=True)
class SyncFile:
    """A file whose header, manifest and payload hash have been verified (ops not yet)."""

    path: Path
    manifest: Manifest
    payload: bytes
    size: int
    seal: SealInfo | None = None
    """For a team's sealed file: who signed it and which team key opened it."""


Opener = Callable[[Path, bytes], "tuple[bytes, SealInfo | None]"]
"""Turns a file's bytes into the plain format-1 file inside (verifying a sealed one)."""


# -- writing --------------------------------------------------------------------------------


def write_sync_file(
    path: Path,
    manifest: Manifest,
    lines: Iterable[str],
    seal: Callable[[bytes], bytes] | None = None,
) -> Manifest:
    """Write ops (JSON lines) under ``manifest``; fills in counts, sizes and hashes.

    ``seal`` turns the whole plain file into what is written (a team's signed and encrypted
    file, :meth:`fieldtui.sync.trust.Trust.seal`)."""
    text = "\n".join(lines)
    raw = (text + "\n").encode("utf-8") if text else b""
    payload = zlib.compress(raw, COMPRESS_LEVEL)
    manifest.op_count = raw.count(b"\n")
    manifest.raw_bytes = len(raw)
    manifest.payload_bytes = len(payload)
    manifest.payload_sha256 = hashlib.sha256(payload).hexdigest()
    manifest.codec = CODEC
    manifest.format = FORMAT_VERSION
    line = json.dumps(
        manifest.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    ).encode("utf-8")
    header = MAGIC + f"{FORMAT_VERSION} {hashlib.sha256(line).hexdigest()}\n".encode("ascii")
    chunks: Sequence[bytes] = (header, line, b"\n", payload)
    if seal is not None:
        chunks = (seal(b"".join(chunks)),)
    write_atomically(path, chunks)
    return manifest


def write_atomically(path: Path, chunks: Sequence[bytes]) -> None:
    """Temporary name in the same directory, fsync, rename, fsync the directory."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        # Readable by its owner only where the file system keeps modes (a stick's usually
        # does not: there a team's files are encrypted).
        with os.fdopen(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with contextlib.suppress(OSError):  # not every platform or file system allows it
        fd = os.open(path.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- reading --------------------------------------------------------------------------------


def read_sync_file(path: Path | str, schema_version: int, opener: Opener | None = None) -> SyncFile:
    """Read and verify a file's header, manifest and payload hash; refuse newer versions.

    ``opener`` verifies and opens a sealed file (and refuses a plain one where only sealed
    files are taken); without it a sealed file is refused."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise SyncFileError(path, _("is a folder, not a sync file"))
        if size == 0:
            raise SyncFileError(path, _("empty file, not a sync file"))
        if size > MAX_FILE_BYTES:
            raise SyncFileError(
                path,
                _("{size} bytes, larger than the {limit}-byte limit for sync files").format(
                    size=size, limit=MAX_FILE_BYTES
                ),
            )
        data = path.read_bytes()
    except OSError as exc:
        raise SyncFileError(
            path, _("cannot read: {reason}").format(reason=exc.strerror or exc)
        ) from exc
    seal: SealInfo | None = None
    if opener is not None and data.startswith(MAGIC):
        data, seal = opener(path, data)
    sync_file = parse_sync_bytes(path, data, schema_version)
    sync_file.seal = seal
    sync_file.size = size
    return sync_file


def parse_sync_bytes(path: Path, data: bytes, schema_version: int) -> SyncFile:
    if not data:
        raise SyncFileError(path, _("empty file, not a sync file"))
    if not data.startswith(MAGIC):
        raise SyncFileError(path, _("not a fieldtui sync file (no FIELDSYNC header)"))
    end = data.find(b"\n", 0, 200)
    if end < 0:
        raise SyncFileError(path, _("damaged or truncated: the header line is incomplete"))
    version_text, _sep, manifest_hash = data[len(MAGIC) : end].partition(b" ")
    if not version_text.isdigit():
        raise SyncFileError(path, _("not a fieldtui sync file (bad format version in header)"))
    version = int(version_text)
    if version > READABLE_FORMAT:
        raise SyncFileError(
            path,
            _(
                "written in sync format {version}; this fieldtui reads format {mine}. Update "
                "fieldtui to a version that reads format {version} to import it"
            ).format(version=version, mine=READABLE_FORMAT),
        )
    if version == SEALED_FORMAT:
        raise SyncFileError(
            path, _("a team's signed and encrypted file where a plain one was expected")
        )
    if version < 1:
        raise SyncFileError(path, _("unknown sync format {version}").format(version=version))
    start = end + 1
    stop = data.find(b"\n", start, start + MAX_MANIFEST_BYTES + 1)
    if stop < 0:
        if len(data) - start > MAX_MANIFEST_BYTES:
            raise SyncFileError(
                path,
                _("damaged: manifest larger than {limit} bytes").format(limit=MAX_MANIFEST_BYTES),
            )
        raise SyncFileError(path, _("truncated: the manifest is incomplete"))
    line = data[start:stop]
    if hashlib.sha256(line).hexdigest().encode("ascii") != manifest_hash:
        raise SyncFileError(path, _("damaged: the manifest does not match its checksum"))
    try:
        raw_manifest = json.loads(line)
    except RecursionError as exc:
        raise SyncFileError(
            path, _("damaged: the manifest holds JSON nested too deeply to read")
        ) from exc
    except ValueError as exc:
        raise SyncFileError(
            path, _("damaged: the manifest is not valid JSON ({reason})").format(reason=exc)
        ) from exc
    manifest = _manifest(path, raw_manifest)
    if manifest.schema > schema_version:
        raise SyncFileError(
            path,
            _(
                "written by a fieldtui with database schema {schema} (app {app}); this "
                "fieldtui has schema {mine}. Update fieldtui to schema {schema} or later to "
                "import it"
            ).format(schema=manifest.schema, app=manifest.app_version, mine=schema_version),
        )
    payload = data[stop + 1 :]
    if len(payload) < manifest.payload_bytes:
        raise SyncFileError(
            path,
            _("truncated: {n} of {total} bytes of changes present").format(
                n=len(payload), total=manifest.payload_bytes
            ),
        )
    if len(payload) > manifest.payload_bytes:
        raise SyncFileError(
            path,
            _("damaged: {n} unexpected bytes at the end").format(
                n=len(payload) - manifest.payload_bytes
            ),
        )
    if hashlib.sha256(payload).hexdigest() != manifest.payload_sha256:
        raise SyncFileError(path, _("damaged: the changes do not match their SHA-256 checksum"))
    return SyncFile(path=path, manifest=manifest, payload=payload, size=len(data))


def _manifest(path: Path, raw: Any) -> Manifest:
    def bad(what: str) -> SyncFileError:
        return SyncFileError(path, _("damaged: bad manifest ({what})").format(what=what))

    if not isinstance(raw, dict):
        raise bad("not a JSON object")

    def integer(key: str, low: int = 0, high: int = MAX_INT) -> int:
        value = raw.get(key)
        if type(value) is not int or not low <= value <= high:
            raise bad(f"{key!r} must be an integer from {low} to {high}")
        return value

    def text(obj: Mapping[str, Any], key: str, limit: int, empty_ok: bool = True) -> str:
        value = obj.get(key)
        if not isinstance(value, str) or len(value) > limit or not (value or empty_ok):
            raise bad(f"{key!r} must be a string of at most {limit} characters")
        return value

    def identifier(obj: Mapping[str, Any], key: str) -> str:
        return text(obj, key, MAX_ID_CHARS, empty_ok=False)

    fmt = integer("format", 1)
    schema = integer("schema", 0)
    source = raw.get("source")
    if not isinstance(source, dict):
        raise bad("'source' must be an object")
    vector = raw.get("vector")
    if not isinstance(vector, dict):
        raise bad("'vector' must be an object of replica id → seq")
    if len(vector) > limits.MAX_PEERS_NAMED:
        raise bad(f"'vector' names {len(vector)} databases, more than {limits.MAX_PEERS_NAMED}")
    for key, seq in vector.items():
        if len(key) > MAX_ID_CHARS or type(seq) is not int or not 0 <= seq <= MAX_INT:
            raise bad("'vector' must map replica ids to non-negative integers")
    names = raw.get("names", {})
    if not isinstance(names, dict):
        raise bad("'names' must be an object of replica id → name")
    if len(names) > limits.MAX_PEERS_NAMED:
        raise bad(f"'names' names {len(names)} databases, more than {limits.MAX_PEERS_NAMED}")
    for key, name in names.items():
        if len(key) > MAX_ID_CHARS or not isinstance(name, str) or len(name) > MAX_NAME_CHARS:
            raise bad("'names' must map replica ids to short names")
    if raw.get("columns", list(OP_COLUMNS)) != list(OP_COLUMNS):
        raise bad(f"'columns' must be {list(OP_COLUMNS)}")
    codec = raw.get("codec")
    if codec != CODEC:
        raise SyncFileError(
            path,
            _("compressed with {codec}; this fieldtui reads {mine}").format(
                codec=f"“{codec}”", mine=f"“{CODEC}”"
            ),
        )
    role = text(source, "role", 16)
    if role not in ("hub", "laptop"):
        raise bad("source 'role' must be 'hub' or 'laptop'")
    sha = text(raw, "payload_sha256", 64)
    if len(sha) != 64:
        raise bad("'payload_sha256' must be 64 hex digits")
    op_count = integer("ops", 0, MAX_OPS)
    raw_bytes = raw.get("raw_bytes")
    if type(raw_bytes) is int and raw_bytes > MAX_RAW_BYTES:
        raise SyncFileError(
            path,
            _(
                "its changes declare {n} bytes uncompressed, more than the {limit}-byte limit"
            ).format(n=raw_bytes, limit=MAX_RAW_BYTES),
        )
    target = raw.get("target")
    if target is not None and (not isinstance(target, str) or len(target) > MAX_ID_CHARS):
        raise bad("'target' must be a replica id or null")
    full = raw.get("full", False)
    if not isinstance(full, bool):
        raise bad("'full' must be true or false")
    checkpoints = raw.get("target_checkpoints", [])
    if (
        not isinstance(checkpoints, list)
        or len(checkpoints) > 200
        or not all(
            isinstance(c, list)
            and len(c) == 2
            and type(c[0]) is int
            and 0 < c[0] <= MAX_INT
            and isinstance(c[1], str)
            and 0 < len(c[1]) <= MAX_ID_CHARS
            for c in checkpoints
        )
    ):
        raise bad("'target_checkpoints' must be a list of [seq, op id] pairs")
    formerly = source.get("formerly", [])
    if (
        not isinstance(formerly, list)
        or len(formerly) > 1000
        or not all(isinstance(i, str) and 0 < len(i) <= MAX_ID_CHARS for i in formerly)
    ):
        raise bad("source 'formerly' must be a list of replica ids")
    payload_bytes = integer("payload_bytes", 0, MAX_FILE_BYTES)
    raw_size = integer("raw_bytes", 0, MAX_RAW_BYTES)
    if payload_bytes > raw_size + raw_size // 100 + 1024:  # zlib never grows text more
        raise SyncFileError(
            path,
            _(
                "its compressed changes ({n} bytes) are larger than the {limit} bytes they "
                "declare uncompressed could make them (a damaged file or a decompression bomb)"
            ).format(n=payload_bytes, limit=raw_size),
        )
    return Manifest(
        format=fmt,
        schema=schema,
        app_version=clean_line(text(raw, "app_version", MAX_NAME_CHARS)),
        file_id=identifier(raw, "file_id"),
        created_at=clean_line(text(raw, "created_at", MAX_NAME_CHARS)),
        source_id=identifier(source, "replica_id"),
        source_name=clean_line(text(source, "name", MAX_NAME_CHARS)),
        source_role=role,
        source_hub_id=None if source.get("hub_id") is None else identifier(source, "hub_id"),
        source_formerly=list(formerly),
        target_id=target,
        target_checkpoints=[(int(c[0]), str(c[1])) for c in checkpoints],
        full=full,
        vector=dict(vector),
        names={key: clean_line(name) for key, name in names.items()},
        op_count=op_count,
        codec=codec,
        payload_bytes=payload_bytes,
        raw_bytes=raw_size,
        payload_sha256=sha,
    )
