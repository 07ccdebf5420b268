"""Grades during and after their term (Seed S1.3, S1.4): the roster on a day, terms about to end,
the annual review that eliminates holders, the yearly renewal, and one officer's history.
Each job joins the store and the pure rules of lifecycle.py.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from casegrade import store
from casegrade.appointing import ProcedureError, get_round, require_in_force
from casegrade.labels import ground_text
from casegrade.lifecycle import (
    Ending,
    Ground,
    Holding,
    ReviewRecords,
    due_review_years,
    exam_passed,
    holdings,
    holdings_on,
    other_incidents,
    review_grounds,
    review_window,
    sanction_outcomes,
    under_review,
)
from casegrade.policy import Policy
from casegrade.records import Incident, Revocation
from casegrade.vocab import Grade, label


def all_holdings(db: Database, policy: Policy) -> list[Holding]:
    """Every appointment ever made, with how long it lasts and its sanctions."""
    officers = {o.officer_id: o for o in store.load(db, "officers")}
    return holdings(
        store.load(db, "appointments"),
        officers,
        store.revocations(db),
        policy,
        store.load(db, "sanctions"),
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


@dataclass(frozen=True)
class ReviewResult:
    """One annual review.

    Attributes:
        round, year: what was reviewed.
        on: the review date; eliminations take effect on it.
        rows: each holder still holding the grade on ``on``, with the grounds found (empty
            when they stay) and the year's other incidents (sanctions, not grounds).
        ended: holders of the year whose grade ended before ``on`` with retirement (no
            elimination needed).
        applied: whether the eliminations were written now (False: a dry run).
        done_before: the earlier applied run of this review (applied_on, eliminated), if any.
    """

    round: str
    year: int
    on: date
    rows: list[tuple[Holding, list[Ground], list[Incident]]]
    ended: list[Holding]
    applied: bool
    done_before: dict | None = None

    @property
    def eliminated(self) -> list[tuple[Holding, list[Ground]]]:
        """The holders with at least one ground."""
        return [(held, grounds) for held, grounds, _ in self.rows if grounds]


def _review_records(db: Database) -> dict[str, ReviewRecords]:
    gathered: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for table in ("assessments", "complaints", "incidents"):
        for record in store.load(db, table):
            gathered[record.officer_id][table].append(record)
    return {
        officer_id: ReviewRecords(
            tuple(tables["assessments"]), tuple(tables["complaints"]), tuple(tables["incidents"])
        )
        for officer_id, tables in gathered.items()
    }


def review(
    db: Database, round_: str, year: int, on: date, policy: Policy, apply: bool = False
) -> ReviewResult:
    """The annual review of a round's holders for a calendar year (Seed S1.3 届中年度考核), made
    on ``on`` (after the year, within the term). Without ``apply`` nothing is written (a dry
    run). With it, each holder with a ground is eliminated (淘汰) from ``on``, with the reasons
    and records, in one IMMEDIATE transaction with the checks before it and the record of the
    review (two reviews applied at once eliminate nobody twice). Running it again finds only
    what is new (the eliminated are gone), so twice is the same as once.

    Raises:
        ProcedureError: no such round; the term does not run past the year; ``on`` is not
            after the year or not within the term; the policy is not in force on ``on``.
    """
    with store.immediate(db) if apply else nullcontext():
        return _review(db, round_, year, on, policy, apply)


def _review(
    db: Database, round_: str, year: int, on: date, policy: Policy, apply: bool
) -> ReviewResult:
    """The review itself; see ``review``."""
    found = get_round(db, round_)
    try:
        first, last = review_window(found, year)
    except ValueError as exc:
        raise ProcedureError(str(exc)) from None
    if not first <= on <= last:
        raise ProcedureError(
            f"the review of {year} is made from {first} to {last} (after the "
            f"year, within the term); give --on in that span"
        )
    require_in_force(policy, on)
    records = _review_records(db)
    year_start = date(year, 1, 1)
    of_year = [
        h
        for h in all_holdings(db, policy)
        if h.appointment.round == round_ and h.revocation is None and h.last_day >= year_start
    ]
    reviewed = [h for h in of_year if under_review(h, found, year, on)]
    ended = [h for h in of_year if not h.held_on(on)]
    rows = []
    for held in in_bureau_order(db, reviewed):
        own = records.get(held.officer.officer_id, ReviewRecords())
        rows.append((held, review_grounds(held, own, year, policy), other_incidents(own, year)))
    rows.sort(key=lambda row: not row[1])  # the eliminated first, in bureau order
    result = ReviewResult(
        round_,
        year,
        on,
        rows,
        in_bureau_order(db, ended),
        apply,
        store.reviews_done(db, round_).get(year),
    )
    if apply:
        revocations = [
            Revocation(
                round_,
                held.officer.officer_id,
                on,
                "eliminated",
                "；".join(ground_text(g, policy) for g in grounds),
                year,
                store.operator(),
                policy.version,
            )
            for held, grounds in result.eliminated
        ]
        store.record_review(db, revocations, round_, year, on, policy.version)
    return result


@dataclass(frozen=True)
class RenewResult:
    """What the yearly renewal found. Attributes: ended (round -> holdings whose term ended in
    the past year, 自动终止), reviews (the annual reviews that were due)."""

    ended: dict[str, list[Holding]]
    reviews: list[ReviewResult]


def renew(db: Database, as_of: date, policy: Policy, apply: bool = False) -> RenewResult:
    """The yearly renewal a script runs (Seed S1.3): report the grades whose term ended in the
    past year (they end by themselves; nothing is written for them) and run, as of ``as_of``,
    the annual review of every year of a running term that is over, so that records imported
    late are still reviewed. Without ``apply`` it is a dry run. Running it twice is the same as
    running it once.

    Raises:
        ProcedureError: the policy is not in force on ``as_of`` (when a review is due).
    """
    with store.immediate(db) if apply else nullcontext():  # every year's review, or none
        return _renew(db, as_of, policy, apply)


def _renew(db: Database, as_of: date, policy: Policy, apply: bool) -> RenewResult:
    ended: dict[str, list[Holding]] = defaultdict(list)
    for held in all_holdings(db, policy):
        a_year_ago = as_of - relativedelta(years=1)
        if held.ended_by is Ending.TERM and a_year_ago <= held.last_day < as_of:
            ended[held.appointment.round].append(held)
    reviews = [
        review(db, found.round, year, as_of, policy, apply)
        for found in store.load(db, "rounds")
        for year in due_review_years(found, as_of)
    ]
    return RenewResult(dict(ended), reviews)


@dataclass(frozen=True)
class Event:
    """One line of an officer's history. Attributes: on (date), what (Chinese), round, detail."""

    on: date
    what: str
    round: str
    detail: str


def history(db: Database, officer_id: str, as_of: date, policy: Policy) -> list[Event]:
    """Every step of an officer's grades, oldest first: applications, exams, decisions,
    appointments, revocations, and term ends or retirement as they fall on or before ``as_of``
    (later ones are shown as scheduled)."""
    where, params = "officer_id = ?", [officer_id]
    events = [
        Event(a.applied_on, f"申报{label(a.grade)}", a.round, "")
        for a in store.load(db, "applications", where, params)
    ]
    rounds = {r.round: r for r in store.load(db, "rounds")}
    for exam in store.load(db, "exams", where, params):
        on = rounds[exam.round].evaluate_on if exam.round in rounds else date.min
        passed = "合格" if exam_passed(exam, policy) else "不合格"
        events.append(Event(on, "考试", exam.round, f"成绩 {exam.score}（{passed}）"))
    for d in store.load(db, "decisions", where, params):
        what = f"评定同意{label(d.grade)}" if d.approved else "评定不同意"
        events.append(Event(d.decided_on, what, d.round, d.reason or ""))
    for held in all_holdings(db, policy):
        if held.officer.officer_id != officer_id:
            continue
        a = held.appointment
        events.append(
            Event(
                a.term_start,
                f"聘任{label(a.grade)}",
                a.round,
                f"任期 {a.term_start} 至 {a.term_end}，政策 {a.policy_version}",
            )
        )
        for sanction, after in sanction_outcomes(held.appointment, held.sanctions):
            what = (f"降为{label(after)}" if after else "取消资格") + (
                "（预定）" if sanction.effective_on > as_of else ""
            )
            detail = f"{label(sanction.kind)}：{sanction.note}".rstrip("：")
            events.append(Event(sanction.effective_on, what, a.round, detail))
        if held.revocation is not None:
            events.append(
                Event(held.revocation.effective_on, "淘汰", a.round, held.revocation.reason)
            )
        scheduled = "" if held.last_day < as_of else "（预定）"
        if held.ended_by is Ending.RETIREMENT:
            events.append(
                Event(
                    held.last_day + timedelta(days=1),
                    f"达到退休年龄，级别终止{scheduled}",
                    a.round,
                    "",
                )
            )
        elif held.ended_by is Ending.TERM:
            events.append(
                Event(a.term_end, f"任期届满，自动终止{scheduled}", a.round, "须在下一届重新申报")
            )
    steps = ("申报", "考试", "评定", "聘任")  # same-day events in the procedure's order
    return sorted(
        events,
        key=lambda e: (
            e.on,
            next((i for i, step in enumerate(steps) if e.what.startswith(step)), len(steps)),
        ),
    )
