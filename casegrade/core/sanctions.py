"""Sanctions during the term (Seed S2.4): demotion or disqualification for 失职, 渎职 and the like,
checked against the grade held and recorded with who and under which policy.
"""

from __future__ import annotations

from datetime import date

from sqlite_utils import Database

from casegrade import store
from casegrade.core.holdings import all_holdings
from casegrade.errors import ProcedureError
from casegrade.lifecycle import Holding
from casegrade.policy import Policy
from casegrade.records import Sanction
from casegrade.vocab import SANCTION_KINDS, Grade, IncidentKind, label


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
        if store.officer(db, officer_id) is None:
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
