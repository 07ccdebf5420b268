"""Case authority (Seed S1.1): may an officer lead a case of this type and value, and which cases on
record were led by someone without the grade they need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from casegrade import store
from casegrade.authority import Authority, may_lead, required_grade
from casegrade.core.holdings import all_holdings
from casegrade.errors import ProcedureError, UnknownCaseType
from casegrade.lifecycle import grade_of
from casegrade.policy import Policy
from casegrade.records import Case, Officer
from casegrade.vocab import Grade


@dataclass(frozen=True)
class LeadAnswer:
    """Whether an officer may lead a case. Attributes: officer, on (the day), grade (held then),
    authority (what the case needs and why), allowed."""

    officer: Officer
    on: date
    grade: Grade | None
    authority: Authority
    allowed: bool


def can_lead(
    db: Database,
    officer: Officer,
    case_type: str,
    value_fen: int,
    complex_: bool,
    on: date,
    policy: Policy,
) -> LeadAnswer:
    """Whether ``officer`` may lead a case of this type and value on ``on`` (Seed S1.1).

    Raises:
        ProcedureError: the case type is not in the policy's table (the message names it).
    """
    try:
        authority = required_grade(case_type, value_fen, complex_, policy)
    except UnknownCaseType as exc:
        raise ProcedureError(str(exc)) from None
    grade = grade_of(all_holdings(db, policy), officer.officer_id, on)
    return LeadAnswer(officer, on, grade, authority, may_lead(grade, authority))


def can_lead_case(
    db: Database, officer: Officer, case_number: str, on: date | None, policy: Policy
) -> tuple[LeadAnswer, Case]:
    """Whether ``officer`` may lead a recorded case, on ``on`` or else its decision date.

    Raises:
        ProcedureError: no such case, or its type is no longer in the policy's table.
    """
    found = [c for c in [store.case(db, case_number)] if c is not None]
    if not found:
        raise ProcedureError(f"no case {case_number!r} on record")
    case = found[0]
    answer = can_lead(
        db,
        officer,
        case.case_type,
        case.case_value_fen,
        case.complex,
        on or case.decision_date,
        policy,
    )
    return answer, case


def _during_terms(db: Database) -> list[Case]:
    """The cases decided during any round's term, each once (terms may meet)."""
    cases = {}
    for found in store.all_rounds(db):
        for case in store.cases_decided(db, found.term_start, found.term_end):
            cases[case.case_number] = case
    return list(cases.values())


def lead_check(db: Database, policy: Policy) -> list[tuple[Case, LeadAnswer]]:
    """Recorded cases decided during a round's term whose lead officer's grade on the decision
    date was too low to lead them (none counts as too low), oldest first.

    Raises:
        ProcedureError: a case's type is no longer in the policy's table.
    """
    held = all_holdings(db, policy)
    too_high = []
    for case in _during_terms(db):
        try:
            authority = required_grade(case.case_type, case.case_value_fen, case.complex, policy)
        except UnknownCaseType as exc:
            raise ProcedureError(f"case {case.case_number}: {exc}") from None
        grade = grade_of(held, case.lead_officer_id, case.decision_date)
        if not may_lead(grade, authority):
            too_high.append((case, grade, authority))
    leads = store.officers_named(db, {case.lead_officer_id for case, _, _ in too_high})
    found = [
        (case, LeadAnswer(leads[case.lead_officer_id], case.decision_date, grade, authority, False))
        for case, grade, authority in too_high
    ]
    return sorted(found, key=lambda item: (item[0].decision_date, item[0].case_number))
