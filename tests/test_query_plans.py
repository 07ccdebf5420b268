"""Every query the everyday commands run reads cases and honors through an index: none scans
either table whole (issue 10: at a province's size a scan of 2,000,000 cases is the difference
between a tenth of a second and half a minute)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest

from casegrade import store
from casegrade.core import imports
from casegrade.core.sample import sample_data_dir
from casegrade.policy import load_policy

BIG_TABLES = ("cases", "honors")
COMMANDS = {
    "evaluate": ["evaluate", "--round", "2026", "--as-of", "2026-06-30"],
    "evaluate --officer": [
        "evaluate",
        "--round",
        "2026",
        "--as-of",
        "2026-06-30",
        "--officer",
        "0107",
    ],
    "roster": ["roster", "--as-of", "2026-07-01"],
    "bulletin": ["bulletin", "--quarter", "2026Q3"],
    "lead-check": ["lead-check"],
    "decide": ["decide", "2026", "0107", "--approve", "--on", "2026-06-30"],
    "file": ["file", "0107", "--as-of", "2027-01-01"],
    "can-lead": ["can-lead", "0107", "--case-type", "无照经营", "--value", "3000"],
}


@pytest.fixture
def statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every SQL statement run on a connection the store opens, as SQLite expands it."""
    seen: list[str] = []
    connect = store._connect

    def traced(path: Path, write: bool) -> sqlite3.Connection:
        connection = connect(path, write)
        connection.set_trace_callback(seen.append)
        return connection

    monkeypatch.setattr(store, "_connect", traced)
    return seen


def full_scans(database: Path | sqlite3.Connection, sql: str) -> list[str]:
    """The plan steps of ``sql`` that read cases or honors whole (by name or by alias), asked
    of a read-only connection to ``database``, or of the connection that ran it (whose
    temporary tables it may read)."""
    names = set(BIG_TABLES)
    for table in BIG_TABLES:
        names |= set(re.findall(rf"\[?{table}\]?\s+(?:as\s+)?(\w+)", sql, re.IGNORECASE))
    names -= {"on", "where", "join", "group", "order", "left", "inner", "using", "limit"}
    if isinstance(database, sqlite3.Connection):
        plan = database.execute(f"explain query plan {sql}").fetchall()
    else:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as plain:
            plan = plain.execute(f"explain query plan {sql}").fetchall()
    return [
        detail
        for *_, detail in plan
        if (found := re.match(r"SCAN (\w+)", detail)) and found.group(1) in names
    ]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_no_command_scans_cases_or_honors_whole(
    command: str, bureau: Path, run: Callable, statements: list[str]
) -> None:
    run("--db", bureau, *COMMANDS[command], ok=False)  # a refusal runs its checks all the same
    queries = [
        s
        for s in statements
        if s.lstrip().lower().startswith(("select", "with"))
        and "temp." not in s  # a save's stage (store.Stage): this connection's own table
    ]
    assert queries  # the trace saw the command's queries
    scans = {sql: steps for sql in queries if (steps := full_scans(bureau, sql))}
    assert not scans, scans


def test_the_plan_check_sees_a_full_scan(bureau: Path) -> None:
    assert full_scans(bureau, "select * from cases where penalty_fen > 0") == ["SCAN cases"]
    assert full_scans(bureau, "select c.* from honors c") == ["SCAN c"]
    assert not full_scans(bureau, "select * from cases where case_number = 'x'")


@pytest.mark.parametrize("kind", BIG_TABLES)
def test_an_import_compares_its_rows_with_the_table_through_its_index(
    kind: str, bureau: Path, statements: list[str]
) -> None:
    """The stage's queries (repeated keys, the plan, renamed keys): none reads the table whole,
    asked of the connection that holds the stage; but --replace, which finds the stored rows
    the file does not have, reads every stored row by design (in key order, through the
    key's index)."""
    db = store.open_db(bureau)
    path = sample_data_dir() / f"{kind}.csv"
    imports.import_file(db, kind, path, load_policy(), replace=True, dry_run=True)
    staged = [  # each once: a statement run again is traced again
        sql
        for sql in dict.fromkeys(statements)
        if "temp." in sql
        and sql.lstrip().lower().startswith(("select", "with", "update", "insert"))
    ]
    assert staged
    scans = {sql: steps for sql in staged if (steps := full_scans(db.conn, sql))}
    (replacing,) = [sql for sql in staged if sql.startswith("insert") and "'remove'" in sql]
    assert scans.pop(replacing) == [f"SCAN t USING INDEX sqlite_autoindex_{kind}_1"]
    assert not scans, scans
