"""Search queries over the enterprise index: counts, ids for pickers, tag patterns.

The index and why it is built of bigrams: see :mod:`fieldtui.store.search`. What the derived
columns mean (status ranks, the tag separator, which problems are open) is defined here, and
:mod:`fieldtui.store.search.upkeep` fills the columns accordingly.
"""

from __future__ import annotations

from peewee import SqliteDatabase

from fieldtui.domain.enums import EnterpriseStatus
from fieldtui.store.search.text import parse_query

__all__ = [
    "CLOSED_PROBLEM_STATUSES",
    "SID_SPACING",
    "STATUS_RANK",
    "TAG_SEPARATOR",
    "UNKNOWN_STATUS_RANK",
    "search_count",
    "search_enterprise_ids",
    "tag_pattern",
]

TAG_SEPARATOR = "\x1f"
"""Around each tag in ``enterprise_ledger.tags`` so a tag filter is one ``instr``."""

CLOSED_PROBLEM_STATUSES = ("resolved", "unresolvable")
"""A problem in any other status (including one this version does not know) is open."""

SID_SPACING = 1 << 32
"""Distance between neighbouring ``sid``s after a renumbering."""

STATUS_RANK = {member.code: rank for rank, member in enumerate(EnterpriseStatus)}
"""Ledger sort order of statuses: the order of the enum (洽谈中 … 注销), not the codes'."""
UNKNOWN_STATUS_RANK = 99


def search_count(db: SqliteDatabase, text: str) -> int:
    """How many live enterprises match ``text`` (all of them when it has nothing to match)."""
    query = parse_query(text)
    if query is None:
        return int(db.execute_sql("SELECT COUNT(*) FROM enterprise_ledger").fetchone()[0])
    row = db.execute_sql(
        "SELECT COUNT(*) FROM enterprise_fts WHERE enterprise_fts MATCH ?", (query.match,)
    ).fetchone()
    return int(row[0])


def search_enterprise_ids(db: SqliteDatabase, text: str, limit: int = 50) -> list[str]:
    """Ids of live enterprises matching ``text``, in pinyin order of the name: for pickers."""
    query = parse_query(text)
    if query is None:
        cur = db.execute_sql("SELECT id FROM enterprise_ledger ORDER BY sid LIMIT ?", (limit,))
    else:
        cur = db.execute_sql(
            "SELECT l.id FROM enterprise_fts f JOIN enterprise_ledger l ON l.sid = f.rowid"
            " WHERE enterprise_fts MATCH ? ORDER BY f.rowid LIMIT ?",
            (query.match, limit),
        )
    return [str(r[0]) for r in cur.fetchall()]


def tag_pattern(tag: str) -> str:
    """What ``instr(enterprise_ledger.tags, ?)`` looks for to find one exact tag."""
    return TAG_SEPARATOR + tag + TAG_SEPARATOR
