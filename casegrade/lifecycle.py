"""The life of a grade as pure functions over records: the committee's checks before appointment
(Seed S1.2 审考评聘), who holds which grade on a given day (S1.3 terms, retirement), and the
annual review that eliminates holders (S1.3 届中年度考核). No database, no output, no clock.

A grade is never a stored, mutable fact: it is derived from the appointment, its term, the
holder's retirement date and any revocation, so a missed script run cannot leave it stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from casegrade.policy import Policy
from casegrade.records import (
    AnnualAssessment,
    Appointment,
    Complaint,
    Decision,
    Exam,
    Incident,
    Officer,
    Revocation,
    Round,
)
from casegrade.rules import Evaluation, retirement_date
from casegrade.vocab import Grade, IncidentKind

# --- holding a grade ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Holding:
    """One appointment and how long it lasts.

    Attributes:
        appointment: the appointment.
        officer: its holder.
        last_day: the last day the grade is held: the term's last day, the day before
            retirement age is reached, or the day before a revocation takes effect.
        ended_by: "term" (自动终止 at the term's end), "retirement" or "revocation", whichever
            comes first.
        revocation: the (earliest) revocation of it, if any, even if retirement came first.
    """

    appointment: Appointment
    officer: Officer
    last_day: date
    ended_by: str
    revocation: Revocation | None = None

    def held_on(self, day: date) -> bool:
        """Whether the grade is held on ``day``."""
        return self.appointment.term_start <= day <= self.last_day


def holding(
    appointment: Appointment, officer: Officer, revocations: Iterable[Revocation], policy: Policy
) -> Holding:
    """How long an appointment lasts: the earliest of its term's end, the day before the holder
    reaches retirement age (S1.3: a term never outlasts retirement) and the day before a
    revocation of it takes effect."""
    own = sorted(
        (
            r
            for r in revocations
            if (r.round, r.officer_id) == (appointment.round, appointment.officer_id)
        ),
        key=lambda r: r.effective_on,
    )
    revocation = own[0] if own else None
    ends = [
        (appointment.term_end, "term"),
        (retirement_date(officer, policy) - timedelta(days=1), "retirement"),
    ]
    if revocation is not None:
        ends.append((revocation.effective_on - timedelta(days=1), "revocation"))
    last_day, ended_by = min(ends, key=lambda end: end[0])
    return Holding(appointment, officer, last_day, ended_by, revocation)


def holdings(
    appointments: Iterable[Appointment],
    officers: dict[str, Officer],
    revocations: list[Revocation],
    policy: Policy,
) -> list[Holding]:
    """Every appointment with its span."""
    return [holding(a, officers[a.officer_id], revocations, policy) for a in appointments]


def holdings_on(all_holdings: Iterable[Holding], day: date) -> list[Holding]:
    """The holdings in force on ``day``: the roster as of that day."""
    return [h for h in all_holdings if h.held_on(day)]


# --- 考, 评, 聘: before appointment -----------------------------------------------------------


def exam_passed(exam: Exam | None, policy: Policy) -> bool:
    """The exam was taken and scored at or above the pass mark (以上 includes it)."""
    return exam is not None and exam.score >= policy.exam_pass_mark


def approval_problems(
    evaluation: Evaluation, exam: Exam | None, grade: Grade, policy: Policy
) -> list[str]:
    """Why the committee may not approve ``grade`` for this application (Seed S1.2: 评 only for
    eligible applicants who passed the exam): "above_applied" (more than was applied for),
    "not_eligible" (its criteria are not all met on the round's evaluation date), "no_exam",
    "exam_failed". Empty when it may."""
    problems = []
    if grade.rank > evaluation.application.grade.rank:
        problems.append("above_applied")
    highest = evaluation.highest_eligible_grade
    if highest is None or grade.rank > highest.rank:
        problems.append("not_eligible")
    if exam is None:
        problems.append("no_exam")
    elif not exam_passed(exam, policy):
        problems.append("exam_failed")
    return problems


def appointment_problems(
    evaluation: Evaluation, exam: Exam | None, decision: Decision | None, policy: Policy
) -> list[str]:
    """Why an application may not be appointed (聘): "rejected"; or "no_decision" with the
    approval_problems of the grade applied for; or the approval_problems of the approved grade
    under the policy in force. Empty when it may."""
    if decision is None:
        applied = evaluation.application.grade
        return ["no_decision", *approval_problems(evaluation, exam, applied, policy)]
    if not decision.approved or decision.grade is None:
        return ["rejected"]
    return approval_problems(evaluation, exam, decision.grade, policy)


# --- the annual review (届中年度考核) ------------------------------------------------------------


@dataclass(frozen=True)
class Ground:
    """One reason to eliminate a holder, with the records behind it.

    Attributes:
        kind: "serious_error", "refusal", "complaints", "retirement" or "assessment".
        records: the incidents, complaints or assessment behind it (empty for retirement).
        on: for retirement, the day retirement age is reached.
    """

    kind: str
    records: tuple[Incident | Complaint | AnnualAssessment, ...] = ()
    on: date | None = None


@dataclass(frozen=True)
class ReviewRecords:
    """What the annual review reads about one holder. Attributes: assessments, complaints,
    incidents (all of the holder's, any date)."""

    assessments: tuple[AnnualAssessment, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    incidents: tuple[Incident, ...] = ()


def review_grounds(
    held: Holding, records: ReviewRecords, year: int, on: date, policy: Policy
) -> list[Ground]:
    """The grounds on which a holder is eliminated in the review of ``year`` made on ``on``
    (Seed S1.3): a serious work error or a refusal of arrangements dated in the year; at least
    complaints_limit complaints not found groundless in the window (the year, or the term up to
    the year's end); retirement age reached by the year's end; an annual assessment for the year
    among failing_assessments (不定等次 neither passes nor fails). Records dated after ``on`` do
    not count. Empty when the holder stays."""
    first, last = date(year, 1, 1), min(date(year, 12, 31), on)
    grounds = []
    for kind in (IncidentKind.SERIOUS_ERROR, IncidentKind.REFUSAL):
        found = tuple(i for i in records.incidents if i.kind is kind and first <= i.date <= last)
        if found:
            grounds.append(Ground(kind.value, found))
    since = first if policy.complaints_window == "year" else held.appointment.term_start
    complaints = tuple(
        sorted(
            (c for c in records.complaints if not c.dismissed and since <= c.date <= last),
            key=lambda c: c.date,
        )
    )
    if complaints and len(complaints) >= policy.complaints_limit:
        grounds.append(Ground("complaints", complaints))
    retires_on = retirement_date(held.officer, policy)
    if retires_on <= date(year, 12, 31):
        grounds.append(Ground("retirement", on=retires_on))
    failing = tuple(
        a for a in records.assessments if a.year == year and a.result in policy.failing_assessments
    )
    if failing:
        grounds.append(Ground("assessment", failing))
    return grounds


def under_review(held: Holding, round_: Round, year: int) -> bool:
    """Whether a holding is reviewed for ``year``: its term covers part of the year and no
    revocation has already ended it."""
    term_covers = round_.term_start <= date(year, 12, 31) and round_.term_end >= date(year, 1, 1)
    return term_covers and held.revocation is None


def due_review_years(round_: Round, as_of: date, done: set[int]) -> list[int]:
    """Calendar years of the round's term whose review is due on ``as_of`` and not yet ``done``:
    the year is over, the term was still running at its end (a year in which the term ends needs
    no review; the grades end by themselves) and is still running on ``as_of``."""
    years = range(round_.term_start.year, round_.term_end.year + 1)
    return [
        year
        for year in years
        if date(year, 12, 31) < as_of <= round_.term_end
        and round_.term_end > date(year, 12, 31)
        and year not in done
    ]
