"""Cell values as the offices write them, parsed or refused with the reason: dates in East Asian
formats, money in 元 or 万元 (to fen), ID numbers, rounds, periods, scores; invisible characters and
full-width forms cleaned.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from casegrade.idnumber import parse_id_number
from casegrade.vocab import (
    label,
    parse_choice,
    parse_enum,
    yes_no,
)

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # a year outside these in the records is a typing error
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


THOUSANDS = re.compile(
    r"\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII
)  # 12,500.50; a comma anywhere else is a typo


ID_COLUMNS = ("officer_id", "lead_officer_id", "assistant_officer_id")


YES_NO = (yes_no(True), yes_no(False))  # 是, 否: a yes/no column's drop-down


YUAN_PER = {"元": 1, "万元": 10_000, "万": 10_000}  # units an amount may be written in


LARGE_FEN = 10**10  # 100,000,000 yuan: possible, but worth a look at the unit


MAX_FEN = 10**14  # 1,000,000,000,000 yuan: more is a typing error (an ID number in 案值 …)


# Full-width forms of ASCII (Ａ, ０, ，…) as typed with a Chinese input method -> ASCII.
FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}


FULL_WIDTH_ALNUM = {
    code: FULL_WIDTH[code]
    for code in FULL_WIDTH
    if chr(FULL_WIDTH[code]).isascii() and chr(FULL_WIDTH[code]).isalnum()
}


MAX_CELL = 10_000  # characters: no value of the scheme is longer; more is a pasted document


ALLOWED_CONTROLS = "\t\n\r"  # inside a cell: tabs and line breaks may be typed in Excel


NUMBER = re.compile(r"\d+(\.\d+)?", re.ASCII)  # ASCII digits only: no 1_000, 1e5 or ١٠٠


SCIENTIFIC = re.compile(r"\d(\.\d+)?e[+-]?\d+", re.ASCII | re.IGNORECASE)


DATE_TIME = re.compile(r"(.+?)\s+\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?")  # Excel's 2020/1/2 13:05


MONTH_ONLY = re.compile(r"\d{4}(年\d{1,2}月|[-/.]\d{1,2})")  # 2015年3月, 2015-03


NO_YEAR = re.compile(r"\d{1,2}(月\d{1,2}日|[-/]\d{1,2})")  # 3月1日, 3/1


EXCEL_SERIALS = range(1, 2_958_466)  # 1900-01-01 … 9999-12-31 as Excel numbers days


def is_space(char: str) -> bool:
    """Whether a character shows as space or nothing: Unicode spaces (the ideographic space 　,
    no-break space), line and paragraph breaks, tabs, and invisible format characters (zero-width
    space, BOM, soft hyphen, direction marks)."""
    return char.isspace() or unicodedata.category(char) in ("Zs", "Zl", "Zp", "Cf")


def _invisible(char: str) -> bool:
    return unicodedata.category(char) == "Cf"


def visible(text: str) -> str:
    """Text without invisible format characters, full-width letters and digits made ASCII,
    every run of spaces one ASCII space, and no space at either end.

    Raises:
        ValueError: a control character (NUL, escape …) or more than 10,000 characters.
    """
    if len(text) > MAX_CELL:
        raise ValueError(f"{len(text):,} characters, more than {MAX_CELL:,}; shorten the cell")
    if text.isprintable():  # no control, format or non-ASCII space characters: the usual cell
        if text.isascii():  # nothing full-width either
            return " ".join(text.split())
        return " ".join(text.translate(FULL_WIDTH_ALNUM).split())
    control = next(
        (c for c in text if unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS), None
    )
    if control is not None:
        raise ValueError(
            f"holds an invisible control character (U+{ord(control):04X}); delete it and type "
            "the value again"
        )
    text = "".join(c for c in text if not _invisible(c)).translate(FULL_WIDTH_ALNUM)
    return " ".join("".join(" " if is_space(c) else c for c in text).split())


def glimpse(text: str, limit: int = 40) -> str:
    """The start of a cell, to name it in a message: printable characters only, never an
    error, at most ``limit`` characters."""
    shown = " ".join("".join(c for c in text[: limit * 4] if c.isprintable()).split())
    return shown[:limit]


def compact(text: str) -> str:
    """A code (执法证号, 案号, 身份证号): visible text without any space inside."""
    return visible(text).replace(" ", "")


def _cjk(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def name_text(text: str) -> str:
    """A name (姓名, 单位, 荣誉名称 …): visible text without the spaces typed between Chinese
    characters to line names up ("张  三" is 张三); spaces between Latin words stay."""
    words = visible(text).split(" ")
    joined = words[0]
    for word in words[1:]:
        joined += word if _cjk(joined[-1]) or _cjk(word[0]) else " " + word
    return joined


def parse_text(text: str) -> str:
    """Free text (理由, 说明 …): visible, line breaks and all, with no space at either end."""
    return "\n".join(visible(line) for line in text.splitlines()).strip()


def cell_value(text: str) -> str:
    """A value to be read as a date, number or word: visible, every full-width form made ASCII."""
    return visible(text).translate(FULL_WIDTH)


def parse_date(text: str) -> date:
    """A full date: 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日 (with a time of day, as Excel
    writes a date-time, the date); nothing is guessed.

    Raises:
        ValueError: not one of those forms, a day that does not exist, a year outside 1900-2100,
            or an Excel date number (45000) from a column not formatted as dates.
    """
    value = cell_value(text)
    timed = DATE_TIME.fullmatch(value)
    if timed:
        value = timed.group(1)
    for fmt in DATE_FORMATS:
        try:
            if fmt == "%Y-%m-%d" and ISO_DAY.fullmatch(value):  # the usual cell, quickly
                parsed = date.fromisoformat(value)
            else:
                parsed = datetime.strptime(value, fmt).date()
        except ValueError:
            continue
        if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
            raise ValueError(
                f"year {parsed.year} is not between {EARLIEST_YEAR} and "
                f"{LATEST_YEAR}; correct the year"
            )
        return parsed
    serial = value.split(".")[0] if re.fullmatch(r"\d+(\.\d+)?", value, re.ASCII) else ""
    if len(serial) > 4 and int(serial) in EXCEL_SERIALS:  # 45000, or 45000.5 with a time
        shown = (datetime(1899, 12, 30) + timedelta(days=int(serial))).date()
        raise ValueError(
            f"{value} is how Excel (1900 date system) stores the date {shown}: the column is not "
            "formatted as "
            "dates; format it as a date (YYYY-MM-DD) and check the values"
        )
    if MONTH_ONLY.fullmatch(value):
        raise ValueError(
            "a month, not a date: the day is missing; write the full date, e.g. 2019-03-01"
        )
    if NO_YEAR.fullmatch(value):
        raise ValueError("the year is missing; write the full date, e.g. 2019-03-01")
    raise ValueError("not a full, valid date; write it as YYYY-MM-DD, e.g. 2019-03-01")


PLAIN_YUAN = re.compile(r"\d{1,15}(\.\d{1,2})?", re.ASCII)  # 12500, 12500.5, 12500.50


def parse_money_fen(text: str, unit: str = "元") -> int:
    """An amount -> fen. In yuan with at most 2 decimals (commas, ¥ and 元 allowed), or in 万元
    (1.2万, 3万元, or any number in a column headed in 万元) to the fen: 1.2万 is 1,200,000 fen.

    Args:
        text: the cell.
        unit: the unit of the column's header: 元 (also when none) or 万元.

    Raises:
        ValueError: not a number in ASCII digits, a unit written in a column headed with one,
            more precise than a fen, negative, or implausibly large.
    """
    if unit == "元" and PLAIN_YUAN.fullmatch(text):  # the usual cell, quickly
        whole, _, cents = text.partition(".")
        plain = int(whole) * 100 + int(cents.ljust(2, "0"))
        if plain > MAX_FEN:
            raise ValueError("implausibly large for an amount in yuan; check the column")
        return plain
    value = cell_value(text).removeprefix("¥").removeprefix("￥").strip()
    written = next((u for u in ("万元", "万", "元") if value.endswith(u)), "")
    value = value.removesuffix(written).strip()
    if written and unit != "元":
        raise ValueError(f"the column is headed in {unit}; write the number alone")
    scale = YUAN_PER[written or unit]
    if value.startswith("-"):
        raise ValueError("an amount cannot be negative; write it without the minus sign")
    if "," in value:
        if not THOUSANDS.fullmatch(value):
            raise ValueError("commas only between thousands, e.g. 12,500.50; correct the amount")
        value = value.replace(",", "")
    if not NUMBER.fullmatch(value):
        raise ValueError("not an amount; write yuan as a number, e.g. 12500.50")
    fen = Decimal(value) * scale * 100
    if fen != fen.to_integral_value():
        if scale == 1:
            raise ValueError(
                "more than 2 decimals; amounts are in yuan, to the fen: round it to 2 decimals"
            )
        raise ValueError(
            "more precise than a fen (万元 with at most 6 decimals); correct the amount"
        )
    if fen > MAX_FEN:
        raise ValueError("implausibly large for an amount in yuan; check the column")
    return int(fen)


ROUND = re.compile(r"(\d{4})[年届]?", re.ASCII)


def parse_round(text: str) -> str:
    """届次: four digits, optionally followed by 年 or 届: "2026", "2026年", "2026届" and "２０２６"
    are round 2026.

    Raises:
        ValueError: anything else.
    """
    match = ROUND.fullmatch(cell_value(text).replace(" ", ""))
    if match is None:
        raise ValueError("not a round; write the year of the round, e.g. 2026 (or 2026届)")
    return match.group(1)


def enum_parser(enum: type[StrEnum]) -> Callable[[str], Any]:
    """A parser for one of vocab's enums (English value, Chinese label or alias)."""
    return lambda text: parse_enum(enum, cell_value(text).replace(" ", ""))


def labels_of(enum: type[StrEnum]) -> tuple[str, ...]:
    """The Chinese labels of an enum's members, lowest first."""
    return tuple(label(member) for member in enum)


def parse_id(text: str) -> str:
    """A resident ID number with a valid check character (GB 11643), upper-case X.

    Raises:
        ValueError: the wrong length or check character, or a number in scientific notation
            (3.70682E+17: Excel kept 15 digits and lost the rest).
    """
    value = compact(text)
    if SCIENTIFIC.fullmatch(value):
        raise ValueError(ID_AS_NUMBER)
    return parse_id_number(value)[0]


ID_AS_NUMBER = (
    "was a number in Excel, which keeps only 15 digits: the last digits are lost; format the "
    "column as Text and type the ID numbers again from the cards"
)


def parse_score(text: str) -> Decimal:
    """An exam score: a number from 0 to 1000 with at most 2 decimals.

    Raises:
        ValueError: not such a number (1e2 and ١٠٠ are not).
    """
    value = cell_value(text)
    if not NUMBER.fullmatch(value):
        raise ValueError("not a score; write a number, e.g. 86.5")
    score = Decimal(value)
    if not 0 <= score <= 1000 or score != round(score, 2):
        raise ValueError("not a score from 0 to 1000 with at most 2 decimals")
    return score


APPROVE_WORDS = ("同意", "批准", "通过", "approve", "approved", "yes", "是")


REJECT_WORDS = ("不同意", "不批准", "不通过", "reject", "rejected", "no", "否")


def parse_approval(text: str) -> bool:
    """The committee's decision: 同意/approve -> True, 不同意/reject -> False.

    Raises:
        ValueError: neither.
    """
    return parse_choice(
        text, APPROVE_WORDS, REJECT_WORDS, "write 同意 or 不同意 (approve or reject)"
    )


def parse_year(text: str) -> int:
    """A calendar year, 1900 to 2100.

    Raises:
        ValueError: not such a year.
    """
    value = re.sub("年度?$", "", cell_value(text).replace(" ", ""))  # 2027, 2027年, 2027年度
    if not (value.isascii() and value.isdigit()) or not EARLIEST_YEAR <= int(value) <= LATEST_YEAR:
        raise ValueError(f"not a year from {EARLIEST_YEAR} to {LATEST_YEAR}, e.g. 2027")
    return int(value)


PERIOD = re.compile(r"(\d{4})\s*(?:H([12])|(上|下)半年)", re.IGNORECASE | re.ASCII)


def parse_period(text: str) -> str:
    """A half-year: "2026H2", "2026h2" or "2026下半年" -> "2026H2".

    Raises:
        ValueError: not such a half-year, or a year outside 1900-2100.
    """
    match = PERIOD.fullmatch(cell_value(text).replace(" ", ""))
    if match is None:
        raise ValueError("not a half-year; write it as 2026H1 or 2026H2 (2026上半年, 2026下半年)")
    year, half, word = match.groups()
    parse_year(year)
    return f"{year}H{half or ('1' if word == '上' else '2')}"


def parse_quarter(text: str) -> str:
    """A quarter: "2027Q1" or "2027q1" -> "2027Q1".

    Raises:
        ValueError: not such a quarter, or a year outside 1900-2100.
    """
    value = cell_value(text).replace(" ", "").upper()
    if len(value) != 6 or value[4] != "Q" or value[5] not in "1234":
        raise ValueError("not a quarter; write it as 2027Q1")
    parse_year(value[:4])
    return value


def parse_hours(text: str) -> int:
    """学时: a whole number from 0 to 1000.

    Raises:
        ValueError: not such a number.
    """
    value = cell_value(text)
    if not (value.isascii() and value.isdigit()) or int(value) > 1000:
        raise ValueError("not a whole number of hours from 0 to 1000")
    return int(value)


def fold_header(header: str) -> tuple[str, str]:
    """Header text as compared (no spaces, line breaks or invisible characters, full-width forms
    made ASCII, case folded) and the unit in brackets, if any: "案值（万元）" -> ("案值", "万元")."""
    text = "".join(c for c in unicodedata.normalize("NFKC", header) if not is_space(c))
    text = text.casefold()
    if text.endswith(")") and "(" in text:  # NFKC made （） ASCII
        cut = text.rindex("(")
        return text[:cut], text[cut + 1 : -1]
    return text, ""
