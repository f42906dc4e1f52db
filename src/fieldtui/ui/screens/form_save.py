"""The worker side of a form's save and delete: one write transaction each.

Inside it, under the form's draft lock: the kind's database checks (a duplicate USCC, a
similar name …), the write with the heads the form showed as parents, and the end of the
draft, so the check, the write and the draft's removal commit together or not at all.
Afterwards, which of the written fields now hold a conflict (someone else's value kept
beside ours), so the officer is told.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from fieldtui.i18n import _
from fieldtui.store import Store
from fieldtui.store.models import DELETED_FIELD
from fieldtui.ui.screens.form_spec import SaveResult

if TYPE_CHECKING:
    from fieldtui.ui.screens.form_base import RecordFormScreen


def save_record(
    form: RecordFormScreen,
    store: Store,
    values: dict[str, Any],
    changes: dict[str, Any],
    acks: frozenset[str],
) -> SaveResult:
    """Check and write (thread worker). Never raises: a failure is the result's ``error``."""
    result = SaveResult()
    row_id = form.row_id
    repo = form.repo(store)
    try:
        with form.drafts.lock, store.batch():
            before = set(repo.conflict_fields(row_id)) if row_id else set()
            found = form.save_checks(store, values)
            if any(f.error or (f.ack and f.ack not in acks) for f in found):
                result.findings = found  # nothing written: the officer sees why
                return result
            result.saved_id = form.write(store, values, changes)
            form.drafts.close_in(store)
        if row_id is not None and changes:
            disputed = set(repo.conflict_fields(row_id))
            result.conflicts = [f for f in changes if f in disputed]
            if DELETED_FIELD in disputed - before:
                result.conflicts.append(DELETED_FIELD)
    except Exception as exc:  # the form stays filled in; the officer can retry
        form.drafts.reopen()
        return SaveResult(error=str(exc))
    return result


def delete_record(form: RecordFormScreen, store: Store, row_id: str) -> SaveResult:
    """Tombstone the record from what the form showed (thread worker; never raises)."""
    try:
        with form.drafts.lock, store.batch():
            links = form.link_names  # the heads of link rows are not the record's
            seen = {op for name, ops in form.heads.items() if name not in links for op in ops}
            form.repo(store).delete(row_id, parents=seen)
            form.drafts.close_in(store)
    except Exception as exc:
        form.drafts.reopen()
        return SaveResult(error=str(exc))
    return SaveResult(deleted=True)


def conflict_message(labels: Sequence[str], deleted: bool) -> str:
    """What the officer is told after a save that left conflicts."""
    names = [*labels, _("deleted elsewhere")] if deleted else list(labels)
    return _(
        "Saved. Someone else changed this record meanwhile ({fields}): both "
        "values are kept as a conflict for the office to settle."
    ).format(fields="、".join(names))
