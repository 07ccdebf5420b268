"""An import holds a file of any size in flat memory (issue 10): a generated county's 200,000
cases imported in a process of their own, whose peak memory is measured; then the same cases
again with a field changed on every row (each a change, with its audit entry)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from casegrade.core.imports import import_file
from casegrade.policy import load_policy
from casegrade.store import open_db

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
PEAK_MB = 200  # the target for two million cases; the county's file is a tenth of that


def peak_mb(database: Path, data: Path) -> float:
    """The peak memory, in MB, of a process importing ``data``/cases.csv into ``database``."""
    worker = [sys.executable, str(BENCHMARKS / "run.py"), "--worker", "import", "casegrade"]
    done = subprocess.run(
        [*worker, str(database), "cases", str(data)], capture_output=True, text=True, check=True
    )
    measured = json.loads(done.stdout.splitlines()[-1])
    if not measured["peak_mb"]:
        pytest.skip("this system reports no peak memory")
    return measured["peak_mb"]


@pytest.mark.slow
def test_importing_200000_cases_stays_under_200_mb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    from generate import generate

    data = tmp_path / "data"
    generate(data, 2_000, 200_000)
    database = tmp_path / "county.db"
    db = open_db(database)
    import_file(db, "officers", data / "officers.csv", load_policy())
    db.conn.close()
    assert peak_mb(database, data) < PEAK_MB
    count = open_db(database, write=False).execute("select count(*) from cases").fetchone()
    assert count == (200_000,)
    changed = tmp_path / "changed"
    changed.mkdir()
    with (
        (data / "cases.csv").open(encoding="utf-8", newline="") as source,
        (changed / "cases.csv").open("w", encoding="utf-8", newline="") as target,
    ):
        rows = csv.reader(source)
        out = csv.writer(target)
        out.writerow(next(rows))
        out.writerows([*row[:-1], "否" if row[-1] == "是" else "是"] for row in rows)
    assert peak_mb(database, changed) < PEAK_MB
    flipped = open_db(database, write=False).execute(
        "select count(*) from audit where action = 'change' and table_name = 'cases'"
    )
    assert flipped.fetchone() == (200_000,)
