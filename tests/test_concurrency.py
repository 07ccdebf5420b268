"""Two writers at once (issue 8): real `casegrade` processes racing on one database file.

Each command that writes checks and writes in one BEGIN IMMEDIATE transaction, so a second writer
waits for the first instead of failing, losing a write or acting on what the first just changed.
The commands of a race are started one right after the other and then waited for; each race runs
on a copy of a database built once per module.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from casegrade import store
from casegrade.core import backups, holdings, imports, procedure, sample
from casegrade.store import open_db

pytestmark = pytest.mark.slow

PERIOD, RATED_ON = "2027H2", "2028-01-10"  # a half-year of the demo's term, not yet rated
REVIEW = ["review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply"]
RENEW = ["renew", "--apply", "--as-of", "2028-01-31"]


@dataclass(frozen=True)
class Ran:
    """A finished casegrade process. Attributes: args (after --db PATH), code (exit code),
    out and err (its standard output and error, as text)."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str


def race(db: Path, *commands: list[str], stagger: float = 0.0) -> list[Ran]:
    """Start one casegrade process per command on ``db`` (``stagger`` seconds apart, else one
    right after the other), then wait for all; in the order given."""
    env = {**os.environ, "CASEGRADE_DB": str(db), "PYTHONIOENCODING": "utf-8"}
    with ExitStack() as files:
        started = []
        for number, args in enumerate(commands):
            if number and stagger:
                time.sleep(stagger)
            # files, not pipes: a process writing a long table never waits for the reader
            out, err = (files.enter_context(tempfile.TemporaryFile()) for _ in range(2))
            argv = [sys.executable, "-m", "casegrade", "--db", str(db), *args]
            process = subprocess.Popen(argv, env=env, stdout=out, stderr=err)
            started.append((args, process, out, err))
        finished = []
        for args, process, out, err in started:
            code = process.wait(timeout=120)
            texts = []
            for stream in (out, err):
                stream.seek(0)
                texts.append(stream.read().decode("utf-8"))
            finished.append(Ran(tuple(args), code, *texts))
    return finished


def all_ok(ran: list[Ran]) -> None:
    for one in ran:
        assert one.code == 0, f"{one.args}: exit {one.code}\n{one.err}"


def query(db: Path, sql: str, params: tuple = ()) -> list[tuple]:
    connection = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def audit_intact(db: Path) -> None:
    """The chained audit still follows from its rows and explains every record: two writers
    never chained onto the same last row."""
    opened = open_db(db, write=False)
    try:
        assert store.verify_audit(opened) == []
    finally:
        opened.conn.close()


def built(path: Path, build) -> Path:
    """A database at ``path`` built by ``build(db)``, checkpointed and closed: one file to copy."""
    db = open_db(path)
    build(db)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


def copy_of(source: Path, folder: Path, name: str = "casegrade.db") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(source, folder / name))


@pytest.fixture(scope="module")
def holders(sample_bureau_file, policy) -> list[str]:
    """Officers holding a grade throughout 2027H2, which no sample rating covers."""
    db = open_db(sample_bureau_file, write=False)
    try:
        found = holdings.roster(db, date(2027, 12, 31), policy)
        rated = {
            r[0]
            for r in query(
                sample_bureau_file, "select officer_id from ratings where period = ?", (PERIOD,)
            )
        }
    finally:
        db.conn.close()
    ids = [
        h.officer.officer_id
        for h in found
        if h.appointment.term_start <= date(2027, 7, 1) and h.officer.officer_id not in rated
    ]
    assert len(ids) >= 30
    return ids


@pytest.fixture(scope="module")
def unappointed(tmp_path_factory, policy) -> Path:
    """The sample bureau as load_sample builds it, stopped before `appoint`: 124 applications
    approved, none appointed."""

    def build(db):
        folder = sample.sample_data_dir()
        for kind in sample.SAMPLE_RECORDS:
            imports.import_file(db, kind, folder / f"{kind}.csv", policy)
        procedure.create_round(
            db, sample.SAMPLE_ROUND, sample.SAMPLE_AS_OF, sample.SAMPLE_TERM_START, policy
        )
        for kind in sample.SAMPLE_PROCEDURE:
            imports.import_file(db, kind, folder / f"{kind}.csv", policy)

    path = built(tmp_path_factory.mktemp("unappointed") / "unappointed.db", build)
    assert query(path, "select count(*) from appointments") == [(0,)]
    return path


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def honors_file(path: Path, officers: list[str], name: str) -> Path:
    return write_csv(
        path,
        "执法证号,授予日期,级别,类别,荣誉名称",
        [f"{officer},2027-05-01,市级,表彰,{name}" for officer in officers],
    )


def trainings_file(path: Path, officers: list[str], topic: str) -> Path:
    return write_csv(
        path,
        "执法证号,培训日期,培训内容,学时",
        [f"{officer},2027-09-01,{topic},8" for officer in officers],
    )


def test_two_imports_of_different_files_both_write_every_row(sample_bureau_file, holders, tmp_path):
    db = copy_of(sample_bureau_file, tmp_path)
    honors_before = query(db, "select count(*) from honors")[0][0]
    trainings_before = query(db, "select count(*) from trainings")[0][0]
    new_officers = []
    for number in range(3):
        first = honors_file(tmp_path / f"甲{number}.csv", holders[:25], f"协同表彰甲{number}")
        second = honors_file(tmp_path / f"乙{number}.csv", holders[:25], f"协同表彰乙{number}")
        all_ok(race(db, ["import", "honors", str(first)], ["import", "honors", str(second)]))
        # officers and a file that does not depend on them, at once
        ids = [f"9{number}{n:02d}" for n in range(20)]
        officers = write_csv(
            tmp_path / f"officers{number}.csv",
            "执法证号,姓名,性别,出生日期,单位,执法起始日期",
            [f"{officer},新人{officer},女,1990-01-01,东关所,2026-03-01" for officer in ids],
        )
        trainings = trainings_file(
            tmp_path / f"trainings{number}.csv", holders[:30], f"协同培训{number}"
        )
        all_ok(
            race(db, ["import", "officers", str(officers)], ["import", "trainings", str(trainings)])
        )
        new_officers += ids

    names = query(db, "select name, count(*) from honors where name like '协同表彰%' group by 1")
    assert dict(names) == {f"协同表彰{side}{n}": 25 for side in "甲乙" for n in range(3)}
    assert query(db, "select count(*) from honors")[0][0] == honors_before + 150
    topics = query(
        db, "select title, count(*) from trainings where title like '协同培训%' group by 1"
    )
    assert dict(topics) == {f"协同培训{n}": 30 for n in range(3)}
    assert query(db, "select count(*) from trainings")[0][0] == trainings_before + 90
    found = query(db, "select officer_id from officers where officer_id like '9%' order by 1")
    assert [row[0] for row in found] == sorted(new_officers)
    audit_intact(db)


def test_an_import_alongside_rate_and_evaluate(sample_bureau_file, holders, tmp_path):
    db = copy_of(sample_bureau_file, tmp_path)
    applications = query(db, "select count(*) from applications where round = '2026'")[0][0]
    days = ["2026-06-30", "2026-06-29", "2026-06-28"]  # 06-30 is on record since appoint
    for number, day in enumerate(days):
        trainings = trainings_file(tmp_path / f"t{number}.csv", holders[:40], f"并发培训{number}")
        ran = race(
            db,
            ["import", "trainings", str(trainings)],
            ["rate", holders[number], PERIOD, "good", "--on", RATED_ON],
            ["evaluate", "--round", "2026", "--as-of", day, "--format", "json"],
        )
        all_ok(ran)
        assert ran[1].out.startswith(f"{holders[number]} {PERIOD}: good")

    topics = query(
        db, "select title, count(*) from trainings where title like '并发培训%' group by 1"
    )
    assert dict(topics) == {f"并发培训{n}": 40 for n in range(3)}
    rated = query(
        db, "select officer_id, level from ratings where period = ? order by 1", (PERIOD,)
    )
    assert rated == sorted((officer, "good") for officer in holders[:3])
    recorded = query(
        db, "select as_of, count(*) from evaluations where round = '2026' group by 1 order by 1"
    )
    assert recorded == [(day, applications) for day in sorted(days)]
    audit_intact(db)


def test_four_ratings_at_once_are_all_stored(sample_bureau_file, holders, tmp_path):
    db = copy_of(sample_bureau_file, tmp_path)
    levels = ["excellent", "good", "pass", "fail"]
    expected = {}
    for number in range(5):
        officers = holders[4 * number : 4 * number + 4]
        ran = race(
            db,
            *[
                ["rate", officer, PERIOD, level, "--on", RATED_ON]
                for officer, level in zip(officers, levels, strict=True)
            ],
        )
        all_ok(ran)
        expected.update(zip(officers, levels, strict=True))

    stored = query(db, "select officer_id, level from ratings where period = ?", (PERIOD,))
    assert dict(stored) == expected and len(stored) == 20  # no lost write
    audit_intact(db)


def test_two_ratings_of_one_half_year_at_once_one_wins(sample_bureau_file, holders, tmp_path):
    db = copy_of(sample_bureau_file, tmp_path)
    for officer in holders[:6]:
        ran = race(
            db,
            ["rate", officer, PERIOD, "excellent", "--on", RATED_ON],
            ["rate", officer, PERIOD, "fail", "--on", RATED_ON],
        )
        assert sorted(one.code for one in ran) == [0, 1], ran
        (won,) = [one for one in ran if one.code == 0]
        (lost,) = [one for one in ran if one.code == 1]
        level = won.args[3]
        assert won.out.startswith(f"{officer} {PERIOD}: {level} ")
        assert f"officer {officer} is already rated" in lost.err and "--correct" in lost.err
        assert lost.out == ""
        stored = query(
            db, "select level from ratings where officer_id = ? and period = ?", (officer, PERIOD)
        )
        assert stored == [(level,)]
    audit_intact(db)


def outcome(db: Path) -> tuple[list[tuple], list[tuple]]:
    """The eliminations and the applied reviews on record, without row ids."""
    revocations = query(
        db,
        "select round, officer_id, effective_on, kind, reason, review_year, policy_version "
        "from revocations order by round, officer_id",
    )
    reviews = query(
        db, "select round, year, applied_on, policy_version, eliminated from reviews order by 1, 2"
    )
    return revocations, reviews


@pytest.mark.parametrize("command", [REVIEW, RENEW], ids=["review", "renew"])
def test_applying_twice_at_once_is_applying_once(sample_bureau_file, tmp_path, command):
    once = copy_of(sample_bureau_file, tmp_path / "once")
    all_ok(race(once, command))
    expected = outcome(once)
    assert len(expected[0]) == 6  # the sample's six eliminations in 2027

    for number in range(3):
        db = copy_of(sample_bureau_file, tmp_path / f"twice{number}")
        all_ok(race(db, command, command))
        assert outcome(db) == expected
        per_officer = query(
            db,
            "select round, officer_id, count(*) from revocations group by 1, 2 having count(*) > 1",
        )
        assert per_officer == []
        audit_intact(db)


# (first command started, seconds before the other): both orders, at once and a little apart
ORDERS = [("appoint", 0.0), ("decide", 0.0), ("appoint", 0.25), ("decide", 0.25)]


@pytest.mark.parametrize(("first", "stagger"), ORDERS)
def test_appoint_racing_a_rejection_never_appoints_a_rejected_officer(
    unappointed, tmp_path, first, stagger
):
    db = copy_of(unappointed, tmp_path)
    officer = "0104"  # approved intermediate, appointed by the demo
    appoint = ["appoint", "2026", "--on", "2026-07-01"]
    decide = ["decide", "2026", officer, "--reject", "理由", "--on", "2026-06-30"]
    commands = [appoint, decide] if first == "appoint" else [decide, appoint]
    ran = {one.args[0]: one for one in race(db, *commands, stagger=stagger)}

    assert ran["appoint"].code == 0, ran["appoint"].err
    rejected_but_appointed = query(
        db,
        "select a.officer_id from appointments a join decisions d "
        "on d.round = a.round and d.officer_id = a.officer_id where not d.approved",
    )
    assert rejected_but_appointed == []
    appointed = {row[0] for row in query(db, "select officer_id from appointments")}
    (approved,) = query(db, "select approved from decisions where officer_id = ?", (officer,))[0]
    if ran["decide"].code == 0:  # the rejection came first: appoint passed the officer over
        assert "rejected" in ran["decide"].out
        assert approved == 0 and officer not in appointed and len(appointed) == 123
    else:  # the appointment came first: the decision can no longer change
        assert ran["decide"].code == 1
        assert "a decision cannot change an appointment" in ran["decide"].err
        assert approved == 1 and officer in appointed and len(appointed) == 124
    audit_intact(db)


def test_two_backups_taken_in_the_same_microsecond_are_both_kept(
    sample_bureau_file, tmp_path, monkeypatch
):
    """Seen racing two `review --apply` (about 1 race in 40 here): both take their backup first.
    The same microsecond is made certain here; the other process is played by a second call."""
    db = copy_of(sample_bureau_file, tmp_path)
    monkeypatch.setattr(backups, "_stamp", lambda: "20280110-070000-000000")
    first = backups.take(db, db, "review", 10)
    second = backups.take(db, db, "review", 10)
    assert first != second and first.is_file() and second.is_file()
