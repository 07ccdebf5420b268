"""Semiannual ratings during the term (Seed S2.4 半年考核) and their rectifications: recorded with
the checks of ``casegrade rate``, listed with what each brings and its deadline.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from casegrade import store
from casegrade.core.holdings import all_holdings
from casegrade.errors import ProcedureError, RowError
from casegrade.intake.reader import ParsedFile
from casegrade.lifecycle import (
    Holding,
    held_in,
    overdue,
    period_span,
    rating_outcome,
    rectification_deadline,
)
from casegrade.policy import Policy
from casegrade.records import Officer, Rating
from casegrade.vocab import RatingLevel, RatingOutcome, label


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
def rate(db: Database, rating: Rating, policy: Policy, correct: bool = False) -> RatedOfficer:
    """Record one holder's semiannual rating (S2.4), made after the half-year. There is one per
    holder per half-year: a different one on record is replaced only with ``correct`` (a
    rectification already completed is kept only if the level is still 不合格).

    Raises:
        ProcedureError: no such officer; the officer held no grade in that half-year; the date
            is not after it; or another rating is on record and ``correct`` is not given.
    """
    officer = store.officer(db, rating.officer_id)
    if officer is None:
        raise ProcedureError(f"no officer {rating.officer_id!r} on record")
    problem = _unrated_problem(all_holdings(db, policy), rating)
    if problem:
        raise ProcedureError(f"officer {rating.officer_id}: {problem}")
    before = store.ratings(db, rating.officer_id, rating.period)
    if before and not correct and dataclasses.replace(before[0], rectified_on=None) != rating:
        old = before[0]
        raise ProcedureError(
            f"officer {rating.officer_id} is already rated {label(old.level)} "
            f"for {rating.period} (on {old.rated_on}); one rating per "
            "half-year: give --correct to replace it"
        )
    saved = _keep_rectification(db, [rating])
    store.save(db, "ratings", saved)
    return _rated(saved[0], officer, policy)


def _keep_rectification(db: Database, ratings: list[Rating]) -> list[Rating]:
    old = {(r.officer_id, r.period): r for r in store.ratings(db)}
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
            for r in store.ratings(db, officer_id)
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
    """A rating with its officer and what it brings (S2.4).

    Attributes:
        rating, officer: the rating and the officer rated.
        outcome: commendation, advice or rectification.
        deadline: the last day to rectify (a 不合格 rating), else None.
        overdue: among open rectifications, still open after the deadline on the day asked.
    """

    rating: Rating
    officer: Officer
    outcome: RatingOutcome
    deadline: date | None
    overdue: bool = False


def ratings(db: Database, policy: Policy, period: str | None = None) -> list[RatedOfficer]:
    """The ratings of a half-year (or all), by officer_id, with what each brings."""
    officers = {o.officer_id: o for o in store.officers(db)}
    return [_rated(r, officers[r.officer_id], policy) for r in store.ratings(db, period=period)]


def _rated(rating: Rating, officer: Officer, policy: Policy) -> RatedOfficer:
    return RatedOfficer(
        rating, officer, rating_outcome(rating), rectification_deadline(rating, policy)
    )


def rectifications(
    db: Database, as_of: date, policy: Policy, only_overdue: bool = False
) -> list[RatedOfficer]:
    """Rectifications open on ``as_of`` (不合格 ratings made by then and not rectified by then),
    by rating date; only those past their deadline with ``only_overdue``."""
    found = []
    for item in ratings(db, policy):
        rating = item.rating
        if rating.level is not RatingLevel.FAIL or rating.rated_on > as_of:
            continue
        if rating.rectified_on is not None and rating.rectified_on <= as_of:
            continue
        late = overdue(dataclasses.replace(rating, rectified_on=None), as_of, policy)
        if late or not only_overdue:
            found.append(dataclasses.replace(item, overdue=late))
    return sorted(found, key=lambda r: (r.rating.rated_on, r.officer.officer_id))
