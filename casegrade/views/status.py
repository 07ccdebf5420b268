"""`casegrade status` and `casegrade officers` in words: the database at a glance, and officers
found by name, as tables or JSON."""

from __future__ import annotations

import json
from pathlib import PurePath
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.core.status import RoundState, Status
from casegrade.records import Officer
from casegrade.views.tables import new_table
from casegrade.vocab import label

# each record table as the clerk calls what it holds
TABLE_NAMES = {
    "officers": "执法人员",
    "honors": "荣誉",
    "cases": "案件",
    "applications": "申报",
    "rounds": "届次",
    "exams": "考试成绩",
    "decisions": "评定结果",
    "appointments": "聘任",
    "assessments": "年度考核",
    "complaints": "群众举报",
    "incidents": "失误与违纪",
    "evaluations": "资格审查记录",
    "sanctions": "届中处理",
    "ratings": "半年考核",
    "reports": "调研报告",
    "trainings": "教育培训",
}
ROUND_STATES = {
    RoundState.APPLYING: "申报、审查中",
    RoundState.DECIDING: "已评定，未聘任",
    RoundState.APPOINTED: "已聘任",
}


def status_view(found: Status) -> RenderableType:
    """The database, its record counts, its rounds and the last import of each kind."""
    size = f"{found.size_bytes / 1_000_000:,.1f} MB"
    head = Text(
        f"数据库：{found.path}（{size}）\n"
        f"数据结构：{found.schema}；政策版本：{found.policy_version}"
    )
    counts = new_table("记录", "类别", "条数", right=("条数",))
    for table, count in found.counts.items():
        counts.add_row(TABLE_NAMES[table], f"{count:,}")
    parts: list[RenderableType] = [head, counts]
    if found.rounds:
        rounds = new_table(
            "届次",
            "届次",
            "审查日",
            "任期",
            "申报",
            "评定",
            "聘任",
            "状态",
            right=("申报", "评定", "聘任"),
        )
        for item in found.rounds:
            r = item.round
            rounds.add_row(
                r.round,
                str(r.evaluate_on),
                f"{r.term_start} 至 {r.term_end}",
                f"{item.applications:,}",
                f"{item.decisions:,}",
                f"{item.appointments:,}",
                ROUND_STATES[item.state],
            )
        parts.append(rounds)
    else:
        parts.append(Text("还没有届次（casegrade round create）。"))
    if found.imports:
        imports = new_table("最近一次导入", "类别", "时间", "操作人", "文件")
        for last in found.imports:
            imports.add_row(
                TABLE_NAMES.get(last.table, last.table),
                last.at.replace("T", " "),
                last.user,
                PurePath(last.file).name,  # the whole path in JSON
            )
        parts.append(imports)
    else:
        parts.append(Text("还没有导入过文件。"))
    return Group(*parts)


def status_json(found: Status) -> str:
    """The status as JSON: {"path", "size_bytes", "schema", "policy_version", "counts",
    "rounds": [{"round", "evaluate_on", "term_start", "term_end", "applications",
    "decisions", "appointments", "state"}], "imports": [{"table", "at", "user", "file"}]}."""
    document: dict[str, Any] = {
        "path": str(found.path),
        "size_bytes": found.size_bytes,
        "schema": found.schema,
        "policy_version": found.policy_version,
        "counts": found.counts,
        "rounds": [
            {
                "round": item.round.round,
                "evaluate_on": item.round.evaluate_on.isoformat(),
                "term_start": item.round.term_start.isoformat(),
                "term_end": item.round.term_end.isoformat(),
                "applications": item.applications,
                "decisions": item.decisions,
                "appointments": item.appointments,
                "state": item.state.value,
            }
            for item in found.rounds
        ],
        "imports": [
            {"table": last.table, "at": last.at, "user": last.user, "file": last.file}
            for last in found.imports
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def officers_view(found: list[Officer], part: str | None) -> RenderableType:
    """The officers found, a row each; one sentence when there is none."""
    if not found:
        return Text(f"没有姓名含“{part}”的执法人员。" if part else "还没有执法人员。")
    title = (
        f"姓名含“{part}”的执法人员（{len(found)} 人）" if part else f"执法人员（{len(found)} 人）"
    )
    table = new_table(
        title,
        "执法证号",
        "姓名",
        "性别",
        "单位",
        "执法起始日期",
    )
    for officer in found:
        table.add_row(
            officer.officer_id,
            officer.name,
            label(officer.sex),
            officer.unit,
            str(officer.enforcement_start),
        )
    return table


def officers_json(found: list[Officer]) -> str:
    """The officers found as JSON: [{"officer_id", "name", "sex", "unit", "enforcement_start"}]
    (no ID numbers)."""
    return json.dumps(
        [
            {
                "officer_id": o.officer_id,
                "name": o.name,
                "sex": o.sex.value,
                "unit": o.unit,
                "enforcement_start": o.enforcement_start.isoformat(),
            }
            for o in found
        ],
        ensure_ascii=False,
        indent=2,
    )
