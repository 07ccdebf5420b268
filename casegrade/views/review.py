"""The annual review (S1.3) and the yearly renewal as the clerk reads them: who is eliminated on which
grounds with their records, who stays, whose grade ended by itself.
"""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.core.review import RenewResult, ReviewResult
from casegrade.policy import Policy
from casegrade.views.labels import ending_text, ground_text, incident_text
from casegrade.views.tables import new_table
from casegrade.vocab import label


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
    )
    for held, grounds, others in result.rows:
        if only_eliminated and not grounds:
            continue
        notes = [ground_text(g, policy) for g in grounds]
        notes += [f"另有{incident_text(i)}：属激励制约处理，不是淘汰事由" for i in others]
        grade = held.grade_on(result.on)
        # the rows are holdings in force on result.on, which end before a disqualification
        assert grade is not None
        table.add_row(
            label(grade),
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
