"""Enterprise search: substring matching over name, USCC, address, contact, phone and pinyin.

Why this shape (measured on 100,000 enterprises, see ``benchmarks/ledger.py``):

- A plain ``instr``/``LIKE`` scan over a normalised haystack takes 20-45 ms per query, too slow
  for a keystroke budget of 50 ms once the list has to be drawn too.
- SQLite's FTS5 ``trigram`` tokenizer cannot match queries shorter than three characters, and
  most Chinese names are searched by two.
- So the haystack is indexed as *character bigrams* in a contentless FTS5 table, each field's
  last character added as a unigram. A query of two or more characters becomes the phrase of
  its bigrams (consecutive bigrams at consecutive positions = exact substring), a
  one-character query the prefix query ``"x"*`` (every occurrence of ``x`` starts a bigram or
  is a field's final unigram). The index costs about 0.5 KB per enterprise.
- The FTS rowid of an enterprise (``sid``) follows the pinyin order of its name, so the
  default ledger order *is* the index order: the first page of any search is the first
  matches FTS5 finds, with no sort and no count needed first (a few ms even when every row
  matches). New names get a ``sid`` between their neighbours' (gaps of 2**32 leave room for
  32 halvings); when a gap runs out the table is renumbered (:func:`renumber`).

Text is folded before indexing and querying (:func:`~fieldtui.store.pinyin.fold`): NFKC
(full-width digits and letters become ASCII), case-folded, and everything but letters and
digits dropped, so punctuation, spaces and emoji neither need to be typed nor break a match.
Names are also indexed by full pinyin (``haohai`` finds 浩海) and initials (``hhhb`` finds
浩海环保); see :mod:`fieldtui.store.pinyin` for polyphones.

The derived rows live in three local (unsynced) tables created by migration ``0003_search``:
``enterprise_ledger`` (one row per live enterprise: sort keys, filter columns and figures
derived from visits, problems and assignments, see :mod:`fieldtui.store.ledger`),
``enterprise_search`` (the haystack) and ``enterprise_fts``. They are kept current by
:func:`refresh_enterprises`, which the write path calls when enterprise rows change and
sync's merge calls for the enterprise rows it touches; the figures from other tables are kept
current by SQL triggers (they need no Python, so no writer can forget them).

The package is split along that line: :mod:`~fieldtui.store.search.text` (what an enterprise
is found by and what a query looks for: pure functions), :mod:`~fieldtui.store.search.query`
(reading the index) and :mod:`~fieldtui.store.search.upkeep` (keeping it current).
"""

from fieldtui.store.pinyin import MAX_INITIAL_VARIANTS, NamePinyin, fold, name_pinyin
from fieldtui.store.search.query import (
    SID_SPACING,
    search_count,
    search_enterprise_ids,
    tag_pattern,
)
from fieldtui.store.search.text import (
    FIELD_SEPARATOR,
    SearchQuery,
    fts_query,
    haystack,
    parse_query,
    tokens,
)
from fieldtui.store.search.upkeep import rebuild, refresh_enterprises, refresh_lead_year, renumber

__all__ = [
    "FIELD_SEPARATOR",
    "MAX_INITIAL_VARIANTS",
    "SID_SPACING",
    "NamePinyin",
    "SearchQuery",
    "fold",
    "fts_query",
    "haystack",
    "name_pinyin",
    "parse_query",
    "rebuild",
    "refresh_enterprises",
    "refresh_lead_year",
    "renumber",
    "search_count",
    "search_enterprise_ids",
    "tag_pattern",
    "tokens",
]
