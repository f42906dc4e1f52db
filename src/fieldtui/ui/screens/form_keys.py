"""Keys typed into a form handled in the order typed, however fast: a form's half of the
lists' rule (:mod:`fieldtui.ui.screens.list_screen`).

Textual sends a key to the focused widget's queue and resolves its binding only after it
has bubbled back up to the app. For a fast typist (or tmux send-keys, or keys typed while a
form opens) that loses order: ``陈志强 Tab 总经理`` puts both names in the first field (the
Tab moves the cursor after the second name has already been sent to the first field), and
``x Backspace`` takes back the character before the ``x``. So a form with this mixin
handles each key as it arrives (the app calls ``take_key`` for the screen in front):

- text goes into the field with the cursor at once (an ``Input`` or ``TextArea``, as the
  field itself would insert it; a paste too, through ``take_paste``);
- Tab / Shift+Tab move the cursor at once, so the text after them goes to the next field;
- a control's own ``take_key`` (a digit on a code chooser, Space on a self-check item) and
  the form's :meth:`special_key` (a picker to open) run at once;
- every other key with a binding (Backspace, End, Ctrl+S…) runs its binding at once, after
  the text typed before it and before the text typed after it;
- while the form is not ready (still loading) or :attr:`keys_held` (a picker of the form is
  in front, or was just closed), keys are kept and applied in order when it is
  (:meth:`replay_keys`).

Priority bindings (Ctrl+Q, Ctrl+G, Ctrl+P) are left to the app.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, TextArea

__all__ = ["TypedInOrder"]

Typed = events.Key | events.Paste


class TypedInOrder(Screen[Any]):
    """Mixin for a form screen (put before the form base in the bases)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.early_keys: list[Typed] = []
        """Keys and pastes typed before the form could take them, in order."""
        self.keys_held = False
        """A screen the form opened (a picker) is in front: keys wait for it."""
        self._replaying = False

    # -- hooks --------------------------------------------------------------------------

    @property
    def keys_ready(self) -> bool:
        """The fields show what they should (keys typed now may go into them)."""
        return bool(getattr(self, "ready", True))

    async def special_key(self, event: events.Key) -> bool:
        """A key the form handles itself (before the generic handling); True if handled."""
        return False

    # -- taking keys --------------------------------------------------------------------

    def _waiting(self) -> bool:
        return not self.keys_ready or self._replaying or bool(self.early_keys) or self.keys_held

    async def take_key(self, event: events.Key) -> bool:
        """Every key while this form is in front, in the order typed (called by the app)."""
        active = self.active_bindings.get(event.key)
        if active is not None and active.binding.priority:
            return False
        if self._waiting():
            self.early_keys.append(event)
            return True
        return await self.take_now(event)

    def take_paste(self, event: events.Paste) -> bool:
        """A paste, in its place among the keys (called by the app)."""
        if self._waiting():
            self.early_keys.append(event)
            return True
        return self._paste(event)

    def _paste(self, event: events.Paste) -> bool:
        focused = self.focused
        if isinstance(focused, Input):
            line = next((line for line in event.text.splitlines() if line.strip()), "")
            return self.type_text(focused, line) if line else True
        if isinstance(focused, TextArea):
            return self.type_text(focused, event.text)
        return False

    async def take_now(self, event: events.Key) -> bool:
        focused = self.focused
        if await self.special_key(event):
            return True
        taker = getattr(focused, "take_key", None)
        if taker is not None and taker(event):
            return True
        if event.key == "tab":
            self.focus_next()
            return True
        if event.key == "shift+tab":
            self.focus_previous()
            return True
        if event.is_printable and event.character:
            return self.type_text(focused, event.character)
        if event.key == "enter" and isinstance(focused, TextArea):
            return self.type_text(focused, "\n")
        active = self.active_bindings.get(event.key)
        if active is None or not active.enabled or active.binding.priority:
            return False
        await self.app.run_action(active.binding.action, active.node)
        return True

    @staticmethod
    def type_text(focused: Widget | None, text: str) -> bool:
        """Put typed text into the field with the cursor, as the field itself would."""
        if isinstance(focused, Input):
            if focused.selection.is_empty:
                focused.insert_text_at_cursor(text)
            else:
                focused.replace(text, *focused.selection)
            return True
        if isinstance(focused, TextArea) and not focused.read_only:
            start, end = focused.selection
            focused.replace(text, start, end, maintain_selection_offset=False)
            return True
        return False

    async def replay_keys(self) -> None:
        """Apply the keys kept meanwhile, in order (while this form is in front)."""
        if self._replaying or self.keys_held or self.app.screen is not self:
            return
        self._replaying = True
        try:
            while self.early_keys and self.app.screen is self and not self.keys_held:
                event = self.early_keys.pop(0)
                if isinstance(event, events.Paste):
                    if not self._paste(event):
                        (self.focused or self)._forward_event(events.Paste(event.text))
                elif not await self.take_now(event):
                    (self.focused or self)._forward_event(events.Key(event.key, event.character))
        finally:
            self._replaying = False
