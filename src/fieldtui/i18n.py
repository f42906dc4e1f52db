"""Translations: gettext catalogs in ``locale/`` for zh_CN and en.

msgids are English. The language is chosen once at start-up, before any UI module is
imported, because Binding descriptions and class-level labels are translated when their class
is defined. ``_`` looks the current catalog up on every call, so code that runs later (labels
built at mount time, messages) follows a later :func:`set_language` too.
"""

from __future__ import annotations

import gettext
import locale
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "fieldtui"
LANGUAGES = ("zh", "en")
_CATALOG_FOR = {"zh": "zh_CN", "en": "en"}

_translations: gettext.NullTranslations = gettext.NullTranslations()
_language = "en"


def detect_language() -> str:
    """The language the environment asks for: ``zh`` for any Chinese locale, else ``en``."""
    for var in ("FIELDTUI_LANG", "LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    loc = locale.getlocale()[0] or ""
    return "zh" if loc.lower().startswith("zh") else "en"


def set_language(lang: str) -> None:
    global _translations, _language
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _language = lang
    _translations = gettext.translation(
        DOMAIN, localedir=str(LOCALE_DIR), languages=[_CATALOG_FOR[lang]], fallback=True
    )


def language() -> str:
    return _language


def _(message: str) -> str:
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` as read in ``context``, where one English word needs two Chinese readings
    (zh-style.md): "Enterprise" is 企业 as a field, 企业详情 as a screen's title."""
    return _translations.pgettext(context, message)


def product_name() -> str:
    """What the title bar, the first-run screen and the command line call the program."""
    return pgettext("product", "fieldtui")


def labelled(label: str, text: str) -> str:
    """``label: text`` with the colon of the language (前往：企业台账), for strings built in
    code from two translated parts."""
    return _("{label}: {text}").format(label=label, text=text)


def month_text(iso_month: str) -> str:
    """A ``YYYY-MM`` month in a sentence: 2026年11月 in Chinese (zh-style.md), as it is in
    English. Anything else is returned unchanged."""
    year, _sep, month = iso_month.partition("-")
    if _language != "zh" or not (year.isdigit() and month.isdigit()):
        return iso_month
    return f"{int(year)}年{int(month)}月"


def bracketed(text: object) -> str:
    """``(text)`` with the brackets of the language: （…） in Chinese."""
    return _("({text})").format(text=text)


def list_separator() -> str:
    """Between the items of a list built in code: 、 in Chinese, ", " in English. (Between
    clauses, ``_(", ")`` is ，.)"""
    return pgettext("list", ", ")


def quoted(value: object) -> str:
    """A value or name inside a message: “…” in Chinese (zh-style.md), '…' in English."""
    return f"“{value}”" if _language == "zh" else f"'{value}'"


def located(where: object, message: str) -> str:
    """``PATH: message``, with the full-width colon in Chinese (zh-style.md)."""
    return _("{path}: {message}").format(path=where, message=message)


def N_(message: str) -> str:
    """Marks a string for extraction without translating it now (translated where shown)."""
    return message


def NC_(context: str, message: str) -> str:
    """:func:`N_` with a context: shown later with ``pgettext(context, message)``."""
    return message
