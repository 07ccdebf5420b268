"""Turn the bureau's spreadsheets into records, collecting every bad row before failing.

Headers may be English or Chinese in any order; values Chinese or English. Nothing here writes: the
store writes only when a whole file is clean.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, DecimalException
from pathlib import Path
from typing import Any

from casegrade.errors import CasegradeError
from casegrade.idnumber import parse_id_number
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
from casegrade.sheets import NumberText, UnreadableSheet, is_workbook, read_rows
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
THOUSANDS = re.compile(r"\d{1,3}(,\d{3})+(\.\d*)?")  # 12,500.50; a comma anywhere else is a typo
ID_COLUMNS = ("officer_id", "lead_officer_id", "assistant_officer_id")
YES_NO = (yes_no(True), yes_no(False))  # 是, 否: a yes/no column's drop-down
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
        value = f" = {self.value!r}" if self.value else ""
        return f"{where}{value}: {self.why}"


class ImportFailed(CasegradeError):
    """A file had bad rows; nothing was written. ``errors`` lists every one."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__(f"{len(errors)} problem(s) in {errors[0].file}; nothing was imported")


# --- value parsers: text -> value, ValueError with the fix on bad input -------------------------


def parse_text(text: str) -> str:
    """Text with surrounding spaces removed."""
    return text.strip()


def parse_date(text: str) -> date:
    """A full date: 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日; nothing is guessed.

    Raises:
        ValueError: not one of those forms, a day that does not exist, or a year outside
            1900-2100.
    """
    value = text.strip()
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
    raise ValueError("not a full, valid date; write it as YYYY-MM-DD, e.g. 2019-03-01")


def parse_money_fen(text: str) -> int:
    """An amount in yuan with at most 2 decimals (commas, ¥ and 元 allowed) -> fen.

    Raises:
        ValueError: not a number, more than 2 decimals, negative, or implausibly large.
    """
    value = text.strip().removeprefix("¥").removeprefix("￥").removesuffix("元").strip()
    if "," in value:
        if not THOUSANDS.fullmatch(value):
            raise ValueError("commas only between thousands, e.g. 12,500.50; correct the amount")
        value = value.replace(",", "")
    try:
        fen = Decimal(value) * 100
        whole = fen.is_finite() and fen == fen.to_integral_value()
    except DecimalException:
        raise ValueError("not an amount; write yuan as a number, e.g. 12500.50") from None
    if not fen.is_finite():
        raise ValueError("not an amount; write yuan as a number, e.g. 12500.50")
    if not whole:
        raise ValueError("more than 2 decimals; amounts are in yuan, to the fen")
    if fen < 0:
        raise ValueError("an amount cannot be negative")
    if fen > MAX_FEN:
        raise ValueError("implausibly large for an amount in yuan; check the column")
    return int(fen)


def parse_round(text: str) -> str:
    """届次 as text: "2026" and "2026届" are the same round."""
    return text.strip().removesuffix("届").strip()


def enum_parser(enum: type) -> Callable[[str], Any]:
    """A parser for one of vocab's enums (English value, Chinese label or alias)."""
    return lambda text: parse_enum(enum, text)


def labels_of(enum: type) -> tuple[str, ...]:
    """The Chinese labels of an enum's members, lowest first."""
    return tuple(label(member) for member in enum)


def parse_id(text: str) -> str:
    """A resident ID number with a valid check character (GB 11643), upper-case X."""
    return parse_id_number(text)[0]


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
    choices: tuple[str, ...] = ()

    @property
    def english(self) -> str:
        """The English header."""
        return self.english_header or self.key

    def names(self) -> set[str]:
        """Every header accepted for this column, folded as headers are compared."""
        return {_fold(name)[0] for name in (self.key, self.english, self.zh, *self.aliases)}


@dataclass(frozen=True)
class Layout:
    """What one kind of file holds.

    Attributes:
        kind: "officers", "honors", "cases" or "applications".
        columns: the columns, in the order documented.
        build: parsed values (column key -> value) -> record; raises FieldError for values
            that do not fit together.
        key: record -> natural key, used to find a key repeated within the file.
        officer_columns: columns that must name an officer already on record.
        of_application: rows belong to an application (round + officer_id) that must be on
            record (exams, decisions).
    """

    kind: str
    columns: tuple[Column, ...]
    build: Callable[[dict[str, Any]], Any]
    key: Callable[[Any], tuple]
    officer_columns: tuple[str, ...] = ()
    of_application: bool = False


class FieldError(ValueError):
    """Values of one row that do not fit together; ``key`` is the column to point at."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key


# The column most files share: who the row is about.
OFFICER_ID = Column("officer_id", "执法证号", aliases=("工号",))


def _build_officer(values: dict[str, Any]) -> Officer:
    if values["id_number"]:
        _, born, sex = parse_id_number(values["id_number"])
        for key, given, derived in (
            ("birth_date", values["birth_date"], born),
            ("sex", values["sex"], sex),
        ):
            if given is not None and given != derived:
                shown = label(derived) if key == "sex" else derived
                raise FieldError(key, f"the ID number (身份证号) says {shown}; correct one of them")
        values["birth_date"], values["sex"] = born, sex
    for key in ("birth_date", "sex"):
        if values[key] is None:
            raise FieldError(key, "empty; fill it in, or give the ID number (身份证号)")
    if values["enforcement_start"] <= values["birth_date"]:
        raise FieldError("enforcement_start", "is not after the birth date; correct one of them")
    return Officer(**values)


def _build_case(values: dict[str, Any]) -> Case:
    if values["typical_level"] is not None and values["typical_date"] is None:
        raise FieldError("typical_date", "empty while 典型案例级别 is filled; fill both or neither")
    if values["typical_level"] is None and values["typical_date"] is not None:
        raise FieldError("typical_level", "empty while 入选日期 is filled; fill both or neither")
    if values["typical_date"] is not None and values["typical_date"] < values["decision_date"]:
        raise FieldError("typical_date", "is before the decision date (决定日期); correct one")
    if values["assistant_officer_id"] == values["lead_officer_id"]:
        raise FieldError(
            "assistant_officer_id", "is the lead officer (主办人) too; leave it empty or correct it"
        )
    return Case(**values)


OFFICERS = Layout(
    "officers",
    (
        OFFICER_ID,
        Column("name", "姓名"),
        Column("sex", "性别", enum_parser(Sex), choices=labels_of(Sex), required=False),
        Column("birth_date", "出生日期", parse_date, required=False),
        Column("id_number", "身份证号", parse_id, required=False, aliases=("身份证号码",)),
        Column("unit", "单位"),
        Column("enforcement_start", "执法起始日期", parse_date, aliases=("执法日期",)),
        Column("position", "职务", required=False),
        Column(
            "retirement_category",
            "退休类别",
            enum_parser(RetirementCategory),
            choices=labels_of(RetirementCategory),
            required=False,
            default=RetirementCategory.CADRE,
        ),
        Column("retirement_date", "退休日期", parse_date, required=False),
    ),
    _build_officer,
    key=lambda officer: (officer.officer_id,),
)

HONORS = Layout(
    "honors",
    (
        OFFICER_ID,
        Column("date", "授予日期", parse_date, aliases=("日期",)),
        Column("level", "级别", enum_parser(HonorLevel), choices=labels_of(HonorLevel)),
        Column("kind", "类别", enum_parser(HonorKind), choices=labels_of(HonorKind)),
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
    key=lambda honor: (honor.officer_id, honor.date, honor.name),
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
        Column(
            "typical_level",
            "典型案例级别",
            enum_parser(HonorLevel),
            choices=labels_of(HonorLevel),
            required=False,
        ),
        Column("typical_date", "入选日期", parse_date, required=False),
        Column("complex", "复杂疑难", parse_yes_no, choices=YES_NO, required=False, default=False),
    ),
    _build_case,
    key=lambda case: (case.case_number,),
    officer_columns=("lead_officer_id", "assistant_officer_id"),
)

APPLICATIONS = Layout(
    "applications",
    (
        Column("round", "届次", parse_round, aliases=("评选批次",)),
        OFFICER_ID,
        Column("grade", "申报级别", enum_parser(Grade), choices=labels_of(Grade)),
        Column("applied_on", "申报日期", parse_date),
    ),
    lambda values: Application(**values),
    key=lambda application: (application.round, application.officer_id),
    officer_columns=("officer_id",),
)


def parse_score(text: str) -> Decimal:
    """An exam score: a number from 0 to 1000 with at most 2 decimals.

    Raises:
        ValueError: not such a number.
    """
    try:
        score = Decimal(text.strip())
    except DecimalException:
        raise ValueError("not a score; write a number, e.g. 86.5") from None
    if not score.is_finite() or not 0 <= score <= 1000 or score != round(score, 2):
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
    value = text.strip().removesuffix("年")
    if not value.isdigit() or not EARLIEST_YEAR <= int(value) <= LATEST_YEAR:
        raise ValueError(f"not a year from {EARLIEST_YEAR} to {LATEST_YEAR}, e.g. 2027")
    return int(value)


def _build_decision(values: dict[str, Any]) -> Decision:
    if not values["approved"]:
        if not values["reason"]:
            raise FieldError("reason", "empty; a rejection needs its reason")
        if values["grade"] is not None:
            raise FieldError("grade", "a rejection approves no grade; leave it empty")
    return Decision(**values)


EXAMS = Layout(
    "exams",
    (
        Column("round", "届次", parse_round, aliases=("评选批次",)),
        OFFICER_ID,
        Column("score", "成绩", parse_score, aliases=("考试成绩", "分数")),
    ),
    lambda values: Exam(**values),
    key=lambda exam: (exam.round, exam.officer_id),
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
        Column("grade", "批准级别", enum_parser(Grade), choices=labels_of(Grade), required=False),
        Column("reason", "理由", required=False, aliases=("原因",)),
        Column("decided_on", "决定日期", parse_date, aliases=("日期",)),
    ),
    _build_decision,
    key=lambda decision: (decision.round, decision.officer_id),
    officer_columns=("officer_id",),
    of_application=True,
)

ASSESSMENTS = Layout(
    "assessments",
    (
        OFFICER_ID,
        Column("year", "年度", parse_year, aliases=("考核年度",)),
        Column(
            "result",
            "考核结果",
            enum_parser(Assessment),
            choices=labels_of(Assessment),
            aliases=("结果", "等次"),
        ),
    ),
    lambda values: AnnualAssessment(**values),
    key=lambda assessment: (assessment.officer_id, assessment.year),
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
    key=lambda complaint: (complaint.officer_id, complaint.date, complaint.summary),
    officer_columns=("officer_id",),
)

INCIDENTS = Layout(
    "incidents",
    (
        OFFICER_ID,
        Column("date", "日期", parse_date, aliases=("发生日期",)),
        Column(
            "kind",
            "类别",
            enum_parser(IncidentKind),
            choices=labels_of(IncidentKind),
            aliases=("类型",),
        ),
        Column("note", "说明", required=False, default="", aliases=("备注",)),
    ),
    lambda values: Incident(**values),
    key=lambda incident: (incident.officer_id, incident.date, incident.kind),
    officer_columns=("officer_id",),
)

PERIOD = re.compile(r"(\d{4})\s*(?:H([12])|(上|下)半年)", re.IGNORECASE)


def parse_period(text: str) -> str:
    """A half-year: "2026H2", "2026h2" or "2026下半年" -> "2026H2".

    Raises:
        ValueError: not such a half-year, or a year outside 1900-2100.
    """
    match = PERIOD.fullmatch(text.strip())
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
    value = text.strip().upper()
    if len(value) != 6 or value[4] != "Q" or value[5] not in "1234":
        raise ValueError("not a quarter; write it as 2027Q1")
    parse_year(value[:4])
    return value


def parse_hours(text: str) -> int:
    """学时: a whole number from 0 to 1000.

    Raises:
        ValueError: not such a number.
    """
    value = text.strip()
    if not value.isdigit() or int(value) > 1000:
        raise ValueError("not a number of hours from 0 to 1000")
    return int(value)


RATINGS = Layout(
    "ratings",
    (
        OFFICER_ID,
        Column("period", "考核期间", parse_period, aliases=("期间", "半年")),
        Column(
            "level",
            "考核等次",
            enum_parser(RatingLevel),
            choices=labels_of(RatingLevel),
            aliases=("等次", "结果"),
        ),
        Column("rated_on", "考核日期", parse_date, aliases=("日期",)),
        Column("note", "考核意见", required=False, default="", aliases=("意见", "备注")),
    ),
    lambda values: Rating(**values),
    key=lambda rating: (rating.officer_id, rating.period),
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
    key=lambda report: (report.officer_id, report.date, report.title),
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
    key=lambda training: (training.officer_id, training.date, training.title),
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


@dataclass
class ParsedFile:
    """A file read without errors.

    Attributes:
        layout: what kind of file it is.
        path: where it was read from.
        records: one record per data row, in file order.
        rows: the row number (as Excel numbers it) of each record.
        errors: with ``collect``, the bad rows found (for the caller to add its own and fail).
        warnings: things worth telling the clerk that do not stop the import (ignored columns).
    """

    layout: Layout
    path: Path
    records: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def _fold(header: str) -> tuple[str, str]:
    """Header text as compared (no BOM, spaces or case) and the unit in brackets, if any:
    "案值(元)" -> ("案值", "元")."""
    text = header.replace("\ufeff", "").strip().casefold().replace(" ", "")
    for opening, closing in (("(", ")"), ("（", "）")):
        if text.endswith(closing) and opening in text:
            cut = text.rindex(opening)
            return text[:cut], text[cut + 1 : -1]
    return text, ""


def parse_file(
    path: Path,
    layout: Layout,
    known_officers: set[str],
    case_types: set[str] | None = None,
    applications: set[tuple[str, str]] | None = None,
    *,
    collect: bool = False,
) -> ParsedFile:
    """Read one CSV or .xlsx file of the given layout.

    Args:
        path: the file.
        layout: its kind (``LAYOUTS["cases"]`` …).
        known_officers: officer_ids on record; a reference to any other is an error.
        case_types: the policy's case types; for cases, any other type is an error.
        applications: (round, officer_id) of the applications on record, for layouts whose rows
            belong to an application.
        collect: return the bad rows in ``errors`` (with the good records) instead of raising,
            so that the caller can check the rest and report every problem at once.

    Raises:
        ImportFailed: with every bad row (file, row, column, value, why); nothing is returned.
    """
    name = str(path)
    if layout.officer_columns and not known_officers:
        raise ImportFailed(
            [RowError(name, 0, "", "", "no officers on record yet; import the officers file first")]
        )
    parsed = ParsedFile(layout, path)
    errors: list[RowError] = []
    try:
        rows = read_rows(path, parsed.warnings)
        header_row = next(rows, None)
        if header_row is None:
            raise UnreadableSheet("the file is empty; it needs a header row")
        header = header_row[1]
        columns = _match_header(name, header, layout, parsed.warnings, errors)
        if errors:
            raise ImportFailed(errors)
        seen: dict[tuple, tuple[int, Any]] = {}
        for row, cells in rows:
            _note_cells(name, cells, header, columns, parsed.warnings)
            if not is_workbook(path):  # in a CSV, cells past the header mean a stray comma
                cells = _check_width(name, row, cells, header, errors)
            record = _parse_row(name, row, cells, header, columns, layout, errors)
            if record is not None:
                errors += _check_record(
                    name, row, record, header, columns, layout, known_officers, case_types
                )
                if layout.of_application and (record.round, record.officer_id) not in (
                    applications or set()
                ):
                    errors.append(
                        RowError(
                            name,
                            row,
                            _header(header, columns, "officer_id"),
                            record.officer_id,
                            f"no application from this officer "
                            f"in round {record.round}; import the application first",
                        )
                    )
                natural_key = layout.key(record)
                if natural_key in seen:
                    first_row, first = seen[natural_key]
                    differs = "with other values" if first != record else "again"
                    errors.append(
                        RowError(
                            name,
                            row,
                            "",
                            " / ".join(map(str, natural_key)),
                            f"repeats the key of row {first_row} {differs}; keep one of the two",
                        )
                    )
                seen.setdefault(natural_key, (row, record))
                parsed.records.append(record)
                parsed.rows.append(row)
    except UnreadableSheet as exc:
        errors.append(RowError(name, exc.row, "", "", str(exc)))
    parsed.errors = errors
    if errors and not collect:
        raise ImportFailed(errors)
    if layout is OFFICERS:
        parsed.warnings += _mixed_id_lengths(name, [r.officer_id for r in parsed.records])
    return parsed


def _check_record(
    name: str,
    row: int,
    record: Any,
    header: list[str],
    columns: dict[int, Column],
    layout: Layout,
    known_officers: set[str],
    case_types: set[str] | None,
) -> list[RowError]:
    """Errors of a well-formed record against what is on record: officers, case types, IDs."""
    errors = []
    if layout is OFFICERS:
        twin = zero_twin(record.officer_id, known_officers)
        if twin is not None:
            errors.append(
                RowError(
                    name,
                    row,
                    _header(header, columns, "officer_id"),
                    record.officer_id,
                    f"officer {twin} is on record: this looks like {twin} with its "
                    "leading zeros lost (Excel drops them); format the column as "
                    "Text and type the ID again",
                )
            )
    for key in layout.officer_columns:
        officer_id = getattr(record, key)
        if officer_id is None or officer_id in known_officers:
            continue
        twin = zero_twin(officer_id, known_officers)
        why = "no officer with this officer_id; import the officer first or correct the ID"
        if twin is not None:
            why = (
                f"no officer {officer_id}; did you mean {twin}? Excel drops leading zeros: "
                "format the column as Text and type the ID again"
            )
        errors.append(RowError(name, row, _header(header, columns, key), officer_id, why))
    if case_types is not None and record.case_type not in case_types:
        errors.append(
            RowError(
                name,
                row,
                _header(header, columns, "case_type"),
                record.case_type,
                "unknown case type; add it to [case_types] in the policy file or correct the type",
            )
        )
    return errors


def _note_cells(
    name: str, cells: list[str], header: list[str], columns: dict[int, Column], warnings: list[str]
) -> None:
    """Warn, once per column, of IDs stored as numbers in Excel and of values without a header."""
    for index, cell in enumerate(cells):
        column = columns.get(index)
        if column is not None and column.key in ID_COLUMNS and isinstance(cell, NumberText):
            warning = (
                f"{name}: column {header[index].strip()!r} holds numbers in Excel (e.g. "
                f"{cell}); if IDs have leading zeros, Excel dropped them: format the "
                "column as Text and type them again"
            )
        elif (index >= len(header) or not header[index].strip()) and cell.strip():
            warning = f"{name}: column {index + 1} has values but no header; they were ignored"
        else:
            continue
        if warning not in warnings:
            warnings.append(warning)


def zero_twin(officer_id: str, known: set[str]) -> str | None:
    """A known officer_id that differs from ``officer_id`` only by leading zeros (Excel drops
    them), if any."""
    bare = officer_id.lstrip("0")
    return next(
        (other for other in sorted(known) if other != officer_id and other.lstrip("0") == bare),
        None,
    )


def _mixed_id_lengths(name: str, ids: list[str]) -> list[str]:
    """A warning when numeric officer_ids differ in length, as when Excel dropped leading zeros."""
    numeric = sorted((i for i in ids if i.isdigit()), key=len)
    if numeric and len(numeric[0]) != len(numeric[-1]):
        return [
            f"{name}: officer_ids of different lengths ({numeric[0]}, {numeric[-1]}); if Excel "
            "dropped leading zeros, format the column as Text and import again"
        ]
    return []


def _header(header: list[str], columns: dict[int, Column], key: str) -> str:
    """The header text, as written in the file, of the column filling ``key``."""
    return next(header[i].strip() for i, column in columns.items() if column.key == key)


def _match_header(
    name: str, header: list[str], layout: Layout, warnings: list[str], errors: list[RowError]
) -> dict[int, Column]:
    """Cell index -> column; errors for repeated or missing columns, warnings for unused ones."""
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t")):
        errors.append(
            RowError(
                name,
                1,
                "",
                header[0],
                "columns are separated by ';' or tabs; save the file as CSV (comma delimited)",
            )
        )
        return {}
    columns: dict[int, Column] = {}
    refused: set[str] = set()
    for index, text in enumerate(header):
        folded, unit = _fold(text)
        column = next((c for c in layout.columns if folded in c.names()), None)
        if column is None:
            if folded:
                warnings.append(f"{name}: column {text.strip()!r} is not used and was ignored")
        elif column in columns.values():
            errors.append(
                RowError(
                    name,
                    1,
                    text.strip(),
                    "",
                    f"a second column for {column.english}; delete one of them",
                )
            )
        elif column.parse is parse_money_fen and unit not in ("", "元"):
            refused.add(column.key)
            errors.append(
                RowError(
                    name,
                    1,
                    text.strip(),
                    "",
                    f"amounts must be in yuan (元), not "
                    f"{unit}; convert the column to yuan and head it {column.zh}",
                )
            )
        else:
            columns[index] = column
    for column in layout.columns:
        if column.required and column not in columns.values() and column.key not in refused:
            errors.append(
                RowError(
                    name,
                    1,
                    "",
                    "",
                    f"missing column {column.english} ({column.zh}); add it to the header row",
                )
            )
    return columns


def _check_width(
    name: str, row: int, cells: list[str], header: list[str], errors: list[RowError]
) -> list[str] | None:
    """The row's cells, or None after an error when it has values past the last column."""
    extra = [cell for cell in cells[len(header) :] if cell.strip()]
    if not extra:
        return cells
    errors.append(
        RowError(
            name,
            row,
            "",
            ",".join(extra),
            f"{len(cells)} cells but {len(header)} columns; quote values that "
            'contain a comma, e.g. "12,500.50"',
        )
    )
    return None


def _parse_row(
    name: str,
    row: int,
    cells: list[str] | None,
    header: list[str],
    columns: dict[int, Column],
    layout: Layout,
    errors: list[RowError],
) -> Any | None:
    """One record, or None after appending this row's errors."""
    if cells is None:
        return None
    values = {column.key: column.default for column in layout.columns}
    before = len(errors)
    for index, column in columns.items():
        text = cells[index].strip() if index < len(cells) else ""
        if not text:
            if column.required:
                errors.append(RowError(name, row, header[index].strip(), "", "empty; fill it in"))
            continue
        try:
            values[column.key] = column.parse(text)
        except ValueError as exc:
            errors.append(RowError(name, row, header[index].strip(), text, str(exc)))
    if len(errors) > before:
        return None
    try:
        return layout.build(values)
    except FieldError as exc:
        index = next((i for i, c in columns.items() if c.key == exc.key), None)
        column = header[index].strip() if index is not None else exc.key
        value = cells[index].strip() if index is not None and index < len(cells) else ""
        errors.append(RowError(name, row, column, value, str(exc)))
        return None
