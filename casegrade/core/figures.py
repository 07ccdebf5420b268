"""The scheme in figures: holders during a span, research reports per holder and year, the
quarterly bulletin of holders' cases (季通报, S2.4) and a round's figures as the bureau's account
gives them (S3.1).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from casegrade import store
from casegrade.core.holdings import all_holdings, in_bureau_order
from casegrade.errors import ProcedureError
from casegrade.lifecycle import Holding, quarter_span
from casegrade.policy import Policy
from casegrade.records import Case
from casegrade.vocab import Grade


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
    counts = Counter(r.officer_id for r in store.reports_between(db, first, last))
    return [(h, counts[h.officer.officer_id]) for h in holders_during(db, first, last, policy)]


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
    for case in store.cases_decided(db, first, last):
        led[case.lead_officer_id].append(case)
    rows = [
        (h, sorted(led[h.officer.officer_id], key=lambda c: c.decision_date))
        for h in holders_during(db, first, last, policy)
    ]
    return Bulletin(quarter, first, last, rows)


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


def round_figures(db: Database, policy: Policy, round_: str | None = None) -> RoundFigures:
    """The figures of one round (the latest with applications when None); a unit is an office
    when its name ends with the policy's office_suffix.

    Raises:
        ProcedureError: the round has no applications.
    """
    if round_ is None:
        known = store.application_rounds(db)
        if not known:
            raise ProcedureError("no applications on record; import them first")
        round_ = known[-1]
    applications = store.applications(db, round_)
    if not applications:
        raise ProcedureError(f"no applications in round {round_!r}")
    officers = {o.officer_id: o for o in store.officers(db)}
    appointments = store.appointments(db, round_)
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
    sanctioned = {s.officer_id for s in store.sanctions(db, round_)}
    return RoundFigures(
        round_,
        [u for u in ordered if u.endswith(policy.office_suffix)],
        [u for u in ordered if not u.endswith(policy.office_suffix)],
        len(applications),
        by_unit,
        {grade: appointed[grade] for grade in Grade},
        len(eliminated),
        len(sanctioned),
    )
