"""Translation catalogs: ``python scripts/i18n.py extract|update|compile|check``.

- ``extract``  collect the msgids of ``_()``, ``N_()``, ``ngettext()``, ``pgettext()`` and
               ``NC_()`` in src/fieldtui and list them (``-o FILE`` writes a .pot template
               instead). A message with a context (``pgettext("screen title", "Enterprise")``)
               is its own entry, translated apart from the same msgid without one.
- ``update``   merge the msgids into both catalogs: ``en`` gets msgstr = msgid, ``zh_CN`` keeps
               its translations and lists the msgids still to translate (left empty). Entries
               appended by hand, even duplicated ones, are merged: a non-empty translation wins
               over an empty one, a later one over an earlier one.
- ``compile``  write the ``.mo`` files beside the ``.po`` files.
- ``check``    exit 1 when a msgid lacks a zh_CN translation, placeholders differ between a
               msgid and its translation, or a ``.mo`` does not match its ``.po``.
- ``all``      update, then compile, then check.

The functions are imported by ``tests/test_i18n.py`` so the test and the tool agree.
"""

from __future__ import annotations

import argparse
import ast
import gettext
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileParser, write_po

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "fieldtui"
LOCALE_DIR = SRC / "locale"
DOMAIN = "fieldtui"
LOCALES = ("zh_CN", "en")
KEYWORDS: dict[str, Any] = {
    "_": None,
    "N_": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "NC_": ((1, "c"), 2),
}
_WITH_CONTEXT = frozenset({"pgettext", "NC_"})
MAPPING = [("**.py", "python")]

HEADER_COMMENT = """\
# fieldtui messages, {language}.
# Maintained with: python scripts/i18n.py update|compile|check (see the script's docstring).
# Add or fix a translation by editing msgstr; duplicated entries are merged on update."""

MsgId = str | tuple[str, ...] | list[str]
_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(locale: str) -> Path:
    return po_path(locale).with_suffix(".mo")


# ----------------------------------------------------------------------------- reading


class _MergingCatalog(Catalog):
    """A catalog that tolerates duplicated entries: a non-empty, later msgstr wins."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.duplicates: list[str] = []

    def __setitem__(self, id: Any, message: Message) -> None:
        key = self._key_for(id, message.context)
        current = self._messages.get(key)
        if current is not None and key != "":
            self.duplicates.append(str(key))
            if _filled(message.string):
                current.string = message.string
            current.locations = list(dict.fromkeys([*current.locations, *message.locations]))
            return
        super().__setitem__(id, message)


def _filled(string: Any) -> bool:
    if isinstance(string, (tuple, list)):
        return all(bool(s) for s in string)
    return bool(string)


def read_catalog(locale: str, path: Path | None = None) -> _MergingCatalog:
    """Read a .po file (missing: an empty catalog), merging duplicated msgids."""
    path = po_path(locale) if path is None else path
    catalog = _MergingCatalog(locale=locale, domain=DOMAIN, project="fieldtui")
    if path.exists():
        with path.open("rb") as fh:
            PoFileParser(catalog, ignore_obsolete=True).parse(fh)
    return catalog


def extract(src: Path = SRC) -> Catalog:
    """The template: every msgid marked in the source, with its file locations."""
    template = Catalog(domain=DOMAIN, project="fieldtui", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(src), method_map=MAPPING, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        if not message or (isinstance(message, tuple) and not all(message)):
            continue
        template.add(
            message,
            locations=[(f"src/fieldtui/{filename}", lineno)],
            auto_comments=comments,
            context=context,
        )
    for path, line, found, context in _fstring_msgids(src):
        template.add(found, locations=[(f"src/fieldtui/{path}", line)], context=context)
    return template


def _fstring_msgids(src: Path) -> Iterator[tuple[str, int, MsgId, str | None]]:
    """``_("...")`` calls inside f-strings, which babel's extractor does not see on 3.11."""
    for path in sorted(src.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if not (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Name)
                    and call.func.id in KEYWORDS
                ):
                    continue
                literals = [
                    a.value
                    for a in call.args
                    if isinstance(a, ast.Constant) and isinstance(a.value, str)
                ]
                context: str | None = None
                if call.func.id in _WITH_CONTEXT:
                    if len(literals) < 2:
                        continue
                    context, literals = literals[0], literals[1:]
                if not literals:
                    continue
                msgid: MsgId = (
                    (literals[0], literals[1])
                    if call.func.id == "ngettext" and len(literals) > 1
                    else literals[0]
                )
                yield path.relative_to(src).as_posix(), call.lineno, msgid, context


def msgids(template: Catalog) -> list[MsgId]:
    return [m.id for m in template if m.id]


@dataclass(frozen=True, slots=True)
class Key:
    """A msgid read in a context (``pgettext``): its own catalog entry."""

    id: MsgId
    context: str | None = None


def keys(template: Catalog) -> list[Key]:
    """Every entry of the template, with its context."""
    return [Key(m.id, m.context) for m in template if m.id]


# ----------------------------------------------------------------------------- update


def update(template: Catalog) -> dict[str, list[str]]:
    """Merge the template into both catalogs; returns, per locale, msgids still untranslated."""
    missing: dict[str, list[str]] = {}
    for locale in LOCALES:
        old = read_catalog(locale)
        new = Catalog(
            locale=locale,
            domain=DOMAIN,
            project="fieldtui",
            charset="utf-8",
            creation_date=old.creation_date,
            revision_date=old.revision_date,
            fuzzy=False,
            header_comment=HEADER_COMMENT.format(language=locale),
            copyright_holder="fieldtui contributors",
            msgid_bugs_address="",
            last_translator="fieldtui contributors",
            language_team="fieldtui",
        )
        todo: list[str] = []
        for message in template:
            if not message.id:
                continue
            previous = old.get(message.id, message.context)
            string: Any
            if locale == "en":
                string = message.id
            elif previous is not None and _filled(previous.string):
                string = previous.string
            else:
                string = ("",) * 1 if isinstance(message.id, tuple) else ""
                todo.append(_show(message.id, message.context))
            new.add(
                message.id,
                string,
                locations=[(path, 0) for path, _line in message.locations],
                auto_comments=message.auto_comments,
                context=message.context,
            )
        write_catalog(new, po_path(locale))
        missing[locale] = todo
        if old.duplicates:
            print(f"{locale}: merged duplicated entries: {', '.join(old.duplicates)}")
    return missing


def write_catalog(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buf = io.BytesIO()
    write_po(buf, catalog, width=100, sort_output=True, include_lineno=False)
    path.write_bytes(buf.getvalue())


def _show(msgid: MsgId, context: str | None = None) -> str:
    shown = msgid if isinstance(msgid, str) else " | ".join(msgid)
    return shown if context is None else f"[{context}] {shown}"


# ----------------------------------------------------------------------------- compile


def mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog)
    return buf.getvalue()


def compile_all() -> None:
    for locale in LOCALES:
        mo_path(locale).write_bytes(mo_bytes(read_catalog(locale)))


# ----------------------------------------------------------------------------- check


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def _names(text: str) -> list[str]:
    """Placeholders compared between a msgid and its translation: a translation may drop a
    conversion (``{value!r}`` in English, “{value}” in Chinese, zh-style.md) but never a
    name or a number format."""
    return sorted(re.sub(r"![rsa]", "", p) for p in placeholders(text))


def _pairs(message: Message) -> Iterator[tuple[str, str]]:
    """(source, translation) pairs of a message, one per plural form."""
    if isinstance(message.id, (tuple, list)):
        strings = message.string if isinstance(message.string, (tuple, list)) else [message.string]
        for index, string in enumerate(strings):
            yield str(message.id[min(index, len(message.id) - 1)]), str(string or "")
    else:
        yield str(message.id), str(message.string or "")


def translation_problems(
    catalog: Catalog, wanted: Iterable[MsgId | Key], locale: str = "zh_CN"
) -> list[str]:
    """Missing or empty translations of ``wanted`` and placeholder mismatches in ``catalog``."""
    problems: list[str] = []
    for item in wanted:
        key = item if isinstance(item, Key) else Key(item)
        message = catalog.get(key.id, key.context)
        if message is None or not _filled(message.string):
            problems.append(f"{locale}: no translation for {_show(key.id, key.context)!r}")
    for message in catalog:
        if not message.id or not _filled(message.string):
            continue
        for source, string in _pairs(message):
            # Plural forms of languages without plurals may drop the count ("%d"): allow
            # only the singular-versus-plural difference, never an invented placeholder.
            if _names(source) != _names(string) and not (
                isinstance(message.id, tuple)
                and set(_names(string)) <= set(_names(message.id[-1]))
            ):
                problems.append(
                    f"{locale}: placeholders differ in {_show(message.id)!r}: "
                    f"{placeholders(source)} vs {placeholders(string)}"
                )
    return problems


def mo_problems(locale: str) -> list[str]:
    """Whether the .mo on disk holds exactly the translations of the .po."""
    path = mo_path(locale)
    if not path.exists():
        return [f"{path.relative_to(ROOT)}: missing; run python scripts/i18n.py compile"]
    with path.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
    expected = gettext.GNUTranslations(io.BytesIO(mo_bytes(read_catalog(locale))))._catalog  # type: ignore[attr-defined]
    strip = {k: v for k, v in compiled.items() if k != ""}
    want = {k: v for k, v in expected.items() if k != ""}
    if strip != want:
        return [f"{path.relative_to(ROOT)}: stale; run python scripts/i18n.py compile"]
    return []


def check(template: Catalog | None = None) -> list[str]:
    template = extract() if template is None else template
    wanted = keys(template)
    problems: list[str] = []
    for locale in LOCALES:
        if not po_path(locale).exists():
            problems.append(f"{po_path(locale).relative_to(ROOT)}: missing; run update")
            continue
        catalog = read_catalog(locale)
        problems += translation_problems(catalog, wanted, locale)
        problems += mo_problems(locale)
    return problems


# ----------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="scripts/i18n.py", description=__doc__.split("\n")[0])
    parser.add_argument("command", choices=("extract", "update", "compile", "check", "all"))
    parser.add_argument("-o", "--output", type=Path, help="extract: write a .pot file here")
    args = parser.parse_args(argv)
    if args.command == "extract":
        template = extract()
        if args.output:
            write_catalog(template, args.output)
            print(f"{len(msgids(template))} msgids → {args.output}")
        else:
            for msgid in msgids(template):
                print(_show(msgid))
        return 0
    if args.command in ("update", "all"):
        missing = update(extract())
        todo = missing.get("zh_CN", [])
        print(f"updated {', '.join(LOCALES)}; zh_CN untranslated: {len(todo)}")
        for msgid in todo:
            print(f"  {msgid}")
    if args.command in ("compile", "all"):
        compile_all()
        print("compiled " + ", ".join(str(mo_path(loc).relative_to(ROOT)) for loc in LOCALES))
    if args.command in ("check", "all"):
        problems = check()
        for problem in problems:
            print(problem, file=sys.stderr)
        if problems:
            return 1
        print("catalogs complete and compiled")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
