"""Nothing lost, nothing leaked: outputs that cannot destroy, databases opened as little as
needed, backups and undo, an audit that notices tampering, personal data kept private."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from casegrade import store
from casegrade.core import backups, imports, review, sample
from casegrade.errors import StoreError
from casegrade.policy import load_policy
from casegrade.store import open_db

POSIX = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX")


@pytest.fixture
def restored(dump):
    """``restored(path)``: the dump but the audit entries that record a restore (and, after
    one, nothing else)."""

    def statements(path: Path) -> list[str]:
        return [line for line in dump(path) if "'restore','database'" not in line]

    return statements


# --- an output must never destroy data ----------------------------------------------------------


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
def test_an_output_is_never_written_over_the_database(bureau, suffix, run, dump):
    before = dump(bureau)
    for fmt in ("csv", "json", "table"):
        result = run(
            "--db", bureau, "roster", "--as-of", "2027-01-01", "--format", fmt,
            "--output", f"{bureau}{suffix}", "--force", ok=False,
        )  # fmt: skip
        assert result.exit_code == 1 and "is the database" in result.stderr
    assert dump(bureau) == before
    assert run("--db", bureau, "roster", "--as-of", "2027-01-01").stdout.count("\n") > 100


def test_an_existing_file_is_replaced_only_with_force(bureau, tmp_path, run):
    out = tmp_path / "名单.csv"
    out.write_text("the clerk's own notes", encoding="utf-8")
    result = run("--db", bureau, "roster", "--format", "csv", "--output", out, ok=False)
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_text(encoding="utf-8") == "the clerk's own notes"
    result = run(
        "--db",
        bureau,
        "roster",
        "--as-of",
        "2027-01-01",
        "--format",
        "csv",
        "--output",
        out,
        "--force",
    )
    assert f"Written to {out}" in result.stderr
    assert out.read_bytes().startswith(b"\xef\xbb\xbf") and "宋子然" in out.read_text(
        encoding="utf-8-sig"
    )


@POSIX
def test_the_database_backups_and_outputs_are_the_owners_only(tmp_path, run):
    db = tmp_path / "new.db"
    folder = sample.sample_data_dir()
    run("--db", db, "import", "officers", folder / "officers.csv")
    run("--db", db, "import", "honors", folder / "honors.csv")
    run("--db", db, "backup")
    run("--db", db, "roster", "--format", "csv", "--output", tmp_path / "r.csv")
    files = [db, tmp_path / "r.csv", *(tmp_path / "backups").iterdir()]
    files += [p for p in (Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
    assert oct((tmp_path / "backups").stat().st_mode & 0o777) == "0o700"


# --- places and versions -------------------------------------------------------------------------


@POSIX
def test_a_read_only_share_can_be_read(bureau, run, round_2026, table_rows):
    """The folder and the file cannot be written (as on a read-only share); the database was
    left in WAL mode, so a reader cannot even make its -shm file there."""
    folder = bureau.parent
    if os.geteuid() == 0:  # root writes through modes: make the files immutable instead
        if shutil.which("chattr") is None:
            pytest.skip("root without chattr cannot make a read-only folder")
        lock = ["chattr", "+i", str(bureau), str(folder)]
        unlock = ["chattr", "-i", str(folder), str(bureau)]
    else:
        lock = ["chmod", "a-w", str(bureau), str(folder)]
        unlock = ["chmod", "u+w", str(folder), str(bureau)]
    if subprocess.run(lock, check=False, capture_output=True).returncode != 0:
        subprocess.run(unlock, check=False, capture_output=True)
        pytest.skip("this file system cannot make a file read-only")
    try:
        shown = table_rows(run("--db", bureau, "roster", "--as-of", "2027-01-01").stdout)
        result = run("--db", bureau, "rectify", "0705", "--on", "2027-03-01", ok=False)
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert "read-only" in result.stderr or "not writable" in result.stderr
        result = run("--db", bureau, "evaluate", *round_2026)  # the main read job still works
        assert "共 169 份申报" in result.stdout and "Warning: not recorded" in result.stderr
        result = run("--db", bureau, "backup", ok=False)
        assert result.exit_code == 1 and "cannot make the backups folder" in result.stderr
    finally:
        subprocess.run(unlock, check=True)
    roster = run("--db", bureau, "roster", "--as-of", "2027-01-01", "--format", "json").stdout
    holders = [holder["officer_id"] for holder in json.loads(roster)["holders"]]
    assert len(holders) > 100 and [row["执法证号"] for row in shown] == holders  # every holder


def test_a_missing_folder_is_said_plainly(tmp_path, run):
    result = run(
        "--db", tmp_path / "no" / "such" / "x.db", "round", "create", "2026",
        "--evaluate-on", "2026-06-30", "--term-start", "2026-07-01", ok=False,
    )  # fmt: skip
    assert result.exit_code == 1
    assert "the folder does not exist or is not writable" in result.stderr


@POSIX
def test_a_database_made_by_round_create_is_the_owners_only(tmp_path, run, create_round_2026):
    db = tmp_path / "r.db"
    run("--db", db, *create_round_2026)
    assert oct(db.stat().st_mode & 0o777) == "0o600"


def test_a_command_that_only_reads_never_changes_the_file(bureau, run):
    with sqlite3.connect(bureau) as connection:
        connection.execute("pragma journal_mode = delete")
    before = bureau.read_bytes()
    for command in (["roster"], ["stats", "--round", "2026"], ["audit"], ["history", "0101"]):
        run("--db", bureau, *command)
    assert bureau.read_bytes() == before
    assert not Path(f"{bureau}-wal").exists()  # not even switched to WAL


def test_an_empty_file_is_not_a_database_and_stays_empty(tmp_path, run, round_2026):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    for command in (
        ["roster"],
        ["renew", "--apply"],  # the cron line: a truncated database is an error, not a new one
        ["rate", "0101", "2027H2", "pass", "--on", "2028-01-10"],
        ["evaluate", *round_2026],
    ):
        result = run("--db", empty, *command, ok=False)
        assert result.exit_code == 1
        assert "is an empty file, not a casegrade database" in result.stderr
    assert empty.read_bytes() == b""


def test_a_newer_casegrades_database_is_refused_untouched(bureau, run, dump):
    with sqlite3.connect(bureau) as connection:
        connection.execute(
            "insert into _sqlite_migrations (migration_set, name, applied_at) "
            "values ('casegrade', 'm099_future', '2030-01-01')"
        )
    before = dump(bureau)
    for command in (["roster"], ["import", "officers", sample.sample_data_dir() / "officers.csv"]):
        result = run("--db", bureau, *command, ok=False)
        assert (
            result.exit_code == 1
            and "written by a newer casegrade (it has m099_future)" in result.stderr
        )
    assert dump(bureau) == before


def test_an_older_database_is_read_only_after_the_first_write_upgrades_it_with_a_backup(
    bureau, run, dump
):
    with sqlite3.connect(bureau) as connection:  # as casegrade before issue 8 left it
        connection.execute("delete from _sqlite_migrations where name = 'm005_safety'")
        connection.execute("drop index revocations_one_per_appointment")
        for column in ("command", "file", "file_sha256", "hash"):
            connection.execute(f"alter table audit drop column {column}")
    before = dump(bureau)
    result = run("--db", bureau, "roster", ok=False)
    assert result.exit_code == 1 and "written by an older casegrade" in result.stderr
    assert dump(bureau) == before
    run("--db", bureau, "backup", "--output", bureau.parent / "as-it-was.db")  # before upgrading
    assert dump(bureau.parent / "as-it-was.db") == before and dump(bureau) == before
    result = run("--db", bureau, "rectify", "0705", "--on", "2027-03-01")
    assert "brought up to date, backup first:" in result.stderr
    (copy,) = (bureau.parent / "backups").glob("*-before-upgrade.db")
    with sqlite3.connect(copy) as connection:
        names = [row[0] for row in connection.execute("select name from _sqlite_migrations")]
    assert "m005_safety" not in names
    run("--db", bureau, "roster")


# --- backups and undo ------------------------------------------------------------------------------


def test_backup_and_restore(bureau, tmp_path, run, dump, restored):
    copy = tmp_path / "copy.db"
    run("--db", bureau, "backup", "--output", copy)
    before = dump(bureau)
    run("--db", bureau, "rectify", "0705", "--on", "2027-03-01")
    assert dump(bureau) != before
    result = run("--db", bureau, "restore", copy, ok=False)  # not a terminal: needs --yes
    assert result.exit_code == 1 and "--yes" in result.stderr
    result = run("--db", bureau, "restore", copy, "--yes")
    assert restored(bureau) == before
    assert "restore database copy.db" in run("--db", bureau, "audit", "--last", "1").stdout
    (kept,) = (bureau.parent / "backups").glob("*-replaced.db")
    assert f"kept at {kept}" in result.stdout
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(copy.read_bytes()[:4096])
    for bad in (damaged, bureau):
        result = run("--db", bureau, "restore", bad, "--yes", ok=False)
        assert result.exit_code == 1 and restored(bureau) == before
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    result = run("--db", bureau, "restore", empty, "--yes", ok=False)
    assert result.exit_code == 1 and "choose another backup" in result.stderr
    assert restored(bureau) == before
    assert "intact" in run("--db", bureau, "audit", "verify").stdout


def test_undo_takes_back_the_last_mass_change(bureau, run, dump, restored):
    before = dump(bureau)
    result = run(
        "--db", bureau, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply"
    )
    assert "Backup before review" in result.stderr
    assert dump(bureau) != before
    result = run("--db", bureau, "undo", "--yes")
    assert "add revocations 2026 / " in result.stdout
    assert restored(bureau) == before
    assert "intact" in run("--db", bureau, "audit", "verify").stdout  # the undone copy is no anchor
    result = run("--db", bureau, "undo", "--yes", ok=False)  # that copy is used up
    assert result.exit_code == 1 and "nothing to undo" in result.stderr


def test_automatic_backups_keep_the_policys_number(bureau, tmp_path):
    policy = tmp_path / "p.toml"
    shipped = (Path(imports.__file__).parents[1] / "policy.toml").read_text(encoding="utf-8")
    policy.write_text(shipped.replace("backups_kept = 10", "backups_kept = 2"), encoding="utf-8")
    assert load_policy(policy).backups_kept == 2
    for _ in range(4):
        backups.take(bureau, bureau, "test", load_policy(policy).backups_kept)
    assert len(list((bureau.parent / "backups").glob("*-before-test.db"))) == 2


def test_a_failed_command_leaves_no_backup(bureau, run):
    result = run("--db", bureau, "appoint", "2099", ok=False)
    assert result.exit_code == 1 and "Backup" not in result.stderr
    assert not list((bureau.parent / "backups").glob("*-before-appoint.db"))


def test_undo_keeps_to_databases_that_differ_only_by_extension(bureau, run):
    other = bureau.with_suffix(".sqlite")
    store.copy_database(bureau, other)
    run("--db", bureau, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    result = run("--db", other, "undo", "--yes", ok=False)
    assert result.exit_code == 1 and "nothing to undo" in result.stderr
    assert len(backups.automatic(bureau)) == 1


def test_a_command_that_changes_nothing_keeps_no_copy(bureau, run):
    result = run("--db", bureau, "appoint", "2026", "--on", "2026-07-01")  # all appointed already
    assert "Backup" not in result.stderr
    assert backups.automatic(bureau) == []


def test_an_output_never_replaces_a_database_copied_elsewhere(bureau, tmp_path, run):
    copy = tmp_path / "b1.db"
    run("--db", bureau, "backup", "--output", copy)
    before = copy.read_bytes()
    result = run("--db", bureau, "roster", "--output", copy, "--force", ok=False)
    assert result.exit_code == 1 and "is a database" in result.stderr
    assert copy.read_bytes() == before


def test_undo_never_takes_another_databases_copy(bureau, run):
    other = bureau.parent / f"{bureau.stem}-old.db"
    store.copy_database(bureau, other)
    run("--db", other, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    result = run("--db", bureau, "undo", "--yes", ok=False)
    assert result.exit_code == 1 and "nothing to undo" in result.stderr
    assert len(backups.automatic(other)) == 1 and backups.automatic(bureau) == []


def test_restore_refuses_what_is_not_a_whole_casegrade_database(bureau, tmp_path, run, dump):
    fake = tmp_path / "fake.db"  # says it is casegrade's, holds nothing else
    with sqlite3.connect(fake) as connection:
        connection.execute("attach ? as real", [str(bureau)])
        connection.execute(
            "create table _sqlite_migrations as select * from real._sqlite_migrations"
        )
    before = dump(bureau)
    result = run("--db", bureau, "restore", fake, "--yes", ok=False)
    assert result.exit_code == 1 and "not a whole casegrade database" in result.stderr
    assert dump(bureau) == before


def test_restore_rescues_a_damaged_database(bureau, tmp_path, run, dump, restored):
    copy = tmp_path / "good.db"
    run("--db", bureau, "backup", "--output", copy)
    good = dump(copy)
    for side in (Path(f"{bureau}-wal"), Path(f"{bureau}-shm")):
        side.unlink(missing_ok=True)
    bureau.write_bytes(b"garbage" * 1000)
    result = run("--db", bureau, "restore", copy, "--yes")
    assert restored(bureau) == good
    (kept,) = (bureau.parent / "backups").glob("*-replaced.db")
    assert kept.read_bytes() == b"garbage" * 1000 and f"kept at {kept}" in result.stdout


def test_an_older_database_imported_into_is_backed_up_first(bureau, run):
    with sqlite3.connect(bureau) as connection:
        connection.execute("delete from _sqlite_migrations where name = 'm005_safety'")
        connection.execute("drop index revocations_one_per_appointment")
        for column in ("command", "file", "file_sha256", "hash"):
            connection.execute(f"alter table audit drop column {column}")
    result = run("--db", bureau, "import", "officers", sample.sample_data_dir() / "officers.csv")
    assert "brought up to date, backup first:" in result.stderr
    assert len(list((bureau.parent / "backups").glob("*-before-upgrade.db"))) == 1


@POSIX
def test_an_empty_file_given_to_a_writer_becomes_the_owners_only(tmp_path, run):
    empty = tmp_path / "z.db"
    empty.write_bytes(b"")
    empty.chmod(0o644)
    run("--db", empty, "import", "officers", sample.sample_data_dir() / "officers.csv")
    assert oct(empty.stat().st_mode & 0o777) == "0o600"


# --- an audit you can trust -------------------------------------------------------------------------


def test_audit_verify_names_rows_changed_or_deleted_outside_casegrade(bureau, run):
    assert "intact" in run("--db", bureau, "audit", "verify").stdout
    with sqlite3.connect(bureau) as connection:
        connection.execute("update ratings set level = 'excellent' where officer_id = '0705'")
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert (
        result.exit_code == 1
        and "ratings 0705 / 2026H2: changed outside casegrade" in result.stdout
    )
    with sqlite3.connect(bureau) as connection:
        connection.execute("delete from audit where id = 5")
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert "audit row 5: deleted outside casegrade" in result.stdout
    with sqlite3.connect(bureau) as connection:
        connection.execute("update audit set user = '局长' where id = 7")
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert "audit row 5: deleted outside casegrade" in result.stdout  # the first break is named


def test_a_rebuilt_audit_chain_is_caught_by_the_backups(bureau, run):
    run("--db", bureau, "backup")
    with sqlite3.connect(bureau) as connection:  # the rating and its audit, chain and all
        connection.row_factory = sqlite3.Row
        connection.execute(
            "update ratings set level = 'excellent' where officer_id = '0705' and period = '2026H2'"
        )
        (target,) = connection.execute(  # the import that added it keeps the hash of its values
            "select id, new from audit where table_name = 'ratings' and action = 'import'"
        ).fetchall()
        (changed,) = connection.execute(
            "select * from ratings where officer_id = '0705' and period = '2026H2'"
        ).fetchall()
        connection.execute(  # the row's hash, and the import entry's hash of its rows
            "update audit_rows set hash = ? where entry = ? and key = '0705 / 2026H2'",
            [store.row_hash(dict(changed)), target["id"]],
        )
        listed = connection.execute(
            "select key, hash from audit_rows where entry = ? order by key", [target["id"]]
        ).fetchall()
        entry = json.loads(target["new"])
        entry["rows_sha256"] = hashlib.sha256(
            "".join(f"{key}\t{hashed}\n" for key, hashed in listed).encode()
        ).hexdigest()
        connection.execute(
            "update audit set new = ? where id = ?", [json.dumps(entry), target["id"]]
        )
        previous = ""
        for row in connection.execute("select * from audit order by id").fetchall():
            previous = store.audit_hash(previous, dict(row))
            connection.execute("update audit set hash = ? where id = ?", [previous, row["id"]])
    result = run("--db", bureau, "audit", "verify", ok=False)
    (copy,) = (bureau.parent / "backups").iterdir()
    assert result.stdout.splitlines() == [
        f"audit row {target['id']}: not as in the backup {copy.name}"
    ]


def test_audit_verify_names_the_first_row_deleted(bureau, run):
    with sqlite3.connect(bureau) as connection:
        connection.execute("delete from audit where id = 1")
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert result.stdout.splitlines()[0] == "audit row 1: deleted outside casegrade"


def test_the_user_is_the_accounts_not_the_environments(bureau, tmp_path):
    environment = {**os.environ, "USER": "局长", "LOGNAME": "局长", "USERNAME": "局长"}
    done = subprocess.run(
        [sys.executable, "-m", "casegrade", "--db", str(bureau), "rectify", "0705", "--on", "2027-03-01"],
        capture_output=True, env=environment, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode()
    with sqlite3.connect(bureau) as connection:
        user, command = connection.execute(
            "select user, command from audit order by id desc limit 1"
        ).fetchone()
    assert user == store.operator() != "局长"
    assert command == f"casegrade --db {bureau} rectify 0705 --on 2027-03-01"


def test_audit_filters_and_masks_id_numbers(bureau, run, csv_file):
    (who, number), *_ = open_db(bureau, write=False).execute(
        "select officer_id, id_number from officers where id_number is not null"
    )
    lines = run("--db", bureau, "audit", "--officer", who, "--table", "officers").stdout
    assert "import officers: 169 row(s) added" in lines  # the file that added the officer
    # a correction of the ID number is a change of its own, the number masked unless asked
    name, unit, start = (
        open_db(bureau, write=False)
        .execute("select name, unit, enforcement_start from officers where officer_id = ?", [who])
        .fetchone()
    )
    corrected = f"执法证号,姓名,单位,执法起始日期,身份证号\n{who},{name},{unit},{start},\n"
    run("--db", bureau, "import", "officers", csv_file("officers", corrected))
    lines = run("--db", bureau, "audit", "--officer", who, "--table", "officers").stdout
    assert {line.split()[4] for line in lines.splitlines() if " change " in line} == {f"{who}:"}
    masked = f"{number[:2]}{'*' * 14}{number[-2:]}"
    assert number not in lines and f"id_number {masked} → —" in lines
    shown = run("--db", bureau, "audit", "--officer", who, "--table", "officers", "--show-id")
    assert f"id_number {number} → —" in shown.stdout
    assert run("--db", bureau, "audit", "--since", "2099-01-01").stdout == ""


def test_a_huge_number_is_a_usage_error_not_a_traceback(bureau, run):
    result = run("--db", bureau, "audit", "--last", "99999999999999999999", ok=False)
    assert result.exit_code == 2 and "Traceback" not in result.output


def test_one_elimination_per_appointment_even_from_an_old_database(bureau):
    with sqlite3.connect(bureau) as connection, pytest.raises(sqlite3.IntegrityError):
        connection.execute(
            "insert into revocations (round, officer_id, effective_on, kind, reason) "
            "select round, officer_id, '2028-01-10', 'eliminated', 'twice' from appointments "
            "limit 1"
        )
        connection.execute(
            "insert into revocations (round, officer_id, effective_on, kind, reason) "
            "select round, officer_id, '2028-01-11', 'eliminated', 'again' from appointments "
            "limit 1"
        )


# --- personal data ----------------------------------------------------------------------------------


def test_cells_that_would_run_as_formulas_are_written_as_text(bureau, tmp_path, run):
    with sqlite3.connect(bureau) as connection:
        connection.execute(
            "update officers set name = '=cmd|'' /C calc''!A0' where officer_id = '0101'"
        )
        connection.execute("update officers set unit = '@SUM(A1)' where officer_id = '0101'")
    text = run("--db", bureau, "roster", "--as-of", "2027-01-01", "--format", "csv").stdout
    (row,) = [r for r in csv.reader(io.StringIO(text)) if "0101" in r]
    assert "'=cmd|' /C calc'!A0" in row and "'@SUM(A1)" in row


def test_control_characters_never_reach_the_terminal(bureau, run):
    with sqlite3.connect(bureau) as connection:
        connection.execute(
            "update officers set name = '宋\x1b[2J子\u202e然' where officer_id = '0101'"
        )
    for command in (
        ["roster", "--as-of", "2027-01-01"],
        ["audit", "--officer", "0101"],
        ["history", "0101"],
    ):
        shown = run("--db", bureau, *command).stdout
        assert "\x1b" not in shown and "\u202e" not in shown


def test_import_errors_and_dry_runs_mask_id_numbers(bureau, tmp_path, run):
    path = tmp_path / "o.csv"
    path.write_text(
        "执法证号,姓名,身份证号,单位,执法起始日期\n0101,宋子然,330102199003071231,东关所,2015-03-01\n"
        "0102,韩磊,,东关所,330102199003071230\n",  # a shifted row: the ID under another column
        encoding="utf-8",
    )
    result = run("--db", bureau, "import", "officers", path, ok=False)
    assert "330102199003071231" not in result.output and "33**************31" in result.output
    assert "330102199003071230" not in result.output and "33**************30" in result.output


def test_json_on_standard_output_is_utf8(bureau):
    done = subprocess.run(
        [sys.executable, "-m", "casegrade", "--db", str(bureau), "roster", "--as-of", "2027-01-01", "--format", "json"],
        capture_output=True, env={**os.environ, "PYTHONIOENCODING": "gbk"}, check=False,
    )  # fmt: skip
    assert done.returncode == 0
    assert json.loads(done.stdout.decode("utf-8"))["holders"]


def test_an_errors_workbook_keeps_formulas_as_text(tmp_path, run):
    path = tmp_path / "o.csv"
    path.write_text(
        "执法证号,姓名,单位,执法起始日期,出生日期,性别\n0101,=1+1,东关所,2015-02-30,1990-03-07,男\n",
        encoding="utf-8",
    )
    out = tmp_path / "退回.xlsx"
    run("--db", tmp_path / "x.db", "import", "officers", path, "--errors", out, ok=False)
    cell = load_workbook(out).worksheets[0]["C2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def test_renew_over_several_years_is_one_transaction(bureau, monkeypatch, dump):
    """A renewal that fails in its second year's review records nothing of the first."""
    db = open_db(bureau)
    real = store.record_review
    calls = []

    def second_fails(*args, **kwargs):
        calls.append(args[3])  # the year
        if len(calls) == 2:
            raise StoreError("the disk filled up")
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "record_review", second_fails)
    before = dump(bureau)
    with pytest.raises(StoreError):
        review.renew(db, date(2028, 1, 31), load_policy(), apply=True)
    assert calls == [2026, 2027]
    db.conn.close()
    assert dump(bureau) == before


def test_an_imported_files_rows_are_one_audit_entry_found_by_officer(bureau, run):
    """The rows a file added are one entry; `audit --officer` finds it by the officer's keys
    (first, as in honors, or last, as in exams) and names them."""
    entries = (
        open_db(bureau, write=False)
        .execute("select table_name, new from audit where action = 'import'")
        .fetchall()
    )
    added = {table: json.loads(new)["added"] for table, new in entries}
    assert added["officers"] == 169 and added["cases"] == 2964
    lines = run("--db", bureau, "audit", "--officer", "0203", "--last", "1000").stdout
    exams = next(line for line in lines.splitlines() if "import exams" in line)
    assert exams.endswith("169 row(s) added, 0203's: 2026 / 0203")
    honors = next(line for line in lines.splitlines() if "import honors" in line)
    assert "0203's: 0203 / " in honors


def test_audit_verify_names_any_value_put_in_by_hand(bureau, run):
    with sqlite3.connect(bureau) as connection:
        connection.execute("update cases set typical_date = x'00' where rowid = 1")
        (number,) = connection.execute("select case_number from cases where rowid = 1").fetchone()
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert result.stdout.splitlines() == [f"cases {number}: changed outside casegrade"]


def test_replace_removes_a_row_with_an_empty_key_field(bureau, run):
    """A row put in by hand with an empty part of its key is removed by --replace like any other
    (a removal is never reported and audited for a row left in place)."""
    with sqlite3.connect(bureau) as connection:
        connection.execute(
            "insert into honors values ('0101', '2024-01-01', 'municipal', 'other', NULL, 1)"
        )
    honors = sample.sample_data_dir() / "honors.csv"
    run("--db", bureau, "import", "honors", honors, "--replace", "--yes")
    with sqlite3.connect(bureau) as connection:
        assert connection.execute("select count(*) from honors where name is null").fetchone() == (
            0,
        )
    assert "intact" in run("--db", bureau, "audit", "verify").stdout


@pytest.mark.parametrize(
    ("written", "listed"),
    [
        ("x", "import officers: (unreadable: changed outside casegrade)"),
        ("[1, 2]", "import officers: (unreadable: changed outside casegrade)"),
        ('{"added": 3}', "import officers: 3 row(s) added"),  # read as far as it goes
    ],
)
def test_an_audit_entry_made_unreadable_is_named_not_a_traceback(bureau, run, written, listed):
    with sqlite3.connect(bureau) as connection:
        (first,) = connection.execute(
            "select min(id) from audit where action = 'import' and table_name = 'officers'"
        ).fetchone()
        connection.execute("update audit set new = ? where id = ?", [written, first])
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert result.exit_code == 1 and result.stdout.splitlines() == [
        f"audit row {first}: changed outside casegrade",
        f"audit row {first}: made unreadable outside casegrade",
    ]
    shown = run("--db", bureau, "audit", "--last", "100000", "--table", "officers").stdout
    assert shown.splitlines()[0].endswith(listed)


FIRST = "(select min(entry) from audit_rows)"


@pytest.mark.parametrize(
    "tamper",
    [
        f"update audit_rows set hash = '0000000000000000' where entry = {FIRST} and key = "
        f"(select min(key) from audit_rows where entry = {FIRST})",
        f"delete from audit_rows where entry = {FIRST} and key = (select max(key) from "
        f"audit_rows where entry = {FIRST})",
        f"insert into audit_rows select entry, key || 'x', hash from audit_rows where entry = "
        f"{FIRST} limit 1",
    ],
    ids=["a hash changed", "a row deleted", "a row added"],
)
def test_the_rows_a_file_added_cannot_be_edited_in_the_audit(bureau, run, tamper):
    """The rows a file added are listed in audit_rows; their import entry keeps the SHA-256 of
    the list, so that changing, removing or adding one is found, at that entry."""
    with sqlite3.connect(bureau) as connection:
        (entry,) = connection.execute(f"select {FIRST}").fetchone()
        connection.execute(tamper)
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert result.exit_code == 1
    assert f"audit row {entry}: changed outside casegrade" in result.stdout


def test_rows_planted_in_the_audit_for_a_coming_import_are_refused_and_named(bureau, run, csv_file):
    """Rows put into audit_rows for the next entry would be taken into the next import's list
    (and explain a case added by hand): the import refuses, and audit verify names them."""
    with sqlite3.connect(bureau) as connection:
        (next_id,) = connection.execute("select max(id) + 1 from audit").fetchone()
        connection.execute(
            "insert into audit_rows values (?, 'FAKE-1', '0000000000000000')", [next_id]
        )
    cases = csv_file(
        "cases",
        "案号,主办人,案件类型,案值,罚没金额,决定日期\n新案-1,0705,无照经营,800,100,2026-01-02\n",
    )
    refused = run("--db", bureau, "import", "cases", cases, ok=False)
    assert refused.exit_code == 1 and "outside casegrade" in refused.stderr
    result = run("--db", bureau, "audit", "verify", ok=False)
    assert f"audit row {next_id}: changed outside casegrade" in result.stdout
