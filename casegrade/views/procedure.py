"""Appointment (聘) as the clerk reads it: who was appointed, who was kept from an earlier run, and
every refusal with its reasons.
"""

from __future__ import annotations

from collections import Counter

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.core.procedure import AppointmentResult
from casegrade.errors import Refused
from casegrade.records import Decision
from casegrade.views.labels import problems_text
from casegrade.views.tables import new_table
from casegrade.vocab import Grade, label


def appointment_text(result: AppointmentResult, round_: str) -> RenderableType:
    """The appointments made, those kept from an earlier run, and every refusal with reasons."""
    table = new_table(
        f"{round_}届未予聘任",
        "单位",
        "执法证号",
        "姓名",
        "申报",
        "原因",
    )
    for evaluation, reasons in result.refused:
        table.add_row(
            Text(evaluation.officer.unit),
            Text(evaluation.officer.officer_id),
            Text(evaluation.officer.name),
            label(evaluation.application.grade),
            Text(problems_text(reasons)),
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


def refusal_text(refused: Refused) -> str:
    """Why the rules refuse a step, naming the application: "officer 0101, round 2026: …"."""
    first = refused.problems[0]
    return f"officer {first.officer_id}, round {first.round}: {problems_text(refused.problems)}"


def decision_text(decision: Decision) -> str:
    """A decision recorded: "round 2026, officer 0107: approved junior on 2026-06-30, recorded
    by root" (a recorded approval always has its grade: the one given, else the one applied for)."""
    grade = decision.grade.value if decision.grade is not None else ""
    verdict = f"approved {grade}" if decision.approved else "rejected"
    return (
        f"round {decision.round}, officer {decision.officer_id}: {verdict} on "
        f"{decision.decided_on}, recorded by {decision.recorded_by}"
    )
