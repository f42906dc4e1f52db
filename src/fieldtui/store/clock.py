"""Hybrid logical clock: wall time in milliseconds with a counter, packed into one integer.

The clock only orders concurrent edits for the provisional conflict winner and for display;
causality (op parents) decides what supersedes what. Packing as ``ms << 16 | counter`` keeps
it one sortable integer column.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

COUNTER_BITS = 16
COUNTER_MASK = (1 << COUNTER_BITS) - 1
MAX_DRIFT_MS = 24 * 3600 * 1000
"""Remote stamps further ahead than this are not adopted (and are flagged by sync)."""


def pack(ms: int, counter: int) -> int:
    return (ms << COUNTER_BITS) | counter


def unpack(hlc: int) -> tuple[int, int]:
    return hlc >> COUNTER_BITS, hlc & COUNTER_MASK


def hlc_datetime(hlc: int) -> datetime:
    """The wall-clock part of a stamp, for display."""
    return datetime.fromtimestamp(unpack(hlc)[0] / 1000, tz=UTC)


def wall_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """A clock whose state the store persists in the ``meta`` table after each write."""

    def __init__(self, last: int = 0, now_ms: Callable[[], int] = wall_ms) -> None:
        self.last = last
        self._now_ms = now_ms

    def now_ms(self) -> int:
        """This clock's wall time (injected in tests to play a laptop with a wrong date)."""
        return self._now_ms()

    def tick(self) -> int:
        """A stamp for a local event, strictly greater than every stamp seen so far."""
        last_ms, counter = unpack(self.last)
        now = self._now_ms()
        if now > last_ms:
            self.last = pack(now, 0)
        elif counter < COUNTER_MASK:
            self.last = pack(last_ms, counter + 1)
        else:
            self.last = pack(last_ms + 1, 0)
        return self.last

    def observe(self, remote: int) -> bool:
        """Advance past a received stamp unless it is implausibly far ahead of our wall clock.

        Returns False for such a stamp: adopting it would drag every later local edit into the
        sender's wrong future, so the importer flags it instead.
        """
        remote_ms, _ = unpack(remote)
        if remote_ms - self._now_ms() > MAX_DRIFT_MS:
            return False
        if remote > self.last:
            self.last = remote
        return True
