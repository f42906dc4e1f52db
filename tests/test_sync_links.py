"""Two officers link the same pair on their laptops (a link row's id comes from its two ends):
one row, created twice. Found by the sync property test once it linked pairs on several
replicas at different times: each creation writes a ``created_at`` op with no parents, so the
hub showed a conflict on ``created_at`` that ``sync resolve`` refused (the field cannot be
written), open forever.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import fieldtui.store.writer as writer_module
from fieldtui import sync
from fieldtui.domain.records import Enterprise, Officer, Visit
from invariants import assert_rows_equal_ops
from sync_support import replica, ship, snapshot

EARLY = "2024-03-01T09:00:00+00:00"
LATE = "2024-03-02T17:30:00+00:00"


@pytest.fixture
def clock_text(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What ``now_iso`` answers next (created_at stamps are wall-clock text)."""
    answers: list[str] = []
    real = writer_module.now_iso
    monkeypatch.setattr(writer_module, "now_iso", lambda: answers[0] if answers else real())
    yield answers


def test_the_same_link_made_on_two_laptops_is_one_row_without_conflict(
    tmp_path: Path, clock_text: list[str]
) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB)
    a = replica(tmp_path / "a.db", sync.LAPTOP)
    b = replica(tmp_path / "b.db", sync.LAPTOP)
    enterprise = hub.enterprises.create(Enterprise(name="华音电器"))
    officer = hub.officers.create(Officer(name="王敏"))
    visit = hub.visits.create(Visit(enterprise_id=enterprise.id))
    for laptop in (a, b):
        ship(hub, laptop, tmp_path / "seed")
    clock_text[:] = [LATE]
    link = b.visit_officers.link(visit.id, officer.id)
    clock_text[:] = [EARLY]
    assert a.visit_officers.link(visit.id, officer.id) == link
    clock_text.clear()
    ship(b, hub, tmp_path / "up-b")
    ship(a, hub, tmp_path / "up-a")
    for laptop in (a, b):
        ship(hub, laptop, tmp_path / "down")
    for store in (hub, a, b):
        assert sync.list_conflicts(store.db) == []
        assert store.visit_officers.require(link).created_at == EARLY
        assert_rows_equal_ops(store)
    assert snapshot(a) == snapshot(hub) == snapshot(b)
    for store in (hub, a, b):
        store.close()
