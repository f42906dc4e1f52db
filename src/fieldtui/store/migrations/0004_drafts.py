"""Drafts of open forms: what an officer typed survives a crash, a kill or a closed terminal.

Frozen like every migration. A local table, like ``meta``: nothing syncs it and no op records
it, because a draft is one laptop's unfinished typing, not a change anyone else should see.
One row per open form, written as the officer types (see ``fieldtui.store.drafts``) and
removed when the form is saved or its changes are discarded; what is left at start-up is
offered back.
"""

from typing import Any

TABLES = [
    # ``id`` is the form's own (a fresh one per opened form, kept when a draft is restored);
    # ``kind`` names the form (enterprise, officer, profile …); ``row_id`` the record edited
    # (NULL for a new one). ``fields`` is the form as typed and ``base`` as it was loaded (both
    # JSON objects of field → text); ``heads`` the heads of the fields it loaded (JSON object
    # of field → op ids), so a restored edit still saves against what it showed. ``rev`` lets
    # the newest write of one form win when two writes race. ``owner`` is the process that
    # wrote it (``host:pid``): a draft whose process still runs is an open form, not a lost
    # one, and is not offered to a second window on the same database.
    """CREATE TABLE form_draft (
        id TEXT NOT NULL PRIMARY KEY,
        kind TEXT NOT NULL,
        row_id TEXT,
        title TEXT NOT NULL DEFAULT '',
        fields TEXT NOT NULL DEFAULT '{}',
        base TEXT NOT NULL DEFAULT '{}',
        heads TEXT NOT NULL DEFAULT '{}',
        rev INTEGER NOT NULL DEFAULT 0,
        owner TEXT NOT NULL DEFAULT '',
        saved_at TEXT NOT NULL
    )""",
]


def up(migrator: Any, db: Any) -> None:
    for sql in TABLES:
        db.execute_sql(sql)
