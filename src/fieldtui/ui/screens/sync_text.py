"""What the sync and conflicts screens say, as plain ``Text``: counts per kind with their
measure words, an import's summary, an export's files, roles, times and sizes.

Every name, path and value here came from a sync file or a folder: it is appended to a
``Text`` (never parsed as markup) and made printable first (control and direction-changing
characters shown as escapes, as the command line does), so a laptop named ``\\x1b]0;x\\x07``
or ``[red]x`` shows as it is and cannot act on the terminal.
"""

from __future__ import annotations

import errno
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path

from rich.text import Text

from fieldtui.domain.printable import printable
from fieldtui.domain.tables import table_title
from fieldtui.i18n import _, language, ngettext
from fieldtui.store.dberrors import explain
from fieldtui.sync import (
    ALREADY,
    CANCELLED,
    HUB,
    IMPORTED,
    LAPTOP,
    OWN,
    REFUSED,
    Exported,
    FileOutcome,
    HeldValue,
    ImportReport,
    Skipped,
)

MAX_LISTED = 50
"""Files, held values and refusals listed one by one in a summary; the rest are counted."""

_COUNTS: dict[str, Callable[[int], str]] = {
    "enterprise": lambda n: ngettext("{n} enterprise record", "{n} enterprise records", n),
    "officer": lambda n: ngettext("{n} officer record", "{n} officer records", n),
    "assignment": lambda n: ngettext("{n} assignment record", "{n} assignment records", n),
    "project": lambda n: ngettext("{n} project record", "{n} project records", n),
    "visit": lambda n: ngettext("{n} visit record", "{n} visit records", n),
    "visit_officer": lambda n: ngettext("{n} officer on a visit", "{n} officers on visits", n),
    "problem": lambda n: ngettext("{n} problem record", "{n} problem records", n),
    "problem_event": lambda n: ngettext(
        "{n} problem handling record", "{n} problem handling records", n
    ),
    "meeting": lambda n: ngettext("{n} meeting record", "{n} meeting records", n),
    "meeting_enterprise": lambda n: ngettext(
        "{n} enterprise at a meeting", "{n} enterprises at meetings", n
    ),
    "meeting_project": lambda n: ngettext(
        "{n} project at a meeting", "{n} projects at meetings", n
    ),
    "meeting_problem": lambda n: ngettext(
        "{n} problem at a meeting", "{n} problems at meetings", n
    ),
    "activity": lambda n: ngettext(
        "{n} investment activity record", "{n} investment activity records", n
    ),
    "activity_member": lambda n: ngettext(
        "{n} officer on an activity", "{n} officers on activities", n
    ),
    "activity_enterprise": lambda n: ngettext(
        "{n} enterprise of an activity", "{n} enterprises of activities", n
    ),
    "checklist_template": lambda n: ngettext("{n} checklist version", "{n} checklist versions", n),
    "checklist_item": lambda n: ngettext("{n} checklist item", "{n} checklist items", n),
    "checklist_answer": lambda n: ngettext("{n} checklist answer", "{n} checklist answers", n),
}
"""How many records of a kind, with the kind's measure word (家 enterprises, 名 officers,
个 projects, 次 visits and meetings, 条 records): "3家企业", "1次走访"."""

TABLE_ORDER: tuple[str, ...] = tuple(_COUNTS)


def count_of(table: str, n: int) -> str:
    """``n`` records of ``table`` in words ("3家企业"); an unknown table by its name."""
    counted = _COUNTS.get(table)
    if counted is None:
        return f"{table_title(table)} {n}"
    return counted(n).format(n=n)


def quoted(value: object) -> str:
    """A name inside a sentence: “…” in Chinese (zh-style.md), '…' in English; printable."""
    text = printable(value)
    return f"“{text}”" if language() == "zh" else f"'{text}'"


def list_joiner() -> str:
    """Between the items of a list in a sentence: 、 in Chinese (3家企业、1次走访), ", " in
    English."""
    return "、" if language() == "zh" else ", "


def named(kind: str, name: str) -> str:
    """A record named with its kind: 企业“浩海”, enterprise 'Haohai'."""
    return _("{kind} {name}").format(kind=kind, name=quoted(name))


def role_name(role: str | None) -> str:
    if role == HUB:
        return _("hub")
    if role == LAPTOP:
        return _("laptop")
    return role or ""


def local_time(iso: str | None) -> str:
    """An ISO time stamp as the local time tables show (2026-03-01 09:30); "" for none."""
    if not iso:
        return ""
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return printable(iso)


def size_text(n: int | None) -> str:
    if n is None:
        return ""
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} TB"  # pragma: no cover - the loop returns at GB


def write_error(path: Path | str, exc: OSError) -> str:
    """A folder that cannot be written to, in one line naming it: full, write-protected, no
    permission, gone."""
    reason = explain(exc)
    if reason is None and exc.errno in (errno.EACCES, errno.EPERM):
        reason = _("no permission to write to this folder")
    if reason is None and exc.errno == errno.ENOENT:
        reason = _("the folder is gone (was the drive removed?)")
    return _("Cannot write to {path}: {reason}").format(
        path=printable(path), reason=printable(reason or exc.strerror or str(exc))
    )


# -- an import's summary ---------------------------------------------------------------------


def changes_lines(report: ImportReport) -> list[str]:
    """Records created, changed, deleted and restored, each with its kinds counted:
    "新建：3家企业、1次走访". Rows deleted or restored are not counted as changed too."""
    created: list[str] = []
    changed: list[str] = []
    deleted: list[str] = []
    restored: list[str] = []
    order = {t: i for i, t in enumerate(TABLE_ORDER)}
    for table in sorted(report.tables, key=lambda t: (order.get(t, len(order)), t)):
        c = report.tables[table]
        edited = max(0, c.updated - c.deleted - c.restored)
        for n, into in (
            (c.created, created),
            (edited, changed),
            (c.deleted, deleted),
            (c.restored, restored),
        ):
            if n:
                into.append(count_of(table, n))
    lines = []
    joiner = list_joiner()
    for title, parts in (
        (_("Records created"), created),
        (_("Records changed"), changed),
        (_("Records deleted"), deleted),
        (_("Records restored"), restored),
    ):
        if parts:
            lines.append(_("{what}: {records}").format(what=title, records=joiner.join(parts)))
    return lines


def outcome_line(f: FileOutcome) -> tuple[str, str]:
    """One file's fate in one line, and its style."""
    name = printable(f.path.name)
    who = quoted(f.source_name) if f.source_name else ""
    if f.status == IMPORTED:
        text = ngettext(
            "Imported {file} from {who}: {added} new of {n} change",
            "Imported {file} from {who}: {added} new of {n} changes",
            f.ops,
        ).format(file=name, who=who or "?", added=f.added, n=f.ops)
        return text, ""
    if f.status == ALREADY:
        return _("Already imported before: {file}").format(file=name), "dim"
    if f.status == OWN:
        return _("Written by this database, nothing to do: {path}").format(path=name), "dim"
    if f.status == CANCELLED:
        return _("Not imported (cancelled): {path}").format(path=name), "yellow"
    if f.status == REFUSED:
        reason = printable(f.reason)
        return _("Refused {path}: {reason}").format(path=name, reason=reason), "red"
    return f"{printable(f.status)}: {name}", ""


def held_line(h: HeldValue) -> str:
    return _("{table} {label}: {reason}").format(
        table=table_title(h.table), label=quoted(h.label), reason=printable(h.reason)
    )


def report_text(report: ImportReport) -> Text:
    """What an import changed, for the import dialog (see the module docstring)."""
    text = Text()
    if report.cancelled:
        text.append(_("Import cancelled: nothing was changed.") + "\n", style="bold yellow")
    elif report.refused and not any(f.status == IMPORTED for f in report.files):
        text.append(_("Nothing was imported.") + "\n", style="bold red")
    else:
        text.append(_("Import done.") + "\n", style="bold green")
    counted = [f for f in report.files if f.status == IMPORTED]
    if counted or report.added:
        text.append(
            ngettext(
                "{n} file imported, {added} new changes merged.",
                "{n} files imported, {added} new changes merged.",
                len(counted),
            ).format(n=len(counted), added=report.added)
            + "\n"
        )
    lines = changes_lines(report)
    for line in lines:
        text.append("  " + line + "\n")
    if counted and not lines:
        text.append("  " + _("No record changed: this database already had everything.") + "\n")
    if report.conflicts_opened or report.conflicts_closed or report.open_conflicts:
        style = "yellow" if report.open_conflicts else ""
        text.append(
            _("Conflicts: {opened} new, {closed} settled, {open} open").format(
                opened=report.conflicts_opened,
                closed=report.conflicts_closed,
                open=report.open_conflicts,
            )
            + "\n",
            style=style,
        )
    already = report.already
    if already:
        text.append(
            ngettext(
                "{n} file was imported before (nothing to do).",
                "{n} files were imported before (nothing to do).",
                len(already),
            ).format(n=len(already))
            + "\n",
            style="dim",
        )
    held = report.held
    if held:
        text.append(
            ngettext(
                "{n} value held aside (it does not fit its field; not in the record):",
                "{n} values held aside (they do not fit their fields; not in the records):",
                len(held),
            ).format(n=len(held))
            + "\n",
            style="bold yellow",
        )
        _append_lines(text, [held_line(h) for h in held], "yellow")
    if report.joined is not None:
        text.append(
            _("This laptop joined the team {name}; the hub's device is {fp}.").format(
                name=quoted(report.joined.name), fp=report.joined.hub_fingerprint
            )
            + "\n",
            style="bold",
        )
    if report.identity_change is not None:
        text.append(
            _(
                "This database was put back from a copy (or copied): it continues under a new "
                "identity, and nothing is lost (see fieldtui sync status)."
            )
            + "\n",
            style="yellow",
        )
    if report.backup is not None:
        text.append(
            _("Backup before the import: {path}").format(path=printable(report.backup)) + "\n",
            style="dim",
        )
    text.append("\n" + _("Files:") + "\n", style="bold")
    for f in report.files[:MAX_LISTED]:
        line, style = outcome_line(f)
        text.append("  " + line + "\n", style=style)
        for flagged in f.flagged:
            text.append(
                "    "
                + ngettext(
                    "Warning: {n} change from {who} is stamped {latest}, more than a day ahead "
                    "of this computer's clock; check that computer's date (it was merged)",
                    "Warning: {n} changes from {who} are stamped {latest}, more than a day "
                    "ahead of this computer's clock; check that computer's date (they were "
                    "merged)",
                    flagged.ops,
                ).format(
                    n=flagged.ops,
                    who=quoted(flagged.name or flagged.replica_id),
                    latest=flagged.latest,
                )
                + "\n",
                style="yellow",
            )
    _more(text, len(report.files))
    return text


def _append_lines(text: Text, lines: Sequence[str], style: str) -> None:
    for line in lines[:MAX_LISTED]:
        text.append("  " + line + "\n", style=style)
    _more(text, len(lines))


def _more(text: Text, total: int) -> None:
    if total > MAX_LISTED:
        text.append("  " + _("… and {n} more").format(n=total - MAX_LISTED) + "\n")


# -- an export's files -----------------------------------------------------------------------


def exported_text(files: Sequence[Exported], skipped: Sequence[Skipped]) -> Text:
    text = Text()
    text.append(
        ngettext("{n} file written:", "{n} files written:", len(files)).format(n=len(files)) + "\n",
        style="bold green",
    )
    for f in files:
        line = ngettext("Wrote {path}: {n} change", "Wrote {path}: {n} changes", f.ops).format(
            path=printable(f.path), n=f.ops
        )
        if f.target_name:
            line += " · " + _("for {name}").format(name=quoted(f.target_name))
        if f.sealed:
            line += " · " + _("signed and encrypted")
        text.append("  " + line + "\n")
    for x in skipped:
        text.append(
            "  "
            + _("No file for {name}: {why}").format(
                name=quoted(x.target_name or x.target_id), why=printable(x.reason)
            )
            + "\n",
            style="yellow",
        )
    return text
