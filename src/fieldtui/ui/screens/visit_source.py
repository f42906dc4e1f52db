"""How the visit form reads a visit: with its officers, the problems raised at it, its
self-check and the names its fields show, in one snapshot, as the form base's ``repo``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldtui.store import Store
from fieldtui.store.checklists import Checklist
from fieldtui.store.repos import Loaded
from fieldtui.store.visits import VisitDetail, load_visit

__all__ = ["VisitRecord", "VisitSource", "ids_in", "read_names"]


@dataclass(frozen=True, slots=True)
class VisitRecord:
    """What loading a visit gives the form: the visit and what it needs to show it."""

    detail: VisitDetail
    checklist: Checklist
    names: dict[str, str] = field(default_factory=dict)

    @property
    def deleted(self) -> bool:
        return bool(self.detail.visit.deleted)


class VisitSource:
    """The form base's view of visits (its ``repo``): a visit loads with its officers,
    problems, self-check and the names its fields show, in one snapshot."""

    table = "visit"

    def __init__(self, store: Store, extra_ids: tuple[str, ...] = ()) -> None:
        self.store = store
        self.extra_ids = extra_ids

    def load(self, row_id: str) -> Loaded[Any] | None:
        detail = load_visit(self.store, row_id)
        if detail is None:
            return None
        names = {detail.visit.enterprise_id: detail.enterprise_name}
        names.update(zip(detail.officer_ids, detail.officer_names, strict=True))
        names.update(read_names(self.store, self.extra_ids))
        record: Any = VisitRecord(detail, detail.self_check.checklist, names)
        return Loaded(record, detail.heads)

    def conflict_fields(self, row_id: str) -> list[str]:
        return self.store.visits.conflict_fields(row_id)

    def delete(self, row_id: str, *, parents: Any = None) -> bool:
        return self.store.visits.delete(row_id, parents=parents)


def read_names(store: Store, ids: tuple[str, ...]) -> dict[str, str]:
    """Names of enterprises and officers by id (a restored draft names them by id only)."""
    wanted = [i for i in dict.fromkeys(ids) if i]
    if not wanted:
        return {}
    marks = ", ".join("?" for _ in wanted)
    rows = store.db.execute_sql(
        f"SELECT id, name FROM enterprise WHERE id IN ({marks})"
        f" UNION ALL SELECT id, name FROM officer WHERE id IN ({marks})",
        (*wanted, *wanted),
    ).fetchall()
    return {str(r[0]): str(r[1]) for r in rows}


def ids_in(texts: Mapping[str, str | None]) -> tuple[str, ...]:
    ids = [texts.get("enterprise_id") or ""]
    ids += (texts.get("officer_ids") or "").replace(",", "、").split("、")
    return tuple(i for i in ids if i)
