"""Pinyin of enterprise names for search and sorting (pypinyin, imported on first use).

Polyphonic characters take pypinyin's phrase-aware reading (银行 → ``yh``, 重庆 → ``cq``) plus
up to :data:`MAX_INITIAL_VARIANTS` - 1 alternative initial strings, each with one character
read another way (leftmost characters first), so a user who guesses another reading still
finds the name; an alternative only ever adds a match, never hides one. Only readings
attested in pypinyin's phrase dictionary count (广 has archaic readings yǎn and ān that nobody
types). Names without a polyphonic character skip pypinyin's phrase matching (one table
lookup per character), which keeps a bulk import of 100,000 names to a few seconds.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import groupby

__all__ = [
    "MAX_INITIAL_VARIANTS",
    "NamePinyin",
    "fold",
    "name_matches",
    "name_pinyin",
    "pinyin_key",
]

MAX_INITIAL_VARIANTS = 4
"""Initial strings indexed per name: the phrase-aware reading and up to three alternatives."""


_NOT_ALNUM = re.compile(r"[\W_]+")
r"""Everything but what ``str.isalnum`` accepts (``\w`` is exactly that plus ``_``)."""


def fold(text: str | None) -> str:
    """The form both the index and queries use: NFKC, case-folded, letters and digits only."""
    if not text:
        return ""
    if text.isascii() and text.isalnum():  # codes and numbers: NFKC and the filter change nothing
        return text.lower()
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", text).casefold())


def _toneless(syllable: str) -> str:
    """``xíng`` → ``xing``, ``lǘ`` → ``lv`` (pypinyin's spelling of ü without tone)."""
    syllable = syllable.replace("ü", "v").replace("Ü", "v")
    decomposed = unicodedata.normalize("NFKD", syllable)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


@cache
def _char_readings(ch: str) -> tuple[str, ...]:
    """Toneless readings of one character worth indexing, most common first; () if not Chinese.

    pypinyin lists every reading a dictionary knows (广 guǎng, yǎn, ān; 司 sī, cí, sì), most of
    them archaic. Indexing them all would spend the variant budget on 有限公司 and leave none
    for 长 or 行, so a character's readings are those attested in pypinyin's phrase
    dictionary; the first dictionary reading is always kept.
    """
    from pypinyin.pinyin_dict import pinyin_dict

    raw = pinyin_dict.get(ord(ch))
    if not raw:
        return ()
    all_readings = raw.split(",")
    attested = _attested_readings().get(ch, frozenset())
    readings: list[str] = []
    for index, reading in enumerate(all_readings):
        if index and reading not in attested:
            continue
        toneless = _toneless(reading)
        if toneless and toneless not in readings:
            readings.append(toneless)
    return tuple(readings)


@lru_cache(maxsize=1)
def _attested_readings() -> dict[str, frozenset[str]]:
    """Character → readings it has in pypinyin's phrase dictionary (built once, ~0.2 s)."""
    from pypinyin.phrases_dict import phrases_dict

    found: dict[str, set[str]] = {}
    for phrase, readings in phrases_dict.items():
        if len(phrase) != len(readings):
            continue
        for ch, options in zip(phrase, readings, strict=True):
            found.setdefault(ch, set()).update(options)
    return {ch: frozenset(r) for ch, r in found.items()}


@dataclass(frozen=True, slots=True)
class NamePinyin:
    syllables: tuple[str, ...]
    """Pinyin of each Chinese character (phrase-aware reading); other runs folded as they are."""
    initials: tuple[str, ...]
    """The initials string of the primary reading first, then alternatives."""

    @property
    def full(self) -> str:
        return "".join(self.syllables)

    @property
    def sort_key(self) -> str:
        """Names sort by pinyin, the order Chinese users expect (not by code point)."""
        return " ".join(self.syllables)


@cache
def _is_chinese(ch: str) -> bool:
    return bool(_char_readings(ch))


@cache
def _is_polyphone(ch: str) -> bool:
    return len(_char_readings(ch)) > 1


@cache
def _first_reading(ch: str) -> str:
    return _char_readings(ch)[0]


@cache
def _first_initial(ch: str) -> str:
    return _char_readings(ch)[0][0]


@cache
def _initials(ch: str) -> tuple[str, ...]:
    """The distinct initials of a character's readings, in the order of its readings."""
    return tuple(dict.fromkeys(r[0] for r in _char_readings(ch)))


def _run_syllables(run: str) -> list[str]:
    """Primary reading of each character of a Chinese run, phrase-aware where it matters."""
    defaults = list(map(_first_reading, run))
    if not any(map(_is_polyphone, run)):
        return defaults  # no polyphone: skip pypinyin's phrase matching (~50 µs a name)
    from pypinyin.seg.simpleseg import seg

    parts = [p for word in seg(run) for p in _word_syllables(word)]
    if len(parts) != len(run) or not all(_is_syllable(p) for p in parts):
        return defaults
    return parts


@lru_cache(maxsize=65536)
def _word_syllables(word: str) -> tuple[str, ...]:
    """pypinyin's reading of one segmented word, memoised.

    ``lazy_pinyin`` segments a run into words and converts each on its own, so converting
    word by word gives the same result; enterprise names share most of their words (广东,
    科技, 有限公司), so the memo turns a bulk refresh's pinyin work into dictionary hits.
    """
    from pypinyin import Style, lazy_pinyin

    return tuple(_toneless(p) for p in lazy_pinyin(word, style=Style.NORMAL, v_to_u=False))


@lru_cache(maxsize=4096)
def name_pinyin(name: str) -> NamePinyin:
    """Pinyin syllables and initials strings of a name (see the module doc for polyphones).

    Written for bulk refreshes (every name of a 100,000-row import is new): the per-character
    work is cached lookups driven by ``map`` and ``groupby``, and only the polyphonic
    characters of a name are visited one by one.
    """
    syllables: list[str] = []
    primary: list[str] = []
    """Per item (a Chinese character, or a run of other text), its primary initial."""
    alternatives: list[tuple[int, str]] = []
    """(item, another initial it may be typed with), items in order."""
    for is_cn, chars in groupby(name, _is_chinese):
        text = "".join(chars)
        if not is_cn:
            folded = fold(text)
            if folded:
                syllables.append(folded)
                primary.append(folded)
            continue
        if not any(map(_is_polyphone, text)):
            syllables.extend(map(_first_reading, text))
            primary.extend(map(_first_initial, text))
            continue
        start = len(primary)
        run = _run_syllables(text)
        syllables.extend(run)
        heads = [syllable[0] for syllable in run]
        primary.extend(heads)
        for offset, (ch, head) in enumerate(zip(text, heads, strict=True)):
            alternatives.extend((start + offset, i) for i in _initials(ch) if i != head)
    variants = ["".join(primary)] if primary else []
    # Alternatives change one character's initial, leftmost first: the start of a name is
    # what people type, and what tells names apart (the end is usually 有限公司).
    for position, option in alternatives:
        if len(variants) >= MAX_INITIAL_VARIANTS:
            break
        candidate = "".join([*primary[:position], option, *primary[position + 1 :]])
        if candidate not in variants:
            variants.append(candidate)
    return NamePinyin(tuple(syllables), tuple(variants))


def _is_syllable(text: str) -> bool:
    return text.isascii() and text.isalpha()


def pinyin_key(name: str) -> tuple[str, str]:
    """Sort key putting names in pinyin order, as the ledger sorts (张 after 李, not by code
    point); the name itself breaks ties between names that read alike."""
    return name_pinyin(name).sort_key, name


def name_matches(query: str, name: str, *others: str | None) -> bool:
    """Whether a short list's row matches a search, the way the ledger's search does.

    ``query`` (folded: case, width, punctuation and spaces ignored) is part of the name or of
    one of ``others`` (unit, phone…), or of the name's pinyin or its initials (``zw``,
    ``zhangwei`` find 张伟). For lists read whole (officers, a year's plan); the ledger
    searches its index instead.
    """
    folded = fold(query)
    if not folded:
        return True
    if any(folded in fold(text) for text in (name, *others) if text):
        return True
    if not folded.isascii():
        return False
    reading = name_pinyin(name)
    return folded in reading.full or any(folded in initials for initials in reading.initials)
