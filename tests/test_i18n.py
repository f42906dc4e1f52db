"""Catalogs are complete, compiled and consistent; the language switch works.

Uses the same functions as ``python scripts/i18n.py check``, so a failure here is fixed by
``python scripts/i18n.py update`` (then translating what it lists) and ``... compile``.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from fieldtui import i18n

ROOT = Path(__file__).resolve().parent.parent


def _load_tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "fieldtui_i18n_tool", ROOT / "scripts" / "i18n.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tool = _load_tool()


@pytest.fixture(scope="module")
def template() -> object:
    return tool.extract()


def test_source_has_msgids(template: object) -> None:
    ids = tool.msgids(template)
    assert "Enterprise ledger" in ids  # from ui/areas.py (N_)
    assert "Help" in ids  # from app.py (_)
    assert len(ids) > 50


def test_every_msgid_has_a_chinese_translation(template: object) -> None:
    catalog = tool.read_catalog("zh_CN")
    missing = [
        p for p in tool.translation_problems(catalog, tool.keys(template)) if "no translation" in p
    ]
    assert missing == [], "run: python scripts/i18n.py update, then translate\n" + "\n".join(
        missing
    )


def test_english_catalog_is_complete(template: object) -> None:
    catalog = tool.read_catalog("en")
    assert tool.translation_problems(catalog, tool.keys(template), "en") == []


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_placeholders_match(locale: str) -> None:
    problems = [
        p for p in tool.translation_problems(tool.read_catalog(locale), []) if "placeholders" in p
    ]
    assert problems == []


def test_placeholder_check_catches_a_mismatch() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN")
    catalog.add("Delete {name}?", "删除{名称}？")
    catalog.add("%s rows", "行")
    problems = tool.translation_problems(catalog, ["Delete {name}?", "Missing"])
    assert any("placeholders differ in 'Delete {name}?'" in p for p in problems)
    assert any("'%s rows'" in p for p in problems)
    assert any("no translation for 'Missing'" in p for p in problems)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_compiled_catalog_matches_po(locale: str) -> None:
    assert tool.mo_problems(locale) == []


def test_stale_mo_is_detected(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    po = tool.po_path("zh_CN").read_text(encoding="utf-8")
    fake = tmp_path / "locale"
    target = fake / "zh_CN" / "LC_MESSAGES"
    target.mkdir(parents=True)
    (target / "fieldtui.po").write_text(po, encoding="utf-8")
    (target / "fieldtui.mo").write_bytes(tool.po_path("zh_CN").with_suffix(".mo").read_bytes())
    monkeypatch.setattr(tool, "LOCALE_DIR", fake)
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    assert tool.mo_problems("zh_CN") == []
    (target / "fieldtui.po").write_text(
        po.replace('msgstr "帮助"', 'msgstr "求助"'), encoding="utf-8"
    )
    assert tool.mo_problems("zh_CN") != []


def test_duplicated_entries_merge(tmp_path: Path) -> None:
    path = tmp_path / "dup.po"
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "Save"\nmsgstr ""\n\n'
        'msgid "Save"\nmsgstr "保存"\n\n'
        'msgid "Quit"\nmsgstr "退出"\n\n'
        'msgid "Quit"\nmsgstr ""\n',
        encoding="utf-8",
    )
    catalog = tool.read_catalog("zh_CN", path)
    assert catalog.get("Save").string == "保存"
    assert catalog.get("Quit").string == "退出"
    assert sorted(catalog.duplicates) == ["Quit", "Save"]


def test_switching_language_changes_output() -> None:
    i18n.set_language("zh")
    assert i18n._("Enterprise ledger") == "企业台账"
    assert i18n._("Help") == "帮助"
    i18n.set_language("en")
    assert i18n._("Enterprise ledger") == "Enterprise ledger"
    assert i18n.language() == "en"


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")


@pytest.mark.parametrize(
    ("env", "expected"),
    [("zh_CN.UTF-8", "zh"), ("en_US.UTF-8", "en"), ("zh_TW", "zh"), ("C", "en")],
)
def test_detect_language(monkeypatch: pytest.MonkeyPatch, env: str, expected: str) -> None:
    monkeypatch.setenv("FIELDTUI_LANG", env)
    assert i18n.detect_language() == expected


def test_extract_sees_calls_inside_fstrings(tmp_path: Path) -> None:
    """babel's extractor misses ``_()`` inside an f-string on Python 3.11; the tool adds them."""
    (tmp_path / "mod.py").write_text(
        'from fieldtui.i18n import _\nLABEL = f"{_(\'Check file\')} (F5)"\nX = _("Plain")\n',
        encoding="utf-8",
    )
    ids = tool.msgids(tool.extract(tmp_path))
    assert "Check file" in ids
    assert "Plain" in ids


def test_extract_keeps_contexts_apart(tmp_path: Path) -> None:
    """One English word, two Chinese readings (zh-style.md): each context is its own entry."""
    (tmp_path / "mod.py").write_text(
        "from fieldtui.i18n import NC_, _, pgettext\n"
        'A = _("Enterprise")\n'
        'B = pgettext("screen title", "Enterprise")\n'
        'C = NC_("sheet", "Enterprises")\n'
        "D = f\"{pgettext('product', 'fieldtui')} · x\"\n",
        encoding="utf-8",
    )
    keys = set(tool.keys(tool.extract(tmp_path)))
    assert tool.Key("Enterprise") in keys
    assert tool.Key("Enterprise", "screen title") in keys
    assert tool.Key("Enterprises", "sheet") in keys
    assert tool.Key("fieldtui", "product") in keys


def test_a_missing_context_translation_is_reported() -> None:
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN")
    catalog.add("Enterprise", "企业")
    problems = tool.translation_problems(
        catalog, [tool.Key("Enterprise"), tool.Key("Enterprise", "screen title")]
    )
    assert problems == ["zh_CN: no translation for '[screen title] Enterprise'"]


def test_contexts_translate_apart() -> None:
    i18n.set_language("zh")
    assert i18n._("Enterprise") == "企业"
    assert i18n.pgettext("screen title", "Enterprise") == "企业详情"
    assert i18n.pgettext("sheet", "Enterprises") == "企业台账"
    assert i18n.product_name() == "首席服务官工作台"
    i18n.set_language("en")
    assert i18n.pgettext("screen title", "Enterprise") == "Enterprise"
    assert i18n.product_name() == "fieldtui"


def test_a_translation_may_drop_repr_but_not_a_name() -> None:
    """Python's repr quotes have no place in Chinese (“{value}”, zh-style.md); a translation
    may drop ``!r`` but never change which values it shows."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(locale="zh_CN")
    catalog.add("Not a date: {value!r}", "日期格式不正确：“{value}”")
    catalog.add("Not an amount: {value!r}", "金额格式不正确：“{text}”")
    problems = tool.translation_problems(catalog, [])
    assert len(problems) == 1 and "Not an amount" in problems[0]
