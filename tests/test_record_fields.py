"""The detail views' field block is built from the schema for any record kind."""

from __future__ import annotations

from decimal import Decimal

import pytest
from rich.console import Console

from fieldtui.domain.records import Enterprise
from fieldtui.domain.schema import ENTERPRISE, KINDS
from fieldtui.ui.widgets.record_fields import field_block


def rendered(renderable: object) -> str:
    console = Console(record=True, width=120)
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("table", list(KINDS))
def test_every_kind_renders_every_field_label(table: str) -> None:
    kind = KINDS[table]
    text = rendered(field_block(kind, kind.record(), "en"))
    for field in kind.detail_fields:
        assert field.label in text, (table, field.name)


def test_pairs_follow_the_detail_order() -> None:
    record = Enterprise(name="简美实业", uscc="91350100M000100Y43", employees=1200)
    record.revenue_wan = Decimal("12.5")
    lines = rendered(field_block(ENTERPRISE, record, "en")).splitlines()
    assert lines[0].strip() == "简美实业"
    first = next(line for line in lines if "Unified social credit code" in line)
    assert "91350100M000100Y43" in first and "Legal representative" in first
    assert any("Employees" in line and "1,200" in line for line in lines)
    assert any("Last year's revenue (10k yuan)" in line and "12.5" in line for line in lines)
