"""The README's test command is the command CI runs (``.ci/run``), install step included."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def ci_command() -> str:
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    commands = [
        line.strip()
        for line in lines
        if line.strip()
        and not line.lstrip().startswith("#")
        and not line.startswith(("set ", "cd "))
    ]
    assert len(commands) == 1, f".ci/run should hold one command line, not {commands}"
    return commands[0]


def test_readme_shows_the_ci_command() -> None:
    command = ci_command()
    assert command.startswith("python -m pip install -e '.[test]' && ")
    for step in ("ruff check", "ruff format --check", "mypy --strict", "python -m pytest"):
        assert step in command
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert command in readme.splitlines(), "README.md must show .ci/run's command verbatim"
