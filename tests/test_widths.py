"""Terminals as they are (issue 11): at 40, 60, 80 and 120 columns every name, 执法证号, case
number and date a command prints appears whole on one line; a table too wide becomes one block
per row."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

WIDTHS = (40, 60, 80, 120)


@pytest.fixture
def holders(bureau: Path) -> list[tuple[str, str, str]]:
    """(执法证号, name, term end) of every holder on 2026-07-01."""
    with sqlite3.connect(bureau) as connection:
        return connection.execute(
            "select a.officer_id, o.name, a.term_end from appointments a join officers o "
            "using (officer_id) where '2026-07-01' between a.term_start and a.term_end"
        ).fetchall()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_roster_keeps_every_name_and_number_whole(
    width: int, bureau: Path, holders, run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", str(width))
    output = run("--db", bureau, "roster", "--as-of", "2026-07-01").stdout
    lines = output.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= width * 2  # CJK: two columns a character
    for officer_id, name, term_end in holders:
        assert officer_id in output and name in output and term_end in output
    stacked = "执法证号：" in output
    assert stacked == (width < 90)  # the roster needs about 90 columns, its dates whole
    monkeypatch.setenv("COLUMNS", "200")
    wide = run("--db", bureau, "roster", "--as-of", "2026-07-01").stdout
    dates = re.compile(r"\d{4}-\d{2}-\d{2}")
    assert sorted(dates.findall(output)) == sorted(dates.findall(wide))  # the notes' dates too


@pytest.mark.parametrize("width", WIDTHS)
def test_lead_check_keeps_case_numbers_whole(
    width: int, appointed: Path, run, csv_file, monkeypatch: pytest.MonkeyPatch
) -> None:
    cases = csv_file(
        "cases",
        "案号,主办人,案件类型,案值,罚没金额,决定日期\n"
        "东监罚〔2026〕0235号,0107,商业贿赂,3000,500,2026-08-02\n"
        "东监罚〔2026〕0236号,0107,无照经营,10000,500,2026-08-03\n",
    )
    run("--db", appointed, "import", "cases", cases)
    monkeypatch.setenv("COLUMNS", str(width))
    output = run("--db", appointed, "lead-check").stdout
    for whole in ("东监罚〔2026〕0235号", "东监罚〔2026〕0236号", "2026-08-02", "赵波（0107）"):
        assert whole in output, (width, output)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_evaluation_keeps_every_applicant_whole(
    width: int, bureau: Path, run, round_2026, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sqlite3.connect(bureau) as connection:
        applicants = connection.execute(
            "select officer_id, name from officers join applications using (officer_id)"
        ).fetchall()
    monkeypatch.setenv("COLUMNS", str(width))
    output = run("--db", bureau, "evaluate", *round_2026).stdout
    for officer_id, name in applicants:
        assert officer_id in output and name in output
