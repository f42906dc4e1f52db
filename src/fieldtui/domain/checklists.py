"""Checklist rules: what a complete answer set is, which answers each list takes, what a
revision of a list may hold, and the month an answer set is for.

Pure: :mod:`fieldtui.store.checklists` applies them under its write lock. A checklist
(the duty list, the negative list) is a versioned template: a revision is a new version with
its own items, so an answer names the item of the version it answered and reads the same
whatever revisions come later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from fieldtui.domain.enums import ChecklistAnswer, ChecklistKind
from fieldtui.domain.validators import clean_line, clean_text
from fieldtui.i18n import _ as _gettext
from fieldtui.i18n import language, list_separator

__all__ = [
    "ITEM_MAX_LEN",
    "Answer",
    "AnswerProblem",
    "check_answers",
    "check_item_texts",
    "is_complete",
    "month_of",
    "next_month",
    "parse_month",
]

ITEM_MAX_LEN = 500
"""Longest item text (the schema's limit for ``checklist_item.text``)."""

_MONTH = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


@dataclass(frozen=True, slots=True)
class Answer:
    """One item's answer as given: a :class:`~fieldtui.domain.enums.ChecklistAnswer` code
    and the note (required for a breach or an unmet duty)."""

    answer: str
    note: str | None = None


@dataclass(frozen=True, slots=True)
class AnswerProblem:
    """Why one answer cannot be stored: its item (None: the set as a whole) and the reason."""

    item_id: str | None
    message: str


def month_of(day: date) -> str:
    """``YYYY-MM``: how a duty-list answer names its month."""
    return f"{day.year:04d}-{day.month:02d}"


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12:04d}-{mon % 12 + 1:02d}"


def parse_month(text: str) -> str:
    """A month as typed (``2025-03``, ``2025/3``, ``2025年3月``) → ``YYYY-MM``."""
    match = _MONTH.fullmatch(clean_line(text or ""))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(_("Not a month: “{text}”; use YYYY-MM, e.g. 2025-03", text=text))
    return f"{int(match.group(1)):04d}-{int(match.group(2)):02d}"


def answers_for(kind: str) -> tuple[str, ...]:
    """The answer codes a list takes (negative: kept/breached; duty: done/not done)."""
    try:
        return tuple(a.code for a in ChecklistKind(kind).answers)
    except ValueError:
        return tuple(a.code for a in ChecklistAnswer)


def _is_failure(code: str) -> bool:
    try:
        return ChecklistAnswer(code).is_failure
    except ValueError:
        return False


def check_answers(
    kind: str, item_ids: Sequence[str], answers: Mapping[str, Answer]
) -> list[AnswerProblem]:
    """Problems with ``answers`` (item id → answer) to the items ``item_ids`` of one version
    of a ``kind`` list: an item of another version, an answer the list does not take, a
    breach or unmet duty without a note. Missing items are not a problem here (an answer set
    may be saved unfinished; :func:`is_complete` says whether it is done)."""
    allowed = answers_for(kind)
    known = set(item_ids)
    problems: list[AnswerProblem] = []
    for item_id, given in answers.items():
        if item_id not in known:
            problems.append(
                AnswerProblem(item_id, _("Not an item of this version of the checklist"))
            )
        elif given.answer not in allowed:
            labels = list_separator().join(ChecklistAnswer(a).label(_lang()) for a in allowed)
            problems.append(
                AnswerProblem(
                    item_id,
                    _(
                        "Answer “{value}” does not fit; use {choices}",
                        value=given.answer,
                        choices=labels,
                    ),
                )
            )
        elif _is_failure(given.answer) and not clean_text(given.note or "").strip():
            problems.append(
                AnswerProblem(
                    item_id,
                    _("A breach needs a note saying what happened")
                    if kind == ChecklistKind.NEGATIVE.code
                    else _("An unmet duty needs a note saying why"),
                )
            )
    return problems


def is_complete(item_ids: Sequence[str], answered: Sequence[str] | set[str]) -> bool:
    """Every item of the version answered (a version with no items is never complete)."""
    return bool(item_ids) and set(item_ids) <= set(answered)


def check_item_texts(texts: Sequence[str]) -> tuple[list[str], list[tuple[int, str]]]:
    """The items of a new version as cleaned text, and problems ``(index, message)``: an
    empty item, one too long, the same item twice, or no item at all (index -1)."""
    cleaned = [clean_line(t or "") for t in texts]
    problems: list[tuple[int, str]] = []
    seen: dict[str, int] = {}
    for i, text in enumerate(cleaned):
        if not text:
            problems.append((i, _("Item {n} is empty", n=i + 1)))
        elif len(text) > ITEM_MAX_LEN:
            problems.append(
                (i, _("Item {n} is longer than {limit} characters", n=i + 1, limit=ITEM_MAX_LEN))
            )
        elif text in seen:
            problems.append((i, _("Item {n} repeats item {first}", n=i + 1, first=seen[text] + 1)))
        else:
            seen[text] = i
    if not cleaned:
        problems.append((-1, _("A checklist needs at least one item")))
    return cleaned, problems


def _lang() -> str:
    return language()
