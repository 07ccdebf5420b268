"""Copies of the database: taken by hand or before a command that changes many records at once,
kept in a `backups` folder beside the database (its owner's only), restored on demand, and the
last command undone by restoring the copy taken before it."""

from __future__ import annotations

import itertools
import os
import re
import shutil
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlite_utils import Database

from casegrade import store
from casegrade.errors import BackupError

FOLDER = "backups"
BEFORE = "-before-"  # in the name of an automatic copy: the command it was taken before
UNDONE = "-undone"  # added to a copy's name once ``undo`` has restored it
REPLACED = "-replaced"  # what a restore replaced


def folder(database: Path) -> Path:
    """The backups folder beside ``database``, made (its owner's only) if need be."""
    path = database.parent / FOLDER
    try:
        path.mkdir(exist_ok=True)
        if os.name == "posix":
            path.chmod(0o700)
    except OSError as exc:
        raise BackupError(
            f"cannot make the backups folder {path}: {exc.strerror}; the database's folder must "
            "be writable (or give backup --output FILE elsewhere)"
        ) from exc
    return path


def _stamp() -> str:
    """The time to the microsecond and the process: two commands never name a copy alike."""
    return f"{datetime.now():%Y%m%d-%H%M%S-%f}-{os.getpid()}"


def take(source: Database | Path, database: Path, reason: str, keep: int) -> Path:
    """Copy the database (open, or at its path) into the backups folder as
    ``NAME-<time>-before-<reason>.db`` and keep only the newest ``keep`` automatic copies.
    Returns the copy's path.

    Raises:
        StoreError: the copy cannot be written.
    """
    stamp = _stamp()
    for attempt in itertools.count():  # two commands in one microsecond: the second one's -1
        suffix = f"-{attempt}" if attempt else ""
        target = folder(database) / f"{database.name}-{stamp}{suffix}{BEFORE}{reason}.db"
        try:
            store.copy_database(source, target)
            break
        except store.CopyExists:
            continue
    for kind in (BEFORE, UNDONE, REPLACED):
        copies = _copies(database, kind)
        for old in copies[: max(len(copies) - keep, 0)]:
            old.unlink(missing_ok=True)  # another command may be pruning the same copies
    return target


def save_copy(database: Path, output: Path | None) -> Path:
    """``casegrade backup``: copy the database file as it is (an older casegrade's too, before
    anything upgrades it) to ``output`` (a new file), or into the backups folder. Returns where.

    Raises:
        StoreError: no database there, or ``output`` exists or cannot be written.
        BackupError: the backups folder cannot be made.
    """
    target = output or folder(database) / f"{database.name}-{_stamp()}-manual.db"
    store.copy_database(database, target)
    return target


def automatic(database: Path) -> list[Path]:
    """The automatic copies of this database not yet undone, oldest first."""
    return [p for p in _copies(database, BEFORE) if UNDONE not in p.name]


def anchors(database: Path, restored: list[str]) -> list[Path]:
    """The copies of this database whose audit the database must still hold (for audit verify):
    automatic and manual copies taken since it was last restored (``restored``: when, ISO), not
    the contents a restore or undo took back."""
    since = restored[-1].replace("-", "").replace(":", "").replace("T", "-") if restored else ""
    return [
        copy
        for copy in _copies(database, "-")
        if UNDONE not in copy.name
        and REPLACED not in copy.name
        and copy.name[len(database.name) + 1 : len(database.name) + 16] >= since
    ]


def _copies(database: Path, kind: str) -> list[Path]:
    """This database's copies of one kind (BEFORE, UNDONE, REPLACED), oldest first; never
    another database's whose name begins alike (a.db, a-old.db and a.sqlite side by side)."""
    path = database.parent / FOLDER
    if not path.is_dir():
        return []
    mine = re.compile(rf"{re.escape(database.name)}-\d{{8}}-\d{{6}}-\d{{6}}-\d+(-\d+)?-.*\.db")
    return sorted(p for p in path.iterdir() if mine.fullmatch(p.name) and kind in p.name)


def restore(database: Path, copy: Path) -> Path:
    """Replace the database's content with the copy's, after checking the copy; the content
    replaced is kept in the backups folder first. Returns where it was kept.

    Raises:
        StoreError: the copy is damaged, not a casegrade database or a newer casegrade's; the
            database cannot be written. Nothing was changed.
    """
    if copy.exists() and database.exists() and copy.samefile(database):
        raise BackupError(f"{copy} is the database itself; name a backup to restore")
    store.check_copy(copy)
    kept = folder(database) / f"{database.name}-{_stamp()}{REPLACED}.db"
    try:
        store.copy_database(database, kept)
    except store.StoreError:  # damaged or missing: kept aside as it is, then written anew
        if database.exists():
            shutil.copyfile(database, kept)
            store.owner_only(kept)
        for side in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
            side.unlink(missing_ok=True)
        store.copy_database(copy, database)
    else:
        store.copy_over(copy, database)
        store.owner_only(database)
    store.audit_restore(database, copy.name, kept.name)
    return kept


@dataclass(frozen=True)
class Undo:
    """What ``undo`` would restore. Attributes: copy (the backup taken before the last command
    that changed many records), changes (the audit entries made since: what undo takes back)."""

    copy: Path
    changes: list[dict]


def last_change(db: Database, database: Path) -> Undo:
    """The newest automatic copy and the audit entries recorded after it.

    Raises:
        BackupError: there is no automatic copy.
    """
    copies = automatic(database)
    if not copies:
        raise BackupError(
            f"no automatic backup beside {database}; nothing to undo (backups are taken before "
            "import --replace, appoint, review --apply, renew --apply and upgrades)"
        )
    since = store.last_audit_id(copies[-1])
    return Undo(copies[-1], [row for row in store.audit_log(db, 10**6) if row["id"] > since])


def undo(db: Database, database: Path, found: Undo) -> Path:
    """Restore the copy ``found`` names and mark it undone (the next undo goes one further
    back). Returns where the replaced content was kept.

    Raises:
        BackupError: something was recorded since ``found`` was shown; nothing was changed.
        StoreError: as ``restore``.
    """
    shown = found.changes[-1]["id"] if found.changes else store.last_audit_id(found.copy)
    if store.last_audit_id(db) != shown:
        raise BackupError("something was recorded meanwhile; nothing was changed: run undo again")
    kept = restore(database, found.copy)
    found.copy.rename(found.copy.with_name(found.copy.stem + UNDONE + ".db"))
    return kept


def check_copy(path: Path) -> None:
    """Refuse a copy that is no casegrade database this version can use (store.check_copy).

    Raises:
        StoreError: missing, empty, damaged, not casegrade's, or of a newer version.
    """
    store.check_copy(path)
