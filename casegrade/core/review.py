"""The annual review (Seed S1.3 届中年度考核) and the yearly renewal: who is eliminated on which
grounds, recorded with the keys of the records behind each ground; each applied run is one
IMMEDIATE transaction.
"""

from __future__ import annotations

from collections import defaultdict
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta
from sqlite_utils import Database

from casegrade import store
from casegrade.core.holdings import all_holdings, in_bureau_order, review_records
from casegrade.core.procedure import get_round, require_in_force
from casegrade.errors import ProcedureError
from casegrade.lifecycle import (
    Ending,
    Ground,
    Holding,
    ReviewRecords,
    due_review_years,
    ground_on_record,
    other_incidents,
    review_grounds,
    review_window,
    under_review,
)
from casegrade.policy import Policy
from casegrade.records import Incident, Revocation


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
    records = review_records(db)
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
                "",
                year,
                store.operator(),
                policy.version,
                tuple(ground_on_record(g) for g in grounds),
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
        for found in store.all_rounds(db)
        for year in due_review_years(found, as_of)
    ]
    return RenewResult(dict(ended), reviews)
