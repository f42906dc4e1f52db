"""Only the write path writes synced tables (design.md, "One write path").

A change that skips the op log never reaches the office, so the source is scanned for every
statement that could write a synced table or the op log: SQL ``INSERT``/``UPDATE``/``DELETE``/
``REPLACE`` in any string (f-strings and ``+`` concatenations included; a table name built at
run time counts as a synced table), and Peewee's ``insert``/``update``/``delete``/``save``/
``create``… on the synced models. Only the modules in :data:`ALLOWED` may hold one, each for
the reason given there. The rows-equal-ops check (``tests/invariants.py``) catches at run time
what a scan cannot see.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtui.store.models import SYNCED_MODELS

SRC = Path(__file__).resolve().parent.parent / "src" / "fieldtui"

GUARDED = frozenset(SYNCED_MODELS) | {"op"}
"""The synced tables, and the op log they are rebuilt from."""
MODEL_CLASSES = frozenset(m.__name__ for m in SYNCED_MODELS.values()) | {"Op"}
MODELS_MODULE = "fieldtui.store.models"

ALLOWED: dict[str, str] = {
    "store/writer.py": "the write path: rows and their ops in one transaction",
    "store/rowstate.py": "recomputes a row from its ops for the writer (refresh_row)",
    "sync/merge.py": "applies received ops and recomputes the rows they touch",
    "sync/continuity.py": "a database put back from a copy retires its ops the office may "
    "hold differently and re-issues them under its fresh replica id",
    "store/migrations/*": "schema changes, frozen",
}

WRITE_METHODS = frozenset(
    {
        "insert",
        "insert_many",
        "insert_from",
        "replace",
        "replace_many",
        "update",
        "delete",
        "delete_by_id",
        "delete_instance",
        "save",
        "create",
        "get_or_create",
        "bulk_create",
        "bulk_update",
        "set_by_id",
    }
)
INSTANCE_WRITES = frozenset({"save", "delete_instance"})

DYNAMIC = "{}"
_TARGET = r"[\"`\[]?(?P<table>\{\}|%s|[A-Za-z_][\w.]*)?"
SQL_WRITES = [
    re.compile(rf"\bINSERT\s+(?:OR\s+\w+\s+)?INTO\s+{_TARGET}", re.I),
    re.compile(rf"\bREPLACE\s+INTO\s+{_TARGET}", re.I),
    re.compile(rf"\bDELETE\s+FROM\s+{_TARGET}", re.I),
    re.compile(rf"\bUPDATE\s+(?:OR\s+\w+\s+)?{_TARGET}[\"`\]]?\s+SET\b", re.I),
]


@dataclass(frozen=True)
class Write:
    path: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.what}"


def _render(node: ast.expr) -> str | None:
    """The text of a string expression, ``{}`` where a value is filled in at run time."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            v.value if isinstance(v, ast.Constant) and isinstance(v.value, str) else DYNAMIC
            for v in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _render(node.left), _render(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else DYNAMIC) + (right if right is not None else DYNAMIC)
    return None


def _strings(tree: ast.AST) -> list[tuple[int, str]]:
    """Every string in the module, whole (an f-string or concatenation is one string)."""
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.expr):
            text = _render(node)
            if text is not None:
                found.append((node.lineno, text))
                return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return found


def sql_writes(tree: ast.AST, path: str) -> list[Write]:
    found: list[Write] = []
    for line, text in _strings(tree):
        for pattern in SQL_WRITES:
            for match in pattern.finditer(text):
                table = (match.group("table") or DYNAMIC).split(".")[-1]
                if table in (DYNAMIC, "%s") or table in GUARDED:
                    shown = "a table named at run time" if table in (DYNAMIC, "%s") else table
                    found.append(Write(path, line, f"SQL {match.group(0).split()[0]} on {shown}"))
    return found


def _model_names(tree: ast.AST) -> tuple[set[str], set[str], bool]:
    """Names bound to synced model classes, names bound to the models module, and whether
    the module uses Peewee at all (then ``x.save()`` may be a model instance's)."""
    classes: set[str] = set()
    modules: set[str] = set()
    uses_peewee = False
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == MODELS_MODULE:
                uses_peewee = True
                classes.update(a.asname or a.name for a in node.names if a.name in MODEL_CLASSES)
            elif node.module == "fieldtui.store":
                modules.update(a.asname or a.name for a in node.names if a.name == "models")
            elif node.module.split(".")[0] in ("peewee", "playhouse"):
                uses_peewee = True
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == MODELS_MODULE:
                    modules.add(alias.asname or alias.name)
                    uses_peewee = True
                elif alias.name.split(".")[0] in ("peewee", "playhouse"):
                    uses_peewee = True
    return classes, modules, uses_peewee or bool(modules)


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def model_writes(tree: ast.AST, path: str) -> list[Write]:
    classes, modules, uses_peewee = _model_names(tree)
    found: list[Write] = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        method = node.func.attr
        if method not in WRITE_METHODS:
            continue
        receiver = node.func.value
        name = _dotted(receiver)
        last = name.rsplit(".", 1)[-1]
        why = ""
        if name in classes or (
            "." in name and name.rsplit(".", 1)[0] in modules and last in MODEL_CLASSES
        ):
            why = f"{last}.{method}()"
        elif isinstance(receiver, ast.Subscript) and _dotted(receiver.value).endswith(
            "SYNCED_MODELS"
        ):
            why = f"SYNCED_MODELS[...].{method}()"
        elif (
            isinstance(receiver, ast.Call)
            and _dotted(receiver.func).rsplit(".", 1)[-1] == "Table"
            and receiver.args
            and isinstance(receiver.args[0], ast.Constant)
            and receiver.args[0].value in GUARDED
        ):
            why = f"Table({receiver.args[0].value!r}).{method}()"
        elif uses_peewee and (last == "model" or last.endswith("_model")):
            why = f"{name}.{method}() on a model"
        elif uses_peewee and method in INSTANCE_WRITES:
            why = f"{name or 'a model instance'}.{method}()"
        if why:
            found.append(Write(path, node.lineno, f"Peewee {why}"))
    return found


def writes_in(path: Path, root: Path = SRC) -> list[Write]:
    rel = str(path.relative_to(root))
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return sql_writes(tree, rel) + model_writes(tree, rel)


def allowed(rel: str) -> bool:
    return any(
        rel == pattern or (pattern.endswith("/*") and rel.startswith(pattern[:-1]))
        for pattern in ALLOWED
    )


def rel(path: Path) -> str:
    return str(path.relative_to(SRC))


SOURCES = sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", [p for p in SOURCES if not allowed(rel(p))], ids=rel)
def test_nothing_outside_the_write_path_writes_a_synced_table(path: Path) -> None:
    found = writes_in(path)
    assert found == [], (
        "writes a synced table outside the write path (use the repositories or "
        "store.writer; or add the module to ALLOWED with its reason):\n"
        + "\n".join(f"  {w}" for w in found)
    )


def test_the_allowed_modules_exist_and_do_write() -> None:
    """An allow-list entry that no longer writes (or no longer exists) is stale: remove it."""
    for pattern in ALLOWED:
        paths = [p for p in SOURCES if allowed(rel(p)) and (rel(p) == pattern or "*" in pattern)]
        assert paths, f"ALLOWED names {pattern}, which does not exist"
        if "*" not in pattern:
            assert writes_in(paths[0]), f"{pattern} writes no synced table: drop it from ALLOWED"


# -- the scanner itself --------------------------------------------------------------------


def _scan(tmp_path: Path, text: str, name: str = "sheets/x.py") -> list[Write]:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return writes_in(path, tmp_path)


@pytest.mark.parametrize(
    "text",
    [
        'db.execute_sql("UPDATE enterprise SET name = ? WHERE id = ?", (n, i))\n',
        'db.execute_sql("update  officer\\n  set phone = ?", (p,))\n',
        "db.execute_sql('UPDATE \"visit\" SET summary = ?', (s,))\n",
        'db.execute_sql(f"UPDATE {table} SET {col} = ?", (v,))\n',
        'db.execute_sql("UPDATE " + table + " SET x = 1")\n',
        'db.execute_sql("INSERT INTO problem (id) VALUES (?)", (i,))\n',
        'db.execute_sql("INSERT OR REPLACE INTO meeting_problem (id) VALUES (?)", (i,))\n',
        'db.execute_sql("REPLACE INTO activity_member (id) VALUES (?)", (i,))\n',
        'db.execute_sql("DELETE FROM assignment WHERE year = ?", (y,))\n',
        'db.execute_sql("DELETE FROM main.op WHERE seq > ?", (s,))\n',
        'cur.executemany(f"INSERT INTO {t} VALUES (?)", rows)\n',
        "from fieldtui.store.models import Enterprise\nEnterprise.update(name='x').execute()\n",
        "from fieldtui.store.models import Officer as O\nO.insert(name='x').execute()\n",
        "from fieldtui.store.models import Visit\nVisit.create(summary='x')\n",
        "from fieldtui.store.models import Project\nProject.delete().where(x).execute()\n",
        "from fieldtui.store import models\nmodels.Problem.insert_many(rows).execute()\n",
        "from fieldtui.store.models import SYNCED_MODELS\nSYNCED_MODELS[t].update(a=1)\n",
        "from peewee import Table\nTable('enterprise').insert(name='x').execute(db)\n",
        "from fieldtui.store.models import Op\nOp.delete().execute()\n",
        "from fieldtui.store.models import SyncedModel\nrow = get()\nrow.save()\n",
        "from fieldtui.store.models import SyncedModel\nself.model.update(x=1)\n",
    ],
)
def test_scanner_finds_a_planted_write(tmp_path: Path, text: str) -> None:
    assert _scan(tmp_path, text), f"missed: {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        'db.execute_sql("UPDATE enterprise_ledger SET name = ?", (n,))\n',
        'db.execute_sql("INSERT INTO meta (key, value) VALUES (?, ?) '
        'ON CONFLICT(key) DO UPDATE SET value = excluded.value")\n',
        'db.execute_sql("INSERT INTO sync_peer (id) VALUES (?)", (i,))\n',
        'db.execute_sql("DELETE FROM temp.sync_rows")\n',
        'db.execute_sql("SELECT * FROM enterprise WHERE name = ?", (n,))\n',
        '_("Delete {name}? It disappears from the ledger.")\n',
        '_("Update fieldtui to a version that reads format {v}")\n',
        "wb = openpyxl.Workbook()\nwb.save(path)\n",
        "store.enterprises.update(eid, name='x')\nstore.writer.delete('officer', i)\n",
        "d = {}\nd.update(x=1)\n",
    ],
)
def test_scanner_leaves_other_code_alone(tmp_path: Path, text: str) -> None:
    assert _scan(tmp_path, text) == []


def test_allow_list_is_explicit(tmp_path: Path) -> None:
    assert allowed("store/writer.py") and allowed("sync/merge.py")
    assert allowed("store/migrations/0001_initial.py")
    assert not allowed("sync/importer.py") and not allowed("store/writer_helpers.py")
