"""Spreadsheet files as rows of text cells: CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or Excel .xlsx.

Rows are numbered as Excel numbers them (the header is row 1; a cell holding a line break is still
one row), so that an error's row number is the one the clerk sees.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from datetime import date, datetime, time
from pathlib import Path

from casegrade.vocab import yes_no

# UTF-8 first: GB18030 decodes almost any bytes, wrongly. GB18030 is a superset of GBK/GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")


class UnreadableSheet(ValueError):
    """The file, or one row of it, cannot be read. Attributes: row (0 for the whole file)."""

    def __init__(self, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.row = row


def read_rows(path: Path, warnings: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells as text) of every row that is not blank, the header row included;
    things worth telling the clerk (sheets not read) are appended to ``warnings``.

    Raises:
        UnreadableSheet: the file cannot be opened, is in no supported encoding, or a row is
            malformed; the message says how to save the file instead.
    """
    if is_workbook(path):
        yield from _excel_rows(path, warnings)
        return
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            raise UnreadableSheet(
                f"malformed CSV ({exc}); check quotes in this row", number + 1
            ) from exc
        number += 1
        if any(cell.strip() for cell in cells):
            yield number, cells


def is_workbook(path: Path) -> bool:
    """Whether the file is read as an Excel workbook (.xlsx, .xlsm) rather than as CSV."""
    return path.suffix.lower() in EXCEL_SUFFIXES


def _decode(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableSheet(f"cannot read the file: {exc.strerror}") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableSheet(
            'saved as UTF-16 (Excel\'s "Unicode Text"); save it as '
            '"CSV UTF-8 (comma delimited)" or as an .xlsx workbook'
        )
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableSheet('not UTF-8 or GBK text; save it from Excel as "CSV UTF-8"')


def _excel_rows(path: Path, warnings: list[str]) -> Iterator[tuple[int, list[str]]]:
    """Rows of the workbook's first sheet, each cell as the text a CSV would hold.

    The workbook is read twice, for values and for formulas, so that a formula whose value was
    never saved (a file written by a program, not by Excel) is an error, not an empty cell.
    """
    from zipfile import BadZipFile

    from openpyxl import load_workbook  # only needed for Excel files
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        values = load_workbook(path, read_only=True, data_only=True)
        formulas = load_workbook(path, read_only=True, data_only=False)
    except (OSError, InvalidFileException, BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableSheet(
            f"cannot read the workbook ({exc}); save it from Excel as .xlsx "
            "without a password, or as CSV"
        ) from exc
    try:
        if len(values.worksheets) > 1:
            warnings.append(
                f"{path}: only the first sheet, {values.sheetnames[0]!r}, was read; "
                f"the workbook has {len(values.worksheets)}"
            )
        sheets = values.worksheets[0], formulas.worksheets[0]
        for sheet in sheets:
            sheet.reset_dimensions()  # a stale <dimension> would hide trailing columns
        rows = zip(*(sheet.iter_rows(values_only=True) for sheet in sheets), strict=True)
        for number, (row, written) in enumerate(rows, 1):
            for value, source in zip(row, written, strict=False):
                if value is None and isinstance(source, str) and source.startswith("="):
                    raise UnreadableSheet(
                        f"a formula ({source}) has no saved value; open the "
                        "file in Excel and save it",
                        number,
                    )
            cells = [cell_text(value) for value in row]
            if any(cell.strip() for cell in cells):
                yield number, cells
    finally:
        values.close()
        formulas.close()


class NumberText(str):
    """Text that was a number in the workbook: an ID in such a cell may have lost leading zeros."""


def cell_text(value: object) -> str:
    """An Excel cell's value as text: dates as YYYY-MM-DD, whole numbers without ".0" (as
    NumberText). A date-time with a time of day keeps it, so that it is refused as a date rather
    than cut."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float):
        return NumberText(int(value) if float(value).is_integer() else value)
    return str(value)
