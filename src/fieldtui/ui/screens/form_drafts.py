"""Keeping a form's draft in the database as it is typed, so no kill loses it.

Each change restarts a short timer; when typing pauses the form's contents go to the local
``form_draft`` table in a thread worker (or its draft is removed once the form is back to
what it showed). The save writes the record and removes the draft in one transaction, under a
lock that draft writes also take, so a draft write still in flight can never bring a saved
form's draft back. On SIGTERM/SIGHUP the app writes every changed form's draft at once
(:meth:`DraftKeeper.write_now`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.timer import Timer

from fieldtui.store import Store
from fieldtui.store.drafts import Draft, delete_draft, save_draft
from fieldtui.store.ids import new_id
from fieldtui.ui.context import ctx

if TYPE_CHECKING:
    from fieldtui.ui.screens.form_base import RecordFormScreen

DRAFT_DELAY = 0.4
"""Seconds of quiet typing before the draft is written (a burst of keys makes one write)."""


class DraftKeeper:
    """One form's draft: its id, its writes, and the end of it."""

    def __init__(self, form: RecordFormScreen, draft: Draft | None) -> None:
        self.form = form
        self.id = draft.id if draft else new_id()
        """Fresh per opened form; a restored form keeps its draft's, so it replaces it."""
        self.rev = draft.rev if draft else 0
        self.stored = draft is not None
        """A draft of this form may be in the database (so a clean form must remove it)."""
        self.lock = threading.Lock()
        """Held by draft writes and by the save, which removes the draft as it commits."""
        self.final = False
        """Saved, discarded or deleted: no draft may be written any more (under the lock)."""
        self._timer: Timer | None = None

    def adopt(self, draft: Draft) -> None:
        """Continue a draft found after the form opened (the first-run profile)."""
        self.id, self.rev, self.stored = draft.id, draft.rev, True

    def make(self) -> Draft:
        form = self.form
        self.rev += 1
        raw = form.raw()
        return Draft(
            id=self.id,
            kind=form.KIND,
            row_id=form.row_id,
            title=form.record_title(raw),
            fields=raw,
            base=dict(form.base_text),
            heads=dict(form.heads),
            rev=self.rev,
        )

    # -- as the officer types ---------------------------------------------------------------

    def schedule(self) -> None:
        self.stop_timer()
        self._timer = self.form.set_timer(DRAFT_DELAY, self._due)

    def stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _due(self) -> None:
        self._timer = None
        form = self.form
        if not form.is_attached or form.busy:
            return
        # App workers, not the form's: a form's workers are cancelled when it closes, and a
        # draft write or removal must still happen then.
        store = ctx(form).store
        if form.dirty:
            self.stored = True
            draft = self.make()
            form.app.run_worker(lambda: self._write(store, draft), thread=True, group="form-draft")
        elif self.stored:
            self.stored = False
            form.app.run_worker(lambda: self._write(store, None), thread=True, group="form-draft")

    def _write(self, store: Store, draft: Draft | None) -> None:
        """Store the draft, or remove it (None). Runs in a thread worker."""
        with self.lock:
            if self.final:
                return
            if draft is None:
                delete_draft(store, self.id)
            else:
                save_draft(store, draft)

    def write_now(self) -> None:
        """Write the draft at once, on the calling thread: the app is being terminated."""
        if not self.form.dirty:
            return
        draft = self.make()
        with self.lock:
            if not self.final:
                save_draft(ctx(self.form).store, draft)
                self.stored = True

    # -- the end of it ------------------------------------------------------------------------

    def end(self, then: Callable[[], object] | None = None) -> None:
        """The form is left without saving: its draft goes, and no late write brings it back.

        ``then`` runs (on the UI thread) once the draft is gone: quitting waits for it.
        """
        self.stop_timer()
        self.stored = False
        app = self.form.app
        store = ctx(self.form).store

        def drop() -> None:
            try:
                with self.lock:
                    self.final = True
                    delete_draft(store, self.id)
            finally:
                if then is not None:
                    app.call_from_thread(then)

        app.run_worker(drop, thread=True, group="form-draft-end")

    def close_in(self, store: Store) -> None:
        """Inside the transaction that saves (or deletes) the record, with :attr:`lock` held."""
        delete_draft(store, self.id)
        self.final = True

    def reopen(self) -> None:
        """That transaction failed: the form stays open and its draft is kept again."""
        self.final = False
        self.stored = True
