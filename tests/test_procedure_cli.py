"""From application to appointment, terms that end, and the yearly review, through the commands."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest
from test_cli import CREATE_ROUND, ROUND, run

from casegrade.store import open_db

JUNIOR_RECORDS = {
    "officers": "执法证号,姓名,性别,出生日期,单位,执法起始日期,退休日期\n"
    "0107,赵波,男,1986-05-04,东关所,2015-03-01,{retires}\n",
    "honors": "执法证号,授予日期,级别,类别,荣誉名称\n0107,2024-05-01,市级,表彰,全市办案能手\n",
    "cases": "案号,主办人,案件类型,案值,罚没金额,决定日期\n"
    + "".join(f"A{n},0107,无照经营,10000,15000,2025-0{n}-10\n" for n in range(1, 5)),
    "applications": "届次,执法证号,申报级别,申报日期\n2026,0107,初级,2026-05-11\n",
}


def write(tmp_path: Path, kind: str, text: str) -> Path:
    path = tmp_path / f"{kind}.csv"
    path.write_text(text, encoding="utf-8")
    return path


def prepared(tmp_path: Path, retires: str = "") -> Path:
    """One officer meeting junior exactly, applied, round created, exam taken (score 60)."""
    db = tmp_path / "procedure.db"
    for kind, text in JUNIOR_RECORDS.items():
        run("--db", db, "import", kind, write(tmp_path, kind, text.format(retires=retires)))
    run("--db", db, *CREATE_ROUND)
    run(
        "--db",
        db,
        "import",
        "exams",
        write(tmp_path, "exams", "届次,执法证号,成绩\n2026,0107,60\n"),
    )
    return db


def appointed(tmp_path: Path, retires: str = "") -> Path:
    """The prepared officer, approved and appointed for the 2026-2028 term."""
    db = prepared(tmp_path, retires)
    run("--db", db, "decide", "2026", "0107", "--approve", "--on", "2026-06-30")
    output = run("--db", db, "appoint", "2026", "--on", "2026-07-01").stdout
    assert "2026届聘任 1 人（初级 1，中级 0，高级 0）：本次新聘 1 人" in output
    again = run("--db", db, "appoint", "2026", "--on", "2026-07-02").stdout
    assert "本次新聘 0 人，此前已聘 1 人" in again  # appointing twice appoints once
    (appointment,) = open_db(db)["appointments"].rows
    assert appointment["appointed_on"] == "2026-07-01" and appointment["recorded_by"]
    assert appointment["policy_version"] == "2026.1"
    return db


def roster_ids(db: Path, day: str) -> list[str]:
    document = json.loads(run("--db", db, "roster", "--as-of", day, "--format", "json").stdout)
    return [holder["officer_id"] for holder in document["holders"]]


def test_one_officer_from_application_to_elimination(tmp_path):
    db = appointed(tmp_path)
    evaluation = json.loads(run("--db", db, "evaluate", *ROUND, "--format", "json").stdout)
    assert evaluation["applications"][0]["eligible"] is True
    table = run("--db", db, "roster", "--as-of", "2026-07-01").stdout
    assert "初级" in table and "副股后备干部" in table and "│ 2028-06-30 │" in table
    run(
        "--db",
        db,
        "import",
        "assessments",
        write(tmp_path, "assessments", "执法证号,年度,考核结果\n0107,2027,基本称职\n"),
    )

    dry = run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10").stdout
    assert "淘汰" in dry and "年度考核2027年基本称职" in dry and "试运行，未作更改" in dry
    assert roster_ids(db, "2028-01-10") == ["0107"]  # a dry run changes nothing

    run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    assert roster_ids(db, "2028-01-09") == ["0107"]
    assert roster_ids(db, "2028-01-10") == []  # eliminated from the review date
    again = run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    assert "考核 0 人，淘汰 0 人" in again.stdout
    assert open_db(db)["revocations"].count == 1  # applying twice is applying once

    steps = run("--db", db, "history", "0107", "--as-of", "2028-12-31").stdout
    for step in (
        "申报初级",
        "考试",
        "成绩 60（合格）",
        "评定同意初级",
        "聘任初级",
        "淘汰",
        "年度考核2027年基本称职",
    ):
        assert step in steps
    assert steps.index("申报初级") < steps.index("聘任初级") < steps.index("淘汰")


def test_a_full_term_ends_by_itself(tmp_path):
    db = appointed(tmp_path)
    assert roster_ids(db, "2026-06-30") == []  # before the term
    assert roster_ids(db, "2027-01-01") == ["0107"]
    assert roster_ids(db, "2028-06-30") == ["0107"]  # the term's last day
    assert roster_ids(db, "2028-07-01") == []  # ended automatically, no script needed
    steps = run("--db", db, "history", "0107", "--as-of", "2028-07-01").stdout
    assert "2028-06-30 │ 任期届满，自动终止" in steps
    renewal = run("--db", db, "renew", "--as-of", "2028-07-05").stdout
    assert "2026届任期已于 2028-06-30 届满：1 人的级别自动终止" in renewal


def test_retirement_mid_term_ends_the_grade_on_that_day(tmp_path):
    db = appointed(tmp_path, retires="2027-03-20")
    assert roster_ids(db, "2027-03-19") == ["0107"]
    assert roster_ids(db, "2027-03-20") == []
    soon = run("--db", db, "terms", "--expiring-within", "30", "--as-of", "2027-03-01").stdout
    assert "2027-03-20 达到退休年龄" in soon
    later = run("--db", db, "terms", "--expiring-within", "30", "--as-of", "2027-01-01").stdout
    assert "共 0 人" in later


def test_renew_twice_is_renew_once(tmp_path):
    db = appointed(tmp_path)
    run(
        "--db",
        db,
        "import",
        "assessments",
        write(tmp_path, "assessments", "执法证号,年度,考核结果\n0107,2026,不称职\n"),
    )
    dry = run("--db", db, "renew", "--as-of", "2027-01-05").stdout
    assert "2026届 2026年度考核" in dry and "试运行" in dry
    assert open_db(db)["revocations"].count == 0
    first = run("--db", db, "renew", "--as-of", "2027-01-05", "--apply").stdout
    assert "淘汰 1 人" in first
    rows = {t: open_db(db)[t].count for t in ("revocations", "reviews", "audit")}
    second = run("--db", db, "renew", "--as-of", "2027-01-05", "--apply").stdout
    assert "考核 0 人，淘汰 0 人" in second and "已淘汰 1 人" in second
    assert {t: open_db(db)[t].count for t in rows} == rows


def test_the_committee_cannot_approve_what_the_rules_forbid(tmp_path):
    db = prepared(tmp_path)
    result = run(
        "--db",
        db,
        "decide",
        "2026",
        "0107",
        "--approve",
        "--grade",
        "senior",
        "--on",
        "2026-06-30",
        ok=False,
    )
    assert result.exit_code == 1
    assert "批准级别高级高于申报级别初级；不符合高级条件（按条件最高可评：初级）" in result.stderr
    both = run("--db", db, "decide", "2026", "0107", "--approve", "--reject", "x", ok=False)
    assert both.exit_code == 2
    graded = run(
        "--db",
        db,
        "decide",
        "2026",
        "0107",
        "--reject",
        "x",
        "--grade",
        "junior",
        "--on",
        "2026-06-30",
        ok=False,
    )
    assert graded.exit_code == 1 and "a rejection approves no grade" in graded.stderr
    late = run("--db", db, "decide", "2026", "0107", "--approve", "--on", "2027-01-05", ok=False)
    assert late.exit_code == 1 and "决定日期 2027-01-05 不在 2026-06-30 至 2026-06-30 之间" in (
        late.stderr
    )
    bulk = write(
        tmp_path,
        "decisions",
        "届次,执法证号,决定,批准级别,理由,决定日期\n2026,0107,同意,中级,,2026-06-30\n",
    )
    result = run("--db", db, "import", "decisions", bulk, ok=False)
    assert result.exit_code == 1 and "不符合中级条件" in result.stderr
    assert open_db(db)["decisions"].count == 0


def test_an_appointment_keeps_the_records_it_follows_from(tmp_path):
    db = appointed(tmp_path)
    result = run(
        "--db", db, "decide", "2026", "0107", "--reject", "撤销", "--on", "2026-06-30", ok=False
    )
    assert result.exit_code == 1 and "已聘任，评定结果不能再改" in result.stderr
    lower = write(tmp_path, "exams", "届次,执法证号,成绩\n2026,0107,50\n")
    result = run("--db", db, "import", "exams", lower, ok=False)
    assert result.exit_code == 1 and "its exam can no longer change" in result.stderr
    same = run(
        "--db",
        db,
        "import",
        "exams",
        write(tmp_path, "exams", "届次,执法证号,成绩\n2026,0107,60\n"),
    )
    assert "1 unchanged" in same.stdout  # re-importing the same file is still fine
    decided = write(
        tmp_path,
        "decisions",
        "届次,执法证号,决定,批准级别,理由,决定日期\n2026,0107,同意,,,2026-06-30\n",
    )  # grade left out
    assert "1 unchanged" in run("--db", db, "import", "decisions", decided).stdout
    other = write(
        tmp_path,
        "decisions",
        "届次,执法证号,决定,批准级别,理由,决定日期\n2026,0107,不同意,,名额已满,2026-06-30\n",
    )
    result = run("--db", db, "import", "decisions", other, ok=False)
    assert result.exit_code == 1 and "its decision can no longer change" in result.stderr
    empty = write(tmp_path, "applications", "届次,执法证号,申报级别,申报日期\n")
    result = run("--db", db, "import", "applications", empty, "--replace", ok=False)
    assert result.exit_code == 1 and "its application cannot be removed" in result.stderr
    assert [row["score"] for row in open_db(db)["exams"].rows] == ["60"]


@pytest.mark.parametrize(
    ("year", "on", "why"),
    [
        ("2027", "2027-06-01", "the review of 2027 is made from 2028-01-01 to 2028-06-30"),
        ("2027", "2028-07-01", "the review of 2027 is made from 2028-01-01 to 2028-06-30"),
        ("2028", "2029-01-05", "does not run past the end of 2028"),
        ("2025", "2026-01-05", "does not run past the end of 2025"),
    ],
)
def test_a_review_is_made_after_its_year_within_the_term(tmp_path, year, on, why):
    db = appointed(tmp_path)
    result = run("--db", db, "review", "2026", "--year", year, "--on", on, "--apply", ok=False)
    assert result.exit_code == 1 and why in result.stderr
    assert open_db(db)["reviews"].count == 0


def test_rounds_may_not_overlap_and_units_and_officers_must_exist(tmp_path):
    db = appointed(tmp_path)
    result = run(
        "--db",
        db,
        "round",
        "create",
        "2027",
        "--evaluate-on",
        "2027-06-30",
        "--term-start",
        "2027-07-01",
        ok=False,
    )
    assert result.exit_code == 1 and "overlaps round 2026's" in result.stderr
    result = run("--db", db, "roster", "--unit", "东关分局", ok=False)
    assert result.exit_code == 1 and "no unit '东关分局' on record; units: 东关所" in result.stderr
    result = run("--db", db, "history", "107", ok=False)
    assert result.exit_code == 1 and "did you mean 0107?" in result.stderr


def test_appointment_under_a_policy_not_yet_in_force_is_refused(tmp_path):
    db = appointed(tmp_path)
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    later = tmp_path / "later.toml"
    later.write_text(
        shipped.replace("effective = 2026-01-01", "effective = 2027-01-01"), encoding="utf-8"
    )
    result = run("--db", db, "appoint", "2026", "--policy", later, ok=False)
    assert result.exit_code == 1 and "takes effect on 2027-01-01" in result.stderr


def test_round_dates_are_fixed_once_appointed(tmp_path):
    db = appointed(tmp_path)
    same = run("--db", db, *CREATE_ROUND)
    assert same.stdout == "round 2026: evaluated on 2026-06-30, term 2026-07-01 to 2028-06-30\n"
    moved = run(
        "--db",
        db,
        "round",
        "create",
        "2026",
        "--evaluate-on",
        "2026-06-30",
        "--term-start",
        "2026-08-01",
        ok=False,
    )
    assert moved.exit_code == 1 and "can no longer change" in moved.stderr


def test_every_change_is_in_the_audit_log(tmp_path):
    db = appointed(tmp_path)
    officers = JUNIOR_RECORDS["officers"].format(retires="").replace("东关所", "西关所")
    run("--db", db, "import", "officers", write(tmp_path, "officers", officers))
    log = run("--db", db, "audit", "--last", "1").stdout.splitlines()
    assert log[0].endswith("change officers 0107: unit 东关所 → 西关所")
    assert f"[{tmp_path / 'officers.csv'} sha256 " in log[1]
    entries = list(open_db(db)["audit"].rows)
    assert {e["table_name"] for e in entries} >= {"officers", "decisions", "appointments", "rounds"}
    assert all(e["user"] for e in entries)


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("service_years = 5", "service_years = 2", "service_years: senior requires 2, less than"),
        ("provincial_titles = 2\n", "", "provincial_titles: intermediate requires it, senior"),
    ],
)
def test_policy_check(tmp_path, old, new, problem):
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(shipped, encoding="utf-8")
    assert "no problems" in run("policy", "check", good).stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(shipped.replace(old, new), encoding="utf-8")
    result = run("policy", "check", bad, ok=False)
    assert result.exit_code == 1 and problem in result.stderr


def test_evaluations_are_recorded_with_the_policy_version_unless_what_if(tmp_path):
    db = prepared(tmp_path)
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    stricter = tmp_path / "stricter.toml"
    stricter.write_text(
        shipped.replace('version = "2026.1"', 'version = "2027.1"').replace(
            "avg_annual_penalty = 30000", "avg_annual_penalty = 40000"
        ),
        encoding="utf-8",
    )
    what_if = run("--db", db, "evaluate", *ROUND, "--format", "json", "--policy", stricter)
    assert json.loads(what_if.stdout)["applications"][0]["eligible"] is False
    assert open_db(db)["evaluations"].count == 0  # a "what if" changes no record
    run("--db", db, "evaluate", *ROUND)
    run("--db", db, "evaluate", *ROUND)  # the same evaluation again: one record
    (record,) = open_db(db)["evaluations"].rows
    assert (record["policy_version"], record["eligible"], record["highest_grade"]) == (
        "2026.1",
        1,
        "junior",
    )
    assert (record["as_of"], record["unmet"], bool(record["recorded_by"])) == (
        "2026-06-30",
        "",
        True,
    )


def test_eliminations_record_who_and_under_which_policy(tmp_path):
    db = appointed(tmp_path)
    run(
        "--db",
        db,
        "import",
        "assessments",
        write(tmp_path, "assessments", "执法证号,年度,考核结果\n0107,2027,不称职\n"),
    )
    run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    (revocation,) = open_db(db)["revocations"].rows
    assert (revocation["kind"], revocation["review_year"], revocation["policy_version"]) == (
        "eliminated",
        2027,
        "2026.1",
    )
    assert revocation["recorded_by"] and revocation["reason"] == ""
    # the grounds are data, with the key of the record behind each: the 2027 assessment
    assert json.loads(revocation["grounds"]) == [{"kind": "assessment", "records": [["2027"]]}]
    (review,) = open_db(db)["reviews"].rows
    assert (review["applied_on"], review["eliminated"]) == ("2028-01-10", 1)
    history = run("--db", db, "history", "0107", "--as-of", "2028-02-01").stdout
    assert "淘汰" in history and "年度考核2027年不称职" in history  # worded from the record


def test_an_elimination_recorded_as_prose_still_reads(tmp_path):
    """Eliminations from before grounds were kept as data show their recorded reason."""
    db = appointed(tmp_path)
    run(
        "--db",
        db,
        "import",
        "assessments",
        write(tmp_path, "assessments", "执法证号,年度,考核结果\n0107,2027,不称职\n"),
    )
    run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    with sqlite3.connect(db) as plain:  # as schema 5 left it
        plain.execute("update revocations set grounds = '', reason = '旧记录：年度考核不称职'")
    history = run("--db", db, "history", "0107", "--as-of", "2028-02-01").stdout
    assert "旧记录：年度考核不称职" in history


def test_renew_reports_term_ends_not_retirements(tmp_path):
    db = appointed(tmp_path, retires="2027-03-20")
    renewal = run("--db", db, "renew", "--as-of", "2028-07-05").stdout
    assert "届满" not in renewal  # the grade ended with retirement, not with the term
