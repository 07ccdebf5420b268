"""Read the bureau's CSV files into records, collecting every bad row before failing.

Files may be UTF-8 (with or without BOM) or GB18030/GBK, which is what Excel in China saves; headers
may be English or Chinese in any order. Nothing here writes: the store writes only when a file is clean.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from casegrade.errors import CasegradeError
from casegrade.idnumber import parse_id_number
from casegrade.records import Application, Case, Honor, Officer
from casegrade.vocab import (
    Grade,
    HonorKind,
    HonorLevel,
    RetirementCategory,
    Sex,
    parse_enum,
    parse_yes_no,
)

DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")
ENCODINGS = ("utf-8-sig", "gb18030")  # UTF-8 first: GB18030 decodes almost any bytes, wrongly


@dataclass(frozen=True)
class RowError:
    """One problem in an input file.

    Attributes:
        file: the file's path as given.
        row: 1-based line in the file (the header is row 1), or 0 for the file as a whole.
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
    return text.strip()


def parse_date(text: str) -> date:
    """A full date: 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日; nothing is guessed."""
    value = text.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError("not a full, valid date; write it as YYYY-MM-DD, e.g. 2019-03-01")


def parse_money_fen(text: str) -> int:
    """An amount in yuan with at most 2 decimals (commas, ¥ and 元 allowed) -> fen."""
    value = text.strip().replace(",", "").removeprefix("¥").removeprefix("￥").removesuffix("元")
    try:
        yuan = Decimal(value)
    except InvalidOperation:
        raise ValueError("not an amount; write yuan as a number, e.g. 12500.50") from None
    fen = yuan * 100
    if not fen.is_finite() or fen != fen.to_integral_value():
        raise ValueError("more than 2 decimals; amounts are in yuan, to the fen")
    if fen < 0:
        raise ValueError("an amount cannot be negative")
    return int(fen)


def parse_round(text: str) -> str:
    """届次 as text: "2026" and "2026届" are the same round."""
    return text.strip().removesuffix("届").strip()


def enum_parser(enum: type) -> Callable[[str], Any]:
    return lambda text: parse_enum(enum, text)


def parse_id(text: str) -> str:
    return parse_id_number(text)[0]


# --- file layouts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    """One column of an input file.

    Attributes:
        key: the English header, also the field it fills.
        zh: the Chinese header.
        parse: text -> value; raises ValueError with the fix.
        required: whether the column must be present and non-empty.
        aliases: further headers accepted.
        default: the value of an absent column or empty cell when not required.
    """

    key: str
    zh: str
    parse: Callable[[str], Any] = parse_text
    required: bool = True
    aliases: tuple[str, ...] = ()
    default: Any = None

    def names(self) -> set[str]:
        return {_fold(name) for name in (self.key, self.zh, *self.aliases)}


@dataclass(frozen=True)
class Layout:
    """What one kind of file holds.

    Attributes:
        kind: "officers", "honors", "cases" or "applications".
        columns: the columns, in the order documented.
        build: parsed values (column key -> value) -> record; raises ValueError for a bad
            combination of values, naming the columns.
        key: record -> natural key, used to find a key repeated within the file.
        officer_columns: columns that must name an officer already on record.
    """

    kind: str
    columns: tuple[Column, ...]
    build: Callable[[dict[str, Any]], Any]
    key: Callable[[Any], tuple]
    officer_columns: tuple[str, ...] = ()


def _build_officer(values: dict[str, Any]) -> Officer:
    if values["id_number"]:
        _, born, sex = parse_id_number(values["id_number"])
        for column, given, derived in (
            ("birth_date", values["birth_date"], born),
            ("sex", values["sex"], sex),
        ):
            if given is not None and given != derived:
                raise ValueError(
                    f"{column} disagrees with id_number ({derived}); correct one of them"
                )
        values["birth_date"], values["sex"] = born, sex
    if values["birth_date"] is None or values["sex"] is None:
        raise ValueError("birth_date and sex are needed when id_number is empty")
    return Officer(**values)


def _build_case(values: dict[str, Any]) -> Case:
    if (values["typical_level"] is None) != (values["typical_date"] is None):
        raise ValueError("typical_level and typical_date go together: fill both or neither")
    if values["assistant_officer_id"] == values["lead_officer_id"]:
        raise ValueError("assistant_officer_id is the lead officer; leave it empty or correct it")
    return Case(**values)


OFFICERS = Layout(
    "officers",
    (
        Column("officer_id", "执法证号", aliases=("工号",)),
        Column("name", "姓名"),
        Column("sex", "性别", enum_parser(Sex), required=False),
        Column("birth_date", "出生日期", parse_date, required=False),
        Column("id_number", "身份证号", parse_id, required=False, aliases=("身份证号码",)),
        Column("unit", "单位"),
        Column("enforcement_start", "执法起始日期", parse_date, aliases=("执法日期",)),
        Column("position", "职务", required=False),
        Column(
            "retirement_category",
            "退休类别",
            enum_parser(RetirementCategory),
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
        Column("officer_id", "执法证号", aliases=("工号",)),
        Column("date", "授予日期", parse_date, aliases=("日期",)),
        Column("level", "级别", enum_parser(HonorLevel)),
        Column("kind", "类别", enum_parser(HonorKind)),
        Column("name", "荣誉名称"),
        Column("enforcement_related", "执法相关", parse_yes_no, required=False, default=True),
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
        Column("case_value_fen", "案值", parse_money_fen, aliases=("case_value",)),
        Column("penalty_fen", "罚没金额", parse_money_fen, aliases=("penalty",)),
        Column("decision_date", "决定日期", parse_date),
        Column("typical_level", "典型案例级别", enum_parser(HonorLevel), required=False),
        Column("typical_date", "入选日期", parse_date, required=False),
        Column("complex", "复杂疑难", parse_yes_no, required=False, default=False),
    ),
    _build_case,
    key=lambda case: (case.case_number,),
    officer_columns=("lead_officer_id", "assistant_officer_id"),
)

APPLICATIONS = Layout(
    "applications",
    (
        Column("round", "届次", parse_round, aliases=("评选批次",)),
        Column("officer_id", "执法证号", aliases=("工号",)),
        Column("grade", "申报级别", enum_parser(Grade)),
        Column("applied_on", "申报日期", parse_date),
    ),
    lambda values: Application(**values),
    key=lambda application: (application.round, application.officer_id),
    officer_columns=("officer_id",),
)

LAYOUTS = {layout.kind: layout for layout in (OFFICERS, HONORS, CASES, APPLICATIONS)}


# --- reading ------------------------------------------------------------------------------------


@dataclass
class ParsedFile:
    """A file read without errors.

    Attributes:
        layout: what kind of file it is.
        records: one record per data row, in file order.
        warnings: things worth telling the clerk that do not stop the import (ignored columns).
    """

    layout: Layout
    records: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _fold(header: str) -> str:
    """Header text as compared: no BOM, spaces or case, and no unit in brackets ("案值(元)")."""
    text = header.replace("\ufeff", "").strip().casefold().replace(" ", "")
    for opening, closing in (("(", ")"), ("（", "）")):
        if text.endswith(closing) and opening in text:
            text = text[: text.rindex(opening)]
    return text


def decode(path: Path) -> str:
    """The file's text, from UTF-8 (BOM or not) or GB18030/GBK.

    Raises:
        ImportFailed: the file cannot be read or is in neither encoding.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ImportFailed(
            [RowError(str(path), 0, "", "", f"cannot read the file: {exc.strerror}")]
        ) from exc
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFailed(
        [RowError(str(path), 0, "", "", "not UTF-8 or GBK text; save it from Excel as CSV (UTF-8)")]
    )


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) of every non-blank row, header included."""
    reader = csv.reader(io.StringIO(text, newline=""))
    for cells in reader:
        if any(cell.strip() for cell in cells):
            yield reader.line_num, cells


def parse_file(
    path: Path,
    layout: Layout,
    known_officers: set[str],
    case_types: set[str] | None = None,
) -> ParsedFile:
    """Read one CSV file of the given layout.

    Args:
        path: the file.
        layout: its kind (``LAYOUTS["cases"]`` …).
        known_officers: officer_ids on record; a reference to any other is an error.
        case_types: the policy's case types; for cases, any other type is an error.

    Raises:
        ImportFailed: with every bad row (file, row, column, value, why); nothing is returned.
    """
    name = str(path)
    rows = _rows(decode(path))
    header_row = next(rows, None)
    if header_row is None:
        raise ImportFailed([RowError(name, 0, "", "", "the file is empty; it needs a header row")])
    parsed = ParsedFile(layout)
    columns, errors = _match_header(name, header_row[1], layout, parsed.warnings)
    if errors:
        raise ImportFailed(errors)
    seen: dict[tuple, int] = {}
    for line, cells in rows:
        record = _parse_row(name, line, cells, header_row[1], columns, layout, errors)
        if record is None:
            continue
        for key in layout.officer_columns:
            officer_id = getattr(record, key)
            if officer_id is not None and officer_id not in known_officers:
                errors.append(
                    RowError(
                        name,
                        line,
                        _header(header_row[1], columns, key),
                        officer_id,
                        "no officer with this officer_id; import officers first",
                    )
                )
        if case_types is not None and record.case_type not in case_types:
            errors.append(
                RowError(
                    name,
                    line,
                    _header(header_row[1], columns, "case_type"),
                    record.case_type,
                    "unknown case type; add it to [case_types] in the policy file "
                    "or correct the type",
                )
            )
        natural_key = layout.key(record)
        if natural_key in seen:
            errors.append(
                RowError(
                    name,
                    line,
                    "",
                    " / ".join(map(str, natural_key)),
                    f"repeats row {seen[natural_key]}; keep one of the two",
                )
            )
        seen.setdefault(natural_key, line)
        parsed.records.append(record)
    if errors:
        raise ImportFailed(errors)
    return parsed


def _header(header: list[str], columns: dict[int, Column], key: str) -> str:
    """The header text, as written in the file, of the column filling ``key``."""
    return next(header[i].strip() for i, column in columns.items() if column.key == key)


def _match_header(
    name: str, header: list[str], layout: Layout, warnings: list[str]
) -> tuple[dict[int, Column], list[RowError]]:
    """Cell index -> column, and errors for repeated or missing columns."""
    columns: dict[int, Column] = {}
    errors: list[RowError] = []
    for index, text in enumerate(header):
        folded = _fold(text)
        column = next((c for c in layout.columns if folded in c.names()), None)
        if column is None:
            if folded:
                warnings.append(f"{name}: column {text.strip()!r} is not used and was ignored")
        elif column in columns.values():
            errors.append(
                RowError(name, 1, text, "", f"a second column for {column.key}; delete one of them")
            )
        else:
            columns[index] = column
    for column in layout.columns:
        if column.required and column not in columns.values():
            errors.append(
                RowError(
                    name,
                    1,
                    "",
                    "",
                    f"missing column {column.key} ({column.zh}); add it to the header row",
                )
            )
    return columns, errors


def _parse_row(
    name: str,
    line: int,
    cells: list[str],
    header: list[str],
    columns: dict[int, Column],
    layout: Layout,
    errors: list[RowError],
) -> Any | None:
    """One record, or None after appending this row's errors."""
    values = {column.key: column.default for column in layout.columns}
    before = len(errors)
    for index, column in columns.items():
        text = cells[index].strip() if index < len(cells) else ""
        if not text:
            if column.required:
                errors.append(RowError(name, line, header[index].strip(), "", "empty; fill it in"))
            continue
        try:
            values[column.key] = column.parse(text)
        except ValueError as exc:
            errors.append(RowError(name, line, header[index].strip(), text, str(exc)))
    if len(errors) > before:
        return None
    try:
        return layout.build(values)
    except ValueError as exc:
        errors.append(RowError(name, line, "", "", str(exc)))
        return None
