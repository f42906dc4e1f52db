"""Text search over visits: the person met, their title, the summary and the follow-up.

The same index shape as the enterprise search (:mod:`fieldtui.store.search`): folded text as
character bigrams (each field's last character a unigram) in a contentless FTS5 table, so a
two-character query such as 用电 or a name such as 陈经理 is an index lookup, not a scan of
every visit's text (a scan takes about half a second at 100,000 visits).

Tokens need Python (folding), and visits arrive by every path (forms, sheets, sync's raw
``executemany``), so upkeep is split: SQL triggers (migration ``0007_field_work``) put the id
of every visit whose text changes into ``visit_search_dirty``; :func:`refresh_visit_search`
indexes those visits and empties the queue. The visits list calls it before a text search, so
whatever changed since is found; nothing else has to remember to.
"""

from __future__ import annotations

from collections.abc import Sequence

from peewee import OperationalError, SqliteDatabase

from fieldtui.store.pinyin import fold
from fieldtui.store.search.text import FIELD_SEPARATOR, tokens

__all__ = ["TEXT_FIELDS", "refresh_visit_search", "visit_haystack"]

TEXT_FIELDS = ("person", "person_title", "summary", "follow_up")
"""The visit fields the list's search box finds a visit by (besides its enterprise)."""

CHUNK = 500


def visit_haystack(values: Sequence[str | None]) -> str:
    """The folded text of one visit's :data:`TEXT_FIELDS`, fields kept apart."""
    return FIELD_SEPARATOR.join(fold(v) for v in values if v)


def pending(db: SqliteDatabase) -> bool:
    return db.execute_sql("SELECT 1 FROM visit_search_dirty LIMIT 1").fetchone() is not None


def refresh_visit_search(db: SqliteDatabase) -> int:
    """Index the visits queued by the triggers; returns how many were looked at.

    Cheap when nothing is queued (one indexed read). Runs in a transaction of its own (a
    savepoint inside the caller's): a derived, local table, written from whatever thread
    searches. A database that cannot be written now (read-only, or another process holding
    the write lock past the busy timeout) is searched as indexed so far: the queue waits for
    the next search.
    """
    try:
        return _refresh(db) if pending(db) else 0
    except OperationalError:
        return 0


def _refresh(db: SqliteDatabase) -> int:
    done = 0
    columns = ", ".join(TEXT_FIELDS)
    with db.atomic():
        while True:
            ids = [
                str(r[0])
                for r in db.execute_sql(
                    "SELECT id FROM visit_search_dirty LIMIT ?", (CHUNK,)
                ).fetchall()
            ]
            if not ids:
                break
            marks = ", ".join("?" for _ in ids)
            old = db.execute_sql(
                f"SELECT sid, tokens FROM visit_search WHERE id IN ({marks})", ids
            ).fetchall()
            if old:
                db.cursor().executemany(
                    "INSERT INTO visit_fts (visit_fts, rowid, t) VALUES ('delete', ?, ?)", old
                )
                db.execute_sql(f"DELETE FROM visit_search WHERE id IN ({marks})", ids)
            live = db.execute_sql(
                f"SELECT id, {columns} FROM visit WHERE deleted = 0 AND id IN ({marks})", ids
            ).fetchall()
            fresh = [(str(r[0]), tokens(visit_haystack(r[1:]))) for r in live]
            fresh = [(row_id, toks) for row_id, toks in fresh if toks]
            if fresh:
                db.cursor().executemany(
                    "INSERT INTO visit_search (id, tokens) VALUES (?, ?)", fresh
                )
                db.execute_sql(
                    "INSERT INTO visit_fts (rowid, t) SELECT sid, tokens FROM visit_search"
                    f" WHERE id IN ({', '.join('?' for _ in fresh)})",
                    [row_id for row_id, _toks in fresh],
                )
            db.execute_sql(f"DELETE FROM visit_search_dirty WHERE id IN ({marks})", ids)
            done += len(ids)
    return done
