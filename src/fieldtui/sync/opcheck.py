"""Reading the ops of a verified sync file: bounded decompression, then every op's shape.

Split from :mod:`fieldtui.sync.fileformat` (which reads and verifies the header, manifest
and payload hash): by the time ops are decoded, the file is known to be whole and unaltered;
what is checked here is that every op is one this fieldtui can merge (known table and field,
ids, seqs, clock stamps and values of the right types and sizes).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Collection, Sequence
from functools import cache
from itertools import chain
from pathlib import Path
from typing import Any, cast

from fieldtui.i18n import _
from fieldtui.store.models import DELETED_FIELD, SYNCED_MODELS, synced_fields
from fieldtui.sync import limits
from fieldtui.sync.errors import SyncFileError
from fieldtui.sync.fileformat import (
    MAX_ID_CHARS,
    MAX_INT,
    MAX_PARENTS,
    MAX_VALUE_CHARS,
    Op,
    SyncFile,
)
from fieldtui.sync.oplog import OP_COLUMNS


def decode_ops(sync_file: SyncFile) -> list[Op]:
    """Decompress (bounded by the declared size) and validate every op of a verified file.

    The changes are decompressed and parsed a chunk at a time (:data:`limits.CHUNK_BYTES`),
    and no line may be longer than :data:`limits.MAX_LINE_BYTES`: a file of a few kilobytes
    that decompresses to a million-character value is refused after one chunk, never held in
    memory whole (nor parsed, with its copies).
    """
    path, manifest = sync_file.path, sync_file.manifest
    limit = manifest.raw_bytes
    decompressor = zlib.decompressobj()
    ops: list[Any] = []
    tail = b""
    total = 0
    pending = sync_file.payload
    while True:
        try:
            chunk = decompressor.decompress(pending, limits.CHUNK_BYTES)
        except zlib.error as exc:
            raise SyncFileError(
                path,
                _("damaged: the changes cannot be decompressed ({reason})").format(reason=exc),
            ) from exc
        pending = decompressor.unconsumed_tail
        total += len(chunk)
        if total > limit:
            raise SyncFileError(
                path,
                _(
                    "its changes decompress to more than the {limit} bytes the manifest "
                    "declares (a damaged file or a decompression bomb)"
                ).format(limit=limit),
            )
        if chunk:
            text = tail + chunk
            cut = text.rfind(b"\n") + 1
            tail = text[cut:]
            if len(tail) > limits.MAX_LINE_BYTES:
                raise SyncFileError(path, _line_too_long(len(ops) + 1))
            if cut:
                ops.extend(_parse_lines(path, text[:cut], len(ops)))
                if len(ops) > manifest.op_count:
                    raise SyncFileError(path, _count_message(len(ops), manifest.op_count))
        if decompressor.eof or (not chunk and not pending):
            break
    if not decompressor.eof or decompressor.unused_data or total != limit:
        raise SyncFileError(path, _("damaged: the compressed changes are incomplete"))
    if tail:
        raise SyncFileError(path, _("damaged: the last change is incomplete"))
    if len(ops) != manifest.op_count:
        raise SyncFileError(path, _count_message(len(ops), manifest.op_count))
    validate_ops(path, ops)
    return cast(list[Op], ops)


def _line_too_long(index: int) -> str:
    return _(
        "change {index} is longer than {limit} bytes, more than any field holds (a damaged or "
        "crafted file)"
    ).format(index=index, limit=limits.MAX_LINE_BYTES)


def _count_message(n: int, expected: int) -> str:
    return _("damaged: {n} changes, the manifest says {expected}").format(n=n, expected=expected)


def _parse_lines(path: Path, text: bytes, before: int) -> list[Any]:
    """Whole JSON lines (``text`` ends with a newline) → their values, parsed in one call."""
    lines = text.split(b"\n")
    if max(map(len, lines)) > limits.MAX_LINE_BYTES:
        index = before + next(i for i, x in enumerate(lines, 1) if len(x) > limits.MAX_LINE_BYTES)
        raise SyncFileError(path, _line_too_long(index))
    lines.pop()  # the empty text after the last newline
    try:
        parsed = json.loads(b"[" + b",".join(lines) + b"]")
    except RecursionError as exc:
        raise SyncFileError(
            path, _("damaged: the changes hold JSON nested too deeply to read")
        ) from exc
    except ValueError as exc:
        raise SyncFileError(
            path,
            _("damaged: the changes are not valid JSON lines ({reason})").format(reason=exc),
        ) from exc
    if len(parsed) != len(lines):  # a line holding "1,2" reads as two values
        raise SyncFileError(path, _("damaged: the changes are not valid JSON lines"))
    return cast(list[Any], parsed)


@cache
def _known_fields() -> frozenset[tuple[str, str]]:
    return frozenset(
        (table, name)
        for table in SYNCED_MODELS
        for name in chain(synced_fields(table), (DELETED_FIELD,))
    )


def validate_ops(path: Path, ops: list[Any]) -> None:
    """Check every op, column by column (fast); on a failure find the first bad op and say why.

    Column-wise checks run in C (``map``, ``set``, ``zip``) so validating 100,000 ops costs a
    few milliseconds; the per-op walk that produces the message only runs for a bad file.
    """
    if not ops:
        return
    fine = set(map(type, ops)) == {list} and set(map(len, ops)) == {len(OP_COLUMNS)}
    if fine:
        op_ids, reps, seqs, hlcs, tbls, rows, fields, values, parents = zip(*ops, strict=True)
        try:  # sets of the id columns: small (replicas, rows) or needed anyway (uniqueness)
            unique_ids, replica_ids, row_ids = set(op_ids), set(reps), set(rows)
            # (table, field) pairs outside the known set include any that are not strings
            pairs = set(zip(tbls, fields, strict=True))
            known = pairs <= _known_fields()
        except TypeError:  # an unhashable value where an id belongs
            unique_ids, replica_ids, row_ids, pairs, known = set(), set(), set(), set(), False
        fine = (
            known
            and _ids_ok(op_ids)
            and _ids_ok(replica_ids)
            and _ids_ok(row_ids)
            and _ints_ok(seqs, 1)
            and _ints_ok(hlcs, 0)
            and _values_ok(values)
            and set(map(type, parents)) == {list}
            and max(map(len, parents)) <= MAX_PARENTS
            and _ids_ok(tuple(chain.from_iterable(parents)))
            # bools were refused with the other value types, so {0, 1} means integers
            and (
                all(f != DELETED_FIELD for _t, f in pairs)
                or {v for f, v in zip(fields, values, strict=True) if f == DELETED_FIELD} <= {0, 1}
            )
        )
    if not fine:
        for index, op in enumerate(ops, 1):
            problem = _op_problem(op)
            if problem:
                raise SyncFileError(
                    path,
                    _("damaged: change {index} is malformed ({problem})").format(
                        index=index, problem=problem
                    ),
                )
        raise SyncFileError(path, "malformed ops")  # pragma: no cover - the walk finds it
    if len(unique_ids) != len(ops):
        raise SyncFileError(path, _("damaged: a change id appears twice"))
    # A laptop's file holds one replica's ops: then its seqs alone must differ (a set of ints).
    one_replica = len(replica_ids) == 1
    if len(set(seqs) if one_replica else set(zip(reps, seqs, strict=True))) != len(ops):
        raise SyncFileError(path, _("damaged: a replica's sequence number appears twice"))
    _check_parents(path, op_ids, reps, seqs, parents, unique_ids)


def _check_parents(
    path: Path,
    op_ids: Sequence[str],
    reps: Sequence[str],
    seqs: Sequence[int],
    parents: Sequence[list[str]],
    unique_ids: set[str],
) -> None:
    """An op names as parents ops written before it: never itself, and of its own replica
    only lower seqs. So a file's parents never form a circle (a crafted one could, and left a
    field without a current value)."""
    children = [i for i, p in enumerate(parents) if p]
    if not children:
        return
    if not set(chain.from_iterable(parents[i] for i in children)) & unique_ids:
        return
    where = dict(zip(op_ids, range(len(op_ids)), strict=True))
    for i in children:
        index = i + 1
        for parent in parents[i]:
            found = where.get(parent)
            if found is None:
                continue
            if found == i:
                problem = _("names itself as its parent")
            elif reps[found] == reps[i] and seqs[found] >= seqs[i]:
                problem = _("names a later change of its own database as its parent")
            else:
                continue
            raise SyncFileError(
                path,
                _("damaged: change {index} is malformed ({problem})").format(
                    index=index, problem=problem
                ),
            )


def _ids_ok(ids: Collection[Any]) -> bool:
    if not ids:
        return True
    if set(map(type, ids)) != {str}:
        return False
    lengths = set(map(len, ids))  # one pass; ids of one kind mostly share a length
    return max(lengths) <= MAX_ID_CHARS and min(lengths) >= 1


def _ints_ok(ints: Sequence[Any], low: int) -> bool:
    return set(map(type, ints)) == {int} and min(ints) >= low and max(ints) <= MAX_INT


def _values_ok(values: Sequence[Any]) -> bool:
    types = set(map(type, values))
    if not types <= {str, int, type(None)}:
        return False
    # As text, an integer or null is far shorter than the limit, and str() of a str is itself.
    if max(map(len, map(str, values))) > MAX_VALUE_CHARS:
        return False
    if int in types:
        ints = [v for v in values if v.__class__ is int]
        if min(ints) < -MAX_INT - 1 or max(ints) > MAX_INT:
            return False
    return True


def _op_problem(op: Any) -> str | None:
    """Why one op is unacceptable, in words; None when it is fine."""
    if type(op) is not list or len(op) != len(OP_COLUMNS):
        return f"not a list of {len(OP_COLUMNS)} values ({', '.join(OP_COLUMNS)})"
    op_id, rep, seq, hlc, tbl, row_id, name, value, parents = op
    for label, ident in (("op id", op_id), ("replica id", rep), ("row id", row_id)):
        if type(ident) is not str or not 1 <= len(ident) <= MAX_ID_CHARS:
            return f"{label} must be a string of 1 to {MAX_ID_CHARS} characters"
    if type(seq) is not int or not 1 <= seq <= MAX_INT:
        return "seq must be a positive integer"
    if type(hlc) is not int or not 0 <= hlc <= MAX_INT:
        return "clock stamp must be a non-negative integer"
    if type(tbl) is not str or tbl not in SYNCED_MODELS:
        return f"unknown table {str(tbl)[:80]!r}"
    if type(name) is not str or (tbl, name) not in _known_fields():
        return f"unknown field {str(name)[:80]!r} of table {tbl!r}"
    if value is not None and type(value) not in (str, int):
        return f"value of {tbl}.{name} must be a string, an integer or null"
    if type(value) is str and len(value) > MAX_VALUE_CHARS:
        return (
            f"value of {tbl}.{name} has {len(value)} characters, more than the "
            f"{MAX_VALUE_CHARS}-character limit"
        )
    if type(value) is int and not -MAX_INT - 1 <= value <= MAX_INT:
        return f"value of {tbl}.{name} is outside the 64-bit integer range"
    if name == DELETED_FIELD and value not in (0, 1):
        return "a delete op must carry 0 or 1"
    if type(parents) is not list or len(parents) > MAX_PARENTS:
        return f"parents must be a list of at most {MAX_PARENTS} op ids"
    for parent in parents:
        if type(parent) is not str or not 1 <= len(parent) <= MAX_ID_CHARS:
            return "parents must be op ids"
    return None
