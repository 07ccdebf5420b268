"""The rows an import refused, copied out of the office's file with a 问题 column, so that the
clerk can send them back to be corrected (CSV with a BOM for Excel, or .xlsx)."""

from __future__ import annotations

import csv
from pathlib import Path

from casegrade.importers import RowError
from casegrade.sheets import UnreadableSheet, is_workbook, open_sheet

ROW_HEADER, PROBLEM_HEADER = "行号", "问题"


def write_rejects(
    source: Path, errors: list[RowError], out: Path, *, header_row: int, sheet: str = ""
) -> int:
    """Write to ``out`` the header and every refused row of ``source`` as the file has them,
    each with its row number (as Excel shows it) and its problems; problems of the whole file
    or of its header come first, and those of rows the reader could not give (a row cut short)
    last, on rows of their own. Returns the number of rows written.

    Raises:
        OSError: ``out`` cannot be written.
        ValueError: ``out`` is the source file itself.
    """
    if out.resolve() == source.resolve():
        raise ValueError(f"{out} is the file being imported; name another file for the errors")
    problems: dict[int, list[str]] = {}
    for error in errors:
        where = f"{error.column}: " if error.column else ""
        problems.setdefault(error.row, []).append(f"{where}{error.why}")
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
        pass  # the file's own problem is among the errors already; write what was read
    for number in sorted(set(problems) - copied):  # rows the reader could not give (cut short)
        rows.append([str(number), "；".join(problems[number])])
    width = max([len(header), *(len(row) - 2 for row in rows)], default=0)
    table = [[ROW_HEADER, *header, *[""] * (width - len(header)), PROBLEM_HEADER]]
    for row in rows:
        cells = row[1:-1]
        table.append([row[0], *cells, *[""] * (width - len(cells)), row[-1]])
    if is_workbook(out):
        _write_workbook(table, out)
    else:
        with out.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(table)
    return len(table) - 1


def _write_workbook(table: list[list[str]], out: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "退回修改"
    for row in table:
        sheet.append([str(cell) for cell in row])
    for row in sheet.iter_rows():
        for cell in row:
            cell.number_format = "@"  # IDs stay text: 0107 keeps its zero
    sheet.freeze_panes = "A2"
    book.save(out)
