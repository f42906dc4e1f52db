"""The field schema: every record kind's fields, declared once.

Each synced table is one :class:`Kind` whose :class:`Field` s say, per field: its type (line,
multiline, integer, money in 万元, date, yes/no, a code of a code list, a list of codes or
texts, a reference to another record, USCC, phone), its label, whether it is required, its
length limit, its sheet header and aliases, whether search indexes it, and display hints.
Parsing and checking hang off the type (:mod:`~fieldtui.domain.schema.fieldtypes`,
:mod:`~fieldtui.domain.schema.coded`), so a value is checked the same way in a form, a sheet
cell, ``sync resolve --value`` and a stored or synced value.

Who reads it: :mod:`fieldtui.domain.forms` (form checks), the sheets' columns
(:func:`fieldtui.sheets.spec.sheet_columns`), the sync value checks
(:mod:`fieldtui.sync.values`), the search text (:mod:`fieldtui.store.search.upkeep`), the
record conversions (:mod:`fieldtui.store.convert`) and the detail views
(:mod:`fieldtui.ui.widgets.record_fields`). The Peewee models and the frozen migrations state
the same columns for the database; ``tests/test_schema.py`` checks that they, the record
dataclasses and this schema agree column for column.

Adding a field is its :class:`Field` here (in the kind's module), a migration adding the
column (plus the model and dataclass attribute the test asks for) and the label's
translation; see the README, "Adding a field".
"""

from __future__ import annotations

from fieldtui.domain.schema.coded import Code, Codes, Ref, RefList, Texts
from fieldtui.domain.schema.core import Field, Kind, Parsed, Shown
from fieldtui.domain.schema.fieldtypes import (
    LIST_JOINER,
    Column,
    Day,
    FieldType,
    Flag,
    Integer,
    Labels,
    Line,
    Money,
    Multiline,
    Phone,
    Raw,
    Resolver,
    Uscc,
    cell_text,
    is_blank,
)
from fieldtui.domain.schema.ledger import ASSIGNMENT, ENTERPRISE, OFFICER, PROJECT
from fieldtui.domain.schema.work import (
    ACTIVITY,
    ACTIVITY_ENTERPRISE,
    ACTIVITY_MEMBER,
    CHECKLIST_ANSWER,
    CHECKLIST_ITEM,
    CHECKLIST_TEMPLATE,
    MEETING,
    MEETING_ENTERPRISE,
    MEETING_PROBLEM,
    MEETING_PROJECT,
    PROBLEM,
    PROBLEM_EVENT,
    VISIT,
    VISIT_OFFICER,
)

__all__ = [
    "ACTIVITY",
    "ASSIGNMENT",
    "CHECKLIST_ANSWER",
    "CHECKLIST_ITEM",
    "CHECKLIST_TEMPLATE",
    "ENTERPRISE",
    "KINDS",
    "LIST_JOINER",
    "MEETING",
    "OFFICER",
    "PROBLEM",
    "PROBLEM_EVENT",
    "PROJECT",
    "VISIT",
    "Code",
    "Codes",
    "Column",
    "Day",
    "Field",
    "FieldType",
    "Flag",
    "Integer",
    "Kind",
    "Labels",
    "Line",
    "Money",
    "Multiline",
    "Parsed",
    "Phone",
    "Raw",
    "Ref",
    "RefList",
    "Resolver",
    "Shown",
    "Texts",
    "Uscc",
    "cell_text",
    "field_of",
    "is_blank",
    "kind_of",
]

KINDS: dict[str, Kind] = {
    k.table: k
    for k in (
        OFFICER,
        ENTERPRISE,
        ASSIGNMENT,
        PROJECT,
        VISIT,
        VISIT_OFFICER,
        PROBLEM,
        PROBLEM_EVENT,
        MEETING,
        MEETING_ENTERPRISE,
        MEETING_PROJECT,
        MEETING_PROBLEM,
        ACTIVITY,
        ACTIVITY_MEMBER,
        ACTIVITY_ENTERPRISE,
        CHECKLIST_TEMPLATE,
        CHECKLIST_ITEM,
        CHECKLIST_ANSWER,
    )
}
"""Synced table name → its kind (the table names are part of the sync-file format)."""


def kind_of(table: str) -> Kind:
    """The kind of a synced table; ``ValueError`` names the known ones."""
    try:
        return KINDS[table]
    except KeyError:
        raise ValueError(f"unknown table {table!r}; tables: {', '.join(sorted(KINDS))}") from None


def field_of(table: str, name: str) -> Field:
    """A field of a synced table; ``ValueError`` when the table or the field does not exist."""
    kind = kind_of(table)
    found = kind.get(name)
    if found is None:
        raise ValueError(f"{table} has no field {name!r}")
    return found
