"""What the ``visit`` and ``problem`` commands share: opening the database, the current
officer, and reading option values through the field schema's parsers.

Every value typed on the command line passes its field's parser (the one a form, a sheet
cell and a sync value pass), with the sheets' resolver for names: an enterprise by its USCC
or exact name, an officer by name. A bad value is refused in one line naming the option.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from fieldtui.cli.common import CliError, db_path
from fieldtui.domain.schema import Field, Raw
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.sheets.cells import Context
    from fieldtui.store import Store
    from fieldtui.store.service import InputError

__all__ = ["Values", "field_value", "open_existing", "option_of", "refused"]


@contextmanager
def open_existing(args: argparse.Namespace) -> Iterator[Store]:
    """The command's database; one that does not exist is refused (a mistyped ``--db`` must
    not quietly become an empty database)."""
    from fieldtui.store import Store

    path = db_path(args)
    if not path.exists():
        raise CliError(
            _("{path}: no such database (give --db PATH or set FIELDTUI_DB)").format(path=path)
        )
    with Store(path) as store:
        yield store


class Values:
    """Option values parsed by their fields, names resolved against one store."""

    def __init__(self, store: Store) -> None:
        from fieldtui.sheets.cells import Context
        from fieldtui.sheets.refs import Refs

        self.store = store
        self.ctx: Context = Context(Refs(store))

    def parse(self, field: Field, raw: Raw, option: str, *, required: bool = False) -> Any:
        return field_value(field, raw, option, self.ctx, required=required)


def field_value(
    field: Field, raw: Raw, option: str, ctx: Context | None = None, *, required: bool = False
) -> Any:
    """``raw`` parsed by ``field``; None when not given. A value the field refuses (or a
    required one missing) raises :class:`CliError` naming ``option``."""
    if raw is None:
        if required:
            raise CliError(_("{option}: required").format(option=option))
        return None
    parsed = field.parse(raw, ctx)
    if parsed.error is not None:
        raise CliError(
            _("{option} “{value}”: {message}").format(
                option=option, value=raw, message=parsed.error
            )
        )
    if parsed.blank:
        if required:
            raise CliError(_("{option}: required").format(option=option))
        return None
    return parsed.value


OPTIONS = {
    "date": "--date",
    "on": "--on",
    "kind": "--kind",
    "person": "--person",
    "person_title": "--title",
    "summary": "--summary",
    "follow_up": "--follow-up",
    "enterprise_id": "--enterprise",
    "officer_ids": "--officer",
    "officer_id": "--officer",
    "category": "--category",
    "description": "--description",
    "deadline": "--deadline",
    "raised_on": "--raised-on",
    "lead_unit": "--lead-unit",
    "note": "--note",
    "reason": "--reason",
    "resolution": "--resolution",
    "satisfaction": "SATISFACTION",
    "status": "STATUS",
    "id": "ID",
    "problem_id": "ID",
}


def option_of(field: str) -> str:
    """The option a service's field name came from (``problems.1.description`` →
    ``--problem`` #2)."""
    if field.startswith("problems."):
        number = field.split(".")[1]
        return _("--problem #{n}").format(n=int(number) + 1 if number.isdigit() else number)
    if field.startswith("answers."):
        return "--breach"
    return OPTIONS.get(field, field)


def refused(exc: InputError) -> CliError:
    """A service's refusal as one line naming the option."""
    return CliError(_("{option}: {message}").format(option=option_of(exc.field), message=str(exc)))
