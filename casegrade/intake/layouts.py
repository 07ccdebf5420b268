"""One layout per import kind: its columns (English and Chinese headers, aliases, parsers, choices),
its natural key (from records.PRIMARY_KEYS) and how a row's values become a record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from casegrade.errors import FieldError
from casegrade.idnumber import parse_id_number
from casegrade.intake.values import (
    APPROVE_WORDS,
    REJECT_WORDS,
    YES_NO,
    enum_parser,
    fold_header,
    labels_of,
    parse_approval,
    parse_date,
    parse_hours,
    parse_id,
    parse_money_fen,
    parse_period,
    parse_round,
    parse_score,
    parse_text,
    parse_year,
)
from casegrade.records import (
    PRIMARY_KEYS,
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
    parse_yes_no,
)


def choice_column(key: str, zh: str, enum: type[StrEnum], **options: Any) -> Column:
    """A column holding one of vocab's enums: read from any of its words, offered in a template
    as a drop-down of its Chinese labels."""
    return Column(key, zh, enum_parser(enum), choices=labels_of(enum), **options)


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
        title: what the office calls such a file, e.g. 执法人员 (a template's sheet name).
        columns: the columns, in the order documented.
        build: parsed values (column key -> value) -> record; raises FieldError for values
            that do not fit together.
        officer_columns: columns that must name an officer already on record.
        of_application: rows belong to an application (round + officer_id) that must be on
            record (exams, decisions).
    """

    kind: str
    title: str
    columns: tuple[Column, ...]
    build: Callable[[dict[str, Any]], Any]
    officer_columns: tuple[str, ...] = ()
    of_application: bool = False

    @property
    def key(self) -> tuple[str, ...]:
        """The fields of a record's natural key (the table's primary key): one row per key."""
        return PRIMARY_KEYS[self.kind]

    def has(self, key: str) -> bool:
        """Whether a column fills the field ``key``."""
        return any(column.key == key for column in self.columns)

    def column(self, key: str) -> Column:
        """The column that fills the field ``key``."""
        return next(column for column in self.columns if column.key == key)

    def key_of(self, values: Any) -> tuple:
        """The natural key of a record, or of a row's parsed values (field -> value)."""
        if isinstance(values, dict):
            return tuple(values[field] for field in self.key)
        return tuple(getattr(values, field) for field in self.key)


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
                shown = label(derived) if isinstance(derived, Sex) else derived
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
    "执法人员",
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
    "荣誉",
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
    "案件",
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
    "申报",
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
    "考试成绩",
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
    "评定结果",
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
    "年度考核",
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
    "群众举报",
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
    "失误与违纪",
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


RATINGS = Layout(
    "ratings",
    "半年考核",
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
    "调研报告",
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
    "教育培训",
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
