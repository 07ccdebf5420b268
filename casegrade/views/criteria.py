"""The words of each criterion in one place: its name under the policy, its unit, where its value
comes from, and how far short it is. A criterion added to ``rules.CRITERIA`` needs its entry in
``CRITERION_WORDS`` (a test checks both registries name the same criteria).

Averages are shown rounded down to 2 decimals and shortfalls rounded up, so that a shown value
never looks met when it is not, and shown value + shortfall reaches the threshold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from casegrade.policy import Policy
from casegrade.records import Case
from casegrade.rules import CRITERIA, Context, Finding, ThresholdKind, Unit
from casegrade.views.labels import big_case_words, counted_cases_label, plain, to_2dp, yuan
from casegrade.vocab import label

UNIT_WORDS = {Unit.YEARS: "年", Unit.HONORS: "次", Unit.FEN: "元", Unit.CASES: "件", Unit.NONE: ""}


@dataclass(frozen=True)
class CriterionWords:
    """How views word one criterion.

    Attributes:
        name: its Chinese name under a policy (levels and window follow the policy).
        explain: (finding, context, name) -> where the value comes from, for the detail view.
        shortfall: (finding, policy, name) -> how far short an unmet finding is; None: the
            default "name 差 value".
    """

    name: Callable[[Policy], str]
    explain: Callable[[Finding, Context, str], str]
    shortfall: Callable[[Finding, Policy, str], str] | None = None


def _window_cases(finding: Finding, ctx: Context, name: str) -> str:
    first, last = finding.window or ctx.window
    return (
        f"{name}：决定日期 {first} 至 {last} 的{counted_cases_label(ctx.policy)}，"
        f"计 {len(finding.counted)} 件"
    )


def _honors(finding: Finding, ctx: Context, name: str) -> str:
    return f"{name}：截至 {ctx.as_of} 计 {len(finding.counted)} 次，见荣誉记录"


def _penalty(finding: Finding, ctx: Context, name: str) -> str:
    total = sum(case.penalty_fen for case in finding.counted if isinstance(case, Case))
    years = ctx.policy.window_years
    return _window_cases(finding, ctx, name) + f"，罚没合计 {yuan(total)} 元 ÷ {years} 年"


def _big_cases_short(finding: Finding, policy: Policy, name: str) -> str:
    short_by = finding.short_by or 0
    missing = math.ceil(short_by * policy.window_years)
    return f"{_default_short(finding, name)}（近{policy.window_years}年合计少 {missing} 件）"


CRITERION_WORDS: dict[str, CriterionWords] = {
    "service_years": CriterionWords(
        lambda policy: "执法年限",
        lambda f, ctx, name: f"{name}：自执法起始日起算，满{f.required}年之日 {f.key_date}",
        lambda f, policy, name: f"{name} {f.actual}年，{f.key_date} 满{f.required}年",
    ),
    "honors": CriterionWords(lambda policy: f"{label(policy.honor_min_level)}以上荣誉", _honors),
    "avg_annual_penalty": CriterionWords(lambda policy: "年均罚没金额", _penalty),
    "avg_annual_big_cases": CriterionWords(
        lambda policy: f"年均{big_case_words(policy)}",
        lambda f, ctx, name: _window_cases(f, ctx, name) + f" ÷ {ctx.policy.window_years} 年",
        _big_cases_short,
    ),
    "provincial_titles": CriterionWords(
        lambda policy: f"{label(policy.title_min_level)}以上荣誉称号", _honors
    ),
    "typical_case": CriterionWords(
        lambda policy: f"近{policy.window_years}年典型案例",
        lambda f, ctx, name: (
            _window_cases(f, ctx, name)
            + f"（入选级别{label(ctx.policy.typical_min_level)}以上，入选日期不晚于 {ctx.as_of}）"
        ),
    ),
    "not_retired": CriterionWords(
        lambda policy: "未达退休年龄",
        lambda f, ctx, name: f"{name}：达到退休年龄之日 {f.key_date}",
        lambda f, policy, name: f"已于 {f.key_date} 达到退休年龄",
    ),
}


def criterion_label(criterion: str, policy: Policy) -> str:
    """The Chinese name of a criterion, with the levels and window the policy sets."""
    return CRITERION_WORDS[criterion].name(policy)


def in_units(criterion: str, value: int | Fraction, *, up: bool = False) -> Decimal:
    """A criterion value in its unit to 2 decimals: money from fen to yuan."""
    if CRITERIA[criterion].kind is ThresholdKind.MONEY:
        value = Fraction(value, 100)
    return to_2dp(value, up=up)


def value_text(
    criterion: str, value: int | Fraction | bool, *, up: bool = False, cents: bool = True
) -> str:
    """A criterion's value with its unit: "5年", "2.5件", "30,000.00元", "是".

    ``cents=False`` drops ".00" from whole amounts, for thresholds.
    """
    if isinstance(value, bool):
        return "是" if value else "否"
    spec = CRITERIA[criterion]
    number = in_units(criterion, value, up=up)
    if spec.kind is ThresholdKind.MONEY and cents:
        return f"{number:,.2f}{UNIT_WORDS[spec.unit]}"
    return f"{plain(number)}{UNIT_WORDS[spec.unit]}"


def json_number(criterion: str, value: int | Fraction | bool, *, up: bool = False) -> Any:
    """A criterion's value for JSON or CSV: bool, or a number in its unit (yuan for money)."""
    if isinstance(value, bool):
        return value
    number = in_units(criterion, value, up=up)
    return int(number) if number == number.to_integral_value() else float(number)


def _default_short(finding: Finding, name: str) -> str:
    short_by = finding.short_by or 0
    return f"{name} 差 {value_text(finding.criterion, short_by, up=True)}"


def short_text(finding: Finding, policy: Policy) -> str:
    """How far short an unmet criterion is, e.g. "年均罚没金额 差 1,234.50元"; a date for years."""
    words = CRITERION_WORDS[finding.criterion]
    name = words.name(policy)
    if words.shortfall is not None:
        return words.shortfall(finding, policy, name)
    return _default_short(finding, name)


def explanation(finding: Finding, ctx: Context) -> str:
    """Where a finding's value comes from, in words: dates, window, totals."""
    words = CRITERION_WORDS[finding.criterion]
    return words.explain(finding, ctx, words.name(ctx.policy))
