"""Tests wait for conditions, never for a fixed time (COMMON rules; issue 8, item 7).

A fixed ``time.sleep(0.5)`` / ``await pilot.pause(0.2)`` is too short on a loaded CI machine
and wasted time on a fast one. A wait with a delay is accepted only inside a ``while`` loop,
where it is the polling interval of a wait for a condition (see ``shows`` in
``screen_app.py``). ``await pilot.pause()`` without a delay (let pending messages run) is fine.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
WAITS = frozenset({"sleep", "pause"})


def fixed_waits(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []

    def visit(node: ast.AST, polling: bool) -> None:
        if isinstance(node, ast.Call) and not polling:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            delayed = bool(node.args) or any(k.arg in ("delay", "seconds") for k in node.keywords)
            if name in WAITS and delayed:
                found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)}")
        for child in ast.iter_child_nodes(node):
            inside = polling or (isinstance(node, ast.While) and child in node.body)
            visit(child, inside)

    visit(tree, False)
    return found


FILES = sorted(TESTS.glob("*.py"))


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_no_fixed_waits(path: Path) -> None:
    assert fixed_waits(path) == [], "wait for a condition instead (poll in a while loop)"


def test_the_scanner(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import time, asyncio\n"
        "async def t(pilot):\n"
        "    time.sleep(0.5)\n"
        "    await asyncio.sleep(1)\n"
        "    await pilot.pause(0.2)\n"
        "    await pilot.pause(delay=0.1)\n"
        "    for _ in range(3):\n"
        "        await pilot.pause(0.1)\n"
        "    await pilot.pause()\n"
        "    while not done():\n"
        "        await pilot.pause(0.05)\n"
        "        if late():\n"
        "            await asyncio.sleep(0.01)\n",
        encoding="utf-8",
    )
    assert [line.split(":")[1] for line in fixed_waits(sample)] == ["3", "4", "5", "6", "8"]
