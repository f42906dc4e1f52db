"""What the record pickers search, and a picker that starts with what was already typed.

The searches: enterprises as the ledger's search finds them (name, USCC, pinyin initials…)
and officers by name, pinyin and unit. Shared by every screen that picks a record (the visit
form, the visits filter), so no screen imports another screen for its search function. They
run in the picker's thread worker.

:class:`SeededPicker` opens on the first letter an officer typed into a record field: that
letter (and any typed before the picker was composed) is the start of its search, so typing
``hhhb`` into the enterprise field of a visit searches ``hhhb``.
"""

from __future__ import annotations

from textual import events, on

from fieldtui.store import Store
from fieldtui.store.assignments import pick_officers
from fieldtui.store.enterprises import pick_enterprises
from fieldtui.ui.widgets.record_picker import PickItem, RecordPicker, SearchFn

__all__ = ["SeededPicker", "search_enterprises", "search_officers"]


def search_enterprises(store: Store, text: str) -> list[PickItem]:
    return [PickItem(r.id, r.name, r.uscc) for r in pick_enterprises(store, text)]


def search_officers(store: Store, text: str) -> list[PickItem]:
    return [PickItem(i, name, unit) for i, name, unit in pick_officers(store, text)]


class SeededPicker(RecordPicker):
    """A :class:`RecordPicker` whose search starts with ``seed`` (keys, in the order typed).

    Keys typed after Enter, while its choice waits for the search's results, are not search
    text: they were typed for the form behind (``hhhb`` Enter ``王总`` is the enterprise,
    then the person met). They are kept in :attr:`after_enter` for the caller to apply once
    the picker is gone; if Enter finds nothing to choose they go back into the search.
    """

    def __init__(self, title: str, search: SearchFn, seed: list[events.Key] | None = None) -> None:
        super().__init__(title, search)
        self.seed: list[events.Key] = list(seed or [])
        self.names: dict[str, str] = {}
        """Id → label of every result shown: the chosen record's name, for the caller."""
        self.entered = False
        """Enter was pressed and its choice waits for the results of what was typed."""
        self.after_enter: list[events.Key] = []

    def _waiting(self) -> bool:
        return bool(getattr(self, "_choose_pending", False))

    async def take_key(self, event: events.Key) -> bool:
        if not self.query("#picker-query"):  # not composed yet: keep the key for on_mount
            self.seed.append(event)
            return True
        if self.entered:
            self.after_enter.append(event)
            return True
        handled = await super().take_key(event)
        if event.key == "enter" and self._waiting():
            self.entered = True
        return handled

    @on(events.Mount)
    async def _apply_seed(self) -> None:
        # Runs before RecordPicker.on_mount (which focuses the box and searches its text).
        seed, self.seed = self.seed, []
        for event in seed:
            await super().take_key(event)

    def on_record_picker_results(self, message: RecordPicker.Results) -> None:
        # Runs before RecordPicker's handler, which makes a waiting choice.
        self.names.update((item.id, item.label) for item in message.items)
        if self.entered:
            self.call_later(self._not_chosen)

    async def _not_chosen(self) -> None:
        """Enter found nothing to choose (no match): the keys typed after it are search
        text after all."""
        if not self.entered or self._waiting() or not self.is_attached:
            return
        if self.app.screen is not self:
            return
        self.entered = False
        keys, self.after_enter = self.after_enter, []
        for event in keys:
            await self.take_key(event)
