"""Sheet import: validate every row, then write the good ones in one transaction.

Order of work, and why:
1. Read the whole file and find its header (:mod:`fieldtui.sheets.readers`). A file that cannot
   be read, or lacks a required column, raises :class:`SheetFileError` before anything else.
2. Check every row completely, so the user gets all the problems of a file in one go. A bad
   row is refused as a whole (its row number, column and reason are reported); nothing of it
   is imported. A row repeating an earlier row's key is refused, naming that row.
3. Match each good row to an existing live record by the kind's keys and compute the fields
   that differ. Blank cells are "not given": they never erase a stored value. Only the
   records the rows' keys name are read (:meth:`RowChecker.load_keys`), not the whole table.
   A row whose keys match a record an earlier row creates or updates is refused, naming
   that row (two rows with one enterprise name and no USCC would make two enterprises).
4. Unless it is a dry run, steps 2-3 run again inside the write transaction and the planned
   changes are written in it: checks and writes happen under one lock, so two imports of one
   file at the same moment cannot both create its rows. A backup is taken under that lock
   when the policy of :mod:`fieldtui.store.backups` asks for one. Cancellation is checked
   between rows and rolls the transaction back; so does any crash. Unchanged rows write
   nothing, so importing the same file twice writes no ops the second time.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fieldtui.domain.records import Record
from fieldtui.i18n import _
from fieldtui.sheets.cells import Context, is_blank
from fieldtui.sheets.matching import KnownRecords
from fieldtui.sheets.plans import SPECIAL
from fieldtui.sheets.readers import RawSheet, SheetFileError, read_sheet
from fieldtui.sheets.refs import Refs
from fieldtui.sheets.registry import get_kind
from fieldtui.sheets.spec import Column, Key, Planned, Progress, SheetKind, Values
from fieldtui.sheets.summary import ImportCancelled, ImportSummary, RowChange, RowIssue
from fieldtui.store import backups

if TYPE_CHECKING:
    from fieldtui.sheets.plans import SpecialPlan
    from fieldtui.store import Store
    from fieldtui.store.repos import LinkRepo, Repo

HEADER_SEARCH_ROWS = 10
"""Title rows above the header ("XX区企业台账") are common; the header is looked for this far."""


# --------------------------------------------------------------------------- header


@dataclass(slots=True)
class Header:
    row: int
    columns: dict[int, Column]
    """Cell index → column."""
    texts: dict[int, str]
    """Cell index → header text as written, for messages."""


def find_header(sheet: RawSheet, kind: SheetKind) -> tuple[Header, list[RowIssue]]:
    """The first row (of the first few) naming at least one of the kind's columns."""
    for number, cells in sheet.rows[:HEADER_SEARCH_ROWS]:
        texts = {i: str(c).strip() for i, c in enumerate(cells) if not is_blank(c)}
        matched = {i: col for i, t in texts.items() if (col := kind.match_header(t))}
        if matched:
            return _check_header(sheet, kind, number, texts, matched)
    example = kind.columns[0]
    raise SheetFileError(
        sheet.path,
        _(
            "no header row found: none of the first {n} rows names a column of {kind} "
            "(for example {zh} or {key})"
        ).format(n=HEADER_SEARCH_ROWS, kind=kind.label, zh=example.zh, key=example.key),
    )


def _check_header(
    sheet: RawSheet, kind: SheetKind, number: int, texts: dict[int, str], matched: dict[int, Column]
) -> tuple[Header, list[RowIssue]]:
    warnings: list[RowIssue] = []
    seen: dict[str, int] = {}
    for index, col in matched.items():
        if col.key in seen:
            raise SheetFileError(
                sheet.path,
                _("columns {a} and {b} both give {column}; keep one").format(
                    a=texts[seen[col.key]], b=texts[index], column=col.zh
                ),
            )
        seen[col.key] = index
    missing = [c for c in kind.columns if c.required and c.key not in seen]
    if missing:
        names = "、".join(f"{c.zh} ({c.key})" for c in missing)
        raise SheetFileError(
            sheet.path, _("missing required column(s): {names}").format(names=names)
        )
    for index, text in texts.items():
        if index not in matched:
            warnings.append(
                RowIssue(number, text, _("not a column of {kind}; ignored").format(kind=kind.label))
            )
    return Header(number, matched, texts), warnings


# --------------------------------------------------------------------------- checking


class RowChecker:
    """Validates rows and plans their writes against the store's current records.

    Also handed to the kinds of :mod:`fieldtui.sheets.plans`, which write their own way.
    """

    def __init__(self, store: Store, kind: SheetKind, header: Header, summary: ImportSummary):
        self.store = store
        self.kind = kind
        self.header = header
        self.summary = summary
        self.refs = Refs(store)
        self.repo: Repo[Any] = getattr(store, kind.repo)
        self.known = KnownRecords(store, kind, self.repo)
        self.records: dict[str, Record] = self.known.records
        """Live records loaded so far: those the sheet's keys name (or all, see load_keys)."""
        self.index: dict[Key, list[str]] = self.known.index
        self.load_keys = self.known.load_keys
        self.claimed: dict[Key, int] = {}
        """Keys of the records earlier good rows create or update → the row's number."""
        self.seen_targets: dict[str, int] = {}
        self.link_fields = {c.field: c for c in kind.link_columns}
        self.refused_rows: list[tuple[int, Values]] = []
        """Refused rows with whatever of them parsed (assignments need their years)."""

    def header_text(self, field_name: str | None) -> str | None:
        if field_name is None:
            return None
        for index, col in self.header.columns.items():
            if col.field == field_name or col.key == field_name:
                return self.header.texts[index]
        for col in self.kind.columns:
            if col.field == field_name or col.key == field_name:
                return col.zh
        return field_name

    def parse_row(self, number: int, cells: list[Any]) -> tuple[Values, list[RowIssue]]:
        ctx = Context(self.refs)
        values: Values = {}
        errors: list[RowIssue] = []
        for index, col in self.header.columns.items():
            header = self.header.texts[index]
            cell = cells[index] if index < len(cells) else None
            value: Any = None
            if not is_blank(cell):
                before = len(ctx.warnings)
                try:
                    value = col.parse(cell, ctx)
                except ValueError as exc:
                    errors.append(RowIssue(number, header, str(exc)))
                    continue
                for message in ctx.warnings[before:]:
                    self.summary.warnings.append(RowIssue(number, header, message))
            if value is None or value == "" or value == []:
                if col.required:
                    errors.append(RowIssue(number, header, _("required; the cell is empty")))
                continue
            values[col.field] = value
        if not errors and self.kind.check is not None:
            before = len(ctx.warnings)
            for field_name, message in self.kind.check(values, ctx):
                errors.append(RowIssue(number, self.header_text(field_name), message))
            for message in ctx.warnings[before:]:
                self.summary.warnings.append(RowIssue(number, None, message))
        return values, errors

    def plan_row(self, number: int, values: Values) -> Planned | RowIssue:
        keys = self.kind.row_keys(values)
        for key in keys:
            first = self.claimed.get(key)
            if first is not None:
                what = _(self.kind.key_names.get(key[0], "key"))
                return RowIssue(
                    number,
                    None,
                    _("same {what} as row {row}; only row {row} is imported").format(
                        what=what, row=first
                    ),
                )
        self.load_keys(keys)
        target: str | None = None
        for key in keys:
            ids = self.index.get(key, [])
            if len(ids) > 1:
                name = _(self.kind.key_names.get(key[0], "key"))
                return RowIssue(
                    number,
                    None,
                    _("{n} records already share this {what}; tidy them up first").format(
                        n=len(ids), what=name
                    ),
                )
            if ids:
                target = ids[0]
                break
        if target is not None and target in self.seen_targets:
            return RowIssue(
                number,
                None,
                _("row {row} already updates the same record; only row {row} is imported").format(
                    row=self.seen_targets[target]
                ),
            )
        # What the row leaves behind, as a record: a kind's sheet may carry values that live
        # elsewhere (link fields; a checklist item's list kind and version, on its template).
        attrs = {f.name for f in dataclasses.fields(self.kind.record)}
        plain = {k: v for k, v in values.items() if k in attrs and k not in self.link_fields}
        # A later row with this row's own key repeats it, whatever record it makes (kinds that
        # match no stored record, such as checklist items, have only this).
        self.claimed.setdefault(keys[0], number)
        if target is None:
            self._claim(number, self.kind.record(**plain))
            return Planned(number, "create", values, dict(values))
        self.seen_targets[target] = number
        record = self.records[target]
        changes = self.diff(record, values)
        self._claim(number, dataclasses.replace(record, **plain))
        return Planned(number, "update" if changes else "unchanged", values, changes, target)

    def _claim(self, number: int, outcome: Record) -> None:
        """Later rows matching the record this row leaves behind repeat this row."""
        for key in self.kind.record_keys(outcome):
            self.claimed.setdefault(key, number)

    def diff(self, record: Record, values: Values) -> Values:
        changes: Values = {}
        for name, value in values.items():
            col = self.link_fields.get(name)
            if col is not None and col.link is not None:
                links: LinkRepo[Any] = getattr(self.store, col.link)
                if set(links.right_ids(record.id)) != set(value):
                    changes[name] = value
            elif getattr(record, name) != value:
                changes[name] = value
        return changes

    def label(self, values: Values) -> str:
        first = self.kind.columns[0]
        value = values.get(first.field)
        if value is None:
            return ""
        return str(first.format(value, Context(self.refs)) or "")

    def column_keys(self, changes: Values) -> list[str]:
        return [c.key for c in self.kind.columns if c.field in changes]

    def write(
        self,
        plan: list[Planned],
        progress: Progress | None,
        cancel: Callable[[], bool] | None,
    ) -> None:
        """:func:`write_planned` for kinds that write part of their plan the plain way."""
        write_planned(self, plan, progress, cancel)


def check_rows(
    checker: RowChecker,
    rows: list[tuple[int, list[Any]]],
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> list[Planned]:
    summary = checker.summary
    plan: list[Planned] = []
    step = max(1, len(rows) // 100)
    parsed: list[tuple[int, Values, list[RowIssue]]] = []
    for done, (number, cells) in enumerate(rows, start=1):
        if cancel is not None and cancel():
            raise ImportCancelled
        values, errors = checker.parse_row(number, cells)
        parsed.append((number, values, errors))
        if progress is not None and (done % step == 0 or done == len(rows)):
            progress("check", done, len(rows))
    # One look-up pass for every key the good rows name, before planning them in order.
    checker.load_keys(k for _n, v, e in parsed if not e for k in checker.kind.row_keys(v))
    for number, values, errors in parsed:
        outcome: Planned | RowIssue
        outcome = errors[0] if errors else checker.plan_row(number, values)
        if isinstance(outcome, RowIssue):
            summary.errors.extend(errors or [outcome])
            summary.refused += 1
            checker.refused_rows.append((number, values))
        else:
            plan.append(outcome)
            if outcome.action == "unchanged":
                summary.unchanged += 1
            else:
                if outcome.action == "create":
                    summary.created += 1
                else:
                    summary.updated += 1
                summary.changes.append(
                    RowChange(
                        number,
                        outcome.action,
                        checker.label(values),
                        checker.column_keys(outcome.changes),
                    )
                )
    return plan


# --------------------------------------------------------------------------- writing


def write_planned(
    checker: RowChecker,
    plan: list[Planned],
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> None:
    """Write the plan inside the caller's transaction; raising rolls everything back."""
    kind, store = checker.kind, checker.store
    link_fields = checker.link_fields
    todo = [p for p in plan if p.action != "unchanged"]
    step = max(1, len(todo) // 100)
    for done, item in enumerate(todo, start=1):
        if cancel is not None and cancel():
            raise ImportCancelled
        plain = {k: v for k, v in item.changes.items() if k not in link_fields}
        if item.action == "create":
            record_id = checker.repo.create(kind.record(**plain)).id
        else:
            assert item.record_id is not None
            record_id = item.record_id
            if plain:
                checker.repo.update(record_id, **plain)
        for name, col in link_fields.items():
            if name in item.changes and col.link is not None:
                getattr(store, col.link).set_right_ids(record_id, item.changes[name])
        if progress is not None and (done % step == 0 or done == len(todo)):
            progress("write", done, len(todo))


def import_sheet(
    store: Store,
    kind: SheetKind | str,
    path: Path | str,
    *,
    dry_run: bool = False,
    strict: bool = False,
    backup: bool = True,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportSummary:
    """Import ``path`` as ``kind`` records into ``store`` and say what happened.

    ``dry_run`` checks and plans but writes nothing. ``strict`` writes nothing when any row is
    refused. ``backup`` copies the database before writing (skipped when nothing changes).
    Raises :class:`SheetFileError` for a file that cannot be imported at all and
    :class:`ImportCancelled` when ``cancel()`` returned true; the store is unchanged then.
    """
    kind = get_kind(kind) if isinstance(kind, str) else kind
    if not kind.importable:
        raise SheetFileError(
            Path(path),
            _("{kind} are exported only, not imported").format(kind=kind.label),
        )
    sheet = read_sheet(path, (kind.sheet_title, *kind.former_sheet_titles, kind.name, kind.label))
    summary = ImportSummary(
        file=str(path),
        kind=kind.name,
        format=sheet.format,
        encoding=sheet.encoding,
        sheet=sheet.sheet,
        dry_run=dry_run,
    )
    summary.warnings.extend(RowIssue(None, None, note) for note in sheet.notes)
    header, header_warnings = find_header(sheet, kind)
    summary.warnings.extend(header_warnings)
    rows = [(n, cells) for n, cells in sheet.rows if n > header.row]
    if not rows:
        summary.warnings.append(RowIssue(None, None, _("the sheet has no rows below its header")))
    if dry_run:
        _check(store, kind, header, summary, rows, progress, cancel)
        return summary
    made: Path | None = None
    try:
        # Check and write under one write lock (BEGIN IMMEDIATE): another import of the same
        # file waits here, then finds this one's rows and creates nothing.
        with _full_sync(store), store.batch():
            checker, plan, special = _check(store, kind, header, summary, rows, progress, cancel)
            if strict and summary.refused:
                return summary
            if not (summary.created or summary.updated or summary.removed):
                return summary
            if backup and backups.import_wants_backup(
                store.path, backups.ops_held(store.db), _ops_planned(plan, summary)
            ):
                made = backups.take(store.path, "sheet-import")
                summary.backup = str(made) if made else None
            if special is not None:
                special.write(checker, plan, summary, progress, cancel)
            else:
                write_planned(checker, plan, progress, cancel)
            if cancel is not None and cancel():
                raise ImportCancelled
    except BaseException:
        backups.discard(made)
        summary.backup = None
        raise
    backups.keep(store.path, made)
    summary.written = True
    return summary


def _check(
    store: Store,
    kind: SheetKind,
    header: Header,
    summary: ImportSummary,
    rows: list[tuple[int, list[Any]]],
    progress: Progress | None,
    cancel: Callable[[], bool] | None,
) -> tuple[RowChecker, list[Planned], SpecialPlan | None]:
    checker = RowChecker(store, kind, header, summary)
    plan = check_rows(checker, rows, progress, cancel)
    factory = SPECIAL.get(kind.name)  # kinds with their own write rules (assignments)
    special = factory() if factory is not None else None
    if special is not None:
        special.adjust(checker, plan, summary)
    return checker, plan, special


def _ops_planned(plan: list[Planned], summary: ImportSummary) -> int:
    """About how many ops the import writes: one per changed field, plus created_at and
    link changes; one per assignment a plan removes."""
    return summary.removed + sum(
        len(p.changes) + (p.action == "create") for p in plan if p.action != "unchanged"
    )


@contextmanager
def _full_sync(store: Store) -> Iterator[None]:
    """``synchronous=FULL`` for the import's commit (design.md), NORMAL again afterwards."""
    store.db.execute_sql("PRAGMA synchronous = FULL")
    try:
        yield
    finally:
        store.db.execute_sql("PRAGMA synchronous = NORMAL")
