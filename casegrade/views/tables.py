"""The one table shape every view prints: boxed, a plain-text title; names, 执法证号, case
numbers, dates and amounts never broken across lines, only sentences wrapped; and, on a terminal
too narrow for a table, one block per row instead (CJK-safe, GBK-safe).
"""

from __future__ import annotations

import re
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

TABLE_BOX = box.SQUARE
FREE_TEXT_WIDTH = 8  # the narrowest a column of sentences is worth wrapping into
DIGIT = re.compile(r"\d")  # a word holding one (a date, an amount, an ID) is never broken
# columns whose cells are sentences, which may wrap between lines; no other cell is ever broken
FREE_TEXT = frozenset(
    {
        "事项",
        "依据",
        "原因",
        "处理",
        "备注",
        "是否计入",
        "未达标项 / 提示",
        "案件性质",
        "荣誉名称",
        "结论",
        "说明",
        "文件",
        "条件",
        "终止",
        "题目",
        "举报内容",
        "培训内容",
    }
)


def new_table(title: str, *headers: str, right: tuple[str, ...] = (), **options: Any) -> Table:
    """A boxed table with a plain-text title; ``right`` columns align right; the cells of
    FREE_TEXT columns wrap between words, the others never break."""
    table = Table(title=Text(title), box=TABLE_BOX, title_justify="left", **options)
    for header in headers:
        table.add_column(
            header,
            justify="right" if header in right else "left",
            no_wrap=header not in FREE_TEXT,
            overflow="fold",
        )
    return table


def fitted(renderable: RenderableType, console: Console) -> RenderableType:
    """``renderable`` as it fits ``console``: a table narrower than its unbroken cells need
    becomes one block per row (``stacked``); a group, each of its parts so."""
    if isinstance(renderable, Group):
        return Group(*(fitted(part, console) for part in renderable.renderables))
    if isinstance(renderable, Table) and needed_width(renderable) > console.width:
        return stacked(renderable)
    return renderable


def needed_width(table: Table) -> int:
    """The columns a table needs: its unbroken cells whole; for a column of sentences (which
    wrap between words) FREE_TEXT_WIDTH, or its longest word holding a date or a number if
    wider; and the borders and padding (3 per column and 1)."""
    width = 1
    for column in table.columns:
        cells = [column.header, *column.cells, column.footer]
        lines = [line for cell in cells for line in _plain(cell).split("\n")]
        if column.no_wrap:
            width += max(cell_len(line) for line in lines)
        else:
            numbers = [word for line in lines for word in line.split() if DIGIT.search(word)]
            width += max([FREE_TEXT_WIDTH, *map(cell_len, numbers)])
        width += 3
    return width


def stacked(table: Table) -> Text:
    """A table as one block per row: its title, then per row each column as "header：value"
    on a line of its own, a blank line between rows (and the footer last, if any)."""
    headers = [_plain(column.header) for column in table.columns]
    columns = [list(column.cells) for column in table.columns]
    lines = [_plain(table.title or "")]
    for row in range(table.row_count):
        lines.append("")
        for header, cells in zip(headers, columns, strict=True):
            value = _plain(cells[row]).replace("\n", " ")
            if value:
                lines.append(f"{header}：{value}")
    footers = [(h, _plain(c.footer)) for h, c in zip(headers, table.columns, strict=True)]
    totals = [(header, value) for header, value in footers if value]
    if table.show_footer and totals:  # the first is the row's name (合计 …), the rest its values
        lines += ["", totals[0][1], *(f"{header}：{value}" for header, value in totals[1:])]
    return Text("\n".join([*lines, ""]))


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)
