"""Officers by 执法证号 or by name, for the commands that name one."""

from __future__ import annotations

from sqlite_utils import Database

from casegrade import store
from casegrade.errors import EvaluationError
from casegrade.intake.reader import zero_twin
from casegrade.records import Officer


def officer(db: Database, who: str) -> Officer:
    """The officer on record with the 执法证号 ``who``, or else the one officer of that name.

    Raises:
        EvaluationError: no such officer (with the 执法证号 Excel would have left of it), or
            several of that name (the message lists them).
    """
    found = store.officer(db, who)
    if found is not None:
        return found
    named = [o for o in store.officers_called(db, who) if o.name == who]
    if len(named) == 1:
        return named[0]
    if named:
        listed = "、".join(f"{o.officer_id} {o.name}（{o.unit}）" for o in named)
        raise EvaluationError(f"{len(named)} officers are named {who}: {listed}; give the 执法证号")
    twin = zero_twin(who, store.officer_ids(db))
    hint = f"; did you mean {twin}?" if twin else ""
    raise EvaluationError(f"no officer {who!r} on record{hint}")


def find(db: Database, part: str) -> list[Officer]:
    """The officers whose name contains ``part`` (张 finds 张伟 and 李张), by 执法证号."""
    return store.officers_called(db, part)
