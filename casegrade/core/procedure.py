"""The procedure of a round (Seed S1.2 审考评聘): rounds, evaluations, the committee's decisions and
appointment for the round's term. Every write records the operating-system user and the policy
version it was checked against.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from casegrade import store
from casegrade.errors import EvaluationError, ProcedureError, Refused, RowError
from casegrade.intake.reader import ParsedFile
from casegrade.lifecycle import (
    Problem,
    ProblemCode,
    appointment_problems,
    approval_problems,
    problems_of,
)
from casegrade.policy import Policy
from casegrade.records import Appointment, Decision, EvaluationRecord, Exam, Round
from casegrade.rules import Context, Evaluation, evaluate_all
from casegrade.vocab import Grade


def require_in_force(policy: Policy, day: date) -> None:
    """Refuse to decide anything on ``day`` under a policy that takes effect later.

    Raises:
        ProcedureError: the policy takes effect after ``day``.
    """
    if policy.effective > day:
        raise ProcedureError(
            f"policy {policy.version} takes effect on {policy.effective}, after "
            f"{day}; use the policy in force then (--policy FILE)"
        )


BATCH = 500  # applications whose records are read at once, in evaluate_round


@store.writes
def create_round(
    db: Database, round_: str, evaluate_on: date, term_start: date, policy: Policy
) -> Round:
    """Record a round: its evaluation date and its term, which lasts the policy's term_years
    from term_start (a 2-year term from 2026-07-01 ends 2028-06-30). Creating it again with the
    same dates changes nothing.

    Raises:
        ProcedureError: the term does not start after the evaluation date; it overlaps another
            round's term; or the round has decisions already and its dates would change.
    """
    if term_start <= evaluate_on:
        raise ProcedureError(f"the term must start after the evaluation date {evaluate_on}")
    term_end = term_start + relativedelta(years=policy.term_years) - timedelta(days=1)
    new = Round(round_, evaluate_on, term_start, term_end)
    for other in store.all_rounds(db):
        if other.round != round_ and other.term_start <= term_end and term_start <= other.term_end:
            raise ProcedureError(
                f"the term {term_start} to {term_end} overlaps round "
                f"{other.round}'s ({other.term_start} to {other.term_end})"
            )
    old = store.get_round(db, round_)
    if old is not None and old != new and store.decisions(db, round_):
        raise ProcedureError(
            f"round {round_} has committee decisions for its term "
            f"{old.term_start} to {old.term_end}; its dates can no longer change"
        )
    store.save(db, "rounds", [new])
    return new


def get_round(db: Database, round_: str) -> Round:
    """The round as created.

    Raises:
        ProcedureError: it was never created.
    """
    found = store.get_round(db, round_)
    if found is None:
        raise ProcedureError(
            f"no round {round_!r}; create it first: casegrade round create "
            f"{round_} --evaluate-on DATE --term-start DATE"
        )
    return found


def evaluations_for(
    db: Database, round_: Round, policy: Policy, officer_ids: set[str] | None = None
) -> dict[str, Evaluation]:
    """officer_id -> the evaluation of their application on the round's evaluation date, for
    every application of the round or those of ``officer_ids``."""
    ctx = Context.on(round_.evaluate_on, policy, round_.term_start)
    applications = store.applications(db, round_.round)
    if officer_ids is not None:
        applications = [app for app in applications if app.officer_id in officer_ids]
    files = store.officer_files(
        db,
        {app.officer_id for app in applications},
        ctx.window,
        assisted=policy.count_assisted_cases,
    )
    return {ev.officer.officer_id: ev for ev in evaluate_all(applications, files, ctx)}


def _exams(db: Database, round_: str) -> dict[str, Exam]:
    return {exam.officer_id: exam for exam in store.exams(db, round_)}


@store.writes
def decide(
    db: Database,
    round_: str,
    officer_id: str,
    *,
    approve: bool,
    grade: Grade | None,
    reason: str | None,
    on: date,
    policy: Policy,
) -> Decision:
    """Record the committee's decision (评) on one application. An approval is of the grade
    applied for unless ``grade`` says a lower one; it is refused unless the officer is eligible
    for that grade on the round's evaluation date and passed the exam (Seed S1.2). A rejection
    needs its reason. Deciding again replaces the decision.

    Raises:
        ProcedureError: no such round or application, a rejection without reason, or an
            approval the rules do not allow (the message lists why).
    """
    if not approve and grade is not None:
        raise ProcedureError("a rejection approves no grade; leave out --grade")
    decision = Decision(round_, officer_id, approve, grade, reason, on)
    (problems,) = check_decisions(db, [decision], policy)
    if problems:
        raise Refused(problems)
    decision = _signed(decision, db, policy)
    store.save(db, "decisions", [decision])
    return decision


def _signed(decision: Decision, db: Database, policy: Policy) -> Decision:
    """The decision with its grade filled in, who recorded it and the policy version."""
    grade = decision.grade
    if decision.approved and grade is None:
        found = store.applications(db, decision.round, decision.officer_id)
        grade = found[0].grade if found else None  # no application: refused by the checks
    return dataclasses.replace(
        decision, grade=grade, recorded_by=store.operator(), policy_version=policy.version
    )


def check_decisions(db: Database, decisions: list[Decision], policy: Policy) -> list[list[Problem]]:
    """For each decision, what makes it impossible (empty list when it may be recorded): no
    such round or application; dated outside the round's evaluation date to the day before its
    term; the application already appointed (a decision cannot change an appointment); a
    rejection without reason; an approval the rules do not allow (lifecycle.approval_problems);
    the policy not in force on the round's evaluation date."""
    results = []
    rounds = {found.round: found for found in store.all_rounds(db)}
    evaluations: dict[str, dict[str, Evaluation]] = {}
    exams: dict[str, dict[str, Exam]] = {}
    appointed = {(a.round, a.officer_id) for a in store.appointments(db)}
    for decision in decisions:
        found = rounds.get(decision.round)
        problem = functools.partial(Problem, round=decision.round, officer_id=decision.officer_id)
        if found is None:
            results.append([problem(ProblemCode.NO_ROUND)])
            continue
        if decision.round not in evaluations:
            deciding = {d.officer_id for d in decisions if d.round == decision.round}
            evaluations[decision.round] = evaluations_for(db, found, policy, deciding)
            exams[decision.round] = _exams(db, decision.round)
        evaluation = evaluations[decision.round].get(decision.officer_id)
        last = found.term_start - timedelta(days=1)
        if evaluation is None:
            results.append([problem(ProblemCode.NO_APPLICATION)])
        elif (decision.round, decision.officer_id) in appointed:
            results.append([problem(ProblemCode.APPOINTED)])
        elif not found.evaluate_on <= decision.decided_on <= last:
            results.append(
                [
                    problem(
                        ProblemCode.OUTSIDE_DATES,
                        day=decision.decided_on,
                        first=found.evaluate_on,
                        last=last,
                    )
                ]
            )
        elif policy.effective > found.evaluate_on:
            results.append(
                [
                    problem(
                        ProblemCode.POLICY_LATER,
                        day=policy.effective,
                        first=found.evaluate_on,
                        version=policy.version,
                    )
                ]
            )
        elif not decision.approved:
            results.append([] if decision.reason else [problem(ProblemCode.NO_REASON)])
        else:
            grade = decision.grade or evaluation.application.grade
            exam = exams[decision.round].get(decision.officer_id)
            codes = approval_problems(evaluation, exam, grade, policy)
            results.append(problems_of(codes, evaluation, exam, grade, policy))
    return results


def checked_decisions(
    db: Database, parsed: ParsedFile, policy: Policy
) -> tuple[list[Decision], list[RowError]]:
    """Decisions read from a file, signed with the user and the policy version, and the rows
    that decide cannot accept (row, officer, why). A decision already on record unchanged
    keeps its record unchecked, so importing the same file again changes nothing, after
    appointment too."""
    stored = {(d.round, d.officer_id): d for d in store.decisions(db)}
    signed = [_signed(decision, db, policy) for decision in parsed.records]
    kept = {
        i: stored[(d.round, d.officer_id)]
        for i, d in enumerate(signed)
        if (d.round, d.officer_id) in stored
        and _unsigned(stored[(d.round, d.officer_id)]) == _unsigned(d)
    }
    fresh = [i for i in range(len(signed)) if i not in kept]
    problems = check_decisions(db, [parsed.records[i] for i in fresh], policy)
    errors = [
        RowError(str(parsed.path), parsed.rows[i], "", signed[i].officer_id, "", tuple(found))
        for i, found in zip(fresh, problems, strict=True)
        if found
    ]
    return [kept.get(i, decision) for i, decision in enumerate(signed)], errors


def _unsigned(decision: Decision) -> Decision:
    """A decision as decided: without who recorded it and under which policy."""
    return dataclasses.replace(decision, recorded_by="", policy_version="")


@store.writes
def record_evaluations(
    db: Database, evaluations: list[Evaluation], policy: Policy, today: date
) -> int:
    """Record evaluations with the policy version they applied; an evaluation already recorded
    with the same result keeps its first record. Returns how many were new or changed.

    Raises:
        StoreError: the database refused them.
    """
    records = [
        EvaluationRecord(
            ev.application.round,
            ev.officer.officer_id,
            ev.as_of,
            policy.version,
            ev.application.grade,
            ev.eligible,
            ev.highest_eligible_grade,
            tuple(f.criterion for f in ev.applied if not f.met),
            today,
            store.operator(),
        )
        for ev in evaluations
    ]
    known = {
        (r.round, r.officer_id, r.as_of, r.policy_version): r for r in store.evaluation_records(db)
    }

    def result(record: EvaluationRecord) -> tuple:
        return record.eligible, record.highest_grade, record.unmet

    fresh = [
        r
        for r in records
        if (old := known.get((r.round, r.officer_id, r.as_of, r.policy_version))) is None
        or result(old) != result(r)
    ]
    store.save(db, "evaluations", fresh)
    return len(fresh)


@dataclass(frozen=True)
class AppointmentResult:
    """What appoint did. Attributes: appointed (new this time), kept (already appointed, unchanged),
    refused ((evaluation, the problems) for each application not appointed)."""

    appointed: list[Appointment]
    kept: list[Appointment]
    refused: list[tuple[Evaluation, list[Problem]]]


@store.writes
def appoint(db: Database, round_: str, on: date, policy: Policy) -> AppointmentResult:
    """Appoint (聘) every application of the round that was approved, is eligible for the
    approved grade on the round's evaluation date and passed the exam, for the round's term
    (Seed S1.2, S1.3), and record the evaluations it relied on with the policy version. Running
    it again appoints nobody twice.

    Raises:
        ProcedureError: no such round, or the policy takes effect after the evaluation date.
    """
    found = get_round(db, round_)
    require_in_force(policy, found.evaluate_on)
    decisions = {d.officer_id: d for d in store.decisions(db, round_)}
    existing = {a.officer_id: a for a in store.appointments(db, round_)}
    exams = _exams(db, round_)
    new, kept, refused = [], [], []
    evaluations = evaluations_for(db, found, policy)
    for officer_id, evaluation in sorted(evaluations.items()):
        decision, exam = decisions.get(officer_id), exams.get(officer_id)
        problems = appointment_problems(evaluation, exam, decision, policy)
        if problems:
            grade = decision.grade if decision and decision.grade else evaluation.application.grade
            refused.append(
                (evaluation, problems_of(problems, evaluation, exam, grade, policy, decision))
            )
        elif officer_id in existing:
            kept.append(existing[officer_id])
        else:
            # no problems: appointment_problems found a decision that approved a grade
            assert decision is not None and decision.grade is not None
            new.append(
                Appointment(
                    round_,
                    officer_id,
                    decision.grade,
                    found.term_start,
                    found.term_end,
                    on,
                    store.operator(),
                    policy.version,
                )
            )
    store.save(db, "appointments", new)
    record_evaluations(db, list(evaluations.values()), policy, on)
    return AppointmentResult(new, kept, refused)


def evaluate_round(
    db: Database,
    round_: str,
    ctx: Context,
    officer_id: str | None = None,
    progress: Callable[[int], None] | None = None,
    *,
    keep_records: bool = False,
) -> list[Evaluation]:
    """Evaluate every application of a round (or one officer's) in ``ctx`` (Seed S1.2 审), the
    records read a batch of officers at a time; ``progress`` hears how many are done.

    Returns evaluations sorted by unit, in the order units first appear in the officers file (the
    bureau's own order), then by officer_id; the one officer's with the records read, those of
    the whole round without them (Evaluation.without_records: memory stays flat in the number
    of cases) unless ``keep_records``.

    Raises:
        EvaluationError: the term starts on or before the evaluation date, the round has no
            applications, or the officer none in it.
    """
    if ctx.term[0] <= ctx.as_of:
        raise EvaluationError(
            f"the term must start after the evaluation date {ctx.as_of}; correct --term-start"
        )
    applications = store.applications(db, round_, officer_id)
    if not applications:
        known = ", ".join(store.application_rounds(db)) or "none; import applications first"
        who = f" from officer {officer_id}" if officer_id else ""
        raise EvaluationError(f"no application{who} in round {round_!r}; rounds on record: {known}")
    unit_rank = {unit: rank for rank, unit in enumerate(store.unit_order(db))}
    evaluations: list[Evaluation] = []
    for first in range(0, len(applications), BATCH):
        batch = applications[first : first + BATCH]
        files = store.officer_files(
            db,
            {app.officer_id for app in batch},
            ctx.window,
            assisted=ctx.policy.count_assisted_cases,
        )
        done = evaluate_all(batch, files, ctx)
        evaluations += done if officer_id or keep_records else [e.without_records() for e in done]
        if progress is not None:
            progress(len(evaluations))
    return sorted(evaluations, key=lambda ev: (unit_rank[ev.officer.unit], ev.officer.officer_id))


@store.writes
def evaluate_and_record(
    db: Database,
    round_: str,
    ctx: Context,
    officer_id: str | None,
    today: date,
    progress: Callable[[int], None] | None = None,
    *,
    keep_records: bool = False,
) -> list[Evaluation]:
    """``evaluate_round``, and record the evaluations with the policy version, in one IMMEDIATE
    transaction: what is recorded is what the records said when it was recorded.

    Raises:
        EvaluationError: as ``evaluate_round``.
        StoreError: the database refused them.
    """
    evaluations = evaluate_round(db, round_, ctx, officer_id, progress, keep_records=keep_records)
    record_evaluations(db, evaluations, ctx.policy, today)
    return evaluations
