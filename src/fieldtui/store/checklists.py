"""The duty list and the negative list: versions, answers, and the office's breach list.

A checklist is a versioned template (``checklist_template``) with its items
(``checklist_item``). The office revises a list by saving its new wording: that makes a new
version with its own items; nothing of an older version changes. An answer
(``checklist_answer``) names the item it answered, so it keeps its version and reads the same
after any revision, here or arriving by sync.

**Seeding.** The first version of each list is domain.md's seed. Every replica may seed it
on its own (a laptop set up before it ever sees the hub's file, the hub, the demo): the seed's
rows have ids derived from the list's kind and the item's position, so replicas that seed
independently make the *same* rows, and merging their files converges on one version instead
of two. Seeding happens when something is first written against a list (a self-check, a
duty check, a revision); until then readers get the seed as a checklist that is not stored
yet (``Checklist.stored`` False) with the very ids it will have.

**Answers** also have derived ids: a visit's answer to an item, or an officer's duty answer
to an item for a month, is one row wherever it is given, so answering twice (or on two
devices) updates that row instead of adding a second one (two different answers on two
devices are then a sync conflict, which is what they are).

**Which version is current**: the highest version number; two revisions made concurrently
at two places (both "version 2") are told apart by their creation time and then their id, the
same on every replica.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from fieldtui.domain import checklists as rules
from fieldtui.domain.checklists import Answer
from fieldtui.domain.enums import (
    SEED_DUTY_ITEMS,
    SEED_NEGATIVE_ITEMS,
    ChecklistAnswer,
    ChecklistKind,
)
from fieldtui.domain.validators import clean_line, clean_text
from fieldtui.i18n import _ as _gettext
from fieldtui.i18n import bracketed, language, list_separator
from fieldtui.store.ids import link_id
from fieldtui.store.rowstate import Value
from fieldtui.store.service import InputError, require_live

if TYPE_CHECKING:
    from fieldtui.store import Store

__all__ = [
    "SEED_TITLES",
    "Answer",
    "AnswerView",
    "Breach",
    "Checklist",
    "Item",
    "SelfCheck",
    "all_answered",
    "breaches",
    "checklist",
    "checklist_versions",
    "current_checklist",
    "duty_check",
    "ensure_checklists",
    "revise_checklist",
    "save_duty_check",
    "save_self_check",
    "seed_checklist",
    "visit_self_check",
]

NEGATIVE = ChecklistKind.NEGATIVE.code
DUTY = ChecklistKind.DUTY.code

SEED_TITLES = {DUTY: "首席服务官职责清单", NEGATIVE: "首席服务官负面清单"}
"""The seed versions' titles (data, like the items: the office's own words)."""
_SEED_ITEMS = {DUTY: SEED_DUTY_ITEMS, NEGATIVE: SEED_NEGATIVE_ITEMS}


def _(template: str, /, **params: object) -> str:
    return _gettext(template).format(**params) if params else _gettext(template)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    position: int
    """1, 2, … in the order the list shows its items."""
    text: str


@dataclass(frozen=True, slots=True)
class Checklist:
    """One version of a list with its items in order."""

    template_id: str
    kind: str
    version: int
    title: str
    effective_from: date | None
    items: tuple[Item, ...]
    stored: bool = True
    """False for the seed version before anything was written against it."""

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(i.text for i in self.items)

    def item(self, item_id: str) -> Item | None:
        return next((i for i in self.items if i.id == item_id), None)


@dataclass(frozen=True, slots=True)
class AnswerView:
    """A stored answer."""

    id: str
    item_id: str
    answer: str
    note: str | None
    officer_id: str


@dataclass(frozen=True, slots=True)
class SelfCheck:
    """The answers of one visit (negative list) or one officer's month (duty list).

    ``checklist`` is the version answered: a complete one if there is one, else the one with
    the most answers, else the current version (nothing answered yet).
    """

    checklist: Checklist
    answers: Mapping[str, AnswerView] = field(default_factory=dict)
    """Item id → answer, for the items of ``checklist``."""
    complete: bool = False
    visit_id: str | None = None
    officer_id: str | None = None
    month: str | None = None

    @property
    def failures(self) -> list[tuple[Item, AnswerView]]:
        """Breaches (negative list) or unmet duties, in item order."""
        out = []
        for item in self.checklist.items:
            given = self.answers.get(item.id)
            if given is not None and _is_failure(given.answer):
                out.append((item, given))
        return out

    @property
    def missing(self) -> list[Item]:
        return [i for i in self.checklist.items if i.id not in self.answers]


@dataclass(frozen=True, slots=True)
class Breach:
    """One line of the office's breach list: who, when, which item, the note."""

    answer_id: str
    kind: str
    officer_id: str
    officer: str
    on: date | None
    """The visit's date (negative list); None for a duty answer (see ``month``)."""
    month: str | None
    visit_id: str | None
    enterprise_id: str | None
    enterprise: str
    version: int
    position: int
    item: str
    note: str | None


def _is_failure(code: str) -> bool:
    try:
        return ChecklistAnswer(code).is_failure
    except ValueError:
        return False


# --------------------------------------------------------------------------- ids


def seed_template_id(kind: str) -> str:
    return link_id("checklist_template", "seed", kind)


def seed_item_id(kind: str, position: int) -> str:
    return link_id("checklist_item", seed_template_id(kind), str(position))


def visit_answer_id(visit_id: str, item_id: str) -> str:
    return link_id("checklist_answer", "visit", visit_id, item_id)


def month_answer_id(officer_id: str, month: str, item_id: str) -> str:
    return link_id("checklist_answer", "month", officer_id, month, item_id)


# --------------------------------------------------------------------------- reading


def _kind(kind: str) -> str:
    try:
        return ChecklistKind.parse(kind).code
    except ValueError:
        raise InputError.one(
            "kind",
            _(
                "Unknown checklist “{kind}”; use {choices}",
                kind=kind,
                choices=list_separator().join(
                    k.label(language()) + bracketed(k.code) for k in ChecklistKind
                ),
            ),
        ) from None


def seed_checklist(kind: str) -> Checklist:
    """The first version of a list as domain.md seeds it, with its derived ids."""
    kind = _kind(kind)
    items = tuple(
        Item(seed_item_id(kind, n), n, text) for n, text in enumerate(_SEED_ITEMS[kind], 1)
    )
    return Checklist(seed_template_id(kind), kind, 1, SEED_TITLES[kind], None, items, False)


def _from_row(store: Store, row: tuple[object, ...]) -> Checklist:
    template_id, kind, version, title, effective = row[:5]
    cur = store.db.execute_sql(
        "SELECT id, position, text FROM checklist_item WHERE template_id = ? AND deleted = 0"
        " ORDER BY position, id",
        (template_id,),
    )
    items = tuple(Item(str(r[0]), n, str(r[2] or "")) for n, r in enumerate(cur.fetchall(), 1))
    return Checklist(
        str(template_id),
        str(kind),
        int(str(version or 1)) if str(version or 1).isdigit() else 1,
        str(title or ""),
        _day(effective),
        items,
    )


def _day(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


_TEMPLATE_COLUMNS = "id, kind, version, title, effective_from"
_NEWEST_FIRST = "ORDER BY version DESC, created_at DESC, id DESC"


def checklist_versions(store: Store, kind: str) -> list[Checklist]:
    """Every stored version of a list, newest first (the seed when none is stored)."""
    kind = _kind(kind)
    store.writer.flush()
    rows = store.db.execute_sql(
        f"SELECT {_TEMPLATE_COLUMNS} FROM checklist_template WHERE kind = ? AND deleted = 0"
        f" {_NEWEST_FIRST}",
        (kind,),
    ).fetchall()
    if not rows:
        return [seed_checklist(kind)]
    return [_from_row(store, r) for r in rows]


def current_checklist(store: Store, kind: str) -> Checklist:
    """The version new answers are given to."""
    kind = _kind(kind)
    store.writer.flush()
    row = store.db.execute_sql(
        f"SELECT {_TEMPLATE_COLUMNS} FROM checklist_template WHERE kind = ? AND deleted = 0"
        f" {_NEWEST_FIRST} LIMIT 1",
        (kind,),
    ).fetchone()
    return seed_checklist(kind) if row is None else _from_row(store, row)


def checklist(store: Store, template_id: str) -> Checklist | None:
    """One version by its template id (the seed's too, stored or not)."""
    store.writer.flush()
    row = store.db.execute_sql(
        f"SELECT {_TEMPLATE_COLUMNS} FROM checklist_template WHERE id = ? AND deleted = 0",
        (template_id,),
    ).fetchone()
    if row is not None:
        return _from_row(store, row)
    for kind in (DUTY, NEGATIVE):
        if template_id == seed_template_id(kind):
            return seed_checklist(kind)
    return None


# --------------------------------------------------------------------------- seeding


def ensure_checklists(store: Store, kinds: tuple[str, ...] = (DUTY, NEGATIVE)) -> list[str]:
    """Store the seed version of each list that has no stored version; returns the kinds
    seeded. Idempotent, and convergent across replicas (derived ids, same values)."""
    seeded: list[str] = []
    with store.batch():
        for kind in kinds:
            kind = _kind(kind)
            store.writer.flush()
            exists = store.db.execute_sql(
                "SELECT 1 FROM checklist_template WHERE kind = ? LIMIT 1", (kind,)
            ).fetchone()
            if exists:
                continue
            seed = seed_checklist(kind)
            _create_if_missing(
                store,
                "checklist_template",
                seed.template_id,
                {"kind": kind, "version": 1, "title": seed.title},
            )
            for item in seed.items:
                _create_if_missing(
                    store,
                    "checklist_item",
                    item.id,
                    {"template_id": seed.template_id, "position": item.position, "text": item.text},
                )
            seeded.append(kind)
    return seeded


def _create_if_missing(store: Store, table: str, row_id: str, values: dict[str, Value]) -> None:
    if store.writer.current(table, row_id) is None:
        store.writer.create(table, values, row_id=row_id)


def _stored(store: Store, template_id: str) -> Checklist:
    """The version ``template_id`` (seeding it first if it is the unstored seed); refuses an
    unknown id."""
    found = checklist(store, template_id)
    if found is None:
        raise InputError.one("template_id", _("No such checklist version"))
    if not found.stored:
        ensure_checklists(store, (found.kind,))
        found = checklist(store, template_id)
        assert found is not None
    return found


# --------------------------------------------------------------------------- revising


def revise_checklist(
    store: Store,
    kind: str,
    texts: list[str] | tuple[str, ...],
    *,
    base_template_id: str,
    title: str | None = None,
    effective_from: date | None = None,
    today: date | None = None,
) -> Checklist:
    """Save a list's new wording as its next version (items added, reworded, retired or
    reordered are all just the new list of texts); returns the new version, or the current
    one unchanged when nothing differs.

    ``base_template_id`` is the version the editor started from: if another version became
    current meanwhile (another window, a revision arriving by sync), nothing is written and
    :class:`InputError` says so, rather than silently undoing that revision.
    """
    kind = _kind(kind)
    cleaned, problems = rules.check_item_texts(list(texts))
    if problems:
        raise InputError({f"items.{i}": message for i, message in problems})
    new_title = clean_line(title) if title is not None else None
    with store.batch():
        ensure_checklists(store, (kind,))
        current = current_checklist(store, kind)
        if current.template_id != base_template_id:
            raise InputError.one(
                "base_template_id",
                _(
                    "The checklist was changed meanwhile (now version {version}); reload it "
                    "and make the change again",
                    version=current.version,
                ),
            )
        title_changed = bool(new_title) and new_title != current.title
        if tuple(cleaned) == current.texts and not title_changed:
            return current
        template = store.writer.create(
            "checklist_template",
            {
                "kind": kind,
                "version": current.version + 1,
                "title": new_title or current.title,
                "effective_from": (effective_from or today or date.today()).isoformat(),
            },
        )
        for position, text in enumerate(cleaned, 1):
            store.writer.create(
                "checklist_item", {"template_id": template, "position": position, "text": text}
            )
    found = checklist(store, template)
    assert found is not None
    return found


# --------------------------------------------------------------------------- answers


def all_answered(checklist: Checklist, answer: str | None = None) -> dict[str, Answer]:
    """Every item answered the same way: "all kept" for the negative list (the default),
    "all done" for the duty list; what one key does on the self-check."""
    if answer is None:
        answer = (
            ChecklistAnswer.KEPT.code if checklist.kind == NEGATIVE else ChecklistAnswer.DONE.code
        )
    return {item.id: Answer(answer) for item in checklist.items}


def _answer_rows(
    store: Store, *, visit_id: str | None, officer_id: str | None, month: str | None
) -> list[tuple[str, str, str, str | None, str, str]]:
    """Live answers of a visit, or of an officer's month: (id, item, answer, note, officer,
    template)."""
    store.writer.flush()
    params: tuple[str, ...]
    if visit_id is not None:
        where, params = "a.visit_id = ?", (visit_id,)
    else:
        where = "a.officer_id = ? AND a.month = ? AND a.visit_id IS NULL"
        params = (officer_id or "", month or "")
    cur = store.db.execute_sql(
        "SELECT a.id, a.item_id, a.answer, a.note, a.officer_id, i.template_id"
        " FROM checklist_answer a JOIN checklist_item i ON i.id = a.item_id"
        f" WHERE {where} AND a.deleted = 0 ORDER BY a.created_at, a.id",
        params,
    )
    return [(str(r[0]), str(r[1]), str(r[2]), r[3], str(r[4]), str(r[5])) for r in cur.fetchall()]


def _state(
    store: Store,
    kind: str,
    rows: list[tuple[str, str, str, str | None, str, str]],
    *,
    visit_id: str | None = None,
    officer_id: str | None = None,
    month: str | None = None,
) -> SelfCheck:
    who = {"visit_id": visit_id, "officer_id": officer_id, "month": month}
    by_template: dict[str, dict[str, AnswerView]] = defaultdict(dict)
    for answer_id, item_id, answer, note, answered_by, template_id in rows:
        by_template[template_id].setdefault(
            item_id, AnswerView(answer_id, item_id, answer, note, answered_by)
        )
    candidates: list[tuple[tuple[bool, int, int], Checklist]] = []
    for template_id, answers in by_template.items():
        found = checklist(store, template_id)
        if found is None or found.kind != kind:
            continue
        done = rules.is_complete(found.item_ids, set(answers))
        # complete first (the newest such version), else the version with most answers
        candidates.append(((done, 0 if done else len(answers), found.version), found))
    if not candidates:
        return SelfCheck(current_checklist(store, kind), {}, False, **who)
    (done, _n, _version), best = max(candidates, key=lambda c: c[0])
    answers = {i: a for i, a in by_template[best.template_id].items() if best.item(i)}
    return SelfCheck(best, answers, done, **who)


def visit_self_check(store: Store, visit_id: str) -> SelfCheck:
    """A visit's negative-list self-check as answered so far."""
    rows = _answer_rows(store, visit_id=visit_id, officer_id=None, month=None)
    return _state(store, NEGATIVE, rows, visit_id=visit_id)


def duty_check(store: Store, officer_id: str, month: str) -> SelfCheck:
    """An officer's duty-list self-check for a month (``YYYY-MM``)."""
    month = rules.parse_month(month)
    rows = _answer_rows(store, visit_id=None, officer_id=officer_id, month=month)
    return _state(store, DUTY, rows, officer_id=officer_id, month=month)


def _check_answers(found: Checklist, answers: Mapping[str, Answer], kind: str) -> None:
    if found.kind != kind:
        raise InputError.one(
            "template_id",
            _("This is not a version of the {kind}", kind=ChecklistKind(kind).label(_lang())),
        )
    problems = rules.check_answers(kind, found.item_ids, answers)
    if problems:
        errors: dict[str, str] = {}
        for p in problems:
            item = found.item(p.item_id or "")
            prefix = _("Item {n}: ", n=item.position) if item else ""
            errors[f"answers.{p.item_id}"] = prefix + p.message
        raise InputError(errors)


def _lang() -> str:
    return language()


def _write_answers(
    store: Store,
    answers: Mapping[str, Answer],
    existing: list[tuple[str, str, str, str | None, str, str]],
    new_id: dict[str, str],
    base: dict[str, Value],
) -> None:
    """Create or update one answer row per item (the existing live one, else the derived id,
    restored if it was deleted)."""
    current: dict[str, str] = {}
    for answer_id, item_id, *_rest in existing:
        current.setdefault(item_id, answer_id)
    for item_id, given in answers.items():
        note = clean_text(given.note or "").strip() or None
        values: dict[str, Value] = {
            "answer": given.answer,
            "note": note,
            "officer_id": base["officer_id"],
        }
        if item_id in current:
            store.writer.update("checklist_answer", current[item_id], values)
            continue
        answer_id = new_id[item_id]
        row = store.writer.current("checklist_answer", answer_id)
        if row is None:
            store.writer.create(
                "checklist_answer", {**base, "item_id": item_id, **values}, row_id=answer_id
            )
        else:
            if row["deleted"]:
                store.writer.restore("checklist_answer", answer_id)
            store.writer.update(
                "checklist_answer", answer_id, {**base, "item_id": item_id, **values}
            )


def save_self_check(
    store: Store,
    visit_id: str,
    template_id: str,
    answers: Mapping[str, Answer],
    *,
    officer_id: str,
) -> SelfCheck:
    """Store a visit's answers to one version of the negative list (all or some: a visit
    whose self-check is not complete stays a draft). A breach needs a note."""
    with store.batch():
        require_live(store, "visit", visit_id, "visit_id", _("The visit"))
        require_live(store, "officer", officer_id, "officer_id", _("The officer"))
        found = _stored(store, template_id)
        _check_answers(found, answers, NEGATIVE)
        existing = _answer_rows(store, visit_id=visit_id, officer_id=None, month=None)
        _write_answers(
            store,
            answers,
            existing,
            {i: visit_answer_id(visit_id, i) for i in answers},
            {"visit_id": visit_id, "month": None, "officer_id": officer_id},
        )
    return visit_self_check(store, visit_id)


def save_duty_check(
    store: Store,
    officer_id: str,
    month: str,
    template_id: str,
    answers: Mapping[str, Answer],
) -> SelfCheck:
    """Store an officer's duty-list answers for a month (an unmet duty needs a note)."""
    try:
        month = rules.parse_month(month)
    except ValueError as exc:
        raise InputError.one("month", str(exc)) from None
    with store.batch():
        require_live(store, "officer", officer_id, "officer_id", _("The officer"))
        found = _stored(store, template_id)
        _check_answers(found, answers, DUTY)
        existing = _answer_rows(store, visit_id=None, officer_id=officer_id, month=month)
        _write_answers(
            store,
            answers,
            existing,
            {i: month_answer_id(officer_id, month, i) for i in answers},
            {"visit_id": None, "month": month, "officer_id": officer_id},
        )
    return duty_check(store, officer_id, month)


# --------------------------------------------------------------------------- breaches


def breaches(
    store: Store,
    *,
    year: int | None = None,
    officer_id: str | None = None,
    include_duty: bool = False,
) -> list[Breach]:
    """The office's breach list, newest first: negative-list breaches of live visits
    (``include_duty``: unmet duties too), each with who, when, the item as it read in the
    version answered, and the note."""
    kinds = [NEGATIVE, DUTY] if include_duty else [NEGATIVE]
    failures = [a.code for a in ChecklistAnswer if a.is_failure]
    clauses = [
        "a.deleted = 0",
        f"a.answer IN ({', '.join('?' for _ in failures)})",
        f"t.kind IN ({', '.join('?' for _ in kinds)})",
        "(a.visit_id IS NULL OR v.deleted = 0)",
    ]
    params: list[object] = [*failures, *kinds]
    if officer_id:
        clauses.append("a.officer_id = ?")
        params.append(officer_id)
    if year is not None:
        clauses.append("substr(COALESCE(v.date, a.month, ''), 1, 4) = ?")
        params.append(f"{year:04d}")
    store.writer.flush()
    cur = store.db.execute_sql(
        "SELECT a.id, t.kind, a.officer_id, COALESCE(o.name, ''), v.date, a.month, a.visit_id,"
        " v.enterprise_id, COALESCE(e.name, ''), t.version, i.position, i.text, a.note"
        " FROM checklist_answer a"
        " JOIN checklist_item i ON i.id = a.item_id"
        " JOIN checklist_template t ON t.id = i.template_id"
        " LEFT JOIN visit v ON v.id = a.visit_id"
        " LEFT JOIN officer o ON o.id = a.officer_id"
        " LEFT JOIN enterprise e ON e.id = v.enterprise_id"
        f" WHERE {' AND '.join(clauses)}"
        " ORDER BY COALESCE(v.date, a.month || '-99') DESC, o.name, i.position",
        params,
    )
    return [
        Breach(
            answer_id=str(r[0]),
            kind=str(r[1]),
            officer_id=str(r[2]),
            officer=str(r[3]),
            on=_day(r[4]),
            month=r[5],
            visit_id=r[6],
            enterprise_id=r[7],
            enterprise=str(r[8]),
            version=int(r[9] or 1),
            position=int(r[10] or 0),
            item=str(r[11] or ""),
            note=r[12],
        )
        for r in cur.fetchall()
    ]
