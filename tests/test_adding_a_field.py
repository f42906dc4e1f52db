"""Adding a field is what the README says it is: on a scratch copy of the source, an
enterprise gets a WeChat work-group name (企业微信群) from its schema entry, the model column
and record attribute the agreement test asks for, and a migration; then the form, the detail
view, the sheet, sync and search all have it without another line changed."""

from __future__ import annotations

import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import fieldtui

SRC = Path(fieldtui.__file__).resolve().parent

SCHEMA_ENTRY = """\
        Field(
            "wechat_group",
            Line(),
            N_("WeChat work group"),
            header="企业微信群",
            aliases=("微信群", "wechat"),
            search=True,
        ),
"""

MIGRATION = '''\
"""Enterprises: the WeChat work group officers use for a large project (企业微信群)."""

from typing import Any


def up(migrator: Any, db: Any) -> None:
    db.execute_sql("ALTER TABLE enterprise ADD COLUMN wechat_group TEXT")
    from fieldtui.store.search import rebuild

    rebuild(db)  # the field is searched: every haystack changes
'''


def _patch(path: Path, anchor: str, addition: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(anchor) == 1, f"{path.name}: anchor not unique: {anchor!r}"
    path.write_text(text.replace(anchor, anchor + addition), encoding="utf-8")


def add_wechat_group(root: Path) -> None:
    """The whole change, as a developer would make it (translations aside: English here)."""
    pkg = root / "fieldtui"
    _patch(
        pkg / "domain" / "schema" / "ledger.py",
        '        Field("notes", Multiline(), N_("Notes"), header="备注"),\n',
        SCHEMA_ENTRY,
    )
    _patch(
        pkg / "domain" / "records.py",
        "    tags: list[str] = field(default_factory=list)\n    notes: str | None = None\n",
        "    wechat_group: str | None = None\n",
    )
    _patch(
        pkg / "store" / "models.py",
        '    tags = TextField(default="[]")\n    notes = TextField(null=True)\n',
        "    wechat_group = TextField(null=True)\n",
    )
    (pkg / "store" / "migrations" / "0099_wechat_group.py").write_text(MIGRATION, "utf-8")


CHECKS = r"""
import asyncio, csv, sys
from pathlib import Path

import fieldtui
assert fieldtui.__file__.startswith(sys.argv[1]), fieldtui.__file__
from fieldtui.i18n import set_language
set_language("en")

from dataclasses import fields
from rich.console import Console
from textual.app import App
from textual.widgets import Input

from fieldtui import sync
from fieldtui.domain.forms import ENTERPRISE_FIELDS, check_enterprise
from fieldtui.domain.records import Enterprise
from fieldtui.domain.schema import ENTERPRISE
from fieldtui.sheets import export_sheet, import_sheet
from fieldtui.store import Store
from fieldtui.store.models import SYNCED_MODELS
from fieldtui.store.search import search_count
from fieldtui.sync.values import column_value
from fieldtui.ui.screens.enterprise_form import EnterpriseFormScreen
from fieldtui.ui.widgets.record_fields import field_block

work = Path(sys.argv[2])

# The schema, the record and the model agree (what tests/test_schema.py checks).
names = [f.name for f in ENTERPRISE.columns]
assert names[-1] == "wechat_group"
assert names == [f.name for f in fields(Enterprise)][4:]
assert names == [f.column_name for f in SYNCED_MODELS["enterprise"]._meta.sorted_fields][4:]

hub = Store(work / "hub.db")  # the migration ran on open
sync.init_role(hub, sync.HUB, name="office")

# Form: the check takes it, and the form screen shows and saves it.
assert "wechat_group" in ENTERPRISE_FIELDS
typed = {"name": "广东浩海环保设备有限公司", "status": "operating"}
typed["wechat_group"] = " 浩海一期项目群 "
check = check_enterprise(typed)
assert check.ok and check.values["wechat_group"] == "浩海一期项目群", check
eid = hub.enterprises.create(Enterprise(**check.values)).id


class Host(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.store, self.lang, self.officer_id = hub, "en", None

    def on_mount(self) -> None:
        self.push_screen(EnterpriseFormScreen(eid))


async def edit() -> None:
    app = Host()
    async with app.run_test(size=(100, 60)) as pilot:
        box = None
        for _ in range(200):
            await pilot.pause()
            found = app.screen.query("#wechat_group")
            box = found.first(Input) if found else None
            if box is not None and box.value:
                break
        assert box is not None and box.value == "浩海一期项目群", box
        strips = app.screen._compositor.render_strips()
        assert "WeChat work group" in "\n".join(s.text for s in strips)
        box.value = "浩海二期项目群"
        await pilot.press("ctrl+s")
        for _ in range(200):
            await pilot.pause()
            if hub.enterprises.require(eid).wechat_group == "浩海二期项目群":
                break
    assert hub.enterprises.require(eid).wechat_group == "浩海二期项目群"


asyncio.run(edit())

# Detail view: label and value.
console = Console(record=True, width=120)
console.print(field_block(ENTERPRISE, hub.enterprises.require(eid), "en"))
shown = console.export_text()
assert "WeChat work group" in shown and "浩海二期项目群" in shown, shown

# Search: by the field's text.
assert search_count(hub.db, "二期项目群") == 1

# Sheet: exported under its header, imported by header or alias.
out = work / "ledger.csv"
export_sheet(hub, "enterprises", out)
with out.open(encoding="utf-8-sig") as fh:
    rows = list(csv.reader(fh))
assert rows[0][-1] == "企业微信群" and rows[1][-1] == "浩海二期项目群", rows
sheet = work / "in.csv"
sheet.write_text("企业名称,微信群\n广东浩海环保设备有限公司,浩海三期项目群\n", encoding="utf-8")
summary = import_sheet(hub, "enterprises", sheet, backup=False)
assert summary.updated == 1 and hub.enterprises.require(eid).wechat_group == "浩海三期项目群"

# Sync: resolve --value checks it; it travels to a laptop and back.
assert column_value("enterprise", "wechat_group", " 群 ") == "群"
try:
    column_value("enterprise", "wechat_group", "x" * 201)
    raise AssertionError("a value over the length limit was taken")
except ValueError as exc:
    assert "At most 200" in str(exc)
laptop = Store(work / "laptop.db")
sync.init_role(laptop, sync.LAPTOP, name="张三")
for f in sync.export(hub, f"{work / 'out'}/", full=True):
    sync.import_files(laptop, [f.path], make_backup=False)
assert laptop.enterprises.require(eid).wechat_group == "浩海三期项目群"
laptop.enterprises.update(eid, wechat_group="张三的项目群")
for f in sync.export(laptop, f"{work / 'up'}/"):
    sync.import_files(hub, [f.path], make_backup=False)
assert hub.enterprises.require(eid).wechat_group == "张三的项目群"
assert search_count(hub.db, "张三的项目群") == 1
print("ok")
"""


def test_a_new_enterprise_field_reaches_every_front_end(tmp_path: Path) -> None:
    root = tmp_path / "src"
    shutil.copytree(SRC, root / "fieldtui", ignore=shutil.ignore_patterns("__pycache__"))
    add_wechat_group(root)
    script = tmp_path / "checks.py"
    script.write_text(textwrap.dedent(CHECKS), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [sys.executable, str(script), str(root), str(work)],
        env={"PYTHONPATH": str(root), "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=280,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("ok")
