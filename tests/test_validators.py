"""Input rules from domain.md ("Validation" and "Sheets")."""

from __future__ import annotations

import random
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fieldtui.domain.validators import (
    USCC_ALPHABET,
    check_phone,
    check_uscc,
    clean_line,
    clean_text,
    format_money_wan,
    generate_uscc,
    org_code_check_char,
    parse_bool,
    parse_date,
    parse_money_wan,
    parse_phone,
    parse_uscc,
    split_list,
    uscc_check_char,
)

WORKED_EXAMPLE = "91350100M000100Y43"

# --------------------------------------------------------------------------- USCC


def test_uscc_worked_example_is_valid() -> None:
    result = check_uscc(WORKED_EXAMPLE)
    assert result.ok
    assert result.value == WORKED_EXAMPLE
    assert result.warning is None
    assert uscc_check_char(WORKED_EXAMPLE[:17]) == "3"
    assert org_code_check_char("M000100Y") == "4"


def test_uscc_broken_check_character_names_expected() -> None:
    result = check_uscc("91350100M000100Y4Z")
    assert not result.ok
    assert result.error is not None
    assert "should be 3" in result.error
    assert result.value == "91350100M000100Y4Z"


def test_uscc_wrong_but_allowed_check_character() -> None:
    result = check_uscc("91350100M000100Y44")
    assert result.error == "USCC check character should be 3, got 4"


def test_uscc_lower_case_and_spaces_are_normalised() -> None:
    result = check_uscc("  91350100m000100y43 \n")
    assert result.ok
    assert result.value == WORKED_EXAMPLE
    assert parse_uscc(" 91350100m000100y43") == WORKED_EXAMPLE


def test_uscc_full_width_input_is_normalised() -> None:
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in WORKED_EXAMPLE)
    assert check_uscc(full_width).value == WORKED_EXAMPLE


@pytest.mark.parametrize("text", ["", "   ", None])
def test_uscc_empty_is_absent_not_an_error(text: str | None) -> None:
    result = check_uscc(text)
    assert result.value is None
    assert result.ok
    assert parse_uscc(text) is None


@pytest.mark.parametrize("text", ["91350100M000100Y4", "91350100M000100Y433", "9"])
def test_uscc_wrong_length(text: str) -> None:
    result = check_uscc(text)
    assert result.error == f"USCC must be 18 characters, got {len(text)}"
    with pytest.raises(ValueError, match="18 characters"):
        parse_uscc(text)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_uscc_forbidden_letters(letter: str) -> None:
    text = WORKED_EXAMPLE[:8] + letter + WORKED_EXAMPLE[9:]
    result = check_uscc(text)
    assert result.error is not None
    assert "character 9" in result.error
    assert repr(letter) in result.error


def test_uscc_punctuation_is_rejected() -> None:
    assert not check_uscc("91350100-000100Y43").ok


def test_uscc_org_code_mismatch_is_only_a_warning() -> None:
    body = "MA000001"
    right = org_code_check_char(body)
    wrong = "1" if right != "1" else "2"
    first17 = "91441284" + body + wrong
    code = first17 + uscc_check_char(first17)
    result = check_uscc(code)
    assert result.ok
    assert result.value == code
    assert result.warning is not None
    assert f"should be {right}" in result.warning
    assert parse_uscc(code) == code


def test_org_code_check_char_special_values() -> None:
    # Find bodies whose check value is 10 and 11 to exercise the X and 0 mappings.
    seen: dict[str, str] = {}
    rng = random.Random(0)
    while len(seen) < 2:
        body = "".join(rng.choice("0123456789") for _ in range(8))
        check = org_code_check_char(body)
        if check in {"X", "0"}:
            seen.setdefault(check, body)
    for check, body in seen.items():
        total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
        assert {"X": 10, "0": 11}[check] == 11 - total % 11


@given(st.integers(min_value=0, max_value=2**32))
def test_generated_usccs_are_valid(seed: int) -> None:
    code = generate_uscc(random.Random(seed))
    result = check_uscc(code)
    assert result.ok, result.error
    assert result.warning is None
    assert code.startswith("91441284")
    assert all(c in USCC_ALPHABET for c in code)


def test_generate_uscc_region_and_determinism() -> None:
    assert generate_uscc(random.Random(7), "441200").startswith("91441200")
    assert generate_uscc(random.Random(7)) == generate_uscc(random.Random(7))
    with pytest.raises(ValueError):
        generate_uscc(random.Random(7), "4412")


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    ("text", "value", "kind"),
    [
        ("13800138000", "13800138000", "mobile"),
        (" 138 0013 8000 ", "13800138000", "mobile"),
        ("+86 13800138000", "13800138000", "mobile"),
        (13800138000, "13800138000", "mobile"),
        ("19912345678", "19912345678", "mobile"),
        ("0758-2722284", "0758-2722284", "landline"),
        ("07582722284", "07582722284", "landline"),
        ("020-87654321", "020-87654321", "landline"),
        ("0758-2722284-123", "0758-2722284-123", "landline"),
        ("０７５８－２７２２２８４", "0758-2722284", "landline"),
    ],
)
def test_valid_phones(text: str | int, value: str, kind: str) -> None:
    result = check_phone(text)
    assert result.ok
    assert (result.value, result.kind) == (value, kind)
    assert parse_phone(text) == value


@pytest.mark.parametrize(
    "text",
    ["12800138000", "1380013800", "138001380001", "2722284", "0758-0722284", "phone", "0758-27"],
)
def test_invalid_phones(text: str) -> None:
    result = check_phone(text)
    assert not result.ok
    assert result.kind is None
    assert result.error is not None and "phone" in result.error
    with pytest.raises(ValueError):
        parse_phone(text)


@pytest.mark.parametrize("text", ["", "  ", None])
def test_empty_phone_is_absent(text: str | None) -> None:
    assert check_phone(text) == check_phone(None)
    assert check_phone(text).value is None
    assert check_phone(text).ok


# --------------------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1234.5", Decimal("1234.50")),
        ("1,234.5", Decimal("1234.50")),
        ("12.34", Decimal("12.34")),
        ("1.230", Decimal("1.23")),
        (" 800 ", Decimal("800")),
        ("0", Decimal("0")),
        ("800万元", Decimal("800")),
        ("800 万", Decimal("800")),
        ("5.48亿", Decimal("54800")),
        ("5.48 亿元", Decimal("54800")),
        ("１２３．４", Decimal("123.4")),
        (Decimal("12.3"), Decimal("12.30")),
        (42, Decimal("42")),
        (12.35, Decimal("12.35")),
        (1234.56, Decimal("1234.56")),
    ],
)
def test_parse_money_accepts(value: str | Decimal | int | float, expected: Decimal) -> None:
    amount = parse_money_wan(value)
    assert isinstance(amount, Decimal)
    assert amount == expected
    assert amount.as_tuple().exponent == -2


@pytest.mark.parametrize(
    "value",
    [
        "1.234",
        Decimal("0.001"),
        0.1 + 0.2,
        "-5",
        -5,
        Decimal("-0.01"),
        "abc",
        "",
        "1e3",
        "12元",
        "nan",
        float("nan"),
        float("inf"),
        Decimal("1E+40"),
        True,
    ],
)
def test_parse_money_rejects(value: str | Decimal | int | float) -> None:
    with pytest.raises(ValueError):
        parse_money_wan(value)


def test_parse_money_messages_are_clear() -> None:
    with pytest.raises(ValueError, match="at most 2 decimal places"):
        parse_money_wan("1.234")
    with pytest.raises(ValueError, match="negative"):
        parse_money_wan("-1")


def test_negative_zero_is_zero() -> None:
    assert str(parse_money_wan(Decimal("-0"))) == "0.00"


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        (Decimal("54800"), "54,800"),
        (Decimal("1234.5"), "1,234.5"),
        (Decimal("1234.56"), "1,234.56"),
        (Decimal("0.00"), "0"),
        (Decimal("0.5"), "0.5"),
    ],
)
def test_format_money(amount: Decimal, text: str) -> None:
    assert format_money_wan(amount) == text
    assert parse_money_wan(text) == amount


def test_format_money_without_grouping() -> None:
    assert format_money_wan(Decimal("54800.10"), grouping=False) == "54800.1"


@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_money_round_trips(amount: Decimal) -> None:
    assert parse_money_wan(format_money_wan(amount)) == amount


# --------------------------------------------------------------------------- dates & flags


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-05",
        "2024-3-5",
        "2024/3/5",
        "2024/03/05",
        "2024.3.5",
        "2024年3月5日",
        "2024年03月05日",
        " 2024-03-05 ",
        "2024-03-05 00:00:00",
        "２０２４－０３－０５",
        date(2024, 3, 5),
        datetime(2024, 3, 5, 14, 30),
    ],
)
def test_parse_date_accepts(value: str | date) -> None:
    assert parse_date(value) == date(2024, 3, 5)


def test_parse_date_returns_plain_date_for_datetime() -> None:
    assert type(parse_date(datetime(2024, 3, 5))) is date


@pytest.mark.parametrize(
    "value", ["", "2024-02-30", "2024-13-01", "05/03/2024", "2024/3-5", "20240305", "yesterday"]
)
def test_parse_date_rejects(value: str) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_parse_date_message() -> None:
    with pytest.raises(ValueError, match="No such date"):
        parse_date("2023-02-29")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        parse_date("March 5")


@pytest.mark.parametrize("text", ["是", "yes", "YES", "y", "true", "True", "1", 1, True])
def test_parse_bool_true(text: str | int | bool) -> None:
    assert parse_bool(text) is True


@pytest.mark.parametrize("text", ["否", "no", "N", "false", "0", " 否 ", 0, False])
def test_parse_bool_false(text: str | int | bool) -> None:
    assert parse_bool(text) is False


@pytest.mark.parametrize("text", ["", "maybe", "2", 2])
def test_parse_bool_rejects(text: str | int) -> None:
    with pytest.raises(ValueError):
        parse_bool(text)


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("经信局、自然资源局", ["经信局", "自然资源局"]),
        ("a, b，c;d；e\nf", ["a", "b", "c", "d", "e", "f"]),
        ("a\r\nb", ["a", "b"]),
        (" a 、、 ,b ", ["a", "b"]),
        ("", []),
        (None, []),
        ("single", ["single"]),
    ],
)
def test_split_list(text: str | None, items: list[str]) -> None:
    assert split_list(text) == items


# --------------------------------------------------------------------------- text


@pytest.mark.parametrize(
    "text", ["[red]x", "ab[/]c", "\\", "a\\nb", "😀 emoji 🏭", "中文，标点。", "a\tb\nc"]
)
def test_clean_text_keeps_ordinary_text(text: str) -> None:
    assert clean_text(text) == text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("\x1b[31mred\x1b[0m", "red"),
        ("bell\x07", "bell"),
        ("a\x9bb", "ab"),
        ("a\x9b31mb", "a31mb"),
        ("\x1b]0;title\x07name", "name"),
        ("\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1b(Bx", "x"),
        ("nul\x00del\x7f", "nuldel"),
        ("trailing esc\x1b", "trailing esc"),
        ("win\r\nline", "win\nline"),
        ("[bold]\x1b[1m[/]", "[bold][/]"),
    ],
)
def test_clean_text_removes_controls(text: str, expected: str) -> None:
    assert clean_text(text) == expected


@given(st.text())
def test_clean_text_leaves_no_controls(text: str) -> None:
    cleaned = clean_text(text)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7F <= ord(c) <= 0x9F for c in cleaned)
    assert clean_text(cleaned) == cleaned


def test_clean_line() -> None:
    assert clean_line("  广东浩海\n环保\t设备 \x1b[2J") == "广东浩海 环保 设备"
    assert clean_line("[red]博俊[/]") == "[red]博俊[/]"
