"""Row and op identifiers."""

from __future__ import annotations

import os
import time
import uuid

_LINK_NAMESPACE = uuid.UUID("6f1d3c2a-94b8-4e0f-9a51-2f8c1f0d7a11")


def new_id() -> str:
    """A UUIDv7 string: time-ordered so inserts stay local in the B-tree (never sort by it).

    Built from bytes rather than through ``uuid.UUID``: bulk writes (demo data, sheet imports)
    make one per op, and this is about three times faster.
    """
    raw = bytearray((time.time_ns() // 1_000_000).to_bytes(6, "big") + os.urandom(10))
    raw[6] = 0x70 | (raw[6] & 0x0F)
    raw[8] = 0x80 | (raw[8] & 0x3F)
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def link_id(table: str, *ends: str) -> str:
    """A deterministic id for a link row, so two officers linking the same pair make one row."""
    return str(uuid.uuid5(_LINK_NAMESPACE, "|".join((table, *ends))))
