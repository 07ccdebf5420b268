"""The sample bureau (sample_data/): where its files are, and loading it into a database through
the same imports and steps as the clerk's (`casegrade demo`).
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from importlib import resources
from pathlib import Path

from sqlite_utils import Database

from casegrade import store
from casegrade.core import procedure
from casegrade.core.imports import (
    import_file,
)
from casegrade.errors import CasegradeError
from casegrade.policy import Policy
from casegrade.rules import Context, Evaluation

# Import order matters: the others name officers; exams and decisions name applications, and
# decisions are checked against the round, which is created after the applications.
SAMPLE_RECORDS = ("officers", "honors", "cases", "applications")
SAMPLE_PROCEDURE = ("exams", "decisions", "assessments", "complaints", "incidents")
SAMPLE_DURING_TERM = ("ratings", "reports", "trainings")  # ratings need the appointments
SAMPLE_ROUND = "2026"
SAMPLE_AS_OF = date(2026, 6, 30)
SAMPLE_TERM_START = date(2026, 7, 1)


def sample_data_dir() -> Path:
    """The sample bureau's CSV files: shipped inside the package, or sample_data/ of a checkout."""
    packaged = Path(str(resources.files("casegrade"))) / "sample_data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "sample_data"


def demo_database(given: Path | None) -> Path:
    """Where ``casegrade demo`` builds: ``given`` when it does not exist yet, else a new
    temporary folder's casegrade.db. Never an existing database.

    Raises:
        CasegradeError: ``given`` exists already.
    """
    if given is None:
        return Path(tempfile.mkdtemp(prefix="casegrade-demo-")) / "casegrade.db"
    if given.exists():
        raise CasegradeError(
            f"{given} already exists; demo builds a new database, so give a "
            "path that does not exist, or leave out --db"
        )
    return given


def load_sample(
    db: Database, policy: Policy
) -> tuple[list[tuple[str, store.SaveCounts]], procedure.AppointmentResult]:
    """Import the sample bureau into ``db``, create its round 2026 (evaluated 2026-06-30, term
    from 2026-07-01), appoint it on the term's first day and import the term's ratings, reports
    and trainings. Returns (kind, counts) per file, and the appointment.

    Raises:
        ImportFailed, StoreError, ProcedureError: as the steps (the shipped files are tested).
    """
    folder = sample_data_dir()

    def load(kinds: tuple[str, ...]) -> list[tuple[str, store.SaveCounts]]:
        return [
            (kind, import_file(db, kind, folder / f"{kind}.csv", policy).changes.counts)
            for kind in kinds
        ]

    counts = load(SAMPLE_RECORDS)
    procedure.create_round(db, SAMPLE_ROUND, SAMPLE_AS_OF, SAMPLE_TERM_START, policy)
    counts += load(SAMPLE_PROCEDURE)
    appointed = procedure.appoint(db, SAMPLE_ROUND, SAMPLE_TERM_START, policy)
    counts += load(SAMPLE_DURING_TERM)
    return counts, appointed


@dataclass(frozen=True)
class Demo:
    """What `casegrade demo` did. Attributes: loaded ((kind, counts) per file), appointed (the
    appointment), context (the round's evaluation date, term and policy), evaluations (every
    application of the round)."""

    loaded: list[tuple[str, store.SaveCounts]]
    appointed: procedure.AppointmentResult
    context: Context
    evaluations: list[Evaluation]


def demo(db: Database, policy: Policy) -> Demo:
    """The sample bureau loaded into ``db`` (load_sample) and its round evaluated.

    Raises:
        ImportFailed, StoreError, ProcedureError, EvaluationError: as the steps.
    """
    loaded, appointed = load_sample(db, policy)
    context = Context.on(SAMPLE_AS_OF, policy, SAMPLE_TERM_START)
    return Demo(loaded, appointed, context, procedure.evaluate_round(db, SAMPLE_ROUND, context))
