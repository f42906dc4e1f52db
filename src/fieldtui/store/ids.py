"""Row and op identifiers."""

from __future__ import annotations

import os
import time
import uuid

_LINK_NAMESPACE = uuid.UUID("6f1d3c2a-94b8-4e0f-9a51-2f8c1f0d7a11")


def new_id() -> str:
    """A UUIDv7 string: time-ordered so inserts stay local in the B-tree (never sort by it)."""
    ms = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76
    value |= ((rand >> 62) & 0xFFF) << 64
    value |= 0b10 << 62
    value |= rand & ((1 << 62) - 1)
    return str(uuid.UUID(int=value))


def link_id(table: str, *ends: str) -> str:
    """A deterministic id for a link row, so two officers linking the same pair make one row."""
    return str(uuid.uuid5(_LINK_NAMESPACE, "|".join((table, *ends))))
