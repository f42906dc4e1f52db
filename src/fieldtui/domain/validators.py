"""Checking and normalising what people type or import, independent of any UI or store.

``check_*`` functions return a result object so a form can show an error next to a field and
still keep a warning-level value; ``parse_*`` functions raise :class:`ValueError` because
sheet import and the CLI want one failure per cell. Messages are English format strings
translated through :mod:`fieldtui.i18n` when the message is made, in the current language.
"""

from __future__ import annotations

import random
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal

from fieldtui.i18n import _ as _gettext

__all__ = [
    "USCC_ALPHABET",
    "PhoneResult",
    "UsccResult",
    "check_phone",
    "check_uscc",
    "clean_line",
    "clean_text",
    "format_money_wan",
    "generate_uscc",
    "org_code_check_char",
    "parse_bool",
    "parse_date",
    "parse_money_wan",
    "parse_phone",
    "parse_uscc",
    "split_list",
    "uscc_check_char",
]

# --------------------------------------------------------------------------- messages


def _(template: str, /, **params: object) -> str:
    # Translate the template before filling it in, or no catalogue entry could match; the name
    # lets ``pybabel extract`` find the templates with its default keywords.
    return _gettext(template).format(**params)


# --------------------------------------------------------------------------- text


_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[[0-?]*[\x20-/]*[@-~]                   # CSI: colours, cursor movement
  | \x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)      # OSC/DCS/SOS/PM/APC strings (titles, links)
  | \x1b[\x20-/]*[0-~]                           # any other escape, e.g. charset switches
    """,
    re.VERBOSE,
)
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def clean_text(text: str) -> str:
    """Drop what a terminal would act on rather than print.

    Imported cells and pasted text can carry escape sequences that would repaint or retitle
    the terminal. Only controls go: markup-looking text such as ``[red]`` is the user's own
    content and is kept, so callers must still escape it before handing it to Rich markup.
    Line breaks are normalised to ``\\n`` (Windows and old Mac files) instead of being lost.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL_CHARS.sub("", text)


def clean_line(text: str) -> str:
    """:func:`clean_text` for one-line fields (names, codes), where a line break is a paste slip."""
    return clean_text(text).replace("\n", " ").replace("\t", " ").strip()


_LIST_SEPARATORS = re.compile(r"[、,，;；\n\r]")


def split_list(text: str | None) -> list[str]:
    """Split a list cell the ways offices write them: 、 , ， ; ； or one item per line."""
    if not text:
        return []
    return [item for part in _LIST_SEPARATORS.split(text) if (item := part.strip())]


def _nfkc(text: str) -> str:
    # Chinese input methods readily produce full-width digits and punctuation (１２３，－).
    return unicodedata.normalize("NFKC", text).strip()


# --------------------------------------------------------------------------- USCC

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
"""GB 32100-2015 code characters; a character's value is its index (I, O, Z, S, V unused)."""

_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_ORG_VALUES = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


@dataclass(frozen=True, slots=True)
class UsccResult:
    """``value`` is the normalised code, kept even with an error so the form can show it."""

    value: str | None
    error: str | None = None
    warning: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def uscc_check_char(first17: str) -> str:
    """GB 32100 check character (position 18) for the first 17 characters."""
    if len(first17) != 17:
        raise ValueError(_("USCC check needs 17 characters, got {n}", n=len(first17)))
    total = 0
    for ch, weight in zip(first17.upper(), _USCC_WEIGHTS, strict=True):
        index = USCC_ALPHABET.find(ch)
        if index < 0:
            raise ValueError(_("Character {ch!r} is not allowed in a USCC", ch=ch))
        total += index * weight
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(first8: str) -> str:
    """GB 11714 check character for the 8-character body of an organisation code."""
    if len(first8) != 8:
        raise ValueError(_("Organisation code body must be 8 characters, got {n}", n=len(first8)))
    total = 0
    for ch, weight in zip(first8.upper(), _ORG_WEIGHTS, strict=True):
        value = _ORG_VALUES.find(ch)
        if value < 0:
            raise ValueError(_("Character {ch!r} is not allowed in an organisation code", ch=ch))
        total += value * weight
    check = 11 - total % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def check_uscc(text: str | None) -> UsccResult:
    """Validate a unified social credit code; empty means "not given", which is allowed."""
    value = _nfkc(text or "").upper()
    if not value:
        return UsccResult(None)
    if len(value) != 18:
        return UsccResult(value, _("USCC must be 18 characters, got {n}", n=len(value)))
    # Position 18 is left to the check-character test, whose message names the right one.
    for position, ch in enumerate(value[:17], start=1):
        if ch not in USCC_ALPHABET:
            return UsccResult(
                value,
                _(
                    "USCC character {position} is {ch!r}, which is not allowed "
                    "(digits and capital letters except I, O, Z, S, V)",
                    position=position,
                    ch=ch,
                ),
            )
    expected = uscc_check_char(value[:17])
    if value[17] != expected:
        return UsccResult(
            value,
            _(
                "USCC check character should be {expected}, got {actual}",
                expected=expected,
                actual=value[17],
            ),
        )
    # Codes converted from pre-2015 registrations embed an organisation code with its own
    # check digit; real codes occasionally break it, so it only earns a warning.
    org_expected = org_code_check_char(value[8:16])
    if value[16] != org_expected:
        return UsccResult(
            value,
            warning=_(
                "Organisation code check digit (USCC character 17) should be {expected}, "
                "got {actual}; please double-check the code",
                expected=org_expected,
                actual=value[16],
            ),
        )
    return UsccResult(value)


def parse_uscc(text: str | None) -> str | None:
    """Normalised USCC or ``None`` when empty; warnings pass, errors raise ``ValueError``."""
    result = check_uscc(text)
    if result.error is not None:
        raise ValueError(result.error)
    return result.value


def generate_uscc(rng: random.Random, region: str = "441284") -> str:
    """A well-formed, made-up USCC for demo data.

    Post-2015 registrations get organisation codes starting ``MA``, so generated codes look
    like the zone's recent enterprises while (almost surely) matching no real company.
    """
    if not re.fullmatch(r"\d{6}", region):
        raise ValueError(_("Region code must be 6 digits, got {region!r}", region=region))
    body = "MA" + "".join(rng.choice(USCC_ALPHABET) for _i in range(6))
    first17 = "91" + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


# --------------------------------------------------------------------------- phones

_MOBILE = re.compile(r"1[3-9]\d{9}")
_LANDLINE = re.compile(r"0\d{2,3}-?[1-9]\d{6,7}(-\d{1,6})?")

PhoneKind = Literal["mobile", "landline"]


@dataclass(frozen=True, slots=True)
class PhoneResult:
    value: str | None
    kind: PhoneKind | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def check_phone(text: str | int | None) -> PhoneResult:
    """Validate a mobile or landline number; empty means "not given", which is allowed.

    Spaces are dropped and a ``+86`` prefix on a mobile is removed so the same number typed
    two ways is stored once. ``int`` is accepted because spreadsheets store phones as numbers.
    """
    if isinstance(text, bool):
        raise TypeError("phone must be str or int")
    raw = str(text) if isinstance(text, int) else (text or "")
    value = "".join(_nfkc(raw).split())
    if not value:
        return PhoneResult(None)
    if value.startswith("+86"):
        value = value[3:].lstrip("-")
    if _MOBILE.fullmatch(value):
        return PhoneResult(value, "mobile")
    if _LANDLINE.fullmatch(value):
        return PhoneResult(value, "landline")
    return PhoneResult(
        value,
        error=_(
            "Not a valid phone number: {value}; expected an 11-digit mobile number "
            "(13800138000) or a landline with area code (0758-2722284)",
            value=value,
        ),
    )


def parse_phone(text: str | int | None) -> str | None:
    """Normalised phone or ``None`` when empty; raises ``ValueError`` when invalid."""
    result = check_phone(text)
    if result.error is not None:
        raise ValueError(result.error)
    return result.value


# --------------------------------------------------------------------------- money

_CENT = Decimal("0.01")
_YI = Decimal(10000)
_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")
_UNIT_SUFFIX = re.compile(r"(万元|万|亿元|亿)$")


def parse_money_wan(value: str | Decimal | int | float) -> Decimal:
    """An amount in 万元 as a ``Decimal`` quantised to two places.

    Accepts what ledgers contain: thousands separators, full-width digits, a trailing 万/万元,
    or 亿/亿元 (×10,000). Floats only arrive from spreadsheet cells; their shortest repr is the
    number the user typed, so it is parsed as text rather than converted exactly.
    More than two decimals is refused instead of rounded: it usually means yuan were entered.
    """
    if isinstance(value, bool):
        raise ValueError(_("Not an amount: {value!r}", value=value))
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, float):
        amount = Decimal(repr(value))
    else:
        amount = _parse_money_text(value)
    if not amount.is_finite():
        raise ValueError(_("Not an amount: {value!r}", value=value))
    if amount < 0:
        raise ValueError(_("Amount cannot be negative: {value}", value=value))
    try:
        quantised = amount.quantize(_CENT)
    except InvalidOperation:
        raise ValueError(_("Amount is too large: {value}", value=value)) from None
    if quantised != amount:
        raise ValueError(
            _("Amount in 万元 allows at most 2 decimal places, got {value}", value=value)
        )
    return quantised + 0  # turns -0.00 into 0.00


def _parse_money_text(text: str) -> Decimal:
    cleaned = "".join(_nfkc(text).split()).replace(",", "")
    factor = Decimal(1)
    match = _UNIT_SUFFIX.search(cleaned)
    if match:
        if match.group(1).startswith("亿"):
            factor = _YI
        cleaned = cleaned[: match.start()]
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    if not _NUMBER.fullmatch(cleaned):
        raise ValueError(_("Not an amount in 万元: {text!r}", text=text))
    amount = Decimal(cleaned) * factor
    return -amount if negative else amount


def format_money_wan(amount: Decimal, *, grouping: bool = True) -> str:
    """Display form with no trailing zero decimals: ``54,800`` or ``1,234.5``.

    The output parses back with :func:`parse_money_wan` to the same amount.
    """
    quantised = amount.quantize(_CENT)
    text = f"{quantised:,.2f}" if grouping else f"{quantised:.2f}"
    return text.rstrip("0").rstrip(".")


# --------------------------------------------------------------------------- dates & flags

_DATE_PATTERNS = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日?"),
)


def parse_date(value: str | date | datetime) -> date:
    """A calendar date from any of the forms office sheets use.

    Excel date cells arrive as ``datetime``; CSV exports of them as ``2024-01-05 00:00:00``;
    the time of day is dropped because every date in the domain is a whole day.
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        raise ValueError(_("Not a date: {value!r}", value=value))
    text = _nfkc(value)
    for pattern in _DATE_PATTERNS:
        match = pattern.fullmatch(text)
        if match:
            year, month, day = int(match.group(1)), int(match.group(3)), int(match.group(4))
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(_("No such date: {text}", text=value.strip())) from None
    raise ValueError(
        _(
            "Not a date: {text!r}; use YYYY-MM-DD (also YYYY/M/D, YYYY.M.D or YYYY年M月D日)",
            text=value,
        )
    )


_TRUE = frozenset({"是", "yes", "y", "true", "1"})
_FALSE = frozenset({"否", "no", "n", "false", "0"})


def parse_bool(value: str | bool | int) -> bool:
    """A yes/no cell; empty is an error, since only the caller knows the right default."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    key = _nfkc(str(value)).casefold()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise ValueError(
        _("Not a yes/no value: {value!r}; use 是/否, yes/no, true/false or 1/0", value=value)
    )
