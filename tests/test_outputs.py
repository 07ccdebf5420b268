"""Output files: never over the database or its backups, replace only with --force, owner-only,
no temporary file left behind, and spreadsheet cells that cannot run as formulas."""

from __future__ import annotations

import errno
import os
import stat
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from casegrade.errors import OutputRefused
from casegrade.views import outputs
from casegrade.views.outputs import protected_paths, spreadsheet_safe, write_output, write_workbook

DB_FILES = {
    "casegrade.db": b"SQLite format 3\x00database",
    "casegrade.db-wal": b"wal bytes",
    "casegrade.db-shm": b"shm bytes",
    "casegrade.db-journal": b"journal bytes",
    "backups/casegrade-2024-06-30.db": b"SQLite format 3\x00backup",
}
posix_only = pytest.mark.skipif(os.name == "nt", reason="Windows has no owner-only mode bits")


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """A database with its -wal, -shm and -journal files and one backup, each with known bytes."""
    (tmp_path / "backups").mkdir()
    for name, data in DB_FILES.items():
        (tmp_path / name).write_bytes(data)
    return tmp_path / "casegrade.db"


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_protected_paths(database: Path, tmp_path: Path) -> None:
    assert protected_paths(database) == {(tmp_path / name).resolve() for name in DB_FILES}


def test_protected_paths_without_sidecars_or_backups(tmp_path: Path) -> None:
    db = tmp_path / "new.db"  # not created yet: its files are protected before they exist
    assert protected_paths(db) == {
        (tmp_path / name).resolve()
        for name in ["new.db", "new.db-wal", "new.db-shm", "new.db-journal"]
    }


@pytest.mark.parametrize("name", list(DB_FILES))
@pytest.mark.parametrize("force", [False, True])
def test_database_files_refused_even_with_force(
    database: Path, tmp_path: Path, name: str, force: bool
) -> None:
    with pytest.raises(OutputRefused) as refused:
        write_output(tmp_path / name, "x", database=database, force=force)
    assert str(refused.value) == (
        f"{tmp_path / name} is the database {database}, one of its own files or one of its "
        "backups; name another file for the output"
    )
    with pytest.raises(OutputRefused, match="is the database"):
        write_workbook(tmp_path / name, pytest.fail, database=database, force=force)
    assert {name: (tmp_path / name).read_bytes() for name in DB_FILES} == DB_FILES
    assert files_in(tmp_path) == set(DB_FILES)


@pytest.mark.parametrize(
    "name", ["casegrade.db-wal", "backups/new.csv", "sub/../casegrade.db", "sub/../backups/x.db"]
)
def test_paths_that_lead_to_the_database_refused(tmp_path: Path, name: str) -> None:
    database = tmp_path / "casegrade.db"
    database.write_bytes(b"db")
    (tmp_path / "sub").mkdir()
    (tmp_path / "backups").mkdir()
    with pytest.raises(OutputRefused, match="name another file for the output"):
        write_output(Path(name), "x", database=database, force=True)  # relative to cwd = tmp_path
    assert files_in(tmp_path) == {"casegrade.db"}
    assert database.read_bytes() == b"db"


def test_symlink_to_database_refused(database: Path, tmp_path: Path) -> None:
    link = tmp_path / "report.csv"
    try:
        os.symlink(database, link)
    except (OSError, NotImplementedError):
        pytest.skip("symbolic links are not permitted here")
    with pytest.raises(OutputRefused, match="is the database"):
        write_output(link, "x", database=database, force=True)
    assert database.read_bytes() == DB_FILES["casegrade.db"]


def test_hard_link_to_database_refused(database: Path, tmp_path: Path) -> None:
    link = tmp_path / "report.csv"
    try:
        os.link(database, link)
    except (OSError, NotImplementedError):
        pytest.skip("hard links are not permitted here")
    with pytest.raises(OutputRefused, match="is the database"):
        write_output(link, "x", database=database, force=True)
    assert database.read_bytes() == DB_FILES["casegrade.db"]


def test_other_case_refused_where_names_ignore_case(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "_FOLD_CASE", True)  # as on Windows and macOS
    with pytest.raises(OutputRefused, match="is the database"):
        write_output(tmp_path / "CASEGRADE.DB", "x", database=database, force=True)
    assert files_in(tmp_path) == set(DB_FILES)


def test_new_file_written(database: Path, tmp_path: Path) -> None:
    written = write_output(Path("评分.csv"), "姓名,得分\n张三,95\n", database=database)
    assert written == (tmp_path / "评分.csv").resolve()
    assert written.read_bytes() == "姓名,得分\n张三,95\n".encode()
    assert files_in(tmp_path) == {*DB_FILES, "评分.csv"}


def test_existing_file_refused_without_force_and_replaced_with_force(
    database: Path, tmp_path: Path
) -> None:
    out = tmp_path / "officers.csv"
    out.write_text("the office's input\n", encoding="utf-8")
    with pytest.raises(OutputRefused) as refused:
        write_output(out, "new", database=database)
    assert str(refused.value) == f"{out} exists; name another file, or give --force to replace it"
    assert out.read_text(encoding="utf-8") == "the office's input\n"
    assert write_output(out, "new", database=database, force=True) == out.resolve()
    assert out.read_text(encoding="utf-8") == "new"
    assert files_in(tmp_path) == {*DB_FILES, "officers.csv"}


def test_folder_refused(database: Path, tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    with pytest.raises(OutputRefused, match="is a folder; name a file in it"):
        write_output(tmp_path / "reports", "x", database=database, force=True)


def test_missing_folder_refused(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "nowhere" / "out.csv"
    with pytest.raises(OutputRefused) as refused:
        write_output(out, "x", database=database)
    assert str(refused.value) == (
        f"cannot write {out}: the folder {out.parent} does not exist; create it first or name a "
        "file in an existing folder"
    )
    assert not (tmp_path / "nowhere").exists()


@posix_only
@pytest.mark.parametrize("existing", [False, True])
def test_owner_only(database: Path, tmp_path: Path, existing: bool) -> None:
    out = tmp_path / "ids.csv"
    if existing:
        out.write_text("old", encoding="utf-8")
        out.chmod(0o644)
    write_output(out, "330102199003071230", database=database, force=True)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


@posix_only
def test_workbook_owner_only_even_if_save_makes_a_new_file(database: Path, tmp_path: Path) -> None:
    def save(temp: Path) -> None:
        temp.unlink()
        temp.write_bytes(b"workbook")
        temp.chmod(0o644)

    out = write_workbook(tmp_path / "book.xlsx", save, database=database)
    assert out.read_bytes() == b"workbook"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


def test_workbook_saved_by_openpyxl(database: Path, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active["A1"] = "张三"
    out = write_workbook(tmp_path / "评分.xlsx", book.save, database=database)
    assert out == (tmp_path / "评分.xlsx").resolve()
    assert openpyxl.load_workbook(out).active["A1"].value == "张三"
    assert files_in(tmp_path) == {*DB_FILES, "评分.xlsx"}


def test_save_that_raises_leaves_nothing(database: Path, tmp_path: Path) -> None:
    out = tmp_path / "book.xlsx"
    out.write_bytes(b"old book")

    def save(temp: Path) -> None:
        temp.write_bytes(b"half a book")
        raise RuntimeError("broken workbook")

    with pytest.raises(RuntimeError, match="broken workbook"):
        write_workbook(out, save, database=database, force=True)
    assert out.read_bytes() == b"old book"
    assert files_in(tmp_path) == {*DB_FILES, "book.xlsx"}


def test_save_oserror_is_refused(database: Path, tmp_path: Path) -> None:
    def save(temp: Path) -> None:
        raise OSError(errno.EACCES, os.strerror(errno.EACCES), str(temp))

    out = tmp_path / "book.xlsx"
    with pytest.raises(OutputRefused) as refused:
        write_workbook(out, save, database=database)
    assert str(refused.value) == (
        f"cannot write {out}: {os.strerror(errno.EACCES)}; nothing was written — close the file "
        "if another program has it open, or name a file in a folder you may write to, on a disk "
        "with room"
    )
    assert files_in(tmp_path) == set(DB_FILES)


def test_disk_full_is_refused_and_leaves_nothing(
    database: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "report.csv"
    out.write_text("old", encoding="utf-8")

    def fsync(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outputs.os, "fsync", fsync)
    with pytest.raises(OutputRefused) as refused:
        write_output(out, "new", database=database, force=True)
    assert str(refused.value).startswith(f"cannot write {out}: {os.strerror(errno.ENOSPC)}; ")
    assert out.read_text(encoding="utf-8") == "old"
    assert files_in(tmp_path) == {*DB_FILES, "report.csv"}


def test_character_outside_encoding_refused(database: Path, tmp_path: Path) -> None:
    with pytest.raises(OutputRefused) as refused:
        write_output(tmp_path / "out.csv", "张三,𠀀\n", database=database, encoding="gbk")
    assert str(refused.value) == (
        f"cannot write {tmp_path / 'out.csv'}: the character '𠀀' (at position 3) has no gbk "
        "encoding; write the file as UTF-8 instead"
    )
    assert files_in(tmp_path) == set(DB_FILES)


def test_encoding(database: Path, tmp_path: Path) -> None:
    out = write_output(tmp_path / "out.csv", "张三\n", database=database, encoding="gbk")
    assert out.read_bytes() == b"\xd5\xc5\xc8\xfd\n"


def test_bom(database: Path, tmp_path: Path) -> None:
    out = write_output(tmp_path / "out.csv", "姓名\n", database=database, bom=True)
    assert out.read_bytes() == b"\xef\xbb\xbf" + "姓名\n".encode()
    again = write_output(tmp_path / "b.csv", b"\xef\xbb\xbfx", database=database, bom=True)
    assert again.read_bytes() == b"\xef\xbb\xbfx"  # one mark, not two


def test_bom_with_other_encoding_is_a_mistake(database: Path, tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot begin gbk text"):
        write_output(tmp_path / "out.csv", "x", database=database, encoding="gbk", bom=True)
    assert files_in(tmp_path) == set(DB_FILES)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "+1"),  # plain numbers: Excel shows a number and runs nothing
        ("-1", "-1"),
        ("+1+1", "'+1+1"),
        ("-1+cmd", "'-1+cmd"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
        ("-", "'-"),
        ("+", "'+"),
        ("-12.50", "-12.50"),
        ("+3", "+3"),
        ("-1,234.5", "-1,234.5"),
        ("-.5", "-.5"),
        ("-1,23", "'-1,23"),
        (12, 12),
        (-5.5, -5.5),
        (Decimal("-3.10"), Decimal("-3.10")),
        ("张三", "张三"),
        ("", ""),
        (None, None),
        ("a=1", "a=1"),
    ],
)
def test_spreadsheet_safe(value: object, expected: object) -> None:
    assert spreadsheet_safe(value) == expected
