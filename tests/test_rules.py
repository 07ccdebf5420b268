"""The S1.2 criteria and counting rules at their boundaries (DOMAIN.md)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from fractions import Fraction

import pytest

from casegrade.records import Application
from casegrade.rules import (
    CRITERIA,
    Context,
    RetirementInTerm,
    evaluate,
    full_years,
    gather,
    retirement_date,
    window,
)
from casegrade.vocab import Grade, HonorKind, HonorLevel, RetirementCategory, Sex

AS_OF = date(2026, 6, 30)  # round 2026's evaluation date, for which the records are made


def check(criterion: str, officer_file, policy, required, as_of: date = AS_OF):
    ctx = Context.on(as_of, policy)
    return CRITERIA[criterion].check(officer_file, gather(officer_file, ctx), required, ctx)


@pytest.mark.parametrize(
    ("start", "on", "years"),
    [
        (date(2023, 6, 30), date(2026, 6, 30), 3),  # exactly 3 years
        (date(2023, 7, 1), date(2026, 6, 30), 2),  # one day short
        (date(2020, 2, 29), date(2023, 2, 28), 3),  # 29 Feb start completes on 28 Feb
        (date(2020, 2, 29), date(2023, 2, 27), 2),
        (date(2020, 2, 29), date(2024, 2, 28), 3),  # leap year: the anniversary is 29 Feb
        (date(2020, 2, 29), date(2024, 2, 29), 4),
        (date(2026, 7, 1), date(2026, 6, 30), 0),  # not started yet
    ],
)
def test_full_years(start, on, years):
    assert full_years(start, on) == years


def test_window_and_term_boundaries(policy):
    assert window(date(2026, 6, 30), 2) == (date(2024, 7, 1), date(2026, 6, 30))
    assert window(date(2028, 2, 29), 2) == (date(2026, 3, 1), date(2028, 2, 29))
    assert Context.on(date(2026, 6, 30), policy).term == (date(2026, 7, 1), date(2028, 6, 30))
    given = Context.on(date(2026, 5, 15), policy, term_start=date(2026, 7, 1))
    assert given.term == (date(2026, 7, 1), date(2028, 6, 30))


@pytest.mark.parametrize(
    ("start", "met", "actual", "met_on"),
    [
        (date(2023, 6, 30), True, 3, date(2026, 6, 30)),
        (date(2023, 7, 1), False, 2, date(2026, 7, 1)),
        (date(2020, 2, 29), True, 6, date(2023, 2, 28)),
    ],
)
def test_service_years_at_three(policy, start, met, actual, met_on, officer, file_of):
    finding = check("service_years", file_of(who=officer(enforcement_start=start)), policy, 3)
    assert (finding.met, finding.actual, finding.key_date) == (met, actual, met_on)
    assert finding.short_by == (None if met else 1)


def test_service_years_29_feb_start_meets_on_28_feb(policy, officer, file_of):
    leap = file_of(who=officer(enforcement_start=date(2020, 2, 29)))
    assert check("service_years", leap, policy, 3, as_of=date(2023, 2, 28)).met
    assert not check("service_years", leap, policy, 3, as_of=date(2023, 2, 27)).met
    assert check("service_years", leap, policy, 3, as_of=date(2023, 2, 27)).key_date == date(
        2023, 2, 28
    )


@pytest.mark.parametrize(
    ("total_fen", "met", "actual_fen"),
    [
        (6_000_000, True, Fraction(3_000_000)),  # exactly 30,000.00 a year
        (5_999_999, False, Fraction(5_999_999, 2)),  # 29,999.995 a year: half a fen short
        (5_999_998, False, Fraction(2_999_999)),  # 29,999.99 a year
    ],
)
def test_avg_annual_penalty_at_30000(policy, total_fen, met, actual_fen, case, file_of):
    cases = [case(penalty_yuan=0, penalty_fen=total_fen - 100_000), case(penalty_yuan=1000)]
    finding = check("avg_annual_penalty", file_of(*cases), policy, 3_000_000)
    assert (finding.met, finding.actual) == (met, actual_fen)
    assert finding.short_by == (None if met else 3_000_000 - actual_fen)


@pytest.mark.parametrize(
    ("decided", "counts"),
    [
        (date(2024, 7, 1), True),  # first day of the window
        (date(2026, 6, 30), True),  # last day: the evaluation date
        (date(2024, 6, 30), False),  # one day before
        (date(2026, 7, 1), False),  # decided after the evaluation date
    ],
)
def test_case_window_edges(policy, decided, counts, case, file_of):
    finding = check("avg_annual_penalty", file_of(case(decided, 5000)), policy, 3_000_000)
    assert finding.actual == (Fraction(500_000, 2) if counts else 0)
    assert finding.window == (date(2024, 7, 1), date(2026, 6, 30))


def test_assisted_case_counts_only_when_policy_says(policy, case, file_of):
    assisted = case(penalty_yuan=60_000, lead_officer_id="0200", assistant_officer_id="0107")
    assert check("avg_annual_penalty", file_of(assisted), policy, 3_000_000).actual == 0
    lenient = replace(policy, count_assisted_cases=True)
    finding = check("avg_annual_penalty", file_of(assisted), lenient, 3_000_000)
    assert (finding.actual, finding.met) == (3_000_000, True)


@pytest.mark.parametrize(
    ("value_fen", "big"),
    [(1_000_000, True), (999_999, False), (1_000_001, True)],  # 10,000.00 is 万元以上
)
def test_big_case_threshold(policy, value_fen, big, case, file_of):
    cases = [case(case_value_fen=1_000_000) for _ in range(3)] + [case(case_value_fen=value_fen)]
    finding = check("avg_annual_big_cases", file_of(*cases), policy, 2)
    assert finding.actual == (2 if big else Fraction(3, 2))
    assert finding.met is big
    assert finding.short_by == (None if big else Fraction(1, 2))


def test_big_case_basis_penalty_is_a_setting(policy, case, file_of):
    by_penalty = replace(policy, big_case_basis="penalty")
    small_value_big_penalty = case(case_value_fen=500_000, penalty_yuan=10_000)
    assert check("avg_annual_big_cases", file_of(small_value_big_penalty), policy, 2).actual == 0
    finding = check("avg_annual_big_cases", file_of(small_value_big_penalty), by_penalty, 2)
    assert finding.actual == Fraction(1, 2)


@pytest.mark.parametrize(
    ("changes", "counts"),
    [
        ({"level": HonorLevel.MUNICIPAL}, True),
        ({"level": HonorLevel.COUNTY}, False),  # 县级 is below 市级
        ({"level": HonorLevel.BUREAU}, False),
        ({"level": HonorLevel.NATIONAL}, True),
        ({"enforcement_related": False}, False),  # not an enforcement honor
        ({"granted": AS_OF}, True),  # granted on the evaluation date
        ({"granted": date(2026, 7, 1)}, False),  # granted the day after
    ],
)
def test_honors_count(policy, changes, counts, honor, file_of):
    finding = check("honors", file_of(honor(**changes)), policy, 1)
    assert (finding.actual, finding.met) == (int(counts), counts)


@pytest.mark.parametrize(
    ("changes", "counts"),
    [
        ({"level": HonorLevel.PROVINCIAL, "kind": HonorKind.TITLE}, True),
        ({"level": HonorLevel.NATIONAL, "kind": HonorKind.TITLE}, True),
        ({"level": HonorLevel.PROVINCIAL, "kind": HonorKind.OTHER}, False),  # 表彰, not 称号
        ({"level": HonorLevel.MUNICIPAL, "kind": HonorKind.TITLE}, False),
        (
            {"level": HonorLevel.PROVINCIAL, "kind": HonorKind.TITLE, "enforcement_related": False},
            False,
        ),
    ],
)
def test_provincial_titles_count(policy, changes, counts, honor, file_of):
    assert check("provincial_titles", file_of(honor(**changes)), policy, 1).actual == int(counts)


@pytest.mark.parametrize(
    ("changes", "counts"),
    [
        ({}, True),
        ({"typical_level": HonorLevel.COUNTY}, False),
        ({"typical_date": date(2026, 7, 1)}, False),  # selected after D
        ({"typical_date": AS_OF}, True),
        ({"decision_date": date(2024, 6, 30), "typical_date": date(2024, 12, 1)}, False),
        ({"lead_officer_id": "0200", "assistant_officer_id": "0107"}, False),  # only assisted
    ],
)
def test_typical_case(policy, changes, counts, case, file_of):
    base = {"typical_level": HonorLevel.MUNICIPAL, "typical_date": date(2025, 3, 1)}
    finding = check("typical_case", file_of(case(**(base | changes))), policy, 1)
    assert (finding.actual, finding.met) == (int(counts), counts)


# DOMAIN.md S1.3: the reform's own examples, then the categories and the day it is reached.
@pytest.mark.parametrize(
    ("sex", "category", "born", "retires"),
    [
        (Sex.MALE, RetirementCategory.CADRE, date(1965, 1, 10), date(2025, 2, 10)),  # 60y1m
        (Sex.MALE, RetirementCategory.CADRE, date(1965, 5, 10), date(2025, 7, 10)),  # 60y2m
        (Sex.MALE, RetirementCategory.CADRE, date(1963, 12, 10), date(2023, 12, 10)),  # 60y0m
        (Sex.FEMALE, RetirementCategory.CADRE, date(1971, 4, 10), date(2026, 8, 10)),  # 55y4m
        (Sex.FEMALE, RetirementCategory.WORKER, date(1995, 12, 10), date(2050, 12, 10)),  # 55y
        (Sex.MALE, RetirementCategory.WORKER, date(1976, 9, 10), date(2039, 9, 10)),  # 63y
        (Sex.FEMALE, RetirementCategory.WORKER, date(1975, 10, 3), date(2026, 3, 3)),  # 50y5m
        (Sex.FEMALE, RetirementCategory.CADRE, date(1969, 12, 31), date(2024, 12, 31)),  # 55y
        (Sex.MALE, RetirementCategory.CADRE, date(1968, 7, 31), date(2029, 6, 30)),  # month-end
        (Sex.FEMALE, RetirementCategory.CADRE, date(1972, 2, 29), date(2027, 9, 29)),  # 55y7m
    ],
)
def test_retirement_date(policy, sex, category, born, retires, officer):
    person = officer(sex=sex, retirement_category=category, birth_date=born)
    assert retirement_date(person, policy) == retires


def test_recorded_retirement_date_overrides(policy, officer):
    assert retirement_date(officer(retirement_date=date(2040, 1, 1)), policy) == date(2040, 1, 1)


@pytest.mark.parametrize(("as_of", "met"), [(date(2025, 2, 9), True), (date(2025, 2, 10), False)])
def test_not_retired_on_the_day_retirement_age_is_reached(policy, as_of, met, officer, file_of):
    person = officer(birth_date=date(1965, 1, 10), enforcement_start=date(1990, 1, 1))
    finding = check("not_retired", file_of(who=person), policy, True, as_of=as_of)
    assert (finding.actual, finding.met, finding.key_date) == (met, met, date(2025, 2, 10))


@pytest.fixture
def junior_file(case, file_of, honor, officer):
    """An officer meeting junior exactly and nothing above it."""
    big = [case(date(2025, 1, 1), 15_000, case_value_fen=1_000_000) for _ in range(4)]
    return file_of(honor(), *big, who=officer(enforcement_start=date(2023, 6, 30)))


def test_evaluate_reports_highest_grade_below_applied(policy, context, junior_file):
    app = Application("2026", "0107", Grade.SENIOR, date(2026, 5, 1))
    result = evaluate(app, junior_file, context(policy))
    assert result.eligible is False
    assert result.highest_eligible_grade is Grade.JUNIOR
    assert [f.criterion for f in result.applied] == list(CRITERIA)  # senior sets all seven
    unmet = {f.criterion for f in result.applied if not f.met}
    assert unmet == {
        "service_years",
        "honors",
        "avg_annual_penalty",
        "avg_annual_big_cases",
        "provincial_titles",
        "typical_case",
    }
    assert [f.criterion for f in result.findings[Grade.JUNIOR]] == [
        "service_years",
        "honors",
        "avg_annual_penalty",
        "avg_annual_big_cases",
        "not_retired",
    ]


def test_evaluate_meets_junior_exactly_on_every_threshold(policy, context, junior_file):
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    result = evaluate(app, junior_file, context(policy))
    assert result.eligible and result.highest_eligible_grade is Grade.JUNIOR
    actual = {f.criterion: f.actual for f in result.applied}
    assert actual == {
        "service_years": 3,
        "honors": 1,
        "avg_annual_penalty": 3_000_000,
        "avg_annual_big_cases": 2,
        "not_retired": True,
    }


def test_no_grade_met_gives_none(policy, officer, file_of, context):
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    result = evaluate(
        app, file_of(who=officer(enforcement_start=date(2025, 1, 1))), context(policy)
    )
    assert result.highest_eligible_grade is None


def test_retirement_inside_coming_term_warns_without_failing(policy, officer, honor, case, file_of):
    person = officer(birth_date=date(1966, 9, 20), enforcement_start=date(1992, 8, 1))
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    big = [case(date(2025, 1, 1), 15_000, case_value_fen=1_000_000) for _ in range(4)]
    result = evaluate(app, file_of(honor(), *big, who=person), Context.on(AS_OF, policy))
    assert result.eligible
    assert result.warnings == (
        RetirementInTerm(date(2027, 3, 20), (date(2026, 7, 1), date(2028, 6, 30))),
    )


@pytest.mark.parametrize(
    ("born", "retires", "warned"),
    [
        (date(1966, 3, 1), date(2026, 7, 1), True),  # 60y4m: the term's first day
        (date(1966, 2, 28), date(2026, 6, 28), False),  # before D: not a warning, a failure
    ],
)
def test_retirement_warning_from_the_terms_first_day(
    policy, born, retires, warned, officer, file_of
):
    person = officer(birth_date=born, enforcement_start=date(1990, 1, 1))
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    result = evaluate(app, file_of(who=person), Context.on(AS_OF, policy))
    assert retirement_date(person, policy) == retires
    assert bool(result.warnings) is warned
    assert next(f for f in result.applied if f.criterion == "not_retired").met is warned


def test_retirement_warning_on_the_terms_last_day_and_the_day_after(policy, officer, file_of):
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    last_day = officer(birth_date=date(1968, 2, 29), retirement_date=date(2028, 6, 30))
    after = officer(birth_date=date(1968, 2, 29), retirement_date=date(2028, 7, 1))
    ctx = Context.on(AS_OF, policy)
    assert evaluate(app, file_of(who=last_day), ctx).warnings == (
        RetirementInTerm(date(2028, 6, 30), (date(2026, 7, 1), date(2028, 6, 30))),
    )
    assert evaluate(app, file_of(who=after), ctx).warnings == ()


def test_highest_grade_can_be_above_the_grade_applied_for(policy, honor, case, file_of, context):
    titles = [
        honor(date(2020, 1, d), level=HonorLevel.PROVINCIAL, kind=HonorKind.TITLE) for d in (1, 2)
    ]
    typical = case(
        date(2025, 1, 1),
        100_000,
        case_value_fen=5_000_000,
        typical_level=HonorLevel.MUNICIPAL,
        typical_date=date(2025, 3, 1),
    )
    big = [case(date(2025, 2, 1), 50_000, case_value_fen=2_000_000) for _ in range(7)]
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    result = evaluate(app, file_of(*titles, honor(), typical, *big), context(policy))
    assert result.eligible and result.highest_eligible_grade is Grade.SENIOR


def test_typical_case_assisted_counts_when_policy_counts_assisted(policy, case, file_of):
    assisted = case(
        lead_officer_id="0200",
        assistant_officer_id="0107",
        typical_level=HonorLevel.PROVINCIAL,
        typical_date=date(2025, 3, 1),
    )
    assert check("typical_case", file_of(assisted), policy, 1).actual == 0
    lenient = replace(policy, count_assisted_cases=True)
    assert check("typical_case", file_of(assisted), lenient, 1).actual == 1


def test_retirement_between_evaluation_and_term_start_warns(policy, officer, file_of):
    app = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 1))
    person = officer(retirement_date=date(2026, 6, 15))
    ctx = Context.on(date(2026, 5, 31), policy, term_start=date(2026, 7, 1))
    assert evaluate(app, file_of(who=person), ctx).warnings == (
        RetirementInTerm(date(2026, 6, 15), (date(2026, 7, 1), date(2028, 6, 30))),
    )
