"""Search text: what an enterprise is found by, and what a query looks for.

Pure functions shared by the index upkeep and the queries (see :mod:`fieldtui.store.search`
for why bigrams). Changing :func:`haystack` or :func:`tokens` changes what the
contentless FTS index holds, so it needs a migration that calls
``fieldtui.store.search.upkeep.rebuild``.
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass

from fieldtui.store.pinyin import fold, name_pinyin

__all__ = ["FIELD_SEPARATOR", "SearchQuery", "fts_query", "haystack", "parse_query", "tokens"]

FIELD_SEPARATOR = "|"
"""Between haystack fields; :func:`fold` removes it from field text, so it never matches."""


def haystack(name: str, *others: str | None) -> str:
    """The folded text one enterprise is found by: its name and the other fields search
    indexes (``others``, in schema order: see :data:`fieldtui.store.search.upkeep.SEARCHED`),
    then the name's pinyin initials and full pinyin."""
    py = name_pinyin(name)
    fields = [fold(name), *map(fold, others)]
    fields.extend(py.initials)
    fields.append(py.full)
    return FIELD_SEPARATOR.join(fields)


def tokens(hay: str) -> str:
    """What the FTS index stores for a haystack: each field's bigrams and its last character.

    Also used to *delete* a row from the contentless index (FTS5 needs the original tokens),
    so any change here needs a migration that rebuilds the index (``search.rebuild``).

    Built without a Python step per character (a bulk import computes it for every new
    enterprise): the haystack's code points are interleaved with their successors and
    spaces in an array (every character with the next one, then a space), then the few
    tokens that touch a separator are patched: one starting at a separator is dropped, one
    ending at it keeps its first character only. Text holding a space or NUL (never produced
    by :func:`haystack`) takes :func:`_tokens_by_field`, the plain definition; both give the
    same string.
    """
    if not hay or " " in hay or "\x00" in hay:
        return _tokens_by_field(hay)
    chars = array(_CODE_POINT, hay.encode(_UTF32))
    out = array("I", _SPACE) * (3 * len(chars))
    out[0::3] = chars  # each token's first character ...
    out[1:-3:3] = chars[1:]  # ... and the next one (none after the last character)
    out[-2] = 0
    find = hay.find
    at = find(FIELD_SEPARATOR)
    while at >= 0:
        out[3 * at : 3 * at + 3] = _DROP  # the token starting at the separator
        if at:
            out[3 * at - 2] = 0  # the previous field's last character stands alone
        at = find(FIELD_SEPARATOR, at + 1)
    return out.tobytes().decode(_UTF32).replace("\x00", "").rstrip(" ")


_CODE_POINT = "I" if array("I").itemsize == 4 else "L"
"""An array type of 4-byte unsigned integers: one code point each."""
_UTF32 = "utf-32-le" if sys.byteorder == "little" else "utf-32-be"
_SPACE = array(_CODE_POINT, [ord(" ")])
_DROP = array(_CODE_POINT, [0, 0, 0])


def _tokens_by_field(hay: str) -> str:
    out: list[str] = []
    for field in hay.split(FIELD_SEPARATOR):
        if not field:
            continue
        out.extend(map(str.__add__, field, field[1:]))
        out.append(field[-1])
    return " ".join(out)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    text: str
    """Folded query text (what ``instr`` looks for in a haystack)."""
    match: str
    """The FTS5 MATCH expression."""


def fts_query(folded: str) -> str:
    """FTS5 expression for a folded, non-empty query (only letters and digits: no quoting)."""
    if len(folded) == 1:
        return f'"{folded}"*'
    return '"' + " ".join(folded[i : i + 2] for i in range(len(folded) - 1)) + '"'


def parse_query(text: str | None) -> SearchQuery | None:
    """None when the text has nothing to search by (empty, or only punctuation/emoji)."""
    folded = fold(text)
    if not folded:
        return None
    return SearchQuery(folded, fts_query(folded))
