"""Names in sheets ↔ record ids: officers, enterprises and projects other sheets refer to.

Sheets name things the way people do ("张三", "广东浩海环保设备有限公司" or its USCC); the store
links by id. Only live records can be named, and an unknown or ambiguous name is an error for
that row: an import never creates a record because a cell mentioned it (domain.md, Sheets).
Export needs every name (id → name), so those indexes load whole on first use. An import
only needs the names its cells mention (name → id): each distinct name costs one indexed
query, remembered for the rest of the import, so a one-row sheet on a ledger of 100,000
enterprises reads one enterprise, not all of them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fieldtui.domain.validators import check_uscc, clean_line
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.store import Store


@dataclass
class _Index:
    names: dict[str, str] = field(default_factory=dict)
    """id → name, live and deleted (export may meet a link to a deleted record)."""
    live: set[str] = field(default_factory=set)
    by_name: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_uscc: dict[str, str] = field(default_factory=dict)

    def add(self, row_id: str, name: str, deleted: bool, uscc: str | None = None) -> None:
        self.names[row_id] = name
        if deleted:
            return
        self.live.add(row_id)
        self.by_name[name].append(row_id)
        if uscc:
            self.by_uscc[uscc] = row_id


class Refs:
    """Lazily built lookups over one store; not shared between threads."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._officers: _Index | None = None
        self._enterprises: _Index | None = None
        self._projects: _Index | None = None
        self._found: dict[tuple[str, str, str], list[str]] = {}

    def _live_ids(self, table: str, column: str, value: str, index: _Index | None) -> list[str]:
        """Ids of live rows whose ``column`` is ``value``: from the loaded index if there is
        one, else by one query (remembered)."""
        if index is not None:
            if column == "uscc":
                found = index.by_uscc.get(value)
                return [found] if found else []
            return list(index.by_name.get(value, []))
        key = (table, column, value)
        ids = self._found.get(key)
        if ids is None:
            cur = self.store.db.execute_sql(
                f'SELECT id FROM "{table}" WHERE "{column}" = ? AND deleted = 0 ORDER BY rowid',
                (value,),
            )
            ids = self._found[key] = [str(r[0]) for r in cur.fetchall()]
        return ids

    # -- indexes ------------------------------------------------------------------------

    @property
    def officers(self) -> _Index:
        if self._officers is None:
            self._officers = _Index()
            for o in self.store.officers.list(include_deleted=True):
                self._officers.add(o.id, o.name, o.deleted)
        return self._officers

    @property
    def enterprises(self) -> _Index:
        if self._enterprises is None:
            self._enterprises = _Index()
            for e in self.store.enterprises.list(include_deleted=True):
                self._enterprises.add(e.id, e.name, e.deleted, e.uscc)
        return self._enterprises

    @property
    def projects(self) -> _Index:
        if self._projects is None:
            self._projects = _Index()
            for p in self.store.projects.list(include_deleted=True):
                self._projects.add(p.id, p.name, p.deleted)
        return self._projects

    # -- name → id ----------------------------------------------------------------------

    def officer_id(self, text: str) -> str:
        name = clean_line(text)
        ids = self._live_ids("officer", "name", name, self._officers)
        if not ids:
            raise ValueError(_("No officer named {name}").format(name=name))
        if len(ids) > 1:
            raise ValueError(
                _("{n} officers are named {name}; rename one to tell them apart").format(
                    n=len(ids), name=name
                )
            )
        return ids[0]

    def enterprise_id(self, text: str) -> str:
        """By USCC when the cell holds a valid one, else by exact name."""
        value = clean_line(text)
        uscc = check_uscc(value)
        if uscc.ok and uscc.value:
            # The last live row with the code, as the whole-ledger index has it.
            found = self._live_ids("enterprise", "uscc", uscc.value, self._enterprises)
            row_id = found[-1] if found else None
            if row_id is None:
                raise ValueError(
                    _("No enterprise with USCC {uscc} in the ledger").format(uscc=uscc.value)
                )
            return row_id
        ids = self._live_ids("enterprise", "name", value, self._enterprises)
        if not ids:
            raise ValueError(_("No enterprise named {name} in the ledger").format(name=value))
        if len(ids) > 1:
            raise ValueError(
                _("{n} enterprises are named {name}; give the USCC instead").format(
                    n=len(ids), name=value
                )
            )
        return ids[0]

    def project_id(self, text: str) -> str:
        name = clean_line(text)
        ids = self._live_ids("project", "name", name, self._projects)
        if not ids:
            raise ValueError(_("No project named {name}").format(name=name))
        if len(ids) > 1:
            raise ValueError(
                _("{n} projects are named {name}; rename one to tell them apart").format(
                    n=len(ids), name=name
                )
            )
        return ids[0]

    # -- id → name ----------------------------------------------------------------------

    def officer_name(self, row_id: str) -> str:
        return self.officers.names.get(row_id, row_id)

    def enterprise_name(self, row_id: str) -> str:
        return self.enterprises.names.get(row_id, row_id)

    def project_name(self, row_id: str) -> str:
        return self.projects.names.get(row_id, row_id)
