"""Between selections (Seed S1.1, S1.4, S2.4): authority, sanctions, ratings, reports, bulletin,
the personal file and the figures."""

from __future__ import annotations

import json
from datetime import date

import pytest

from casegrade import store
from casegrade.authority import may_lead, required_grade
from casegrade.core.figures import bulletin, report_counts
from casegrade.core.holdings import roster
from casegrade.core.sanctions import sanction
from casegrade.errors import UnknownCaseType
from casegrade.lifecycle import holding, overdue, period_span, rectification_deadline
from casegrade.records import Appointment, Rating, Sanction
from casegrade.store import open_db
from casegrade.vocab import Grade, IncidentKind, RatingLevel

JUNIOR, INTERMEDIATE, SENIOR = Grade.JUNIOR, Grade.INTERMEDIATE, Grade.SENIOR


# DOMAIN.md S1.1, row by row: (type, value in fen, complex) -> (required, by type, by value, rule)
@pytest.mark.parametrize(
    ("case_type", "value_fen", "complex_", "required", "decided_by"),
    [
        ("无照经营", 400_000, False, JUNIOR, "both"),
        ("虚假广告", 500_000, False, JUNIOR, "both"),  # exactly 5,000: 5000元以下
        ("商标侵权", 500_001, False, INTERMEDIATE, "value"),  # 5,000.01
        ("无照经营", 999_999, False, INTERMEDIATE, "value"),  # 9,999.99
        ("无照经营", 1_000_000, False, SENIOR, "value"),  # exactly 10,000: senior (Decision)
        ("商业贿赂", 100_000, False, INTERMEDIATE, "type"),
        ("虚假出资", 800_000, False, INTERMEDIATE, "both"),
        ("抽逃资金", 2_000_000, False, SENIOR, "value"),
        ("抽逃出资", 500_000, False, INTERMEDIATE, "type"),
        ("无照经营", 100_000, True, SENIOR, "type"),  # 复杂疑难
    ],
)
def test_required_grade_for_each_rule(policy, case_type, value_fen, complex_, required, decided_by):
    authority = required_grade(case_type, value_fen, complex_, policy)
    assert (authority.required, authority.decided_by) == (required, decided_by)


@pytest.mark.parametrize(
    ("grade", "required", "allowed"),
    [
        (SENIOR, JUNIOR, True),
        (INTERMEDIATE, INTERMEDIATE, True),
        (JUNIOR, INTERMEDIATE, False),
        (None, JUNIOR, False),
    ],
)
def test_a_higher_grade_may_lead_a_lower_case(policy, grade, required, allowed):
    value = {JUNIOR: 100_000, INTERMEDIATE: 600_000, SENIOR: 2_000_000}[required]
    assert may_lead(grade, required_grade("无照经营", value, False, policy)) is allowed


def test_an_unknown_case_type_is_named(policy):
    with pytest.raises(UnknownCaseType, match="unknown case type '广告违法'"):
        required_grade("广告违法", 100, False, policy)


@pytest.fixture
def sanctioned(policy, officer):
    """``sanctioned(grade, *(day, disqualify))``: officer 0107's holding of ``grade`` for the
    2026-2028 term, with a 失职 sanction on each day (disqualifying directly or not)."""

    def held(grade, *sanctions):
        appointment = Appointment(
            "2026", "0107", grade, date(2026, 7, 1), date(2028, 6, 30), date(2026, 7, 1)
        )
        return holding(
            appointment,
            officer(),
            [],
            policy,
            [
                Sanction("2026", "0107", day, IncidentKind.DERELICTION, disqualify)
                for day, disqualify in sanctions
            ],
        )

    return held


def test_two_sanctions_take_a_senior_to_junior(sanctioned):
    held = sanctioned(SENIOR, (date(2027, 1, 10), False), (date(2027, 5, 1), False))
    assert [
        held.grade_on(day)
        for day in (date(2027, 1, 9), date(2027, 1, 10), date(2027, 4, 30), date(2027, 5, 1))
    ] == [SENIOR, INTERMEDIATE, INTERMEDIATE, JUNIOR]
    assert held.last_day == date(2028, 6, 30)


def test_a_junior_sanctioned_is_disqualified(sanctioned):
    held = sanctioned(JUNIOR, (date(2027, 1, 10), False))
    assert (held.last_day, held.ended_by.value) == (date(2027, 1, 9), "disqualified")
    assert held.grade_on(date(2027, 1, 9)) is JUNIOR and held.grade_on(date(2027, 1, 10)) is None


def test_disqualify_directly(sanctioned):
    held = sanctioned(SENIOR, (date(2027, 3, 1), True))
    assert held.grade_on(date(2027, 3, 1)) is None and held.last_day == date(2027, 2, 28)


@pytest.mark.parametrize(
    ("day", "is_overdue"),
    [(date(2027, 4, 12), False), (date(2027, 4, 13), True)],  # the deadline itself is in time
)
def test_rectification_is_overdue_the_day_after_its_deadline(policy, day, is_overdue):
    rating = Rating("0107", "2026H2", RatingLevel.FAIL, date(2027, 1, 12))
    assert rectification_deadline(rating, policy) == date(2027, 4, 12)
    assert overdue(rating, day, policy) is is_overdue
    done = Rating("0107", "2026H2", RatingLevel.FAIL, date(2027, 1, 12), "", date(2027, 4, 1))
    assert overdue(done, day, policy) is False
    passed = Rating("0107", "2026H2", RatingLevel.PASS, date(2027, 1, 12))
    assert rectification_deadline(passed, policy) is None


def test_month_end_deadline(policy):
    rating = Rating("0107", "2027H2", RatingLevel.FAIL, date(2027, 11, 30))
    assert rectification_deadline(rating, policy) == date(2028, 2, 29)
    assert period_span("2027H2") == (date(2027, 7, 1), date(2027, 12, 31))


def test_ratings_and_rectifications_through_the_commands(appointed, run):
    db = appointed
    early = run(
        "--db", db, "rate", "0107", "2026上半年", "excellent", "--on", "2026-07-05", ok=False
    )
    assert early.exit_code == 1 and "held no grade in 2026H1" in early.stderr
    result = run("--db", db, "rate", "0107", "2026下半年", "不合格", "--on", "2027-01-12")
    assert result.stdout == "0107 2026H2: fail (限期一季度整改), rectify by 2027-04-12\n"
    on_time = run("--db", db, "rectifications", "--overdue", "--as-of", "2027-04-12").stdout
    assert on_time == "2027-04-12 没有逾期未整改。\n"  # one sentence, no empty table
    late = run("--db", db, "rectifications", "--overdue", "--as-of", "2027-04-13").stdout
    assert "│ 0107     │" in late and "│ 逾期 │" in late and "共 1 人" in late
    before = run("--db", db, "rectifications", "--as-of", "2027-01-11").stdout
    assert before == "2027-01-11 没有未完成的整改。\n"  # not rated yet on that day
    run("--db", db, "rectify", "0107", "--on", "2027-04-20")
    done = run("--db", db, "rectifications", "--as-of", "2027-05-01").stdout
    assert done == "2027-05-01 没有未完成的整改。\n"
    # rectified late: on 2027-04-15 it was still overdue
    assert (
        "共 1 人" in run("--db", db, "rectifications", "--overdue", "--as-of", "2027-04-15").stdout
    )
    again = run("--db", db, "rectify", "0107", ok=False)
    assert again.exit_code == 1 and "no open rectification" in again.stderr
    listing = run("--db", db, "ratings", "--period", "2026H2").stdout
    assert "限期整改 1 人" in listing


def test_sanctions_show_in_roster_and_history(appointed, run, table_rows):
    db = appointed  # 0107, junior
    wrong = run(
        "--db", db, "sanction", "0107", "--kind", "严重失误", "--on", "2027-01-10", ok=False
    )
    assert wrong.exit_code == 1 and "not a sanction" in wrong.stderr
    result = run(
        "--db", db, "sanction", "0107", "--kind", "失职", "--on", "2027-01-10", "--note", "超期送达"
    )
    assert "自 2027-01-10 起取消案件主办人资格" in result.stdout
    holders = json.loads(
        run("--db", db, "roster", "--as-of", "2027-01-10", "--format", "json").stdout
    )["holders"]
    assert holders == []
    steps = table_rows(run("--db", db, "history", "0107", "--as-of", "2027-12-31").stdout)
    assert (steps[-1]["日期"], steps[-1]["事项"], steps[-1]["说明"]) == (
        "2027-01-10",
        "取消资格",
        "失职：超期送达",
    )
    (row,) = open_db(db)["sanctions"].rows
    assert row["recorded_by"] and row["policy_version"] == "2026.1"
    late = run("--db", db, "sanction", "0107", "--kind", "渎职", "--on", "2027-02-01", ok=False)
    assert late.exit_code == 1 and "holds no grade on 2027-02-01" in late.stderr


def test_can_lead_through_the_command(appointed, run):
    db = appointed  # 0107, junior from 2026-07-01
    refused = run(
        "--db",
        db,
        "can-lead",
        "0107",
        "--case-type",
        "商业贿赂",
        "--value",
        "8000",
        "--on",
        "2027-01-01",
        ok=False,
    )
    assert refused.exit_code == 3  # "may not lead": a script can branch on it
    answer = refused.stdout
    assert "于 2027-01-01 持有：初级" in answer
    assert "所需级别：中级（取两者中较高者，两者一致）" in answer
    assert "结论：不可主办：所需级别为中级，当时初级。" in answer
    junior_case = run(
        "--db",
        db,
        "can-lead",
        "0107",
        "--case-type",
        "无照经营",
        "--value",
        "100",
        "--complex",
        "--on",
        "2027-01-01",
        ok=False,
    ).stdout
    assert "复杂疑难案件 → 高级" in junior_case and "由复杂疑难决定" in junior_case
    answer = run("--db", db, "can-lead", "0107", "--case-number", "A1", ok=False).stdout
    assert "于 2025-01-10 持有：无级别" in answer  # its decision date, before the term
    allowed = run("--db", db, "can-lead", "0107", "--case-type", "无照经营", "--value", "100")
    assert allowed.exit_code == 0 and "结论：可以主办" in allowed.stdout
    result = run("--db", db, "can-lead", "0107", "--case-type", "走私", "--value", "1", ok=False)
    assert result.exit_code == 1 and "unknown case type '走私'" in result.stderr
    neither = run("--db", db, "can-lead", "0107", ok=False)
    assert neither.exit_code == 2


def test_lead_check_lists_cases_led_below_their_grade(appointed, run, csv_file):
    db = appointed
    run(
        "--db",
        db,
        "import",
        "cases",
        csv_file(
            "cases",
            "案号,主办人,案件类型,案值,罚没金额,决定日期\n"
            "B1,0107,无照经营,3000,500,2026-08-01\n"  # junior case: fine
            "B2,0107,商业贿赂,3000,500,2026-08-02\n"  # needs intermediate
            "B3,0107,无照经营,10000,500,2026-08-03\n"  # exactly 10,000: needs senior
            "B4,0107,无照经营,100000,500,2025-08-03\n",
        ),
    )  # before the term: not checked
    output = run("--db", db, "lead-check").stdout
    assert "B2" in output and "B3" in output and "B1" not in output and "B4" not in output
    assert "共 2 件" in output


def test_report_quota_shortfall(appointed, run, csv_file, table_rows):
    db = appointed
    run(
        "--db",
        db,
        "import",
        "reports",
        csv_file("reports", "执法证号,提交日期,题目\n0107,2027-03-01,调研一\n"),
    )
    short = run("--db", db, "reports", "--year", "2027", "--short").stdout
    assert [(r["执法证号"], r["篇数"], r["差"]) for r in table_rows(short)] == [("0107", "1", "1")]
    assert "不足 2 篇 1 人" in short
    run(
        "--db",
        db,
        "import",
        "reports",
        csv_file("reports", "执法证号,提交日期,题目\n0107,2027-09-01,调研二\n"),
    )
    short = run("--db", db, "reports", "--year", "2027", "--short").stdout
    assert short == "2027年在任 1 人，调研报告都不少于 2 篇。\n"


def test_bulletin_totals_equal_the_sum_of_the_cases(appointed, run, csv_file):
    db = appointed
    run(
        "--db",
        db,
        "import",
        "cases",
        csv_file(
            "cases",
            "案号,主办人,案件类型,案值,罚没金额,决定日期\n"
            "Q1,0107,无照经营,1000.10,200.20,2027-01-01\n"
            "Q2,0107,虚假广告,2000.20,300.30,2027-03-31\n"
            "Q3,0107,虚假广告,4000,400,2027-04-01\n",
        ),
    )  # next quarter
    output = run("--db", db, "bulletin", "--quarter", "2027q1").stdout
    assert "无照经营1、虚假广告1" in output
    total = next(line for line in output.splitlines() if "合计" in line)
    assert "│    2 │" in total and "3,000.30" in total and "500.50" in total
    for quarter in ("2027Q5", "0000Q1", "2027Q0"):
        bad = run("--db", db, "bulletin", "--quarter", quarter, ok=False)
        assert bad.exit_code == 2, quarter


def test_personal_file_masks_the_id_and_prints_as_html(tmp_path, appointed, run, csv_file):
    db = appointed
    officers = (
        "执法证号,姓名,性别,出生日期,身份证号,单位,执法起始日期\n"
        "0107,赵<波>,男,1990-03-07,330102199003071230,东关所,2015-03-01\n"
    )
    run("--db", db, "import", "officers", csv_file("officers", officers))
    table = run("--db", db, "file", "0107", "--as-of", "2027-01-01").stdout
    assert "33**************30" in table and "330102199003071230" not in table
    assert "330102199003071230" in run("--db", db, "file", "0107", "--show-id").stdout
    document = json.loads(
        run("--db", db, "file", "0107", "--format", "json", "--as-of", "2027-01-01").stdout
    )
    assert document["officer"]["id_number"] == "33**************30"
    assert document["officer"]["service_years"] == 11
    assert document["grades"][0]["appointed_grade"] == "junior"
    assert document["cases_by_year"][0] == {
        "year": 2025,
        "count": 4,
        "case_value": 40000.0,
        "penalty": 60000.0,
        "big": 4,
        "typical": 0,
    }
    earlier = json.loads(
        run("--db", db, "file", "0107", "--format", "json", "--as-of", "2026-06-30").stdout
    )
    assert earlier["grades"] == []  # appointed after that day
    run("--db", db, "file", "0107", "--format", "html", "--output", tmp_path / "0107.html")
    page = (tmp_path / "0107.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert "赵&lt;波&gt;" in page and "赵<波>" not in page  # data is escaped
    assert "http" not in page  # nothing to fetch: it prints offline
    assert "@page { size: A4" in page


def test_stats_in_the_shape_of_the_seed(appointed, run, round_2026):
    db = appointed
    text = run("--db", db, "stats", "--round", "2026").stdout
    assert text.startswith("2026届：1处所共1名执法办案人员报名参评")
    assert "1人被聘为初级案件主办人" in text
    evaluated = json.loads(run("--db", db, "evaluate", *round_2026, "--format", "json").stdout)
    assert evaluated["applications"][0]["officer_id"] == "0107"


def test_rectify_a_given_half_year_and_re_rating(appointed, run, csv_file):
    db = appointed
    run("--db", db, "rate", "0107", "2026H2", "fail", "--on", "2027-01-12")
    run("--db", db, "rate", "0107", "2027H1", "fail", "--on", "2027-07-12")
    done = run("--db", db, "rectify", "0107", "--on", "2027-03-01").stdout
    assert done == "0107 2026H2: rectified on 2027-03-01\n"  # the oldest open one
    done = run("--db", db, "rectify", "0107", "--period", "2027H1", "--on", "2027-08-01").stdout
    assert done == "0107 2027H1: rectified on 2027-08-01\n"
    again = run("--db", db, "rate", "0107", "2026H2", "pass", "--on", "2027-05-01", ok=False)
    assert again.exit_code == 1 and "already rated 不合格 for 2026H2" in again.stderr
    same = run("--db", db, "rate", "0107", "2026H2", "fail", "--on", "2027-01-12")
    assert same.exit_code == 0  # the same rating again is no change
    early = run("--db", db, "rate", "0107", "2027H2", "fail", "--on", "2027-12-31", ok=False)
    assert early.exit_code == 1 and "before the half-year 2027H2 is over" in early.stderr
    run("--db", db, "rate", "0107", "2026H2", "fail", "--on", "2027-05-01", "--correct")
    rows = {r["period"]: r["rectified_on"] for r in open_db(db)["ratings"].rows}
    assert rows == {"2026H2": None, "2027H1": "2027-08-01"}
    ratings_file = csv_file(
        "ratings", "执法证号,考核期间,考核等次,考核日期\n0107,2027H1,不合格,2027-07-12\n"
    )
    result = run("--db", db, "import", "ratings", ratings_file, "--replace", "--yes")
    assert result.stdout.endswith("1 unchanged, 1 removed\n  - 0107 / 2026H2\n")
    assert {r["period"]: r["rectified_on"] for r in open_db(db)["ratings"].rows} == {
        "2027H1": "2027-08-01"
    }  # the rectification survives a re-import


def test_a_holder_is_counted_once_when_two_terms_meet(db, policy, officer, case):
    """Bulletin and report quota list officers, not appointments (S2.4 per holder)."""
    store.save(db, "officers", [officer()])
    store.save(
        db,
        "appointments",
        [
            Appointment(
                "2026", "0107", INTERMEDIATE, date(2026, 8, 1), date(2028, 7, 31), date(2026, 8, 1)
            ),
            Appointment(
                "2028", "0107", SENIOR, date(2028, 8, 1), date(2030, 7, 31), date(2028, 8, 1)
            ),
        ],
    )
    store.save(db, "cases", [case(date(2028, 7, 15), 300), case(date(2028, 8, 15), 200)])
    found = bulletin(db, "2028Q3", policy)
    assert len(found.rows) == 1 and found.rows[0][0].appointment.round == "2028"
    assert (len(found.cases), found.value_fen, found.penalty_fen) == (2, 1_000_000, 50_000)
    assert [(h.officer.officer_id, n) for h, n in report_counts(db, 2028, policy)] == [("0107", 0)]


def test_sanctions_lower_the_grade_on_the_roster(db, policy, officer):
    store.save(db, "officers", [officer()])
    store.save(
        db,
        "appointments",
        [
            Appointment(
                "2026", "0107", SENIOR, date(2026, 7, 1), date(2028, 6, 30), date(2026, 7, 1)
            )
        ],
    )
    _, after = sanction(db, "0107", IncidentKind.DERELICTION, date(2027, 1, 10), False, "", policy)
    assert after is INTERMEDIATE
    _, after = sanction(db, "0107", IncidentKind.MALFEASANCE, date(2027, 5, 1), False, "", policy)
    assert after is JUNIOR
    grades = [
        roster(db, day, policy)[0].grade_on(day)
        for day in (date(2027, 1, 9), date(2027, 1, 10), date(2027, 5, 1))
    ]
    assert grades == [SENIOR, INTERMEDIATE, JUNIOR]
    assert [h.officer.officer_id for h in roster(db, date(2027, 6, 1), policy, JUNIOR)] == ["0107"]
    assert roster(db, date(2027, 6, 1), policy, SENIOR) == []


def test_an_import_reports_every_problem_at_once(appointed, run, csv_file):
    db = appointed  # 0107 holds junior from 2026-07-01; 0200 holds nothing
    officers = (
        "执法证号,姓名,性别,出生日期,单位,执法起始日期\n0200,钱七,男,1990-01-01,东关所,2015-01-01\n"
    )
    run("--db", db, "import", "officers", csv_file("officers", officers))
    ratings = csv_file(
        "ratings",
        "执法证号,考核期间,考核等次,考核日期\n"
        "0107,2026H2,不合格,2027-02-30\n"  # no such date
        "0200,2026H2,合格,2027-01-12\n",
    )  # held no grade
    result = run("--db", db, "import", "ratings", ratings, ok=False)
    rows = [line for line in result.stderr.splitlines() if line.startswith("  ")]
    assert len(rows) == 2
    assert "row 2, column 考核日期 = '2027-02-30'" in rows[0]
    assert "row 3 = '0200': held no grade in 2026H2" in rows[1]
    assert open_db(db)["ratings"].count == 0
