"""What the conflicts screen lists, read in a thread worker: every open conflict and every
group of possible duplicate enterprises, each with the values a person can keep.

A conflict names its record as people know it (the enterprise's name, a visit's date and
enterprise…), its field by the schema's label, and each kept value shown as the schema shows
it (:meth:`~fieldtui.domain.schema.Field.show`: a code by its label, an amount in 万元, a
value that does not fit marked) with the database that wrote it, that database's device and
when. A duplicate group (one USCC on several live enterprises) offers each enterprise, with
what hangs off it. Everything another database wrote is made printable here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fieldtui.domain.printable import printable
from fieldtui.domain.schema import Code, Codes, Field, Ref, RefList, field_of
from fieldtui.domain.tables import table_title
from fieldtui.i18n import _
from fieldtui.store.deleted import KINDS as DELETED_KINDS
from fieldtui.store.duplicates import DuplicateGroup, duplicate_enterprises
from fieldtui.store.models import DELETED_FIELD
from fieldtui.sync import Conflict, Head, list_conflicts, team_status
from fieldtui.sync.conflicts import row_label
from fieldtui.sync.peers import identity, known_names
from fieldtui.ui.screens.sync_text import count_of, list_joiner

if TYPE_CHECKING:
    from fieldtui.store import Store

FIELD = "field"
DELETE = "delete"
DUPLICATE = "duplicate"
ID_SHOWN = 8
SHOWN_CHARS = 300
"""A kept value is shown up to this many characters (the list cuts it further)."""

_LABEL_SQL = {k.table: k.label_sql + " WHERE t.id = ?" for k in DELETED_KINDS.values()}


@dataclass(frozen=True, slots=True)
class Choice:
    """One value of a conflict (or one enterprise of a duplicate group) a person can keep."""

    text: str
    """As shown: printable, the schema's display of the value."""
    by: str
    """The database that wrote it (printable name), or "This database"."""
    device: str
    """That database's device fingerprint when known, else the end of its replica id."""
    at: str
    """ISO time stamp (when it was written; for an enterprise, when it was created)."""
    op_id: str | None = None
    """The head to take (a conflict)."""
    enterprise_id: str | None = None
    """The enterprise to keep (a duplicate group)."""
    ok: bool = True
    """False for a stored value that does not fit its field (shown as it is, marked)."""
    shown: bool = False
    """The provisional winner: what the record shows until someone decides."""
    edit: str | None = None
    """What the merged-value field starts with when this value is highlighted (F2)."""
    kind: str = "edit"
    """``edit``, ``delete`` or ``restore`` (a delete conflict's choices), ``keep`` (duplicates)."""
    detail: str = ""
    """A duplicate enterprise: what hangs off it (visits, problems…)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line of the conflicts list."""

    kind: str
    """:data:`FIELD`, :data:`DELETE` or :data:`DUPLICATE`."""
    table: str
    row_id: str
    """The record's id (a duplicate group: the shared USCC)."""
    field: str
    what: str
    """The record's kind, translated (企业)."""
    record: str
    """The record's name as people know it (printable)."""
    field_label: str
    at: str
    """When the conflict was found (ISO)."""
    choices: tuple[Choice, ...]
    typable: bool = False
    """A merged value may be typed (a field conflict on a live record, not a reference)."""
    note: str = ""
    """Why a value cannot be kept yet, or what keeping does."""

    @property
    def key(self) -> tuple[str, str, str, str]:
        return (self.kind, self.table, self.row_id, self.field)


class _Names:
    """Who wrote what: database names and their devices, read once per listing."""

    def __init__(self, store: Store) -> None:
        self.me = store.replica_id
        self.names = known_names(store.db)
        self.devices: dict[str, str] = {}
        try:
            team = team_status(store)
        except Exception:  # an unreadable key file: list the conflicts without devices
            return
        for device in team.devices:
            for rid in device.replica_ids:
                self.devices[rid] = device.fingerprint
        if team.device_fingerprint:
            self.devices[self.me] = team.device_fingerprint
        hub_id = identity(store).hub_id
        if hub_id and team.hub_fingerprint:
            self.devices[hub_id] = team.hub_fingerprint

    def by(self, replica_id: str) -> str:
        if replica_id == self.me:
            return _("This database")
        name = self.names.get(replica_id)
        return printable(name) if name else replica_id[-ID_SHOWN:]

    def device(self, replica_id: str) -> str:
        return self.devices.get(replica_id) or replica_id[-ID_SHOWN:]


class _RefNames:
    """Shows a reference field's value by the record's name (a resolver for ``Field.show``)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def ref_id(self, table: str, text: str) -> str:
        raise ValueError(text)

    def ref_name(self, table: str, row_id: str) -> str:
        return record_label(self.store, table, row_id)


def record_label(store: Store, table: str, row_id: str) -> str:
    """A record as people know it: an enterprise by its name, a visit by its date and
    enterprise, a problem by its enterprise and description (as the deleted records list
    them); other kinds by their name or the end of their id."""
    sql = _LABEL_SQL.get(table)
    if sql is not None:
        row = store.db.execute_sql(sql, (row_id,)).fetchone()
        if row and row[1]:
            return printable(str(row[1]).strip())
    label = row_label(store.db, table, row_id)
    return printable(label if label != row_id else row_id[-ID_SHOWN:])


def _field(table: str, name: str) -> Field | None:
    try:
        return field_of(table, name)
    except ValueError:
        return None


def field_label(table: str, name: str) -> str:
    if name == DELETED_FIELD:
        return _("Deleted or edited")
    found = _field(table, name)
    return _(found.label) if found is not None else printable(name)


def shown_value(store: Store, table: str, name: str, value: Any, lang: str) -> tuple[str, bool]:
    """A stored (column) value as the schema shows it, and whether it fits its field."""
    found = _field(table, name)
    if found is None:
        return printable(value), True
    shown = found.show(found.decode(value), lang, _RefNames(store))
    text = shown.text or _("(empty)")
    if len(text) > SHOWN_CHARS:
        text = text[:SHOWN_CHARS] + "…"
    return printable(text), shown.ok


def edit_text(table: str, name: str, value: Any, lang: str) -> str | None:
    """What a merged value starts as: the value as a form would show it for editing (a code
    by its label, which the parser takes back); None where typing is not offered."""
    found = _field(table, name)
    if found is None or isinstance(found.type, (Ref, RefList)) or found.link is not None:
        return None
    decoded = found.decode(value)
    if isinstance(found.type, (Code, Codes)):
        return found.show(decoded, lang).text
    return found.text(decoded) or ""


def _field_choice(store: Store, conflict: Conflict, head: Head, names: _Names, lang: str) -> Choice:
    text, ok = shown_value(store, conflict.table, head.field, head.value, lang)
    return Choice(
        text=text,
        by=names.by(head.replica_id),
        device=names.device(head.replica_id),
        at=head.stamp,
        op_id=head.op_id,
        ok=ok,
        shown=head.winner,
        edit=edit_text(conflict.table, head.field, head.value, lang),
    )


def _delete_choice(
    store: Store, conflict: Conflict, head: Head, names: _Names, lang: str
) -> Choice:
    if head.kind == "delete":
        text, ok = _("Keep it deleted"), True
    elif head.kind == "restore":
        text, ok = _("Restore it"), True
    else:
        value, ok = shown_value(store, conflict.table, head.field, head.value, lang)
        text = _("Restore it, with this change: {field}: {value}").format(
            field=field_label(conflict.table, head.field), value=value
        )
    return Choice(
        text=text,
        by=names.by(head.replica_id),
        device=names.device(head.replica_id),
        at=head.stamp,
        op_id=head.op_id,
        ok=ok,
        shown=head.winner,
        kind=head.kind,
    )


def _conflict_item(store: Store, conflict: Conflict, names: _Names, lang: str) -> Item:
    if conflict.is_delete:
        choices = tuple(_delete_choice(store, conflict, h, names, lang) for h in conflict.heads)
        note = _("Deleted on one side, changed on another: keep the delete, or restore it.")
        kind = DELETE
        typable = False
    else:
        choices = tuple(_field_choice(store, conflict, h, names, lang) for h in conflict.heads)
        kind = FIELD
        typable = any(c.edit is not None for c in choices) and not conflict.row_deleted
        note = ""
        if conflict.row_deleted:
            note = _(
                "The record is deleted: settle that first (restore it), then choose a value "
                "for this field."
            )
    return Item(
        kind=kind,
        table=conflict.table,
        row_id=conflict.row_id,
        field=conflict.field,
        what=table_title(conflict.table),
        record=record_label(store, conflict.table, conflict.row_id),
        field_label=field_label(conflict.table, conflict.field),
        at=conflict.detected_at,
        choices=choices,
        typable=typable,
        note=note,
    )


def _links_text(links: dict[str, int]) -> str:
    if not links:
        return _("nothing linked")
    return list_joiner().join(count_of(table, n) for table, n in links.items())


def _duplicate_item(group: DuplicateGroup, names: _Names) -> Item:
    choices = tuple(
        Choice(
            text=printable(e.name),
            by=names.by(e.created_by) if e.created_by else "",
            device=names.device(e.created_by) if e.created_by else "",
            at=e.created_at,
            enterprise_id=e.id,
            kind="keep",
            detail=_links_text(e.links),
        )
        for e in group.enterprises
    )
    return Item(
        kind=DUPLICATE,
        table="enterprise",
        row_id=group.uscc,
        field="",
        what=_("Possible duplicate"),
        record=" / ".join(printable(e.name) for e in group.enterprises),
        field_label=printable(group.uscc),
        at=group.enterprises[0].created_at,
        choices=choices,
        note=_(
            "One unified social credit code, entered as {n} enterprises: keep one (Enter) and "
            "the others are merged into it."
        ).format(n=len(group.enterprises)),
    )


def load_items(store: Store, lang: str) -> list[Item]:
    """Every open conflict (oldest first), then every possible duplicate group."""
    names = _Names(store)
    items = [_conflict_item(store, c, names, lang) for c in list_conflicts(store.db)]
    items += [_duplicate_item(g, names) for g in duplicate_enterprises(store)]
    return items


def check_typed(table: str, name: str, raw: str) -> str | None:
    """Why a typed merged value would be refused, as a form says it, or None. The message
    names the field: under the merged value it is not next to the field's own label."""
    found = _field(table, name)
    if found is None:
        return _("This field cannot be typed here.")
    parsed = found.parse(raw)
    error: str | None = None
    if parsed.blank:
        error = _("Required") if found.required else None
    elif parsed.error is not None:
        error = _(found.type.form_error) if found.type.form_error else parsed.error
    if error is None:
        return None
    return _("{field}: {error}").format(field=_(found.label), error=error)
