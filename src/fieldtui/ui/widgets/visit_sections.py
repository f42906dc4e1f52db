"""The two repeating parts of the visit form: the problems raised at the visit (rows added
with one key) and the negative-list self-check (one answer per item, all kept with one key).

Each keeps what the officer typed as plain data the form reads (:meth:`ProblemRows.texts`,
:attr:`SelfCheckPanel.answers`), so the form's text, its draft and its dirty check never
depend on widgets being mounted yet. Checklist items, category labels and what was typed are
drawn as plain content.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Static

from fieldtui.domain.enums import ChecklistAnswer
from fieldtui.domain.schema import PROBLEM
from fieldtui.i18n import _
from fieldtui.store.checklists import Checklist
from fieldtui.ui.visit_texts import AnswerText, ProblemText
from fieldtui.ui.widgets.choosers import Choices, CodeChooser

__all__ = ["AnswerToggle", "ProblemRow", "ProblemRows", "SelfCheckPanel"]

KEPT = ChecklistAnswer.KEPT.code
BREACHED = ChecklistAnswer.BREACHED.code


# --------------------------------------------------------------------------- problems


class ProblemRow(Vertical):
    """One problem: its category (a digit), description, lead unit and deadline."""

    DEFAULT_CSS = """
    ProblemRow {
        height: auto;
        margin-bottom: 1;
    }
    ProblemRow Horizontal {
        height: auto;
    }
    ProblemRow .problem-label {
        width: 10;
        color: $text-muted;
    }
    ProblemRow Input {
        width: 1fr;
    }
    ProblemRow .problem-message {
        display: none;
        color: $text-error;
        padding-left: 10;
    }
    ProblemRow .problem-message.-error {
        display: block;
    }
    """

    def __init__(self, number: int, categories: Choices, text: ProblemText) -> None:
        super().__init__(classes="problem-row")
        self.number = number
        self.category = CodeChooser(
            categories, text.category, id=f"problem-{number}-category", classes="problem-input"
        )
        self.description = Input(
            text.description,
            placeholder=_("Description, e.g. 首期用电报装"),
            compact=True,
            id=f"problem-{number}-description",
            classes="problem-input",
        )
        self.lead_unit = Input(
            text.lead_unit,
            placeholder=_("Lead unit (optional)"),
            compact=True,
            id=f"problem-{number}-lead_unit",
            classes="problem-input",
        )
        self.deadline = Input(
            text.deadline,
            placeholder=_("Deadline, e.g. 2026-04-30"),
            compact=True,
            id=f"problem-{number}-deadline",
            classes="problem-input",
        )
        self.message = Static("", classes="problem-message")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield Label(Content(_("Problem {n}").format(n=self.number)), classes="problem-label")
            yield self.category
        with Horizontal():
            yield Label("", classes="problem-label")
            yield self.description
        with Horizontal():
            yield Label("", classes="problem-label")
            yield self.lead_unit
            yield self.deadline
        yield self.message

    def text(self) -> ProblemText:
        return ProblemText(
            self.category.value,
            self.description.value,
            self.lead_unit.value,
            self.deadline.value,
        )

    def show_errors(self, errors: Mapping[str, str]) -> None:
        labels = {f.name: _(f.label) for f in PROBLEM.fields}
        message = "；".join(f"{labels.get(name, name)}：{text}" for name, text in errors.items())
        self.message.update(Content(message))
        self.message.set_class(bool(message), "-error")


class ProblemRows(Vertical):
    """The problems raised at this visit; Ctrl+N (the form's key) adds a row."""

    DEFAULT_CSS = """
    ProblemRows {
        height: auto;
    }
    ProblemRows #problems-empty {
        color: $text-muted;
        padding-left: 10;
    }
    """

    class Changed(Message):
        pass

    def __init__(self, categories: Choices, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.categories = categories
        self.rows: list[ProblemRow] = []
        self.errors: dict[int, dict[str, str]] = {}

    def compose(self) -> ComposeResult:
        yield Static(_("None. Ctrl+N adds a problem raised at this visit."), id="problems-empty")

    def texts(self) -> list[ProblemText]:
        return [row.text() for row in self.rows]

    async def add(self, text: ProblemText | None = None, *, focus: bool = True) -> ProblemRow:
        """A new row at the end (the cursor on its category: a digit chooses it)."""
        row = ProblemRow(len(self.rows) + 1, self.categories, text or ProblemText())
        self.rows.append(row)
        for empty in self.query("#problems-empty"):
            empty.display = False
        await self.mount(row)
        if focus:
            self.screen.set_focus(row.category)
            row.call_after_refresh(row.scroll_visible)  # laid out only after this refresh
        return row

    def set_texts(self, texts: Sequence[ProblemText]) -> None:
        """Show these rows instead (a restored draft). The rows hold their text at once;
        the widgets are swapped in after."""
        old = self.rows
        self.rows = [
            ProblemRow(number, self.categories, text) for number, text in enumerate(texts, 1)
        ]
        new = list(self.rows)

        async def swap() -> None:
            for row in old:
                await row.remove()
            if new:
                await self.mount_all(new)
            for empty in self.query("#problems-empty"):
                empty.display = not self.rows

        self.call_later(swap)

    def show_errors(self, errors: dict[int, dict[str, str]]) -> None:
        self.errors = errors
        for index, row in enumerate(self.rows):
            row.show_errors(errors.get(index, {}))

    def focus(self, scroll_visible: bool = True) -> ProblemRows:
        """Focusing the section (a save refused) goes to the first row with an error."""
        self.focus_error()
        return self

    def focus_error(self) -> bool:
        for index, row in enumerate(self.rows):
            found = self.errors.get(index)
            if found:
                self.screen.set_focus(getattr(row, next(iter(found))))
                return True
        return False

    @on(Input.Changed, ".problem-input")
    @on(CodeChooser.Changed, ".problem-input")
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())


# --------------------------------------------------------------------------- self-check


class AnswerToggle(Widget, can_focus=True):
    """One item's answer: Space or Enter gives 未违反, again 有违反 (then the note is typed),
    again 未违反; Up/Down go to the previous/next item."""

    DEFAULT_CSS = """
    AnswerToggle {
        width: 10;
        height: 1;
        content-align: center middle;
    }
    AnswerToggle:focus {
        background: $block-cursor-blurred-background;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,enter", "flip", _("Kept / breached"), id="self_check.toggle", show=False),
        Binding("up", "move(-1)", _("Previous item"), id="self_check.previous", show=False),
        Binding("down", "move(1)", _("Next item"), id="self_check.next", show=False),
    ]

    def __init__(self, item_id: str) -> None:
        super().__init__(classes="answer-toggle")
        self.item_id = item_id
        self.answer = ""

    def render(self) -> Content:
        if self.answer == KEPT:
            return Content.assemble((ChecklistAnswer.KEPT.label(_lang()), "green"))
        if self.answer == BREACHED:
            return Content.assemble((ChecklistAnswer.BREACHED.label(_lang()), "bold red"))
        return Content.assemble((_("Not answered"), "dim"))

    def action_flip(self) -> None:
        panel = self._panel()
        if panel is not None:
            panel.toggle(self.item_id)

    def action_move(self, delta: int) -> None:
        panel = self._panel()
        if panel is not None:
            panel.focus_item(self.item_id, delta)

    def take_key(self, event: events.Key) -> bool:
        if event.key in ("space", "enter"):
            self.action_flip()
        elif event.key in ("up", "down"):
            self.action_move(-1 if event.key == "up" else 1)
        else:
            return False
        return True

    def _panel(self) -> SelfCheckPanel | None:
        found = [n for n in self.ancestors if isinstance(n, SelfCheckPanel)]
        return found[0] if found else None


def _lang() -> str:
    from fieldtui.i18n import language

    return language()


class AnswerRow(Vertical):
    DEFAULT_CSS = """
    AnswerRow {
        height: auto;
    }
    AnswerRow > Horizontal {
        height: auto;
    }
    AnswerRow .item-text {
        width: 1fr;
    }
    AnswerRow Input {
        display: none;
        margin-left: 4;
    }
    AnswerRow.-breached Input {
        display: block;
    }
    AnswerRow .answer-message {
        display: none;
        color: $text-error;
        padding-left: 4;
    }
    AnswerRow .answer-message.-error {
        display: block;
    }
    """

    def __init__(self, position: int, item_id: str, text: str) -> None:
        super().__init__(classes="answer-row")
        self.item_id = item_id
        self.item_text = Static(Content(f"{position}. {text}"), classes="item-text")
        self.toggle = AnswerToggle(item_id)
        self.note = Input(
            placeholder=_("What happened (required for a breach)"),
            compact=True,
            classes="answer-note",
        )
        self.note.item_id = item_id  # type: ignore[attr-defined]
        self.message = Static("", classes="answer-message")

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield self.item_text
            yield self.toggle
        yield self.note
        yield self.message

    def show(self, answer: AnswerText, error: str | None) -> None:
        self.toggle.answer = answer.answer
        self.toggle.refresh()
        self.set_class(answer.answer == BREACHED, "-breached")
        if self.note.value != answer.note:
            with self.note.prevent(Input.Changed):
                self.note.value = answer.note
        self.message.update(Content(error or ""))
        self.message.set_class(bool(error), "-error")


class SelfCheckPanel(Vertical):
    """The negative-list self-check of this visit: every item kept or breached (a breach
    needs a note). Incomplete, the visit is saved as a draft."""

    DEFAULT_CSS = """
    SelfCheckPanel {
        height: auto;
    }
    SelfCheckPanel #self-check-state {
        margin-bottom: 1;
    }
    """

    class Changed(Message):
        pass

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.checklist: Checklist | None = None
        self.template_id: str | None = None
        """The version answered: the checklist's, or a restored draft's until it is read."""
        self.answers: dict[str, AnswerText] = {}
        self.errors: dict[str, str] = {}
        self.rows: dict[str, AnswerRow] = {}
        self.all_kept_pending = False
        """"All kept" was asked for before the list was read: done when it arrives."""

    def compose(self) -> ComposeResult:
        yield Static(Content(_("Reading the negative list…")), id="self-check-state")

    @property
    def complete(self) -> bool:
        if self.checklist is None:
            return False
        return all(
            self.answers.get(i.id, AnswerText()).answer
            and (self.answers[i.id].answer != BREACHED or self.answers[i.id].note.strip())
            for i in self.checklist.items
        )

    async def set_checklist(self, checklist: Checklist) -> None:
        """The version to answer (the one answered before, if any), its rows mounted."""
        self.checklist = checklist
        self.template_id = checklist.template_id
        for row in list(self.rows.values()):
            await row.remove()
        self.rows = {}
        rows = [AnswerRow(i.position, i.id, i.text) for i in checklist.items]
        self.rows = {row.item_id: row for row in rows}
        await self.mount_all(rows)
        if self.all_kept_pending:
            self.all_kept_pending = False
            self.all_kept()
        self.refresh_rows()

    def set_answers(self, template_id: str | None, answers: Mapping[str, AnswerText]) -> None:
        if template_id:
            self.template_id = template_id
        self.answers = dict(answers)
        self.refresh_rows()

    def toggle(self, item_id: str) -> None:
        current = self.answers.get(item_id, AnswerText())
        answer = BREACHED if current.answer == KEPT else KEPT
        self.answers[item_id] = AnswerText(answer, current.note)
        self.refresh_rows()
        self.post_message(self.Changed())
        if answer == BREACHED and item_id in self.rows:
            row = self.rows[item_id]
            self.screen.set_focus(row.note)
            row.call_after_refresh(row.scroll_visible)

    def all_kept(self) -> int:
        """Every item not answered yet becomes 未违反 (breaches stay, with their notes)."""
        if self.checklist is None:
            self.all_kept_pending = True
            return 0
        changed = 0
        for item in self.checklist.items:
            if not self.answers.get(item.id, AnswerText()).answer:
                self.answers[item.id] = AnswerText(KEPT)
                changed += 1
        if changed:
            self.refresh_rows()
            self.post_message(self.Changed())
        return changed

    def focus_item(self, item_id: str, delta: int) -> None:
        ids = list(self.rows)
        if item_id in ids:
            index = ids.index(item_id) + delta
            if 0 <= index < len(ids):
                self.screen.set_focus(self.rows[ids[index]].toggle)
            elif delta > 0:
                self.screen.focus_next()
            else:
                self.screen.focus_previous()

    def focus_first(self) -> None:
        target = next(iter(self.rows.values()), None)
        if target is not None:
            self.screen.set_focus(target.toggle)

    def focus(self, scroll_visible: bool = True) -> SelfCheckPanel:
        """Focusing the section (a save refused) goes to the first item with an error."""
        self.focus_error()
        return self

    def focus_error(self) -> bool:
        for item_id in self.rows:
            if item_id in self.errors:
                self.screen.set_focus(self.rows[item_id].note)
                return True
        return False

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors = errors
        self.refresh_rows()

    def refresh_rows(self) -> None:
        for item_id, row in self.rows.items():
            row.show(self.answers.get(item_id, AnswerText()), self.errors.get(item_id))
        self._show_state()

    def _show_state(self) -> None:
        state = self.query_one("#self-check-state", Static)
        if self.checklist is None:
            return
        total = len(self.checklist.items)
        answered = sum(
            1 for i in self.checklist.items if self.answers.get(i.id, AnswerText()).answer
        )
        breaches = sum(1 for a in self.answers.values() if a.answer == BREACHED)
        if self.complete:
            text = Content.assemble(
                (_("Complete"), "bold green"),
                (_(", {n} breached").format(n=breaches), "bold red") if breaches else "",
            )
        elif answered == total:
            text = Content.assemble(
                (_("Every item is answered: say what happened at each breach."), "yellow")
            )
        else:
            text = Content.assemble(
                (
                    _(
                        "Answered {answered} of {total}: the visit stays a draft until all are."
                    ).format(answered=answered, total=total),
                    "yellow",
                ),
                ("  " + _("Ctrl+T: all kept"), "dim"),
            )
        state.update(text)

    @on(Input.Changed, ".answer-note")
    def _note_changed(self, event: Input.Changed) -> None:
        event.stop()
        item_id = getattr(event.input, "item_id", "")
        current = self.answers.get(item_id, AnswerText())
        if current.note != event.value:
            self.answers[item_id] = AnswerText(current.answer, event.value)
            self.post_message(self.Changed())

    @on(Input.Submitted, ".answer-note")
    def _note_done(self, event: Input.Submitted) -> None:
        event.stop()
        self.focus_item(getattr(event.input, "item_id", ""), 1)
