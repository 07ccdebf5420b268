"""Write the files that commands are asked for with --output: never over the database or its
backups, over an existing file only with --force, readable by their owner only, and all at once."""

from __future__ import annotations

import codecs
import contextlib
import os
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from casegrade.core.backups import FOLDER
from casegrade.errors import OutputRefused

BOM = codecs.BOM_UTF8
# Windows and macOS folders ignore case by default: CASEGRADE.DB is the database there.
_FOLD_CASE = os.name == "nt" or sys.platform == "darwin"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[+-]?\.\d+")


def protected_paths(database: Path) -> set[Path]:
    """Return the resolved paths no output may replace: the database file, its -wal, -shm and
    -journal files (whether they exist or not) and everything now in its ``backups`` folder
    (``database.parent / "backups"``), at any depth."""
    resolved = database.resolve()
    paths = {
        resolved,
        *(resolved.with_name(resolved.name + end) for end in ("-wal", "-shm", "-journal")),
    }
    backups = resolved.parent / FOLDER
    if backups.is_dir():
        paths.update(found.resolve() for found in backups.rglob("*"))
    return paths


def write_output(
    path: Path,
    content: str | bytes,
    *,
    database: Path,
    force: bool = False,
    encoding: str = "utf-8",
    bom: bool = False,
) -> Path:
    """Write ``content`` to ``path`` through a temporary file in the same folder, moved into place
    only once complete, and return the resolved path. ``str`` content is encoded with
    ``encoding``; ``bom`` puts the UTF-8 byte-order mark first (so that Excel reads a CSV file as
    UTF-8) unless the bytes have it already. On POSIX the file is readable by its owner only (0600),
    as it may hold ID numbers.

    Raises:
        OutputRefused: ``path`` is the database, one of its files or in its backups folder (even
            with ``force``); it exists and ``force`` is not given; it is a folder or its folder is
            missing; a character cannot be written in ``encoding``; the disk refuses the write.
        ValueError: ``bom`` with ``str`` content and an encoding other than UTF-8.
    """
    if isinstance(content, str):
        if bom and codecs.lookup(encoding).name != "utf-8":
            raise ValueError(f"a UTF-8 byte-order mark cannot begin {encoding} text")
        try:
            data = content.encode(encoding)
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
            raise OutputRefused(
                f"cannot write {path}: the character {bad!r} (at position {exc.start}) has no "
                f"{encoding} encoding; write the file as UTF-8 instead"
            ) from exc
    else:
        data = content
    if bom and not data.startswith(BOM):
        data = BOM + data

    def fill(fd: int, temp: Path) -> None:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())

    return _replace(path, fill, database=database, force=force)


def write_workbook(
    path: Path, save: Callable[[Path], None], *, database: Path, force: bool = False
) -> Path:
    """Have ``save`` (e.g. openpyxl's ``Workbook.save``) write a temporary file in the folder of
    ``path``, then move it into place as :func:`write_output` does, and return the resolved path.

    Raises:
        OutputRefused: as :func:`write_output`; also when ``save`` raises ``OSError``.
        Whatever else ``save`` raises, once the temporary file is removed.
    """

    def fill(fd: int, temp: Path) -> None:
        os.close(fd)
        save(temp)
        with temp.open("r+b") as handle:  # r+: Windows cannot fsync a file open only to read
            os.fsync(handle.fileno())

    return _replace(path, fill, database=database, force=force)


def spreadsheet_safe(value: object) -> object:
    """Return ``value`` as a cell that Excel, WPS and LibreOffice show as text and never run as a
    formula (OWASP "CSV injection"): a ``str`` beginning with =, +, -, @, a tab or a carriage
    return gets a leading apostrophe, unless it is a plain number ("-12.50", "+3", "-1,234.5").
    Numbers (int, float, Decimal) and all other values are returned unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return value if _PLAIN_NUMBER.fullmatch(value) else "'" + value
    return value


def _key(path: Path) -> str:
    return str(path).casefold() if _FOLD_CASE else str(path)


def _is_database(path: Path) -> bool:
    """Whether the file is an SQLite database (a copy made with casegrade backup --output …)."""
    try:
        with path.open("rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _check(path: Path, target: Path, database: Path, force: bool) -> None:
    """Raise OutputRefused unless ``target`` (``path`` resolved) may be written."""
    protected = protected_paths(database)
    backups = _key(database.resolve().parent / FOLDER) + os.sep
    if (
        _key(target) in {_key(p) for p in protected}
        or _key(target).startswith(backups)
        # the same file by another name: a hard link, or other case on a case-blind disk
        or (target.exists() and any(p.exists() and os.path.samefile(target, p) for p in protected))
    ):
        raise OutputRefused(
            f"{path} is the database {database}, one of its own files or one of its backups; "
            "name another file for the output"
        )
    if target.is_dir():
        raise OutputRefused(f"{path} is a folder; name a file in it, e.g. {path / 'out.csv'}")
    if _is_database(target):
        raise OutputRefused(
            f"{path} is a database (a backup?); outputs are never written over one, even with "
            "--force: name another file"
        )
    if not target.parent.is_dir():
        raise OutputRefused(
            f"cannot write {path}: the folder {target.parent} does not exist; create it first "
            "or name a file in an existing folder"
        )
    if (os.path.lexists(path) or target.exists()) and not force:
        raise OutputRefused(f"{path} exists; name another file, or give --force to replace it")


def _replace(path: Path, fill: Callable[[int, Path], None], *, database: Path, force: bool) -> Path:
    """Check ``path``, have ``fill`` write a temporary file beside it, move that into place."""
    target = path.resolve()
    _check(path, target, database, force)
    temp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".casegrade-", suffix=target.suffix)
        temp = Path(name)
        fill(fd, temp)
        # again, in case ``save`` made a new file (on Windows chmod sets only read-only)
        os.chmod(temp, 0o600)
        os.replace(temp, target)
        temp = None
    except OSError as exc:
        raise OutputRefused(
            f"cannot write {path}: {exc.strerror or exc}; nothing was written — close the file if another "
            "program has it open, or name a file in a folder you may write to, on a disk with room"
        ) from exc
    finally:
        if temp is not None:
            with contextlib.suppress(OSError):  # keep the first error, not one from cleaning up
                temp.unlink(missing_ok=True)
    return target
