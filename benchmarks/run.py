"""casegrade against the floor: each operation timed beside plain Python + sqlite3 doing the same
data work on the same data, in the same run, with a check that both gave the same result.

    python benchmarks/run.py                    # the bureau: 169 officers (the sample's size)
    python benchmarks/run.py --size province    # 20,000 officers, 2,000,000 cases
    python benchmarks/run.py --officers 2000 --cases 200000 --repeat 3

Each measurement runs in a fresh process (this file with --worker), which reports its wall and CPU
time and its peak memory (ru_maxrss); the table gives the median of --repeat runs and the largest
peak. Data comes from benchmarks/generate.py (fixed seed).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SIZES = {"bureau": (169, None), "province": (20_000, 2_000_000)}
AS_OF, TERM_START = date(2026, 6, 30), date(2026, 7, 1)
WINDOW = ("2024-07-01", "2026-06-30")
# the floor of start-up: a 5-line Typer app, and one with two commands for a subcommand's --help
BARE_TYPER = """import typer
app = typer.Typer(
    add_completion=True,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)  # as casegrade's
@app.command()
def main(name: str = "x", version: bool = False):
    print(name)
app()
"""
BARE_GROUP = BARE_TYPER.replace("def main(", "def other():\n    pass\n@app.command()\ndef main(")


# --- the work, casegrade's and the floor's (run inside a worker process) ------------------------


def _digest(rows: Any) -> str:
    return hashlib.sha256(json.dumps(rows, default=str, ensure_ascii=False).encode()).hexdigest()[
        :12
    ]


def _table_digest(db_path: str, kind: str) -> str:
    """The table's rows, every column, in key order (the same rows, stored the same way)."""
    with sqlite3.connect(db_path) as connection:
        return _digest(connection.execute(f"select * from {kind} order by 1, 2, 3").fetchall())


def _import(db_path: str, kind: str, data: str) -> str:
    from casegrade.core import imports
    from casegrade.policy import load_policy
    from casegrade.store import open_db

    db = open_db(Path(db_path))
    imports.import_file(db, kind, Path(data) / f"{kind}.csv", load_policy())
    db.conn.close()  # the WAL merged into the file, which the run copies
    return ""  # the table is compared after the run (run.main), outside the measurement


def _plain_import(db_path: str, kind: str, data: str) -> str:
    """csv.reader + executemany into the same table (values converted as casegrade stores them)."""
    columns = {
        "officers": ("officer_id", "name", "sex", "birth_date", "unit", "enforcement_start"),
        "honors": ("officer_id", "date", "level", "kind", "name", "enforcement_related"),
        "cases": (
            "case_number",
            "lead_officer_id",
            "assistant_officer_id",
            "case_type",
            "case_value_fen",
            "penalty_fen",
            "decision_date",
            "typical_level",
            "typical_date",
            "complex",
        ),
        "applications": ("round", "officer_id", "grade", "applied_on"),
    }[kind]
    words = {"男": "male", "女": "female", "县级": "county", "市级": "municipal"}
    words |= {"省级": "provincial", "国家级": "national", "称号": "title", "表彰": "other"}
    words |= {"是": 1, "否": 0}
    words |= {"初级": "junior", "中级": "intermediate", "高级": "senior"}

    def value(column: str, text: str) -> Any:
        if column.endswith("_fen"):
            return round(float(text) * 100)
        if column in ("assistant_officer_id", "typical_level", "typical_date") and not text:
            return None
        return words.get(text, text)

    with open(Path(data) / f"{kind}.csv", encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        if kind == "officers":  # the file has 退休类别 last; the table needs it as a word
            columns = (*columns, "retirement_category")
            words["干部"] = "cadre"
        rows = ([value(c, t) for c, t in zip(columns, row, strict=True)] for row in reader)
        connection = sqlite3.connect(db_path)
        connection.execute("PRAGMA cache_size = -65536")  # the page cache casegrade's imports use
        marks = ", ".join("?" for _ in columns)
        with connection:
            connection.executemany(
                f"insert into {kind} ({', '.join(columns)}) values ({marks})", rows
            )
        connection.close()
    return ""


def _evaluation_figures(db_path: str, officer_id: str | None) -> str:
    from casegrade.core import procedure
    from casegrade.policy import load_policy
    from casegrade.rules import Context
    from casegrade.store import open_db

    db = open_db(Path(db_path), write=False)
    ctx = Context.on(AS_OF, load_policy(), TERM_START)
    found = []
    for ev in procedure.evaluate_round(db, "2026", ctx, officer_id):
        actual = {f.criterion: f.actual for f in ev.findings[ev.application.grade]}
        found.append(
            (
                ev.officer.officer_id,
                actual["honors"],
                int(actual["avg_annual_penalty"] * 2),
                int(actual["avg_annual_big_cases"] * 2),
            )
        )
    return _digest(sorted(found))


def _plain_evaluation_figures(db_path: str, officer_id: str | None) -> str:
    """The same figures by SQL: honors that count, the window's penalties and big cases led."""
    connection = sqlite3.connect(db_path)
    where = "where a.round = '2026'" + (" and a.officer_id = ?" if officer_id else "")
    params = [officer_id] if officer_id else []
    honors = dict(
        connection.execute(
            "select a.officer_id, count(h.officer_id) from applications a left join honors h "
            "on h.officer_id = a.officer_id and h.enforcement_related = 1 and h.date <= ? "
            f"and h.level in ('municipal', 'provincial', 'national') {where} group by a.officer_id",
            [AS_OF.isoformat(), *params],
        ).fetchall()
    )
    cases = {
        row[0]: row[1:]
        for row in connection.execute(
            "select a.officer_id, coalesce(sum(c.penalty_fen), 0), "
            "coalesce(sum(c.case_value_fen >= 1000000), 0) from applications a left join cases c "
            "on c.lead_officer_id = a.officer_id and c.decision_date between ? and ? "
            f"{where} group by a.officer_id",
            [*WINDOW, *params],
        )
    }
    return _digest(sorted((o, honors[o], *cases[o]) for o in honors))


def _roster(db_path: str) -> str:
    from casegrade.core import holdings
    from casegrade.policy import load_policy
    from casegrade.store import open_db

    found = holdings.roster(open_db(Path(db_path), write=False), TERM_START, load_policy())
    return _digest(sorted(h.officer.officer_id for h in found))


def _plain_roster(db_path: str) -> str:
    rows = sqlite3.connect(db_path).execute(
        "select a.officer_id, o.name, o.unit, a.grade, a.term_start, a.term_end from "
        "appointments a join officers o using (officer_id) where ? between a.term_start and "
        "a.term_end",
        [TERM_START.isoformat()],
    )
    ids = []
    with tempfile.SpooledTemporaryFile(mode="w+") as out:  # the rows as CSV, like a report
        writer = csv.writer(out)
        for found in rows:
            writer.writerow(found)
            ids.append(found[0])
    return _digest(sorted(ids))


def _bulletin(db_path: str) -> str:
    from casegrade.core import figures
    from casegrade.policy import load_policy
    from casegrade.store import open_db

    found = figures.bulletin(open_db(Path(db_path), write=False), "2026Q3", load_policy())
    return _digest(sorted((h.officer.officer_id, len(cases)) for h, cases in found.rows))


def _plain_bulletin(db_path: str) -> str:
    rows = (
        sqlite3.connect(db_path)
        .execute(
            "select a.officer_id, count(c.case_number) from appointments a left join cases c on "
            "c.lead_officer_id = a.officer_id and c.decision_date between '2026-07-01' and "
            "'2026-09-30' where a.term_start <= '2026-09-30' and a.term_end >= '2026-07-01' "
            "group by a.officer_id"
        )
        .fetchall()
    )
    return _digest(sorted(rows))


def _decide(db_path: str, officer_id: str) -> str:
    """An approval of the officer's application: evaluated, then refused for want of an exam
    (the benchmark records none): the work of decide up to the write."""
    from casegrade.core import procedure
    from casegrade.errors import Refused
    from casegrade.policy import load_policy
    from casegrade.store import open_db

    db = open_db(Path(db_path))
    try:
        procedure.decide(
            db,
            "2026",
            officer_id,
            approve=True,
            grade=None,
            reason=None,
            on=AS_OF,
            policy=load_policy(),
        )
    except Refused as refused:
        return _digest(sorted(problem.code for problem in refused.problems))
    return "approved"


def _can_lead(db_path: str, officer_id: str) -> str:
    from casegrade.core import leading
    from casegrade.policy import load_policy
    from casegrade.store import officer, open_db

    db = open_db(Path(db_path), write=False)
    policy = load_policy()
    case_type = next(iter(policy.case_types))
    found = officer(db, officer_id)
    answer = leading.can_lead(db, found, case_type, 2_000_000, False, TERM_START, policy)
    return _digest([answer.officer.officer_id, str(answer.grade)])


def _personal_file(db_path: str, officer_id: str) -> str:
    from casegrade.core import personal_file
    from casegrade.policy import load_policy
    from casegrade.store import officer, open_db

    db = open_db(Path(db_path), write=False)
    found = personal_file.personal_file(db, officer(db, officer_id), AS_OF, load_policy())
    return _digest(found.officer.officer_id)


def _terms(db_path: str) -> str:
    from casegrade.core import holdings
    from casegrade.policy import load_policy
    from casegrade.store import open_db

    found = holdings.expiring(
        open_db(Path(db_path), write=False), date(2028, 4, 1), 90, load_policy()
    )
    return _digest(sorted(h.officer.officer_id for h in found))


def _plain_terms(db_path: str) -> str:
    rows = sqlite3.connect(db_path).execute(
        "select a.officer_id, o.name, o.unit, a.grade, a.term_end from appointments a join "
        "officers o using (officer_id) where '2028-04-01' between a.term_start and a.term_end "
        "and a.term_end <= '2028-06-30'"
    )
    return _digest(sorted(_as_csv(rows)))


def _lead_check(db_path: str) -> str:
    from casegrade.core import leading
    from casegrade.policy import load_policy
    from casegrade.store import open_db

    found = leading.lead_check(open_db(Path(db_path), write=False), load_policy())
    return _digest(len(found))


def _plain_lead_check(db_path: str) -> None:
    """The cases decided during the terms, with their lead's grade on the day (the policy's
    check of type and value is casegrade's own: the floor selects the rows it reads)."""
    rows = sqlite3.connect(db_path).execute(
        "select c.case_number, c.lead_officer_id, c.case_type, c.case_value_fen, a.grade from "
        "cases c left join appointments a on a.officer_id = c.lead_officer_id and "
        "c.decision_date between a.term_start and a.term_end where c.decision_date between "
        "(select min(term_start) from appointments) and (select max(term_end) from appointments)"
    )
    _as_csv(rows)
    return None  # lead-check answers only the cases led too high: no result to compare


def _as_csv(rows: Any) -> list[str]:
    """The rows written as CSV, as a report would be; their first cells."""
    firsts = []
    with tempfile.SpooledTemporaryFile(mode="w+") as out:
        writer = csv.writer(out)
        for found in rows:
            writer.writerow(found)
            firsts.append(found[0])
    return firsts


WORK = {
    "import": (_import, _plain_import),
    "evaluate": (_evaluation_figures, _plain_evaluation_figures),
    "roster": (_roster, _plain_roster),
    "bulletin": (_bulletin, _plain_bulletin),
    "decide": (_decide, None),
    "can-lead": (_can_lead, None),
    "file": (_personal_file, None),
    "terms": (_terms, _plain_terms),
    "lead-check": (_lead_check, _plain_lead_check),
}


def peak_mb() -> float:
    """This process's peak resident memory since it started, in MB: VmHWM (Linux), which starts
    again at exec, unlike ru_maxrss, which keeps the forking parent's peak."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    try:
        import resource  # POSIX only
    except ImportError:  # Windows: no figure
        return 0.0
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(args: list[str]) -> None:
    """Run one measured piece of work and print {"wall", "cpu", "peak_mb", "result"}."""
    work, which, *rest = args
    fn = WORK[work][0 if which == "casegrade" else 1]
    if which == "casegrade":  # start-up is measured on its own (--help, --version)
        import casegrade.core.figures
        import casegrade.core.holdings
        import casegrade.core.imports
        import casegrade.core.leading
        import casegrade.core.personal_file
        import casegrade.core.procedure  # noqa: F401
    started, cpu = time.perf_counter(), time.process_time()
    result = fn(*[None if a == "-" else a for a in rest])
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = peak_mb()
    print(json.dumps({"wall": wall, "cpu": cpu, "peak_mb": peak, "result": result}))


# --- the run ------------------------------------------------------------------------------------


def measure(
    args: list[str], repeat: int, fresh: Path | None = None, into: Path | None = None
) -> dict[str, Any]:
    """Median wall and CPU seconds and the largest peak of ``repeat`` worker runs; with ``fresh``,
    each run works on a new copy of that database at ``into``."""
    runs = []
    for _ in range(repeat):
        if fresh is not None and into is not None:
            copy_database(fresh, into)
        done = subprocess.run(
            [sys.executable, __file__, "--worker", *args], capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"{args}: {done.stderr}")
        runs.append(json.loads(done.stdout.splitlines()[-1]))
    return {
        "wall": statistics.median(r["wall"] for r in runs),
        "cpu": statistics.median(r["cpu"] for r in runs),
        "peak_mb": max(r["peak_mb"] for r in runs),
        "result": runs[-1]["result"],
    }


def copy_database(source: Path, target: Path) -> None:
    """``source`` (closed, its WAL merged) as a new database at ``target``: the old one's -wal and
    -shm files go too, or SQLite would replay them into the copy."""
    for end in ("", "-wal", "-shm"):
        Path(f"{target}{end}").unlink(missing_ok=True)
    shutil.copy(source, target)


def command_time(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def row(name: str, ours: dict[str, Any], floor: dict[str, Any] | None) -> list[str]:
    if floor is None or floor["result"] is None:
        same = "—"
    else:
        same = "yes" if ours["result"] == floor["result"] else "NO"
    cells = [name, f"{ours['wall']:.3f}", f"{ours['cpu']:.3f}", f"{ours['peak_mb']:.0f}"]
    if floor is None:
        return [*cells, "—", "—", "—", same]
    ratio = ours["wall"] / floor["wall"] if floor["wall"] else float("inf")
    return [*cells, f"{floor['wall']:.3f}", f"{floor['peak_mb']:.0f}", f"{ratio:.1f}×", same]


def prepare(folder: Path, officers: int, cases: int | None) -> dict[str, Path]:
    """The generated files, an empty casegrade database, and the plain database with every file
    imported."""
    sys.path.insert(0, str(HERE))
    from generate import generate

    from casegrade.store import open_db

    data = folder / "data"
    generate(data, officers, cases)
    empty = folder / "empty.db"
    open_db(empty, create=True).conn.close()
    plain = folder / "plain.db"
    copy_database(empty, plain)
    for kind in ("officers", "honors", "cases", "applications"):
        _plain_import(str(plain), kind, str(data))
    return {"data": data, "empty": empty, "plain": plain}


def complete(imported: Path, full: Path, data: str) -> None:
    """``full``: the database the imports built, with the applications imported, round 2026 and
    a third of the applicants appointed for 2026-07-01 to 2028-06-30 (set up by SQL: the
    benchmark times reading them)."""
    copy_database(imported, full)
    _import(str(full), "applications", data)
    with sqlite3.connect(full) as connection:
        connection.execute(
            "insert into rounds values ('2026', '2026-06-30', '2026-07-01', '2028-06-30')"
        )
        connection.execute(
            "insert into appointments (round, officer_id, grade, term_start, term_end, "
            "appointed_on, recorded_by, policy_version) select round, officer_id, grade, "
            "'2026-07-01', '2028-06-30', '2026-07-01', 'benchmark', '2026.1' from applications "
            "where abs(unicode(substr(officer_id, -1))) % 3 = 0"
        )
    connection.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="bureau")
    parser.add_argument("--officers", type=int)
    parser.add_argument("--cases", type=int)
    parser.add_argument("--repeat", type=int, default=None, help="default 5 (province: 1)")
    parser.add_argument("--worker", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker)
        return
    officers, cases = SIZES[args.size]
    officers, cases = args.officers or officers, args.cases or cases
    repeat = args.repeat or (1 if args.size == "province" else 5)
    folder = Path(tempfile.mkdtemp(prefix="casegrade-bench-"))
    started = time.perf_counter()
    paths = prepare(folder, officers, cases)
    print(
        f"{officers:,} officers, {cases or round(officers * 2964 / 169):,} cases; "
        f"median of {repeat}; data in {folder} (set up in {time.perf_counter() - started:.0f} s)"
    )
    table = []
    bare, group = folder / "bare_typer.py", folder / "bare_group.py"
    bare.write_text(BARE_TYPER, encoding="utf-8")
    group.write_text(BARE_GROUP, encoding="utf-8")
    for name, command, floor_command in (
        ("--help", ["casegrade", "--help"], [str(bare), "--help"]),
        ("--version", ["casegrade", "--version"], [str(bare), "--version"]),
        ("evaluate --help", ["casegrade", "evaluate", "--help"], [str(group), "main", "--help"]),
    ):
        ours = command_time(command, repeat)
        floor_help = command_time([sys.executable, *floor_command], repeat)
        table.append(
            [name, f"{ours:.3f}", "", "", f"{floor_help:.3f}", "", f"{ours / floor_help:.2f}×", "—"]
        )
    work = folder / "work.db"
    data = str(paths["data"])
    steps = [("officers", paths["empty"]), ("honors", None), ("cases", None)]
    base_ours, base_floor = paths["empty"], paths["empty"]
    for kind, _ in steps:
        ours = measure(["import", "casegrade", str(work), kind, data], repeat, base_ours, work)
        ours["result"] = _table_digest(str(work), kind)
        # the next kind starts from a database holding this one, for both
        step = folder / f"after-{kind}.db"
        copy_database(work, step)
        floor = measure(["import", "plain", str(work), kind, data], repeat, base_floor, work)
        floor["result"] = _table_digest(str(work), kind)
        table.append(row(f"import {kind}", ours, floor))
        base_ours = base_floor = step
        if kind == "officers":
            again = measure(["import", "casegrade", str(work), kind, data], repeat, step, work)
            first = {**ours, "result": None}  # a ratio to the first import: no result to compare
            table.append(row("re-import officers, unchanged (vs first import)", again, first))
    complete(step, folder / "casegrade.db", data)
    paths["full"] = folder / "casegrade.db"
    full, plain = str(paths["full"]), str(paths["plain"])
    with open(paths["data"] / "applications.csv", encoding="utf-8", newline="") as handle:
        applicant = list(csv.reader(handle))[1][1]
    copy = str(work)  # evaluate and decide write: each run on a new copy of the bureau
    one = [applicant]
    for name, work_args, floor_args, fresh in (
        ("evaluate the round (and record it)", ["evaluate", "-"], ["evaluate", "-"], True),
        ("evaluate --officer (and record it)", ["evaluate", *one], ["evaluate", *one], True),
        ("decide (one application, refused: no exam)", ["decide", *one], None, True),
        ("can-lead (one officer)", ["can-lead", *one], None, False),
        ("file (one officer's personal file)", ["file", *one], None, False),
        ("roster", ["roster"], ["roster"], False),
        ("terms (expiring within 90 days)", ["terms"], ["terms"], False),
        ("bulletin 2026Q3", ["bulletin"], ["bulletin"], False),
        ("lead-check (the cases of the terms)", ["lead-check"], ["lead-check"], False),
    ):
        kind, *rest = work_args
        ours_args = [kind, "casegrade", copy if fresh else full, *rest]
        ours = measure(ours_args, repeat, paths["full"] if fresh else None, work if fresh else None)
        floor = None
        if floor_args is not None:
            floor_kind, *floor_rest = floor_args
            floor_db = plain if floor_kind == "evaluate" else full
            floor = measure([floor_kind, "plain", floor_db, *floor_rest], repeat)
        table.append(row(name, ours, floor))
    bare_size = paths["plain"].stat().st_size
    size = paths["full"].stat().st_size
    table.append(
        [
            "database size (MB)",
            f"{size / 1e6:.1f}",
            "",
            "",
            f"{bare_size / 1e6:.1f}",
            "",
            f"{size / bare_size:.1f}×",
            "—",
        ]
    )
    demo_folder = folder / "demo"
    demo_folder.mkdir()
    demo = command_time(["casegrade", "--db", str(demo_folder / "d.db"), "demo"], 1)
    startup = command_time(["casegrade", "--version"], repeat)
    table.append(
        ["casegrade demo (beyond start-up)", f"{demo - startup:.3f}", "", "", "", "", "", "—"]
    )
    headers = [
        "operation",
        "wall s",
        "cpu s",
        "peak MB",
        "floor wall s",
        "floor peak MB",
        "ratio",
        "same",
    ]
    widths = [max(len(str(r[i])) for r in [headers, *table]) for i in range(len(headers))]
    for line in [headers, ["-" * w for w in widths], *table]:
        print("  ".join(str(cell).ljust(width) for cell, width in zip(line, widths, strict=True)))
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
