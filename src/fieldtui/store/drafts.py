"""Drafts of open forms (the local ``form_draft`` table of migration 0004).

A form writes its draft as the officer types and removes it once saved or discarded, so
whatever is left when the app starts is work that a crash, a kill, a flat battery or a closed
terminal interrupted, and is offered back. Drafts are local: never synced, never in ops.
"""

from __future__ import annotations

import json
import os
import socket
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "Draft",
    "abandoned",
    "delete_draft",
    "get_draft",
    "list_drafts",
    "save_draft",
    "this_process",
]

Texts = dict[str, str | None]


@dataclass(frozen=True, slots=True)
class Draft:
    """One open form's contents."""

    id: str
    """The form's own id (fresh per opened form; a restored form keeps its draft's)."""
    kind: str
    """Which form: ``enterprise``, ``officer``, ``profile`` … (the form registry's key)."""
    row_id: str | None = None
    """The record being edited; None for a new one."""
    title: str = ""
    """What names the draft when it is offered back (the name typed, usually)."""
    fields: Texts = field(default_factory=dict)
    """The form as typed: field → text (a select's code; None for none)."""
    base: Texts = field(default_factory=dict)
    """The form as loaded, so only what the officer changed is written on save."""
    heads: Mapping[str, Sequence[str]] = field(default_factory=dict)
    """The heads of the fields the form loaded: a restored edit saves against them."""
    rev: int = 0
    """Increases with every write of this form's draft; an older write never wins."""
    owner: str = ""
    """``host:pid`` of the process that wrote it (set when written)."""
    saved_at: str = ""
    """UTC, ISO 8601; set when written."""


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def abandoned(draft: Draft) -> bool:
    """True unless the process that wrote the draft still runs on this computer (then it is
    that process's open form, not work a crash left behind)."""
    host, _sep, pid_text = draft.owner.rpartition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return True
    pid = int(pid_text)
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _texts(text: str) -> Texts:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): v if v is None else str(v) for k, v in data.items()}


def _heads(text: str) -> dict[str, tuple[str, ...]]:
    try:
        data = json.loads(text)
    except ValueError:
        return {}
    if not isinstance(data, dict):
        return {}
    return {str(k): tuple(str(op) for op in v) for k, v in data.items() if isinstance(v, list)}


def save_draft(store: Store, draft: Draft) -> None:
    """Insert or replace a form's draft, unless a newer ``rev`` of it is already stored."""
    store.db.execute_sql(
        "INSERT INTO form_draft"
        " (id, kind, row_id, title, fields, base, heads, rev, owner, saved_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, row_id = excluded.row_id,"
        " title = excluded.title, fields = excluded.fields, base = excluded.base,"
        " heads = excluded.heads, rev = excluded.rev, owner = excluded.owner,"
        " saved_at = excluded.saved_at"
        " WHERE excluded.rev >= form_draft.rev",
        (
            draft.id,
            draft.kind,
            draft.row_id,
            draft.title,
            json.dumps(draft.fields, ensure_ascii=False),
            json.dumps(draft.base, ensure_ascii=False),
            json.dumps({k: list(v) for k, v in draft.heads.items()}),
            draft.rev,
            draft.owner or this_process(),
            draft.saved_at or _now(),
        ),
    )


def delete_draft(store: Store, draft_id: str) -> None:
    store.db.execute_sql("DELETE FROM form_draft WHERE id = ?", (draft_id,))


def _draft(row: Sequence[object]) -> Draft:
    return Draft(
        id=str(row[0]),
        kind=str(row[1]),
        row_id=None if row[2] is None else str(row[2]),
        title=str(row[3]),
        fields=_texts(str(row[4])),
        base=_texts(str(row[5])),
        heads=_heads(str(row[6])),
        rev=int(str(row[7])),
        owner=str(row[8]),
        saved_at=str(row[9]),
    )


_COLUMNS = "id, kind, row_id, title, fields, base, heads, rev, owner, saved_at"


def get_draft(store: Store, draft_id: str) -> Draft | None:
    row = store.db.execute_sql(
        f"SELECT {_COLUMNS} FROM form_draft WHERE id = ?", (draft_id,)
    ).fetchone()
    return _draft(row) if row else None


def list_drafts(store: Store, kind: str | None = None) -> list[Draft]:
    """Every draft left (of one ``kind`` if given), newest first."""
    if kind is None:
        rows = store.db.execute_sql(
            f"SELECT {_COLUMNS} FROM form_draft ORDER BY saved_at DESC, id"
        ).fetchall()
    else:
        rows = store.db.execute_sql(
            f"SELECT {_COLUMNS} FROM form_draft WHERE kind = ? ORDER BY saved_at DESC, id",
            (kind,),
        ).fetchall()
    return [_draft(r) for r in rows]
