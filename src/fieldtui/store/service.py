"""What the field-work services share: refusing bad input by field, checking values against
the field schema, live-record checks and conflict-safe updates.

The services (:mod:`fieldtui.store.visits`, :mod:`~fieldtui.store.problems`,
:mod:`~fieldtui.store.checklists`) take typed values (dates, codes, ids) from forms and the
command line, which parse what people type with the schema's field parsers. A service checks
again what it is given (a value must be one its field's parser could produce), so a caller
that skips parsing cannot store what a form would have refused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from fieldtui.domain.schema import Kind
from fieldtui.i18n import _ as _gettext
from fieldtui.store.convert import to_column

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "InputError",
    "Parents",
    "check_values",
    "live_ids",
    "require_live",
    "update_row",
]

Parents = Mapping[str, Iterable[str]]
"""Field → the op ids of its heads when a form loaded the record (``Loaded.heads``)."""


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


class InputError(ValueError):
    """Input a service refuses, by field: ``errors`` maps a field (``problems[1].description``,
    ``answers.<item id>``…) to its message; ``str()`` is the first, for one-line reports."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        first = next(iter(self.errors.items()), ("", ""))
        super().__init__(first[1])
        self.field = first[0]

    @classmethod
    def one(cls, field: str, message: str) -> InputError:
        return cls({field: message})


def check_values(
    kind: Kind,
    values: Mapping[str, Any],
    prefix: str = "",
    *,
    new: bool = False,
    known: bool | None = None,
) -> dict[str, str]:
    """Messages for the values that do not fit their field, keyed ``prefix + field``.
    ``new`` (a record being created, or saved whole by a form): required fields missing are
    refused too; ``known`` (default: ``new``): codes this version does not know as well (a
    newer version's code may stay on a record it came with, not be given anew)."""
    known = new if known is None else known
    errors: dict[str, str] = {}
    for name, value in values.items():
        found = kind.get(name)
        if found is None or found.link is not None:
            continue
        if value is None or value == "" or value == []:
            if found.required:
                errors[prefix + name] = _("{label}: required", label=_gettext(found.label))
            continue
        if not found.fits(value):
            errors[prefix + name] = _(
                "{label}: not a valid value “{value}”", label=_gettext(found.label), value=value
            )
            continue
        checked = found.check_column(found.encode(value))
        if not checked.ok:
            errors[prefix + name] = f"{_gettext(found.label)}: {checked.error}"
        elif known and not found.type.known(value):
            # a code from a newer version may be kept on a record, not given to a new one
            errors[prefix + name] = _(
                "{label}: unknown value “{value}”", label=_gettext(found.label), value=value
            )
    if new:
        for f in kind.columns:
            if f.required and f.default is None and prefix + f.name not in errors:
                value = values.get(f.name)
                if value is None or value == "" or value == []:
                    errors[prefix + f.name] = _("{label}: required", label=_gettext(f.label))
    return errors


def live_ids(store: Store, table: str, ids: Iterable[str]) -> set[str]:
    """Which of ``ids`` are live rows of ``table`` (rows written earlier in the caller's
    batch included)."""
    store.writer.flush()
    wanted = list(dict.fromkeys(i for i in ids if i))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        cur = store.db.execute_sql(
            f"SELECT id FROM {table} WHERE deleted = 0 AND id IN ({marks})", chunk
        )
        found.update(str(r[0]) for r in cur.fetchall())
    return found


def require_live(store: Store, table: str, row_id: str | None, field: str, what: str) -> None:
    """Refuse a reference to a record that does not exist or was deleted."""
    if not row_id or not live_ids(store, table, [row_id]):
        raise InputError.one(field, _("{what} does not exist or was deleted", what=what))


def update_row(
    store: Store,
    table: str,
    row_id: str,
    values: Mapping[str, Any],
    parents: Parents | None = None,
) -> list[str]:
    """Write changed fields of a row; with ``parents`` (what the caller showed) an edit it
    never saw becomes a conflict rather than being overwritten."""
    columns = {k: to_column(v) for k, v in values.items()}
    return store.writer.update(table, row_id, columns, parents=parents)
