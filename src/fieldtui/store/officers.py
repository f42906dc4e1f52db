"""Officer queries the forms need beyond plain CRUD (reads only; a roster is ~80 rows)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = ["OfficerRef", "officers_named", "person_key"]

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class OfficerRef:
    """Enough of an officer to tell them apart in a message."""

    id: str
    name: str
    unit: str | None = None


def person_key(name: str) -> str:
    """Two spellings of one person's name compare equal (width, case and spaces ignored)."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", name).casefold())


def officers_named(store: Store, name: str, exclude_id: str | None = None) -> list[OfficerRef]:
    """Live officers with this name (the one being edited left out), by unit."""
    key = person_key(name)
    if not key:
        return []
    rows = store.db.execute_sql(
        "SELECT id, name, unit FROM officer WHERE deleted = 0 AND id != ? ORDER BY unit, id",
        (exclude_id or "",),
    ).fetchall()
    return [OfficerRef(r[0], r[1], r[2]) for r in rows if person_key(str(r[1])) == key]
