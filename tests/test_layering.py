"""Dependencies point one way (design.md): nothing below ``ui`` imports textual, and nothing
imports ``fieldtui.ui`` but ``fieldtui.app``. Checked on the source's AST, imports inside
functions and ``TYPE_CHECKING`` blocks included.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "fieldtui"
LOWER_LAYERS = ("domain", "store", "sync", "sheets", "reports")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level:
            # A relative import: resolve it against the file's package.
            package = path.relative_to(SRC.parent).with_suffix("").parts[: -node.level]
            base = ".".join(package + ((node.module,) if node.module else ()))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", "") == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def modules_under(*parts: str) -> list[Path]:
    return sorted(p for part in parts for p in (SRC / part).rglob("*.py"))


def rel(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


def test_there_is_something_to_check() -> None:
    assert len(modules_under(*LOWER_LAYERS)) >= 5


@pytest.mark.parametrize("path", modules_under(*LOWER_LAYERS), ids=rel)
def test_lower_layers_do_not_import_textual(path: Path) -> None:
    bad = sorted(m for m in imported_modules(path) if m == "textual" or m.startswith("textual."))
    assert bad == [], f"{rel(path)} imports {bad}"


def _outside_ui() -> list[Path]:
    return sorted(
        p
        for p in SRC.rglob("*.py")
        if "ui" not in p.relative_to(SRC).parts[:1] and p != SRC / "app.py"
    )


@pytest.mark.parametrize("path", _outside_ui(), ids=rel)
def test_only_app_imports_ui(path: Path) -> None:
    bad = sorted(
        m for m in imported_modules(path) if m == "fieldtui.ui" or m.startswith("fieldtui.ui.")
    )
    assert bad == [], f"{rel(path)} imports {bad}; only fieldtui/app.py may import fieldtui.ui"


@pytest.mark.parametrize("path", _outside_ui(), ids=rel)
def test_only_the_app_command_imports_the_app(path: Path) -> None:
    if path == SRC / "cli" / "app_cmd.py":
        return
    bad = sorted(
        m for m in imported_modules(path) if m == "fieldtui.app" or m.startswith("fieldtui.app.")
    )
    assert bad == [], f"{rel(path)} imports {bad}; only cli/app_cmd.py starts the app"


def test_checker_sees_a_violation(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from textual.app import App\n"
        "def f():\n    import fieldtui.ui.areas\n",
        encoding="utf-8",
    )
    found = imported_modules(sample)
    assert "textual.app" in found
    assert "fieldtui.ui.areas" in found
