"""Enterprise search: pinyin, two-character Chinese, USCC and contact substrings; upkeep."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtui.domain import records as rec
from fieldtui.store import Store
from fieldtui.store import search as search_mod
from fieldtui.store.pinyin import fold, name_pinyin
from fieldtui.store.search import (
    SID_SPACING,
    haystack,
    parse_query,
    rebuild,
    refresh_enterprises,
    search_count,
    search_enterprise_ids,
    tokens,
)


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "search.db")
    with s.batch():
        for name, uscc, address, contact, phone in [
            (
                "广东浩海环保设备有限公司",
                "91350100M000100Y43",
                "四会市贞山路1号",
                "张三",
                "13800001111",
            ),
            ("肇庆博俊科技有限公司", None, "大旺高新区亚铝大街", "李四", "0758-2722284"),
            ("四会华音电子有限公司", None, None, None, None),
            ("重庆银行肇庆分行", None, None, "王五", None),
            ("ABC精密（肇庆）有限公司", None, None, None, None),
        ]:
            s.enterprises.create(
                rec.Enterprise(name=name, uscc=uscc, address=address, contact=contact, phone=phone)
            )
    return s


def names(store: Store, text: str) -> list[str]:
    found = search_enterprise_ids(store.db, text, limit=100)
    return [store.enterprises.require(i).name for i in found]


def test_pinyin_initials_find_the_name(store: Store) -> None:
    assert names(store, "hhhb") == ["广东浩海环保设备有限公司"]
    assert names(store, "HHHB") == ["广东浩海环保设备有限公司"]
    assert names(store, "bjkj") == ["肇庆博俊科技有限公司"]


def test_full_pinyin_finds_the_name(store: Store) -> None:
    assert names(store, "haohai") == ["广东浩海环保设备有限公司"]
    assert names(store, "huayin") == ["四会华音电子有限公司"]


def test_polyphones_use_the_phrase_reading_and_keep_alternatives(store: Store) -> None:
    # 重庆 is chong qing and 银行 yin hang in context; zq (zhong) still finds it.
    assert names(store, "cqyh") == ["重庆银行肇庆分行"]
    assert names(store, "zqyh") == ["重庆银行肇庆分行"]
    assert name_pinyin("重庆银行").initials[0] == "cqyh"
    # Archaic readings are not indexed: 广 is only guang.
    assert name_pinyin("广东").initials == ("gd",)


def test_two_character_chinese_query(store: Store) -> None:
    assert names(store, "环保") == ["广东浩海环保设备有限公司"]
    assert names(store, "华音") == ["四会华音电子有限公司"]
    assert sorted(names(store, "肇庆")) == sorted(
        ["肇庆博俊科技有限公司", "重庆银行肇庆分行", "ABC精密（肇庆）有限公司"]
    )


def test_one_character_query(store: Store) -> None:
    assert set(names(store, "浩")) == {"广东浩海环保设备有限公司"}
    assert search_count(store.db, "会") == 2  # 四会 as a name and an address


def test_uscc_substring_any_case(store: Store) -> None:
    assert names(store, "M000100") == ["广东浩海环保设备有限公司"]
    assert names(store, "m000100y4") == ["广东浩海环保设备有限公司"]


def test_contact_person_phone_and_address(store: Store) -> None:
    assert names(store, "00001111") == ["广东浩海环保设备有限公司"]
    assert names(store, "2722284") == ["肇庆博俊科技有限公司"]
    assert names(store, "0758-272") == ["肇庆博俊科技有限公司"]  # punctuation is ignored
    assert names(store, "王五") == ["重庆银行肇庆分行"]
    assert names(store, "亚铝大街") == ["肇庆博俊科技有限公司"]


def test_full_width_and_latin_text(store: Store) -> None:
    assert names(store, "ＡＢＣ") == ["ABC精密（肇庆）有限公司"]
    assert names(store, "abc精密") == ["ABC精密（肇庆）有限公司"]


def test_no_substring_across_fields(store: Store) -> None:
    # The name ends with 公司 and the USCC starts with 9135: "司9" spans two fields.
    assert names(store, "司9") == []


def test_punctuation_only_query_matches_everything(store: Store) -> None:
    assert parse_query("  -/ ") is None
    assert search_count(store.db, "!!") == 5
    assert search_count(store.db, "") == 5


def test_edits_and_deletes_keep_the_index_current(store: Store) -> None:
    [eid] = search_enterprise_ids(store.db, "hhhb")
    store.enterprises.update(eid, name="浩海新能源有限公司", phone="13912345678")
    assert names(store, "hhhb") == []
    assert names(store, "hhxny") == ["浩海新能源有限公司"]
    assert names(store, "12345678") == ["浩海新能源有限公司"]
    assert names(store, "00001111") == []
    store.enterprises.delete(eid)
    assert names(store, "hhxny") == []
    store.enterprises.restore(eid)
    assert names(store, "hhxny") == ["浩海新能源有限公司"]


def test_refresh_is_idempotent_and_forgets_unknown_ids(store: Store) -> None:
    before = store.db.execute_sql("SELECT * FROM enterprise_ledger ORDER BY sid").fetchall()
    ids = [r[1] for r in before]
    refresh_enterprises(store.db, [*ids, "no-such-id"])
    after = store.db.execute_sql("SELECT * FROM enterprise_ledger ORDER BY sid").fetchall()
    assert after == before
    assert search_count(store.db, "hhhb") == 1


def test_rebuild_gives_the_same_answers(store: Store) -> None:
    rebuild(store.db)
    assert names(store, "hhhb") == ["广东浩海环保设备有限公司"]
    assert search_count(store.db, "") == 5


def test_sid_follows_pinyin_order_of_names(store: Store) -> None:
    rows = store.db.execute_sql("SELECT name_key FROM enterprise_ledger ORDER BY sid").fetchall()
    keys = [r[0] for r in rows]
    assert keys == sorted(keys)


def test_full_gap_renumbers_and_keeps_order(tmp_path: Path) -> None:
    s = Store(tmp_path / "gap.db")
    s.enterprises.create(rec.Enterprise(name="a"))
    s.enterprises.create(rec.Enterprise(name="b"))
    # Each name lands between "a" and the previous one: the gap halves every time.
    for n in range(40):
        s.enterprises.create(rec.Enterprise(name="a" + "z" * (40 - n)))
    rows = s.db.execute_sql("SELECT sid, name_key FROM enterprise_ledger ORDER BY sid").fetchall()
    assert [r[1] for r in rows] == sorted(r[1] for r in rows)
    assert len(rows) == 42
    assert search_count(s.db, "azz") == 39  # "az" itself has one z
    assert max(r[0] for r in rows) <= SID_SPACING * 42


def test_bulk_import_in_random_order_keeps_order(tmp_path: Path) -> None:
    rng = random.Random(3)
    s = Store(tmp_path / "bulk.db")
    syllables = "浩海环保博俊华音日德东风灵广上阿尔卑斯家居智盛"
    for _round in range(3):
        with s.batch():
            for _ in range(300):
                name = "".join(rng.choice(syllables) for _ in range(4))
                s.enterprises.create(rec.Enterprise(name=name))
    rows = s.db.execute_sql("SELECT name_key, id FROM enterprise_ledger ORDER BY sid").fetchall()
    assert rows == sorted(rows)
    assert len(rows) == 900


def test_triggers_keep_visit_and_problem_figures(store: Store) -> None:
    [eid] = search_enterprise_ids(store.db, "hhhb")
    officer = store.officers.create(rec.Officer(name="陈官"))
    from datetime import date, timedelta

    today = date.today()
    visit = store.visits.create(rec.Visit(date=today - timedelta(days=3), enterprise_id=eid))
    store.problems.create(
        rec.Problem(enterprise_id=eid, description="清表", deadline=today - timedelta(days=1))
    )
    store.assignments.create(
        rec.Assignment(year=today.year, officer_id=officer.id, enterprise_id=eid, role="cso")
    )

    def figures() -> tuple[object, ...]:
        return tuple(
            store.db.execute_sql(
                "SELECT last_visit, open_problems, open_deadline, lead_officer"
                " FROM enterprise_ledger WHERE id = ?",
                (eid,),
            ).fetchone()
        )

    assert figures() == (
        (today - timedelta(days=3)).isoformat(),
        1,
        (today - timedelta(days=1)).isoformat(),
        "陈官",
    )
    store.officers.update(officer.id, name="陈新")
    store.visits.delete(visit.id)
    assert figures()[0] == ""
    assert figures()[3] == "陈新"
    # An enterprise edit recomputes from scratch and agrees with the triggers.
    store.enterprises.update(eid, notes="x")
    assert figures()[3] == "陈新"


def test_haystack_and_tokens() -> None:
    hay = haystack("浩海", "91X", None)
    assert hay.split("|")[0] == "浩海"
    assert "hh" in hay.split("|")
    assert "haohai" in hay.split("|")
    assert tokens("ab|c") == "ab b c"
    assert fold("Ａ-b 😀[red]") == "abred"


def test_query_escapes_nothing_dangerous(store: Store) -> None:
    # Quotes, FTS operators and markup are folded away, never passed to MATCH raw.
    for text in ['"', "a OR b", "NEAR(x y)", "[red]x", "*", "x AND"]:
        search_count(store.db, text)


def test_refresh_module_names_for_sync() -> None:
    assert callable(search_mod.refresh_enterprises)


# -- the fast paths of bulk refreshes agree with the plain definitions ------------------------

_SEARCH_TEXT = st.text(alphabet="ab1|中文浩海Ａ😀\n\x00 ", max_size=16)


@settings(max_examples=400, deadline=None)
@given(_SEARCH_TEXT)
def test_tokens_match_the_per_field_definition(hay: str) -> None:
    plain: list[str] = []
    for field in hay.split("|"):
        if field:
            plain.extend(field[i : i + 2] for i in range(len(field) - 1))
            plain.append(field[-1])
    assert tokens(hay) == " ".join(plain)


def _plain_name_pinyin(name: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """name_pinyin written character by character (the definition its fast path must keep)."""
    from fieldtui.store import pinyin

    runs: list[tuple[str, bool]] = []
    for ch in name:
        is_cn = bool(pinyin._char_readings(ch))
        if runs and runs[-1][1] == is_cn:
            runs[-1] = (runs[-1][0] + ch, is_cn)
        else:
            runs.append((ch, is_cn))
    syllables: list[str] = []
    choices: list[list[str]] = []
    for text, is_cn in runs:
        if not is_cn:
            if fold(text):
                syllables.append(fold(text))
                choices.append([fold(text)])
            continue
        for ch, syllable in zip(text, pinyin._run_syllables(text), strict=True):
            syllables.append(syllable)
            others = [r[0] for r in pinyin._char_readings(ch)]
            choices.append(list(dict.fromkeys([syllable[0], *others])))
    primary = [c[0] for c in choices]
    variants = ["".join(primary)] if primary else []
    for position, options in enumerate(choices):
        for option in options[1:]:
            candidate = "".join([*primary[:position], option, *primary[position + 1 :]])
            if len(variants) < pinyin.MAX_INITIAL_VARIANTS and candidate not in variants:
                variants.append(candidate)
    return tuple(syllables), tuple(variants)


_NAME_PARTS = [
    "重庆",
    "银行",
    "长",
    "行",
    "广东",
    "科技",
    "有限公司",
    "曾",
    "单",
    "乐",
    "A",
    "１２",
    "（",
    " ",
    "😀",
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_NAME_PARTS), max_size=6))
def test_name_pinyin_matches_the_per_character_definition(parts: list[str]) -> None:
    name = "".join(parts)
    found = name_pinyin(name)
    assert (found.syllables, found.initials) == _plain_name_pinyin(name)
