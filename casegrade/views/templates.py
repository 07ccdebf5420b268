"""Empty Excel workbooks that an office fills in for ``casegrade import KIND``: the headers the
importer reads, IDs kept as text, date and money formats, drop-down lists and a sheet of instructions.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from casegrade.intake.layouts import LAYOUTS, Column
from casegrade.intake.sheets import GUIDE_SHEETS
from casegrade.intake.values import (
    parse_date,
    parse_hours,
    parse_id,
    parse_money_fen,
    parse_period,
    parse_round,
    parse_score,
    parse_year,
)
from casegrade.vocab import label, yes_no

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

# Excel drops the leading zeros of 0107 and rounds an 18-digit ID number unless the cell is Text.
TEXT_KEYS = frozenset(
    (
        "officer_id",
        "lead_officer_id",
        "assistant_officer_id",
        "id_number",
        "case_number",
        "round",
        "period",
    )
)
FORMATS = {parse_date: "yyyy-mm-dd", parse_money_fen: "#,##0.00"}
HINTS = {
    parse_date: "日期，格式 YYYY-MM-DD，如 2019-03-01",
    parse_money_fen: "金额，单位元，最多两位小数，如 12500.50；以万元计时写 1.2万，或把列名写作 案值(万元)",
    parse_id: "18位身份证号，按文本填写，末位可为X",
    parse_round: "届次，如 2026",
    parse_period: "半年，如 2026H1、2026下半年",
    parse_year: "四位年份，如 2027",
    parse_score: "0至1000的分数，最多两位小数",
    parse_hours: "整数学时",
}
LAST_ROW = 1000  # formats and drop-downs reach this row
INLINE_LIST_LIMIT = 255  # Excel refuses a longer list typed into a drop-down's source
GUIDE_SHEET, LISTS_SHEET = GUIDE_SHEETS  # sheets the importer knows are not data
GUIDE_LINES = (
    "请勿修改列名文字；列名上方可以有标题行，表格下方可以有合计、制表人等行，导入时跳过。",
    "每行填写一条记录；不要合并单元格。",
    "橙色列名为必填列，蓝色列名可以不填；不需要的蓝色列可以整列删除：文件中没有的列，已存的数据保持不变；有该列但单元格为空，表示清除该项。",
    "执法证号、案号、身份证号等编号列已设为文本格式，请保留开头的0（如 0107），身份证号不要以数字格式填写。",
    "导入第一个工作表（其他工作表导入时用 --sheet 指定）；保存为 .xlsx，或另存为“CSV UTF-8（逗号分隔）”。",
)


def write_template(kind: str, path: Path, case_types: Sequence[str] = ()) -> None:
    """Write an empty .xlsx workbook to ``path`` for an office to fill in for ``import KIND``.

    Sheet 1 (named in Chinese, e.g. 案件) holds the Chinese headers of ``LAYOUTS[kind]`` in
    row 1, frozen, required ones in orange; rows 2-1000 carry Text format for IDs, yyyy-mm-dd for
    dates, #,##0.00 (yuan) for money and drop-down lists for controlled words. Sheet 2,
    填表说明, explains every column. ``case_types`` (the policy's 案件类型) become the cases
    file's drop-down list; other kinds ignore them.

    Raises:
        ValueError: ``kind`` is not one of the layouts; the message lists them.
        OSError: the file cannot be written.
    """
    if kind not in LAYOUTS:
        raise ValueError(f"unknown kind {kind!r}; use one of: {', '.join(LAYOUTS)}")
    from openpyxl import Workbook  # only needed when writing a template
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one (active) worksheet
    sheet.title = LAYOUTS[kind].title
    columns = LAYOUTS[kind].columns
    guide = book.create_sheet(GUIDE_SHEET)  # before any hidden list sheet
    for index, column in enumerate(columns, 1):
        _header(sheet, index, column)
        words = tuple(case_types) if column.key == "case_type" else column.choices
        if words:
            _drop_down(sheet, index, column, words)
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape" if len(columns) > 6 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    _fit_to_page(sheet)
    _guide(guide, kind, columns, bool(case_types))
    book.save(path)


def _header(sheet: Worksheet, index: int, column: Column) -> None:
    """Write one header cell, set its width and format the data cells below it."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    cell = sheet.cell(1, index, column.zh)
    cell.font = Font(bold=True)
    cell.fill = PatternFill("solid", fgColor="FFC000" if column.required else "BDD7EE")
    fmt = "@" if column.key in TEXT_KEYS else FORMATS.get(column.parse)
    if fmt:
        for row in range(2, LAST_ROW + 1):
            sheet.cell(row, index).number_format = fmt
    wide = 22 if column.parse is parse_id else 12  # an 18-digit ID, a date, 12,500.00
    sheet.column_dimensions[get_column_letter(index)].width = max(_width(column.zh) + 4, wide)


def _drop_down(sheet: Worksheet, index: int, column: Column, words: tuple[str, ...]) -> None:
    """A list validation on rows 2..LAST_ROW; a long list goes to the same column of a hidden
    sheet."""
    from openpyxl.utils import absolute_coordinate, get_column_letter, quote_sheetname
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = get_column_letter(index)
    joined = ",".join(words)
    if len(joined) <= INLINE_LIST_LIMIT and not any("," in word for word in words):
        source = f'"{joined}"'
    else:
        book = sheet.parent
        assert book is not None  # the sheet was made by its workbook's create_sheet or Workbook()
        if LISTS_SHEET not in book.sheetnames:
            book.create_sheet(LISTS_SHEET).sheet_state = "hidden"
        for row, word in enumerate(words, 1):
            book[LISTS_SHEET].cell(row, index, word)
        cells = absolute_coordinate(f"{letter}1:{letter}{len(words)}")
        source = f"{quote_sheetname(LISTS_SHEET)}!{cells}"
    listed = "、".join(words)
    validation = DataValidation(
        type="list",
        formula1=source,
        allow_blank=not column.required,
        showErrorMessage=True,
        errorTitle=f"{column.zh}填写有误"[:32],
        error=f"只能填写：{listed}" if len(listed) < 200 else "请从下拉列表中选择。",
    )
    validation.add(f"{letter}2:{letter}{LAST_ROW}")
    sheet.add_data_validation(validation)


def _guide(sheet: Worksheet, kind: str, columns: Sequence[Column], typed: bool) -> None:
    """The instructions: lines on the whole file, then 列名/英文列名/必填/说明 per column."""
    from openpyxl.styles import Alignment, Font

    sheet.append([f"《{LAYOUTS[kind].title}》填表说明（导入命令：casegrade import {kind}）"])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in GUIDE_LINES:  # across the table's width, wrapped, so that it prints whole
        sheet.append([line])
        row = sheet.max_row
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=4)
        sheet.cell(row, 1).alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[row].height = 15 * (1 + _width(line) // 110)
    sheet.append([])
    sheet.append(["列名", "英文列名", "必填", "说明"])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for column in columns:
        sheet.append([column.zh, column.english, yes_no(column.required), _hint(column, typed)])
    for letter, width in zip("ABCD", (16, 22, 6, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    for (cell,) in sheet.iter_rows(min_row=len(GUIDE_LINES) + 3, min_col=4, max_col=4):
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    _fit_to_page(sheet)


def _fit_to_page(sheet: Worksheet) -> None:
    """Print the sheet scaled to the page width (fitToWidth, fitToHeight set by the caller)."""
    setup = sheet.sheet_properties.pageSetUpPr
    assert setup is not None  # a worksheet's properties are made with page set-up properties
    setup.fitToPage = True


def _hint(column: Column, typed: bool) -> str:
    """What goes in a column, in Chinese."""
    parts = [HINTS[column.parse]] if column.parse in HINTS else []
    if column.key in TEXT_KEYS and column.parse is not parse_id:
        parts.append("按文本填写，保留开头的0")
    if column.choices:
        parts.append(f"只能填：{'、'.join(column.choices)}（可从下拉列表选择）")
    if column.key == "case_type":
        parts.append("从下拉列表选择政策文件中的案件类型" if typed else "政策文件中的案件类型")
    if column.derived_from:
        parts.append("填写身份证号时可不填（由身份证号读出），否则必填")
    default = column.default
    if not column.required and default not in (None, ""):
        shown = yes_no(default) if isinstance(default, bool) else default
        parts.append(f"不填视为“{label(shown) if isinstance(shown, StrEnum) else shown}”")
    if column.aliases:
        parts.append(f"也接受列名：{'、'.join(column.aliases)}")
    return "；".join(parts)


def _width(text: str) -> int:
    """Display width: CJK and full-width characters count double."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)
