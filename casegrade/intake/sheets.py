"""Spreadsheet files as rows of text cells: CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or Excel .xlsx.

Rows are numbered as Excel numbers them (the first row is 1; a cell holding a line break is still
one row), so that an error's row number is the one the clerk sees. A cell is the text Excel shows:
a number to 15 significant digits, a date as YYYY-MM-DD, whatever its number format.
"""

from __future__ import annotations

import codecs
import csv
import re
import warnings
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from zipfile import BadZipFile

from casegrade.errors import UnreadableSheet
from casegrade.vocab import yes_no

if TYPE_CHECKING:
    from openpyxl.workbook import Workbook

# A cell may be long (the importer refuses over 10,000 characters, naming the row); the csv
# module's own limit (131,072) would end the reading with a misleading "malformed CSV".
csv.field_size_limit(2**31 - 1)
# UTF-8 first: GB18030 decodes almost any bytes, wrongly. GB18030 is a superset of GBK/GB2312.
ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
OLD_EXCEL, ZIP = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"PK\x03\x04"  # how the files begin
XLS = (
    "an Excel 97-2003 workbook (.xls), which casegrade does not read; open it in Excel or WPS "
    "and save it as .xlsx (Excel workbook)"
)
# Excel's built-in East Asian date formats (ECMA-376 part 1, 18.8.30), as Chinese (zh-CN) Excel
# shows them: which parts of the date each shows (y year, m month, d day; none: a time of day).
# openpyxl knows only the Western built-ins, and hands such a cell over as its serial number.
EAST_ASIAN_DATE_FORMATS = {
    27: "ym",  # yyyy"年"m"月"
    28: "md",  # m"月"d"日"
    29: "md",
    30: "ymd",  # m-d-yy
    31: "ymd",  # yyyy"年"m"月"d"日"
    32: "",  # h"时"mm"分"
    33: "",
    34: "",
    35: "",
    36: "ym",
    50: "ym",
    51: "md",
    52: "ym",
    53: "md",
    54: "md",
    55: "",
    56: "",
    57: "ym",
    58: "md",
}
# A template's sheets that are not data (casegrade template): never worth a warning.
GUIDE_SHEETS = ("填表说明", "下拉选项")
EXCEL_DIGITS = 15  # Excel keeps and shows 15 significant digits of a number
# What a damaged .xlsx raises from inside openpyxl, its zip and XML readers: a broken zip, missing
# or malformed parts (XML ParseError is a SyntaxError), values of the wrong type.
BROKEN_WORKBOOK = (
    BadZipFile,
    RuntimeError,  # zipfile: encrypted parts, a zip version or compression it does not read
    zlib.error,
    EOFError,
    KeyError,
    IndexError,
    TypeError,
    ValueError,
    AttributeError,
    SyntaxError,
    OSError,
)


class NumberText(str):
    """Text that was a number in the workbook: an ID in such a cell may have lost leading zeros
    or, past 15 digits, its last digits."""


@dataclass
class Sheet:
    """An opened file.

    Attributes:
        rows: (row number as Excel shows it, cells as text) of every row that is not blank.
        sheet: the workbook sheet read ("" for a CSV file).
        sheets: every sheet's name, in the workbook's order (empty for a CSV file).
        unread: the other visible sheets that may hold data (not a template's guide), when the
            first sheet was read without being asked for.
    """

    rows: Iterator[tuple[int, list[str]]]
    sheet: str = ""
    sheets: tuple[str, ...] = ()
    unread: tuple[str, ...] = ()


@contextmanager
def open_sheet(path: Path, sheet: str | None = None) -> Iterator[Sheet]:
    """The rows of a CSV file, or of one sheet of a workbook (the first unless ``sheet`` names
    another).

    Raises:
        UnreadableSheet: the file cannot be opened, is in no supported encoding, holds NUL bytes,
            is not a workbook, has no sheet named ``sheet``; or, while the rows are read, a row is
            malformed or the last row was cut short. The message says how to save the file.
    """
    if not is_workbook(path):
        if sheet is not None:
            raise UnreadableSheet("--sheet is for Excel workbooks; this file is read as CSV")
        text = _text_of(path)
        try:
            handle = path.open(encoding=text.encoding, newline="")
        except OSError as exc:
            raise UnreadableSheet(f"cannot read the file: {exc.strerror}") from exc
        with handle:
            yield Sheet(_csv_rows(handle, text.ends_with_break))
        return
    from openpyxl import load_workbook  # only needed for Excel files

    try:
        with path.open("rb") as start:
            if start.read(len(OLD_EXCEL)) == OLD_EXCEL:
                raise UnreadableSheet(XLS)
    except OSError as exc:
        raise UnreadableSheet(f"cannot read the file: {exc.strerror}") from exc

    try:
        with warnings.catch_warnings():  # openpyxl's notes on unsupported extensions are not ours
            warnings.simplefilter("ignore")
            values = load_workbook(path, read_only=True, data_only=True)
            formulas = load_workbook(path, read_only=True, data_only=False)
    except BROKEN_WORKBOOK as exc:
        raise UnreadableSheet(_not_a_workbook(exc)) from exc
    try:
        names = tuple(each.title for each in values.worksheets)  # chart sheets hold no rows
        if not names:
            raise UnreadableSheet(_not_a_workbook(IndexError("no sheets")))
        chosen = names[0] if sheet is None else sheet
        if chosen not in names:
            raise UnreadableSheet(
                f"no sheet named {sheet!r}; the workbook's sheets are: {', '.join(names)}"
            )
        rows = _excel_rows(values, formulas, chosen)
        unread: tuple[str, ...] = ()
        if sheet is None:
            unread = tuple(
                each.title
                for each in values.worksheets[1:]
                if each.sheet_state == "visible" and each.title not in GUIDE_SHEETS
            )
        yield Sheet(rows, chosen, names, unread)
    finally:
        values.close()
        formulas.close()


def is_workbook(path: Path) -> bool:
    """Whether the file is read as an Excel workbook (.xlsx, .xlsm) rather than as CSV."""
    return path.suffix.lower() in EXCEL_SUFFIXES


def _not_a_workbook(exc: BaseException) -> str:
    kind = type(exc).__name__
    return (
        f"cannot be read as an .xlsx workbook ({kind}); open it in Excel or WPS and save it again "
        "as .xlsx without a password, or as CSV UTF-8"
    )


CHUNK = 1 << 20  # bytes of a CSV file checked at a time: a file of any size is never held whole


@dataclass(frozen=True)
class _Text:
    """What the first pass over a CSV file found: its encoding, and whether it ends with the
    line break that ends every row."""

    encoding: str
    ends_with_break: bool


def _text_of(path: Path) -> _Text:
    """The encoding a CSV file is read in, found by one pass over its bytes, a chunk at a time.

    Raises:
        UnreadableSheet: UTF-16 (Excel's "Unicode Text"), a workbook named .csv, NUL bytes, or
            neither UTF-8 nor GBK (rows in both), naming the first bad row.
    """
    try:
        with path.open("rb") as handle:
            return _scan(handle)
    except OSError as exc:
        raise UnreadableSheet(f"cannot read the file: {exc.strerror}") from exc


def _scan(handle: BinaryIO) -> _Text:
    """``_text_of`` of an open file: UTF-8 unless a byte is not, then GB18030 from the start
    (unless Chinese text in UTF-8 came before that byte).

    Raises:
        UnreadableSheet: as ``_text_of``.
    """
    first = handle.read(CHUNK)
    if first.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise UnreadableSheet(
            'saved as UTF-16 (Excel\'s "Unicode Text"); save it as '
            '"CSV UTF-8 (comma delimited)" or as an .xlsx workbook'
        )
    if first.startswith(OLD_EXCEL):
        raise UnreadableSheet(XLS)
    if first.startswith(ZIP):
        raise UnreadableSheet(
            "an Excel workbook (.xlsx) named as a CSV file; rename it to end in .xlsx"
        )
    utf8 = codecs.getincrementaldecoder(ENCODINGS[0])()
    gb = codecs.getincrementaldecoder(ENCODINGS[1])()
    lines = chinese = 0  # line breaks and non-ASCII characters before the chunk
    bad_row: int | None = None  # the row of the first byte that is not UTF-8
    chunk, last = first, b""
    while chunk:
        following = handle.read(CHUNK)
        final = not following  # the decoder must then end on a whole character
        if b"\x00" in chunk:
            raise UnreadableSheet(
                "holds NUL bytes, which no text file has: it may be damaged or not a CSV "
                'file; save it from Excel as "CSV UTF-8"',
                lines + chunk[: chunk.index(b"\x00")].count(b"\n") + 1,
            )
        if bad_row is None:
            try:
                text = utf8.decode(chunk, final=final)
                chinese += sum(not c.isascii() for c in text) if chinese < 2 else 0
            except UnicodeDecodeError as exc:
                before = exc.object[: exc.start]
                bad_row = lines + before.count(b"\n") + 1  # what the decoder held has none
                chinese += sum(not c.isascii() for c in before.decode(ENCODINGS[0], "ignore"))
                # Chinese text in UTF-8 before the first byte that is not UTF-8: rows saved in
                # two encodings (pasted together), which GB18030 would read as nonsense
                if chinese > 1:
                    raise _two_encodings(bad_row) from exc
                handle.seek(0)  # read again from the start, as GB18030
                lines, chunk = 0, handle.read(CHUNK)
                continue
        else:
            try:
                gb.decode(chunk, final=final)
            except UnicodeDecodeError as exc:
                raise _two_encodings(bad_row) from exc
        lines += chunk.count(b"\n")
        last, chunk = chunk, following
    encoding = ENCODINGS[0] if bad_row is None else ENCODINGS[1]
    return _Text(encoding, last.endswith((b"\n", b"\r")))


def _two_encodings(row: int) -> UnreadableSheet:
    """The error for a file in neither encoding, or in both, at ``row``."""
    return UnreadableSheet(
        "not UTF-8 or GBK text (perhaps rows pasted from files in both); save it from Excel as "
        '"CSV UTF-8"',
        row,
    )


def _csv_rows(lines: Iterable[str], ends_with_break: bool) -> Iterator[tuple[int, list[str]]]:
    """Rows of CSV text, read as they come. A last row without the line break that ends every
    other row was cut short (a copy or download that stopped): it is refused, never read as
    complete."""
    reader = csv.reader(lines, strict=True)
    number = 0
    pending: tuple[int, list[str]] | None = None
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except UnicodeDecodeError as exc:  # the first pass read it whole: it changed since
            raise UnreadableSheet(
                "the file changed while it was read (saved again, or synced); import it again"
            ) from exc
        except csv.Error as exc:
            if pending is not None:
                yield pending
            raise UnreadableSheet(
                f"malformed CSV ({exc}): a quote is not closed, or the file was cut short; "
                "check the quotes in this row",
                number + 1,
            ) from exc
        number += 1
        if pending is not None:
            yield pending
            pending = None
        if any(cell.strip() for cell in cells):
            pending = (number, cells)
    if pending is None:
        return
    if pending[0] == number > 1 and not ends_with_break:
        raise UnreadableSheet(
            "the last row does not end with a line break as the other rows do: the file may "
            "have been cut short; check that the row is complete, then put a line break after "
            "it (Enter at its end) and save the file again",
            number,
        )
    yield pending


def _excel_rows(
    values: Workbook, formulas: Workbook, sheet: str
) -> Iterator[tuple[int, list[str]]]:
    """Rows of one sheet, each cell as the text Excel shows.

    The workbook is read twice, for values and for formulas, so that a formula whose value was
    never saved (a file written by a program, not by Excel) is an UnsavedFormula cell, for the
    importer to refuse, not an empty cell.
    """
    epoch = values.epoch
    try:
        sheets = values[sheet], formulas[sheet]
        for each in sheets:
            each.reset_dimensions()  # a stale <dimension> would hide trailing columns
        rows = enumerate(zip(*(each.iter_rows() for each in sheets), strict=True), 1)
    except BROKEN_WORKBOOK as exc:
        raise UnreadableSheet(_not_a_workbook(exc)) from exc
    while True:
        try:  # only openpyxl's reading is guarded: a fault of ours stays a fault
            with warnings.catch_warnings():  # openpyxl's notes on odd cells are not the clerk's
                warnings.simplefilter("ignore")
                number, (row, written) = next(rows)
        except StopIteration:
            return
        except BROKEN_WORKBOOK as exc:
            raise UnreadableSheet(_not_a_workbook(exc)) from exc
        cells = [
            UnsavedFormula(source.value) if _unsaved(cell, source) else _cell_text(cell, epoch)
            for cell, source in zip(row, written, strict=False)
        ]
        if any(cell.strip() for cell in cells):
            yield number, cells


class UnsavedFormula(str):
    """A formula whose value the workbook does not hold (written by a program, never opened and
    saved in Excel): the text is the formula."""


def _unsaved(cell: Any, source: Any) -> bool:
    formula = getattr(source, "value", None)
    return cell.value is None and isinstance(formula, str) and formula.startswith("=")


def _cell_text(cell: Any, epoch: datetime) -> str:
    """A read-only cell as text. A date is a date only as far as its format shows it: a cell
    showing 2015年3月 (a day Excel filled in) or 3月1日 (a year Excel filled in) is that text,
    for the date parser to refuse, never a guessed full date."""
    value = getattr(cell, "value", None)
    if isinstance(value, bool) or not isinstance(value, int | float | datetime | date):
        return cell_text(value)
    format_id = cell.style_array.numFmtId
    if format_id in EAST_ASIAN_DATE_FORMATS:
        parts = EAST_ASIAN_DATE_FORMATS[format_id]
        if not isinstance(value, datetime | date):
            from openpyxl.utils.datetime import from_excel

            try:
                value = from_excel(value, epoch)
            except (OverflowError, ValueError):  # no date: the number, for the parser to refuse
                return cell_text(value)
    elif isinstance(value, datetime | date):
        parts = _date_parts(cell.number_format)
    else:
        return cell_text(value)
    if "y" in parts and "d" in parts:
        return cell_text(value)
    if parts == "ym":
        return f"{value.year}年{value.month}月"
    if parts == "md":
        return f"{value.month}月{value.day}日"
    return f"{value:%H:%M}" if isinstance(value, datetime) else cell_text(value)


def _date_parts(number_format: str) -> str:
    """Which parts of a date a custom number format shows: "ymd", "ym", "md" … (text in quotes,
    escaped characters and [locale] codes are not parts)."""
    code = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", number_format).lower()
    if "y" not in code and "d" not in code and "m" not in code:
        return "ymd"  # General or a text format: the value is the date itself
    return "".join(part for part in "ymd" if part in code)


def cell_text(value: object) -> str:
    """An Excel cell's value as text: a date or date-time as its date YYYY-MM-DD; a number as
    Excel shows it, to 15 significant digits (a sum stored as 3703.6800000000003 is 3703.68),
    as NumberText."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return NumberText(value)
    if isinstance(value, float):
        return NumberText(f"{value:.{EXCEL_DIGITS}g}")
    return str(value)
