"""The rows an import refused, copied out of the office's file with a 问题 column, so that the
clerk can send them back to be corrected (CSV with a BOM for Excel, or .xlsx)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from casegrade.errors import RowError, UnreadableSheet
from casegrade.intake.sheets import open_sheet
from casegrade.views.labels import problems_text
from casegrade.views.outputs import spreadsheet_safe

ROW_HEADER, PROBLEM_HEADER = "行号", "问题"


def rejected_rows(
    source: Path, errors: list[RowError], *, header_row: int, sheet: str = ""
) -> list[list[str]]:
    """The header and every refused row of ``source`` as the file has them, each with its row
    number (as Excel shows it) first and its problems last; problems of the whole file or of
    its header come first, and those of rows the reader could not give (a row cut short) last,
    on rows of their own. The first row is the header (行号, the file's headers, 问题)."""
    problems: dict[int, list[str]] = {}
    for error in errors:
        where = f"{error.column}: " if error.column else ""
        problems.setdefault(error.row, []).append(
            f"{where}{error.why or problems_text(error.problems)}"
        )
    header: list[str] = []
    rows: list[list[str]] = []
    for number in sorted(n for n in problems if n == 0 or n == header_row):
        rows.append(["" if number == 0 else str(number), "；".join(problems[number])])
    copied = {0, header_row}
    try:
        with open_sheet(source, sheet or None) as opened:
            for number, cells in opened.rows:
                if number == header_row:
                    header = list(cells)
                elif number in problems and number not in copied:
                    rows.append([str(number), *cells, "；".join(problems[number])])
                    copied.add(number)
    except UnreadableSheet:
        pass  # the file's own problem is among the errors already; keep what was read
    for number in sorted(set(problems) - copied):  # rows the reader could not give (cut short)
        rows.append([str(number), "；".join(problems[number])])
    width = max([len(header), *(len(row) - 2 for row in rows)], default=0)
    table = [[ROW_HEADER, *header, *[""] * (width - len(header)), PROBLEM_HEADER]]
    for row in rows:
        cells = row[1:-1]
        table.append([row[0], *cells, *[""] * (width - len(cells)), row[-1]])
    return table


def rejects_csv(table: list[list[str]]) -> str:
    """The table as CSV text; a cell that Excel would run as a formula is kept as text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [spreadsheet_safe(cell) for cell in row] for row in table
    )
    return out.getvalue()


def save_rejects_workbook(table: list[list[str]], path: Path) -> None:
    """Save the table as a workbook: every cell text (IDs keep their zeros, a formula stays a
    formula's text), the header frozen."""
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    book = Workbook()
    sheet = book.active
    assert isinstance(sheet, Worksheet)  # a new workbook starts with one (active) worksheet
    sheet.title = "退回修改"
    for row in table:
        sheet.append([str(cell) for cell in row])
    for cells in sheet.iter_rows():
        for cell in cells:
            cell.data_type = "s"  # "=cmd|…" from an office's file is shown, never run
            cell.number_format = "@"
    sheet.freeze_panes = "A2"
    book.save(path)
