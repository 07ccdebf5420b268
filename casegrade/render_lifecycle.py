"""Grades through their life, as the clerk reads and prints them: rosters, expiring terms,
appointment results, annual reviews, renewals and an officer's history (Rich, in Chinese)."""

from __future__ import annotations

from collections import Counter
from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.appointing import AppointmentResult
from casegrade.labels import ending_text, ground_text, incident_text
from casegrade.lifecycle import Holding
from casegrade.policy import Policy
from casegrade.render import new_table
from casegrade.reviewing import Event, RenewResult, ReviewResult
from casegrade.vocab import Grade, label


def grade_counts(found: list[Holding], day: date) -> str:
    """高级 12，中级 33，初级 79: the grades held on ``day``."""
    counts = Counter(h.grade_on(day) for h in found)
    return "，".join(f"{label(g)} {counts[g]}" for g in reversed(Grade))


def roster_table(found: list[Holding], as_of: date, policy: Policy) -> RenderableType:
    """The holders on a day: grade, what it brings (S1.4), unit, officer, term end, and a note
    when the grade ends before the term does. The rounds are named in the title."""
    rounds = "、".join(sorted({h.appointment.round for h in found})) or "—"
    table = new_table(
        f"案件主办人名册（{as_of}，{rounds}届）",
        "级别",
        "待遇",
        "单位",
        "执法证号",
        "姓名",
        "任期至",
        "备注",
        no_wrap=("执法证号", "任期至"),
    )
    for held in found:
        a = held.appointment
        grade = held.grade_on(as_of)
        note = ending_text(held) if held.ended_by != "term" else ""
        if grade is not a.grade:
            note = "\n".join(filter(None, [f"聘任{label(a.grade)}，因处分降级", note]))
        table.add_row(
            label(grade),
            policy.cadre_status[grade],
            Text(held.officer.unit),
            Text(a.officer_id),
            Text(held.officer.name),
            str(a.term_end),
            note,
        )
    return Group(table, Text(f"共 {len(found)} 人：{grade_counts(found, as_of)}。"))


def expiring_table(found: list[Holding], as_of: date, days: int) -> RenderableType:
    """Holders whose grade ends within the coming days."""
    table = new_table(
        f"{as_of} 起 {days} 天内终止的级别",
        "终止",
        "级别",
        "单位",
        "执法证号",
        "姓名",
        "届次",
        no_wrap=("执法证号",),
    )
    for held in found:
        table.add_row(
            ending_text(held),
            label(held.grade_on(as_of)),
            Text(held.officer.unit),
            Text(held.officer.officer_id),
            Text(held.officer.name),
            held.appointment.round,
        )
    return Group(table, Text(f"共 {len(found)} 人。"))


def appointment_text(result: AppointmentResult, round_: str) -> RenderableType:
    """The appointments made, those kept from an earlier run, and every refusal with reasons."""
    table = new_table(
        f"{round_}届未予聘任",
        "单位",
        "执法证号",
        "姓名",
        "申报",
        "原因",
        no_wrap=("执法证号", "申报"),
    )
    for evaluation, reasons in result.refused:
        table.add_row(
            Text(evaluation.officer.unit),
            Text(evaluation.officer.officer_id),
            Text(evaluation.officer.name),
            label(evaluation.application.grade),
            Text("；".join(reasons)),
        )
    summary = appointment_summary(result, round_)
    return Group(table, summary) if result.refused else summary


def appointment_summary(result: AppointmentResult, round_: str) -> Text:
    """One line: appointed by grade, new and kept, and how many were not appointed."""
    appointed = [*result.appointed, *result.kept]
    counts = Counter(a.grade for a in appointed)
    by_grade = "，".join(f"{label(g)} {counts[g]}" for g in Grade)
    return Text(
        f"{round_}届聘任 {len(appointed)} 人（{by_grade}）：本次新聘 "
        f"{len(result.appointed)} 人，此前已聘 {len(result.kept)} 人；"
        f"未予聘任 {len(result.refused)} 人。"
    )


def review_table(
    result: ReviewResult, policy: Policy, only_eliminated: bool = False
) -> RenderableType:
    """Each holder reviewed, the eliminated first: stays or is eliminated, with every ground and
    its records, and the year's incidents that are not grounds; then those whose grade had
    already ended with retirement."""
    state = "已执行" if result.applied else "试运行，未作更改"
    table = new_table(
        f"{result.round}届 {result.year}年度考核（{result.on}，{state}）",
        "级别",
        "单位",
        "执法证号",
        "姓名",
        "结论",
        "依据",
        no_wrap=("执法证号",),
    )
    for held, grounds, others in result.rows:
        if only_eliminated and not grounds:
            continue
        notes = [ground_text(g, policy) for g in grounds]
        notes += [f"另有{incident_text(i)}：属激励制约处理，不是淘汰事由" for i in others]
        table.add_row(
            label(held.grade_on(result.on)),
            Text(held.officer.unit),
            Text(held.officer.officer_id),
            Text(held.officer.name),
            Text("淘汰", style="red") if grounds else "保留",
            Text("\n".join(notes) or "—"),
        )
    lines = [
        f"{result.round}届 {result.year}年度考核：考核 {len(result.rows)} 人，淘汰 "
        f"{len(result.eliminated)} 人。"
    ]
    lines += [
        f"{held.officer.name}（{held.officer.officer_id}）{ending_text(held)}，无须淘汰。"
        for held in result.ended
    ]
    if result.done_before is not None:
        lines.append(
            f"本年度考核已于 {result.done_before['applied_on']} 执行，已淘汰 "
            f"{result.done_before['eliminated']} 人；此次只列出尚在任者。"
        )
    if not result.applied and result.eliminated:
        lines.append("加 --apply 记录淘汰（级别自考核日起终止）。")
    parts: list[RenderableType] = [Text("\n".join(lines))]
    if table.row_count:
        parts.insert(0, table)
    return Group(*parts)


def renew_text(result: RenewResult, as_of: date, policy: Policy, applied: bool) -> RenderableType:
    """What the yearly renewal found and did; reviews show only those eliminated."""
    lines = [f"续期检查（{as_of}，{'已执行' if applied else '试运行，未作更改'}）"]
    for round_, ended in sorted(result.ended.items()):
        lines.append(
            f"{round_}届任期已于 {ended[0].appointment.term_end} 届满：{len(ended)} 人的"
            "级别自动终止，须在下一届重新申报。"
        )
    if not result.reviews:
        lines.append("没有可执行的年度考核（没有在任期内且已结束的年度）。")
    parts: list[RenderableType] = [Text("\n".join(lines))]
    parts += [review_table(review, policy, only_eliminated=True) for review in result.reviews]
    if not applied and any(review.eliminated for review in result.reviews):
        parts.append(Text("加 --apply 执行以上年度考核。"))
    return Group(*parts)


def history_table(officer_id: str, name: str, events: list[Event]) -> RenderableType:
    """An officer's grades over time."""
    table = new_table(
        f"{name}（{officer_id}）级别履历", "日期", "事项", "届次", "说明", no_wrap=("日期",)
    )
    for event in events:
        table.add_row(str(event.on), event.what, event.round, Text(event.detail))
    return table if events else Text(f"{name}（{officer_id}）没有申报或级别记录。")
