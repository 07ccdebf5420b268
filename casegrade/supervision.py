"""What happens between selections (Seed S1.1, S1.4, S2.4): semiannual ratings and their
rectifications, sanctions, the case-authority check, the research-report quota, the quarterly
bulletin and the bureau's figures. Each job joins the store and the pure rules.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from casegrade import store
from casegrade.appointing import ProcedureError
from casegrade.authority import Authority, UnknownCaseType, may_lead, required_grade
from casegrade.importers import ParsedFile, RowError
from casegrade.lifecycle import Holding, grade_of, held_in, overdue, period_span
from casegrade.policy import Policy
from casegrade.records import Case, Officer, Rating, Sanction
from casegrade.reviewing import all_holdings, in_bureau_order
from casegrade.vocab import SANCTION_KINDS, Grade, IncidentKind, RatingLevel, label

# --- semiannual ratings (半年考核) and rectifications -----------------------------------------------


def _unrated_problem(held: list[Holding], rating: Rating) -> str | None:
    first, last = period_span(rating.period)
    if rating.rated_on <= last:
        return (
            f"rated on {rating.rated_on}, before the half-year {rating.period} is over "
            f"(it ends {last})"
        )
    if not held_in(held, rating.officer_id, first, last):
        return f"held no grade in {rating.period} ({first} to {last}); only case handlers are rated"
    return None


@store.writes
def rate(db: Database, rating: Rating, policy: Policy, correct: bool = False) -> Rating:
    """Record one holder's semiannual rating (S2.4), made after the half-year. There is one per
    holder per half-year: a different one on record is replaced only with ``correct`` (a
    rectification already completed is kept only if the level is still 不合格).

    Raises:
        ProcedureError: no such officer; the officer held no grade in that half-year; the date
            is not after it; or another rating is on record and ``correct`` is not given.
    """
    if not store.load(db, "officers", "officer_id = ?", [rating.officer_id]):
        raise ProcedureError(f"no officer {rating.officer_id!r} on record")
    problem = _unrated_problem(all_holdings(db, policy), rating)
    if problem:
        raise ProcedureError(f"officer {rating.officer_id}: {problem}")
    before = store.load(
        db, "ratings", "officer_id = ? and period = ?", [rating.officer_id, rating.period]
    )
    if before and not correct and dataclasses.replace(before[0], rectified_on=None) != rating:
        old = before[0]
        raise ProcedureError(
            f"officer {rating.officer_id} is already rated {label(old.level)} "
            f"for {rating.period} (on {old.rated_on}); one rating per "
            "half-year: give --correct to replace it"
        )
    saved = _keep_rectification(db, [rating])
    store.save(db, "ratings", saved)
    return saved[0]


def _keep_rectification(db: Database, ratings: list[Rating]) -> list[Rating]:
    old = {(r.officer_id, r.period): r for r in store.load(db, "ratings")}
    kept = []
    for rating in ratings:
        before = old.get((rating.officer_id, rating.period))
        done = before.rectified_on if before and rating.level is RatingLevel.FAIL else None
        if done is not None and done < rating.rated_on:
            done = None  # a new rating after the rectification opens a new one
        kept.append(dataclasses.replace(rating, rectified_on=done))
    return kept


def checked_ratings(
    db: Database, parsed: ParsedFile, policy: Policy
) -> tuple[list[Rating], list[RowError]]:
    """Ratings read from a file, with the checks of rate: the ratings to store (a completed
    rectification kept, as ``rate`` keeps it) and the rows of someone who held no grade then."""
    held = all_holdings(db, policy)
    errors = [
        RowError(str(parsed.path), row, "", rating.officer_id, problem)
        for rating, row in zip(parsed.records, parsed.rows, strict=True)
        if (problem := _unrated_problem(held, rating))
    ]
    return _keep_rectification(db, parsed.records), errors


@store.writes
def rectify(db: Database, officer_id: str, on: date, period: str | None = None) -> Rating:
    """Record that an officer's rectification was completed on ``on`` (整改完成): the one of
    ``period``, or else the oldest open one rated on or before ``on``.

    Raises:
        ProcedureError: no such open rectification, or ``on`` is before its rating.
    """
    open_ones = sorted(
        (
            r
            for r in store.load(db, "ratings", "officer_id = ?", [officer_id])
            if r.level is RatingLevel.FAIL
            and r.rectified_on is None
            and (period is None or r.period == period)
        ),
        key=lambda r: r.rated_on,
    )
    if not open_ones:
        which = f" for {period}" if period else ""
        raise ProcedureError(f"officer {officer_id} has no open rectification{which}")
    rating = next((r for r in open_ones if r.rated_on <= on), None)
    if rating is None:
        raise ProcedureError(f"rectified on {on}, before the rating of {open_ones[0].rated_on}")
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
    """Rectifications open on ``as_of`` (不合格 ratings made by then and not rectified by then),
    by rating date; only those past their deadline with ``only_overdue``."""
    found = []
    for item in ratings(db):
        rating = item.rating
        if rating.level is not RatingLevel.FAIL or rating.rated_on > as_of:
            continue
        if rating.rectified_on is not None and rating.rectified_on <= as_of:
            continue
        as_then = dataclasses.replace(rating, rectified_on=None)
        if not only_overdue or overdue(as_then, as_of, policy):
            found.append(item)
    return sorted(found, key=lambda r: (r.rating.rated_on, r.officer.officer_id))


# --- sanctions (S2.4) ----------------------------------------------------------------------------


@store.writes
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
        ProcedureError: not a sanction kind; no such officer; the officer holds no grade on
            ``on``; a later sanction is on record; or the same sanction is already recorded.
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
        if not store.load(db, "officers", "officer_id = ?", [officer_id]):
            raise ProcedureError(f"no officer {officer_id!r} on record")
        raise ProcedureError(f"officer {officer_id} holds no grade on {on}")
    later = [s for s in held.sanctions if s.effective_on > on]
    if later:
        raise ProcedureError(
            f"a sanction of {officer_id} dated {later[0].effective_on} is on "
            "record; sanctions are recorded in date order, since each lowers "
            "the grade the next one starts from"
        )
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


def can_lead_case(
    db: Database, officer: Officer, case_number: str, on: date | None, policy: Policy
) -> tuple[LeadAnswer, Case]:
    """Whether ``officer`` may lead a recorded case, on ``on`` or else its decision date.

    Raises:
        ProcedureError: no such case, or its type is no longer in the policy's table.
    """
    found = store.load(db, "cases", "case_number = ?", [case_number])
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


def holders_during(db: Database, first: date, last: date, policy: Policy) -> list[Holding]:
    """One holding per officer who held a grade on any day from ``first`` to ``last`` (the latest,
    should two rounds meet in the span), in bureau order by the grade held on ``last``."""
    latest: dict[str, Holding] = {}
    for held in all_holdings(db, policy):
        if held.appointment.term_start <= last and held.last_day >= first:
            known = latest.get(held.officer.officer_id)
            if known is None or known.appointment.term_start < held.appointment.term_start:
                latest[held.officer.officer_id] = held
    return in_bureau_order(db, list(latest.values()), last)


def report_counts(db: Database, year: int, policy: Policy) -> list[tuple[Holding, int]]:
    """Each officer who held a grade in ``year``, with the research reports dated in it."""
    first, last = date(year, 1, 1), date(year, 12, 31)
    counts = Counter(r.officer_id for r in store.load(db, "reports") if first <= r.date <= last)
    return [(h, counts[h.officer.officer_id]) for h in holders_during(db, first, last, policy)]


def quarter_span(quarter: str) -> tuple[date, date]:
    """The first and last day of a quarter such as "2027Q1" (importers.parse_quarter's form)."""
    first = date(int(quarter[:4]), 3 * int(quarter[5]) - 2, 1)
    return first, first + relativedelta(months=3, days=-1)


@dataclass(frozen=True)
class Bulletin:
    """季通报 of one quarter. Attributes: quarter, first, last (its days), rows (each holder with
    the cases they led decided in it), count, value_fen, penalty_fen (totals of those cases)."""

    quarter: str
    first: date
    last: date
    rows: list[tuple[Holding, list[Case]]]

    @property
    def cases(self) -> list[Case]:
        """Every case in the bulletin."""
        return [case for _, cases in self.rows for case in cases]

    @property
    def value_fen(self) -> int:
        return sum(case.case_value_fen for case in self.cases)

    @property
    def penalty_fen(self) -> int:
        return sum(case.penalty_fen for case in self.cases)


def bulletin(db: Database, quarter: str, policy: Policy) -> Bulletin:
    """季通报 (S2.4): each officer who held a grade during ``quarter`` ("2027Q1"), once, with the
    cases they led decided in it."""
    first, last = quarter_span(quarter)
    led: dict[str, list[Case]] = defaultdict(list)
    for case in store.load(db, "cases"):
        if first <= case.decision_date <= last:
            led[case.lead_officer_id].append(case)
    rows = [
        (h, sorted(led[h.officer.officer_id], key=lambda c: c.decision_date))
        for h in holders_during(db, first, last, policy)
    ]
    return Bulletin(quarter, first, last, rows)


# --- the bureau's figures (S3.1) -----------------------------------------------------------------


@dataclass(frozen=True)
class RoundFigures:
    """A round in figures, shaped like the bureau's account (S3.1).

    Attributes:
        round: the round.
        offices, sections: units that applied: 所 (offices) and the others (sections), in order.
        applicants: applications in the round.
        by_unit: unit -> (applications, appointments by grade), in bureau order.
        appointed: appointments by grade.
        eliminated: holders eliminated by annual reviews.
        sanctioned: holders demoted or disqualified.
    """

    round: str
    offices: list[str]
    sections: list[str]
    applicants: int
    by_unit: dict[str, tuple[int, dict[Grade, int]]]
    appointed: dict[Grade, int]
    eliminated: int
    sanctioned: int


def round_figures(db: Database, round_: str | None = None) -> RoundFigures:
    """The figures of one round (the latest with applications when None).

    Raises:
        ProcedureError: the round has no applications.
    """
    if round_ is None:
        known = store.rounds(db)
        if not known:
            raise ProcedureError("no applications on record; import them first")
        round_ = known[-1]
    applications = store.applications(db, round_)
    if not applications:
        raise ProcedureError(f"no applications in round {round_!r}")
    officers = {o.officer_id: o for o in store.load(db, "officers")}
    appointments = store.load(db, "appointments", "round = ?", [round_])
    ordered = [
        u
        for u in store.unit_order(db)
        if any(officers[a.officer_id].unit == u for a in applications)
    ]
    by_unit = {
        unit: (
            sum(officers[a.officer_id].unit == unit for a in applications),
            {
                g: sum(officers[a.officer_id].unit == unit and a.grade is g for a in appointments)
                for g in Grade
            },
        )
        for unit in ordered
    }
    appointed = Counter(a.grade for a in appointments)
    eliminated = {r.officer_id for r in store.revocations(db) if r.round == round_}
    sanctioned = {s.officer_id for s in store.load(db, "sanctions", "round = ?", [round_])}
    return RoundFigures(
        round_,
        [u for u in ordered if u.endswith("所")],
        [u for u in ordered if not u.endswith("所")],
        len(applications),
        by_unit,
        {grade: appointed[grade] for grade in Grade},
        len(eliminated),
        len(sanctioned),
    )
