"""The scheme's rules as pure functions over records and a policy: no database, no output, no clock.

Each S1.2 criterion is one ``CriterionSpec`` (id, threshold kind, unit, check) in the ``CRITERIA``
registry; an evaluation gathers the records that count once (``Evidence``), runs every check and
returns the findings with that evidence (the shape of beancount's validations).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import TYPE_CHECKING

from dateutil.relativedelta import relativedelta

from casegrade.records import Application, Case, Honor, Officer, OfficerFile
from casegrade.vocab import Grade, HonorKind, HonorLevel, RetirementCategory, Sex

if TYPE_CHECKING:  # the policy module reads the registry below to parse thresholds
    from casegrade.policy import Policy

# --- counting rules (DOMAIN.md "Counting rules") ---------------------------------------------


def full_years(start: date, on: date) -> int:
    """Full years from ``start`` to ``on``: N such that ``on >= start + N years`` (0 before start).

    A 29 Feb start completes its year on 28 Feb (民法典 art. 202, month-end), which is what
    ``relativedelta`` does.
    """
    years = on.year - start.year
    if start + relativedelta(years=years) > on:
        years -= 1
    return max(years, 0)


def window(as_of: date, years: int) -> tuple[date, date]:
    """The 近N年 window as of ``as_of``: (first day, last day), both included.

    ``as_of - N years < d <= as_of``, so as of 2026-06-30 with N = 2: (2024-07-01, 2026-06-30).
    """
    return as_of - relativedelta(years=years) + timedelta(days=1), as_of


# --- retirement (DOMAIN.md S1.3, 2025 reform) ---------------------------------------------------


def retirement_group(officer: Officer) -> str:
    """The policy's retirement group: "male", "female_cadre" or "female_worker"."""
    if officer.sex is Sex.MALE:
        return "male"
    if officer.retirement_category is RetirementCategory.WORKER:
        return "female_worker"
    return "female_cadre"


def retirement_delay_months(birth: date, policy: Policy, group: str) -> int:
    """Months the 2025 reform adds to the base retirement age for someone born in ``birth``'s month.

    ``off = (by*12 + bm) - (start_year*12 + start_month)``; no delay before the start, else
    ``min(off // step + 1, cap)`` (渐进式延迟法定退休年龄, DOMAIN.md S1.3).
    """
    scheme = policy.retirement[group]
    start_year, start_month = scheme.reform_start
    off = (birth.year * 12 + birth.month) - (start_year * 12 + start_month)
    if off < 0:
        return 0
    return min(off // scheme.step_months + 1, scheme.cap_months)


def retirement_date(officer: Officer, policy: Policy) -> date:
    """The day the officer reaches statutory retirement age, or the date recorded on their file.

    ``birth_date + base_age years + delay months`` (DOMAIN.md S1.3), added in one step, so a
    month-end birthday keeps its day where the target month has it (born 29 Feb 1972, 55y7m:
    29 Sep 2027, not the 28th that adding the years first would give).
    """
    if officer.retirement_date is not None:
        return officer.retirement_date
    group = retirement_group(officer)
    delay = retirement_delay_months(officer.birth_date, policy, group)
    base_age = policy.retirement[group].base_age
    return officer.birth_date + relativedelta(years=base_age, months=delay)


# --- criteria (Seed S1.2 评选标准) ---------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """The fixed inputs of one evaluation.

    Attributes:
        as_of: the evaluation date D.
        policy: the policy in force.
        window: (first, last) day of the 近N年 window, both included.
        term: (first, last) day of the term the applicants would serve.
    """

    as_of: date
    policy: Policy
    window: tuple[date, date]
    term: tuple[date, date]

    @classmethod
    def on(cls, as_of: date, policy: Policy, term_start: date | None = None) -> Context:
        """The context of an evaluation on ``as_of`` under ``policy``, for a term starting on
        ``term_start`` (default: the day after ``as_of``) and lasting the policy's term_years."""
        start = term_start or as_of + timedelta(days=1)
        end = start + relativedelta(years=policy.term_years) - timedelta(days=1)
        return cls(as_of, policy, window(as_of, policy.window_years), (start, end))


@dataclass(frozen=True)
class Finding:
    """One criterion checked for one grade.

    Attributes:
        criterion: the criterion id (DOMAIN.md S1.2), e.g. "avg_annual_penalty".
        actual: the officer's value: whole years or a count (int), a yearly average (Fraction;
            fen for money), or a flag (bool).
        required: the threshold (int; fen for money) or True for a flag.
        met: whether ``actual`` reaches ``required`` (以上 includes the number).
        counted: the records behind ``actual`` (honors or cases), oldest first; none once let
            go (Evaluation.without_records).
        key_date: service_years: the day the required years are complete; not_retired: the day
            retirement age is reached; else None.
        window: the (first, last) days searched when the criterion has a window, else None.
    """

    criterion: str
    actual: int | Fraction | bool
    required: int | bool
    met: bool
    counted: tuple[Honor | Case, ...] = ()
    key_date: date | None = None
    window: tuple[date, date] | None = None

    @property
    def short_by(self) -> int | Fraction | None:
        """How far below the threshold an unmet numeric criterion is (fen for money), else None."""
        if self.met or isinstance(self.actual, bool):
            return None
        return self.required - self.actual


class ThresholdKind(StrEnum):
    """How a criterion's threshold is written in the policy file and compared."""

    COUNT = "count"  # a whole number: years, honors, cases
    MONEY = "money"  # yuan in the policy file, fen in the rules
    FLAG = "flag"  # true: the condition must hold


class Unit(StrEnum):
    """The unit of a criterion's value (views word it: 年, 次, 元, 件)."""

    YEARS = "years"
    HONORS = "honors"
    FEN = "fen"
    CASES = "cases"
    NONE = ""


class Exclusion(StrEnum):
    """Why a record does not count for a criterion."""

    NOT_ENFORCEMENT = "not_enforcement"  # an honor not 执法办案相关
    NOT_TYPICAL = "not_typical"  # a case never selected as typical
    AFTER_AS_OF = "after_as_of"  # granted or selected after the evaluation date
    BELOW_LEVEL = "below_level"  # below the policy's level
    NOT_LED = "not_led"  # not led (or assisted, when the policy counts assisted cases)
    OUTSIDE_WINDOW = "outside_window"  # decided outside the 近N年 window


Check = Callable[["OfficerFile", "Evidence", "int | bool", "Context"], "Finding"]


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion of Seed S1.2.

    Attributes:
        id: the DOMAIN.md id, the key of its threshold in the policy file.
        kind: how its threshold is written and compared.
        unit: the unit of its value.
        check: (officer's file, evidence, threshold, context) -> the finding.
    """

    id: str
    kind: ThresholdKind
    unit: Unit
    check: Check


CRITERIA: dict[str, CriterionSpec] = {}


def criterion(criterion_id: str, kind: ThresholdKind, unit: Unit) -> Callable[[Check], Check]:
    """Register a check as the criterion ``criterion_id``, in the order of the registry."""

    def register(check: Check) -> Check:
        CRITERIA[criterion_id] = CriterionSpec(criterion_id, kind, unit, check)
        return check

    return register


def case_exclusion(case: Case, officer_id: str, ctx: Context) -> Exclusion | None:
    """Why a case does not count for the officer's case criteria: NOT_LED (assisted, when the
    policy counts only cases led, or not theirs) or OUTSIDE_WINDOW; None when it counts."""
    led = case.lead_officer_id == officer_id
    assisted = ctx.policy.count_assisted_cases and case.assistant_officer_id == officer_id
    if not (led or assisted):
        return Exclusion.NOT_LED
    first, last = ctx.window
    if not first <= case.decision_date <= last:
        return Exclusion.OUTSIDE_WINDOW
    return None


def typical_exclusion(case: Case, officer_id: str, ctx: Context) -> Exclusion | None:
    """Why a typical case does not count: a case_exclusion reason, BELOW_LEVEL or AFTER_AS_OF
    (selected after D); None when it counts. A case never selected: NOT_TYPICAL."""
    if case.typical_level is None or case.typical_date is None:
        return Exclusion.NOT_TYPICAL
    reason = case_exclusion(case, officer_id, ctx)
    if reason is not None:
        return reason
    if case.typical_level.rank < ctx.policy.typical_min_level.rank:
        return Exclusion.BELOW_LEVEL
    if case.typical_date > ctx.as_of:
        return Exclusion.AFTER_AS_OF
    return None


def _by_date(cases: Iterable[Case]) -> list[Case]:
    return sorted(cases, key=lambda case: (case.decision_date, case.case_number))


def cases_counted(file: OfficerFile, ctx: Context) -> list[Case]:
    """Cases that count for the officer (led, or also assisted per policy) decided in the window,
    oldest first: the records behind avg_annual_penalty and avg_annual_big_cases."""
    officer_id = file.officer.officer_id
    return _by_date(c for c in file.cases if case_exclusion(c, officer_id, ctx) is None)


def typical_cases_counted(file: OfficerFile, ctx: Context) -> list[Case]:
    """Counted cases selected as typical at the policy's level or above by D, oldest first."""
    officer_id = file.officer.officer_id
    return _by_date(c for c in file.cases if typical_exclusion(c, officer_id, ctx) is None)


def honor_exclusion(honor: Honor, ctx: Context, min_level: HonorLevel) -> Exclusion | None:
    """Why an honor does not count at ``min_level``: NOT_ENFORCEMENT (not 执法办案相关),
    AFTER_AS_OF (granted after D) or BELOW_LEVEL; None when it counts."""
    if not honor.enforcement_related:
        return Exclusion.NOT_ENFORCEMENT
    if honor.date > ctx.as_of:
        return Exclusion.AFTER_AS_OF
    if honor.level.rank < min_level.rank:
        return Exclusion.BELOW_LEVEL
    return None


def _honors(file: OfficerFile, ctx: Context, min_level: HonorLevel, titles: bool) -> list[Honor]:
    return sorted(
        (
            honor
            for honor in file.honors
            if honor_exclusion(honor, ctx, min_level) is None
            and (not titles or honor.kind is HonorKind.TITLE)
        ),
        key=lambda honor: (honor.date, honor.name),
    )


def honors_counted(file: OfficerFile, ctx: Context) -> list[Honor]:
    """Enforcement-related honors of any kind at the policy's honor level or above, dated ≤ D."""
    return _honors(file, ctx, ctx.policy.honor_min_level, titles=False)


def titles_counted(file: OfficerFile, ctx: Context) -> list[Honor]:
    """Enforcement-related honor titles (称号) at the policy's title level or above, dated ≤ D."""
    return _honors(file, ctx, ctx.policy.title_min_level, titles=True)


@dataclass(frozen=True)
class HonorEvidence:
    """One honor on file and what it counts towards.

    Attributes:
        honor: the honor.
        excluded: why it does not count among the honors (None: it counts).
        title: it also counts as an honor title (称号) at the policy's title level.
    """

    honor: Honor
    excluded: Exclusion | None
    title: bool


@dataclass(frozen=True)
class TypicalEvidence:
    """One typical case on file and whether it counts. Attributes: case; excluded (the reason
    it does not count, None when it does)."""

    case: Case
    excluded: Exclusion | None


@dataclass(frozen=True)
class Evidence:
    """The records one evaluation reads, gathered once with the reason each counts or not.

    Attributes:
        honors: every honor on file, by date and name.
        cases: the cases that count (led, or assisted per policy, decided in the window), oldest
            first.
        typical: every case on file ever selected as typical, by decision date.
        big_cases: the counted cases that are 万元以上 under the policy, oldest first.
    """

    honors: tuple[HonorEvidence, ...]
    cases: tuple[Case, ...]
    typical: tuple[TypicalEvidence, ...]
    big_cases: tuple[Case, ...]

    @property
    def honors_counted(self) -> tuple[Honor, ...]:
        """Honors that count, by date."""
        return tuple(e.honor for e in self.honors if e.excluded is None)

    @property
    def titles_counted(self) -> tuple[Honor, ...]:
        """Honor titles that count, by date."""
        return tuple(e.honor for e in self.honors if e.title)

    @property
    def typical_counted(self) -> tuple[Case, ...]:
        """Typical cases that count, oldest first."""
        return tuple(_by_date(e.case for e in self.typical if e.excluded is None))


def gather(file: OfficerFile, ctx: Context) -> Evidence:
    """The evidence of one officer's file on the context's date (Seed S1.2's counting rules)."""
    titles = set(titles_counted(file, ctx))
    honors = tuple(
        HonorEvidence(
            honor, honor_exclusion(honor, ctx, ctx.policy.honor_min_level), honor in titles
        )
        for honor in sorted(file.honors, key=lambda h: (h.date, h.name))
    )
    officer_id = file.officer.officer_id
    typical = tuple(
        TypicalEvidence(case, typical_exclusion(case, officer_id, ctx))
        for case in sorted(
            (c for c in file.cases if c.typical_level is not None), key=lambda c: c.decision_date
        )
    )
    counted = tuple(cases_counted(file, ctx))
    big = tuple(case for case in counted if is_big_case(case, ctx.policy))
    return Evidence(honors, counted, typical, big)


@criterion("service_years", ThresholdKind.COUNT, Unit.YEARS)
def service_years(
    file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context
) -> Finding:
    """Full years since enforcement start, ≥ required (满N年; Seed S1.2 从事执法办案工作满3/4/5年)."""
    start = file.officer.enforcement_start
    actual = full_years(start, ctx.as_of)
    return Finding(
        "service_years",
        actual,
        required,
        actual >= required,
        key_date=start + relativedelta(years=required),
    )


@criterion("honors", ThresholdKind.COUNT, Unit.HONORS)
def honors(file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context) -> Finding:
    """Enforcement-related honors at the policy's level or above, dated ≤ D (Seed S1.2 1/2/3次以上)."""
    counted = evidence.honors_counted
    return Finding("honors", len(counted), required, len(counted) >= required, counted)


@criterion("avg_annual_penalty", ThresholdKind.MONEY, Unit.FEN)
def avg_annual_penalty(
    file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context
) -> Finding:
    """Penalties of counted cases decided in the window / window years, in fen (近2年平均执罚额度)."""
    counted = evidence.cases
    actual = Fraction(sum(case.penalty_fen for case in counted), ctx.policy.window_years)
    return Finding(
        "avg_annual_penalty",
        actual,
        required,
        actual >= required,
        counted,
        window=ctx.window,
    )


def is_big_case(case: Case, policy: Policy) -> bool:
    """万元以上案件: the policy's basis amount (case value by default) ≥ the threshold."""
    amount = case.case_value_fen if policy.big_case_basis == "case_value" else case.penalty_fen
    return amount >= policy.big_case_threshold_fen


@criterion("avg_annual_big_cases", ThresholdKind.COUNT, Unit.CASES)
def avg_annual_big_cases(
    file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context
) -> Finding:
    """Big cases among counted cases decided in the window / window years (年均办理万元以上案件)."""
    counted = evidence.big_cases
    actual = Fraction(len(counted), ctx.policy.window_years)
    return Finding(
        "avg_annual_big_cases",
        actual,
        required,
        actual >= required,
        tuple(counted),
        window=ctx.window,
    )


@criterion("provincial_titles", ThresholdKind.COUNT, Unit.HONORS)
def provincial_titles(
    file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context
) -> Finding:
    """Enforcement-related honor titles (称号) at provincial level or above, dated ≤ D.

    Seed S1.2: 省级以上执法办案荣誉称号 1次 (intermediate) / 2次以上 (senior).
    """
    counted = evidence.titles_counted
    return Finding("provincial_titles", len(counted), required, len(counted) >= required, counted)


@criterion("typical_case", ThresholdKind.COUNT, Unit.CASES)
def typical_case(
    file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context
) -> Finding:
    """Counted cases decided in the window and selected as typical at the policy's level or above,
    the selection dated ≤ D (Seed S1.2 近2年所办理案件曾入选市级以上十大典型案例)."""
    counted = evidence.typical_counted
    return Finding(
        "typical_case",
        len(counted),
        required,
        len(counted) >= required,
        counted,
        window=ctx.window,
    )


@criterion("not_retired", ThresholdKind.FLAG, Unit.NONE)
def not_retired(
    file: OfficerFile, evidence: Evidence, required: int | bool, ctx: Context
) -> Finding:
    """The officer has not reached retirement age on D (a retiree cannot be appointed)."""
    retires_on = retirement_date(file.officer, ctx.policy)
    actual = ctx.as_of < retires_on
    return Finding("not_retired", actual, True, actual, key_date=retires_on)


# --- evaluation ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetirementInTerm:
    """Warning: retirement age falls after D and no later than the coming term's last day
    (DOMAIN.md S1.2 "warn, not fail"), so the holder could not serve the whole term.

    Attributes:
        retires_on: the day retirement age is reached.
        term: (first, last) day of the term.
    """

    retires_on: date
    term: tuple[date, date]


@dataclass(frozen=True)
class Evaluation:
    """The review (审) of one application.

    Attributes:
        application: the application evaluated.
        file: the applicant and their records.
        as_of: the evaluation date.
        findings: grade -> findings of every criterion the policy sets for it, in registry order.
        evidence: the records read, with the reason each counts or not; None once let go
            (``without_records``).
        warnings: things the committee should know that do not fail the application.
    """

    application: Application
    file: OfficerFile
    as_of: date
    findings: dict[Grade, tuple[Finding, ...]]
    evidence: Evidence | None
    warnings: tuple[RetirementInTerm, ...] = field(default=())

    def without_records(self) -> Evaluation:
        """The evaluation with its figures and warnings but not the records read (the file's
        honors and cases, the evidence, the records each finding counted): what a round of
        thousands keeps in memory."""
        findings = {
            grade: tuple(dataclasses.replace(f, counted=()) for f in found)
            for grade, found in self.findings.items()
        }
        return dataclasses.replace(
            self, file=OfficerFile(self.officer), findings=findings, evidence=None
        )

    @property
    def records(self) -> Evidence:
        """The evidence, for an evaluation that kept it.

        Raises:
            LookupError: the records were let go (``without_records``).
        """
        if self.evidence is None:
            raise LookupError("the records of this evaluation were not kept")
        return self.evidence

    @property
    def officer(self) -> Officer:
        """The applicant."""
        return self.file.officer

    @property
    def applied(self) -> tuple[Finding, ...]:
        """Findings for the grade applied for."""
        return self.findings[self.application.grade]

    @property
    def eligible(self) -> bool:
        """Every criterion of the applied grade is met."""
        return all(finding.met for finding in self.applied)

    @property
    def highest_eligible_grade(self) -> Grade | None:
        """The highest grade whose criteria are all met, whatever was applied for; None if none."""
        for grade in reversed(Grade):
            if all(finding.met for finding in self.findings[grade]):
                return grade
        return None


def check_grade(
    file: OfficerFile, grade: Grade, ctx: Context, evidence: Evidence | None = None
) -> tuple[Finding, ...]:
    """Every criterion the policy sets for ``grade``, checked for one officer (Seed S1.2)."""
    evidence = evidence or gather(file, ctx)
    required = ctx.policy.thresholds[grade]
    return tuple(
        spec.check(file, evidence, required[cid], ctx)
        for cid, spec in CRITERIA.items()
        if cid in required
    )


def evaluate(application: Application, file: OfficerFile, ctx: Context) -> Evaluation:
    """Evaluate one application against all three grades (Seed S1.2), with a warning when the
    applicant reaches retirement age after D but before the coming term ends (DOMAIN.md S1.2)."""
    evidence = gather(file, ctx)
    findings = {grade: check_grade(file, grade, ctx, evidence) for grade in Grade}
    warnings = []
    retires_on = retirement_date(file.officer, ctx.policy)
    if ctx.as_of < retires_on <= ctx.term[1]:  # before the term ends, if not already by D
        warnings.append(RetirementInTerm(retires_on, ctx.term))
    return Evaluation(application, file, ctx.as_of, findings, evidence, tuple(warnings))


def evaluate_all(
    applications: Iterable[Application], files: dict[str, OfficerFile], ctx: Context
) -> list[Evaluation]:
    """Evaluate applications, in the order given.

    Raises:
        KeyError: an application names an officer missing from ``files`` (the store forbids it).
    """
    return [evaluate(app, files[app.officer_id], ctx) for app in applications]
