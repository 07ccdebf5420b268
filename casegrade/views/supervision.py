"""Between selections, as the clerk reads and prints it (Rich, in Chinese): ratings and
rectifications, sanctions, case authority, report quotas, the quarterly bulletin and the bureau's
figures."""

from __future__ import annotations

from datetime import date

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from casegrade.authority import Authority
from casegrade.core.figures import Bulletin, RoundFigures
from casegrade.core.leading import LeadAnswer
from casegrade.core.ratings import RatedOfficer
from casegrade.lifecycle import Holding
from casegrade.policy import Policy
from casegrade.records import Case
from casegrade.views.labels import yuan
from casegrade.views.tables import new_table
from casegrade.vocab import Grade, RatingLevel, label


def rated_text(rated: RatedOfficer) -> str:
    """One rating recorded: "0101 2027H2: fail (限期一季度整改), rectify by 2028-04-10"."""
    rating = rated.rating
    text = f"{rating.officer_id} {rating.period}: {rating.level.value} ({label(rated.outcome)})"
    return text + (f", rectify by {rated.deadline}" if rated.deadline else "")


def ratings_table(found: list[RatedOfficer], period: str) -> RenderableType:
    """A half-year's ratings grouped as the scheme treats them (S2.4): commended, advice,
    rectification with its deadline. None: one sentence."""
    if not found:
        return Text(f"{period} 还没有考核记录。")
    table = new_table(
        f"{period} 半年考核",
        "等次",
        "处理",
        "单位",
        "执法证号",
        "姓名",
        "考核日期",
        "整改期限",
    )
    order = list(RatingLevel)
    for item in sorted(found, key=lambda r: (order.index(r.rating.level), r.officer.officer_id)):
        deadline = item.deadline
        table.add_row(
            label(item.rating.level),
            label(item.outcome),
            Text(item.officer.unit),
            Text(item.officer.officer_id),
            Text(item.officer.name),
            str(item.rating.rated_on),
            str(deadline) if deadline else "",
        )
    counts = {level: sum(r.rating.level is level for r in found) for level in RatingLevel}
    return Group(
        table,
        Text(
            f"表扬 {counts[RatingLevel.EXCELLENT] + counts[RatingLevel.GOOD]} 人（优秀 "
            f"{counts[RatingLevel.EXCELLENT]}，良好 {counts[RatingLevel.GOOD]}），发展建议 "
            f"{counts[RatingLevel.PASS]} 人，限期整改 {counts[RatingLevel.FAIL]} 人。"
        ),
    )


def rectifications_table(
    found: list[RatedOfficer], as_of: date, only_overdue: bool
) -> RenderableType:
    """Open rectifications with their deadlines, overdue ones marked (none: one sentence)."""
    title = "逾期未整改" if only_overdue else "未完成的整改"
    if not found:
        return Text(f"{as_of} 没有{title}。")
    table = new_table(
        f"{title}（{as_of}）",
        "单位",
        "执法证号",
        "姓名",
        "期间",
        "考核日期",
        "整改期限",
        "状态",
    )
    for item in found:
        deadline = item.deadline
        table.add_row(
            Text(item.officer.unit),
            Text(item.officer.officer_id),
            Text(item.officer.name),
            item.rating.period,
            str(item.rating.rated_on),
            str(deadline),
            Text("逾期", style="red") if item.overdue else "整改期内",
        )
    return Group(table, Text(f"共 {len(found)} 人。"))


def sanction_text(held: Holding, after: Grade | None, on: date) -> Text:
    """What a sanction did."""
    who = f"{held.officer.name}（{held.officer.officer_id}）"
    if after is None:
        return Text(f"{who}自 {on} 起取消案件主办人资格。")
    return Text(
        f"{who}自 {on} 起降为{label(after)}案件主办人（{held.appointment.round}届，任期至 "
        f"{held.appointment.term_end}）。"
    )


def authority_lines(
    authority: Authority, case_type: str, value_fen: int, complex_: bool, policy: Policy
) -> list[str]:
    """Which rule of S1.1 decides the grade a case needs."""
    by_type = f"案件类型「{case_type}」→ {label(policy.case_types[case_type])}"
    if complex_:
        by_type += f"；复杂疑难案件 → {label(authority.by_type)}"
    junior, senior = yuan(policy.junior_max_value_fen), yuan(policy.senior_min_value_fen)
    by_value = (
        f"案值 {yuan(value_fen)} 元 → {label(authority.by_value)}（{junior} 元以下初级，"
        f"{senior} 元以上高级，其间中级）"
    )
    decided = {
        "type": "由复杂疑难决定" if complex_ else "由案件类型决定",
        "value": "由案值决定",
        "both": "两者一致",
    }
    return [
        by_type,
        by_value,
        f"所需级别：{label(authority.required)}（取两者中较高者，{decided[authority.decided_by]}）",
    ]


def lead_answer_text(
    answer: LeadAnswer, case_type: str, value_fen: int, complex_: bool, policy: Policy
) -> Text:
    """The can-lead answer with its reasons."""
    held = label(answer.grade) if answer.grade else "无级别"
    needed = label(answer.authority.required)
    if not answer.allowed:
        verdict = f"结论：不可主办：所需级别为{needed}，当时{held}。"
    elif answer.grade is not answer.authority.required:
        verdict = f"结论：可以主办：{held}高于所需的{needed}，上一级可以主办下一级权限的案件。"
    else:
        verdict = "结论：可以主办。"
    lines = [
        f"{answer.officer.name}（{answer.officer.officer_id}）于 {answer.on} 持有：{held}",
        *authority_lines(answer.authority, case_type, value_fen, complex_, policy),
        verdict,
    ]
    return Text("\n".join(lines))


def lead_check_table(found: list[tuple[Case, LeadAnswer]]) -> RenderableType:
    """Cases led by someone whose grade on the decision date was too low (none: one
    sentence)."""
    if not found:
        return Text("没有主办人级别不足的案件。")
    table = new_table(
        "主办人级别不足的案件",
        "决定日期",
        "案号",
        "案件类型",
        "案值(元)",
        "主办人",
        "当时级别",
        "所需级别",
        right=("案值(元)",),
    )
    for case, answer in found:
        table.add_row(
            str(case.decision_date),
            Text(case.case_number),
            Text(case.case_type),
            yuan(case.case_value_fen),
            Text(f"{answer.officer.name}（{answer.officer.officer_id}）"),
            label(answer.grade) if answer.grade else "无",
            label(answer.authority.required),
        )
    return Group(table, Text(f"共 {len(found)} 件。"))


def reports_table(
    found: list[tuple[Holding, int]], year: int, quota: int, only_short: bool
) -> RenderableType:
    """Research reports per holder in a year, against the quota."""
    rows = [(h, n) for h, n in found if not only_short or n < quota]
    if not found:
        return Text(f"{year}年没有在任的案件主办人。")
    if not rows:
        return Text(f"{year}年在任 {len(found)} 人，调研报告都不少于 {quota} 篇。")
    title = f"{year}年调研报告" + (
        f"（不足 {quota} 篇）" if only_short else f"（每人每年不少于 {quota} 篇）"
    )
    table = new_table(
        title,
        "级别",
        "单位",
        "执法证号",
        "姓名",
        "篇数",
        "差",
        right=("篇数", "差"),
    )
    year_end = date(year, 12, 31)
    for held, count in rows:
        grade = held.grade_on(min(held.last_day, year_end))
        table.add_row(
            label(grade) if grade else "—",
            Text(held.officer.unit),
            Text(held.officer.officer_id),
            Text(held.officer.name),
            str(count),
            str(max(quota - count, 0)),
        )
    short = sum(n < quota for _, n in found)
    return Group(table, Text(f"在任 {len(found)} 人，不足 {quota} 篇 {short} 人。"))


def bulletin_table(found: Bulletin) -> RenderableType:
    """季通报: per holder the number, nature (types), case value and penalty of cases led, with
    the totals of all of them. No holder in the quarter: one sentence."""
    if not found.rows:
        return Text(f"{found.quarter}（{found.first} 至 {found.last}）没有在任的案件主办人。")
    amounts = ("案值(元)", "罚没(元)")
    table = new_table(
        f"{found.quarter} 案件主办人办案情况通报（{found.first} 至 {found.last}）",
        "级别",
        "单位",
        "执法证号",
        "姓名",
        "件数",
        "案件性质",
        *amounts,
        right=("件数", *amounts),
        show_footer=True,
    )
    for held, cases in found.rows:
        types: dict[str, int] = {}
        for case in cases:
            types[case.case_type] = types.get(case.case_type, 0) + 1
        grade = held.grade_on(min(held.last_day, found.last))
        shown = label(grade) if grade else "—"
        if held.last_day < found.last:
            shown += f"（至 {held.last_day}）"
        table.add_row(
            shown,
            Text(held.officer.unit),
            Text(held.officer.officer_id),
            Text(held.officer.name),
            str(len(cases)),
            Text("、".join(f"{t}{n}" for t, n in types.items()) or "—"),
            yuan(sum(c.case_value_fen for c in cases)),
            yuan(sum(c.penalty_fen for c in cases)),
        )
    footers = [
        "合计",
        "",
        "",
        f"{len(found.rows)} 人",
        str(len(found.cases)),
        "",
        yuan(found.value_fen),
        yuan(found.penalty_fen),
    ]
    for column, footer in zip(table.columns, footers, strict=True):
        column.footer = footer
    return table


def figures_text(figures: RoundFigures) -> Text:
    """The round in the shape of the bureau's account (S3.1)."""
    units = [f"{len(figures.offices)}处所"] if figures.offices else []
    if figures.sections:
        names = "、".join(s.removesuffix("科") for s in figures.sections)
        units.append(f"{names}{len(figures.sections)}个执法科室")
    appointed = figures.appointed
    posts = appointed[Grade.INTERMEDIATE] + appointed[Grade.SENIOR]
    return Text(
        f"{figures.round}届：{'和'.join(units)}共{figures.applicants}名执法办案人员报名参评，"
        f"经评定委员会集中审核考评，{appointed[Grade.JUNIOR]}人被聘为初级案件主办人，"
        f"{appointed[Grade.INTERMEDIATE]}人被评为中级案件主办人，{appointed[Grade.SENIOR]}人"
        f"被评为高级案件主办人；其中{posts}人按中级、高级挂行政职务。届中年度考核淘汰"
        f"{figures.eliminated}人，因失职等降级或取消资格{figures.sanctioned}人。"
    )


def units_table(figures: RoundFigures) -> Table:
    """Applicants and appointments by unit."""
    headers = [label(g) for g in Grade]
    table = new_table(
        f"{figures.round}届各单位申报与聘任",
        "单位",
        "申报",
        *headers,
        "聘任合计",
        right=("申报", *headers, "聘任合计"),
        show_footer=True,
    )
    for unit, (applied, grades) in figures.by_unit.items():
        table.add_row(
            Text(unit), str(applied), *(str(grades[g]) for g in Grade), str(sum(grades.values()))
        )
    footers = [
        "合计",
        str(figures.applicants),
        *(str(figures.appointed[g]) for g in Grade),
        str(sum(figures.appointed.values())),
    ]
    for column, footer in zip(table.columns, footers, strict=True):
        column.footer = footer
    return table
