"""The bureau's records as plain frozen values: what intake produces, the store keeps and rules read,
with each table's natural key and the shapes of audit findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from casegrade.vocab import (
    Assessment,
    Grade,
    HonorKind,
    HonorLevel,
    IncidentKind,
    RatingLevel,
    RetirementCategory,
    ReviewKind,
    Sex,
)


@dataclass(frozen=True)
class Officer:
    """执法人员: one enforcement officer of the bureau.

    Attributes:
        officer_id: 执法证号/工号, text; leading zeros are part of it ("0107").
        name: 姓名.
        sex: 性别.
        birth_date: 出生日期 (derived from the ID number when one is given).
        unit: 单位, the office (所) or section (科室) the officer belongs to.
        enforcement_start: 执法起始日期, first day of enforcement work (Seed S1.2 "从事执法办案工作").
        id_number: 身份证号, 18 characters with a valid check character, or None.
        position: 职务, or None.
        retirement_category: 退休类别, cadre unless recorded as worker (DOMAIN.md S1.3).
        retirement_date: 退休日期 recorded for this officer's post, overriding the statutory
            computation (DOMAIN.md S1.3: "an officer record may override"), or None.
    """

    officer_id: str
    name: str
    sex: Sex
    birth_date: date
    unit: str
    enforcement_start: date
    id_number: str | None = None
    position: str | None = None
    retirement_category: RetirementCategory = RetirementCategory.CADRE
    retirement_date: date | None = None


@dataclass(frozen=True)
class Honor:
    """荣誉: an honor granted to an officer.

    Attributes:
        officer_id: who received it.
        date: 授予日期.
        level: 级别 of the granting body.
        kind: 类别, title (称号) or other commendation (表彰).
        name: 荣誉名称.
        enforcement_related: 执法相关; only enforcement-related honors count (Seed S1.2 "执法办案相关荣誉").
    """

    officer_id: str
    date: date
    level: HonorLevel
    kind: HonorKind
    name: str
    enforcement_related: bool = True


@dataclass(frozen=True)
class Case:
    """案件: one decided case.

    Attributes:
        case_number: 案号, the natural key.
        lead_officer_id: 主办人.
        case_type: 案件类型, a key of the policy's case-type table.
        case_value_fen: 案值, in fen (1/100 yuan).
        penalty_fen: 罚没金额 (fines plus confiscations decided), in fen.
        decision_date: 决定日期.
        assistant_officer_id: 协办人, or None.
        typical_level: 典型案例级别 when the case was selected as a typical case (十大典型案例), else None.
        typical_date: 入选日期 of that selection, else None.
        complex: 复杂疑难, marked complex or difficult.
    """

    case_number: str
    lead_officer_id: str
    case_type: str
    case_value_fen: int
    penalty_fen: int
    decision_date: date
    assistant_officer_id: str | None = None
    typical_level: HonorLevel | None = None
    typical_date: date | None = None
    complex: bool = False


@dataclass(frozen=True)
class Application:
    """申报: an officer applying for one grade in one round.

    Attributes:
        round: 届次, e.g. "2026".
        officer_id: the applicant.
        grade: 申报级别.
        applied_on: 申报日期.
    """

    round: str
    officer_id: str
    grade: Grade
    applied_on: date


@dataclass(frozen=True)
class OfficerFile:
    """What the rules need about one officer: the officer and the records that name them.

    Attributes:
        officer: the officer.
        honors: every honor of the officer, any date.
        cases: every case the officer led or assisted, any date.
    """

    officer: Officer
    honors: tuple[Honor, ...] = ()
    cases: tuple[Case, ...] = ()


@dataclass(frozen=True)
class Round:
    """届 / 评选批次: one selection and the term it appoints for (Seed S1.3: every 2 years).

    Attributes:
        round: 届次, e.g. "2026".
        evaluate_on: the evaluation date D of the review (审).
        term_start, term_end: the term's first and last day (both included).
    """

    round: str
    evaluate_on: date
    term_start: date
    term_end: date


@dataclass(frozen=True)
class Exam:
    """考: an applicant's exam score in a round (Seed S1.2). Attributes: round, officer_id,
    score (a Decimal, compared exactly with the policy's pass mark)."""

    round: str
    officer_id: str
    score: Decimal


@dataclass(frozen=True)
class Decision:
    """评: the committee's decision on one application (Seed S1.2).

    Attributes:
        round, officer_id: the application.
        approved: 同意 or not.
        grade: the grade approved (may be lower than applied for), None when rejected.
        reason: 理由; required when rejected.
        decided_on: 决定日期.
        recorded_by: the operating-system user who recorded it.
        policy_version: the policy version it was checked against.
    """

    round: str
    officer_id: str
    approved: bool
    grade: Grade | None
    reason: str | None
    decided_on: date
    recorded_by: str = ""
    policy_version: str = ""


@dataclass(frozen=True)
class Appointment:
    """聘: a grade held for a round's term (Seed S1.2, S1.3).

    Attributes:
        round, officer_id: whose grade, from which round.
        grade: the grade held.
        term_start, term_end: the term; the grade ends automatically after term_end (自动终止).
        appointed_on: the day the appointment was recorded.
        recorded_by, policy_version: who recorded it, under which policy.
    """

    round: str
    officer_id: str
    grade: Grade
    term_start: date
    term_end: date
    appointed_on: date
    recorded_by: str = ""
    policy_version: str = ""


@dataclass(frozen=True)
class GroundOnRecord:
    """One ground of an elimination as stored: which ground, and the keys of the records behind it.

    Attributes:
        kind: the ground (Seed S1.3).
        records: each record's key after officer_id, as text: an assessment's (year,), a
            complaint's (date, summary), an incident's (date, kind).
        window: for complaints, the window they were counted in: "year" or "term" (the
            policy's complaints_window then); "" for the other grounds.
    """

    kind: ReviewKind
    records: tuple[tuple[str, ...], ...]
    window: str = ""


@dataclass(frozen=True)
class Revocation:
    """A grade ended before its term: 淘汰 in the annual review (S1.3).

    Attributes:
        round, officer_id: the appointment it ends.
        effective_on: from this day the grade is no longer held.
        kind: "eliminated".
        reason: why, in Chinese, for eliminations recorded before grounds were kept as data
            (schema 6); "" since.
        review_year: the calendar year reviewed, for an annual review.
        recorded_by, policy_version: who recorded it, under which policy.
        grounds: the grounds with the keys of their records (empty on older rows: see reason).
    """

    round: str
    officer_id: str
    effective_on: date
    kind: str
    reason: str
    review_year: int | None = None
    recorded_by: str = ""
    policy_version: str = ""
    grounds: tuple[GroundOnRecord, ...] = ()


@dataclass(frozen=True)
class AnnualAssessment:
    """年度考核: a civil servant's yearly assessment. Attributes: officer_id, year, result."""

    officer_id: str
    year: int
    result: Assessment


@dataclass(frozen=True)
class Complaint:
    """群众举报: a report by the public. Attributes: officer_id, date, summary, dismissed
    (查无实据: found groundless, so it does not count)."""

    officer_id: str
    date: date
    summary: str
    dismissed: bool = False


@dataclass(frozen=True)
class Incident:
    """A recorded serious error, refusal of arrangements or misconduct.
    Attributes: officer_id, date, kind, note."""

    officer_id: str
    date: date
    kind: IncidentKind
    note: str = ""


@dataclass(frozen=True)
class EvaluationRecord:
    """An evaluation (审) as recorded, so that a past decision can be explained after the bureau
    revises its thresholds.

    Attributes:
        round, officer_id: the application.
        as_of: the evaluation date D.
        policy_version: the policy it applied.
        applied_grade: the grade applied for.
        eligible: every criterion of that grade met.
        highest_grade: the highest grade whose criteria were all met, or None.
        unmet: the criterion ids of the applied grade not met, in registry order.
        recorded_on: the day it was recorded; recorded_by: the operating-system user.
    """

    round: str
    officer_id: str
    as_of: date
    policy_version: str
    applied_grade: Grade
    eligible: bool
    highest_grade: Grade | None
    unmet: tuple[str, ...]
    recorded_on: date
    recorded_by: str


@dataclass(frozen=True)
class Sanction:
    """A demotion by one grade, or a disqualification, for misconduct (Seed S2.4 激励制约).

    Attributes:
        round, officer_id: the appointment it lowers or ends.
        effective_on: from this day.
        kind: 失职, 渎职, 违法办案 or 不按程序办案.
        disqualify: 取消资格 directly, rather than one grade down (a junior demoted is
            disqualified anyway).
        note: what happened.
        recorded_by, policy_version: who recorded it, under which policy.
    """

    round: str
    officer_id: str
    effective_on: date
    kind: IncidentKind
    disqualify: bool
    note: str = ""
    recorded_by: str = ""
    policy_version: str = ""


@dataclass(frozen=True)
class Rating:
    """半年考核: one holder's semiannual rating (Seed S2.4).

    Attributes:
        officer_id: the holder.
        period: the half-year, "2026H1" or "2026H2".
        level: 优秀, 良好, 合格 or 不合格.
        rated_on: the day of the rating (a rectification's deadline counts from it).
        note: 考核意见.
        rectified_on: for 不合格, the day the rectification was completed (整改完成), else None.
    """

    officer_id: str
    period: str
    level: RatingLevel
    rated_on: date
    note: str = ""
    rectified_on: date | None = None


@dataclass(frozen=True)
class Report:
    """调研报告: a research report or article a holder submitted (Seed S1.4: 2 a year).
    Attributes: officer_id, date, title."""

    officer_id: str
    date: date
    title: str


@dataclass(frozen=True)
class Training:
    """教育培训: a training an officer attended (Seed S1.3, S2.1). Attributes: officer_id, date,
    title, hours (学时, may be None)."""

    officer_id: str
    date: date
    title: str
    hours: int | None = None


# table -> the fields of its records' natural key: one record per key, in the store and in a file
PRIMARY_KEYS: dict[str, tuple[str, ...]] = {
    "officers": ("officer_id",),
    "honors": ("officer_id", "date", "name"),
    "cases": ("case_number",),
    "applications": ("round", "officer_id"),
    "rounds": ("round",),
    "exams": ("round", "officer_id"),
    "decisions": ("round", "officer_id"),
    "appointments": ("round", "officer_id"),
    "assessments": ("officer_id", "year"),
    "complaints": ("officer_id", "date", "summary"),
    "incidents": ("officer_id", "date", "kind"),
    "reviews": ("round", "year"),
    "revocations": ("round", "officer_id"),
    "evaluations": ("round", "officer_id", "as_of", "policy_version"),
    "sanctions": ("round", "officer_id", "effective_on", "kind"),
    "ratings": ("officer_id", "period"),
    "reports": ("officer_id", "date", "title"),
    "trainings": ("officer_id", "date", "title"),
}


@dataclass(frozen=True)
class AuditProblem:
    """What ``verify_audit`` found. Attributes: audit_id (the first audit row changed or
    deleted outside casegrade; 0 for a record), table and key (a record whose state the audit
    does not explain; for an audit row unlike a backup's, key is the backup's name), what
    ("changed", "deleted", "made unreadable", "not as in the backup", "not in the audit",
    "removed outside casegrade", "changed outside casegrade")."""

    audit_id: int
    table: str
    key: str
    what: str
