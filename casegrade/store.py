"""The SQLite file: opening and migrating it, writing imported records, loading records for the rules.

The only module that speaks SQL. Dates are stored as ISO text, money as integer fen, flags as 0/1.
"""

from __future__ import annotations

import dataclasses
import functools
import sqlite3
import types
import typing
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError
from sqlite_utils.migrations import Migrations

from casegrade.errors import CasegradeError
from casegrade.records import Application, Case, Honor, Officer, OfficerFile

migrations = Migrations("casegrade")

# table -> its natural key (the primary key), on which imports upsert
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "officers": ("officer_id",),
    "honors": ("officer_id", "date", "name"),
    "cases": ("case_number",),
    "applications": ("round", "officer_id"),
}


class StoreError(CasegradeError):
    """The database cannot be used as asked; the message says what to do."""


@migrations()
def m001_records(db: Database) -> None:
    """Officers, honors, cases and applications (issue 2)."""
    db["officers"].create(
        {
            "officer_id": str,
            "name": str,
            "sex": str,
            "birth_date": str,
            "unit": str,
            "enforcement_start": str,
            "id_number": str,
            "position": str,
            "retirement_category": str,
            "retirement_date": str,
        },
        pk="officer_id",
        not_null={"name", "sex", "birth_date", "unit", "enforcement_start", "retirement_category"},
    )
    db["honors"].create(
        {
            "officer_id": str,
            "date": str,
            "level": str,
            "kind": str,
            "name": str,
            "enforcement_related": int,
        },
        pk=("officer_id", "date", "name"),
        not_null={"level", "kind", "enforcement_related"},
        foreign_keys=[("officer_id", "officers", "officer_id")],
    )
    db["cases"].create(
        {
            "case_number": str,
            "lead_officer_id": str,
            "case_type": str,
            "case_value_fen": int,
            "penalty_fen": int,
            "decision_date": str,
            "assistant_officer_id": str,
            "typical_level": str,
            "typical_date": str,
            "complex": int,
        },
        pk="case_number",
        not_null={
            "lead_officer_id",
            "case_type",
            "case_value_fen",
            "penalty_fen",
            "decision_date",
            "complex",
        },
        foreign_keys=[
            ("lead_officer_id", "officers", "officer_id"),
            ("assistant_officer_id", "officers", "officer_id"),
        ],
    )
    db["cases"].create_index(["lead_officer_id"])
    db["cases"].create_index(["assistant_officer_id"])
    db["applications"].create(
        {"round": str, "officer_id": str, "grade": str, "applied_on": str},
        pk=("round", "officer_id"),
        not_null={"grade", "applied_on"},
        foreign_keys=[("officer_id", "officers", "officer_id")],
    )


def open_db(path: Path | str) -> Database:
    """Open (creating if need be) and migrate the casegrade database at ``path``.

    Foreign keys are enforced; WAL journal and a 5 s busy timeout let a second reader wait.

    Raises:
        StoreError: the file cannot be opened as a database, or is some other program's database.
    """
    try:
        db = Database(path)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA busy_timeout = 5000")
        if db.table_names() and not migrations.applied(db):
            raise StoreError(
                f"{path} is not a casegrade database; give another path with --db or CASEGRADE_DB"
            )
        db.enable_wal()
        migrations.apply(db)
    except sqlite3.Error as exc:
        raise StoreError(
            f"cannot open database {path}: {exc}; check the path given with --db or CASEGRADE_DB"
        ) from exc
    return db


# --- record <-> row -----------------------------------------------------------------------------


def _to_cell(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _from_cell(kind: Any, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(kind, types.UnionType):  # "X | None"
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if kind is date:
        return date.fromisoformat(value)
    if kind is bool:
        return bool(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value


def to_row(record: Any) -> dict[str, Any]:
    """A record as a row of its table."""
    return {f.name: _to_cell(getattr(record, f.name)) for f in dataclasses.fields(record)}


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_row(cls: type, row: dict[str, Any]) -> Any:
    """A row of a table as a record of class ``cls``."""
    hints = _type_hints(cls)
    return cls(**{f.name: _from_cell(hints[f.name], row[f.name]) for f in dataclasses.fields(cls)})


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveCounts:
    """What an import did, in rows. Attributes: added, changed, unchanged, removed."""

    added: int
    changed: int
    unchanged: int
    removed: int = 0


def save(db: Database, table: str, records: list[Any], *, replace: bool = False) -> SaveCounts:
    """Upsert records into ``table`` on their natural key, all in one transaction; with
    ``replace``, also remove the rows whose key is not among the records (the file is the full
    set, so a corrected key does not leave the old row behind).

    Re-importing the same records changes nothing.

    Raises:
        StoreError: the database refused a row (a constraint, such as removing an officer whom
            cases still name, or a locked file); nothing was written.
    """
    pk = PRIMARY_KEYS[table]
    rows = [to_row(record) for record in records]
    keys = {tuple(row[k] for k in pk) for row in rows}
    added = changed = removed = 0
    try:
        with db.atomic():
            for row in rows:
                key = tuple(row[k] for k in pk)
                try:
                    old = db[table].get(key if len(pk) > 1 else key[0])
                except NotFoundError:
                    added += 1
                    continue
                changed += old != row
            db[table].upsert_all(rows, pk=pk)
            if replace:
                columns = ", ".join(f"[{k}]" for k in pk)
                for old_key in [tuple(r) for r in db.execute(f"select {columns} from [{table}]")]:
                    if old_key not in keys:
                        db[table].delete(old_key if len(pk) > 1 else old_key[0])
                        removed += 1
    except sqlite3.Error as exc:
        raise StoreError(f"the database refused the {table}: {exc}; nothing was written") from exc
    return SaveCounts(added, changed, len(rows) - added - changed, removed)


# --- reading ------------------------------------------------------------------------------------


def officer_ids(db: Database) -> set[str]:
    """Every officer_id on record."""
    return {row["officer_id"] for row in db.query("select officer_id from officers")}


def unit_order(db: Database) -> list[str]:
    """Units in the order they first appear in the officers imported (the bureau's own order)."""
    sql = "select unit from officers group by unit order by min(rowid)"
    return [row["unit"] for row in db.query(sql)]


def rounds(db: Database) -> list[str]:
    """Rounds that have applications, oldest first."""
    return [row["round"] for row in db.query("select distinct round from applications order by 1")]


def applications(db: Database, round_: str, officer_id: str | None = None) -> list[Application]:
    """Applications of one round (optionally of one officer), by officer_id."""
    where, params = "round = ?", [round_]
    if officer_id is not None:
        where, params = where + " and officer_id = ?", [*params, officer_id]
    return [
        from_row(Application, row)
        for row in db["applications"].rows_where(where, params, order_by="officer_id")
    ]


def officer_files(db: Database, ids: set[str]) -> dict[str, OfficerFile]:
    """officer_id -> the officer with all their honors and the cases they led or assisted."""
    honors, cases = defaultdict(list), defaultdict(list)
    for row in db["honors"].rows:
        honors[row["officer_id"]].append(from_row(Honor, row))
    for row in db["cases"].rows:
        case = from_row(Case, row)
        cases[case.lead_officer_id].append(case)
        if case.assistant_officer_id:
            cases[case.assistant_officer_id].append(case)
    files = {}
    for row in db["officers"].rows:
        if row["officer_id"] in ids:
            officer = from_row(Officer, row)
            files[officer.officer_id] = OfficerFile(
                officer, tuple(honors[officer.officer_id]), tuple(cases[officer.officer_id])
            )
    return files
