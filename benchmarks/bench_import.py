"""Time imports of office-sized and county-sized files: first import, the same file again
(nothing changes), a dry run, and a workbook.

Run on demand (not part of the tests): python benchmarks/bench_import.py [--officers 20000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from openpyxl import Workbook

from casegrade.core import imports
from casegrade.policy import load_policy
from casegrade.store import open_db

OFFICER_HEADER = ["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"]
CASE_HEADER = ["案号", "主办人", "案件类型", "案值", "罚没金额", "决定日期"]


def timed(label: str, fn) -> None:
    start = time.perf_counter()
    report = fn()
    seconds = time.perf_counter() - start
    counts = report.changes.counts
    print(
        f"{label:<44} {seconds:7.2f} s  ({counts.added} added, {counts.changed} changed, "
        f"{counts.unchanged} unchanged)"
    )


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    lines = [",".join(header), *(",".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--officers", type=int, default=20_000)
    parser.add_argument("--cases-per-officer", type=int, default=3)
    args = parser.parse_args()
    policy = load_policy()
    width = len(str(args.officers))
    ids = [f"{i:0{width + 1}d}" for i in range(1, args.officers + 1)]
    officers = [[i, f"员{i}", "东关所", "2015-03-01", "1990-03-07", "男"] for i in ids]
    cases = [
        [
            f"东监罚〔2025〕{n:07d}号",
            ids[n % len(ids)],
            "无照经营",
            "12000.00",
            "40000",
            "2025-03-01",
        ]
        for n in range(args.officers * args.cases_per_officer)
    ]
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        db = open_db(root / "bench.db")
        officer_file = write_csv(root / "officers.csv", OFFICER_HEADER, officers)
        case_file = write_csv(root / "cases.csv", CASE_HEADER, cases)
        book = Workbook()
        book.active.append(OFFICER_HEADER)
        for row in officers[:5000]:
            book.active.append(row)
        book.save(root / "officers.xlsx")

        def run(path: Path, kind: str, **options: object):
            return lambda: imports.import_file(db, kind, path, policy, **options)

        timed(f"import {len(officers):,} officers (CSV)", run(officer_file, "officers"))
        timed("the same officers again", run(officer_file, "officers"))
        timed("the same officers, --dry-run", run(officer_file, "officers", dry_run=True))
        timed("5,000 officers from a workbook", run(root / "officers.xlsx", "officers"))
        timed(f"import {len(cases):,} cases (CSV)", run(case_file, "cases"))
        timed("the same cases again", run(case_file, "cases"))


if __name__ == "__main__":
    main()
