"""The enterprise form: pure checks (no Textual), then Pilot tests driven by the keyboard."""

from __future__ import annotations

from decimal import Decimal

import pytest
from textual import events
from textual.widgets import Input, TextArea

from fieldtui.domain.forms import (
    changed_fields,
    check_enterprise,
    check_enterprise_field,
    check_officer,
    enterprise_form_text,
    live_clean,
)
from fieldtui.domain.records import Enterprise
from fieldtui.store import Store
from fieldtui.ui.screens.enterprise_detail import EnterpriseDetailScreen
from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen
from fieldtui.ui.widgets.choice_dialog import ConfirmDialog, UnsavedChangesDialog
from screen_app import ScreenApp, op_count, screen_text, settle, shows, type_text

VALID_USCC = "91350100M000100Y43"

# --------------------------------------------------------------------------- pure checks


def _org_warning_uscc() -> str:
    from fieldtui.domain.validators import org_code_check_char, uscc_check_char

    body = "MA4UXX12"
    wrong = "0" if org_code_check_char(body) != "0" else "1"
    first17 = "91441284" + body + wrong
    return first17 + uscc_check_char(first17)


def test_check_enterprise_parses_every_field() -> None:
    check = check_enterprise(
        {
            "name": "  广东浩海环保设备有限公司 ",
            "uscc": " 91350100m000100y43",
            "legal_rep": "张三",
            "industry": "C",
            "scale": "small",
            "status": "operating",
            "address": "四会市大旺",
            "contact": "李四",
            "phone": "0758-2722284",
            "employees": "1,200",
            "revenue_wan": "5,000.5",
            "tags": "环保、 设备,环保",
            "notes": "第一行\n第二行\x07",
        }
    )
    assert check.ok, check.errors
    values = check.values
    assert values["name"] == "广东浩海环保设备有限公司"
    assert values["uscc"] == VALID_USCC
    assert values["employees"] == 1200
    assert values["revenue_wan"] == Decimal("5000.50")
    assert values["tags"] == ["环保", "设备"]
    assert values["notes"] == "第一行\n第二行"


@pytest.mark.parametrize(
    ("field", "raw"),
    [
        ("name", "   "),
        ("uscc", "91350100M000100Y4Z"),
        ("uscc", "123"),
        ("phone", "12345"),
        ("employees", "-3"),
        ("employees", "12.5"),
        ("revenue_wan", "12.345"),
        ("revenue_wan", "abc"),
        ("status", None),
    ],
)
def test_field_errors(field: str, raw: str | None) -> None:
    assert check_enterprise_field(field, raw).error


def test_org_code_mismatch_is_a_warning_only() -> None:
    check = check_enterprise_field("uscc", _org_warning_uscc())
    assert check.error is None
    assert check.warning
    assert check.value == _org_warning_uscc()


def test_form_text_round_trips_and_changed_fields_ignores_equal_amounts() -> None:
    record = Enterprise(
        id="x", name="简美实业", revenue_wan=Decimal("12.5"), employees=0, tags=["a", "b"]
    )
    values = check_enterprise(enterprise_form_text(record)).values
    assert changed_fields(record, values) == {}
    values["phone"] = "13800138000"
    assert changed_fields(record, values) == {"phone": "13800138000"}


def test_live_clean_keeps_spaces_and_markup_but_drops_controls() -> None:
    assert live_clean("浩海 [red]x\x1b[31m\x07 ") == "浩海 [red]x "
    assert live_clean("a\tb\nc") == "a b c"
    assert live_clean("a\tb\nc", multiline=True) == "a\tb\nc"


def test_officer_check() -> None:
    check = check_officer({"name": "", "phone": "1", "unit": " 投促中心 ", "role": "cso"})
    assert set(check.errors) == {"name", "phone"}
    assert check.values["unit"] == "投促中心"


# --------------------------------------------------------------------------- Pilot


def form_app(store: Store, enterprise_id: str | None = None) -> ScreenApp:
    return ScreenApp(store, lambda: EnterpriseFormScreen(enterprise_id))


def form(app: ScreenApp) -> EnterpriseFormScreen:
    screen = app.screen
    assert isinstance(screen, EnterpriseFormScreen)
    return screen


async def test_add_enterprise_by_keyboard(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "广东浩海环保设备有限公司")
        await pilot.press("tab")
        await type_text(pilot, VALID_USCC.lower())
        await pilot.press("tab")
        await type_text(pilot, "张三")
        await pilot.press("tab", "enter", "down", "down", "down", "enter")  # industry: C
        await pilot.press("tab", "tab", "tab")  # scale (unset), status (在产) → address
        await type_text(pilot, "四会市大旺")
        await pilot.press("tab", "tab")
        await type_text(pilot, "0758-2722284")
        await pilot.press("tab")
        await type_text(pilot, "120")
        await pilot.press("tab")
        await type_text(pilot, "5000")
        await pilot.press("tab")
        await type_text(pilot, "环保,设备")
        await pilot.press("tab")
        await type_text(pilot, "备注")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert len(app.results) == 1 and app.results[0]
    saved = tmp_store.enterprises.require(app.results[0])
    assert (saved.name, saved.uscc, saved.legal_rep) == (
        "广东浩海环保设备有限公司",
        VALID_USCC,
        "张三",
    )
    assert (saved.industry, saved.scale, saved.status) == ("C", None, "operating")
    assert (saved.address, saved.contact, saved.phone) == ("四会市大旺", None, "0758-2722284")
    assert (saved.employees, saved.revenue_wan) == (120, Decimal("5000.00"))
    assert (saved.tags, saved.notes) == (["环保", "设备"], "备注")
    # one op per non-empty field, plus created_at
    assert op_count(tmp_store, saved.id) == 12


async def test_invalid_uscc_shows_message_and_blocks_save(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "简美实业")
        await pilot.press("tab")
        await type_text(pilot, "91350100M000100Y4Z")
        await pilot.pause()
        assert "check character" in form(app).field_message("uscc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnterpriseFormScreen)
        assert app.focused is not None and app.focused.id == "uscc"
    assert tmp_store.enterprises.count() == 0
    assert app.results == []


async def test_org_code_warning_does_not_block(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "简美实业")
        await pilot.press("tab")
        await type_text(pilot, _org_warning_uscc())
        await settle(pilot)
        assert "Organisation code" in form(app).field_message("uscc")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert tmp_store.enterprises.require(app.results[0]).uscc == _org_warning_uscc()


async def test_duplicate_uscc_refused_with_jump_to_existing(tmp_store: Store) -> None:
    existing = tmp_store.enterprises.create(Enterprise(name="华音电器", uscc=VALID_USCC))
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "另一家公司")
        await pilot.press("tab")
        await type_text(pilot, VALID_USCC)
        await settle(pilot)
        assert "华音电器" in form(app).field_message("uscc")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnterpriseFormScreen)
        await pilot.press("ctrl+o")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, EnterpriseDetailScreen)
        assert detail.enterprise_id == existing.id
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, EnterpriseFormScreen)  # the typed form is still there
    assert tmp_store.enterprises.count() == 1


async def test_near_identical_name_warns_then_saves(tmp_store: Store) -> None:
    tmp_store.enterprises.create(Enterprise(name="肇庆（四会）简美实业有限公司"))
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "肇庆(四会)简美实业股份有限公司")
        await pilot.press("tab")  # leaving the field checks the name
        await settle(pilot)
        assert "肇庆（四会）简美实业有限公司" in form(app).field_message("name")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EnterpriseFormScreen)
        assert tmp_store.enterprises.count() == 1
        await pilot.press("ctrl+s")  # after the warning, saving is allowed
        await settle(pilot)
    assert tmp_store.enterprises.count() == 2
    assert app.results and app.results[0]


async def test_escape_with_unsaved_changes_asks(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "博俊")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("escape")  # keep editing (Escape is the safe answer)
        await pilot.pause()
        assert isinstance(app.screen, EnterpriseFormScreen)
        assert form(app).raw()["name"] == "博俊"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("ctrl+s")  # save from the dialog
        await settle(pilot)
    assert [e.name for e in tmp_store.enterprises.list()] == ["博俊"]
    assert app.results and app.results[0]


async def test_escape_discard_and_clean_form_leave(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "日德")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press(*"dk ")  # no letter answers the dialog
        assert isinstance(app.screen, UnsavedChangesDialog)
        await pilot.press("left", "enter")  # discard: one button left of "keep editing"
        await settle(pilot)
        assert app.results == [None]
        app.push_screen(EnterpriseFormScreen(), app.results.append)
        await settle(pilot)
        await pilot.press("escape")  # nothing typed: leaves without asking
        await settle(pilot)
        assert app.results == [None, None]
    assert tmp_store.enterprises.count() == 0


async def test_edit_writes_only_changed_fields(tmp_store: Store) -> None:
    record = tmp_store.enterprises.create(
        Enterprise(
            name="东风灵",
            uscc=VALID_USCC,
            revenue_wan=Decimal("12.5"),
            employees=30,
            tags=["汽配"],
            notes="[b]x[/b]",
        )
    )
    before = op_count(tmp_store, record.id)
    app = form_app(tmp_store, record.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = form(app)
        assert screen.raw()["revenue_wan"] == "12.5"
        assert not screen.dirty
        phone = screen.query_one("#phone", Input)
        phone.focus()
        await type_text(pilot, "13800138000")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == [record.id]
    assert op_count(tmp_store, record.id) == before + 1
    saved = tmp_store.enterprises.require(record.id)
    assert saved.phone == "13800138000"
    assert saved.notes == "[b]x[/b]"


async def test_edit_without_changes_writes_nothing(tmp_store: Store) -> None:
    record = tmp_store.enterprises.create(Enterprise(name="格绿朗", revenue_wan=Decimal("1.10")))
    before = op_count(tmp_store)
    app = form_app(tmp_store, record.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert app.results == [record.id]
    assert op_count(tmp_store) == before


async def test_delete_from_form_is_a_tombstone_after_confirm(tmp_store: Store) -> None:
    record = tmp_store.enterprises.create(Enterprise(name="捷声音响设备"))
    app = form_app(tmp_store, record.id)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f8")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert not tmp_store.enterprises.require(record.id).deleted
        await pilot.press("f8")
        await pilot.pause()
        await pilot.press("left", "enter")
        await settle(pilot)
    assert app.results == [None]
    assert tmp_store.enterprises.require(record.id).deleted
    assert tmp_store.enterprises.count() == 0


# --------------------------------------------------------------------------- user text is data

NASTY = ["ab[/]c", "[red]x", "[/]", "back\\slash\\", "emoji 🏭 厂", "[bold]粗[/bold]"]


@pytest.mark.parametrize("text", NASTY)
async def test_user_text_is_shown_exactly_on_the_form(tmp_store: Store, text: str) -> None:
    record = tmp_store.enterprises.create(
        Enterprise(name=text, address=text, notes=f"{text}\n{text}", tags=[text])
    )
    app = form_app(tmp_store, record.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = form(app)
        assert screen.raw()["name"] == text
        assert screen.raw()["notes"] == f"{text}\n{text}"
        assert await shows(pilot, text)
        assert screen.sub_title == text
        # edit something else: the text survives the round trip unchanged
        screen.query_one("#contact", Input).focus()
        await type_text(pilot, "王")
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = tmp_store.enterprises.require(record.id)
    assert (saved.name, saved.address, saved.tags) == (text, text, [text])
    assert saved.notes == f"{text}\n{text}"


async def test_typed_markup_is_saved_as_typed(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await type_text(pilot, "ab[/]c [red]x \\")
        await pilot.press("ctrl+s")
        await settle(pilot)
    assert tmp_store.enterprises.require(app.results[0]).name == "ab[/]c [red]x \\"


async def test_control_characters_are_removed_from_pasted_text(tmp_store: Store) -> None:
    app = form_app(tmp_store)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        screen = form(app)
        name = screen.query_one("#name", Input)
        app.post_message(events.Paste("浩\x1b[31m海\x07环保\x00"))  # as a terminal pastes
        await settle(pilot)
        assert name.value == "浩海环保"
        notes = screen.query_one("#notes", TextArea)
        notes.focus()
        app.post_message(events.Paste("一\x1b]0;title\x07行\r\n二\x08行"))
        await settle(pilot)
        assert notes.text == "一行\n二行"
        await pilot.press("ctrl+s")
        await settle(pilot)
    saved = tmp_store.enterprises.require(app.results[0])
    assert (saved.name, saved.notes) == ("浩海环保", "一行\n二行")


async def test_form_in_chinese_shows_translated_labels(tmp_store: Store, zh: None) -> None:
    app = ScreenApp(tmp_store, lambda: EnterpriseFormScreen(), lang="zh")
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        assert await shows(pilot, "统一社会信用代码")
        text = screen_text(app)
    assert "统一社会信用代码" in text
    assert "在产" in text
