"""The running demo build: its random generator, its dates and sizes, what it has made so far,
and the helpers every step writes through (so every row takes the op-logging path).

:mod:`fieldtui.demo.build` plans and writes the ledger on it (officers, enterprises,
projects, yearly plans) and :mod:`fieldtui.demo.work` the work done on that ledger; both read
and extend the same :class:`Zone`, which is why it lives apart from either.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store.ids import link_id
from fieldtui.store.repos import LinkRepo, Repo

__all__ = ["Progress", "Zone"]

Progress = Callable[[str, float], None]
"""Called as ``progress(stage, fraction_done)``; ``fraction_done`` grows from 0 to 1."""

R = TypeVar("R", bound=rec.Record)

FLUSH_EVERY = 20_000
"""Rows between flushes of the writer's buffers: bounds memory in one long transaction."""
PROGRESS_EVERY = 2_000


@dataclass(slots=True)
class PlannedProject:
    ent: int
    source: str
    dates: list[date | None]
    invest: Decimal
    activity: int | None = None


@dataclass(slots=True)
class PlannedActivity:
    day: date
    kind: str
    members: list[str]
    targets: list[int] = field(default_factory=list)
    id: str = ""


class Zone:
    """The state of one build and its write helpers; the steps are in ``build`` and ``work``."""

    def __init__(
        self, store: Store, size: int, seed: int, today: date, progress: Progress | None
    ) -> None:
        self.s = store
        self.rng = random.Random(seed)
        self.size = size
        self.today = today
        self.year1 = today.year - 1
        self.start = date(self.year1, 1, 1)
        self.n_officers = max(8, min(80, size // 40))
        self.zf = self.n_officers / 80  # share of a full zone
        self.counts: Counter[str] = Counter()
        self._progress = progress
        self._stage = "start"
        self._done = 0
        months = (today.year - self.year1) * 12 + today.month - 1
        # the weekly rule less holidays and trips, but not dozens a year to a tiny ledger
        self.per_year = min(self.n_officers * 38, 12 + 4 * size)
        self._total = size + self.per_year * 2 * 12 + self.n_officers * months * 9 + 2_000
        self.officers: list[rec.Officer] = []
        self.ent_ids: list[str] = []
        self.brands: list[str] = []
        self.names: list[str] = []
        self.closed: set[int] = set()  # deregistered: kept in the ledger, no longer served
        self.contacts: list[str | None] = []
        self.projects: list[PlannedProject] = []
        self.project_ids: list[str] = []
        self.project_names: list[str] = []
        self.plans: dict[int, dict[int, tuple[str, str | None]]] = {}
        # Filled in by the ledger steps of ``fieldtui.demo.build``, read by ``fieldtui.demo.work``.
        self.items: dict[str, list[str]] = {}
        """Checklist kind → item ids of its first version."""
        self.negative_versions: list[tuple[date, list[str]]] = []
        """(effective from, item ids) of each negative-list version, oldest first."""
        self.leaders: list[rec.Officer] = []
        self.leads: list[rec.Officer] = []
        self.target_range = range(0)
        self.zone: list[int] = []

    # -- plumbing -----------------------------------------------------------------------

    def _tick(self, table: str) -> None:
        self.counts[table] += 1
        self._done += 1
        if self._done % FLUSH_EVERY == 0:
            self.s.writer.flush()
        if self._progress and self._done % PROGRESS_EVERY == 0:
            self._progress(self._stage, min(0.99, self._done / self._total))

    def stage(self, name: str) -> None:
        self._stage = name
        if self._progress:
            self._progress(name, min(0.99, self._done / self._total))

    def add(self, repo: Repo[R], record: R) -> R:
        created = repo.create(record)
        self._tick(repo.table)
        return created

    def link(self, repo: LinkRepo[Any], left: str, right: str) -> None:
        """Create a link row through the writer, skipping ``LinkRepo.link``'s existence check.

        Both ends are rows this build just made, so the link cannot exist yet; the check would
        flush the write buffers and query once per link, which is most of the cost of links.
        """
        values = {repo.left: left, repo.right: right}
        self.s.writer.create(repo.table, values, row_id=link_id(repo.table, left, right))
        self._tick(repo.table)

    def day(self, lo: date, hi: date) -> date:
        """A working day in ``[lo, hi]`` (weekends move to Friday, or Monday at the start)."""
        span = max(0, (hi - lo).days)
        d = lo + timedelta(self.rng.randint(0, span))
        if d.weekday() >= 5:
            back = d - timedelta(d.weekday() - 4)
            d = back if back >= lo else min(hi, d + timedelta(7 - d.weekday()))
        return d

    def count(self, full: int, least: int) -> int:
        """A zone figure scaled to this demo's size, never below ``least``."""
        return max(least, round(full * self.zf))
