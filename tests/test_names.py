"""Enterprise-name normalisation and the store queries built on it (no Textual)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtui.domain.names import like_pattern, name_key, names_match
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store
from fieldtui.store.enterprises import find_by_uscc, pick_enterprises, similar_names


@pytest.fixture
def names_store(tmp_path: Path) -> Iterator[Store]:
    with Store(tmp_path / "names.db") as store:
        yield store


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("广东浩海环保设备有限公司", "广东浩海环保设备股份有限公司"),
        ("广东浩海环保设备有限公司", "广东浩海环保设备有限责任公司"),
        ("广东浩海环保设备有限公司", "广东浩海环保设备"),
        ("肇庆（四会）简美实业有限公司", "肇庆(四会)简美实业有限公司"),
        ("肇庆（四会）简美实业有限公司", "肇庆四会简美实业"),
        ("ＡＢＣ 智盛 自动化", "abc智盛自动化有限公司"),
        ("【格绿朗】家居", "格绿朗家居"),
    ],
)
def test_names_that_match(a: str, b: str) -> None:
    assert names_match(a, b)
    assert names_match(b, a)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("广东浩海环保设备有限公司", "广东浩海环保科技有限公司"),
        ("博俊科技有限公司", "博俊科技分公司"),
        ("有限公司", "股份有限公司"),  # nothing but a suffix: keys differ, never "the same"
        ("", ""),
    ],
)
def test_names_that_differ(a: str, b: str) -> None:
    assert not names_match(a, b)


def test_key_strips_one_suffix_only_at_the_end() -> None:
    assert name_key("有限公司科技有限公司") == "有限公司科技"
    assert name_key("有限公司") == "有限公司"  # a name is never reduced to nothing
    assert name_key("  ") == ""


def test_like_pattern_allows_full_width_and_has_no_wildcards_from_the_name() -> None:
    assert like_pattern("a%浩") == "%_%_%浩%"
    assert like_pattern("") is None


def test_find_by_uscc_normalises_and_ignores_deleted_and_self(names_store: Store) -> None:
    e = names_store.enterprises.create(Enterprise(name="甲", uscc="91350100M000100Y43"))
    assert find_by_uscc(names_store, " 91350100m000100y43 ") is not None
    assert find_by_uscc(names_store, "91350100M000100Y43", exclude_id=e.id) is None
    assert find_by_uscc(names_store, "") is None
    names_store.enterprises.delete(e.id)
    assert find_by_uscc(names_store, "91350100M000100Y43") is None


def test_similar_names_finds_variants_and_skips_self_and_deleted(names_store: Store) -> None:
    hh = names_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    other = names_store.enterprises.create(Enterprise(name="广东浩海环保科技有限公司"))
    gone = names_store.enterprises.create(Enterprise(name="广东浩海环保设备股份有限公司"))
    names_store.enterprises.delete(gone.id)
    found = similar_names(names_store, "广东 浩海环保设备（股份有限公司）")
    assert [r.id for r in found] == [hh.id]
    assert similar_names(names_store, "广东浩海环保设备有限公司", exclude_id=hh.id) == []
    assert other.id not in {r.id for r in similar_names(names_store, "广东浩海环保设备")}
    assert similar_names(names_store, "   ") == []


def test_similar_names_with_full_width_letters_in_the_ledger(names_store: Store) -> None:
    stored = names_store.enterprises.create(Enterprise(name="ＡＢＣ智盛自动化设备有限公司"))
    assert [r.id for r in similar_names(names_store, "abc智盛自动化设备")] == [stored.id]


def test_pick_enterprises_uses_the_ledger_search_and_is_bounded(names_store: Store) -> None:
    with names_store.batch():
        for i in range(30):
            names_store.enterprises.create(Enterprise(name=f"简美实业{i:02d}"))
        names_store.enterprises.create(Enterprise(name="广东浩海环保设备有限公司"))
    assert len(pick_enterprises(names_store, "简美", limit=10)) == 10
    assert [r.name for r in pick_enterprises(names_store, "hhhb")] == ["广东浩海环保设备有限公司"]
    assert pick_enterprises(names_store, "不存在") == []
    first = pick_enterprises(names_store, "", limit=2)  # pinyin order: 广 (guang) before 简 (jian)
    assert [r.name for r in first] == ["广东浩海环保设备有限公司", "简美实业00"]
