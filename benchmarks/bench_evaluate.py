"""Time the main job on the sample bureau: import the four files, evaluate and render the round.

Run on demand (not part of the tests): python benchmarks/bench_evaluate.py
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from rich.console import Console

from casegrade.core import procedure, sample
from casegrade.policy import load_policy
from casegrade.rules import Context
from casegrade.store import open_db
from casegrade.views import evaluation, export


def timed(label: str, fn, repeat: int = 1):
    best, result = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    print(f"{label:<42} {best * 1000:9.1f} ms (best of {repeat})")
    return result


def main() -> None:
    policy = load_policy()
    ctx = Context.on(sample.SAMPLE_AS_OF, policy)
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        timed(
            "import, appoint the sample bureau (12 files)", lambda: sample.load_sample(db, policy)
        )
        timed("import it again (nothing changes)", lambda: sample.load_sample(db, policy), 3)
        evaluations = timed(
            "evaluate 169 applications",
            lambda: procedure.evaluate_round(db, sample.SAMPLE_ROUND, ctx),
            5,
        )
        timed("render JSON", lambda: export.evaluations_json(evaluations, "2026", ctx), 5)
        with (Path(folder) / "table.txt").open("w", encoding="utf-8") as out:
            console = Console(file=out, width=120)
            table = evaluation.evaluation_table(evaluations, "2026", ctx)
            timed("render table at 120 columns", lambda: console.print(table), 3)
        cases = db["cases"].count
        print(
            f"records: {db['officers'].count} officers, {db['honors'].count} honors, {cases} cases"
        )


if __name__ == "__main__":
    main()
