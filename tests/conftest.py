"""Shared fixtures. Keep this small and generic; put area-specific fixtures in the test files.

Language: UI classes translate their binding descriptions when they are defined, so this file
sets Chinese before anything imports ``fieldtui.ui``: the app under test is the officers' app.
Each test then starts in English (msgids are English, so plain unit tests read naturally);
tests that drive the app take the ``zh`` fixture so what they assert on is Chinese.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from fieldtui.i18n import set_language
from fieldtui.store import Store
from invariants import assert_rows_equal_ops

set_language("zh")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test reads or writes the real settings, database or data directory."""
    monkeypatch.setenv("FIELDTUI_CONFIG", str(tmp_path / "config" / "settings.toml"))
    monkeypatch.setenv("FIELDTUI_DB", str(tmp_path / "data" / "fieldtui.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.delenv("FIELDTUI_LANG", raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture
def zh() -> Iterator[None]:
    """Run the test in Chinese (the UI's language in the field)."""
    set_language("zh")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _no_cursor_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """A blinking cursor makes screenshots and timing flaky."""
    from textual.widgets import Input, TextArea

    for widget in (Input, TextArea):
        monkeypatch.setattr(widget.cursor_blink, "_default", False)


@pytest.fixture
def tmp_store(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[Store]:
    """An empty, migrated database in the test's temporary directory.

    After the test, every synced row must still equal its ops (see ``invariants.py``): forms,
    sheet imports and services that wrote around the op log fail here. A test that damages
    the database on purpose says so with ``@pytest.mark.rows_may_differ_from_ops``.
    """
    with Store(tmp_path / "test.db") as store:
        yield store
        failed = getattr(request.node, "_call_failed", False)  # one failure is enough to read
        if not failed and request.node.get_closest_marker("rows_may_differ_from_ops") is None:
            assert_rows_equal_ops(store)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Remember whether the test body failed, for fixtures that check after it."""
    report = yield
    if report.when == "call" and report.failed:
        item._call_failed = True  # type: ignore[attr-defined]
    return report
