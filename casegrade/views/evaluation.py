"""Evaluations as the clerk reads and prints them: Rich tables and text in Chinese.

Every character is one a GBK console can show. Data and titles go into Rich as ``Text``, never as
markup, so a name or path with "[" prints as written. Cells wrap rather than lose characters.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from casegrade.rules import (
    CRITERIA,
    Context,
    Evaluation,
    Finding,
)
from casegrade.views.criteria import criterion_label, explanation, short_text, value_text
from casegrade.views.labels import (
    NO,
    YES,
    big_case_words,
    counted_cases_label,
    exclusion_label,
    grade_text,
    warning_text,
    yuan,
)
from casegrade.views.tables import new_table
from casegrade.vocab import Grade, label

# --- the round table --------------------------------------------------------------------------


def evaluation_table(evaluations: list[Evaluation], round_: str, ctx: Context) -> Table:
    """One row per application: unit, officer, grade applied, verdict, highest grade, what is short."""
    first, last = ctx.term
    table = new_table(
        f"{round_}届案件主办人申报评估（评估日 {ctx.as_of}，任期 {first} 至 {last}，"
        f"政策 {ctx.policy.version}）",
        "单位",
        "执法证号",
        "姓名",
        "申报",
        "结论",
        "最高可评",
        "未达标项 / 提示",
    )
    for ev in evaluations:
        notes = [short_text(f, ctx.policy) for f in ev.applied if not f.met]
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


def _mark(finding: Finding | None) -> str:
    if finding is None:
        return "—"
    mark = YES if finding.met else NO
    if isinstance(finding.required, bool):
        return mark
    return f"{mark}≥{value_text(finding.criterion, finding.required, cents=False)}"


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
                criterion_label(criterion, ctx.policy),
                value_text(criterion, present[0].actual),
                *map(_mark, findings),
            )
            applied = by_grade[ev.application.grade].get(criterion, present[0])
            notes.append(explanation(applied, ctx))
    return Group(table, Text("依据：\n" + "\n".join(f"  {note}" for note in notes)))


def honors_table(ev: Evaluation, ctx: Context) -> Table:
    """Every honor on record, with what it counts towards or why it does not count."""
    table = new_table(
        "荣誉记录",
        "授予日期",
        "级别",
        "类别",
        "荣誉名称",
        "是否计入",
    )
    for found in ev.records.honors:
        honor = found.honor
        if found.excluded is None:
            counts = "计入" + ("，并计入荣誉称号" if found.title else "")
        else:
            counts = f"不计入（{exclusion_label(found.excluded, ctx.policy)}）"
        table.add_row(
            str(honor.date), label(honor.level), label(honor.kind), Text(honor.name), counts
        )
    return table


def cases_table(ev: Evaluation, ctx: Context) -> Table:
    """The cases counted in the window, with totals: the records behind the case criteria
    (typical cases are listed apart, by typical_cases_text)."""
    counted, big = ev.records.cases, set(ev.records.big_cases)
    first, last = ctx.window
    amounts = ("案值(元)", "罚没(元)")
    table = new_table(
        f"计入的{counted_cases_label(ctx.policy)}（决定日期 {first} 至 {last}）",
        "案号",
        "决定日期",
        *amounts,
        big_case_words(ctx.policy).removesuffix("案件"),
        right=amounts,
        show_footer=True,
    )
    footers = [
        f"合计 {len(counted)} 件",
        "",
        yuan(sum(c.case_value_fen for c in counted)),
        yuan(sum(c.penalty_fen for c in counted)),
        f"{len(ev.records.big_cases)} 件",
    ]
    for column, footer in zip(table.columns, footers, strict=True):
        column.footer = footer
    for case in counted:
        table.add_row(
            Text(case.case_number),
            str(case.decision_date),
            yuan(case.case_value_fen),
            yuan(case.penalty_fen),
            YES if case in big else "",
        )
    return table


def typical_cases_text(ev: Evaluation, ctx: Context) -> Text:
    """Every typical case the officer led or assisted, and whether it counts, or why not."""
    lines = []
    for found in ev.records.typical:
        case, reason = found.case, found.excluded
        level = label(case.typical_level) if case.typical_level is not None else ""
        verdict = "计入" if reason is None else f"不计入（{exclusion_label(reason, ctx.policy)}）"
        lines.append(
            f"  {case.case_number}：决定日期 {case.decision_date}，"
            f"{level}典型案例，入选日期 {case.typical_date}；{verdict}"
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
