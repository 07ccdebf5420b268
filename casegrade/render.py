"""Evaluations as the clerk reads them: Rich tables in Chinese, JSON for scripts, CSV for Excel.

Every character printed is one a GBK console can show (√ × rather than ✓ ✗). Data goes into Rich
as ``Text``, never as markup, so a name with "[" prints as written.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections import Counter
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from rich import box
from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from casegrade.policy import THRESHOLD_KINDS, Policy
from casegrade.records import Case, Honor
from casegrade.rules import (
    CRITERIA,
    Context,
    Evaluation,
    Finding,
    RetirementInTerm,
    honor_exclusion,
    is_big_case,
    typical_exclusion,
)
from casegrade.vocab import Grade, label

# criterion id -> (Chinese label, unit written after a value)
CRITERION_LABELS: dict[str, tuple[str, str]] = {
    "service_years": ("执法年限", "年"),
    "honors": ("市级以上荣誉", "次"),
    "avg_annual_penalty": ("年均罚没金额", "元"),
    "avg_annual_big_cases": ("年均万元以上案件", "件"),
    "provincial_titles": ("省级以上荣誉称号", "次"),
    "typical_case": ("近2年典型案例", "件"),
    "not_retired": ("未达退休年龄", ""),
}
EXCLUSION_LABELS = {
    "not_enforcement": "非执法办案荣誉",
    "after_as_of": "日期在评估日之后",
    "below_level": "级别不足",
    "not_led": "非本人主办",
    "outside_window": "决定日期不在近2年内",
}
YES, NO = "√", "×"
TABLE_BOX = box.SQUARE


# --- numbers --------------------------------------------------------------------------------------


def _to_2dp(value: int | Fraction, *, up: bool = False) -> Decimal:
    """A value to 2 decimals, rounded down (actuals) or up (shortfalls), so that a shown actual
    never looks met when it is not and actual + shortfall reaches the threshold."""
    hundredths = math.ceil(value * 100) if up else math.floor(value * 100)
    return Decimal(hundredths).scaleb(-2)


def _in_units(criterion: str, value: int | Fraction, *, up: bool = False) -> Decimal:
    """A criterion value in its unit: money from fen to yuan, to 2 decimals."""
    if THRESHOLD_KINDS[criterion] == "money":
        value = Fraction(value, 100)
    return _to_2dp(value, up=up)


def yuan(fen: int | Fraction) -> str:
    """Money for people: 61,234.50 (fen in, rounded down to the fen)."""
    return f"{_to_2dp(Fraction(fen, 100)):,.2f}"


def _plain(number: Decimal) -> str:
    """A count without needless decimals: 3, 2.5, 1.33."""
    if number == number.to_integral_value():
        return f"{int(number):,}"
    return f"{number:,.2f}".rstrip("0")


def value_text(criterion: str, value: int | Fraction | bool, *, up: bool = False) -> str:
    """A criterion's value with its unit: "5年", "2.5件", "30,000.00元", "是"."""
    if isinstance(value, bool):
        return "是" if value else "否"
    unit = CRITERION_LABELS[criterion][1]
    number = _in_units(criterion, value, up=up)
    if THRESHOLD_KINDS[criterion] == "money":
        return f"{number:,.2f}{unit}"
    return f"{_plain(number)}{unit}"


def json_number(criterion: str, value: int | Fraction | bool, *, up: bool = False) -> Any:
    """A criterion's value for JSON: bool, or a number in its unit (yuan for money)."""
    if isinstance(value, bool):
        return value
    number = _in_units(criterion, value, up=up)
    return int(number) if number == number.to_integral_value() else float(number)


def short_text(finding: Finding) -> str:
    """How far short an unmet criterion is, e.g. "年均罚没金额 差 1,234.50元"."""
    name = CRITERION_LABELS[finding.criterion][0]
    if finding.criterion == "not_retired":
        return f"已于 {finding.key_date} 达到退休年龄"
    return f"{name} 差 {value_text(finding.criterion, finding.short_by, up=True)}"


def warning_text(warning: RetirementInTerm) -> str:
    first, last = warning.term
    return f"将于 {warning.retires_on} 达到退休年龄，在 {first} 至 {last} 任期内"


def grade_text(grade: Grade | None) -> str:
    return label(grade) if grade is not None else "无"


# --- the round table --------------------------------------------------------------------------


def new_table(title: str, *headers: str, right: tuple[str, ...] = (), **options: Any) -> Table:
    """A table whose cells wrap rather than lose characters when the terminal is narrow."""
    table = Table(title=title, box=TABLE_BOX, title_justify="left", **options)
    for header in headers:
        table.add_column(header, overflow="fold", justify="right" if header in right else "left")
    return table


def evaluation_table(evaluations: list[Evaluation], round_: str, as_of: date) -> Table:
    """One row per application: unit, officer, grade applied, verdict, highest grade, what is short."""
    table = new_table(
        f"{round_}届案件主办人申报评估（评估日 {as_of}）",
        "单位",
        "执法证号",
        "姓名",
        "申报",
        "结论",
        "最高可评",
        "未达标项 / 提示",
    )
    for ev in evaluations:
        notes = [short_text(f) for f in ev.applied if not f.met]
        notes += [f"注：{warning_text(w)}" for w in ev.warnings]
        table.add_row(
            Text(ev.officer.unit),
            Text(ev.officer.officer_id),
            Text(ev.officer.name),
            label(ev.application.grade),
            Text("符合", style="green") if ev.eligible else Text("不符合", style="red"),
            grade_text(ev.highest_eligible_grade),
            Text("\n".join(notes) or "—"),
        )
    return table


def summary_text(evaluations: list[Evaluation]) -> Text:
    """The closing summary: applications, eligible by grade, not eligible, highest grades."""
    eligible = Counter(ev.application.grade for ev in evaluations if ev.eligible)
    highest = Counter(ev.highest_eligible_grade for ev in evaluations)
    failing = sum(not ev.eligible for ev in evaluations)
    by_grade = "，".join(f"{label(g)} {eligible[g]}" for g in Grade)
    best = "，".join(f"{label(g)} {highest[g]}" for g in Grade)
    return Text(
        f"共 {len(evaluations)} 份申报：符合所报级别 {len(evaluations) - failing}（{by_grade}），"
        f"不符合 {failing}。\n按条件最高可评：{best}，无 {highest[None]}。"
    )


# --- one officer in detail --------------------------------------------------------------------


def _explain(finding: Finding, ctx: Context) -> str:
    """Where a value comes from, in words: dates, window, totals."""
    name = CRITERION_LABELS[finding.criterion][0]
    if finding.criterion == "service_years":
        return f"{name}：自执法起始日起算；满{finding.required}年之日 {finding.key_date}"
    if finding.criterion == "not_retired":
        return f"{name}：达到退休年龄之日 {finding.key_date}"
    if finding.window is None:
        return f"{name}：截至 {ctx.as_of} 计 {len(finding.counted)} 项，见荣誉记录"
    first, last = finding.window
    text = f"{name}：决定日期 {first} 至 {last} 的主办案件，计 {len(finding.counted)} 件"
    if finding.criterion == "avg_annual_penalty":
        total = sum(case.penalty_fen for case in finding.counted)
        text += f"，罚没合计 {yuan(total)} 元 ÷ {ctx.policy.window_years} 年"
    elif finding.criterion == "avg_annual_big_cases":
        text += f" ÷ {ctx.policy.window_years} 年"
    elif finding.criterion == "typical_case":
        text += f"（入选级别{label(ctx.policy.typical_min_level)}以上、入选日期不晚于 {ctx.as_of}）"
    return text


def _mark(finding: Finding | None) -> str:
    if finding is None:
        return "—"
    mark = YES if finding.met else NO
    if isinstance(finding.required, bool):
        return mark
    return f"{mark} ≥{value_text(finding.criterion, finding.required)}"


def criteria_table(ev: Evaluation, ctx: Context) -> RenderableType:
    """Every criterion against every grade (actual value, √/× and threshold), then where each
    value comes from."""
    headers = [f"{label(g)}{'*' if g is ev.application.grade else ''}" for g in Grade]
    table = new_table(
        "逐项条件（√ 达标，× 未达标，* 申报级别）",
        "条件",
        "实际",
        *headers,
        right=("实际", *headers),
    )
    by_grade = {grade: {f.criterion: f for f in ev.findings[grade]} for grade in Grade}
    notes = []
    for criterion in CRITERIA:
        findings = [by_grade[grade].get(criterion) for grade in Grade]
        present = [f for f in findings if f is not None]
        if present:
            table.add_row(
                CRITERION_LABELS[criterion][0],
                value_text(criterion, present[0].actual),
                *map(_mark, findings),
            )
            applied = by_grade[ev.application.grade].get(criterion, present[0])
            notes.append(_explain(applied, ctx))
    return Group(table, Text("依据：\n" + "\n".join(f"  {note}" for note in notes)))


def honors_table(ev: Evaluation, ctx: Context) -> Table:
    """Every honor on record, with whether it counts and, if not, why."""
    table = new_table("荣誉记录", "授予日期", "级别", "类别", "荣誉名称", "是否计入")
    for honor in sorted(ev.file.honors, key=lambda h: (h.date, h.name)):
        table.add_row(
            str(honor.date),
            label(honor.level),
            label(honor.kind),
            Text(honor.name),
            _honor_counts(honor, ctx),
        )
    return table


def _honor_counts(honor: Honor, ctx: Context) -> str:
    policy = ctx.policy
    reason = honor_exclusion(honor, ctx, policy.honor_min_level)
    if reason is not None:
        return f"不计入（{EXCLUSION_LABELS[reason]}）"
    counts = "计入荣誉"
    if honor.kind.value == "title" and honor_exclusion(honor, ctx, policy.title_min_level) is None:
        counts += "、省级以上称号"
    return counts


def cases_table(ev: Evaluation, ctx: Context) -> Table:
    """The cases counted in the window, with totals: the records behind the case criteria."""
    counted: tuple[Case, ...] = next(
        (f.counted for f in ev.findings[Grade.JUNIOR] if f.criterion == "avg_annual_penalty"), ()
    )
    first, last = ctx.window
    table = new_table(
        f"计入的案件（决定日期 {first} 至 {last}）",
        "案号",
        "决定日期",
        "案值(元)",
        "罚没(元)",
        "万元以上",
        "典型案例",
        right=("案值(元)", "罚没(元)"),
        show_footer=True,
    )
    footers = [
        f"合计 {len(counted)} 件",
        "",
        yuan(sum(c.case_value_fen for c in counted)),
        yuan(sum(c.penalty_fen for c in counted)),
        f"{sum(is_big_case(c, ctx.policy) for c in counted)} 件",
        "",
    ]
    for column, footer in zip(table.columns, footers, strict=True):
        column.footer = footer
    for case in counted:
        typical = f"{label(case.typical_level)} {case.typical_date}" if case.typical_level else ""
        table.add_row(
            Text(case.case_number),
            str(case.decision_date),
            yuan(case.case_value_fen),
            yuan(case.penalty_fen),
            YES if is_big_case(case, ctx.policy) else "",
            typical,
        )
    return table


def typical_cases_text(ev: Evaluation, ctx: Context) -> Text:
    """Every typical case the officer led or assisted, and whether it counts, or why not."""
    typical = sorted(
        (c for c in ev.file.cases if c.typical_level is not None), key=lambda c: c.decision_date
    )
    lines = []
    for case in typical:
        reason = typical_exclusion(case, ev.officer.officer_id, ctx)
        verdict = "计入" if reason is None else f"不计入（{EXCLUSION_LABELS[reason]}）"
        lines.append(
            f"  {case.case_number}：决定日期 {case.decision_date}，"
            f"{label(case.typical_level)}典型案例，入选日期 {case.typical_date}；{verdict}"
        )
    return Text("典型案例记录：\n" + ("\n".join(lines) if lines else "  无"))


def officer_detail(ev: Evaluation, ctx: Context) -> RenderableType:
    """One application in full: verdict, every criterion for every grade, the records behind them."""
    officer, app = ev.officer, ev.application
    verdict = "符合" if ev.eligible else "不符合"
    head = Text(
        f"{officer.name}（执法证号 {officer.officer_id}，{officer.unit}）\n"
        f"{app.round}届申报{label(app.grade)}（{app.applied_on}），评估日 {ev.as_of}，"
        f"依据政策 {ctx.policy.version}\n"
        f"结论：{verdict}所报级别；按条件最高可评：{grade_text(ev.highest_eligible_grade)}"
    )
    parts: list[RenderableType] = [
        head,
        criteria_table(ev, ctx),
        honors_table(ev, ctx),
        cases_table(ev, ctx),
        typical_cases_text(ev, ctx),
    ]
    parts += [Text(f"注：{warning_text(w)}") for w in ev.warnings]
    return Group(*parts)


# --- scripts ----------------------------------------------------------------------------------


def _evidence(finding: Finding) -> list[str]:
    return [
        record.case_number if isinstance(record, Case) else f"{record.date} {record.name}"
        for record in finding.counted
    ]


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    """One application in the JSON contract (money in yuan), plus short_by and evidence."""
    return {
        "officer_id": ev.officer.officer_id,
        "name": ev.officer.name,
        "unit": ev.officer.unit,
        "applied_grade": ev.application.grade.value,
        "eligible": ev.eligible,
        "highest_eligible_grade": (
            ev.highest_eligible_grade.value if ev.highest_eligible_grade else None
        ),
        "criteria": [
            {
                "id": f.criterion,
                "actual": json_number(f.criterion, f.actual),
                "required": json_number(f.criterion, f.required),
                "met": f.met,
                "short_by": (
                    None if f.short_by is None else json_number(f.criterion, f.short_by, up=True)
                ),
                "evidence": _evidence(f),
            }
            for f in ev.applied
        ],
        "warnings": [warning_text(w) for w in ev.warnings],
    }


def evaluations_json(evaluations: list[Evaluation], round_: str, ctx: Context) -> str:
    """The whole round as JSON text (see README for the contract)."""
    document = {
        "round": round_,
        "as_of": ctx.as_of.isoformat(),
        "policy_version": ctx.policy.version,
        "applications": [evaluation_dict(ev) for ev in evaluations],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def evaluations_csv(evaluations: list[Evaluation]) -> str:
    """One line per application; per criterion its actual, required and met (blank when the
    applied grade does not set it). Money in yuan."""
    fields = [
        "round",
        "officer_id",
        "name",
        "unit",
        "applied_grade",
        "eligible",
        "highest_eligible_grade",
    ]
    for criterion in CRITERIA:
        fields += [criterion, f"{criterion}_required", f"{criterion}_met"]
    fields.append("warnings")
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for ev in evaluations:
        item = evaluation_dict(ev)
        row = {key: item.get(key) for key in fields[1:7]}
        row["round"] = ev.application.round
        for criterion in item["criteria"]:
            row[criterion["id"]] = criterion["actual"]
            row[f"{criterion['id']}_required"] = criterion["required"]
            row[f"{criterion['id']}_met"] = criterion["met"]
        row["warnings"] = "；".join(item["warnings"])
        writer.writerow(row)
    return out.getvalue()


def policy_table(policy: Policy) -> RenderableType:
    """The thresholds in force, grade by grade, and the counting settings."""
    headers = [label(grade) for grade in Grade]
    table = new_table(
        f"评选标准（政策 {policy.version}，{policy.effective} 起施行，来源 {policy.source}）",
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
                cells.append(f"≥{value_text(criterion, required)}")
        table.add_row(CRITERION_LABELS[criterion][0], *cells)
    basis = "案值" if policy.big_case_basis == "case_value" else "罚没金额"
    settings = Text(
        f"近{policy.window_years}年：评估日前 {policy.window_years} 年内（含评估日），年均 = 合计 ÷ "
        f"{policy.window_years}\n"
        f"计入案件：{'主办及协办' if policy.count_assisted_cases else '仅主办'}；"
        f"万元以上案件：{basis} ≥ {yuan(policy.big_case_threshold_fen)} 元\n"
        f"荣誉：{label(policy.honor_min_level)}以上；荣誉称号：{label(policy.title_min_level)}以上；"
        f"典型案例：{label(policy.typical_min_level)}以上；任期 {policy.term_years} 年\n"
        f"案件类型 {len(policy.case_types)} 种："
        + "，".join(f"{name}({label(grade)})" for name, grade in policy.case_types.items())
    )
    return Group(table, settings)
