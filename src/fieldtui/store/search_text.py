"""Search text: what an enterprise is found by, and what a query looks for.

Pure functions shared by the index upkeep and the queries of :mod:`fieldtui.store.search`
(see there for why bigrams). Changing :func:`haystack` or :func:`tokens` changes what the
contentless FTS index holds, so it needs a migration that calls
``fieldtui.store.search.rebuild``.
"""

from __future__ import annotations

from dataclasses import dataclass

from fieldtui.store.pinyin import fold, name_pinyin

__all__ = ["FIELD_SEPARATOR", "SearchQuery", "fts_query", "haystack", "parse_query", "tokens"]

FIELD_SEPARATOR = "|"
"""Between haystack fields; :func:`fold` removes it from field text, so it never matches."""


def haystack(
    name: str,
    uscc: str | None = None,
    address: str | None = None,
    contact: str | None = None,
    phone: str | None = None,
) -> str:
    """The folded text one enterprise is found by: its fields, then pinyin initials and full."""
    py = name_pinyin(name)
    fields = [fold(name), fold(uscc), fold(address), fold(contact), fold(phone)]
    fields.extend(py.initials)
    fields.append(py.full)
    return FIELD_SEPARATOR.join(fields)


def tokens(hay: str) -> str:
    """What the FTS index stores for a haystack: each field's bigrams and its last character.

    Also used to *delete* a row from the contentless index (FTS5 needs the original tokens),
    so any change here needs a migration that rebuilds the index (``search.rebuild``).
    """
    out: list[str] = []
    for field in hay.split(FIELD_SEPARATOR):
        if not field:
            continue
        out.extend(map(str.__add__, field, field[1:]))  # bigrams, built in C: bulk refreshes
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
