"""Who holds which grade (Seed S1.3, S1.4): every appointment as a holding, the roster on a day,
terms about to end, and one officer's history as events (values for views to word).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlite_utils import Database

from casegrade import store
from casegrade.errors import ProcedureError
from casegrade.lifecycle import (
    Ending,
    Ground,
    Holding,
    ReviewRecords,
    exam_passed,
    ground_from_record,
    holdings,
    holdings_on,
    sanction_outcomes,
)
from casegrade.policy import Policy
from casegrade.records import AnnualAssessment, Appointment, Complaint, Exam, Incident, Sanction
from casegrade.vocab import Grade


def all_holdings(db: Database, policy: Policy) -> list[Holding]:
    """Every appointment ever made, with how long it lasts and its sanctions."""
    officers = {o.officer_id: o for o in store.appointed_officers(db)}
    return holdings(
        store.appointments(db),
        officers,
        store.revocations(db),
        policy,
        store.sanctions(db),
    )


def in_bureau_order(db: Database, found: list[Holding], day: date | None = None) -> list[Holding]:
    """Highest grade first (the grade held on ``day``, else the grade appointed), then units in
    the officers file's order, then officer_id."""
    unit_rank = {unit: rank for rank, unit in enumerate(store.unit_order(db))}

    def grade_rank(held: Holding) -> int:
        grade = held.grade_on(day) if day is not None else None
        return (grade or held.appointment.grade).rank

    return sorted(
        found, key=lambda h: (-grade_rank(h), unit_rank[h.officer.unit], h.officer.officer_id)
    )


def roster(
    db: Database, as_of: date, policy: Policy, grade: Grade | None = None, unit: str | None = None
) -> list[Holding]:
    """The holders on ``as_of`` (past or future), optionally of one grade or unit, sorted by
    grade (highest first), then unit, then officer_id.

    Raises:
        ProcedureError: ``unit`` is not a unit on record (the message lists them).
    """
    units = store.unit_order(db)
    if unit is not None and unit not in units:
        raise ProcedureError(f"no unit {unit!r} on record; units: {'、'.join(units)}")
    found = [
        h
        for h in holdings_on(all_holdings(db, policy), as_of)
        if (grade is None or h.grade_on(as_of) is grade)
        and (unit is None or h.officer.unit == unit)
    ]
    return in_bureau_order(db, found, as_of)


def expiring(db: Database, as_of: date, days: int, policy: Policy) -> list[Holding]:
    """Holders on ``as_of`` whose grade ends within ``days`` days (term end or retirement)."""
    until = as_of + timedelta(days=days)
    found = [h for h in holdings_on(all_holdings(db, policy), as_of) if h.last_day <= until]
    return sorted(in_bureau_order(db, found), key=lambda h: h.last_day)


class EventKind(StrEnum):
    """What happened to an officer's grade; the order is the procedure's for events of one day."""

    APPLIED = "applied"  # 申报
    EXAM = "exam"  # 考试
    APPROVED = "approved"  # 评定同意
    REJECTED = "rejected"  # 评定不同意
    APPOINTED = "appointed"  # 聘任
    DEMOTED = "demoted"  # 降级 (S2.4 sanction)
    DISQUALIFIED = "disqualified"  # 取消资格 (S2.4 sanction)
    ELIMINATED = "eliminated"  # 淘汰 (S1.3 annual review)
    RETIRED = "retired"  # 达到退休年龄
    TERM_ENDED = "term_ended"  # 任期届满


PROCEDURE_STEPS = (EventKind.APPLIED, EventKind.EXAM, EventKind.APPROVED, EventKind.APPOINTED)


@dataclass(frozen=True)
class Event:
    """One line of an officer's history.

    Attributes:
        on: the day it happened or happens.
        kind: what happened.
        round: the round it belongs to.
        grade: the grade applied for, approved, appointed or demoted to; None otherwise.
        scheduled: it falls after the day the history is read for (预定).
        exam, passed: the exam (EXAM) and whether it reached the pass mark.
        reason: the committee's reason (APPROVED/REJECTED), or the prose of an older elimination.
        appointment: the appointment (APPOINTED).
        sanction: the sanction (DEMOTED/DISQUALIFIED).
        grounds: the grounds of an elimination, with their records.
    """

    on: date
    kind: EventKind
    round: str
    grade: Grade | None = None
    scheduled: bool = False
    exam: Exam | None = None
    passed: bool = False
    reason: str = ""
    appointment: Appointment | None = None
    sanction: Sanction | None = None
    grounds: tuple[Ground, ...] = ()


def review_records(db: Database) -> dict[str, ReviewRecords]:
    """officer_id -> what the annual review reads about them (assessments, complaints,
    incidents of any date)."""
    gathered: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    found: tuple[Sequence[AnnualAssessment | Complaint | Incident], ...] = store.review_records(db)
    for table, records in zip(("assessments", "complaints", "incidents"), found, strict=True):
        for record in records:
            gathered[record.officer_id][table].append(record)
    return {
        officer_id: ReviewRecords(
            tuple(tables["assessments"]), tuple(tables["complaints"]), tuple(tables["incidents"])
        )
        for officer_id, tables in gathered.items()
    }


def history(db: Database, officer_id: str, as_of: date, policy: Policy) -> list[Event]:
    """Every step of an officer's grades, oldest first: applications, exams, decisions,
    appointments, sanctions, eliminations (with their grounds' records), and term ends or
    retirement as they fall on or before ``as_of`` (later ones are marked scheduled)."""
    events = [
        Event(a.applied_on, EventKind.APPLIED, a.round, a.grade)
        for a in store.applications_of(db, officer_id)
    ]
    rounds = {r.round: r for r in store.all_rounds(db)}
    for exam in store.exams(db, officer_id=officer_id):
        on = rounds[exam.round].evaluate_on if exam.round in rounds else date.min
        events.append(
            Event(on, EventKind.EXAM, exam.round, exam=exam, passed=exam_passed(exam, policy))
        )
    for d in store.decisions_of(db, officer_id):
        kind = EventKind.APPROVED if d.approved else EventKind.REJECTED
        events.append(Event(d.decided_on, kind, d.round, d.grade, reason=d.reason or ""))
    records = review_records(db).get(officer_id, ReviewRecords())
    for held in all_holdings(db, policy):
        if held.officer.officer_id != officer_id:
            continue
        a = held.appointment
        events.append(Event(a.term_start, EventKind.APPOINTED, a.round, a.grade, appointment=a))
        for sanction, after in sanction_outcomes(held.appointment, held.sanctions):
            kind = EventKind.DEMOTED if after else EventKind.DISQUALIFIED
            events.append(
                Event(
                    sanction.effective_on,
                    kind,
                    a.round,
                    after,
                    scheduled=sanction.effective_on > as_of,
                    sanction=sanction,
                )
            )
        revoked = held.revocation
        if revoked is not None:
            grounds = tuple(ground_from_record(g, records) for g in revoked.grounds)
            events.append(
                Event(
                    revoked.effective_on,
                    EventKind.ELIMINATED,
                    a.round,
                    reason=revoked.reason,
                    grounds=grounds,
                )
            )
        scheduled = held.last_day >= as_of
        if held.ended_by is Ending.RETIREMENT:
            events.append(
                Event(
                    held.last_day + timedelta(days=1),
                    EventKind.RETIRED,
                    a.round,
                    scheduled=scheduled,
                )
            )
        elif held.ended_by is Ending.TERM:
            events.append(Event(a.term_end, EventKind.TERM_ENDED, a.round, scheduled=scheduled))

    def step(event: Event) -> int:
        kind = EventKind.APPROVED if event.kind is EventKind.REJECTED else event.kind
        return PROCEDURE_STEPS.index(kind) if kind in PROCEDURE_STEPS else len(PROCEDURE_STEPS)

    return sorted(events, key=lambda e: (e.on, step(e)))
