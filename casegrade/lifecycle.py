"""The life of a grade as pure functions over records: the committee's checks before appointment
(Seed S1.2 审考评聘), who holds which grade on a given day (S1.3 terms, retirement), and the
annual review that eliminates holders (S1.3 届中年度考核). No database, no output, no clock.

A grade is never a stored, mutable fact: it is derived from the appointment, its term, the
holder's retirement date and any revocation, so a missed script run cannot leave it stale.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from dateutil.relativedelta import relativedelta

from casegrade.policy import Policy
from casegrade.records import (
    AnnualAssessment,
    Appointment,
    Complaint,
    Decision,
    Exam,
    GroundOnRecord,
    Incident,
    Officer,
    Rating,
    Revocation,
    Round,
    Sanction,
)
from casegrade.rules import Evaluation, retirement_date
from casegrade.vocab import Grade, IncidentKind, RatingLevel, RatingOutcome, ReviewKind

# --- holding a grade ------------------------------------------------------------------------------


class Ending(StrEnum):
    """What ends a grade first."""

    TERM = "term"  # 任期届满, 自动终止
    RETIREMENT = "retirement"  # 达到退休年龄
    REVOCATION = "revocation"  # 淘汰
    DISQUALIFIED = "disqualified"  # 取消资格 (S2.4)


@dataclass(frozen=True)
class Holding:
    """One appointment, how long it lasts, and its grade day by day.

    Attributes:
        appointment: the appointment.
        officer: its holder.
        last_day: the last day a grade is held: the term's last day, the day before retirement
            age is reached, the day before a revocation (淘汰) or a disqualification takes effect.
        ended_by: what comes first of those.
        revocation: the (earliest) revocation of it, if any, even if retirement came first.
        sanctions: the sanctions on it (S2.4), oldest first; each demotes one grade.
    """

    appointment: Appointment
    officer: Officer
    last_day: date
    ended_by: Ending
    revocation: Revocation | None = None
    sanctions: tuple[Sanction, ...] = ()

    def held_on(self, day: date) -> bool:
        """Whether a grade is held on ``day``."""
        return self.appointment.term_start <= day <= self.last_day

    def grade_on(self, day: date) -> Grade | None:
        """The grade held on ``day``: the appointed grade, lowered by each sanction in force by
        then (S2.4); None when no grade is held."""
        if not self.held_on(day):
            return None
        grade: Grade | None = self.appointment.grade
        for sanction, after in self.steps:
            if sanction.effective_on <= day:
                grade = after
        return grade

    @property
    def steps(self) -> list[tuple[Sanction, Grade | None]]:
        """Each sanction that changed the grade, oldest first, with the grade held after it
        (None: disqualified); see sanction_outcomes."""
        return sanction_outcomes(self.appointment, self.sanctions)


def sanction_outcomes(
    appointment: Appointment, sanctions: Iterable[Sanction]
) -> list[tuple[Sanction, Grade | None]]:
    """Each sanction of an appointment, oldest first, with the grade held after it: one grade
    lower, or None when it disqualifies (directly, or a junior demoted); later sanctions change
    nothing and are left out (Seed S2.4)."""
    outcomes = []
    rank = appointment.grade.rank
    for sanction in sorted(sanctions, key=lambda s: s.effective_on):
        after = None if sanction.disqualify or rank == 0 else list(Grade)[rank - 1]
        outcomes.append((sanction, after))
        if after is None:
            break
        rank = after.rank
    return outcomes


def holding(
    appointment: Appointment,
    officer: Officer,
    revocations: Iterable[Revocation],
    policy: Policy,
    sanctions: Iterable[Sanction] = (),
) -> Holding:
    """How long an appointment lasts: the earliest of its term's end, the day before the holder
    reaches retirement age (S1.3: a term never outlasts retirement), the day before a revocation
    of it takes effect, and the day before sanctions disqualify the holder (S2.4)."""
    key = (appointment.round, appointment.officer_id)
    own = sorted(
        (r for r in revocations if (r.round, r.officer_id) == key), key=lambda r: r.effective_on
    )
    revocation = own[0] if own else None
    own_sanctions = sorted(
        (s for s in sanctions if (s.round, s.officer_id) == key), key=lambda s: s.effective_on
    )
    ends = [
        (appointment.term_end, Ending.TERM),
        (retirement_date(officer, policy) - timedelta(days=1), Ending.RETIREMENT),
    ]
    if revocation is not None:
        ends.append((revocation.effective_on - timedelta(days=1), Ending.REVOCATION))
    outcomes = sanction_outcomes(appointment, own_sanctions)
    if outcomes and outcomes[-1][1] is None:  # disqualified on that sanction's day
        ends.append((outcomes[-1][0].effective_on - timedelta(days=1), Ending.DISQUALIFIED))
    last_day, ended_by = min(ends, key=lambda end: end[0])
    return Holding(appointment, officer, last_day, ended_by, revocation, tuple(own_sanctions))


def holdings(
    appointments: Iterable[Appointment],
    officers: dict[str, Officer],
    revocations: list[Revocation],
    policy: Policy,
    sanctions: Sequence[Sanction] = (),
) -> list[Holding]:
    """Every appointment with its span and sanctions."""
    return [
        holding(a, officers[a.officer_id], revocations, policy, sanctions) for a in appointments
    ]


def holdings_on(all_holdings: Iterable[Holding], day: date) -> list[Holding]:
    """The holdings in force on ``day``: the roster as of that day."""
    return [h for h in all_holdings if h.held_on(day)]


def grade_of(all_holdings: Iterable[Holding], officer_id: str, day: date) -> Grade | None:
    """The grade an officer holds on ``day`` (rounds do not overlap), or None."""
    return next(
        (
            g
            for h in all_holdings
            if h.officer.officer_id == officer_id and (g := h.grade_on(day)) is not None
        ),
        None,
    )


# --- 考, 评, 聘: before appointment -----------------------------------------------------------


def exam_passed(exam: Exam | None, policy: Policy) -> bool:
    """The exam was taken and scored at or above the pass mark (以上 includes it)."""
    return exam is not None and exam.score >= policy.exam_pass_mark


class ProblemCode(StrEnum):
    """Why a step of the procedure (评, 聘) cannot be taken; views word each one."""

    NO_ROUND = "no_round"  # the round was never created
    NO_APPLICATION = "no_application"  # the officer did not apply in the round
    APPOINTED = "appointed"  # already appointed: a decision cannot change an appointment
    OUTSIDE_DATES = "outside_dates"  # decided outside evaluation date .. the day before the term
    POLICY_LATER = "policy_later"  # the policy takes effect after the evaluation date
    NO_REASON = "no_reason"  # a rejection without its reason
    ABOVE_APPLIED = "above_applied"  # more than was applied for
    NOT_ELIGIBLE = "not_eligible"  # the grade's criteria are not all met
    NO_EXAM = "no_exam"
    EXAM_FAILED = "exam_failed"
    NO_DECISION = "no_decision"  # the committee has not decided
    REJECTED = "rejected"  # the committee rejected the application


@dataclass(frozen=True)
class Problem:
    """One reason a step cannot be taken, with the values a message about it names.

    Attributes:
        code: which reason.
        round, officer_id: the application concerned.
        grade: the grade asked for (approved or applied), if any.
        applied: the grade applied for, if known.
        highest: the highest grade the officer is eligible for (NOT_ELIGIBLE).
        score: the exam score (EXAM_FAILED); pass_mark: the policy's pass mark.
        reason: the committee's reason (REJECTED).
        day: the date asked (OUTSIDE_DATES) or the policy's effective date (POLICY_LATER).
        first, last: the dates allowed (OUTSIDE_DATES); first is the evaluation date for
            POLICY_LATER.
        version: the policy version (POLICY_LATER).
    """

    code: ProblemCode
    round: str = ""
    officer_id: str = ""
    grade: Grade | None = None
    applied: Grade | None = None
    highest: Grade | None = None
    score: Decimal | None = None
    pass_mark: Decimal | None = None
    reason: str = ""
    day: date | None = None
    first: date | None = None
    last: date | None = None
    version: str = ""


def approval_problems(
    evaluation: Evaluation, exam: Exam | None, grade: Grade, policy: Policy
) -> list[ProblemCode]:
    """Why the committee may not approve ``grade`` for this application (Seed S1.2: 评 only for
    eligible applicants who passed the exam): ABOVE_APPLIED (more than was applied for),
    NOT_ELIGIBLE (its criteria are not all met on the round's evaluation date), NO_EXAM,
    EXAM_FAILED. Empty when it may."""
    problems = []
    if grade.rank > evaluation.application.grade.rank:
        problems.append(ProblemCode.ABOVE_APPLIED)
    if not all(finding.met for finding in evaluation.findings[grade]):
        problems.append(ProblemCode.NOT_ELIGIBLE)
    if exam is None:
        problems.append(ProblemCode.NO_EXAM)
    elif not exam_passed(exam, policy):
        problems.append(ProblemCode.EXAM_FAILED)
    return problems


def appointment_problems(
    evaluation: Evaluation, exam: Exam | None, decision: Decision | None, policy: Policy
) -> list[ProblemCode]:
    """Why an application may not be appointed (聘): REJECTED; or NO_DECISION with the
    approval_problems of the grade applied for; or the approval_problems of the approved grade
    under the policy in force. Empty when it may."""
    if decision is None:
        applied = evaluation.application.grade
        return [ProblemCode.NO_DECISION, *approval_problems(evaluation, exam, applied, policy)]
    if not decision.approved or decision.grade is None:
        return [ProblemCode.REJECTED]
    return approval_problems(evaluation, exam, decision.grade, policy)


def problems_of(
    codes: list[ProblemCode],
    evaluation: Evaluation,
    exam: Exam | None,
    grade: Grade,
    policy: Policy,
    decision: Decision | None = None,
) -> list[Problem]:
    """The codes of approval_problems or appointment_problems with the values their messages
    name: the grade asked, the grade applied for, the highest eligible grade, the exam score and
    pass mark, the committee's reason."""
    application = evaluation.application
    return [
        Problem(
            code,
            application.round,
            application.officer_id,
            grade=grade,
            applied=application.grade,
            highest=evaluation.highest_eligible_grade,
            score=exam.score if exam else None,
            pass_mark=policy.exam_pass_mark,
            reason=decision.reason or "" if decision else "",
        )
        for code in codes
    ]


# --- the annual review (届中年度考核) ------------------------------------------------------------


@dataclass(frozen=True)
class Ground:
    """One reason to eliminate a holder, with the records behind it.

    Attributes:
        kind: which ground.
        records: the incidents, complaints or assessment behind it.
        window: for complaints, where they were counted: "year" (the reviewed year) or "term"
            (the term up to the year's end); "" for the other grounds.
    """

    kind: ReviewKind
    records: tuple[Incident | Complaint | AnnualAssessment, ...]
    window: str = ""


@dataclass(frozen=True)
class ReviewRecords:
    """What the annual review reads about one holder. Attributes: assessments, complaints,
    incidents (all of the holder's, any date)."""

    assessments: tuple[AnnualAssessment, ...] = ()
    complaints: tuple[Complaint, ...] = ()
    incidents: tuple[Incident, ...] = ()


GROUND_INCIDENTS = {
    IncidentKind.SERIOUS_ERROR: ReviewKind.SERIOUS_ERROR,
    IncidentKind.REFUSAL: ReviewKind.REFUSAL,
}


def review_grounds(
    held: Holding, records: ReviewRecords, year: int, policy: Policy
) -> list[Ground]:
    """The grounds on which a holder is eliminated in the review of ``year`` (Seed S1.3): a
    serious work error or a refusal of arrangements dated in the year; at least
    complaints_limit complaints not found groundless in the window (the year, or the term up to
    the year's end: a Decision); an annual assessment for the year among failing_assessments
    (称职以下 read strictly; 不定等次 neither passes nor fails). Empty when the holder stays.

    Reaching retirement age, the fourth ground of S1.3, needs no review: the grade ends on that
    day by itself (see holding)."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    grounds = []
    for incident_kind, kind in GROUND_INCIDENTS.items():
        found = tuple(
            i for i in records.incidents if i.kind is incident_kind and first <= i.date <= last
        )
        if found:
            grounds.append(Ground(kind, found))
    since = first if policy.complaints_window == "year" else held.appointment.term_start
    complaints = tuple(
        sorted(
            (c for c in records.complaints if not c.dismissed and since <= c.date <= last),
            key=lambda c: c.date,
        )
    )
    if complaints and len(complaints) >= policy.complaints_limit:
        grounds.append(Ground(ReviewKind.COMPLAINTS, complaints, policy.complaints_window))
    failing = tuple(
        a for a in records.assessments if a.year == year and a.result in policy.failing_assessments
    )
    if failing:
        grounds.append(Ground(ReviewKind.ASSESSMENT, failing))
    return grounds


def record_key(record: Incident | Complaint | AnnualAssessment) -> tuple[str, ...]:
    """A review record's key after officer_id, as text (records.GroundOnRecord)."""
    if isinstance(record, AnnualAssessment):
        return (str(record.year),)
    if isinstance(record, Complaint):
        return (record.date.isoformat(), record.summary)
    return (record.date.isoformat(), record.kind.value)


def ground_on_record(ground: Ground) -> GroundOnRecord:
    """A ground as stored: its kind and the keys of its records."""
    keys = tuple(record_key(record) for record in ground.records)
    return GroundOnRecord(ground.kind, keys, ground.window)


def ground_from_record(stored: GroundOnRecord, records: ReviewRecords) -> Ground:
    """A stored ground with its records found again among the holder's (a record removed since
    by hand, outside casegrade, is left out: imports refuse to remove them)."""
    wanted = set(stored.records)
    candidates: tuple[Incident | Complaint | AnnualAssessment, ...] = (
        *records.assessments,
        *records.complaints,
        *records.incidents,
    )
    found = [record for record in candidates if record_key(record) in wanted]
    return Ground(stored.kind, tuple(found), stored.window)


def other_incidents(records: ReviewRecords, year: int) -> list[Incident]:
    """Incidents of the year that are not grounds of the annual review (失职, 渎职 …: S2.4
    sanctions), so that the review can say they were seen and why they do not eliminate."""
    return [i for i in records.incidents if i.date.year == year and i.kind not in GROUND_INCIDENTS]


def review_window(round_: Round, year: int) -> tuple[date, date]:
    """The days on which the review of ``year`` may be made: from the day after the year ends
    to the term's last day.

    Raises:
        ValueError: the term does not run past the year (nothing to review), with the reason.
    """
    if not round_.term_start <= date(year, 12, 31) < round_.term_end:
        raise ValueError(
            f"round {round_.round}'s term ({round_.term_start} to "
            f"{round_.term_end}) does not run past the end of {year}; grades end "
            "by themselves with the term"
        )
    return date(year + 1, 1, 1), round_.term_end


def under_review(held: Holding, round_: Round, year: int, on: date) -> bool:
    """Whether a holding is reviewed for ``year`` on ``on``: it belongs to the round, no
    revocation has ended it, and it is still held on ``on`` (a grade that ended with retirement
    needs no elimination)."""
    return held.appointment.round == round_.round and held.revocation is None and held.held_on(on)


def due_review_years(round_: Round, as_of: date) -> list[int]:
    """Calendar years of the round's term that can be reviewed on ``as_of``: the year is over and
    the term still runs. Reviewing a year again finds only what is new, so all of them are due."""
    years = range(round_.term_start.year, round_.term_end.year + 1)
    return [year for year in years if date(year, 12, 31) < as_of <= round_.term_end]


# --- during the term (Seed S1.4, S2.4) --------------------------------------------------------------


def period_span(period: str) -> tuple[date, date]:
    """The first and last day of a half-year such as "2026H2" (2026-07-01, 2026-12-31)."""
    year, half = int(period[:4]), period[-1]
    if half == "1":
        return date(year, 1, 1), date(year, 6, 30)
    return date(year, 7, 1), date(year, 12, 31)


RATING_OUTCOMES = {
    RatingLevel.EXCELLENT: RatingOutcome.COMMEND,
    RatingLevel.GOOD: RatingOutcome.COMMEND,
    RatingLevel.PASS: RatingOutcome.ADVISE,
    RatingLevel.FAIL: RatingOutcome.RECTIFY,
}  # Seed S2.4: 优秀、良好予以表扬，合格提出发展建议，不合格限期一季度整改


def rating_outcome(rating: Rating) -> RatingOutcome:
    """What the rating brings (Seed S2.4)."""
    return RATING_OUTCOMES[rating.level]


def rectification_deadline(rating: Rating, policy: Policy) -> date | None:
    """The last day to rectify after a 不合格 rating: rating date + rectification_months (S2.4:
    限期一季度); None for a rating that asks for no rectification."""
    if rating.level is not RatingLevel.FAIL:
        return None
    return rating.rated_on + relativedelta(months=policy.rectification_months)


def overdue(rating: Rating, day: date, policy: Policy) -> bool:
    """A rectification still open after its deadline on ``day`` (not on the deadline itself)."""
    deadline = rectification_deadline(rating, policy)
    return deadline is not None and rating.rectified_on is None and day > deadline


def held_in(all_holdings: Iterable[Holding], officer_id: str, first: date, last: date) -> bool:
    """Whether the officer held a grade on any day from ``first`` to ``last``."""
    return any(
        h.officer.officer_id == officer_id
        and h.appointment.term_start <= last
        and h.last_day >= first
        for h in all_holdings
    )


def quarter_span(quarter: str) -> tuple[date, date]:
    """The first and last day of a quarter such as "2027Q1" (intake.values.parse_quarter's form)."""
    first = date(int(quarter[:4]), 3 * int(quarter[5]) - 2, 1)
    return first, first + relativedelta(months=3, days=-1)
