"""Turn the bureau's spreadsheets into records, collecting every bad row before failing.

Headers may be English or Chinese in any order; values Chinese or English. Nothing here writes: the
store writes only when a whole file is clean.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from casegrade.errors import CasegradeError
from casegrade.idnumber import mask_id_number, parse_id_number
from casegrade.records import (
    AnnualAssessment,
    Application,
    Case,
    Complaint,
    Decision,
    Exam,
    Honor,
    Incident,
    Officer,
    Rating,
    Report,
    Training,
)
from casegrade.sheets import NumberText, Sheet, UnreadableSheet, UnsavedFormula, open_sheet
from casegrade.store import PRIMARY_KEYS
from casegrade.vocab import (
    Assessment,
    Grade,
    HonorKind,
    HonorLevel,
    IncidentKind,
    RatingLevel,
    RetirementCategory,
    Sex,
    label,
    parse_choice,
    parse_enum,
    parse_yes_no,
    yes_no,
)

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # a year outside these in the records is a typing error
THOUSANDS = re.compile(
    r"\d{1,3}(,\d{3})+(\.\d+)?", re.ASCII
)  # 12,500.50; a comma anywhere else is a typo
ID_COLUMNS = ("officer_id", "lead_officer_id", "assistant_officer_id")
YES_NO = (yes_no(True), yes_no(False))  # 是, 否: a yes/no column's drop-down
YUAN_PER = {"元": 1, "万元": 10_000, "万": 10_000}  # units an amount may be written in
LARGE_FEN = 10**10  # 100,000,000 yuan: possible, but worth a look at the unit
MAX_FEN = 10**14  # 1,000,000,000,000 yuan: more is a typing error (an ID number in 案值 …)


@dataclass(frozen=True)
class RowError:
    """One problem in an input file.

    Attributes:
        file: the file's path as given.
        row: the row as Excel numbers it (the header is row 1), or 0 for the file as a whole.
        column: the column's header as written in the file, or "" for the whole row/file.
        value: the offending text.
        why: what is wrong and how to fix it.
    """

    file: str
    row: int
    column: str
    value: str
    why: str

    def __str__(self) -> str:
        where = self.file if self.row == 0 else f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
        value = f" = {shown!r}" if self.value else ""
        return f"{where}{value}: {self.why}"


class ImportFailed(CasegradeError):
    """A file had bad rows; nothing was written. ``errors`` lists every one, ``warnings`` what
    else the reading found (ignored columns …), which the clerk needs to see all the same;
    ``header_row`` and ``sheet`` say where the table was found, to copy the bad rows out."""

    def __init__(
        self,
        errors: list[RowError],
        warnings: list[str] | None = None,
        header_row: int = 0,
        sheet: str = "",
    ) -> None:
        self.errors = errors
        self.warnings = warnings or []
        self.header_row = header_row
        self.sheet = sheet
        super().__init__(f"{len(errors)} problem(s) in {errors[0].file}; nothing was imported")


# --- value parsers: text -> value, ValueError with the fix on bad input -------------------------

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
    control = next(
        (c for c in text if unicodedata.category(c) == "Cc" and c not in ALLOWED_CONTROLS), None
    )
    if control is not None:
        raise ValueError(
            f"holds an invisible control character (U+{ord(control):04X}); delete it and type "
            "the value again"
        )
    if text.isprintable():  # no control, format or non-ASCII space characters: the usual cell
        return " ".join(text.translate(FULL_WIDTH_ALNUM).split())
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


def _value(text: str) -> str:
    """A value to be read as a date, number or word: visible, every full-width form made ASCII."""
    return visible(text).translate(FULL_WIDTH)


def parse_date(text: str) -> date:
    """A full date: 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日 (with a time of day, as Excel
    writes a date-time, the date); nothing is guessed.

    Raises:
        ValueError: not one of those forms, a day that does not exist, a year outside 1900-2100,
            or an Excel date number (45000) from a column not formatted as dates.
    """
    value = _value(text)
    timed = DATE_TIME.fullmatch(value)
    if timed:
        value = timed.group(1)
    for fmt in DATE_FORMATS:
        try:
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
    value = _value(text).removeprefix("¥").removeprefix("￥").strip()
    written = next((u for u in ("万元", "万", "元") if value.endswith(u)), "")
    value = value.removesuffix(written).strip()
    if written and unit != "元":
        raise ValueError(f"the column is headed in {unit}; write the number alone")
    scale = YUAN_PER[written or unit]
    if value.startswith("-"):
        raise ValueError("an amount cannot be negative")
    if "," in value:
        if not THOUSANDS.fullmatch(value):
            raise ValueError("commas only between thousands, e.g. 12,500.50; correct the amount")
        value = value.replace(",", "")
    if not NUMBER.fullmatch(value):
        raise ValueError("not an amount; write yuan as a number, e.g. 12500.50")
    fen = Decimal(value) * scale * 100
    if fen != fen.to_integral_value():
        if scale == 1:
            raise ValueError("more than 2 decimals; amounts are in yuan, to the fen")
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
    match = ROUND.fullmatch(_value(text).replace(" ", ""))
    if match is None:
        raise ValueError("not a round; write the year of the round, e.g. 2026 (or 2026届)")
    return match.group(1)


def enum_parser(enum: type) -> Callable[[str], Any]:
    """A parser for one of vocab's enums (English value, Chinese label or alias)."""
    return lambda text: parse_enum(enum, _value(text).replace(" ", ""))


def labels_of(enum: type) -> tuple[str, ...]:
    """The Chinese labels of an enum's members, lowest first."""
    return tuple(label(member) for member in enum)


def choice_column(key: str, zh: str, enum: type, **options: Any) -> Column:
    """A column holding one of vocab's enums: read from any of its words, offered in a template
    as a drop-down of its Chinese labels."""
    return Column(key, zh, enum_parser(enum), choices=labels_of(enum), **options)


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


# --- file layouts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an input file.

    Attributes:
        key: the record field it fills, also its English header unless ``english_header`` is set.
        zh: the Chinese header.
        parse: text -> value; raises ValueError with the fix.
        required: whether the column must be present and non-empty.
        aliases: further headers accepted.
        default: the value of an absent column or empty cell when not required.
        english_header: the English header when it is not ``key`` ("case_value" for fen).
        derived_from: a field from which the record takes this value when the row fills it (sex
            and birth date from the ID number): then no stored value is kept for it.
        choices: the words a cell may hold, in Chinese, for a controlled column (a template's
            drop-down list); empty for free values.
    """

    key: str
    zh: str
    parse: Callable[[str], Any] = parse_text
    required: bool = True
    aliases: tuple[str, ...] = ()
    default: Any = None
    english_header: str = ""
    derived_from: str = ""
    choices: tuple[str, ...] = ()

    @property
    def english(self) -> str:
        """The English header."""
        return self.english_header or self.key

    def names(self) -> set[str]:
        """Every header accepted for this column, folded as headers are compared."""
        return {fold_header(name)[0] for name in (self.key, self.english, self.zh, *self.aliases)}


@dataclass(frozen=True)
class Layout:
    """What one kind of file holds.

    Attributes:
        kind: the import kind ("officers", "honors", "cases" … ), also the table it fills.
        columns: the columns, in the order documented.
        build: parsed values (column key -> value) -> record; raises FieldError for values
            that do not fit together.
        officer_columns: columns that must name an officer already on record.
        of_application: rows belong to an application (round + officer_id) that must be on
            record (exams, decisions).
    """

    kind: str
    columns: tuple[Column, ...]
    build: Callable[[dict[str, Any]], Any]
    officer_columns: tuple[str, ...] = ()
    of_application: bool = False

    @property
    def key(self) -> tuple[str, ...]:
        """The fields of a record's natural key (the table's primary key): one row per key."""
        return PRIMARY_KEYS[self.kind]

    def column(self, key: str) -> Column:
        """The column that fills the field ``key``."""
        return next(column for column in self.columns if column.key == key)

    def key_of(self, values: Any) -> tuple:
        """The natural key of a record, or of a row's parsed values (field -> value)."""
        if isinstance(values, dict):
            return tuple(values[field] for field in self.key)
        return tuple(getattr(values, field) for field in self.key)


class FieldError(ValueError):
    """Values of one row that do not fit together: ``problems`` lists each as (the field of the
    column to point at, what is wrong), all of the row's at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


def _checked(problems: list[tuple[str, str]]) -> None:
    if problems:
        raise FieldError(problems)


# The column most files share: who the row is about.
OFFICER_ID = Column("officer_id", "执法证号", aliases=("工号",))


def _build_officer(values: dict[str, Any]) -> Officer:
    problems = []
    if values["id_number"]:
        _, born, sex = parse_id_number(values["id_number"])
        for key, given, derived in (
            ("sex", values["sex"], sex),
            ("birth_date", values["birth_date"], born),
        ):
            if given is not None and given != derived:
                shown = label(derived) if key == "sex" else derived
                problems.append(
                    (key, f"the ID number (身份证号) says {shown}; correct one of them")
                )
        values["birth_date"], values["sex"] = born, sex
    for key in ("sex", "birth_date"):
        if values[key] is None:
            problems.append((key, "empty; fill it in, or give the ID number (身份证号)"))
    born = values["birth_date"]
    if born is not None and values["enforcement_start"] <= born:
        problems.append(("enforcement_start", "is not after the birth date; correct one of them"))
    _checked(problems)
    return Officer(**values)


def _build_case(values: dict[str, Any]) -> Case:
    problems = []
    if values["typical_level"] is not None and values["typical_date"] is None:
        problems.append(
            ("typical_date", "empty while 典型案例级别 is filled; fill both or neither")
        )
    if values["typical_level"] is None and values["typical_date"] is not None:
        problems.append(
            ("typical_date", "filled while 典型案例级别 is empty; fill both or neither")
        )
    if values["typical_date"] is not None and values["typical_date"] < values["decision_date"]:
        problems.append(("typical_date", "is before the decision date (决定日期); correct one"))
    if values["assistant_officer_id"] == values["lead_officer_id"]:
        problems.append(
            (
                "assistant_officer_id",
                "is the lead officer (主办人) too; leave it empty or correct it",
            )
        )
    _checked(problems)
    return Case(**values)


OFFICERS = Layout(
    "officers",
    (
        OFFICER_ID,
        Column("name", "姓名"),
        choice_column(
            "sex",
            "性别",
            Sex,
            required=False,
            derived_from="id_number",
        ),
        Column("birth_date", "出生日期", parse_date, required=False, derived_from="id_number"),
        Column("id_number", "身份证号", parse_id, required=False, aliases=("身份证号码",)),
        Column("unit", "单位"),
        Column("enforcement_start", "执法起始日期", parse_date, aliases=("执法日期",)),
        Column("position", "职务", required=False),
        choice_column(
            "retirement_category",
            "退休类别",
            RetirementCategory,
            required=False,
            default=RetirementCategory.CADRE,
        ),
        Column("retirement_date", "退休日期", parse_date, required=False),
    ),
    _build_officer,
)

HONORS = Layout(
    "honors",
    (
        OFFICER_ID,
        Column("date", "授予日期", parse_date, aliases=("日期",)),
        choice_column(
            "level",
            "级别",
            HonorLevel,
        ),
        choice_column(
            "kind",
            "类别",
            HonorKind,
        ),
        Column("name", "荣誉名称"),
        Column(
            "enforcement_related",
            "执法相关",
            parse_yes_no,
            choices=YES_NO,
            required=False,
            default=True,
        ),
    ),
    lambda values: Honor(**values),
    officer_columns=("officer_id",),
)

CASES = Layout(
    "cases",
    (
        Column("case_number", "案号"),
        Column("lead_officer_id", "主办人", aliases=("主办人执法证号",)),
        Column("assistant_officer_id", "协办人", required=False, aliases=("协办人执法证号",)),
        Column("case_type", "案件类型"),
        Column("case_value_fen", "案值", parse_money_fen, english_header="case_value"),
        Column("penalty_fen", "罚没金额", parse_money_fen, english_header="penalty"),
        Column("decision_date", "决定日期", parse_date),
        choice_column(
            "typical_level",
            "典型案例级别",
            HonorLevel,
            required=False,
        ),
        Column("typical_date", "入选日期", parse_date, required=False),
        Column("complex", "复杂疑难", parse_yes_no, choices=YES_NO, required=False, default=False),
    ),
    _build_case,
    officer_columns=("lead_officer_id", "assistant_officer_id"),
)

APPLICATIONS = Layout(
    "applications",
    (
        Column("round", "届次", parse_round, aliases=("评选批次",)),
        OFFICER_ID,
        choice_column(
            "grade",
            "申报级别",
            Grade,
        ),
        Column("applied_on", "申报日期", parse_date),
    ),
    lambda values: Application(**values),
    officer_columns=("officer_id",),
)


def parse_score(text: str) -> Decimal:
    """An exam score: a number from 0 to 1000 with at most 2 decimals.

    Raises:
        ValueError: not such a number (1e2 and ١٠٠ are not).
    """
    value = _value(text)
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
    value = re.sub("年度?$", "", _value(text).replace(" ", ""))  # 2027, 2027年, 2027年度
    if not (value.isascii() and value.isdigit()) or not EARLIEST_YEAR <= int(value) <= LATEST_YEAR:
        raise ValueError(f"not a year from {EARLIEST_YEAR} to {LATEST_YEAR}, e.g. 2027")
    return int(value)


def _build_decision(values: dict[str, Any]) -> Decision:
    problems = []
    if not values["approved"]:
        if not values["reason"]:
            problems.append(("reason", "empty; a rejection needs its reason"))
        if values["grade"] is not None:
            problems.append(("grade", "a rejection approves no grade; leave it empty"))
    _checked(problems)
    return Decision(**values)


EXAMS = Layout(
    "exams",
    (
        Column("round", "届次", parse_round, aliases=("评选批次",)),
        OFFICER_ID,
        Column("score", "成绩", parse_score, aliases=("考试成绩", "分数")),
    ),
    lambda values: Exam(**values),
    officer_columns=("officer_id",),
    of_application=True,
)

DECISIONS = Layout(
    "decisions",
    (
        Column("round", "届次", parse_round, aliases=("评选批次",)),
        OFFICER_ID,
        Column(
            "approved",
            "决定",
            parse_approval,
            english_header="decision",
            choices=(APPROVE_WORDS[0], REJECT_WORDS[0]),
            aliases=("评定结果", "结果"),
        ),
        choice_column("grade", "批准级别", Grade, required=False),
        Column("reason", "理由", required=False, aliases=("原因",)),
        Column("decided_on", "决定日期", parse_date, aliases=("日期",)),
    ),
    _build_decision,
    officer_columns=("officer_id",),
    of_application=True,
)

ASSESSMENTS = Layout(
    "assessments",
    (
        OFFICER_ID,
        Column("year", "年度", parse_year, aliases=("考核年度",)),
        choice_column(
            "result",
            "考核结果",
            Assessment,
            aliases=("结果", "等次"),
        ),
    ),
    lambda values: AnnualAssessment(**values),
    officer_columns=("officer_id",),
)

COMPLAINTS = Layout(
    "complaints",
    (
        OFFICER_ID,
        Column("date", "举报日期", parse_date, aliases=("日期",)),
        Column("summary", "举报内容", aliases=("内容", "摘要")),
        Column(
            "dismissed", "查无实据", parse_yes_no, choices=YES_NO, required=False, default=False
        ),
    ),
    lambda values: Complaint(**values),
    officer_columns=("officer_id",),
)

INCIDENTS = Layout(
    "incidents",
    (
        OFFICER_ID,
        Column("date", "日期", parse_date, aliases=("发生日期",)),
        choice_column(
            "kind",
            "类别",
            IncidentKind,
            aliases=("类型",),
        ),
        Column("note", "说明", required=False, default="", aliases=("备注",)),
    ),
    lambda values: Incident(**values),
    officer_columns=("officer_id",),
)

PERIOD = re.compile(r"(\d{4})\s*(?:H([12])|(上|下)半年)", re.IGNORECASE | re.ASCII)


def parse_period(text: str) -> str:
    """A half-year: "2026H2", "2026h2" or "2026下半年" -> "2026H2".

    Raises:
        ValueError: not such a half-year, or a year outside 1900-2100.
    """
    match = PERIOD.fullmatch(_value(text).replace(" ", ""))
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
    value = _value(text).replace(" ", "").upper()
    if len(value) != 6 or value[4] != "Q" or value[5] not in "1234":
        raise ValueError("not a quarter; write it as 2027Q1")
    parse_year(value[:4])
    return value


def parse_hours(text: str) -> int:
    """学时: a whole number from 0 to 1000.

    Raises:
        ValueError: not such a number.
    """
    value = _value(text)
    if not (value.isascii() and value.isdigit()) or int(value) > 1000:
        raise ValueError("not a whole number of hours from 0 to 1000")
    return int(value)


RATINGS = Layout(
    "ratings",
    (
        OFFICER_ID,
        Column("period", "考核期间", parse_period, aliases=("期间", "半年")),
        choice_column(
            "level",
            "考核等次",
            RatingLevel,
            aliases=("等次", "结果"),
        ),
        Column("rated_on", "考核日期", parse_date, aliases=("日期",)),
        Column("note", "考核意见", required=False, default="", aliases=("意见", "备注")),
    ),
    lambda values: Rating(**values),
    officer_columns=("officer_id",),
)

REPORTS = Layout(
    "reports",
    (
        OFFICER_ID,
        Column("date", "提交日期", parse_date, aliases=("日期",)),
        Column("title", "题目", aliases=("标题", "报告题目")),
    ),
    lambda values: Report(**values),
    officer_columns=("officer_id",),
)

TRAININGS = Layout(
    "trainings",
    (
        OFFICER_ID,
        Column("date", "培训日期", parse_date, aliases=("日期",)),
        Column("title", "培训内容", aliases=("培训名称", "题目")),
        Column("hours", "学时", parse_hours, required=False),
    ),
    lambda values: Training(**values),
    officer_columns=("officer_id",),
)

LAYOUTS = {
    layout.kind: layout
    for layout in (
        OFFICERS,
        HONORS,
        CASES,
        APPLICATIONS,
        EXAMS,
        DECISIONS,
        ASSESSMENTS,
        COMPLAINTS,
        INCIDENTS,
        RATINGS,
        REPORTS,
        TRAININGS,
    )
}


# --- reading ------------------------------------------------------------------------------------

HEADER_SEARCH = 10  # rows searched for the header, below a title (banner) the office put on top
# A row that starts with one of these and has no key is the table's foot: totals, signatures.
FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "制表",
    "填表",
    "填报",
    "审核",
    "审批",
    "负责人",
    "签字",
    "注：",
    "注:",
)
CODE_FIELDS = frozenset({*ID_COLUMNS, "case_number", "id_number"})  # no space inside
FREE_TEXT_FIELDS = frozenset({"note", "summary", "reason"})  # line breaks kept


@dataclass
class ParsedFile:
    """A file as read: its records and, with ``collect``, its bad rows.

    Attributes:
        layout: what kind of file it is.
        path: where it was read from.
        records: one record per data row, in file order.
        rows: the row number (as Excel numbers it) of each record.
        errors: with ``collect``, the bad rows found (for the caller to add its own and fail).
        warnings: things worth telling the clerk that do not stop the import (ignored columns),
            one per column and kind.
        present: the record fields the file has a column for; the others keep their stored
            values.
        header_row: the header's row number (1 unless title rows stand above it; 0 if none).
        sheet: the workbook sheet read ("" for CSV).
    """

    layout: Layout
    path: Path
    records: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    present: frozenset[str] = frozenset()
    header_row: int = 0
    sheet: str = ""


@dataclass
class _Notes:
    """What the reading noticed, gathered per column so that 50 rows give one warning."""

    name: str
    lines: list[str] = field(default_factory=list)
    cleaned: dict[str, list[int]] = field(default_factory=dict)  # column -> rows
    numeric_ids: dict[str, list[int]] = field(default_factory=dict)
    unheaded: dict[int, list[int]] = field(default_factory=dict)  # column number -> rows
    footers: list[tuple[int, str]] = field(default_factory=list)
    rounded_ids: list[int] = field(default_factory=list)  # rows whose ID number ends in 000
    large: dict[str, list[int]] = field(default_factory=dict)  # money column -> rows ≥ 1亿元

    def add(self, line: str) -> None:
        self.lines.append(f"{self.name}: {line}")

    def warnings(self) -> list[str]:
        """Every note as one line each, in a fixed order."""
        out = list(self.lines)
        for column, rows in self.cleaned.items():
            out.append(
                f"{self.name}: column {column!r}: invisible characters, full-width digits or "
                f"stray spaces removed from {len(rows)} cell(s) (rows {_rows_text(rows)})"
            )
        for column, rows in self.numeric_ids.items():
            out.append(
                f"{self.name}: column {column!r} holds numbers in Excel ({len(rows)} row(s)); if "
                "IDs have leading zeros, Excel dropped them: format the column as Text and type "
                "them again"
            )
        for number, rows in self.unheaded.items():
            out.append(
                f"{self.name}: column {number} has values but no header (rows "
                f"{_rows_text(rows)}); they were ignored"
            )
        if self.footers:
            shown = "; ".join(f"row {row} {text!r}" for row, text in self.footers[:5])
            out.append(f"{self.name}: {len(self.footers)} footer row(s) skipped: {shown}")
        for column, rows in self.large.items():
            out.append(
                f"{self.name}: column {column!r}: amounts of 100,000,000 元 or more (rows "
                f"{_rows_text(rows)}); check that the unit (元 or 万元) is the one the column says"
            )
        if self.rounded_ids:
            out.append(
                f"{self.name}: ID numbers ending in 000 (rows {_rows_text(self.rounded_ids)}): "
                "Excel may have rounded them; check them against the ID cards"
            )
        return out


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:10]))
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def fold_header(header: str) -> tuple[str, str]:
    """Header text as compared (no spaces, line breaks or invisible characters, full-width forms
    made ASCII, case folded) and the unit in brackets, if any: "案值（万元）" -> ("案值", "万元")."""
    text = "".join(c for c in unicodedata.normalize("NFKC", header) if not is_space(c))
    text = text.casefold()
    if text.endswith(")") and "(" in text:  # NFKC made （） ASCII
        cut = text.rindex("(")
        return text[:cut], text[cut + 1 : -1]
    return text, ""


def _shown(header: str) -> str:
    """A header as the clerk reads it in Excel, on one line and short (never an error)."""
    return glimpse(header, 60)


def parse_file(
    path: Path,
    layout: Layout,
    known_officers: set[str],
    case_types: set[str] | None = None,
    applications: set[tuple[str, str]] | None = None,
    *,
    stored: dict[tuple, Any] | None = None,
    sheet: str | None = None,
    collect: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ParsedFile:
    """Read one CSV or .xlsx file of the given layout.

    The header is found by its column names within the first rows (a title above it is
    skipped); footer rows (合计, 制表人 …) are skipped with a warning. A column the file does not
    have leaves the stored value of that field as it is; a column with an empty cell clears it.

    Args:
        path: the file.
        layout: its kind (``LAYOUTS["cases"]`` …).
        known_officers: officer_ids on record; a reference to any other is an error.
        case_types: the policy's case types; for cases, any other type is an error.
        applications: (round, officer_id) of the applications on record, for layouts whose rows
            belong to an application.
        stored: the records of this kind on record, by natural key: where the file lacks a
            column, a row of a stored key keeps the stored value.
        sheet: the workbook sheet to read (default the first).
        collect: return the bad rows in ``errors`` (with the good records) instead of raising,
            so that the caller can check the rest and report every problem at once.
        progress: called now and then with the row number reached, for a progress bar.

    Raises:
        ImportFailed: with every bad row (file, row, column, value, why) and the warnings.
    """
    name = str(path)
    if layout.officer_columns and not known_officers:
        raise ImportFailed(
            [RowError(name, 0, "", "", "no officers on record yet; import the officers file first")]
        )
    parsed = ParsedFile(layout, path)
    reading = _Reading(parsed, _Notes(name), stored or {}, known_officers, case_types, applications)
    try:
        with open_sheet(path, sheet) as source:
            parsed.sheet = source.sheet
            reading.read(source, progress)
    except UnreadableSheet as exc:
        reading.errors.append(RowError(name, exc.row, "", "", str(exc)))
    reading.check_file()
    parsed.errors = sorted(reading.errors, key=lambda e: e.row)
    parsed.warnings = reading.notes.warnings()
    if parsed.errors and not collect:
        raise ImportFailed(parsed.errors, parsed.warnings, parsed.header_row, parsed.sheet)
    return parsed


@dataclass
class _Reading:
    """One file being read: what it is checked against, and what it found so far."""

    parsed: ParsedFile
    notes: _Notes
    stored: dict[tuple, Any]
    known_officers: set[str]
    case_types: set[str] | None
    applications: set[tuple[str, str]] | None
    errors: list[RowError] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    columns: dict[int, Column] = field(default_factory=dict)
    shown: dict[int, str] = field(default_factory=dict)  # column index -> header on one line

    def __post_init__(self) -> None:
        self.name = str(self.parsed.path)
        self.layout = self.parsed.layout
        self.twins = zero_twins(self.known_officers)

    def read(self, source: Sheet, progress: Callable[[int], None] | None) -> None:
        """Find the header, then parse every data row into ``parsed``."""
        found = _find_header(
            self.name, iter(source.rows), self.layout, source, self.notes, self.errors
        )
        if found is None:
            return
        self.parsed.header_row, self.header, self.columns, rows = found
        self.shown = {index: _shown(self.header[index]) for index in self.columns}
        self.parsed.present = frozenset(column.key for column in self.columns.values())
        header = [fold_header(text)[0] for text in self.header]
        width = len(self.header) - next(
            (i for i, text in enumerate(reversed(self.header)) if text.strip()), len(self.header)
        )
        seen: dict[tuple, tuple[int, Any]] = {}
        for row, cells in rows:
            if progress is not None and row % 500 == 0:
                progress(row)
            if _is_footer(cells, self.columns, self.layout):
                self.notes.footers.append((row, glimpse(next(c for c in cells if c.strip()))))
                continue
            if (
                fold_header(cells[0])[0] == header[0]
                and [fold_header(cell)[0] for cell in cells[: len(header)]] == header
            ):
                self._error(
                    row, "", "", "repeats the header row (two files pasted together?); delete it"
                )
                continue
            if not source.sheets:  # in a CSV, every row has the header's cells
                problem = _width_problem(self.name, row, cells, width)
                if problem is not None:
                    self.errors.append(problem)
                    continue
            _note_cells(row, cells, self.header, self.columns, self.notes)
            record = self._record(row, cells)
            if record is None:
                continue
            key = self.layout.key_of(record)
            if key in seen:
                first_row, first = seen[key]
                differs = "with other values" if first != record else "again"
                self._error(
                    row,
                    "",
                    " / ".join(map(str, key)),
                    f"repeats the key of row {first_row} {differs}; keep one of the two",
                )
            seen.setdefault(key, (row, record))
            self.parsed.records.append(record)
            self.parsed.rows.append(row)

    def _error(self, row: int, column: str, value: str, why: str) -> None:
        self.errors.append(RowError(self.name, row, column, value, why))

    def _record(self, row: int, cells: list[str]) -> Any | None:
        """One record, or None after noting every problem of the row: its cells, what they
        name, and how they fit together. Fields whose column the file lacks keep the stored
        record's values."""
        values = {column.key: column.default for column in self.layout.columns}
        failed = False
        for index, column in self.columns.items():
            cell = cells[index] if index < len(cells) else ""
            shown = self.shown[index]
            try:
                if isinstance(cell, UnsavedFormula):
                    raise ValueError(
                        "a formula with no saved value; open the file in Excel and save it"
                    )
                if column.key == "id_number" and isinstance(cell, NumberText):
                    raise ValueError(ID_AS_NUMBER)
                text = _cleaner(column)(cell)
            except ValueError as exc:
                self._error(row, shown, _private(column, cell), str(exc))
                failed = True
                continue
            if text != cell.strip():
                self.notes.cleaned.setdefault(shown, []).append(row)
            if not text:
                if column.required:
                    self._error(row, shown, "", "empty; fill it in")
                    failed = True
                continue
            try:
                values[column.key] = column.parse(text)
            except ValueError as exc:
                self._error(row, shown, _private(column, text), str(exc))
                failed = True
                continue
            if column.key.endswith("_fen") and values[column.key] >= LARGE_FEN:
                self.notes.large.setdefault(shown, []).append(row)
        failed |= self._check_references(row, values)
        if failed:
            return None
        kept = self._keep_stored(values)
        try:
            try:
                return self.layout.build(dict(values))
            except FieldError as exc:
                misfits = {key for key, _ in exc.problems} & kept
                if not misfits:
                    raise
                # a value kept from the record that no longer fits what the file says (the grade
                # of a decision now rejected): cleared, as the file's new values require
                return self.layout.build(
                    values | {k: self.layout.column(k).default for k in misfits}
                )
        except FieldError as exc:
            for key, why in exc.problems:
                at = next((i for i, c in self.columns.items() if c.key == key), None)
                if at is None:
                    header, value = self.layout.column(key).zh, ""
                else:
                    header = _shown(self.header[at])
                    value = glimpse(cells[at], 200) if at < len(cells) else ""
                self._error(row, header, value, why)
            return None

    def _keep_stored(self, values: dict[str, Any]) -> set[str]:
        """Fill the fields whose column the file lacks from the stored record of the same key,
        if any (not those the row derives from another field it fills). Returns them."""
        old = self.stored.get(self.layout.key_of(values))
        if old is None:
            return set()
        kept = set()
        for column in self.layout.columns:
            derived = column.derived_from and values.get(column.derived_from)
            if column.key not in self.parsed.present and not derived:
                values[column.key] = getattr(old, column.key)
                kept.add(column.key)
        return kept

    def _column(self, key: str) -> str:
        """The header, as the file has it, of the column of ``key``."""
        index = next((i for i, c in self.columns.items() if c.key == key), None)
        return self.layout.column(key).zh if index is None else _shown(self.header[index])

    def _check_references(self, row: int, values: dict[str, Any]) -> bool:
        """Note what the row's values name that is not on record (officers, case types,
        applications), whether or not its other cells were right; True if any."""
        before = len(self.errors)
        if self.layout is OFFICERS and values["officer_id"]:
            officer_id = values["officer_id"]
            twin = zero_twin(officer_id, self.known_officers, self.twins)
            if twin is not None and len(twin) > len(officer_id):
                self._error(
                    row,
                    self._column("officer_id"),
                    officer_id,
                    f"officer {twin} is on record: this looks like {twin} with its leading "
                    "zeros lost (Excel drops them); format the column as Text and type the ID "
                    "again",
                )
            elif twin is not None:
                self.notes.add(
                    f"row {row}: officer {twin} on record looks like {officer_id} with its "
                    f"leading zeros lost; once {twin}'s records name {officer_id}, remove {twin} "
                    "by importing the full list of officers with --replace"
                )
        for key in self.layout.officer_columns:
            officer_id = values.get(key)
            if not officer_id or officer_id in self.known_officers:
                continue
            twin = zero_twin(officer_id, self.known_officers, self.twins)
            why = "no officer with this 执法证号; import the officer first or correct the ID"
            if twin is not None:
                why = (
                    f"no officer {officer_id}; did you mean {twin}? Excel drops leading zeros: "
                    "format the column as Text and type the ID again"
                )
            self._error(row, self._column(key), officer_id, why)
        case_type = values.get("case_type")
        if self.case_types is not None and case_type and case_type not in self.case_types:
            self._error(
                row,
                self._column("case_type"),
                case_type,
                "unknown case type; add it to [case_types] in the policy file or correct the type",
            )
        application = (values.get("round"), values.get("officer_id"))
        known = self.applications or set()
        if self.layout.of_application and all(application) and application not in known:
            self._error(
                row,
                self._column("officer_id"),
                values["officer_id"],
                f"no application from this officer in round {values['round']}; import the "
                "application first",
            )
        return len(self.errors) > before

    def check_file(self) -> None:
        """What only the whole file shows: one ID number for two officers, ID numbers ending
        in 000, officer_ids of mixed lengths."""
        parsed = self.parsed
        if self.layout is not OFFICERS:
            return
        self.errors += _shared_id_numbers(parsed, self.stored)
        self.notes.rounded_ids += [
            row
            for record, row in zip(parsed.records, parsed.rows, strict=True)
            if record.id_number and record.id_number.endswith("000")
        ]
        numeric = sorted((r.officer_id for r in parsed.records if r.officer_id.isdigit()), key=len)
        if numeric and len(numeric[0]) != len(numeric[-1]):
            self.notes.add(
                f"officer_ids of different lengths ({numeric[0]}, {numeric[-1]}); if Excel "
                "dropped leading zeros, format the column as Text and import again"
            )


def _find_header(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    layout: Layout,
    source: Sheet,
    notes: _Notes,
    errors: list[RowError],
) -> tuple[int, list[str], dict[int, Column], Iterator[tuple[int, list[str]]]] | None:
    """The header (row number, cells, index -> column) among the first rows, and the rows after
    it; None after adding the errors when no row has every required column."""
    first: list[tuple[int, list[str]]] = []
    cut: UnreadableSheet | None = None  # raised by a row among the first: reported after them
    try:
        for item in rows:
            first.append(item)
            if len(first) == HEADER_SEARCH:
                break
    except UnreadableSheet as exc:
        cut = exc
    if cut is not None:
        rows = _raise(cut)
    if not first:
        if cut is not None:
            raise cut
        errors.append(RowError(name, 0, "", "", "the file is empty; it needs a header row"))
        return None
    if source.unread:
        notes.add(
            f"read sheet {source.sheet!r}; the workbook has other sheets too "
            f"({', '.join(source.unread)}): choose one with --sheet NAME"
        )
    required = {column.key for column in layout.columns if column.required}

    def known(cells: list[str]) -> set[str]:
        return {c.key for text in cells if (c := _column_named(fold_header(text)[0], layout))}

    chosen = next((i for i, (_, cells) in enumerate(first) if required <= known(cells)), None)
    if chosen is None:
        best = max(range(len(first)), key=lambda i: len(known(first[i][1])))
        if (
            not known(first[best][1])
            and len(first[0][1]) == 1
            and re.search("[;\t]", first[0][1][0])
        ):
            _match_header(name, first[0][0], first[0][1], layout, notes, errors)  # ';' or tabs
            return None
        other = _other_kind(first, layout)
        if other is not None:
            notes.add(f"the header is that of a {other} file: casegrade import {other} FILE")
        if not known(first[best][1]):
            where = f"sheet {source.sheet!r}" if source.sheet else "the file"
            why = (
                f"no header row in the first {HEADER_SEARCH} rows of {where}: the columns "
                f"{', '.join(c.zh for c in layout.columns if c.required)} are needed"
            )
            if len(source.sheets) > 1:
                why += (
                    f"; the workbook's sheets are: {', '.join(source.sheets)}: name the one with "
                    "the data with --sheet NAME"
                )
            errors.append(RowError(name, first[0][0], "", "", why))
            return None
        chosen = best
    number, header = first[chosen]
    for row, cells in first[:chosen]:
        title = glimpse(" ".join(c for c in cells if c.strip()))
        notes.add(f"row {row} above the header was skipped: {title!r}")
    columns = _match_header(name, number, header, layout, notes, errors)
    if errors:
        if len(source.sheets) > 1 and any("missing column" in e.why for e in errors):
            notes.add(
                f"read sheet {source.sheet!r}; the workbook's sheets are: "
                f"{', '.join(source.sheets)} (choose one with --sheet NAME)"
            )
        return None
    return number, header, columns, itertools.chain(first[chosen + 1 :], rows)


def _other_kind(rows: list[tuple[int, list[str]]], layout: Layout) -> str | None:
    """The kind of file whose required columns one of ``rows`` has, when it is not ``layout``'s
    (a cases file given to import officers)."""
    for kind, other in LAYOUTS.items():
        required = {column.key for column in other.columns if column.required}
        for _, cells in rows:
            found = {c.key for text in cells if (c := _column_named(fold_header(text)[0], other))}
            if other is not layout and required <= found:
                return kind
    return None


def _raise(exc: UnreadableSheet) -> Iterator[tuple[int, list[str]]]:
    """Rows that end in ``exc``: the rest of a file whose reading failed among its first rows."""
    raise exc
    yield  # a generator, so that the error comes after the rows read before it


def _column_named(folded: str, layout: Layout) -> Column | None:
    return next((c for c in layout.columns if folded in c.names()), None)


def _is_footer(cells: list[str], columns: dict[int, Column], layout: Layout) -> bool:
    """A row of totals or signatures under the table: it starts with 合计, 制表人 … and has no
    key of its own."""
    start = next((i for i, cell in enumerate(cells) if cell.strip()), None)
    if start is None:
        return False
    first = fold_header(cells[start])[0]
    if not first.startswith(FOOTER_WORDS):
        return False
    keys = [i for i, column in columns.items() if column.key in layout.key]
    return all(i == start or i >= len(cells) or not cells[i].strip() for i in keys)


def _note_cells(
    row: int, cells: list[str], header: list[str], columns: dict[int, Column], notes: _Notes
) -> None:
    """Note IDs stored as numbers in Excel, and values without a header."""
    for index, cell in enumerate(cells):
        column = columns.get(index)
        if column is not None and column.key in ID_COLUMNS and isinstance(cell, NumberText):
            notes.numeric_ids.setdefault(_shown(header[index]), []).append(row)
        elif (index >= len(header) or not header[index].strip()) and cell.strip():
            notes.unheaded.setdefault(index + 1, []).append(row)


def _width_problem(name: str, row: int, cells: list[str], width: int) -> RowError | None:
    """A CSV row with values past the header's last column (an unquoted comma) or with fewer
    cells than the header has columns (cut short)."""
    if len(cells) < width:
        return RowError(
            name,
            row,
            "",
            "",
            f"{len(cells)} cells but the header has {width} columns: the row is incomplete (the "
            "file may have been cut short, or cells deleted); complete the row",
        )
    extra = [cell for cell in cells[width:] if cell.strip()]
    if not extra:
        return None
    return RowError(
        name,
        row,
        "",
        ",".join(extra),
        f"{len(cells)} cells but {width} columns; quote values that contain a comma, "
        'e.g. "12,500.50"',
    )


def zero_twins(known: set[str]) -> dict[str, list[str]]:
    """officer_ids on record by their digits without leading zeros: what Excel leaves of them."""
    twins: dict[str, list[str]] = {}
    for officer_id in sorted(known):
        twins.setdefault(officer_id.lstrip("0"), []).append(officer_id)
    return twins


def zero_twin(
    officer_id: str, known: set[str], twins: dict[str, list[str]] | None = None
) -> str | None:
    """A known officer_id that differs from ``officer_id`` only by leading zeros (Excel drops
    them), if any. ``twins``, ``zero_twins(known)`` made once for many look-ups, is used
    instead of ``known`` when given."""
    candidates = (twins if twins is not None else zero_twins(known)).get(officer_id.lstrip("0"), [])
    return next((other for other in candidates if other != officer_id), None)


def _shared_id_numbers(parsed: ParsedFile, stored: dict[tuple, Any]) -> list[RowError]:
    """Two officers with one ID number: in the file, or one in the file and one on record (but
    for an officer on record whose 执法证号 lost its leading zeros, being corrected)."""
    in_file = {record.officer_id.lstrip("0") for record in parsed.records}
    holders: dict[str, str] = {
        officer.id_number: f"officer {officer.officer_id} ({officer.name}) on record"
        for officer in stored.values()
        if officer.id_number and officer.officer_id.lstrip("0") not in in_file
    }
    errors = []
    for record, row in zip(parsed.records, parsed.rows, strict=True):
        if not record.id_number:
            continue
        other = holders.get(record.id_number)
        if other is not None:
            errors.append(
                RowError(
                    str(parsed.path),
                    row,
                    "身份证号",
                    "",
                    f"officer {record.officer_id} ({record.name}) has the ID number of {other}; "
                    "one person has one ID number: correct one of them",
                )
            )
        else:
            holders[record.id_number] = f"officer {record.officer_id} ({record.name}), row {row}"
    return errors


def _match_header(
    name: str,
    row: int,
    header: list[str],
    layout: Layout,
    notes: _Notes,
    errors: list[RowError],
) -> dict[int, Column]:
    """Cell index -> column; errors for repeated or missing columns, warnings for unused ones
    (with the known column the header most resembles)."""
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t")):
        errors.append(
            RowError(
                name,
                row,
                "",
                header[0],
                "columns are separated by ';' or tabs; save the file as CSV (comma delimited)",
            )
        )
        return {}
    columns: dict[int, Column] = {}
    unknown: list[tuple[str, str]] = []
    for index, text in enumerate(header):
        folded, unit = fold_header(text)
        column = _column_named(folded, layout)
        if column is None:
            if folded:
                unknown.append((_shown(text), folded))
        elif column.key in {c.key for c in columns.values()}:
            errors.append(
                RowError(
                    name, row, _shown(text), "", f"a second column for {column.zh}; delete one"
                )
            )
        elif column.parse is parse_money_fen and unit:
            if unit not in YUAN_PER:
                errors.append(
                    RowError(
                        name,
                        row,
                        _shown(text),
                        "",
                        f"amounts must be in 元 or 万元, not {unit}; convert the column and head "
                        f"it {column.zh}(元)",
                    )
                )
                continue
            columns[index] = dataclasses.replace(
                column, parse=functools.partial(parse_money_fen, unit=unit)
            )
        else:
            columns[index] = column
    present = {column.key for column in columns.values()}
    missing = [c for c in layout.columns if c.key not in present]
    for shown, folded in unknown:
        guess = _nearest(folded, missing)
        hint = f"; did you mean {guess}?" if guess else ""
        notes.add(f"column {shown!r} is not used and was ignored{hint}")
    for column in layout.columns:
        if column.required and column.key not in present:
            errors.append(
                RowError(
                    name,
                    row,
                    "",
                    "",
                    f"missing column {column.zh} ({column.english}); add it to the header row",
                )
            )
    return columns


def _nearest(folded: str, columns: list[Column]) -> str | None:
    """The Chinese header of the column whose name ``folded`` most resembles, if any is close."""
    names = {name: column.zh for column in columns for name in column.names()}
    match = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.5)
    return names[match[0]] if match else None


ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}", re.ASCII)  # a resident ID number, old or new


def _private(column: Column, value: str) -> str:
    """A cell as an error message may show it: an ID number masked, in its column or in any
    other (a shifted row) — no full ID numbers in messages."""
    if column.key == "id_number" or ID_LIKE.fullmatch(value.strip()):
        return mask_id_number(value.strip())
    return value


def _cleaner(column: Column) -> Callable[[str], str]:
    """How a cell of this column is cleaned before it is read."""
    if column.key in CODE_FIELDS:
        return compact
    if column.parse is parse_text:
        return parse_text if column.key in FREE_TEXT_FIELDS else name_text
    return _value
