"""Who holds which grade, as the clerk reads and prints it (Rich, in Chinese): rosters, expiring
terms and an officer's history, each event worded here."""

from __future__ import annotations

from collections import Counter
from datetime import date

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.core.holdings import Event, EventKind
from casegrade.lifecycle import Ending, Holding
from casegrade.policy import Policy
from casegrade.views.labels import ending_text, grade_text, ground_text
from casegrade.views.tables import new_table
from casegrade.vocab import Grade, label


def grade_counts(found: list[Holding], day: date) -> str:
    """高级 12，中级 33，初级 79: the grades held on ``day``."""
    counts = Counter(h.grade_on(day) for h in found)
    return "，".join(f"{label(g)} {counts[g]}" for g in reversed(Grade))


def roster_table(found: list[Holding], as_of: date, policy: Policy) -> RenderableType:
    """The holders on a day: grade, what it brings (S1.4), unit, officer, term end, and a note
    when the grade ends before the term does. The rounds are named in the title. None: one
    sentence."""
    if not found:
        return Text(f"{as_of} 没有在任的案件主办人。")
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
    )
    for held in found:
        a = held.appointment
        grade = held.grade_on(as_of)
        # found holds holdings in force on as_of, and a holding ends before it is disqualified
        assert grade is not None
        note = ending_text(held) if held.ended_by is not Ending.TERM else ""
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
    """Holders whose grade ends within the coming days (none: one sentence)."""
    if not found:
        return Text(f"{as_of} 起 {days} 天内没有到期的级别。")
    table = new_table(
        f"{as_of} 起 {days} 天内终止的级别",
        "终止",
        "级别",
        "单位",
        "执法证号",
        "姓名",
        "届次",
    )
    for held in found:
        grade = held.grade_on(as_of)
        # found holds holdings in force on as_of, and a holding ends before it is disqualified
        assert grade is not None
        table.add_row(
            ending_text(held),
            label(grade),
            Text(held.officer.unit),
            Text(held.officer.officer_id),
            Text(held.officer.name),
            held.appointment.round,
        )
    return Group(table, Text(f"共 {len(found)} 人。"))


def event_words(event: Event, policy: Policy) -> tuple[str, str]:
    """What an event is and its detail, in Chinese: ("评定同意中级", "理由 …")."""
    later = "（预定）" if event.scheduled else ""
    kind = event.kind
    if kind is EventKind.APPLIED:
        return f"申报{grade_text(event.grade)}", ""
    if kind is EventKind.EXAM and event.exam is not None:
        return "考试", f"成绩 {event.exam.score}（{'合格' if event.passed else '不合格'}）"
    if kind is EventKind.APPROVED:
        return f"评定同意{grade_text(event.grade)}", event.reason
    if kind is EventKind.REJECTED:
        return "评定不同意", event.reason
    if kind is EventKind.APPOINTED and event.appointment is not None:
        a = event.appointment
        return f"聘任{grade_text(a.grade)}", (
            f"任期 {a.term_start} 至 {a.term_end}，政策 {a.policy_version}"
        )
    if kind in (EventKind.DEMOTED, EventKind.DISQUALIFIED) and event.sanction is not None:
        what = f"降为{grade_text(event.grade)}" if kind is EventKind.DEMOTED else "取消资格"
        detail = f"{label(event.sanction.kind)}：{event.sanction.note}".rstrip("：")
        return what + later, detail
    if kind is EventKind.ELIMINATED:
        detail = "；".join(ground_text(g, policy) for g in event.grounds) or event.reason
        return "淘汰", detail
    if kind is EventKind.RETIRED:
        return f"达到退休年龄，级别终止{later}", ""
    return f"任期届满，自动终止{later}", "须在下一届重新申报"


def history_table(
    officer_id: str, name: str, events: list[Event], policy: Policy
) -> RenderableType:
    """An officer's grades over time."""
    table = new_table(f"{name}（{officer_id}）级别履历", "日期", "事项", "届次", "说明")
    for event in events:
        what, detail = event_words(event, policy)
        table.add_row(str(event.on), what, event.round, Text(detail))
    return table if events else Text(f"{name}（{officer_id}）没有申报或级别记录。")
