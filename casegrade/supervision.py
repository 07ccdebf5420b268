"""What happens between selections (Seed S1.1, S1.4, S2.4): semiannual ratings and their
rectifications, sanctions, the case-authority check, the research-report quota, the quarterly
bulletin and the bureau's figures. Each job joins the store and the pure rules.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from casegrade import store
from casegrade.appointing import ProcedureError
from casegrade.authority import Authority, UnknownCaseType, may_lead, required_grade
from casegrade.importers import LAYOUTS, ImportFailed, RowError, parse_file
from casegrade.lifecycle import Holding, grade_of, held_in, overdue, period_span
from casegrade.policy import Policy
from casegrade.records import Case, Officer, Rating, Sanction
from casegrade.reviewing import all_holdings, in_bureau_order
from casegrade.vocab import SANCTION_KINDS, Grade, IncidentKind, RatingLevel, label

# --- semiannual ratings (半年考核) and rectifications -----------------------------------------------


def _unrated_problem(held: list[Holding], rating: Rating) -> str | None:
    first, last = period_span(rating.period)
    if not held_in(held, rating.officer_id, first, last):
        return f"held no grade in {rating.period} ({first} to {last}); only case handlers are rated"
    if rating.rated_on < first:
        return f"rated on {rating.rated_on}, before the half-year {rating.period} began"
    return None


def rate(db: Database, rating: Rating, policy: Policy) -> Rating:
    """Record one holder's semiannual rating (S2.4); rating again replaces it, and keeps a
    rectification already completed only if the level is still 不合格.

    Raises:
        ProcedureError: the officer held no grade in that half-year, or the date is before it.
    """
    problem = _unrated_problem(all_holdings(db, policy), rating)
    if problem:
        raise ProcedureError(f"officer {rating.officer_id}: {problem}")
    saved = _keep_rectification(db, [rating])
    store.save(db, "ratings", saved)
    return saved[0]


def _keep_rectification(db: Database, ratings: list[Rating]) -> list[Rating]:
    old = {(r.officer_id, r.period): r for r in store.load(db, "ratings")}
    kept = []
    for rating in ratings:
        before = old.get((rating.officer_id, rating.period))
        done = before.rectified_on if before and rating.level is RatingLevel.FAIL else None
        kept.append(dataclasses.replace(rating, rectified_on=done))
    return kept


def import_ratings(db: Database, path: Path, policy: Policy) -> store.SaveCounts:
    """Import semiannual ratings, all or nothing, with the checks of rate.

    Raises:
        ImportFailed: a bad row, or a rating of someone who held no grade then.
        StoreError: the database refused them.
    """
    parsed = parse_file(path, LAYOUTS["ratings"], store.officer_ids(db))
    held = all_holdings(db, policy)
    errors = [
        RowError(str(path), row, "", rating.officer_id, problem)
        for rating, row in zip(parsed.records, parsed.rows, strict=True)
        if (problem := _unrated_problem(held, rating))
    ]
    if errors:
        raise ImportFailed(errors)
    return store.save(db, "ratings", _keep_rectification(db, parsed.records))


def rectify(db: Database, officer_id: str, on: date) -> Rating:
    """Record that an officer's open rectification (the latest 不合格 rating not yet rectified)
    was completed on ``on`` (整改完成).

    Raises:
        ProcedureError: no open rectification, or ``on`` is before the rating.
    """
    open_ones = [
        r
        for r in store.load(db, "ratings", "officer_id = ?", [officer_id])
        if r.level is RatingLevel.FAIL and r.rectified_on is None
    ]
    if not open_ones:
        raise ProcedureError(f"officer {officer_id} has no open rectification")
    rating = max(open_ones, key=lambda r: r.rated_on)
    if on < rating.rated_on:
        raise ProcedureError(f"rectified on {on}, before the rating of {rating.rated_on}")
    done = dataclasses.replace(rating, rectified_on=on)
    store.save(db, "ratings", [done])
    return done


@dataclass(frozen=True)
class RatedOfficer:
    """A rating with its officer. Attributes: rating, officer."""

    rating: Rating
    officer: Officer


def ratings(db: Database, period: str | None = None) -> list[RatedOfficer]:
    """The ratings of a half-year (or all), by officer_id."""
    officers = {o.officer_id: o for o in store.load(db, "officers")}
    found = (
        store.load(db, "ratings", "period = ?", [period]) if period else store.load(db, "ratings")
    )
    return [RatedOfficer(r, officers[r.officer_id]) for r in found]


def rectifications(
    db: Database, as_of: date, policy: Policy, only_overdue: bool = False
) -> list[RatedOfficer]:
    """Open rectifications (不合格 ratings not yet rectified) on ``as_of``, by deadline; only
    those past their deadline with ``only_overdue``."""
    found = [
        r
        for r in ratings(db)
        if r.rating.level is RatingLevel.FAIL
        and r.rating.rectified_on is None
        and (not only_overdue or overdue(r.rating, as_of, policy))
    ]
    return sorted(found, key=lambda r: (r.rating.rated_on, r.officer.officer_id))


# --- sanctions (S2.4) ----------------------------------------------------------------------------


def sanction(
    db: Database,
    officer_id: str,
    kind: IncidentKind,
    on: date,
    disqualify: bool,
    note: str,
    policy: Policy,
) -> tuple[Holding, Grade | None]:
    """Demote a holder one grade from ``on`` (a junior is disqualified), or disqualify directly,
    for 失职, 渎职, 违法办案 or 不按程序办案 (Seed S2.4). Returns the holding sanctioned and the grade
    held from ``on`` (None: disqualified).

    Raises:
        ProcedureError: not a sanction kind, the officer holds no grade on ``on``, or the same
            sanction is already recorded.
    """
    if kind not in SANCTION_KINDS:
        raise ProcedureError(
            f"{label(kind)} is not a sanction (S2.4); it is a ground of the "
            "annual review: casegrade review"
        )
    held = next(
        (
            h
            for h in all_holdings(db, policy)
            if h.officer.officer_id == officer_id and h.held_on(on)
        ),
        None,
    )
    if held is None:
        raise ProcedureError(f"officer {officer_id} holds no grade on {on}")
    record = Sanction(
        held.appointment.round,
        officer_id,
        on,
        kind,
        disqualify,
        note,
        store.operator(),
        policy.version,
    )
    key = (record.round, officer_id, on.isoformat(), kind.value)
    if any(
        (s.round, s.officer_id, s.effective_on.isoformat(), s.kind.value) == key
        for s in held.sanctions
    ):
        raise ProcedureError(f"this sanction of {officer_id} on {on} is already recorded")
    store.save(db, "sanctions", [record])
    after = next(h for h in all_holdings(db, policy) if h.appointment == held.appointment)
    return after, after.grade_on(on)


# --- case authority (S1.1) -----------------------------------------------------------------------


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


def recorded_case(db: Database, case_number: str) -> Case:
    """The case on record.

    Raises:
        ProcedureError: no such case.
    """
    found = store.load(db, "cases", "case_number = ?", [case_number])
    if not found:
        raise ProcedureError(f"no case {case_number!r} on record")
    return found[0]


def lead_check(db: Database, policy: Policy) -> list[tuple[Case, LeadAnswer]]:
    """Recorded cases decided during a round's term whose lead officer's grade on the decision
    date was too low to lead them (none counts as too low), oldest first.

    Raises:
        ProcedureError: a case's type is no longer in the policy's table.
    """
    officers = {o.officer_id: o for o in store.load(db, "officers")}
    terms = [(r.term_start, r.term_end) for r in store.load(db, "rounds")]
    held = all_holdings(db, policy)
    found = []
    for case in store.load(db, "cases"):
        if not any(first <= case.decision_date <= last for first, last in terms):
            continue
        try:
            authority = required_grade(case.case_type, case.case_value_fen, case.complex, policy)
        except UnknownCaseType as exc:
            raise ProcedureError(f"case {case.case_number}: {exc}") from None
        grade = grade_of(held, case.lead_officer_id, case.decision_date)
        if not may_lead(grade, authority):
            answer = LeadAnswer(
                officers[case.lead_officer_id], case.decision_date, grade, authority, False
            )
            found.append((case, answer))
    return sorted(found, key=lambda item: (item[0].decision_date, item[0].case_number))


# --- research reports (S1.4) and the quarterly bulletin (S2.4) ---------------------------------


def report_counts(db: Database, year: int, policy: Policy) -> list[tuple[Holding, int]]:
    """Each holder who held a grade in ``year``, with the research reports dated in it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = Counter(r.officer_id for r in store.load(db, "reports") if first <= r.date <= last)
    holders = [
        h
        for h in all_holdings(db, policy)
        if h.appointment.term_start <= last and h.last_day >= first
    ]
    return [(h, counts[h.officer.officer_id]) for h in in_bureau_order(db, holders, last)]


def quarter_span(quarter: str) -> tuple[date, date]:
    """The first and last day of a quarter such as "2027Q1".

    Raises:
        ProcedureError: not such a quarter.
    """
    text = quarter.strip().upper()
    if len(text) != 6 or not text[:4].isdigit() or text[4] != "Q" or text[5] not in "1234":
        raise ProcedureError(f"not a quarter: {quarter!r}; write it as 2027Q1")
    first = date(int(text[:4]), 3 * int(text[5]) - 2, 1)
    return first, first + relativedelta(months=3, days=-1)


def bulletin(db: Database, quarter: str, policy: Policy) -> list[tuple[Holding, list[Case]]]:
    """季通报: each holder during the quarter, with the cases they led decided in it."""
    first, last = quarter_span(quarter)
    led: dict[str, list[Case]] = defaultdict(list)
    for case in store.load(db, "cases"):
        if first <= case.decision_date <= last:
            led[case.lead_officer_id].append(case)
    holders = [
        h
        for h in all_holdings(db, policy)
        if h.appointment.term_start <= last and h.last_day >= first
    ]
    return [
        (h, sorted(led[h.officer.officer_id], key=lambda c: c.decision_date))
        for h in in_bureau_order(db, holders, last)
    ]


# --- the bureau's figures (S3.1) -----------------------------------------------------------------


@dataclass(frozen=True)
class RoundFigures:
    """A round in figures, shaped like the bureau's account (S3.1).

    Attributes:
        round: the round.
        offices, sections: units that applied: 所 (offices) and the others (sections), in order.
        applicants: applications in the round.
        appointed: appointments by grade.
        eliminated: holders eliminated by annual reviews.
        sanctioned: holders demoted or disqualified.
    """

    round: str
    offices: list[str]
    sections: list[str]
    applicants: int
    appointed: dict[Grade, int]
    eliminated: int
    sanctioned: int


def round_figures(db: Database, round_: str) -> RoundFigures:
    """The figures of one round.

    Raises:
        ProcedureError: the round has no applications.
    """
    applications = store.applications(db, round_)
    if not applications:
        raise ProcedureError(f"no applications in round {round_!r}")
    officers = {o.officer_id: o for o in store.load(db, "officers")}
    units = {officers[a.officer_id].unit for a in applications}
    ordered = [u for u in store.unit_order(db) if u in units]
    appointed = Counter(a.grade for a in store.load(db, "appointments", "round = ?", [round_]))
    eliminated = {r.officer_id for r in store.revocations(db) if r.round == round_}
    sanctioned = {s.officer_id for s in store.load(db, "sanctions", "round = ?", [round_])}
    return RoundFigures(
        round_,
        [u for u in ordered if u.endswith("所")],
        [u for u in ordered if not u.endswith("所")],
        len(applications),
        {grade: appointed[grade] for grade in Grade},
        len(eliminated),
        len(sanctioned),
    )
