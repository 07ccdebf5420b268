"""Words and numbers for people, in Chinese: money, grades, exclusions, warnings, the procedure's
problems, grounds of elimination and the end of a grade. Shared by tables, texts and exports.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import timedelta
from decimal import Decimal
from fractions import Fraction

from casegrade.lifecycle import Ending, Ground, Holding, Problem, ProblemCode
from casegrade.policy import Policy
from casegrade.records import AnnualAssessment, Complaint, Incident
from casegrade.rules import Exclusion, RetirementInTerm
from casegrade.vocab import Grade, IncidentKind, ReviewKind, label

YES, NO = "√", "×"  # both in GBK, unlike ✓ ✗


def big_case_words(policy: Policy) -> str:
    """万元以上案件, or "N元以上案件" when the policy sets another threshold."""
    fen = policy.big_case_threshold_fen
    if fen % 1_000_000 == 0:
        return f"{plain(Decimal(fen // 1_000_000)) if fen != 1_000_000 else ''}万元以上案件"
    return f"{yuan(fen)}元以上案件"


def exclusion_label(reason: Exclusion, policy: Policy) -> str:
    """Why a record does not count, in Chinese (reasons from rules.*_exclusion)."""
    return {
        "not_enforcement": "非执法办案荣誉",
        "not_typical": "未入选典型案例",
        "after_as_of": "日期在评估日之后",
        "below_level": "级别不足",
        "not_led": "非本人主办" if not policy.count_assisted_cases else "非本人主办或协办",
        "outside_window": f"决定日期不在近{policy.window_years}年内",
    }[reason]


def counted_cases_label(policy: Policy) -> str:
    """Which cases count: 主办案件, or 主办及协办案件 when the policy counts assisted cases."""
    return "主办及协办案件" if policy.count_assisted_cases else "主办案件"


def to_2dp(value: int | Fraction, *, up: bool = False) -> Decimal:
    hundredths = math.ceil(value * 100) if up else math.floor(value * 100)
    return Decimal(hundredths).scaleb(-2)


def yuan(fen: int | Fraction) -> str:
    """Money for people: 61,234.50 (fen in, rounded down to the fen)."""
    return f"{to_2dp(Fraction(fen, 100)):,.2f}"


def plain(number: Decimal) -> str:
    """A number without needless decimals: 3, 2.5, 1.33, 30,000."""
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0")


def warning_text(warning: RetirementInTerm) -> str:
    """The retirement warning in Chinese, with the date and the term."""
    first, last = warning.term
    return f"将于 {warning.retires_on} 达到退休年龄，在 {first} 至 {last} 任期内"


def grade_text(grade: Grade | None) -> str:
    """初级 / 中级 / 高级, or 无 for no grade."""
    return label(grade) if grade is not None else "无"


def problem_text(problem: Problem) -> str:
    """Why a step of the procedure cannot be taken, in Chinese (lifecycle.ProblemCode)."""
    code = ProblemCode(problem.code)
    if code is ProblemCode.NO_ROUND:
        return f"no round {problem.round!r}; create it first"
    if code is ProblemCode.NO_APPLICATION:
        return f"no application from officer {problem.officer_id} in round {problem.round}"
    if code is ProblemCode.APPOINTED:
        return "已聘任，评定结果不能再改（a decision cannot change an appointment）"
    if code is ProblemCode.OUTSIDE_DATES:
        return (
            f"决定日期 {problem.day} 不在 {problem.first} 至 {problem.last} "
            "之间（评定在审核之后、任期开始之前）"
        )
    if code is ProblemCode.POLICY_LATER:
        return (
            f"policy {problem.version} takes effect on {problem.day}, after "
            f"the evaluation date {problem.first}"
        )
    if code is ProblemCode.NO_REASON:
        return "不同意须说明理由"
    if code is ProblemCode.ABOVE_APPLIED:
        return f"批准级别{grade_text(problem.grade)}高于申报级别{grade_text(problem.applied)}"
    if code is ProblemCode.NOT_ELIGIBLE:
        return f"不符合{grade_text(problem.grade)}条件（按条件最高可评：{grade_text(problem.highest)}）"
    if code is ProblemCode.NO_EXAM:
        return "无考试成绩"
    if code is ProblemCode.EXAM_FAILED:
        return f"考试成绩 {problem.score} 低于合格分数 {problem.pass_mark}"
    if code is ProblemCode.NO_DECISION:
        return "评定委员会尚无决定"
    return f"评定委员会不同意：{problem.reason}"


def problems_text(problems: Iterable[Problem]) -> str:
    """Several problems in one line, joined by "；"."""
    return "；".join(problem_text(problem) for problem in problems)


def ground_text(ground: Ground, policy: Policy) -> str:
    """An annual-review ground with its records, in Chinese, e.g.
    "群众举报 2 次（2027-03-02 …；2027-08-11 …）"."""
    if ground.kind is ReviewKind.ASSESSMENT:
        assessments = [a for a in ground.records if isinstance(a, AnnualAssessment)]
        return "年度考核" + "、".join(f"{a.year}年{label(a.result)}" for a in assessments)
    if ground.kind is ReviewKind.COMPLAINTS:
        counted_in = ground.window or policy.complaints_window  # as recorded, if recorded
        window = "本年度" if counted_in == "year" else "任期内"
        items = "；".join(
            f"{c.date} {c.summary}" for c in ground.records if isinstance(c, Complaint)
        )
        return f"{window}群众举报 {len(ground.records)} 次（{items}）"
    incidents = [i for i in ground.records if isinstance(i, Incident)]
    items = "；".join(f"{i.date} {i.note}".strip() for i in incidents)
    return f"{label(IncidentKind(ground.kind.value))}（{items}）"


def incident_text(incident: Incident) -> str:
    """失职（2027-02-14 未经集体讨论作出处罚）."""
    return f"{label(incident.kind)}（{incident.date} {incident.note}".strip() + "）"


def ending_text(held: Holding) -> str:
    """The last day the grade is held and what ends it: "2028-06-30 止（任期届满）",
    "2027-03-19 止（2027-03-20 达到退休年龄）", "2028-01-09 止（2028-01-10 起淘汰）"."""
    if held.ended_by is Ending.TERM:
        return f"{held.last_day} 止（任期届满）"
    first_day_without = held.last_day + timedelta(days=1)
    if held.ended_by is Ending.RETIREMENT:
        return f"{held.last_day} 止（{first_day_without} 达到退休年龄）"
    if held.ended_by is Ending.DISQUALIFIED:
        return f"{held.last_day} 止（{first_day_without} 起取消资格）"
    return f"{held.last_day} 止（{first_day_without} 起淘汰）"
