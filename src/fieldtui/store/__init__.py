"""The store: one SQLite database, its repositories and the write path.

Nothing outside this package touches Peewee models; callers get :class:`Store` and record
dataclasses.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from peewee import SqliteDatabase

from fieldtui.domain import records as rec
from fieldtui.store.clock import HybridClock
from fieldtui.store.db import StoreBusy, StoreError, open_database
from fieldtui.store.repos import LinkRepo, Repo
from fieldtui.store.writer import WriteError, Writer

__all__ = ["Store", "StoreBusy", "StoreError", "WriteError"]


class Store:
    """An open database. Use one per thread of work; close it when done."""

    def __init__(
        self, path: Path | str, *, clock: HybridClock | None = None, read_only: bool = False
    ) -> None:
        """``clock`` replaces the writer's wall clock (tests of replicas with wrong dates).

        ``read_only`` opens an existing database without creating, migrating or writing
        anything (``fieldtui doctor``); every write then fails as on a read-only disk.
        """
        self.path = Path(path)
        self.read_only = read_only
        self.db: SqliteDatabase
        self.db, replica_id = open_database(self.path, read_only=read_only)
        self.writer = Writer(self.db, replica_id, clock)
        self.officers = Repo(self, "officer", rec.Officer)
        self.enterprises = Repo(self, "enterprise", rec.Enterprise)
        self.assignments = Repo(self, "assignment", rec.Assignment)
        self.projects = Repo(self, "project", rec.Project)
        self.visits = Repo(self, "visit", rec.Visit)
        self.visit_officers = LinkRepo(
            self, "visit_officer", rec.VisitOfficer, "visit_id", "officer_id"
        )
        self.problems = Repo(self, "problem", rec.Problem)
        self.problem_events = Repo(self, "problem_event", rec.ProblemEvent)
        self.meetings = Repo(self, "meeting", rec.Meeting)
        self.meeting_enterprises = LinkRepo(
            self, "meeting_enterprise", rec.MeetingEnterprise, "meeting_id", "enterprise_id"
        )
        self.meeting_projects = LinkRepo(
            self, "meeting_project", rec.MeetingProject, "meeting_id", "project_id"
        )
        self.meeting_problems = LinkRepo(
            self, "meeting_problem", rec.MeetingProblem, "meeting_id", "problem_id"
        )
        self.activities = Repo(self, "activity", rec.Activity)
        self.activity_members = LinkRepo(
            self, "activity_member", rec.ActivityMember, "activity_id", "officer_id"
        )
        self.activity_enterprises = LinkRepo(
            self, "activity_enterprise", rec.ActivityEnterprise, "activity_id", "enterprise_id"
        )
        self.checklist_templates = Repo(self, "checklist_template", rec.ChecklistTemplate)
        self.checklist_items = Repo(self, "checklist_item", rec.ChecklistItem)
        self.checklist_answers = Repo(self, "checklist_answer", rec.ChecklistAnswer)

    @property
    def replica_id(self) -> str:
        """This database's replica id as of its last transaction (it changes only when a
        database put back from a copy continues under a fresh one)."""
        return self.writer.replica_id

    @contextmanager
    def batch(self) -> Iterator[Store]:
        """One write transaction for many writes (rows and ops flushed together at the end).

        It starts with ``BEGIN IMMEDIATE``: checks made inside see the database as it is
        written, since no other process can write until it ends (waiting is bounded; see
        :mod:`fieldtui.store.locking`). Reads through the repositories see the batch's own
        earlier writes.
        """
        with self.writer.transaction():
            yield self

    def meta(self, key: str) -> str | None:
        row = self.db.execute_sql("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Local settings of this database (not synced): role, officer, names."""
        with self.writer.transaction():
            self.db.execute_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def is_empty(self) -> bool:
        """True before anyone has entered anything: the app then shows its first-run screen."""
        return self.db.execute_sql("SELECT 1 FROM op LIMIT 1").fetchone() is None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
