"""The SQLite file: opening and migrating it, writing imported records, loading records for the rules.

The only module that speaks SQL. Dates are stored as ISO text, money as integer fen, flags as 0/1.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import itertools
import json
import os
import re
import sqlite3
import types
import typing
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from operator import attrgetter
from pathlib import Path
from typing import Any, TypeVar

from sqlite_utils import Database
from sqlite_utils.db import NotFoundError
from sqlite_utils.migrations import Migrations

from casegrade.errors import CopyExists, ReadOnly, StoreError
from casegrade.invocation import BEFORE_WRITE, COMMAND, SOURCE
from casegrade.records import (
    PRIMARY_KEYS,
    AnnualAssessment,
    Application,
    Appointment,
    AuditProblem,
    Case,
    Complaint,
    Decision,
    EvaluationRecord,
    Exam,
    Honor,
    Incident,
    Officer,
    OfficerFile,
    Rating,
    Report,
    Revocation,
    Round,
    Sanction,
    Training,
)
from casegrade.vocab import ReviewKind

migrations = Migrations("casegrade")
T = TypeVar("T")

# table -> its natural key (the primary key), on which imports upsert
# table -> tables whose rows belong to one of its rows by sharing its key, with no foreign key
# in the schema: an application's exam, decision and appointment
BELONG_TO: dict[str, tuple[str, ...]] = {"applications": ("exams", "decisions", "appointments")}
RECORDS: dict[str, type] = {
    "officers": Officer,
    "honors": Honor,
    "cases": Case,
    "applications": Application,
    "rounds": Round,
    "exams": Exam,
    "decisions": Decision,
    "appointments": Appointment,
    "assessments": AnnualAssessment,
    "complaints": Complaint,
    "incidents": Incident,
    "evaluations": EvaluationRecord,
    "sanctions": Sanction,
    "ratings": Rating,
    "reports": Report,
    "trainings": Training,
}


REVIEW_COLUMNS = ("round", "year", "applied_on", "recorded_by", "policy_version", "eliminated")
# every table whose changes casegrade records in the audit
AUDITED = (*RECORDS, "revocations", "reviews")
# columns added by a migration after rows were audited: their value on those older rows
ADDED_LATER: dict[str, dict[str, Any]] = {"revocations": {"grounds": ""}}


@migrations()
def m001_records(db: Database) -> None:
    """Officers, honors, cases and applications (issue 2)."""
    db.table("officers").create(
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
    db.table("honors").create(
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
    db.table("cases").create(
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
    db.table("cases").create_index(["lead_officer_id"])
    db.table("cases").create_index(["assistant_officer_id"])
    db.table("applications").create(
        {"round": str, "officer_id": str, "grade": str, "applied_on": str},
        pk=("round", "officer_id"),
        not_null={"grade", "applied_on"},
        foreign_keys=[("officer_id", "officers", "officer_id")],
    )


@migrations()
def m002_lifecycle(db: Database) -> None:
    """Rounds, exams, decisions, appointments, revocations, the annual review's inputs, and the
    audit log (issue 3)."""
    officer_fk = [("officer_id", "officers", "officer_id")]
    db.table("rounds").create(
        {"round": str, "evaluate_on": str, "term_start": str, "term_end": str},
        pk="round",
        not_null={"evaluate_on", "term_start", "term_end"},
    )
    db.table("exams").create(
        {"round": str, "officer_id": str, "score": str},
        pk=("round", "officer_id"),
        not_null={"score"},
        foreign_keys=officer_fk,
    )
    db.table("decisions").create(
        {
            "round": str,
            "officer_id": str,
            "approved": int,
            "grade": str,
            "reason": str,
            "decided_on": str,
            "recorded_by": str,
            "policy_version": str,
        },
        pk=("round", "officer_id"),
        not_null={"approved", "decided_on"},
        foreign_keys=officer_fk,
    )
    db.table("appointments").create(
        {
            "round": str,
            "officer_id": str,
            "grade": str,
            "term_start": str,
            "term_end": str,
            "appointed_on": str,
            "recorded_by": str,
            "policy_version": str,
        },
        pk=("round", "officer_id"),
        not_null={"grade", "term_start", "term_end", "appointed_on"},
        foreign_keys=officer_fk,
    )
    db.table("revocations").create(
        {
            "id": int,
            "round": str,
            "officer_id": str,
            "effective_on": str,
            "kind": str,
            "reason": str,
            "review_year": int,
            "recorded_by": str,
            "policy_version": str,
        },
        pk="id",
        not_null={"round", "officer_id", "effective_on", "kind", "reason"},
        foreign_keys=officer_fk,
    )
    db.table("revocations").create_index(["round", "officer_id"])
    db.table("assessments").create(
        {"officer_id": str, "year": int, "result": str},
        pk=("officer_id", "year"),
        not_null={"result"},
        foreign_keys=officer_fk,
    )
    db.table("complaints").create(
        {"officer_id": str, "date": str, "summary": str, "dismissed": int},
        pk=("officer_id", "date", "summary"),
        not_null={"dismissed"},
        foreign_keys=officer_fk,
    )
    db.table("incidents").create(
        {"officer_id": str, "date": str, "kind": str, "note": str},
        pk=("officer_id", "date", "kind"),
        foreign_keys=officer_fk,
    )
    db.table("reviews").create(
        {
            "round": str,
            "year": int,
            "applied_on": str,
            "recorded_by": str,
            "policy_version": str,
            "eliminated": int,
        },
        pk=("round", "year"),
        not_null={"applied_on", "eliminated"},
    )
    db.table("audit").create(
        {
            "id": int,
            "at": str,
            "user": str,
            "action": str,
            "table_name": str,
            "key": str,
            "old": str,
            "new": str,
        },
        pk="id",
        not_null={"at", "user", "action", "table_name"},
    )


@migrations()
def m003_evaluations(db: Database) -> None:
    """Evaluations as recorded, with the policy version they applied (issue 3)."""
    db.table("evaluations").create(
        {
            "round": str,
            "officer_id": str,
            "as_of": str,
            "policy_version": str,
            "applied_grade": str,
            "eligible": int,
            "highest_grade": str,
            "unmet": str,
            "recorded_on": str,
            "recorded_by": str,
        },
        pk=("round", "officer_id", "as_of", "policy_version"),
        not_null={"applied_grade", "eligible", "recorded_on"},
        foreign_keys=[("officer_id", "officers", "officer_id")],
    )


@migrations()
def m004_during_term(db: Database) -> None:
    """Sanctions, semiannual ratings with their rectification, research reports, trainings
    (issue 4)."""
    officer_fk = [("officer_id", "officers", "officer_id")]
    db.table("sanctions").create(
        {
            "round": str,
            "officer_id": str,
            "effective_on": str,
            "kind": str,
            "disqualify": int,
            "note": str,
            "recorded_by": str,
            "policy_version": str,
        },
        pk=("round", "officer_id", "effective_on", "kind"),
        not_null={"disqualify"},
        foreign_keys=officer_fk,
    )
    db.table("ratings").create(
        {
            "officer_id": str,
            "period": str,
            "level": str,
            "rated_on": str,
            "note": str,
            "rectified_on": str,
        },
        pk=("officer_id", "period"),
        not_null={"level", "rated_on"},
        foreign_keys=officer_fk,
    )
    for table in ("reports", "trainings"):
        columns: dict[str, type] = {"officer_id": str, "date": str, "title": str}
        if table == "trainings":
            columns["hours"] = int
        db.table(table).create(columns, pk=("officer_id", "date", "title"), foreign_keys=officer_fk)


@migrations()
def m005_safety(db: Database) -> None:
    """One elimination per appointment, kept by a unique key (two reviews applied at once
    recorded 12 eliminations for 6 officers); an audit that can be verified: the command line,
    the imported file and its SHA-256, and each row's hash chained to the previous row's
    (issue 8)."""
    db.execute(
        "delete from revocations where id not in "
        "(select min(id) from revocations group by round, officer_id)"
    )
    db.table("revocations").create_index(
        ["round", "officer_id"],
        unique=True,
        index_name="revocations_one_per_appointment",
        if_not_exists=True,
    )
    for column in ("command", "file", "file_sha256", "hash"):
        if column not in db.table("audit").columns_dict:
            db.table("audit").add_column(column, str)
    previous = ""
    for row in list(db.query("select * from audit order by id")):
        previous = audit_hash(previous, row)
        db.execute("update audit set hash = ? where id = ?", [previous, row["id"]])


@migrations()
def m006_grounds(db: Database) -> None:
    """An elimination keeps its grounds as data, each with the keys of the records behind it
    (issue 9); the prose of older eliminations stays in ``reason``."""
    if "grounds" not in db.table("revocations").columns_dict:
        db.table("revocations").add_column("grounds", str, not_null_default="")


@migrations()
def m007_indexes(db: Database) -> None:
    """Indexes for the queries by date: a quarter's cases, a year's reports, an officer's cases
    in a window (issue 10)."""
    for table, columns in (
        ("cases", ["decision_date"]),
        ("cases", ["lead_officer_id", "decision_date"]),
        ("cases", ["assistant_officer_id", "decision_date"]),
        ("reports", ["date"]),
    ):
        db.table(table).create_index(columns, if_not_exists=True)


@migrations()
def m008_fewer_indexes(db: Database) -> None:
    """The indexes on a case's lead and assistant alone go: those of m007 that start with them
    serve the same lookups (and the foreign keys), and the file is smaller."""
    for name in ("idx_cases_lead_officer_id", "idx_cases_assistant_officer_id"):
        db.execute(f"drop index if exists [{name}]")


@migrations()
def m009_audit_rows(db: Database) -> None:
    """The rows an imported file adds are listed in their own table, one row each (key and
    hash of the values), instead of inside the file's audit entry: an import of millions of rows
    is written without holding that list in memory (issue 10)."""
    db.execute(
        "create table if not exists audit_rows (entry integer not null, "
        "key text not null, hash text not null, primary key (entry, key)) without rowid"
    )


BUSY_MS = 15_000  # a writer waits this long for another's transaction before giving up


def open_db(
    path: Path | str,
    *,
    write: bool = True,
    create: bool = True,
    on_upgrade: Callable[[Path], Path | None] | None = None,
) -> Database:
    """Open the casegrade database at ``path``.

    For writing (the default) the file is created if need be (an empty file made a database
    only when ``create``), switched to WAL and migrated;
    an older casegrade's database is first copied by ``on_upgrade(path)`` (a backup). For
    reading (``write=False``) the file is opened read-only and never changed: no migration, no
    journal switch; a read-only share can be read. Foreign keys are enforced; a writer waits
    15 s for another's transaction.

    Raises:
        StoreError: no such file (reading), not a casegrade database (some other program's, or
            an empty file when reading), made by a newer casegrade, made by an older one when
            reading, or the file cannot be opened or written; the message says what to do.
    """
    path = Path(path)
    new = write and (not path.exists() or path.stat().st_size == 0)
    try:
        db = Database(_connect(path, write))
        if new:
            owner_only(path)  # ID numbers, complaints: the owner's only; -wal and -shm follow it
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
        pending = _pending(db, path, write, create)
        if write:
            if pending and db.table_names() and on_upgrade is not None:
                on_upgrade(path)
            db.enable_wal()
            migrations.apply(db)
    except sqlite3.Error as exc:
        raise _failure(exc, path) from exc
    return db


def _connect(path: Path, write: bool) -> sqlite3.Connection:
    """A connection: read-write (creating the file), or read-only; on a share where even the
    lock files cannot be made, read-only and immutable (nobody writes there anyway)."""
    if write:
        return sqlite3.connect(path, check_same_thread=False)
    if not path.is_file():
        raise StoreError(
            f"no database at {path}; check --db or CASEGRADE_DB, or start one by importing the "
            "officers: casegrade import officers FILE"
        )
    uri = path.resolve().as_uri()
    try:
        connection = sqlite3.connect(f"{uri}?mode=ro", uri=True, check_same_thread=False)
        connection.execute("select count(*) from sqlite_master").fetchone()
        return connection
    except sqlite3.OperationalError as exc:
        wal = Path(f"{path}-wal")
        if "unable to open" not in str(exc) or (wal.exists() and wal.stat().st_size > 0):
            raise  # an immutable reader would not see what the -wal file holds
        return sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True, check_same_thread=False)


def _pending(db: Database, path: Path, write: bool, create: bool = False) -> list[str]:
    """The migrations this casegrade would apply (all for a new file, which only a command
    that may ``create`` the database gets).

    Raises:
        StoreError: not a casegrade database (an empty file, unless ``create``), a newer
            casegrade's, or (reading) an older one's.
    """
    applied = {migration.name for migration in migrations.applied(db)}
    known = [migration.name for migration in migrations._migrations]
    if not applied:
        if db.table_names():
            raise StoreError(
                f"{path} is not a casegrade database; give another path with --db or CASEGRADE_DB"
            )
        if not (write and create):
            raise StoreError(
                f"{path} is an empty file, not a casegrade database; check --db or CASEGRADE_DB"
            )
        return known
    newer = sorted(applied - set(known))
    if newer:
        raise StoreError(
            f"{path} was written by a newer casegrade (it has {', '.join(newer)}); it was left "
            "as it is: install the newer casegrade to use it"
        )
    pending = [name for name in known if name not in applied]
    if pending and not write:
        raise StoreError(
            f"{path} was written by an older casegrade; a command that records something brings "
            "it up to date (after a backup) before it can be read"
        )
    return pending


def _failure(exc: sqlite3.Error, path: Path) -> StoreError:
    """The error to raise for a SQLite error: ReadOnly where the file cannot be written here."""
    text = _plain(exc, path)
    return ReadOnly(text) if "read-only" in text or "not writable" in text else StoreError(text)


def _plain(exc: sqlite3.Error, path: Path) -> str:
    """What a SQLite error means for the clerk."""
    text = str(exc)
    if "disk is full" in text or "disk I/O" in text:
        return f"cannot write {path}: the disk is full or failing; free some space, then try again"
    if "readonly" in text or "read-only" in text:
        return f"cannot write {path}: the file or its folder is read-only here"
    if "unable to open" in text:
        return (
            f"cannot open database {path}: the folder does not exist or is not writable; "
            "check --db or CASEGRADE_DB"
        )
    if "locked" in text or "busy" in text:
        return f"{path} is busy: another casegrade kept it for over {BUSY_MS // 1000} s; try again"
    return f"cannot use database {path}: {exc}; check the path given with --db or CASEGRADE_DB"


def copy_database(source: Database | Path, target: Path) -> None:
    """Copy a database into the new file ``target`` with SQLite's online backup API (safe while
    others read and write it), readable by its owner only.

    Raises:
        StoreError: ``target`` exists, or cannot be written.
    """
    reader = source.conn if isinstance(source, Database) else None
    try:
        if reader is None:
            assert not isinstance(source, Database)  # a Database gave its own connection above
            reader = _connect(Path(source), write=False)
        with open(target, "xb"):
            pass
        owner_only(target)
        copy = sqlite3.connect(target)
        try:
            reader.backup(copy)
            copy.execute("pragma journal_mode = delete")  # a copy is one file, no -wal beside it
        finally:
            copy.close()
    except FileExistsError:
        raise CopyExists(f"{target} exists already; name another file") from None
    except (OSError, sqlite3.Error) as exc:
        target.unlink(missing_ok=True)
        raise StoreError(f"cannot copy the database to {target}: {exc}") from exc
    finally:
        if reader is not None and not isinstance(source, Database):
            reader.close()


def copy_over(source: Path, target: Path) -> None:
    """Replace the content of the database ``target`` with that of ``source``, through SQLite
    (the others using ``target`` see the new content; no half-copied file is ever in place).

    Raises:
        StoreError: either file cannot be used.
    """
    reader = _connect(source, write=False)
    try:
        writer = sqlite3.connect(target, timeout=BUSY_MS / 1000)
        try:
            reader.backup(writer)
        finally:
            writer.close()
    except sqlite3.Error as exc:
        raise StoreError(_plain(exc, target)) from exc
    finally:
        reader.close()


def check_copy(path: Path) -> None:
    """Check that ``path`` is an intact casegrade database this casegrade can use (an older one
    is brought up to date when next written).

    Raises:
        StoreError: not a database, damaged (SQLite's integrity check), another program's, or
            a newer casegrade's.
    """
    if not path.is_file():
        raise StoreError(f"{path} is not a file; name the backup to restore")
    try:
        db = Database(_connect(path, write=False))
        try:
            try:
                _pending(db, path, write=True)
            except StoreError as exc:
                raise StoreError(f"{exc}".split(";")[0] + "; choose another backup") from None
            verdict = db.execute("pragma integrity_check").fetchone()[0]
            if verdict != "ok":
                raise StoreError(f"{path} is damaged ({verdict}); choose another copy")
            upgraded = Database(memory=True)
            db.conn.backup(upgraded.conn)
        finally:
            db.conn.close()
        migrations.apply(upgraded)
    except sqlite3.Error as exc:
        raise StoreError(f"{path} cannot be used as a casegrade database: {exc}") from exc
    if _schema(upgraded) != _schema(new_database()):
        raise StoreError(
            f"{path} is not a whole casegrade database (its tables differ); choose another copy"
        )


def _schema(db: Database) -> dict[str, dict[str, Any]]:
    return {table.name: table.columns_dict for table in db.tables}


def audit_restore(path: Path, copy: str, kept: str) -> None:
    """Record in the restored database's audit that its content came from ``copy`` (what it
    replaced kept as ``kept``), chained like every other entry."""
    db = open_db(path)
    try:
        with immediate(db):
            _audit_many(
                db,
                "database",
                [("restore", RowChange((copy,), None, {"from": copy, "kept": kept}))],
            )
    finally:
        db.conn.close()


def restores(db: Database) -> list[str]:
    """When the database was restored (undo, restore), oldest first: ISO date-times."""
    return [
        row[0] for row in db.execute("select at from audit where action = 'restore' order by id")
    ]


def last_audit_id(source: Database | Path) -> int:
    """The id of the newest audit row of a database (0 when none)."""
    db = source if isinstance(source, Database) else Database(_connect(source, write=False))
    try:
        return db.execute("select coalesce(max(id), 0) from audit").fetchone()[0]
    finally:
        if not isinstance(source, Database):
            db.conn.close()


def owner_only(path: Path) -> None:
    """Make a file readable and writable by its owner only (0600), where the system has such
    permissions (not on Windows, where the folder's rights apply)."""
    if os.name == "posix":
        path.chmod(0o600)


def new_database() -> Database:
    """A new casegrade database in memory, migrated: an import into a path where no database is
    yet is built here and written out (``write_new``) only if it succeeds, so a failed import or
    a dry run leaves no file behind."""
    db = Database(memory=True)
    db.execute("PRAGMA foreign_keys = ON")
    migrations.apply(db)
    return db


def write_new(db: Database, path: Path) -> None:
    """Write a database built in memory to ``path``, where there was none.

    Raises:
        StoreError: a file appeared at ``path`` meanwhile, or the folder cannot be written.
    """
    try:
        with open(path, "xb"):  # exclusive: never over a database another process just made
            pass
        owner_only(path)  # ID numbers, complaints: the owner's only; -wal and -shm follow it
        target = sqlite3.connect(path)
        try:
            db.conn.backup(target)
            target.execute("PRAGMA journal_mode = WAL")  # as open_db leaves every database
        finally:
            target.close()
    except FileExistsError:
        raise StoreError(
            f"{path} was created by someone else meanwhile; nothing was written: run the "
            "command again"
        ) from None
    except (OSError, sqlite3.Error) as exc:
        path.unlink(missing_ok=True)
        raise StoreError(f"cannot write the new database {path}: {exc}") from exc


# --- record <-> row -----------------------------------------------------------------------------


def _to_cell(value: Any) -> Any:
    if value is None or type(value) in (str, int):  # most cells, as they are (not a bool)
        return value
    if isinstance(value, tuple):
        if all(isinstance(item, str) for item in value):  # criterion ids: "a,b" as ever
            return ",".join(value)
        return json.dumps([_plain_data(item) for item in value], ensure_ascii=False)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


# Control characters (an escape sequence typed into the database by hand) never leave it.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _plain_data(value: Any) -> Any:
    """A record nested in a cell as JSON data: dataclasses as objects, tuples as arrays."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, tuple):
        return [_plain_data(item) for item in value]
    return _to_cell(value)


def _from_data(kind: Any, value: Any) -> Any:
    """JSON data back into the nested record ``kind`` (the inverse of _plain_data)."""
    if typing.get_origin(kind) is tuple:
        item = typing.get_args(kind)[0]
        return tuple(_from_data(item, part) for part in value)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        hints = _type_hints(kind)
        return kind(**{name: _from_data(hints[name], part) for name, part in value.items()})
    return _from_cell(kind, value)


def _from_cell(kind: Any, value: Any) -> Any:
    if typing.get_origin(kind) is tuple:
        if typing.get_args(kind)[0] is str:
            return tuple(value.split(",")) if value else ()
        return _from_data(kind, json.loads(value or "[]"))
    if value is None:
        return None
    if isinstance(value, str):
        value = CONTROL.sub("", value)
    if isinstance(kind, types.UnionType):  # "X | None"
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if kind is date:
        return date.fromisoformat(value)
    if kind is Decimal:
        return Decimal(value)
    if kind is bool:
        return bool(value)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind(value)
    return value


def typed_row(table: str, row: dict[str, Any]) -> dict[str, Any]:
    """A stored row's values as its record holds them (dates, enums, booleans), by column."""
    hints = _type_hints(RECORDS[table])
    return {name: _from_cell(hints[name], value) for name, value in row.items() if name in hints}


def to_row(record: Any) -> dict[str, Any]:
    """A record as a row of its table."""
    return {f.name: _to_cell(getattr(record, f.name)) for f in dataclasses.fields(record)}


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def from_row(cls: type, row: dict[str, Any]) -> Any:
    """A row of a table as a record of class ``cls``."""
    return cls(**{name: convert(row[name]) for name, convert in _readers(cls)})


def _records(db: Database, cls: type, sql: str, params: Sequence[Any] = ()) -> Iterator[Any]:
    """The rows a query selects (every column of ``cls``'s table) as records of ``cls``, read
    straight from the cursor: evaluations read hundreds of thousands of cases."""
    cursor = db.conn.execute(sql, list(params))
    names = [column[0] for column in cursor.description]
    at = [(names.index(name), convert) for name, convert in _readers(cls)]
    for row in cursor:
        yield cls(*[convert(row[index]) for index, convert in at])


@functools.cache
def _readers(cls: type) -> tuple[tuple[str, Callable[[Any], Any]], ...]:
    """Each field of ``cls`` with the function that reads its stored value (as _from_cell does,
    the type worked out once per class rather than once per value: evaluations read many rows)."""
    hints = _type_hints(cls)
    return tuple((f.name, _reader(hints[f.name])) for f in dataclasses.fields(cls))


def _reader(kind: Any) -> Callable[[Any], Any]:
    if typing.get_origin(kind) is tuple:
        return functools.partial(_from_cell, kind)
    if isinstance(kind, types.UnionType):  # "X | None"
        kind = next(arg for arg in typing.get_args(kind) if arg is not type(None))
    if kind is date:
        convert: Callable[[Any], Any] = date.fromisoformat
    elif kind in (Decimal, bool) or (isinstance(kind, type) and issubclass(kind, Enum)):
        convert = kind
    else:
        convert = _plain_text

    def read(value: Any) -> Any:
        if value is None:
            return None
        if type(value) is str and not value.isprintable():  # printable: no control character
            value = CONTROL.sub("", value)
        return convert(value)

    return read


def _plain_text(value: Any) -> Any:
    return value


# --- writing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SaveCounts:
    """What an import did, in rows. Attributes: added, changed, unchanged, removed."""

    added: int
    changed: int
    unchanged: int
    removed: int = 0


@dataclass(frozen=True)
class RowChange:
    """One row that an import adds, changes or removes.

    Attributes:
        key: the row's natural key, as stored (text, not dates).
        old: the stored row (column -> stored value), None when added.
        new: the row to store, None when removed.
    """

    key: tuple
    old: dict[str, Any] | None
    new: dict[str, Any] | None

    @property
    def fields(self) -> list[str]:
        """The columns whose value changes, in the table's order."""
        if self.old is None or self.new is None:
            return []
        return [name for name in self.new if self.new[name] != self.old.get(name)]


BULK_CACHE_KIB = {"main": 65_536, "temp": 32_768}  # page caches while a file is saved


def for_bulk(db: Database) -> None:
    """Larger page caches for this connection (64 MB for the database, 32 MB for the stage):
    saving a file of millions of rows writes its indexes through them, and memory stays flat."""
    for schema, kib in BULK_CACHE_KIB.items():
        db.execute(f"PRAGMA {schema}.cache_size = -{kib}")


_STAGES = itertools.count(1)  # each stage has tables of its own, for the connection's life


class Stage:
    """The rows of one save (an imported file, a command's records) in a temporary table of the
    connection, each with its row number in the file: SQLite, not Python, holds a file of any
    size, finds the keys it repeats and works out what saving it changes (``plan``). The table
    has the columns of ``table`` with their types, so that a staged value is the value stored;
    a second one keeps the stored rows a plan changes or removes, as they were, for the report
    and the audit after the write. Each stage has tables of its own: changes planned by one are
    written from it alone."""

    def __init__(self, db: Database, table: str) -> None:
        self.db, self.table = db, table
        self.columns = _columns(RECORDS[table])
        self.key = PRIMARY_KEYS[table]
        number = next(_STAGES)
        self.bare, self.old_bare = f"stage_{table}_{number}", f"old_{table}_{number}"
        self.name, self.old = f"temp.[{self.bare}]", f"temp.[{self.old_bare}]"
        self.size = 0
        listed = ", ".join(f"[{column}]" for column in self.columns)
        for name in (self.name, self.old):  # _does: "add", "change" or "remove", once planned
            db.execute(
                f"create table {name} as select 0 as _row, '' as _does, {listed} "
                f"from [{table}] where 0"
            )
        self._indexed = False

    def add(self, rows: Iterable[tuple[int, Any]]) -> None:
        """Stage records, each as (row number in the file, 0 for none; the record). Inside
        the caller's transaction."""
        listed = ", ".join(f"[{column}]" for column in self.columns)
        marks = ", ".join("?" for _ in range(len(self.columns) + 1))
        cells = _cell_writer(RECORDS[self.table])
        cursor = self.db.conn.executemany(
            f"insert into {self.name} (_row, {listed}) values ({marks})",
            ((row, *cells(record)) for row, record in rows),
        )
        self.size += cursor.rowcount

    def _ready(self) -> None:
        """The stage indexed on the key, once all is staged (faster than while staging)."""
        if not self._indexed:
            keys = ", ".join(f"[{k}]" for k in self.key)
            self.db.execute(f"create index temp.[{self.bare}_key] on [{self.bare}] ({keys})")
            self._indexed = True

    def _match(self, left: str, right: str, columns: Sequence[str]) -> str:
        return " and ".join(f"{left}.[{c}] is {right}.[{c}]" for c in columns)

    def repeated(self) -> list[tuple[int, int, tuple, bool]]:
        """The rows whose key an earlier row of the stage has: (row, that earlier row, key,
        whether all values are the same), in row order."""
        self._ready()
        keys = ", ".join(f"[{k}]" for k in self.key)
        listed = ", ".join(f"s.[{k}]" for k in self.key)
        sql = (
            f"with firsts as (select min(rowid) as first, {keys} from {self.name} group by "
            f"{keys} having count(*) > 1) select s._row, o._row, "
            f"{self._match('s', 'o', self.columns)}, {listed} from firsts f "
            f"join {self.name} s on {self._match('s', 'f', self.key)} and s.rowid <> f.first "
            f"join {self.name} o on o.rowid = f.first order by s.rowid"
        )
        return [
            (row, first, tuple(key), bool(same))
            for row, first, same, *key in self.db.execute(sql).fetchall()
        ]

    def records(self) -> Iterator[tuple[int, Any]]:
        """The staged records, as (row number, record), in the order staged."""
        listed = ", ".join(f"[{c}]" for c in self.columns)
        sql = f"select {listed} from {self.name} order by rowid"
        rows = self.db.execute(f"select _row from {self.name} order by rowid")
        return zip(
            (row for (row,) in rows), _records(self.db, RECORDS[self.table], sql), strict=True
        )

    def plan(self, *, replace: bool = False) -> Changes:
        """What saving the stage would do: each staged row compared, on its natural key, with
        the stored row; with ``replace``, the stored rows whose key no staged row has are
        removed. Writes only to the stage's own tables, inside the caller's transaction."""
        self._ready()
        table, listed = f"[{self.table}]", ", ".join(f"[{c}]" for c in self.columns)
        stored = f"select 1 from {table} t where {self._match(self.name, 't', self.key)}"
        self.db.execute(f"update {self.name} set _does = 'add' where not exists ({stored})")
        differs = f"{stored} and not ({self._match(self.name, 't', self.columns)})"
        self.db.execute(f"update {self.name} set _does = 'change' where exists ({differs})")
        self.db.execute(
            f"insert into {self.old} select s._row, 'change', "
            f"{', '.join(f't.[{c}]' for c in self.columns)} from {self.name} s join {table} t "
            f"on {self._match('s', 't', self.key)} where s._does = 'change' order by s.rowid"
        )
        if replace:
            keys = ", ".join(f"[{k}]" for k in self.key)
            self.db.execute(
                f"insert into {self.old} select 0, 'remove', {listed} from {table} t where not "
                f"exists (select 1 from {self.name} s where {self._match('s', 't', self.key)}) "
                f"order by {keys}"
            )
        keys = ", ".join(f"[{k}]" for k in self.key)
        self.db.execute(f"create index temp.[{self.old_bare}_key] on [{self.old_bare}] ({keys})")
        added, changed = StagedRows(self, "add"), StagedRows(self, "change")
        unchanged = self.size - len(added) - len(changed)
        return Changes(self.table, added, changed, StagedRows(self, "remove"), unchanged, self)

    def renamed(self) -> list[tuple[int, int, tuple, tuple]]:
        """Rows added (after ``plan``) equal, in every field but one of the key, to a stored
        row whose key the stage does not have: (row, the key field's position, new key,
        stored key), one per row and position, in row order."""
        table = f"[{self.table}]"
        keys = ", ".join([*(f"s.[{k}]" for k in self.key), *(f"t.[{k}]" for k in self.key)])
        found: dict[tuple[int, int], tuple[int, int, tuple, tuple]] = {}
        width = len(self.key)
        for position, field in enumerate(self.key):
            rest = [c for c in self.columns if c != field]
            sql = (
                f"select s.rowid, s._row, {keys} from {self.name} s join {table} t on "
                f"{self._match('s', 't', rest)} and s.[{field}] is not t.[{field}] "
                f"where s._does = 'add' and not exists (select 1 from {self.name} o where "
                f"{self._match('o', 't', self.key)}) order by s.rowid"
            )
            for rowid, row, *cells in self.db.execute(sql):
                found.setdefault(
                    (rowid, position),
                    (row, position, tuple(cells[:width]), tuple(cells[width:])),
                )
        return [found[at] for at in sorted(found)]

    def write(self) -> None:
        """Insert the staged rows that are new, update those that changed, delete those the
        plan removes."""
        listed = ", ".join(f"[{c}]" for c in self.columns)
        keys = ", ".join(f"[{k}]" for k in self.key)
        rest = [c for c in self.columns if c not in self.key]
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in rest)
        on_conflict = f"do update set {updates}" if rest else "do nothing"
        self.db.execute(
            f"insert into [{self.table}] ({listed}) select {listed} from {self.name} where "
            f"_does in ('add', 'change') order by rowid on conflict ({keys}) {on_conflict}"
        )
        self.db.execute(
            f"delete from [{self.table}] where exists (select 1 from {self.old} o where "
            f"o._does = 'remove' and {self._match('o', f'[{self.table}]', self.key)})"
        )


class StagedRows(Sequence[RowChange]):
    """The rows a plan adds, changes or removes (``does``), read from the stage when asked for
    (a file of two million new cases is not held in memory): len(), an index or a slice, or a
    pass in file order (removed rows: in key order)."""

    def __init__(self, stage: Stage, does: str) -> None:
        self.stage, self.does = stage, does
        self._count: int | None = None

    def _select(self, tail: str = "", params: Sequence[Any] = ()) -> Iterator[RowChange]:
        stage = self.stage
        columns, key = stage.columns, stage.key
        new = ", ".join(f"s.[{c}]" for c in columns)
        old = ", ".join(f"o.[{c}]" for c in columns)
        width = len(columns)
        if self.does == "add":
            sql = f"select {new} from {stage.name} s where s._does = 'add' order by s.rowid"
        elif self.does == "change":
            sql = (
                f"select {old}, {new} from {stage.name} s join {stage.old} o on "
                f"{stage._match('s', 'o', key)} and o._does = 'change' where s._does = "
                "'change' order by s.rowid"
            )
        else:
            sql = f"select {old} from {stage.old} o where o._does = 'remove' order by o.rowid"
        for cells in stage.db.execute(sql + tail, list(params)):
            first = dict(zip(columns, cells[:width], strict=True))
            if self.does == "add":
                yield RowChange(tuple(first[k] for k in key), None, first)
            elif self.does == "change":
                second = dict(zip(columns, cells[width:], strict=True))
                yield RowChange(tuple(second[k] for k in key), first, second)
            else:
                yield RowChange(tuple(first[k] for k in key), first, None)

    def __len__(self) -> int:
        if self._count is None:
            table = self.stage.old if self.does == "remove" else self.stage.name
            self._count = self.stage.db.execute(
                f"select count(*) from {table} where _does = ?", [self.does]
            ).fetchone()[0]
        return self._count

    def __iter__(self) -> Iterator[RowChange]:
        return self._select()

    @typing.overload
    def __getitem__(self, index: int) -> RowChange: ...

    @typing.overload
    def __getitem__(self, index: slice) -> list[RowChange]: ...

    def __getitem__(self, index: int | slice) -> RowChange | list[RowChange]:
        if isinstance(index, slice):
            start, stop, step = index.indices(len(self))
            if step < 0:
                return list(self)[index]
            rows = list(self._select(" limit ? offset ?", [max(stop - start, 0), start]))
            return rows[::step]
        if not -len(self) <= index < len(self):
            raise IndexError(index)
        return next(self._select(" limit 1 offset ?", [index % len(self)]))


@dataclass(frozen=True)
class Changes:
    """What saving records would do to a table, worked out before anything is written.

    Attributes:
        table: the table.
        added, changed, removed: the rows, in file order (removed: in key order), read from
            the stage as they are needed.
        unchanged: how many records are stored as they are.
        stage: the staged rows the changes come from, which ``apply`` writes.
    """

    table: str
    added: Sequence[RowChange]
    changed: Sequence[RowChange]
    removed: Sequence[RowChange]
    unchanged: int
    stage: Stage

    @property
    def counts(self) -> SaveCounts:
        """The numbers of rows added, changed, unchanged and removed."""
        return SaveCounts(len(self.added), len(self.changed), self.unchanged, len(self.removed))


@functools.cache
def _cell_writer(cls: type) -> Callable[[Any], list[Any]]:
    """A function giving a record's cells in field order (as _to_cell writes them): the fields
    of plain text or whole numbers as they are, the others converted (dates, enums …)."""
    hints = _type_hints(cls)
    names = _columns(cls)
    get = attrgetter(*names)
    plain = {str, int, str | None, int | None}
    converted = [i for i, name in enumerate(names) if hints[name] not in plain]

    def cells(record: Any) -> list[Any]:
        found = list(get(record)) if len(names) > 1 else [get(record)]
        for i in converted:
            found[i] = _to_cell(found[i])
        return found

    return cells


@functools.cache
def _columns(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(cls))


def apply(db: Database, changes: Changes) -> None:
    """Write planned changes in one transaction (a savepoint inside a caller's), with the audit:
    one entry per row added, changed or removed; but the rows a file adds (``SOURCE`` set) are
    one entry for the file.

    Raises:
        StoreError: the database refused a row (a constraint, a locked or read-only file), or
            the audit was changed outside casegrade; nothing was written.
    """
    try:
        with db.atomic():
            _audit_changes(db, changes)
            changes.stage.write()
    except sqlite3.Error as exc:
        raise StoreError(
            f"the database refused the {changes.table}: {exc}; nothing was written"
        ) from exc


def save(db: Database, table: str, records: list[Any]) -> SaveCounts:
    """Upsert records into ``table`` on their natural key, all in one transaction (a savepoint
    inside a caller's), and log each row added or changed in the audit table. Saving the same
    records again changes nothing and logs nothing.

    Raises:
        StoreError: the database refused a row (a constraint, a locked file); nothing was
            written.
    """
    with immediate(db):
        stage = Stage(db, table)
        stage.add((0, record) for record in records)
        changes = stage.plan()
        apply(db, changes)
    return changes.counts


def stored(db: Database, table: str) -> dict[tuple, Any]:
    """Every record of ``table`` by its natural key (dates as dates, enums as enums)."""
    pk = PRIMARY_KEYS[table]
    return {tuple(getattr(record, k) for k in pk): record for record in _load(db, table)}


def stored_of(db: Database, table: str, keys: Sequence[tuple]) -> dict[tuple, Any]:
    """The records of ``table`` with these natural keys (as records hold them), by key: one
    query for a batch of rows being imported."""
    pk = PRIMARY_KEYS[table]
    if not keys:
        return {}
    wanted = json.dumps([[_to_cell(part) for part in key] for key in keys], ensure_ascii=False)
    on = " and ".join(f"t.[{k}] = json_extract(w.value, '$[{i}]')" for i, k in enumerate(pk))
    found = [
        from_row(RECORDS[table], row)
        for row in db.query(f"select t.* from json_each(?) w join [{table}] t on {on}", [wanted])
    ]
    return {tuple(getattr(record, k) for k in pk): record for record in found}


def references(db: Database, table: str, keys: list[tuple]) -> dict[tuple, dict[str, int]]:
    """For rows of ``table`` about to be removed: key -> {other table: rows that still name it},
    for the keys that are still named: by a foreign key (cases naming an officer), or by sharing
    its key (the exam and decision of an application)."""
    found: dict[tuple, dict[str, int]] = defaultdict(dict)
    named: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
        (other.name, tuple(fk.columns), tuple(fk.other_columns))
        for other in db.tables
        for fk in other.foreign_keys
        if fk.other_table == table
    ]
    pk = PRIMARY_KEYS[table]
    named += [(child, pk, pk) for child in BELONG_TO.get(table, ())]
    wanted = json.dumps([list(key) for key in keys])
    for other, columns, key_columns in named:
        on = " and ".join(
            f"o.[{column}] = json_extract(k.value, '$[{pk.index(key_column)}]')"
            for column, key_column in zip(columns, key_columns, strict=True)
        )
        listed = ", ".join(f"json_extract(k.value, '$[{i}]')" for i in range(len(pk)))
        sql = (
            f"select {listed}, count(*) from [{other}] o join json_each(?) k on {on} "
            f"group by k.value"
        )
        for *key, count in db.execute(sql, [wanted]).fetchall():
            uses = found[tuple(key)]
            uses[other] = uses.get(other, 0) + count
    return dict(found)


# an elimination's ground -> the table of the records behind it (records.GroundOnRecord)
GROUND_TABLES = {
    ReviewKind.ASSESSMENT: "assessments",
    ReviewKind.COMPLAINTS: "complaints",
    ReviewKind.SERIOUS_ERROR: "incidents",
    ReviewKind.REFUSAL: "incidents",
}


def resting_on(db: Database, table: str, keys: list[tuple]) -> dict[tuple, list[Revocation]]:
    """For records of ``table`` (assessments, complaints, incidents): key -> the eliminations
    whose grounds name that record (records.GroundOnRecord keeps officer_id's records by key, as
    text), for the keys named; {} for any other table."""
    found: dict[tuple, list[Revocation]] = defaultdict(list)
    as_text = {tuple(str(part) for part in key): key for key in keys}
    for revocation in revocations(db):
        for ground in revocation.grounds:
            if GROUND_TABLES[ground.kind] != table:
                continue
            for record in ground.records:
                key = as_text.get((revocation.officer_id, *record))
                if key is not None and revocation not in found[key]:
                    found[key].append(revocation)
    return dict(found)


@contextmanager
def reading(db: Database) -> Iterator[Database]:
    """One read transaction: everything read inside sees the same state of the database (a dry
    run's file checked against it). What it writes is only the temporary stage, kept at the end
    for the report to read."""
    db.conn.execute("BEGIN")
    try:
        yield db
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


@contextmanager
def immediate(db: Database) -> Iterator[Database]:
    """One write transaction, begun IMMEDIATE so that it takes the write lock before it reads
    (a second writer waits for it, up to 15 s, instead of failing half-way), committed at the
    end, rolled back on any error. Inside another such transaction, a savepoint of it.

    Raises:
        StoreError: another writer kept the lock too long, or the database cannot be written.
    """
    if db.conn.in_transaction:
        with db.atomic():
            yield db
        return
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.Error as exc:
        raise _failure(exc, Path(_filename(db))) from exc
    copy = None
    try:
        take = BEFORE_WRITE.get()
        if take is not None:  # the copy for undo: of exactly what this transaction starts from
            BEFORE_WRITE.set(None)
            copy = take(db)
        audited_before = last_audit_id(db)  # every change is audited; a stage is not a change
        yield db
    except BaseException:
        db.conn.rollback()
        if copy is not None:
            copy.unlink(missing_ok=True)  # nothing changed: nothing to undo
        raise
    try:
        db.conn.commit()
    except sqlite3.Error as exc:
        db.conn.rollback()
        raise _failure(exc, Path(_filename(db))) from exc
    if copy is not None and last_audit_id(db) == audited_before:
        copy.unlink(missing_ok=True)  # the command changed nothing: nothing to undo


def writes(fn: Callable[..., T]) -> Callable[..., T]:
    """A core function that checks and writes (its first argument the database): run whole in
    one IMMEDIATE transaction, so that no other writer changes what it checked before it
    writes."""

    @functools.wraps(fn)
    def wrapper(db: Database, *args: Any, **kwargs: Any) -> T:
        with immediate(db):
            return fn(db, *args, **kwargs)

    return wrapper


def _filename(db: Database) -> str:
    row = db.execute("pragma database_list").fetchone()
    return row[2] or ":memory:"


def _get(db: Database, table: str, key: tuple) -> dict[str, Any] | None:
    try:
        return db.table(table).get(key if len(key) > 1 else key[0])
    except NotFoundError:
        return None


@functools.cache
def operator() -> str:
    """The operating-system account running casegrade, for the record ("unknown" if none). Taken
    from the account itself, never from $USER or $LOGNAME, which anyone can set."""
    try:
        import pwd  # POSIX

        return pwd.getpwuid(os.geteuid()).pw_name
    except ImportError:  # Windows: the account's name, from the system (GetUserNameW)
        try:
            return os.getlogin()
        except OSError:
            return "unknown"
    except KeyError:  # an account without a name (a container's uid)
        return f"uid {os.geteuid()}"


AUDIT_FIELDS = (
    "at",
    "user",
    "command",
    "action",
    "table_name",
    "key",
    "old",
    "new",
    "file",
    "file_sha256",
)


def audit_hash(previous: str, row: dict[str, Any]) -> str:
    """An audit row's hash: SHA-256 of the previous row's hash and the row's fields, so that a
    row changed or deleted outside casegrade breaks the chain from there on."""
    fields = json.dumps([row.get(name) for name in AUDIT_FIELDS], ensure_ascii=False)
    return hashlib.sha256((previous + fields).encode("utf-8")).hexdigest()


def _audit_many(db: Database, table: str, changes: Iterable[tuple[str, RowChange]]) -> None:
    """Audit rows chained to the last one, written together: one per change."""
    _Chain(db).write(_entry(action, table, change) for action, change in changes)


def _entry(
    action: str, table: str, change: RowChange
) -> tuple[str, str, str, str | None, str | None]:
    """One change as an audit entry: action, table, key ("0107 / 2026"), old and new values
    (JSON)."""
    return (
        action,
        table,
        " / ".join(map(str, change.key)),
        None if change.old is None else json.dumps(change.old, ensure_ascii=False),
        None if change.new is None else json.dumps(change.new, ensure_ascii=False),
    )


def _audit_changes(db: Database, changes: Changes) -> None:
    """The audit of planned changes (before they are written), streamed from the stage: one
    entry per row changed or removed, and per row added; but the rows an imported file adds
    (``SOURCE`` set) are one "import" entry for the file (its name, SHA-256, the count and the
    columns), with each row's key and the hash of its values (row_hash) in ``audit_rows``, the
    entry holding the count and the SHA-256 of that list, so that `audit verify` still knows
    each row.

    Raises:
        StoreError: ``audit_rows`` already lists rows for the entry about to be written: they
            were put there outside casegrade.
    """
    table, stage = changes.table, changes.stage
    rest = itertools.chain(
        (_entry("change", table, c) for c in changes.changed),
        (_entry("remove", table, c) for c in changes.removed),
    )
    chain = _Chain(db)
    if SOURCE.get() is None or not changes.added:
        chain.write(itertools.chain((_entry("add", table, c) for c in changes.added), rest))
        return
    entry = chain.next_id
    if db.execute("select 1 from audit_rows where entry >= ?", [entry]).fetchone():
        raise StoreError(
            f"the audit lists rows for entry {entry}, which does not exist yet: they were put "
            "there outside casegrade; nothing was written. Run casegrade audit verify"
        )
    db.conn.create_function("casegrade_row_hash", -1, _values_hash, deterministic=True)
    key = " || ' / ' || ".join(f"coalesce([{k}], 'None')" for k in stage.key)
    columns = ", ".join(f"[{c}]" for c in stage.columns)
    db.execute(
        f"insert into audit_rows (entry, key, hash) select ?, {key}, "
        f"casegrade_row_hash({columns}) from {stage.name} where _does = 'add'",
        [entry],
    )
    summary = {
        "added": len(changes.added),
        "columns": list(stage.columns),
        "rows_sha256": _rows_sha256(db, entry),
    }
    imported = ("import", table, "", None, json.dumps(summary, ensure_ascii=False))
    chain.write(itertools.chain([imported], rest))


class _Chain:
    """Audit entries written as they come, each chained to the one before (audit_hash), with
    the time, the user, the command and the imported file (``SOURCE``) they share."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.at, self.user = datetime.now().isoformat(timespec="seconds"), operator()
        self.command = COMMAND.get()
        source = SOURCE.get()
        self.file: str | None = source[0] if source else None
        self.sha: str | None = source[1] if source else None
        last = db.execute("select id, hash from audit order by id desc limit 1").fetchone()
        self.next_id: int = last[0] + 1 if last else 1
        self.previous: str = (last[1] or "") if last else ""

    def write(self, entries: Iterable[tuple[str, str, str, str | None, str | None]]) -> None:
        """Write entries (action, table, key, old, new), one at a time through one statement."""
        columns = ["id", *AUDIT_FIELDS, "hash"]
        self.db.conn.executemany(
            f"insert into audit ({', '.join(f'[{c}]' for c in columns)}) "
            f"values ({', '.join('?' for _ in columns)})",
            (tuple(row[c] for c in columns) for row in (self._row(*e) for e in entries)),
        )

    def _row(
        self, action: str, table: str, key: str, old: str | None, new: str | None
    ) -> dict[str, Any]:
        row = {
            "id": self.next_id,
            "at": self.at,
            "user": self.user,
            "command": self.command,
            "action": action,
            "table_name": table,
            "key": key,
            "old": old,
            "new": new,
            "file": self.file,
            "file_sha256": self.sha,
        }
        self.previous = row["hash"] = audit_hash(self.previous, row)
        self.next_id += 1
        return row


def _rows_sha256(db: Database, entry: int) -> str:
    """The SHA-256 of an import entry's rows in ``audit_rows``: each key and hash, in key
    order."""
    digest = hashlib.sha256()
    for key, hashed in db.execute(
        "select key, hash from audit_rows where entry = ? order by key", [entry]
    ):
        digest.update(f"{key}\t{hashed}\n".encode())
    return digest.hexdigest()


def row_hash(row: dict[str, Any]) -> str:
    """A stored row's values (column -> value, in the table's order) as 16 hex digits of their
    SHA-256: what the audit keeps of each row a file added."""
    return _values_hash(*row.values())


def _values_hash(*values: Any) -> str:
    text = json.dumps(list(values), ensure_ascii=False, default=repr)  # a BLOB put in by hand
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def audit(
    db: Database, action: str, table: str, key: tuple, old: dict | None, new: dict | None
) -> None:
    """Log one change (add, change, remove) of a row: when, by whom, old and new values (JSON)."""
    _audit_many(db, table, [(action, RowChange(key, old, new))])


def verify_audit(db: Database, copies: Sequence[Path] = ()) -> list[AuditProblem]:
    """Check the audit: against each copy of the database (a backup), the audit rows the copy
    holds must be in the database unchanged (the hashes are not secret: someone who can write
    the file could rebuild the chain, not the copies); the first row whose hash does not follow
    from the rows before it (changed, or a row before it deleted); then every record whose
    stored state is not the one its last audit entry left (changed, added or removed with plain
    SQL)."""
    problems = []
    live = dict(db.execute("select id, hash from audit").fetchall())
    for copy in copies:
        try:
            kept = Database(_connect(copy, write=False))
            rows = kept.execute("select id, hash from audit").fetchall()
            kept.conn.close()
        except (sqlite3.Error, StoreError):
            continue  # an older copy without hashes, or not readable: no anchor
        differs = next((i for i, h in sorted(rows) if h is not None and live.get(i) != h), None)
        if differs is not None:
            problems.append(AuditProblem(differs, "", copy.name, "not as in the backup"))
            break
    previous, expected_id = "", 1
    for row in db.query("select * from audit order by id"):
        if row["id"] != expected_id:
            problems.append(AuditProblem(expected_id, "", "", "deleted"))
            break
        if row["hash"] != audit_hash(previous, row):
            problems.append(AuditProblem(row["id"], "", "", "changed"))
            break
        previous, expected_id = row["hash"], row["id"] + 1
    state: dict[str, dict[str, dict | tuple | None]] = defaultdict(dict)
    unreadable: set[str] = set()  # tables whose audit cannot be read back: not compared
    imports: set[int] = set()
    for row in db.query("select id, table_name, key, action, new from audit order by id"):
        try:
            if row["action"] == "import":  # the rows a file added, by the hash of their values
                imports.add(row["id"])
                entry = json.loads(row["new"])
                hashed = tuple(entry["columns"])
                if "rows" in entry:  # written before migration m009 (audit_rows)
                    listed = entry["rows"].items()
                elif _rows_sha256(db, row["id"]) == entry["rows_sha256"]:
                    listed = db.execute(
                        "select key, hash from audit_rows where entry = ?", [row["id"]]
                    )
                else:
                    problems.append(AuditProblem(row["id"], "", "", "changed"))
                    unreadable.add(row["table_name"])
                    continue
                state[row["table_name"]].update((k, (hashed, h)) for k, h in listed)
                continue
            new = None if row["action"] == "remove" else json.loads(row["new"])
        except (TypeError, ValueError, KeyError, AttributeError):  # JSON edited by hand
            problems.append(AuditProblem(row["id"], "", "", "made unreadable"))
            unreadable.add(row["table_name"])
            continue
        state[row["table_name"]][row["key"]] = new
    for (entry,) in db.execute("select distinct entry from audit_rows order by entry"):
        if entry not in imports:  # rows listed for an entry that is gone, or is no import
            gone = entry not in live and entry < max(live, default=0)
            problem = AuditProblem(entry, "", "", "deleted" if gone else "changed")
            if problem not in problems:  # a deleted entry: the chain has named it already
                problems.append(problem)
    for table in AUDITED:
        if table in unreadable:
            continue
        pk, columns = PRIMARY_KEYS[table], _audited_columns(table)
        logged = state.get(table, {})
        current = {}
        for row in db.query(f"select {', '.join(f'[{c}]' for c in columns)} from [{table}]"):
            current[" / ".join(str(row[k]) for k in pk)] = row
        for key, row in current.items():
            entry = logged.get(key)
            if entry is None:
                problems.append(AuditProblem(0, table, key, "not in the audit"))
            elif isinstance(entry, tuple):  # (the columns hashed then, the hash)
                hashed, expected = entry
                if row_hash({c: row.get(c) for c in hashed}) != expected:
                    problems.append(AuditProblem(0, table, key, "changed outside casegrade"))
            elif {**ADDED_LATER.get(table, {}), **entry} != row:
                problems.append(AuditProblem(0, table, key, "changed outside casegrade"))
        for key, entry in logged.items():
            if entry is not None and key not in current:
                problems.append(AuditProblem(0, table, key, "removed outside casegrade"))
    return problems


def _audited_columns(table: str) -> tuple[str, ...]:
    """The columns an audit entry of ``table`` records (all but a row id)."""
    if table == "reviews":
        return REVIEW_COLUMNS
    return _columns(Revocation if table == "revocations" else RECORDS[table])


def record_review(
    db: Database,
    revocations: list[Revocation],
    round_: str,
    year: int,
    on: date,
    policy_version: str,
) -> None:
    """Record an applied annual review in one transaction, with the audit log: its revocations
    (淘汰), and the review itself (first applied on, eliminations so far, updated when a later run
    finds more).

    Raises:
        StoreError: the database refused them; nothing was written.
    """
    try:
        with db.atomic():
            for revocation in revocations:
                row = to_row(revocation)
                db.table("revocations").insert(row)
                audit(
                    db, "add", "revocations", (revocation.round, revocation.officer_id), None, row
                )
            key = (round_, year)
            old = _get(db, "reviews", key)
            count = db.execute(
                "select count(*) from revocations where round = ? and review_year = ?",
                [round_, year],
            ).fetchone()[0]
            new = {
                "round": round_,
                "year": year,
                "applied_on": old["applied_on"] if old else on.isoformat(),
                "recorded_by": operator(),
                "policy_version": policy_version,
                "eliminated": count,
            }
            if old is None or old["eliminated"] != count:
                db.table("reviews").upsert(new, pk=PRIMARY_KEYS["reviews"])
                audit(db, "add" if old is None else "change", "reviews", key, old, new)
    except sqlite3.Error as exc:
        raise StoreError(f"the database refused the review: {exc}; nothing was written") from exc


# --- reading ------------------------------------------------------------------------------------


def officer_ids(db: Database) -> set[str]:
    """Every officer_id on record."""
    return {row["officer_id"] for row in db.query("select officer_id from officers")}


def unit_order(db: Database) -> list[str]:
    """Units in the order they first appear in the officers imported (the bureau's own order)."""
    sql = "select unit from officers group by unit order by min(rowid)"
    return [row["unit"] for row in db.query(sql)]


def application_rounds(db: Database) -> list[str]:
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


def officer_files(
    db: Database,
    ids: set[str],
    window: tuple[date, date] | None = None,
    *,
    assisted: bool = True,
) -> dict[str, OfficerFile]:
    """officer_id -> the officer with all their honors and the cases they led or assisted, for
    the officers ``ids`` only (each read through its index; officers not on record left out).
    With ``window`` (first, last day), only the cases decided in it and the typical cases of any
    date: all that an evaluation with that window reads (rules.gather); and, unless
    ``assisted`` (the policy counts assisted cases), of the cases assisted only the typical
    ones (rules.case_exclusion counts no other)."""
    wanted = json.dumps(sorted(ids))
    honors: dict[str, list[Honor]] = defaultdict(list)
    cases: dict[str, list[Case]] = defaultdict(list)
    for honor in _records(
        db,
        Honor,
        "select h.* from json_each(?) k join honors h on h.officer_id = k.value",
        [wanted],
    ):
        honors[honor.officer_id].append(honor)
    dated, params = "", [wanted]
    if window is not None:
        dated = " and (c.decision_date between ? and ? or c.typical_level is not null)"
        params += [day.isoformat() for day in window]
    for role in ("lead_officer_id", "assistant_officer_id"):
        read, given = dated, params
        if role == "assistant_officer_id" and window is not None and not assisted:
            read, given = " and c.typical_level is not null", [wanted]
        sql = f"select c.* from json_each(?) k join cases c on c.[{role}] = k.value{read}"
        for case in _records(db, Case, sql, given):
            cases[getattr(case, role)].append(case)
    files = {}
    for officer in _records(
        db,
        Officer,
        "select o.* from json_each(?) k join officers o on o.officer_id = k.value",
        [wanted],
    ):
        key = officer.officer_id
        mine = sorted(cases[key], key=lambda case: case.case_number)
        files[key] = OfficerFile(officer, tuple(honors[key]), tuple(mine))
    return files


def _load(db: Database, table: str, where: str | None = None, params: list | None = None) -> list:
    """The records of ``table`` matching ``where`` (SQL written in this module only), in key
    order."""
    order = ", ".join(f"[{k}]" for k in PRIMARY_KEYS[table])
    sql = f"select * from [{table}]{f' where {where}' if where else ''} order by {order}"
    return list(_records(db, RECORDS[table], sql, params or []))


def _of(round_: str | None = None, officer_id: str | None = None) -> tuple[str | None, list]:
    """The where clause and parameters for an optional round and an optional officer."""
    conditions, params = [], []
    for column, value in (("round", round_), ("officer_id", officer_id)):
        if value is not None:
            conditions.append(f"[{column}] = ?")
            params.append(value)
    return (" and ".join(conditions) or None), params


def officers(db: Database) -> list[Officer]:
    """Every officer, by officer_id."""
    return _load(db, "officers")


def officers_called(db: Database, part: str) -> list[Officer]:
    """The officers whose name contains ``part`` (any characters, % and _ too), by officer_id."""
    escaped = part.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return _load(db, "officers", "name like ? escape '\\'", [f"%{escaped}%"])


def row_counts(db: Database) -> dict[str, int]:
    """Rows per record table, in the order of RECORDS."""
    return {table: db.execute(f"select count(*) from [{table}]").fetchone()[0] for table in RECORDS}


def schema_version(db: Database) -> str:
    """The name of the last migration applied (m009_audit_rows …)."""
    return max((m.name for m in migrations.applied(db)), default="")


def round_counts(db: Database) -> dict[str, tuple[int, int, int]]:
    """Per round on record: (applications, decisions, appointments)."""
    found = {}
    for (round_,) in db.execute("select round from rounds order by round"):
        found[round_] = tuple(
            db.execute(f"select count(*) from [{table}] where round = ?", [round_]).fetchone()[0]
            for table in ("applications", "decisions", "appointments")
        )
    return found


def last_imports(db: Database) -> dict[str, tuple[str, str, str]]:
    """Per table, the last file imported into it: (when, by whom, which file)."""
    found = {}
    for table, at, user, file in db.execute(
        "select table_name, at, user, file from audit where id in (select max(id) from audit "
        "where file is not null group by table_name) order by table_name"
    ):
        found[table] = (at, user, file)
    return found


def officers_named(db: Database, ids: set[str]) -> dict[str, Officer]:
    """The officers of ``ids`` on record, by officer_id."""
    where = "officer_id in (select value from json_each(?))"
    return {o.officer_id: o for o in _load(db, "officers", where, [json.dumps(sorted(ids))])}


def appointed_officers(db: Database) -> list[Officer]:
    """The officers ever appointed, by officer_id."""
    return _load(db, "officers", "officer_id in (select officer_id from appointments)")


def officer(db: Database, officer_id: str) -> Officer | None:
    """The officer with this 执法证号, or None."""
    found = _load(db, "officers", "officer_id = ?", [officer_id])
    return found[0] if found else None


def all_rounds(db: Database) -> list[Round]:
    """Every round created, by name."""
    return _load(db, "rounds")


def decisions(db: Database, round_: str | None = None) -> list[Decision]:
    """The committee's decisions, of one round or all, by round and officer_id."""
    return _load(db, "decisions", *_of(round_))


def exams(db: Database, round_: str | None = None, officer_id: str | None = None) -> list[Exam]:
    """Exam results, of one round and/or one officer, by round and officer_id."""
    return _load(db, "exams", *_of(round_, officer_id))


def appointments(
    db: Database, round_: str | None = None, officer_id: str | None = None
) -> list[Appointment]:
    """Appointments, of one round and/or one officer, by round and officer_id."""
    return _load(db, "appointments", *_of(round_, officer_id))


def applications_of(db: Database, officer_id: str) -> list[Application]:
    """Every application of one officer, by round."""
    return _load(db, "applications", *_of(officer_id=officer_id))


def all_applications(db: Database) -> list[Application]:
    """Every application of every round, by round and officer_id."""
    return _load(db, "applications")


def decisions_of(db: Database, officer_id: str) -> list[Decision]:
    """Every decision on one officer's applications, by round."""
    return _load(db, "decisions", *_of(officer_id=officer_id))


def evaluation_records(db: Database, round_: str | None = None) -> list[EvaluationRecord]:
    """The evaluations recorded, of one round or all."""
    return _load(db, "evaluations", *_of(round_))


def sanctions(db: Database, round_: str | None = None) -> list[Sanction]:
    """Sanctions (S2.4), of one round or all, by round, officer_id and date."""
    return _load(db, "sanctions", *_of(round_))


def ratings(db: Database, officer_id: str | None = None, period: str | None = None) -> list[Rating]:
    """Half-year ratings (S2.4), of one officer and/or one period, by officer_id and period."""
    conditions, params = _of(officer_id=officer_id)
    if period is not None:
        conditions = " and ".join(filter(None, [conditions, "period = ?"]))
        params.append(period)
    return _load(db, "ratings", conditions, params)


def rating(db: Database, officer_id: str, period: str) -> Rating | None:
    """One officer's rating for one period, or None."""
    found = ratings(db, officer_id, period)
    return found[0] if found else None


def case(db: Database, case_number: str) -> Case | None:
    """The case with this 案号, or None."""
    found = _load(db, "cases", "case_number = ?", [case_number])
    return found[0] if found else None


def cases(db: Database) -> list[Case]:
    """Every case, by case number."""
    return _load(db, "cases")


def cases_decided(db: Database, first: date, last: date) -> list[Case]:
    """Cases decided from ``first`` to ``last`` (both included), by case number."""
    return _load(
        db, "cases", "decision_date between ? and ?", [first.isoformat(), last.isoformat()]
    )


def cases_led(db: Database, officer_id: str) -> list[Case]:
    """The cases an officer led (主办), by case number."""
    return _load(db, "cases", "lead_officer_id = ?", [officer_id])


def reports_between(db: Database, first: date, last: date) -> list[Report]:
    """Reports (述职) dated from ``first`` to ``last``, both included."""
    return _load(db, "reports", "date between ? and ?", [first.isoformat(), last.isoformat()])


def of_officer(db: Database, table: str, officer_id: str) -> list:
    """One officer's records of a per-officer table (honors, assessments, complaints, incidents,
    sanctions, ratings, trainings, reports), in key order."""
    if "officer_id" not in PRIMARY_KEYS[table]:
        raise ValueError(f"{table} is not kept per officer")
    return _load(db, table, "officer_id = ?", [officer_id])


def review_records(
    db: Database,
) -> tuple[list[AnnualAssessment], list[Complaint], list[Incident]]:
    """Every annual assessment, complaint and incident (what the annual review reads)."""
    return _load(db, "assessments"), _load(db, "complaints"), _load(db, "incidents")


def revocations(db: Database) -> list[Revocation]:
    """Every revocation, oldest first."""
    return [
        from_row(Revocation, {k: v for k, v in row.items() if k != "id"})
        for row in db["revocations"].rows_where(order_by="effective_on, id")
    ]


def get_round(db: Database, round_: str) -> Round | None:
    """The round, or None if it was never created."""
    row = _get(db, "rounds", (round_,))
    return None if row is None else from_row(Round, row)


def audit_log(
    db: Database,
    last: int,
    *,
    officer_id: str | None = None,
    since: date | None = None,
    table: str | None = None,
) -> list[dict[str, Any]]:
    """The last ``last`` audit entries, newest last; only those about one officer (rows naming
    the officer_id in their key or values), from a day on, or of one table."""
    where, params = ["1 = 1"], []
    if officer_id is not None:
        listed = _OFFICER_ROWS.format(what=1, entry="audit.id")  # a row a file added
        # an older import entry names the officer in a row's key: first (honors …) or last
        where.append(
            "(key = ? or key like ? or key like ? or new like ? or old like ? or new like ? "
            f"or new like ? or exists ({listed}))"
        )
        quoted = f'%"{officer_id}"%'
        params += [officer_id, f"{officer_id} / %", f"% / {officer_id}%", quoted, quoted]
        params += [f'%"{officer_id} / %', f'% / {officer_id}"%', *_officer_keys(officer_id)]
    if since is not None:
        where.append("at >= ?")
        params.append(since.isoformat())
    if table is not None:
        where.append("table_name = ?")
        params.append(table)
    sql = f"select * from audit where {' and '.join(where)} order by id desc limit ?"
    entries = list(reversed(list(db.query(sql, [*params, last]))))
    if officer_id is not None:  # the officer's rows among those an imported file added
        for entry in entries:
            if entry["action"] == "import":
                sql = _OFFICER_ROWS.format(what="key", entry="?") + " order by key"
                keys = db.execute(sql, [entry["id"], *_officer_keys(officer_id)]).fetchall()
                entry["officer_keys"] = [key for (key,) in keys]
    return entries


# the rows of an import entry whose key names an officer (first or last part of it)
_OFFICER_ROWS = (
    "select {what} from audit_rows r where r.entry = {entry} and (r.key = ? or r.key like ? "
    "or r.key like ?)"
)


def _officer_keys(officer_id: str) -> list[str]:
    return [officer_id, f"{officer_id} / %", f"% / {officer_id}"]


def reviews_done(db: Database, round_: str) -> dict[int, dict[str, Any]]:
    """year -> the applied annual review of that year (applied_on, eliminated, …)."""
    return {row["year"]: row for row in db["reviews"].rows_where("round = ?", [round_])}
