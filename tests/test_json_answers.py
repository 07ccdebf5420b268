"""The answers a script reads: --format json of terms, history, can-lead, lead-check and the
bulletin (issue 11), with their values checked, not only their shape."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
from pathlib import Path


def answer(run, *words: str, ok: bool = True):
    return json.loads(run(*words, "--format", "json", ok=ok).stdout)


def test_terms_in_json(appointed: Path, run) -> None:
    found = answer(run, "--db", appointed, "terms", "--as-of", "2028-05-01")
    assert (found["as_of"], found["within_days"]) == ("2028-05-01", 90)
    (holder,) = found["holders"]  # 0107, junior until 2028-06-30
    assert (holder["officer_id"], holder["grade"], holder["term_end"]) == (
        "0107",
        "junior",
        "2028-06-30",
    )
    assert holder["ended_by"] == "term" and holder["last_day"] == "2028-06-30"
    none = answer(run, "--db", appointed, "terms", "--as-of", "2026-08-01")
    assert none["holders"] == []


def test_history_in_json(appointed: Path, run) -> None:
    found = answer(run, "--db", appointed, "history", "0107", "--as-of", "2027-01-01")
    assert found["officer_id"] == "0107"
    kinds = [(e["kind"], e["grade"]) for e in found["events"]]
    assert ("appointed", "junior") in kinds
    appointed_event = next(e for e in found["events"] if e["kind"] == "appointed")
    assert (appointed_event["term_start"], appointed_event["term_end"]) == (
        "2026-07-01",
        "2028-06-30",
    )
    ended = found["events"][-1]
    assert ended["kind"] == "term_ended" and ended["scheduled"] is True


def test_can_lead_in_json_and_its_exit_code(appointed: Path, run) -> None:
    words = ["--db", appointed, "can-lead", "0107", "--on", "2027-01-01", "--case-type"]
    refused = answer(run, *words, "商业贿赂", "--value", "8000", ok=False)
    assert refused == {
        "case_number": None,
        "case_type": "商业贿赂",
        "case_value": 8000.0,
        "complex": False,
        "officer_id": "0107",
        "name": refused["name"],
        "on": "2027-01-01",
        "grade": "junior",
        "required": "intermediate",
        "by_type": "intermediate",
        "by_value": "intermediate",
        "decided_by": "both",
        "allowed": False,
    }
    allowed = answer(run, *words, "无照经营", "--value", "100")
    assert allowed["allowed"] is True and allowed["required"] == "junior"
    csv = run(*words, "无照经营", "--value", "100", "--format", "csv", ok=False)
    assert csv.exit_code == 2 and "no CSV form" in csv.stderr  # a usage error


def test_lead_check_and_bulletin_in_json(appointed: Path, run, csv_file) -> None:
    cases = csv_file(
        "cases",
        "案号,主办人,案件类型,案值,罚没金额,决定日期\n"
        "B1,0107,无照经营,3000,500,2026-08-01\n"
        "B2,0107,商业贿赂,3000,500.50,2026-08-02\n",
    )
    run("--db", appointed, "import", "cases", cases)
    (found,) = answer(run, "--db", appointed, "lead-check")
    assert (found["case_number"], found["case_value"], found["required"], found["grade"]) == (
        "B2",
        3000.0,
        "intermediate",
        "junior",
    )
    bulletin = answer(run, "--db", appointed, "bulletin", "--quarter", "2026Q3")
    assert (bulletin["first"], bulletin["last"]) == ("2026-07-01", "2026-09-30")
    (holder,) = bulletin["holders"]
    assert [c["case_number"] for c in holder["cases"]] == ["B1", "B2"]
    assert (bulletin["cases"], bulletin["penalty"], bulletin["case_value"]) == (2, 1000.5, 6000.0)
    empty = answer(run, "--db", appointed, "bulletin", "--quarter", "2025Q1")
    assert empty["holders"] == [] and empty["cases"] == 0


def test_ratings_rectifications_and_reports_in_json(appointed: Path, run, csv_file) -> None:
    run("--db", appointed, "rate", "0107", "2026下半年", "不合格", "--on", "2027-01-12")
    (rated,) = answer(run, "--db", appointed, "ratings", "--period", "2026H2")
    assert (rated["officer_id"], rated["level"], rated["outcome"], rated["deadline"]) == (
        "0107",
        "fail",
        "rectify",
        "2027-04-12",
    )
    on_time = answer(run, "--db", appointed, "rectifications", "--overdue", "--as-of", "2027-04-12")
    assert on_time == []
    (late,) = answer(run, "--db", appointed, "rectifications", "--overdue", "--as-of", "2027-04-13")
    assert late["overdue"] is True and late["rectified_on"] is None
    assert "overdue" not in rated  # a rating list judges no deadline
    run("--db", appointed, "rectify", "0107", "--on", "2027-04-20")
    (then,) = answer(run, "--db", appointed, "rectifications", "--as-of", "2027-04-13")
    assert then["rectified_on"] is None  # done after the day asked about
    reports = csv_file("reports", "执法证号,提交日期,题目\n0107,2027-03-01,调研一\n")
    run("--db", appointed, "import", "reports", reports)
    found = answer(run, "--db", appointed, "reports", "--year", "2027", "--short")
    assert found["quota"] == 2
    assert [(h["officer_id"], h["reports"], h["short_by"]) for h in found["holders"]] == [
        ("0107", 1, 1)
    ]


def test_review_and_renew_in_json(appointed: Path, run, csv_file) -> None:
    assessments = csv_file("assessments", "执法证号,年度,考核结果\n0107,2027,基本称职\n")
    run("--db", appointed, "import", "assessments", assessments)
    words = ["--db", appointed, "review", "2026", "--year", "2027", "--on", "2028-01-10"]
    dry = answer(run, *words)
    assert (dry["applied"], dry["reviewed"], dry["ended_by_retirement"]) == (False, 1, [])
    (eliminated,) = dry["eliminated"]
    (ground,) = eliminated["grounds"]
    assert (eliminated["officer_id"], ground["kind"], ground["window"]) == (
        "0107",
        "assessment",
        None,
    )
    assert ground["records"] == [{"year": 2027, "result": "basically_competent"}]
    assert (eliminated["grade"], eliminated["appointed_grade"]) == ("junior", "junior")
    before = answer(run, "--db", appointed, "renew", "--as-of", "2028-07-01")
    assert (before["ended"], before["reviews"]) == ({"2026": ["0107"]}, [])  # its term over
    run("--db", appointed, *words[2:], "--apply")
    again = answer(run, *words)
    assert again["eliminated"] == [] and again["done_before"]["eliminated"] == 1
    history = answer(run, "--db", appointed, "history", "0107", "--as-of", "2028-02-01")
    (out,) = [e for e in history["events"] if e["kind"] == "eliminated"]
    assert [g["kind"] for g in out["grounds"]] == ["assessment"] and out["on"] == "2028-01-10"
    due = answer(run, "--db", appointed, "renew", "--as-of", "2028-02-01")
    assert (due["applied"], due["ended"]) == (False, {})
    assert [(r["year"], len(r["eliminated"])) for r in due["reviews"]] == [(2026, 0), (2027, 0)]
    assert due["reviews"][1]["done_before"]["eliminated"] == 1  # applied above
    ended = answer(run, "--db", appointed, "renew", "--as-of", "2028-07-01")
    assert (ended["ended"], ended["reviews"]) == ({}, [])  # eliminated before the term ended


def test_appoint_and_stats_in_json(prepared: Path, bureau: Path, run) -> None:
    run("--db", prepared, "decide", "2026", "0107", "--approve", "--on", "2026-06-30")
    done = answer(run, "--db", prepared, "appoint", "2026", "--on", "2026-07-01")
    assert done == {
        "round": "2026",
        "appointed": [
            {
                "officer_id": "0107",
                "grade": "junior",
                "term_start": "2026-07-01",
                "term_end": "2028-06-30",
                "appointed_on": "2026-07-01",
            }
        ],
        "kept": [],
        "refused": [],
    }
    again = answer(run, "--db", prepared, "appoint", "2026", "--on", "2026-07-01")
    assert (again["appointed"], [a["officer_id"] for a in again["kept"]]) == ([], ["0107"])
    figures = answer(run, "--db", bureau, "stats", "--round", "2026")
    with sqlite3.connect(bureau) as connection:
        by_grade = dict(
            connection.execute(
                "select grade, count(*) from appointments where round = '2026' group by grade"
            ).fetchall()
        )
    assert figures["applicants"] == 169
    assert {g: n for g, n in figures["appointed"].items() if n} == by_grade
    assert sum(unit["applicants"] for unit in figures["units"]) == 169


def test_audit_in_json_masks_id_numbers_unless_asked(bureau: Path, run, csv_file) -> None:
    with sqlite3.connect(bureau) as connection:
        who, name, number, unit, start = connection.execute(
            "select officer_id, name, id_number, unit, enforcement_start from officers where "
            "id_number is not null order by officer_id limit 1"
        ).fetchone()
    moved = csv_file(
        "officers",
        f"执法证号,姓名,身份证号,单位,执法起始日期\n{who},{name},{number},新单位,{start}\n",
    )
    run("--db", bureau, "import", "officers", moved)
    (change,) = answer(run, "--db", bureau, "audit", "--last", "1")
    assert (change["action"], change["table"], change["key"]) == ("change", "officers", who)
    assert (change["old"]["unit"], change["new"]["unit"]) == (unit, "新单位")
    assert change["new"]["id_number"] == f"{number[:2]}{'*' * 14}{number[-2:]}"  # masked
    (shown,) = answer(run, "--db", bureau, "audit", "--last", "1", "--show-id")
    assert shown["new"]["id_number"] == number
    found = answer(run, "--db", bureau, "audit", "--officer", who, "--table", "officers")
    imported = next(entry for entry in found if entry["action"] == "import")
    assert imported["officer_keys"] == [who] and imported["new"]["added"] == 169


def test_the_list_answers_in_csv_for_excel(appointed: Path, run, csv_file) -> None:
    """terms, ratings, rectifications, lead-check and reports as CSV: Chinese headers, the
    values as the table shows them."""

    def rows(*words: str) -> list[dict[str, str]]:
        text = run("--db", appointed, *words, "--format", "csv").stdout
        return list(csv.DictReader(io.StringIO(text)))

    (term,) = rows("terms", "--as-of", "2028-05-01")
    assert (term["执法证号"], term["级别"], term["任期结束"]) == ("0107", "初级", "2028-06-30")
    run("--db", appointed, "rate", "0107", "2026下半年", "不合格", "--on", "2027-01-12")
    (rated,) = rows("ratings", "--period", "2026H2")
    assert (rated["等次"], rated["整改期限"]) == ("不合格", "2027-04-12") and "逾期" not in rated
    (late,) = rows("rectifications", "--overdue", "--as-of", "2027-04-13")
    assert (late["执法证号"], late["逾期"]) == ("0107", "是")
    cases = csv_file(
        "cases",
        "案号,主办人,案件类型,案值,罚没金额,决定日期\n=B2,0107,商业贿赂,3000,500,2026-08-02\n",
    )
    run("--db", appointed, "import", "cases", cases)
    (led,) = rows("lead-check")
    assert (led["案号"], led["案值(元)"], led["所需级别"]) == ("'=B2", "3000.00", "中级")
    (short,) = rows("reports", "--year", "2027", "--short")
    assert (short["执法证号"], short["篇数"], short["差"]) == ("0107", "0", "2")
