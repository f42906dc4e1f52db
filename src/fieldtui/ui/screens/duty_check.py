"""The monthly duty-list self-check (职责清单自查) of one officer.

Each item of the duty list is answered done (已落实) or not done (未落实, with a note saying
why). Every answer is saved the moment it is given (like ticking a paper form), so nothing
is lost and there is nothing to save on leaving; ``Ctrl+T`` answers every item still open
"done" at once, the usual month. The answers belong to the version of the list they answer
(:mod:`fieldtui.store.checklists`): a revision the office makes later does not change how
this month reads.

The item table is not a search list (eight items), but it follows the list rule all the same:
no printable key does anything on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from fieldtui.domain.checklists import Answer, month_of, next_month, parse_month
from fieldtui.domain.enums import ChecklistAnswer
from fieldtui.i18n import _
from fieldtui.store.checklists import Item, SelfCheck, duty_check, save_duty_check
from fieldtui.ui.context import ctx
from fieldtui.ui.screens.my_week_rows import month_words
from fieldtui.ui.widgets.app_footer import AppFooter
from fieldtui.ui.widgets.note_dialog import NoteDialog
from fieldtui.ui.widgets.table_model import label_width
from fieldtui.ui.widgets.virtual_table import ListSource, TableColumn, VirtualTable

DONE = ChecklistAnswer.DONE.code
NOT_DONE = ChecklistAnswer.NOT_DONE.code


@dataclass(frozen=True, slots=True)
class DutyRow:
    item: Item
    answer: str | None
    note: str


def previous_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year - (mon == 1):04d}-{(mon - 2) % 12 + 1:02d}"


def duty_rows(check: SelfCheck) -> list[DutyRow]:
    rows = []
    for item in check.checklist.items:
        given = check.answers.get(item.id)
        rows.append(
            DutyRow(item, given.answer if given else None, (given.note or "") if given else "")
        )
    return rows


class DutyCheckScreen(Screen[None]):
    DEFAULT_CSS = """
    DutyCheckScreen #duty-head {
        height: auto;
        padding: 0 1;
    }
    DutyCheckScreen #duty-table {
        height: 1fr;
    }
    DutyCheckScreen #duty-detail {
        height: auto;
        max-height: 5;
        padding: 0 1;
        border-top: solid $primary 50%;
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+t", "all_done", _("Mark the rest done"), id="duty.all_done"),
        Binding("f2", "note", _("Explanation"), id="duty.note"),
        Binding("f3", "month(-1)", _("Previous month"), id="duty.previous_month"),
        Binding("f4", "month(1)", _("Next month"), id="duty.next_month"),
        Binding("f5", "reload", _("Refresh"), id="duty.reload", show=False),
        # Priority: gone before the keys typed after Escape are sent on (to the list behind).
        Binding("escape", "back", _("Back"), id="duty.back", priority=True),
    ]

    class Loaded(Message):
        def __init__(self, check: SelfCheck, officer: str) -> None:
            super().__init__()
            self.check = check
            self.officer = officer

    class Failed(Message):
        def __init__(self, error: str) -> None:
            super().__init__()
            self.error = error

    def __init__(self, officer_id: str, month: str | None = None) -> None:
        super().__init__()
        self.officer_id = officer_id
        self.month = parse_month(month) if month else month_of(date.today())
        self.check: SelfCheck | None = None
        self.officer = ""

    def compose(self) -> ComposeResult:
        lang = ctx(self).lang
        answers = [ChecklistAnswer.DONE, ChecklistAnswer.NOT_DONE]
        yield Header()
        yield Static("", id="duty-head")
        yield VirtualTable(
            [
                TableColumn("n", _("No."), lambda r: str(r.item.position), width=4, align="right"),
                TableColumn("item", _("Item"), lambda r: r.item.text, min_width=16),
                TableColumn(
                    "answer",
                    _("Result"),
                    self._answer_cell,
                    width=max(
                        label_width(answers, lang, _("Result"), cap=12),
                        min(12, cell_len(_("Not answered"))),
                    ),
                ),
                TableColumn(
                    "note",
                    _("Explanation"),
                    lambda r: r.note,
                    min_width=8,
                    want_width=16,
                    drop_order=1,
                ),
            ],
            id="duty-table",
        )
        yield Static("", id="duty-detail")
        yield AppFooter()

    def _answer_cell(self, row: DutyRow) -> Text | str:
        if row.answer is None:
            return Text(_("Not answered"), style="dim")
        try:
            label = ChecklistAnswer(row.answer).label(ctx(self).lang)
        except ValueError:
            label = row.answer
        return Text(label, style="bold red") if row.answer == NOT_DONE else label

    def on_mount(self) -> None:
        self.title = _("Duty self-check")
        self.table.focus()
        self.action_reload()

    @property
    def table(self) -> VirtualTable[DutyRow]:
        return self.query_one("#duty-table", VirtualTable)

    # -- loading --------------------------------------------------------------------------

    def action_reload(self) -> None:
        self._load(self.month)

    def refresh_from_outside(self) -> None:
        self.action_reload()

    @work(thread=True, exclusive=True, group="duty-check")
    def _load(self, month: str) -> None:
        store = ctx(self).store
        try:
            officer = store.officers.get(self.officer_id)
            check = duty_check(store, self.officer_id, month)
        except Exception as exc:
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(check, officer.name if officer else ""))

    def on_duty_check_screen_loaded(self, message: Loaded) -> None:
        if message.check.month != self.month:
            return  # a month left meanwhile
        self.check = message.check
        self.officer = message.officer
        self._show()

    def on_duty_check_screen_failed(self, message: Failed) -> None:
        self.notify(message.error, title=_("Not saved"), severity="error")
        self.action_reload()

    def _show(self) -> None:
        check = self.check
        if check is None:
            return
        self.sub_title = self.officer
        cursor = self.table.cursor_row
        self.table.set_source(ListSource(duty_rows(check)), cursor=cursor)
        self.table.when_loaded(self._show_detail)
        items = len(check.checklist.items)
        head = Text(
            _("{officer} · duty self-check for {month}").format(
                officer=self.officer, month=month_words(self.month)
            ),
            style="bold",
        )
        head.append("  ")
        head.append(
            _("{title}, version {version}").format(
                title=check.checklist.title or _("Duty list"), version=check.checklist.version
            ),
            style="dim",
        )
        head.append("\n")
        if check.complete:
            failures = len(check.failures)
            if failures:
                head.append(
                    _("Done; {n} of {total} duties not met.").format(n=failures, total=items),
                    style="bold red",
                )
            else:
                head.append(_("Done."), style="bold green")
        else:
            head.append(
                _("{answered} of {total} answered").format(
                    answered=len(check.answers), total=items
                ),
                style="bold yellow",
            )
            head.append(" · " + _("Ctrl+T marks the rest done"), style="dim")
        self.query_one("#duty-head", Static).update(head)

    @on(VirtualTable.CursorMoved, "#duty-table")
    def _cursor_moved(self, event: VirtualTable.CursorMoved) -> None:
        self._show_detail()

    def _show_detail(self) -> None:
        """The highlighted item in full (the table cuts long items at 80 columns)."""
        row = self.table.cursor_data
        if row is None:
            return
        text = Text(f"{row.item.position}. ", style="bold")
        text.append(row.item.text)
        if row.note:
            text.append("\n")
            text.append(_("Explanation: "), style="dim")
            text.append(row.note)
        self.query_one("#duty-detail", Static).update(text)

    # -- answering ------------------------------------------------------------------------

    @on(VirtualTable.RowSelected, "#duty-table")
    def _row_selected(self, event: VirtualTable.RowSelected) -> None:
        """Enter: done ↔ not done (not done asks for the note it needs)."""
        event.stop()
        row: DutyRow = event.row
        if row.answer == DONE:
            self._ask_note(row, NOT_DONE)
        elif row.answer == NOT_DONE:
            self._save({row.item.id: Answer(DONE, row.note or None)})
        else:
            self._save({row.item.id: Answer(DONE)})

    def action_note(self) -> None:
        """F2: the highlighted item's note (an unmet duty must keep one)."""
        row = self.table.cursor_data
        if row is not None:
            self._ask_note(row, row.answer or DONE)

    def _ask_note(self, row: DutyRow, answer: str) -> None:
        required = answer == NOT_DONE
        title = _("Reason the duty was not met") if required else _("Explanation")

        def answered(note: str | None) -> None:
            if note is not None:
                self._save({row.item.id: Answer(answer, note or None)})

        self.app.push_screen(
            NoteDialog(title, f"{row.item.position}. {row.item.text}", row.note, required=required),
            answered,
        )

    def action_all_done(self) -> None:
        """Ctrl+T: every item not answered yet is done (answers given stay)."""
        check = self.check
        if check is None:
            return
        open_items = {i.id: Answer(DONE) for i in check.missing}
        if open_items:
            self._save(open_items)

    def _save(self, answers: dict[str, Answer]) -> None:
        check = self.check
        if check is None:
            return
        self._write(self.month, check.checklist.template_id, answers)

    @work(thread=True, group="duty-save")
    def _write(self, month: str, template_id: str, answers: dict[str, Answer]) -> None:
        store = ctx(self).store
        try:
            check = save_duty_check(store, self.officer_id, month, template_id, answers)
        except Exception as exc:  # a damaged or read-only database: say so, keep going
            self.post_message(self.Failed(str(exc)))
            return
        self.post_message(self.Loaded(check, self.officer))

    # -- moving ---------------------------------------------------------------------------

    def action_month(self, step: int) -> None:
        """F3 / F4: the month before / after (not beyond this month)."""
        month = previous_month(self.month) if step < 0 else next_month(self.month)
        if month > month_of(date.today()):
            self.notify(_("This month's check is the latest."), severity="information")
            return
        self.month = month
        self.check = None
        self.action_reload()

    def action_back(self) -> None:
        self.dismiss(None)
