"""Shared fixtures. A test module takes whatever it shares with others from here, as a fixture;
no test module imports another (nor this one).

- Safety (autouse): every test runs in a folder of its own, CASEGRADE_DB points into it (never
  at the user's database) and COLUMNS is unset (tables print as wide as on a pipe, whoever runs
  the tests and however: pytest-xdist's workers set COLUMNS=80).
- The command line: ``run`` (casegrade in this process), ``round_2026`` and
  ``create_round_2026`` (the test round's options and the command that creates it),
  ``table_rows`` (the rows of the tables a command printed), ``csv_file`` (a CSV file in the
  test's folder), ``dump`` (a database's whole content).
- Records: ``officer``, ``honor``, ``case``, ``file_of`` and ``context`` build one valid record
  each, any field overridden by keyword (officer 0107 and round 2026, evaluated on 2026-06-30).
- Databases built once per run into the session's temporary folder, then copied per test
  (no test writes a built file): ``sample_bureau_file`` → ``bureau``; ``prepared_file`` →
  ``prepared``; ``appointed_file`` → ``appointed``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from casegrade import store
from casegrade.core import sample
from casegrade.policy import Policy, load_policy
from casegrade.records import Case, Honor, Officer
from casegrade.rules import Context, OfficerFile
from casegrade.store import open_db
from casegrade.vocab import HonorKind, HonorLevel, Sex

if TYPE_CHECKING:
    from click.testing import Result

AS_OF = date(2026, 6, 30)  # round 2026's evaluation date: the records below are made for it


@pytest.fixture(autouse=True)
def _no_real_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's database and terminal: CASEGRADE_DB and the cwd
    point to tmp, and COLUMNS is unset."""
    monkeypatch.setenv("CASEGRADE_DB", str(tmp_path / "env.db"))
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def db(tmp_path: Path):
    return open_db(tmp_path / "test.db")


# --- the command line -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def run() -> Callable[..., Result]:
    """``run(*args, ok=True, input=None)``: casegrade with these arguments (any object, as
    text), in this process; its standard input ``input``. Returns click's result (``stdout``,
    ``stderr``, ``output``, ``exit_code``); unless ``ok=False``, asserts that it exited 0."""
    from typer.testing import CliRunner

    from casegrade.cli import app

    runner = CliRunner()

    def invoke(*args: object, ok: bool = True, input: str | None = None) -> Result:
        result = runner.invoke(app, [str(a) for a in args], input=input)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    return invoke


@pytest.fixture(scope="session")
def round_2026() -> list[str]:
    """The options of an evaluation of round 2026 on its evaluation date."""
    return ["--round", "2026", "--as-of", "2026-06-30"]


@pytest.fixture(scope="session")
def create_round_2026() -> list[str]:
    """The command creating round 2026: evaluated on 2026-06-30, term from 2026-07-01."""
    return ["round", "create", "2026", "--evaluate-on", "2026-06-30", "--term-start", "2026-07-01"]


@pytest.fixture(scope="session")
def table_rows() -> Callable[[str], list[dict[str, str]]]:
    """``table_rows(output)``: the rows of every table in a command's output, in order, each as
    {column header: cell text}; a totals row is a row too. On a pipe casegrade prints a table
    as wide as its cells, so no cell is wrapped onto a second line."""

    def rows(output: str) -> list[dict[str, str]]:
        found: list[dict[str, str]] = []
        header: list[str] | None = None
        for line in output.splitlines():
            if line.startswith("┌"):
                header = None  # a new table
            elif line.startswith("│"):
                cells = [cell.strip() for cell in line.rstrip().strip("│").split("│")]
                if header is None:
                    header = cells
                else:
                    found.append(dict(zip(header, cells, strict=True)))
        return found

    return rows


@pytest.fixture
def csv_file(tmp_path: Path) -> Callable[[str, str], Path]:
    """``csv_file(kind, text)``: ``text`` written to {the test's folder}/{kind}.csv in UTF-8
    (again over the last one of that kind); its path."""

    def write(kind: str, text: str) -> Path:
        path = tmp_path / f"{kind}.csv"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def dump() -> Callable[[Path], list[str]]:
    """``dump(path)``: every statement that would rebuild the database at ``path``: its whole
    content, WAL included."""

    def statements(path: Path) -> list[str]:
        with sqlite3.connect(path) as connection:
            return list(connection.iterdump())

    return statements


# --- records --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def officer() -> Callable[..., Officer]:
    """``officer(**changes)``: 0107 测试员, a male cadre born 1986-05-04 (40 in the term), of
    东关所, in enforcement since 2015-03-01; any field changed by keyword."""

    def build(**changes) -> Officer:
        base = Officer(
            officer_id="0107",
            name="测试员",
            sex=Sex.MALE,
            birth_date=date(1986, 5, 4),
            unit="东关所",
            enforcement_start=date(2015, 3, 1),
        )
        return replace(base, **changes)

    return build


@pytest.fixture(scope="session")
def honor() -> Callable[..., Honor]:
    """``honor(granted=2024-05-01, **changes)``: a municipal, enforcement-related commendation
    of officer 0107, named after its date."""

    def build(granted: date = date(2024, 5, 1), **changes) -> Honor:
        base = Honor("0107", granted, HonorLevel.MUNICIPAL, HonorKind.OTHER, f"荣誉{granted}")
        return replace(base, **changes)

    return build


@pytest.fixture(scope="session")
def case() -> Callable[..., Case]:
    """``case(decided=2025-01-10, penalty_yuan=1000, **changes)``: a 无照经营 case led by officer
    0107, case value 5,000 yuan; each with a case number of its own (T00001, T00002, ...)."""
    numbers = count(1)

    def build(decided: date = date(2025, 1, 10), penalty_yuan: int = 1000, **changes) -> Case:
        base = Case(
            case_number=f"T{next(numbers):05d}",
            lead_officer_id="0107",
            case_type="无照经营",
            case_value_fen=500_000,
            penalty_fen=penalty_yuan * 100,
            decision_date=decided,
        )
        return replace(base, **changes)

    return build


@pytest.fixture(scope="session")
def file_of(officer: Callable[..., Officer]) -> Callable[..., OfficerFile]:
    """``file_of(*records, who=officer())``: an officer file from a mix of honors and cases."""

    def build(*records: Honor | Case, who: Officer | None = None) -> OfficerFile:
        return OfficerFile(
            who or officer(),
            tuple(r for r in records if isinstance(r, Honor)),
            tuple(r for r in records if isinstance(r, Case)),
        )

    return build


@pytest.fixture(scope="session")
def context() -> Callable[..., Context]:
    """``context(policy, as_of=2026-06-30)``: the evaluation context on ``as_of`` (the term
    starting the next day)."""

    def build(policy: Policy, as_of: date = AS_OF) -> Context:
        return Context.on(as_of, policy)

    return build


# --- databases built once per run, copied per test ------------------------------------------------


def settled(path: Path) -> Path:
    """The database at ``path`` checkpointed into its one file, nothing left beside it: a file
    to copy."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()
    return path


def copy_into(source: Path, target: Path) -> Path:
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, target))


@pytest.fixture(scope="session")
def sample_bureau_file(tmp_path_factory: pytest.TempPathFactory, policy: Policy) -> Path:
    """The sample bureau with round 2026 appointed (term 2026-07-01 to 2028-06-30), built once
    per run into one file (checkpointed, closed). Tests never write it: copy it (``bureau``)."""
    path = tmp_path_factory.mktemp("sample-bureau") / "bureau.db"
    db = open_db(path)
    sample.load_sample(db, policy)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def bureau(sample_bureau_file: Path, tmp_path: Path) -> Path:
    """A copy of the sample bureau of the test's own, at office/casegrade.db (an empty folder
    beside it, for its backups)."""
    copy = tmp_path / "office" / "casegrade.db"
    copy.parent.mkdir()
    store.copy_database(sample_bureau_file, copy)
    return copy


# Officer 0107 alone, meeting junior exactly on 2026-06-30: 11 years of service, one municipal
# honor, 60,000 yuan of penalties and four cases of 10,000 yuan in the two years before.
PREPARED_RECORDS = {
    "officers": "执法证号,姓名,性别,出生日期,单位,执法起始日期,退休日期\n"
    "0107,赵波,男,1986-05-04,东关所,2015-03-01,\n",
    "honors": "执法证号,授予日期,级别,类别,荣誉名称\n0107,2024-05-01,市级,表彰,全市办案能手\n",
    "cases": "案号,主办人,案件类型,案值,罚没金额,决定日期\n"
    + "".join(f"A{n},0107,无照经营,10000,15000,2025-0{n}-10\n" for n in range(1, 5)),
    "applications": "届次,执法证号,申报级别,申报日期\n2026,0107,初级,2026-05-11\n",
}


@pytest.fixture(scope="session")
def prepared_file(
    tmp_path_factory: pytest.TempPathFactory, run, create_round_2026: list[str]
) -> Path:
    """Officer 0107 (赵波, 东关所, born 1986-05-04, in enforcement since 2015-03-01, no
    retirement date on record) alone, meeting junior exactly and nothing above it: one municipal
    honor (2024-05-01), cases A1-A4 of 10,000 yuan with 15,000 yuan of penalty each (decided
    2025-01-10 to 2025-04-10); applied for junior in round 2026, the round created (evaluated on
    2026-06-30, term 2026-07-01 to 2028-06-30), exam score 60. Nothing decided. Built once per
    run through the commands; tests copy it (``prepared``)."""
    folder = tmp_path_factory.mktemp("prepared")
    path = folder / "procedure.db"

    def load(kind: str, text: str) -> None:
        (folder / f"{kind}.csv").write_text(text, encoding="utf-8")
        run("--db", path, "import", kind, folder / f"{kind}.csv")

    for kind, text in PREPARED_RECORDS.items():
        load(kind, text)
    run("--db", path, *create_round_2026)
    load("exams", "届次,执法证号,成绩\n2026,0107,60\n")
    return settled(path)


@pytest.fixture(scope="session")
def appointed_file(tmp_path_factory: pytest.TempPathFactory, run, prepared_file: Path) -> Path:
    """``prepared_file`` with 0107 approved for junior (2026-06-30) and appointed for the
    2026-2028 term (on 2026-07-01) under the shipped policy. Built once per run; tests copy it
    (``appointed``)."""
    path = copy_into(prepared_file, tmp_path_factory.mktemp("appointed") / "procedure.db")
    run("--db", path, "decide", "2026", "0107", "--approve", "--on", "2026-06-30")
    run("--db", path, "appoint", "2026", "--on", "2026-07-01")
    return settled(path)


@pytest.fixture
def prepared(prepared_file: Path, tmp_path: Path) -> Path:
    """A copy of ``prepared_file`` of the test's own, at procedure.db in its folder."""
    return copy_into(prepared_file, tmp_path / "procedure.db")


@pytest.fixture
def appointed(appointed_file: Path, tmp_path: Path) -> Path:
    """A copy of ``appointed_file`` of the test's own, at procedure.db in its folder: 0107
    holds junior from 2026-07-01 to 2028-06-30."""
    return copy_into(appointed_file, tmp_path / "procedure.db")
