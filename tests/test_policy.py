"""The policy file: the shipped one matches DOMAIN.md; a revised one is checked on load."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path

import pytest

from casegrade.errors import PolicyError
from casegrade.policy import load_policy
from casegrade.vocab import Grade, HonorLevel


def test_shipped_policy_is_domain_md(policy):
    assert policy.thresholds[Grade.JUNIOR] == {
        "service_years": 3,
        "honors": 1,
        "avg_annual_penalty": 3_000_000,
        "avg_annual_big_cases": 2,
        "not_retired": True,
    }
    assert policy.thresholds[Grade.SENIOR] == {
        "service_years": 5,
        "honors": 3,
        "avg_annual_penalty": 10_000_000,
        "avg_annual_big_cases": 4,
        "provincial_titles": 2,
        "typical_case": 1,
        "not_retired": True,
    }
    assert policy.thresholds[Grade.INTERMEDIATE]["avg_annual_penalty"] == 5_000_000
    assert (policy.window_years, policy.term_years, policy.count_assisted_cases) == (2, 2, False)
    assert (policy.big_case_basis, policy.big_case_threshold_fen) == ("case_value", 1_000_000)
    assert policy.honor_min_level is HonorLevel.MUNICIPAL
    assert policy.title_min_level is HonorLevel.PROVINCIAL
    assert (policy.junior_max_value_fen, policy.senior_min_value_fen) == (500_000, 1_000_000)
    assert policy.case_types["商业贿赂"] is Grade.INTERMEDIATE
    assert policy.effective == date(2026, 1, 1)


def shipped_text() -> str:
    return resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")


def revised(tmp_path: Path, old: str, new: str) -> Path:
    text = shipped_text()
    assert old in text
    path = tmp_path / "policy.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_revised_policy_loads_with_its_source(tmp_path):
    path = revised(tmp_path, "avg_annual_penalty = 30000", "avg_annual_penalty = 35000.50")
    policy = load_policy(path)
    assert policy.thresholds[Grade.JUNIOR]["avg_annual_penalty"] == 3_500_050
    assert policy.source == str(path)


def test_dropping_a_criterion_means_not_required(tmp_path):
    path = revised(tmp_path, "honors = 1\n", "")
    assert "honors" not in load_policy(path).thresholds[Grade.JUNIOR]


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("service_years = 3", "service_yeras = 3", "unknown key(s) service_yeras"),
        (
            "service_years = 3",
            'service_years = "3"',
            "'service_years' must be a whole number, not '3'",
        ),
        ("service_years = 3", "service_years = -3", "must not be negative"),
        ("avg_annual_penalty = 30000", "avg_annual_penalty = 300.001", "at most 2 decimals"),
        ('big_case_basis = "case_value"', 'big_case_basis = "value"', "big_case_basis must be"),
        ('honor_min_level = "municipal"', 'honor_min_level = "city-ish"', "'honor_min_level'"),
        ("[thresholds.senior]", "[thresholds.expert]", "missing table [senior]"),
        ('"商业贿赂" = "intermediate"', '"商业贿赂" = "boss"', "'商业贿赂' = 'boss'"),
        ("window_years = 2", "window_years = 0", "must be 1 to 10"),
        ("term_years = 2", "term_years = 100000", "must be 1 to 10"),
        ("complaints_limit = 2", "complaints_limit = -1", "must not be negative"),
        ('complaints_window = "year"', 'complaints_window = "month"', "complaints_window must be"),
        ('"basically_competent", "incompetent"', '"competent"', "must not include 称职"),
        ("exam_pass_mark = 60", 'exam_pass_mark = "60"', "a number without quotes"),
        ('junior = "副股后备干部"', "", "missing key 'junior'"),
        ("step_months = 4", "step_months = 0", "step_months must be at least 1"),
        ('reform_start = "1965-01"', 'reform_start = "1965"', "reform_start must be YYYY-MM"),
        ("version = ", "versio = ", "missing key 'version'"),
        ("big_case_threshold = 10000", "big_case_threshold = nan", "'big_case_threshold'"),
        ("big_case_threshold = 10000", "big_case_threshold = inf", "'big_case_threshold'"),
        (
            "window_years = 2",
            "window_years = 2\nwindow_yeers = 2",
            "known: window_years, term_years,",
        ),
    ],
)
def test_bad_policy_is_refused_with_the_key(tmp_path, old, new, message):
    with pytest.raises(PolicyError) as caught:
        load_policy(revised(tmp_path, old, new))
    assert message in str(caught.value)
    assert str(caught.value).startswith(str(tmp_path / "policy.toml"))


def test_unreadable_policy(tmp_path):
    with pytest.raises(PolicyError, match="cannot read policy file"):
        load_policy(tmp_path / "missing.toml")
    (tmp_path / "bad.toml").write_text("version = [", encoding="utf-8")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(tmp_path / "bad.toml")


def test_money_in_quotes_is_refused_and_labels_follow_the_threshold(tmp_path):
    with pytest.raises(PolicyError, match="a number without quotes"):
        load_policy(revised(tmp_path, "avg_annual_penalty = 30000", 'avg_annual_penalty = "30000"'))
    from casegrade.views.criteria import criterion_label
    from casegrade.views.labels import big_case_words

    policy = load_policy(
        revised(tmp_path, "big_case_threshold = 10000", "big_case_threshold = 20000")
    )
    assert criterion_label("avg_annual_big_cases", policy) == "年均2万元以上案件"
    policy = load_policy(
        revised(tmp_path, "big_case_threshold = 10000", "big_case_threshold = 5000")
    )
    assert big_case_words(policy) == "5,000.00元以上案件"
