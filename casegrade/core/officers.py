"""Officers by 执法证号, for the commands that name one."""

from __future__ import annotations

from sqlite_utils import Database

from casegrade import store
from casegrade.errors import EvaluationError
from casegrade.intake.reader import zero_twin
from casegrade.records import Officer


def officer(db: Database, officer_id: str) -> Officer:
    """The officer on record.

    Raises:
        EvaluationError: no such officer.
    """
    found = [o for o in [store.officer(db, officer_id)] if o is not None]
    if not found:
        twin = zero_twin(officer_id, store.officer_ids(db))
        hint = f"; did you mean {twin}?" if twin else ""
        raise EvaluationError(f"no officer {officer_id!r} on record{hint}")
    return found[0]
