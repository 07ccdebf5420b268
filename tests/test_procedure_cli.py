"""From application to appointment, terms that end, and the yearly review, through the commands."""

from __future__ import annotations

import json
import sqlite3
from importlib import resources
from pathlib import Path

import pytest

from casegrade.store import open_db


@pytest.fixture
def roster_ids(run):
    """``roster_ids(db, day)``: the officers holding a grade on ``day``, in the roster's order."""

    def ids(db: Path, day: str) -> list[str]:
        document = json.loads(run("--db", db, "roster", "--as-of", day, "--format", "json").stdout)
        return [holder["officer_id"] for holder in document["holders"]]

    return ids


def test_appointing_twice_appoints_once(prepared, run):
    db = prepared
    run("--db", db, "decide", "2026", "0107", "--approve", "--on", "2026-06-30")
    output = run("--db", db, "appoint", "2026", "--on", "2026-07-01").stdout
    assert "2026届聘任 1 人（初级 1，中级 0，高级 0）：本次新聘 1 人" in output
    again = run("--db", db, "appoint", "2026", "--on", "2026-07-02").stdout
    assert "本次新聘 0 人，此前已聘 1 人" in again
    (appointment,) = open_db(db)["appointments"].rows
    assert appointment["appointed_on"] == "2026-07-01" and appointment["recorded_by"]
    assert appointment["policy_version"] == "2026.1"


def test_one_officer_from_application_to_elimination(
    appointed, run, csv_file, roster_ids, round_2026, table_rows
):
    db = appointed
    evaluation = json.loads(run("--db", db, "evaluate", *round_2026, "--format", "json").stdout)
    assert evaluation["applications"][0]["eligible"] is True
    table = run("--db", db, "roster", "--as-of", "2026-07-01").stdout
    assert table_rows(table) == [
        {
            "级别": "初级",
            "待遇": "副股后备干部",
            "单位": "东关所",
            "执法证号": "0107",
            "姓名": "赵波",
            "任期至": "2028-06-30",
            "备注": "",
        }
    ]
    run(
        "--db",
        db,
        "import",
        "assessments",
        csv_file("assessments", "执法证号,年度,考核结果\n0107,2027,基本称职\n"),
    )

    dry = run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10").stdout
    assert "试运行，未作更改" in dry
    (row,) = table_rows(dry)
    assert (row["执法证号"], row["结论"], row["依据"]) == ("0107", "淘汰", "年度考核2027年基本称职")
    assert roster_ids(db, "2028-01-10") == ["0107"]  # a dry run changes nothing

    run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    assert roster_ids(db, "2028-01-09") == ["0107"]
    assert roster_ids(db, "2028-01-10") == []  # eliminated from the review date
    again = run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    assert "考核 0 人，淘汰 0 人" in again.stdout
    assert open_db(db)["revocations"].count == 1  # applying twice is applying once

    steps = table_rows(run("--db", db, "history", "0107", "--as-of", "2028-12-31").stdout)
    assert [(step["日期"], step["事项"]) for step in steps] == [
        ("2026-05-11", "申报初级"),
        ("2026-06-30", "考试"),
        ("2026-06-30", "评定同意初级"),
        ("2026-07-01", "聘任初级"),
        ("2028-01-10", "淘汰"),
    ]
    assert steps[1]["说明"] == "成绩 60（合格）"
    assert steps[-1]["说明"] == "年度考核2027年基本称职"


def test_a_full_term_ends_by_itself(appointed, run, roster_ids, table_rows):
    db = appointed
    assert roster_ids(db, "2026-06-30") == []  # before the term
    assert roster_ids(db, "2027-01-01") == ["0107"]
    assert roster_ids(db, "2028-06-30") == ["0107"]  # the term's last day
    assert roster_ids(db, "2028-07-01") == []  # ended automatically, no script needed
    steps = table_rows(run("--db", db, "history", "0107", "--as-of", "2028-07-01").stdout)
    assert (steps[-1]["日期"], steps[-1]["事项"]) == ("2028-06-30", "任期届满，自动终止")
    renewal = run("--db", db, "renew", "--as-of", "2028-07-05").stdout
    assert "2026届任期已于 2028-06-30 届满：1 人的级别自动终止" in renewal


def test_retirement_mid_term_ends_the_grade_on_that_day(appointed, run, csv_file, roster_ids):
    db = appointed
    retiring = (
        "执法证号,姓名,性别,出生日期,单位,执法起始日期,退休日期\n"
        "0107,赵波,男,1986-05-04,东关所,2015-03-01,2027-03-20\n"
    )
    run("--db", db, "import", "officers", csv_file("officers", retiring))
    assert roster_ids(db, "2027-03-19") == ["0107"]
    assert roster_ids(db, "2027-03-20") == []
    soon = run("--db", db, "terms", "--expiring-within", "30", "--as-of", "2027-03-01").stdout
    assert "2027-03-20 达到退休年龄" in soon
    later = run("--db", db, "terms", "--expiring-within", "30", "--as-of", "2027-01-01").stdout
    assert later == "2027-01-01 起 30 天内没有到期的级别。\n"  # one sentence, no empty table


def test_renew_twice_is_renew_once(appointed, run, csv_file, table_rows):
    db = appointed
    run(
        "--db",
        db,
        "import",
        "assessments",
        csv_file("assessments", "执法证号,年度,考核结果\n0107,2026,不称职\n"),
    )
    dry = run("--db", db, "renew", "--as-of", "2027-01-05").stdout
    assert "试运行" in dry
    (row,) = table_rows(dry)
    assert (row["执法证号"], row["结论"], row["依据"]) == ("0107", "淘汰", "年度考核2026年不称职")
    assert open_db(db)["revocations"].count == 0
    first = run("--db", db, "renew", "--as-of", "2027-01-05", "--apply").stdout
    assert "淘汰 1 人" in first
    rows = {t: open_db(db)[t].count for t in ("revocations", "reviews", "audit")}
    second = run("--db", db, "renew", "--as-of", "2027-01-05", "--apply").stdout
    assert "考核 0 人，淘汰 0 人" in second and "已淘汰 1 人" in second
    assert {t: open_db(db)[t].count for t in rows} == rows


def test_the_committee_cannot_approve_what_the_rules_forbid(prepared, run, csv_file):
    db = prepared
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
    bulk = csv_file(
        "decisions",
        "届次,执法证号,决定,批准级别,理由,决定日期\n2026,0107,同意,中级,,2026-06-30\n",
    )
    result = run("--db", db, "import", "decisions", bulk, ok=False)
    assert result.exit_code == 1 and "不符合中级条件" in result.stderr
    assert open_db(db)["decisions"].count == 0


def test_an_appointment_keeps_the_records_it_follows_from(appointed, run, csv_file):
    db = appointed
    result = run(
        "--db", db, "decide", "2026", "0107", "--reject", "撤销", "--on", "2026-06-30", ok=False
    )
    assert result.exit_code == 1 and "已聘任，评定结果不能再改" in result.stderr
    lower = csv_file("exams", "届次,执法证号,成绩\n2026,0107,50\n")
    result = run("--db", db, "import", "exams", lower, ok=False)
    assert result.exit_code == 1 and "its exam can no longer change" in result.stderr
    same = run(
        "--db",
        db,
        "import",
        "exams",
        csv_file("exams", "届次,执法证号,成绩\n2026,0107,60\n"),
    )
    assert "1 unchanged" in same.stdout  # re-importing the same file is still fine
    decided = csv_file(
        "decisions",
        "届次,执法证号,决定,批准级别,理由,决定日期\n2026,0107,同意,,,2026-06-30\n",
    )  # grade left out
    assert "1 unchanged" in run("--db", db, "import", "decisions", decided).stdout
    other = csv_file(
        "decisions",
        "届次,执法证号,决定,批准级别,理由,决定日期\n2026,0107,不同意,,名额已满,2026-06-30\n",
    )
    result = run("--db", db, "import", "decisions", other, ok=False)
    assert result.exit_code == 1 and "its decision can no longer change" in result.stderr
    empty = csv_file("applications", "届次,执法证号,申报级别,申报日期\n")
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
def test_a_review_is_made_after_its_year_within_the_term(year, on, why, appointed, run):
    db = appointed
    result = run("--db", db, "review", "2026", "--year", year, "--on", on, "--apply", ok=False)
    assert result.exit_code == 1 and why in result.stderr
    assert open_db(db)["reviews"].count == 0


def test_rounds_may_not_overlap_and_units_and_officers_must_exist(appointed, run):
    db = appointed
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


def test_appointment_under_a_policy_not_yet_in_force_is_refused(tmp_path, appointed, run):
    db = appointed
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    later = tmp_path / "later.toml"
    later.write_text(
        shipped.replace("effective = 2026-01-01", "effective = 2027-01-01"), encoding="utf-8"
    )
    result = run("--db", db, "appoint", "2026", "--policy", later, ok=False)
    assert result.exit_code == 1 and "takes effect on 2027-01-01" in result.stderr


def test_round_dates_are_fixed_once_appointed(appointed, run, create_round_2026):
    db = appointed
    same = run("--db", db, *create_round_2026)
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


def test_every_change_is_in_the_audit_log(tmp_path, appointed, run, csv_file):
    db = appointed
    officers = (
        "执法证号,姓名,性别,出生日期,单位,执法起始日期\n"
        "0107,赵波,男,1986-05-04,西关所,2015-03-01\n"  # was 东关所
    )
    run("--db", db, "import", "officers", csv_file("officers", officers))
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
def test_policy_check(tmp_path, old, new, problem, run):
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    good = tmp_path / "good.toml"
    good.write_text(shipped, encoding="utf-8")
    assert "no problems" in run("policy", "check", good).stdout
    bad = tmp_path / "bad.toml"
    bad.write_text(shipped.replace(old, new), encoding="utf-8")
    result = run("policy", "check", bad, ok=False)
    assert result.exit_code == 1 and problem in result.stderr


def test_evaluations_are_recorded_with_the_policy_version_unless_what_if(
    tmp_path, prepared, run, round_2026
):
    db = prepared
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    stricter = tmp_path / "stricter.toml"
    stricter.write_text(
        shipped.replace('version = "2026.1"', 'version = "2027.1"').replace(
            "avg_annual_penalty = 30000", "avg_annual_penalty = 40000"
        ),
        encoding="utf-8",
    )
    what_if = run("--db", db, "evaluate", *round_2026, "--format", "json", "--policy", stricter)
    assert json.loads(what_if.stdout)["applications"][0]["eligible"] is False
    assert open_db(db)["evaluations"].count == 0  # a "what if" changes no record
    run("--db", db, "evaluate", *round_2026)
    run("--db", db, "evaluate", *round_2026)  # the same evaluation again: one record
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


@pytest.fixture
def eliminated(appointed, run, csv_file):
    """The appointed bureau after 0107's 2027 assessment 不称职 and the review of 2027 applied on
    2028-01-10: 0107 eliminated."""
    run("--db", appointed, "import", "assessments", csv_file("assessments", ASSESSED_2027))
    run("--db", appointed, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    return appointed


ASSESSED_2027 = "执法证号,年度,考核结果\n0107,2027,不称职\n"


def test_eliminations_record_who_and_under_which_policy(eliminated, run, table_rows):
    db = eliminated
    (revocation,) = open_db(db)["revocations"].rows
    assert (revocation["kind"], revocation["review_year"], revocation["policy_version"]) == (
        "eliminated",
        2027,
        "2026.1",
    )
    assert revocation["recorded_by"] and revocation["reason"] == ""
    # the grounds are data, with the key of the record behind each: the 2027 assessment
    assert json.loads(revocation["grounds"]) == [
        {"kind": "assessment", "records": [["2027"]], "window": ""}
    ]
    (review,) = open_db(db)["reviews"].rows
    assert (review["applied_on"], review["eliminated"]) == ("2028-01-10", 1)
    history = table_rows(run("--db", db, "history", "0107", "--as-of", "2028-02-01").stdout)
    assert history[-1] == {  # worded from the record
        "日期": "2028-01-10",
        "事项": "淘汰",
        "届次": "2026",
        "说明": "年度考核2027年不称职",
    }


def test_an_elimination_recorded_as_prose_still_reads(eliminated, run, table_rows):
    """Eliminations from before grounds were kept as data show their recorded reason."""
    db = eliminated
    with sqlite3.connect(db) as plain:  # as schema 5 left it
        plain.execute("update revocations set grounds = '', reason = '旧记录：年度考核不称职'")
    history = table_rows(run("--db", db, "history", "0107", "--as-of", "2028-02-01").stdout)
    assert (history[-1]["事项"], history[-1]["说明"]) == ("淘汰", "旧记录：年度考核不称职")


def test_renew_reports_term_ends_not_retirements(appointed, run, csv_file):
    db = appointed
    retiring = (
        "执法证号,姓名,性别,出生日期,单位,执法起始日期,退休日期\n"
        "0107,赵波,男,1986-05-04,东关所,2015-03-01,2027-03-20\n"
    )
    run("--db", db, "import", "officers", csv_file("officers", retiring))
    renewal = run("--db", db, "renew", "--as-of", "2028-07-05").stdout
    assert "届满" not in renewal  # the grade ended with retirement, not with the term


def test_a_ground_keeps_its_records_and_its_window(appointed, run, csv_file, table_rows, tmp_path):
    """The records behind an elimination cannot be removed by an import, and the complaints'
    window is worded as counted then, whatever policy reads the history later."""
    db = appointed
    complaints = csv_file(
        "complaints", "执法证号,日期,摘要\n0107,2027-03-02,态度生硬\n0107,2027-08-11,拖延办理\n"
    )
    run("--db", db, "import", "complaints", complaints)
    run("--db", db, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    (revocation,) = open_db(db)["revocations"].rows
    assert json.loads(revocation["grounds"]) == [
        {
            "kind": "complaints",
            "records": [["2027-03-02", "态度生硬"], ["2027-08-11", "拖延办理"]],
            "window": "year",
        }
    ]
    rests = "the elimination of 0107 (round 2026, from 2028-01-10) rests on this record"
    one_left = csv_file("complaints", "执法证号,日期,摘要\n0107,2027-03-02,态度生硬\n")
    refused = run("--db", db, "import", "complaints", one_left, "--replace", "--yes", ok=False)
    assert refused.exit_code == 1 and f"{rests}; an import cannot remove it" in refused.stderr
    groundless = csv_file(
        "complaints",
        "执法证号,日期,摘要,查无实据\n0107,2027-03-02,态度生硬,否\n0107,2027-08-11,拖延办理,是\n",
    )
    refused = run("--db", db, "import", "complaints", groundless, ok=False)
    assert "row 3" in refused.stderr and f"{rests}; an import cannot change it" in refused.stderr
    assert [(r["date"], r["dismissed"]) for r in open_db(db)["complaints"].rows] == [
        ("2027-03-02", 0),
        ("2027-08-11", 0),
    ]

    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    by_term = tmp_path / "term.toml"
    by_term.write_text(
        shipped.replace('complaints_window = "year"', 'complaints_window = "term"'),
        encoding="utf-8",
    )
    history = run("--db", db, "history", "0107", "--as-of", "2028-02-01", "--policy", by_term)
    assert table_rows(history.stdout)[-1]["说明"] == (
        "本年度群众举报 2 次（2027-03-02 态度生硬；2027-08-11 拖延办理）"
    )


def test_an_unchanged_evaluation_keeps_its_first_record(prepared, run):
    db = prepared
    run("--db", db, "evaluate", "--round", "2026", "--as-of", "2026-06-30")
    (first,) = open_db(db)["evaluations"].rows
    run("--db", db, "evaluate", "--round", "2026", "--as-of", "2026-06-30")
    assert list(open_db(db)["evaluations"].rows) == [first]
    changes = (
        open_db(db).execute("select action from audit where table_name = 'evaluations'").fetchall()
    )
    assert changes == [("add",)]


def test_the_result_an_elimination_rests_on_cannot_change(eliminated, run, csv_file):
    passed = csv_file("assessments", "执法证号,年度,考核结果\n0107,2027,称职\n")
    refused = run("--db", eliminated, "import", "assessments", passed, ok=False)
    assert refused.exit_code == 1
    assert "row 2" in refused.stderr and "an import cannot change it" in refused.stderr
    assert [r["result"] for r in open_db(eliminated)["assessments"].rows] == ["incompetent"]


def test_an_incidents_note_may_be_corrected_under_its_elimination(
    appointed, run, csv_file, table_rows
):
    error = "执法证号,日期,类别,说明\n0107,2027-05-06,工作出现严重失误,{}\n"
    run("--db", appointed, "import", "incidents", csv_file("incidents", error.format("错放案卷")))
    run("--db", appointed, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    corrected = csv_file("incidents", error.format("错放案卷材料"))
    run("--db", appointed, "import", "incidents", corrected)  # words only: the ground stands
    history = run("--db", appointed, "history", "0107", "--as-of", "2028-02-01").stdout
    assert table_rows(history)[-1]["说明"] == "严重失误（2027-05-06 错放案卷材料）"
