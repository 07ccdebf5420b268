"""一人一档 for people: the officer's file as sections of rows for the screen (Rich) and as one
self-contained printable A4 HTML page.
"""

from __future__ import annotations

import html
import re

from rich.console import Group, RenderableType
from rich.text import Text

from casegrade.core.personal_file import PersonalFile
from casegrade.idnumber import mask_id_number
from casegrade.views.labels import ending_text, grade_text, yuan
from casegrade.views.tables import new_table
from casegrade.vocab import label, yes_no


def sections(file: PersonalFile, show_id: bool) -> list[tuple[str, list[str], list[list[str]]]]:
    """The file as (title, headers, rows of text) sections, shared by every output format."""
    o = file.officer
    id_text = (o.id_number or "") if show_id else mask_id_number(o.id_number)
    basic = [
        ["执法证号", o.officer_id],
        ["姓名", o.name],
        ["性别", label(o.sex)],
        ["出生日期", str(o.birth_date)],
        ["身份证号", id_text or "—"],
        ["单位", o.unit],
        ["职务", o.position or "—"],
        ["执法起始日期", str(o.enforcement_start)],
        ["执法年限", f"{file.service_years}年（截至 {file.as_of}）"],
        ["当前级别", grade_text(file.grade)],
        ["达到退休年龄之日", str(file.retires_on)],
    ]
    grades = [
        [
            h.appointment.round,
            label(h.appointment.grade),
            str(h.appointment.term_start),
            ending_text(h),
            "；".join(
                f"{s.effective_on} {label(s.kind)}，" + (f"降为{label(g)}" if g else "取消资格")
                for s, g in h.steps
            )
            or "—",
        ]
        for h in file.holdings
    ]
    outcomes = {
        s: f"降为{label(after)}" if after else "取消资格"
        for h in file.holdings
        for s, after in h.steps
    }
    return [
        ("基本情况", ["项目", "内容"], basic),
        ("级别履历", ["届次", "聘任级别", "任期开始", "终止", "处分"], grades),
        (
            "荣誉",
            ["授予日期", "级别", "类别", "荣誉名称", "执法相关"],
            [
                [str(h.date), label(h.level), label(h.kind), h.name, yes_no(h.enforcement_related)]
                for h in file.honors
            ],
        ),
        (
            "主办案件（按决定年度）",
            ["年度", "件数", "案值(元)", "罚没(元)", "万元以上", "典型案例"],
            [
                [
                    str(c.year),
                    str(c.count),
                    yuan(c.value_fen),
                    yuan(c.penalty_fen),
                    str(c.big),
                    str(c.typical),
                ]
                for c in file.cases
            ],
        ),
        ("考试", ["届次", "成绩"], [[e.round, str(e.score)] for e in file.exams]),
        (
            "半年考核",
            ["期间", "等次", "考核日期", "整改完成", "意见"],
            [
                [r.period, label(r.level), str(r.rated_on), str(r.rectified_on or "—"), r.note]
                for r in file.ratings
            ],
        ),
        ("年度考核", ["年度", "结果"], [[str(a.year), label(a.result)] for a in file.assessments]),
        (
            "群众举报",
            ["日期", "内容", "查无实据"],
            [[str(c.date), c.summary, yes_no(c.dismissed)] for c in file.complaints],
        ),
        (
            "严重失误、不服从安排等记录",
            ["日期", "类别", "说明"],
            [[str(i.date), label(i.kind), i.note] for i in file.incidents],
        ),
        (
            "处分",
            ["日期", "类别", "处理", "说明"],
            [
                [str(s.effective_on), label(s.kind), outcomes.get(s, "资格已取消"), s.note]
                for s in file.sanctions
            ],
        ),
        (
            "教育培训",
            ["日期", "内容", "学时"],
            [[str(t.date), t.title, str(t.hours or "—")] for t in file.trainings],
        ),
        ("调研报告", ["日期", "题目"], [[str(r.date), r.title] for r in file.reports]),
    ]


def _cell(text: str) -> str:
    """A table cell; a date never breaks across lines."""
    kind = ' class="date"' if DATE_CELL.fullmatch(text) else ""
    return f"<td{kind}>{html.escape(text)}</td>"


def html_page(file: PersonalFile, show_id: bool) -> str:
    """The file as one self-contained, printable A4 HTML page (UTF-8, no network resources)."""
    o = file.officer
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN">',
        "<head>",
        '<meta charset="utf-8">',
        f"<title>{html.escape(f'案件主办人档案 {o.name} {o.officer_id}')}</title>",
        f"<style>{PAGE_STYLE}</style>",
        "</head>",
        "<body>",
        "<h1>案件主办人个人档案（一人一档）</h1>",
    ]
    for title, headers, rows in sections(file, show_id):
        parts.append(f"<h2>{html.escape(title)}</h2>")
        if not rows:
            parts.append('<p class="empty">无记录</p>')
            continue
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        body = "".join("<tr>" + "".join(_cell(cell) for cell in row) + "</tr>" for row in rows)
        parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    parts += [
        f"<footer>截至 {file.as_of}；法制科案件主办人信息库（casegrade）生成。</footer>",
        "</body>",
        "</html>",
    ]
    return "\n".join(parts) + "\n"


def personal_file_view(file: PersonalFile, show_id: bool) -> RenderableType:
    """The personal file as tables, one per section."""
    parts: list[RenderableType] = [Text("案件主办人个人档案（一人一档）")]
    for title, headers, rows in sections(file, show_id):
        if not rows:
            parts.append(Text(f"{title}：无记录"))
            continue
        table = new_table(title, *headers)
        for row in rows:
            table.add_row(*(Text(cell) for cell in row))
        parts.append(table)
    return Group(*parts)


PAGE_STYLE = """
@page { size: A4; margin: 15mm; }
body { font-family: "SimSun", "Songti SC", "Noto Serif CJK SC", "Noto Sans CJK SC",
       "Microsoft YaHei", "WenQuanYi Zen Hei", serif; font-size: 10.5pt; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 4mm; }
h2 { font-size: 12pt; margin: 5mm 0 2mm; border-bottom: 1px solid #000; }
table { width: 100%; border-collapse: collapse; page-break-inside: auto; }
th, td { border: 1px solid #444; padding: 1mm 2mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.date { white-space: nowrap; }
tr { page-break-inside: avoid; }
p.empty { color: #555; margin: 0; }
footer { margin-top: 6mm; font-size: 9pt; color: #333; }
"""


DATE_CELL = re.compile(r"\d{4}-\d{2}-\d{2}")
