"""Dependencies point one way (design.md): ``domain`` ← ``store`` ← ``sync``, ``sheets``,
``reports`` ← ``cli``, ``ui``; nothing below ``ui`` imports textual; nothing imports
``fieldtui.ui`` but ``fieldtui.app``, and only the app command starts the app.

Checked on the source's AST, imports inside functions and ``TYPE_CHECKING`` blocks included,
against an explicit matrix (:data:`ALLOWED`): a new package or top-level module fails until
it is given its place there.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "fieldtui"
LOWER_LAYERS = ("domain", "store", "sync", "sheets", "reports")

# What each part of fieldtui may import (besides itself and the empty package root). A part
# is the first name under ``fieldtui/``: a package or a top-level module. ``i18n`` and
# ``paths`` are leaves every layer above ``domain`` may use; ``config`` (the settings file)
# belongs to the programs (cli, app), not to the layers they drive.
_LEAVES = {"i18n", "paths"}
_SERVICES = {"domain", "store", "sync", "sheets", "reports"} | _LEAVES
ALLOWED: dict[str, set[str]] = {
    "i18n": set(),
    "paths": set(),
    "config": _LEAVES,
    "domain": {"i18n"},
    "store": {"domain"} | _LEAVES,
    "sync": {"domain", "store"} | _LEAVES,
    "sheets": {"domain", "store"} | _LEAVES,
    "reports": {"domain", "store"} | _LEAVES,
    # The demo database is built through the store like any other work.
    "demo": _SERVICES,
    "startup": _SERVICES | {"demo", "config"},
    "ui": _SERVICES | {"demo", "startup", "config"},
    "cli": _SERVICES | {"demo", "startup", "config", "app"},
    "app": _SERVICES | {"demo", "startup", "config", "ui"},
    "__main__": {"cli"},
}
# Modules that belong to another part (the demo modules are becoming one package).
SAME_PART = {"demo_data": "demo", "demo_work": "demo"}
# Parts that only some of their importers may import (checked as well as ALLOWED).
ONLY_FROM: dict[str, set[str]] = {
    "ui": {"fieldtui.app"},
    "app": {"fieldtui.cli.app_cmd"},
}
# Third-party packages that belong to the interface: only these parts may import them.
UI_PACKAGES = ("textual",)
UI_PARTS = {"ui", "app"}


def imported_modules(path: Path, root: Path = SRC) -> set[str]:
    """Every module ``path`` imports, by absolute name (``root`` is the ``fieldtui`` dir)."""
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
            package = path.relative_to(root.parent).with_suffix("").parts[: -node.level]
            base = ".".join(package + ((node.module,) if node.module else ()))
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "attr", getattr(node.func, "id", "")) == "import_module"
            and node.args
            and isinstance(node.args[0], ast.Constant)
        ):
            names.add(str(node.args[0].value))
    return names


def module_name(path: Path, root: Path = SRC) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def part_of(module: str) -> str | None:
    """``fieldtui.store.writer`` → ``store``; the package root → ``""``; others → None."""
    parts = module.split(".")
    if parts[0] != "fieldtui":
        return None
    part = parts[1] if len(parts) > 1 else ""
    return SAME_PART.get(part, part)


def violations(path: Path, root: Path = SRC) -> list[str]:
    """Why ``path``'s imports break the matrix, one line each (empty when they don't)."""
    me = module_name(path, root)
    mine = part_of(me)
    assert mine is not None
    if mine == "":
        return []  # the package root holds nothing
    if mine not in ALLOWED:
        return [f"{me}: part {mine!r} has no row in ALLOWED (tests/test_layering.py)"]
    found: list[str] = []
    for name in sorted(imported_modules(path, root)):
        top = name.split(".")[0]
        if top in UI_PACKAGES and mine not in UI_PARTS:
            found.append(f"{me} imports {name}: only {sorted(UI_PARTS)} may use {top}")
            continue
        target = part_of(name)
        if target is None or target in ("", mine):
            continue
        if target not in ALLOWED[mine]:
            found.append(f"{me} imports {name}: {mine} may import only {sorted(ALLOWED[mine])}")
        elif target in ONLY_FROM and me not in ONLY_FROM[target]:
            found.append(f"{me} imports {name}: only {sorted(ONLY_FROM[target])} may")
    return found


def modules_under(*parts: str) -> list[Path]:
    return sorted(p for part in parts for p in (SRC / part).rglob("*.py"))


def rel(path: Path) -> str:
    return str(path.relative_to(SRC.parent))


ALL_MODULES = sorted(SRC.rglob("*.py"))


def test_there_is_something_to_check() -> None:
    assert len(modules_under(*LOWER_LAYERS)) >= 5
    assert {part_of(module_name(p)) for p in ALL_MODULES} >= {"domain", "store", "ui", "cli"}


@pytest.mark.parametrize("path", ALL_MODULES, ids=rel)
def test_imports_follow_the_matrix(path: Path) -> None:
    assert violations(path) == []


@pytest.mark.parametrize("path", modules_under(*LOWER_LAYERS), ids=rel)
def test_lower_layers_do_not_import_textual(path: Path) -> None:
    bad = sorted(m for m in imported_modules(path) if m == "textual" or m.startswith("textual."))
    assert bad == [], f"{rel(path)} imports {bad}"


def test_the_matrix_points_one_way() -> None:
    """No two parts may import each other."""
    for part, allowed in ALLOWED.items():
        for other in allowed:
            assert part not in ALLOWED.get(other, set()), (
                f"{part} and {other} may import each other"
            )
    for lower in LOWER_LAYERS:
        assert not ALLOWED[lower] & {"cli", "ui", "app", "config", "startup", "demo"}


# -- the checker itself --------------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "fieldtui"
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_checker_sees_imports_in_functions_and_type_checking(tmp_path: Path) -> None:
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


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # domain must not reach up into the store, even lazily or relatively
        ("domain/forms.py", "from fieldtui.store.writer import now_iso\n", "domain may import"),
        ("domain/forms.py", "def f():\n    from ..store import writer\n", "domain may import"),
        ("store/repos.py", "import fieldtui.sync.merge\n", "store may import"),
        ("sync/merge.py", "from fieldtui.sheets import importer\n", "sync may import"),
        ("sheets/kinds.py", "from fieldtui.cli.common import Output\n", "sheets may import"),
        ("store/db.py", "from fieldtui.config import Settings\n", "store may import"),
        (
            "reports/monthly.py",
            "import importlib\nimportlib.import_module('fieldtui.ui')\n",
            "reports may",
        ),
        ("cli/sheet.py", "from fieldtui.ui.screens import ledger\n", "cli may import"),
        ("cli/sheet.py", "from fieldtui.app import FieldApp\n", "only ['fieldtui.cli.app_cmd']"),
        ("startup.py", "from textual.app import App\n", "may use textual"),
        ("sheets/x.py", "import textual.widgets\n", "may use textual"),
        ("newpart/x.py", "import os\n", "has no row in ALLOWED"),
    ],
)
def test_checker_catches(tmp_path: Path, name: str, text: str, expected: str) -> None:
    root = _tree(tmp_path, {name: text})
    found = violations(root / name, root)
    assert found, f"{name}: {text!r} passed the check"
    assert expected in found[0]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("store/repos.py", "from fieldtui.domain.records import Record\nfrom . import ids\n"),
        ("sync/merge.py", "from fieldtui.store.rowstate import Value\nfrom fieldtui import i18n\n"),
        ("ui/screens/x.py", "from textual.app import App\nfrom fieldtui.sheets import kinds\n"),
        ("app.py", "from fieldtui.ui import areas\n"),
        ("cli/app_cmd.py", "def f():\n    from fieldtui.app import FieldApp\n"),
        ("config.py", "from fieldtui import paths\n"),
    ],
)
def test_checker_allows(tmp_path: Path, name: str, text: str) -> None:
    root = _tree(tmp_path, {name: text})
    assert violations(root / name, root) == []
