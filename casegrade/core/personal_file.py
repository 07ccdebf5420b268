"""一人一档: everything on record about one officer as it stood on a day (Seed S1.3, S3.2), for
the views to show, export and print.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from casegrade import store
from casegrade.lifecycle import Holding, grade_of, holding
from casegrade.policy import Policy
from casegrade.records import (
    AnnualAssessment,
    Complaint,
    Exam,
    Honor,
    Incident,
    Officer,
    Rating,
    Report,
    Sanction,
    Training,
)
from casegrade.rules import full_years, is_big_case, retirement_date
from casegrade.vocab import Grade


@dataclass(frozen=True)
class CaseYear:
    """Cases led in one calendar year. Attributes: year, count, value_fen, penalty_fen, big
    (cases of 10,000 yuan or more by the policy's basis), typical (selected as typical)."""

    year: int
    count: int
    value_fen: int
    penalty_fen: int
    big: int
    typical: int


@dataclass(frozen=True)
class PersonalFile:
    """One officer's file, as of a day.

    Attributes:
        officer: basic data; as_of: the day; service_years: full years of enforcement work;
        retires_on: the day retirement age is reached; holdings: grades held (with sanctions);
        honors, exams, ratings, assessments, complaints, incidents, sanctions, trainings,
        reports: the records, oldest first; cases: cases led, summed per year; grade: the grade
        held on as_of (None: none).
    """

    officer: Officer
    as_of: date
    service_years: int
    retires_on: date
    holdings: list[Holding]
    honors: list[Honor]
    cases: list[CaseYear]
    exams: list[Exam]
    ratings: list[Rating]
    assessments: list[AnnualAssessment]
    complaints: list[Complaint]
    incidents: list[Incident]
    sanctions: list[Sanction]
    trainings: list[Training]
    reports: list[Report]
    grade: Grade | None = None


def personal_file(db: Database, officer: Officer, as_of: date, policy: Policy) -> PersonalFile:
    """Everything on record about ``officer`` as it stood on ``as_of``: records dated after it,
    and grades appointed after it, are left out."""
    officer_id = officer.officer_id

    def dated(table: str, when: str) -> list:
        return [r for r in store.of_officer(db, table, officer_id) if getattr(r, when) <= as_of]

    years: dict[int, list] = defaultdict(list)
    for case in store.cases_led(db, officer_id):
        if case.decision_date <= as_of:
            years[case.decision_date.year].append(case)
    cases = [
        CaseYear(
            year,
            len(found),
            sum(c.case_value_fen for c in found),
            sum(c.penalty_fen for c in found),
            sum(is_big_case(c, policy) for c in found),
            sum(c.typical_level is not None for c in found),
        )
        for year, found in sorted(years.items())
    ]
    revoked = [r for r in store.revocations(db) if r.effective_on <= as_of]
    sanctions = dated("sanctions", "effective_on")
    holdings = [
        holding(a, officer, revoked, policy, sanctions)
        for a in store.appointments(db, officer_id=officer_id)
        if a.term_start <= as_of
    ]
    rounds = {r.round: r.evaluate_on for r in store.all_rounds(db)}
    exams = [
        e for e in store.exams(db, officer_id=officer_id) if rounds.get(e.round, as_of) <= as_of
    ]
    return PersonalFile(
        officer,
        as_of,
        full_years(officer.enforcement_start, as_of),
        retirement_date(officer, policy),
        holdings,
        dated("honors", "date"),
        cases,
        exams,
        dated("ratings", "rated_on"),
        [a for a in store.of_officer(db, "assessments", officer_id) if a.year <= as_of.year],
        dated("complaints", "date"),
        dated("incidents", "date"),
        dated("sanctions", "effective_on"),
        dated("trainings", "date"),
        dated("reports", "date"),
        grade_of(holdings, officer_id, as_of),
    )
