"""The layers of STYLE.md kept by tests: which package may import which, who speaks SQL, and every
criterion worded in the views."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import pytest

from casegrade.rules import CRITERIA, ThresholdKind
from casegrade.views.criteria import CRITERION_WORDS
from casegrade.vocab import Grade

PACKAGE = Path(__file__).resolve().parents[1] / "casegrade"
PURE = ("rules", "lifecycle", "authority", "policy", "records", "vocab", "idnumber", "errors")
SQL_CALLS = {
    "execute",
    "executemany",
    "executescript",
    "query",
    "rows_where",
    "insert_all",
    "upsert",
    "upsert_all",
    "delete_where",
    "create_table",
    "create_index",
}
PURE_MODULES = {f"casegrade.{name}" for name in ("rules", "lifecycle", "authority")}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> set[str]:
    """The casegrade modules a file imports, by dotted name (``from casegrade import store``
    counts as casegrade.store); imports only for type checking count too."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("casegrade")}
        elif (
            isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("casegrade")
        ):
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def layer(module: str) -> str:
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in ("core", "views", "intake"):
        return parts[1]
    if len(parts) == 2 and parts[1] in ("core", "views", "intake"):
        return parts[1]
    if len(parts) == 2 and parts[1] in PURE:
        return "pure"
    return parts[-1]  # store, cli, __main__, casegrade


def imported_layers(path: Path) -> set[str]:
    return {layer(name) for name in imports_of(path) if name in MODULES}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_each_module_imports_only_the_layers_below_it(module):
    forbidden = {
        "views": {"store", "cli"},
        "core": {"views", "cli"},
        "intake": {"core", "views", "cli"},
        "pure": {"core", "views", "intake", "store", "cli"},
        "store": {"core", "views", "intake", "cli"},
    }.get(layer(module), set())
    assert not imported_layers(MODULES[module]) & forbidden


@pytest.mark.parametrize("module", sorted(set(MODULES) - {"casegrade.store"}))
def test_only_the_store_speaks_sql(module):
    """Outside store.py: no sqlite3, nothing from sqlite-utils but the Database type, no SQL
    call, and a database handle (``db``) is only passed on, never used."""
    assert not sql_uses(MODULES[module].read_text(encoding="utf-8"))


def sql_uses(source: str) -> list[str]:
    """What in ``source`` speaks to SQLite directly, as "line: what"."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"{node.lineno}: import {a.name}" for a in node.names if a.name == "sqlite3"]
        elif isinstance(node, ast.ImportFrom) and node.module in ("sqlite3", "sqlite_utils"):
            names = [a.name for a in node.names if node.module == "sqlite3" or a.name != "Database"]
            found += [f"{node.lineno}: from {node.module} import {name}" for name in names]
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_CALLS
        ):
            found.append(f"{node.lineno}: .{node.func.attr}()")
        if (
            isinstance(node, ast.Attribute | ast.Subscript)
            and isinstance(node.value, ast.Name)
            and node.value.id == "db"
        ):
            found.append(f"{node.lineno}: db used directly")
    return found


@pytest.mark.parametrize(
    "source",
    [
        "import sqlite3",
        "from sqlite_utils import Table",
        "def f(db):\n    return db['officers'].count",
        "def f(db):\n    return db.table('officers')",
        "def f(conn):\n    conn.execute('select 1')",
        "def f(t):\n    t.insert_all([])",
    ],
)
def test_the_sql_check_sees_sql(source):
    assert sql_uses(source)


def test_the_sql_check_lets_a_handle_pass(source="def f(db: Database):\n    return g(db)"):
    assert not sql_uses("from sqlite_utils import Database\n" + source)


VIEWS_MAY_CALL = {"label", "parse_enum", "yes_no", "mask_id_number"}  # words, not rules


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "views"))
def test_views_take_values_and_call_no_rule(module):
    """A view imports classes and constants from the pure modules (to read values), never a
    function that computes an outcome: evidence and results come with the core's values."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in PURE_MODULES:
            source = importlib.import_module(node.module)
            for alias in node.names:
                value = getattr(source, alias.name)
                assert (
                    inspect.isclass(value) or not callable(value) or alias.name in VIEWS_MAY_CALL
                ), f"{module} imports the rule {node.module}.{alias.name}"


def test_the_import_check_sees_a_forbidden_import(tmp_path):
    """The checks above can fail: a views module importing the store is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from casegrade import store\nfrom casegrade.core import holdings\n", "utf-8")
    assert {"casegrade.store", "casegrade.core.holdings"} <= imports_of(bad)
    assert {"store", "core"} <= {layer(name) for name in imports_of(bad) if name in MODULES}


def test_every_criterion_has_its_words_and_every_word_a_criterion():
    assert list(CRITERION_WORDS) == list(CRITERIA)


def test_the_policy_reads_each_threshold_as_its_criterion_says(policy):
    """The policy file's thresholds are parsed by the kind the registry gives each criterion:
    money in yuan kept in fen, counts whole, flags true."""
    for required in policy.thresholds.values():
        for criterion_id, value in required.items():
            kind = CRITERIA[criterion_id].kind
            assert value is True if kind is ThresholdKind.FLAG else type(value) is int
    assert policy.thresholds[Grade.JUNIOR]["avg_annual_penalty"] == 30_000_00  # 30,000 yuan


def test_the_command_line_loads_no_heavy_module_until_a_command_runs():
    """`casegrade --help` and `--version` start as fast as a bare Typer app: the store, the core,
    the views, sqlite-utils and openpyxl load with the commands that use them."""
    import subprocess
    import sys

    probe = (
        "import sys, casegrade.cli; "
        "print(sorted(m for m in ('sqlite_utils', 'openpyxl', 'dateutil', 'casegrade.store', "
        "'casegrade.core.procedure', 'casegrade.views.evaluation', 'rich.table') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_version(run):
    from importlib.metadata import version

    assert run("--version").stdout == f"casegrade {version('casegrade')}\n"
