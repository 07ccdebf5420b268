"""The policy in force as the clerk reads it: thresholds grade by grade, counting settings, case
authority and retirement figures.
"""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.policy import Policy
from casegrade.rules import CRITERIA
from casegrade.views.criteria import criterion_label, value_text
from casegrade.views.labels import big_case_words, counted_cases_label, yuan
from casegrade.views.tables import new_table
from casegrade.vocab import Grade, label


def policy_table(policy: Policy) -> RenderableType:
    """The thresholds in force, grade by grade, the counting settings, case authority and the
    retirement figures."""
    headers = [label(grade) for grade in Grade]
    source = "内置" if policy.source == "built-in" else policy.source
    table = new_table(
        f"评选标准（政策 {policy.version}，{policy.effective} 起施行，来源 {source}）",
        "条件",
        *headers,
        right=tuple(headers),
    )
    for criterion in CRITERIA:
        cells = []
        for grade in Grade:
            required = policy.thresholds[grade].get(criterion)
            if required is None:
                cells.append("—")
            elif required is True:
                cells.append("须符合")
            else:
                cells.append(f"≥{value_text(criterion, required, cents=False)}")
        table.add_row(criterion_label(criterion, policy), *cells)
    basis = "案值" if policy.big_case_basis == "case_value" else "罚没金额"
    years = policy.window_years
    by_grade = {grade: [n for n, g in policy.case_types.items() if g is grade] for grade in Grade}
    retirement = "；".join(
        f"{name} {scheme.base_age}岁起，{scheme.reform_start[0]}年{scheme.reform_start[1]}月起出生者"
        f"每{scheme.step_months}个月延迟1个月，最多{scheme.cap_months}个月"
        for name, scheme in zip(("男", "女干部", "女工人"), policy.retirement.values(), strict=True)
    )
    settings = Text(
        f"近{years}年：评估日前 {years} 年内（含评估日）；年均 = 合计 ÷ {years}\n"
        f"计入案件：{counted_cases_label(policy)}；"
        f"{big_case_words(policy)}：{basis} ≥ {yuan(policy.big_case_threshold_fen)} 元\n"
        f"任期 {policy.term_years} 年\n"
        f"退休年龄：{retirement}\n"
        f"案件权限（主办所需最低级别）：案值 ≤ {yuan(policy.junior_max_value_fen)} 元 初级，"
        f"≥ {yuan(policy.senior_min_value_fen)} 元 高级，其间 中级；复杂疑难案件 高级\n"
        + "\n".join(f"  {label(g)}：{'、'.join(names) or '—'}" for g, names in by_grade.items())
    )
    return Group(table, settings)
