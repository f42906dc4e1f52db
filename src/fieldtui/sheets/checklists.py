"""Checklist sheets: the templates (import and export) and the answers (export only).

**Templates** (``checklists``): one row per item of the *current* version of each list:
清单 kind · 序号 position · 事项 item · 版本 version · 清单名称 title · 生效日期 effective from.
Importing a sheet is the office saying what each list it names should read: the rows of a
list (in 序号 order, else row order) are compared with its current version; if they differ,
a new version is made (items added, reworded, retired or reordered alike), exactly as the
checklist screen's revision does (:func:`fieldtui.store.checklists.revise_checklist`), and
answers already given keep the version they answered. Identical wording changes nothing, so
exporting and importing again writes nothing. A list with a refused row is left as it is
(the refused row may be an item the office means to keep, and dropping it would retire
it); a 版本 that is not the current version's number is warned about (an old export
imported again would undo the revisions made since).

**Answers** (``checklist_answers``): every answer of live visits and of the monthly duty
checks, with the item as it read in the version answered. Answers are given in the
application, so this sheet is exported only.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from fieldtui.domain import records as rec
from fieldtui.domain.enums import ChecklistKind
from fieldtui.domain.schema import (
    CHECKLIST_ANSWER,
    CHECKLIST_ITEM,
    CHECKLIST_TEMPLATE,
    VISIT,
    Field,
)
from fieldtui.i18n import N_, NC_, _, language
from fieldtui.sheets.cells import Context, field_formatter, field_parser
from fieldtui.sheets.spec import Column, Planned, Progress, SheetKind, Values
from fieldtui.sheets.summary import ImportSummary, RowIssue
from fieldtui.store.checklists import current_checklist, revise_checklist

if TYPE_CHECKING:
    from fieldtui.sheets.plans import RowChecker
    from fieldtui.store import Store

__all__ = ["CHECKLISTS", "CHECKLIST_ANSWERS", "ChecklistPlan"]


def _column(
    field: Field,
    key: str,
    zh: str,
    *,
    name: str | None = None,
    required: bool = False,
    aliases: tuple[str, ...] = (),
    width: int | None = None,
) -> Column:
    return Column(
        key=key,
        zh=zh,
        field=name or field.name,
        parse=field_parser(field),
        format=field_formatter(field),
        required=required,
        aliases=aliases,
        width=width or field.sheet_width or field.type.sheet_width,
        as_text=field.type.as_text,
    )


_KIND = _column(
    CHECKLIST_TEMPLATE.field("kind"),
    "checklist",
    "清单",
    name="kind",
    required=True,
    aliases=("清单类型", "清单名"),
)
_POSITION = _column(
    CHECKLIST_ITEM.field("position"), "position", "序号", aliases=("编号",), width=6
)
_VERSION = _column(CHECKLIST_TEMPLATE.field("version"), "version", "版本", aliases=("版本号",))

# --------------------------------------------------------------------------- templates

TEMPLATE_COLUMNS = (
    _KIND,
    _POSITION,
    _column(
        CHECKLIST_ITEM.field("text"),
        "item",
        "事项",
        name="text",
        required=True,
        aliases=("事项内容", "内容", "条目"),
        width=48,
    ),
    _VERSION,
    _column(CHECKLIST_TEMPLATE.field("title"), "title", "清单名称", width=20),
    _column(CHECKLIST_TEMPLATE.field("effective_from"), "effective_from", "生效日期"),
)


def _template_rows(store: Store, ctx: Context) -> Iterator[Mapping[str, Any]]:
    for kind in (ChecklistKind.DUTY.code, ChecklistKind.NEGATIVE.code):
        current = current_checklist(store, kind)
        for item in current.items:
            yield {
                "kind": kind,
                "position": item.position,
                "text": item.text,
                "version": current.version,
                "title": current.title,
                "effective_from": current.effective_from,
            }


def _kind_label(code: str) -> str:
    try:
        return ChecklistKind(code).label(language())
    except ValueError:
        return code


class ChecklistPlan:
    """Each list the sheet names becomes a new version when its wording differs (see the
    module docstring)."""

    def __init__(self) -> None:
        self.revisions: dict[str, tuple[str, list[str], str | None, Any]] = {}

    def adjust(self, checker: RowChecker, plan: list[Planned], summary: ImportSummary) -> None:
        by_kind: dict[str, list[Planned]] = defaultdict(list)
        for item in plan:
            by_kind[item.values["kind"]].append(item)
        refused = {values.get("kind") for _row, values in checker.refused_rows}
        for kind, rows in by_kind.items():
            rows.sort(key=_order)
            label = _kind_label(kind)
            current = current_checklist(checker.store, kind)
            versions = {p.values["version"] for p in rows if p.values.get("version")}
            if versions - {current.version}:
                summary.warnings.append(
                    RowIssue(
                        None,
                        None,
                        _(
                            "{checklist}: the sheet says version {versions}, the current version "
                            "is {current}; check that an old sheet does not undo a revision"
                        ).format(
                            checklist=label,
                            versions="、".join(str(v) for v in sorted(versions)),
                            current=current.version,
                        ),
                    )
                )
            if kind in refused or None in refused:
                summary.warnings.append(
                    RowIssue(
                        None,
                        None,
                        _(
                            "{checklist}: some rows were refused, so the list was left as it is"
                        ).format(checklist=label),
                    )
                )
                _leave(rows, summary)
                continue
            texts = [p.values["text"] for p in rows]
            title = next((p.values["title"] for p in rows if p.values.get("title")), None)
            since = next(
                (p.values["effective_from"] for p in rows if p.values.get("effective_from")), None
            )
            if tuple(texts) == current.texts and (not title or title == current.title):
                _leave(rows, summary)
                continue
            self.revisions[kind] = (current.template_id, texts, title, since)
            summary.warnings.append(
                RowIssue(
                    None,
                    None,
                    _(
                        "{checklist}: version {version} with {n} items replaces version {current}"
                    ).format(
                        checklist=label,
                        version=current.version + 1,
                        n=len(texts),
                        current=current.version,
                    ),
                )
            )

    def write(
        self,
        checker: RowChecker,
        plan: list[Planned],
        summary: ImportSummary,
        progress: Progress | None,
        cancel: Callable[[], bool] | None,
    ) -> None:
        for done, (kind, (base, texts, title, since)) in enumerate(self.revisions.items(), 1):
            revise_checklist(
                checker.store, kind, texts, base_template_id=base, title=title, effective_from=since
            )
            if progress is not None:
                progress("write", done, len(self.revisions))


def _order(p: Planned) -> tuple[bool, int, int]:
    """Items by 序号 (rows without one after, in sheet order)."""
    position = p.values.get("position")
    return (position is None, position or 0, p.row)


def _leave(rows: list[Planned], summary: ImportSummary) -> None:
    """Rows that change nothing: counted unchanged, not listed as changes."""
    numbers = {p.row for p in rows}
    for p in rows:
        if p.action == "create":
            summary.created -= 1
            summary.unchanged += 1
        p.action = "unchanged"
    summary.changes = [c for c in summary.changes if c.row not in numbers]


def _no_match(_record: Any) -> list[tuple[Any, ...]]:
    return []


CHECKLISTS = SheetKind(
    name="checklists",
    title=NC_("sheet", "Checklists"),
    sheet_title="清单",
    repo="checklist_items",
    record=rec.ChecklistItem,
    columns=TEMPLATE_COLUMNS,
    row_keys=lambda v: [("item", v["kind"], v["text"])],
    record_keys=_no_match,
    key_names={"item": N_("checklist and item")},
    rows=_template_rows,
)

# --------------------------------------------------------------------------- answers

ANSWER_COLUMNS = (
    _KIND,
    _VERSION,
    _POSITION,
    _column(CHECKLIST_ITEM.field("text"), "item", "事项", name="text", width=40),
    _column(CHECKLIST_ANSWER.field("officer_id"), "officer", "人员", name="officer_id"),
    _column(VISIT.field("date"), "visit_date", "走访日期", name="date"),
    _column(VISIT.field("enterprise_id"), "enterprise", "企业名称", name="enterprise_id", width=32),
    _column(CHECKLIST_ANSWER.field("month"), "month", "月份", width=10),
    _column(CHECKLIST_ANSWER.field("answer"), "answer", "自查结果", width=10),
    _column(CHECKLIST_ANSWER.field("note"), "note", "说明", width=40),
)


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _answer_rows(store: Store, ctx: Context) -> Iterator[Mapping[str, Any]]:
    store.writer.flush()
    cur = store.db.execute_sql(
        "SELECT t.kind, t.version, i.position, i.text, a.officer_id, v.date, v.enterprise_id,"
        " a.month, a.answer, a.note"
        " FROM checklist_answer a"
        " JOIN checklist_item i ON i.id = a.item_id"
        " JOIN checklist_template t ON t.id = i.template_id"
        " LEFT JOIN visit v ON v.id = a.visit_id"
        " LEFT JOIN officer o ON o.id = a.officer_id"
        " WHERE a.deleted = 0 AND (a.visit_id IS NULL OR v.deleted = 0)"
        " ORDER BY t.kind DESC, COALESCE(v.date, a.month), o.name, a.officer_id, v.id,"
        " t.version, i.position, a.id"
    )
    names = (
        "kind",
        "version",
        "position",
        "text",
        "officer_id",
        "date",
        "enterprise_id",
        "month",
        "answer",
        "note",
    )
    for row in cur:
        values: Values = dict(zip(names, row, strict=True))
        values["date"] = _day(values["date"])
        yield values


CHECKLIST_ANSWERS = SheetKind(
    name="checklist_answers",
    title=NC_("sheet", "Checklist answers"),
    sheet_title="清单自查",
    repo="checklist_answers",
    record=rec.ChecklistAnswer,
    columns=ANSWER_COLUMNS,
    row_keys=lambda v: [("answer", tuple(sorted(v.items())))],
    record_keys=_no_match,
    key_names={"answer": N_("answer")},
    rows=_answer_rows,
    importable=False,
)
