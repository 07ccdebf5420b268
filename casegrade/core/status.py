"""The database at a glance: where it is, its schema and policy, what it holds, the rounds and
their state, and the last file imported of each kind (issue 11's `casegrade status`)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from sqlite_utils import Database

from casegrade import store
from casegrade.policy import Policy
from casegrade.records import Round


class RoundState(StrEnum):
    """How far a round has gone (S1.2 审考评聘)."""

    APPLYING = "applying"  # applications, no decision yet
    DECIDING = "deciding"  # decisions recorded, no appointment yet
    APPOINTED = "appointed"  # appointments made


@dataclass(frozen=True)
class RoundStatus:
    """A round on record with its counts. Attributes: round; applications, decisions,
    appointments (rows); state."""

    round: Round
    applications: int
    decisions: int
    appointments: int

    @property
    def state(self) -> RoundState:
        """Appointed once any appointment is made, deciding once any decision is."""
        if self.appointments:
            return RoundState.APPOINTED
        return RoundState.DECIDING if self.decisions else RoundState.APPLYING


@dataclass(frozen=True)
class LastImport:
    """The last file imported into a table. Attributes: table; at (ISO date-time); user; file
    (as the command named it)."""

    table: str
    at: str
    user: str
    file: str


@dataclass(frozen=True)
class Status:
    """The database at a glance.

    Attributes:
        path: the database file; size_bytes: its size (without its -wal file).
        schema: the last migration applied; policy_version: the policy in force's version.
        counts: rows per record table, in the store's order.
        rounds: the rounds on record, oldest first.
        imports: the last file imported into each table, by table name.
    """

    path: Path
    size_bytes: int
    schema: str
    policy_version: str
    counts: dict[str, int]
    rounds: list[RoundStatus]
    imports: list[LastImport]


def status(db: Database, path: Path, policy: Policy) -> Status:
    """The database at ``path`` (opened as ``db``) at a glance, under ``policy``."""
    counted = store.round_counts(db)
    rounds = [RoundStatus(r, *counted[r.round]) for r in store.all_rounds(db)]
    order = list(store.RECORDS)
    last = store.last_imports(db)
    imports = [LastImport(table, *last[table]) for table in sorted(last, key=order.index)]
    return Status(
        path.resolve(),
        path.stat().st_size,
        store.schema_version(db),
        policy.version,
        store.row_counts(db),
        rounds,
        imports,
    )
