"""The bureau's records as plain frozen values: what importers produce, the store keeps and rules read."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from casegrade.vocab import Grade, HonorKind, HonorLevel, RetirementCategory, Sex


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
