"""The scheme's rules as pure functions over records and a policy: no database, no output, no clock.

Each S1.2 criterion is one small function of the same shape, gathered in ``CRITERIA``; an evaluation
collects their findings and returns them (the shape of beancount's validations).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from fractions import Fraction

from dateutil.relativedelta import relativedelta

from casegrade.policy import THRESHOLD_KINDS, Policy
from casegrade.records import Application, Case, Honor, Officer, OfficerFile
from casegrade.vocab import Grade, HonorKind, HonorLevel, RetirementCategory, Sex

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
        counted: the records behind ``actual`` (honors or cases), oldest first.
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


Criterion = Callable[[OfficerFile, "int | bool", Context], Finding]
CRITERIA: dict[str, Criterion] = {}


def criterion(criterion_id: str) -> Callable[[Criterion], Criterion]:
    """Register a criterion function under its DOMAIN.md id."""

    def register(fn: Criterion) -> Criterion:
        CRITERIA[criterion_id] = fn
        return fn

    return register


def case_exclusion(case: Case, officer_id: str, ctx: Context) -> str | None:
    """Why a case does not count for the officer's case criteria: "not_led" (assisted, when the
    policy counts only cases led, or not theirs) or "outside_window"; None when it counts."""
    led = case.lead_officer_id == officer_id
    assisted = ctx.policy.count_assisted_cases and case.assistant_officer_id == officer_id
    if not (led or assisted):
        return "not_led"
    first, last = ctx.window
    if not first <= case.decision_date <= last:
        return "outside_window"
    return None


def typical_exclusion(case: Case, officer_id: str, ctx: Context) -> str | None:
    """Why a typical case does not count: a case_exclusion reason, "below_level" or
    "after_as_of" (selected after D); None when it counts. A case never selected: "not_typical"."""
    if case.typical_level is None or case.typical_date is None:
        return "not_typical"
    reason = case_exclusion(case, officer_id, ctx)
    if reason is not None:
        return reason
    if case.typical_level.rank < ctx.policy.typical_min_level.rank:
        return "below_level"
    if case.typical_date > ctx.as_of:
        return "after_as_of"
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


def honor_exclusion(honor: Honor, ctx: Context, min_level: HonorLevel) -> str | None:
    """Why an honor does not count at ``min_level``: "not_enforcement" (not 执法办案相关),
    "after_as_of" (granted after D) or "below_level"; None when it counts."""
    if not honor.enforcement_related:
        return "not_enforcement"
    if honor.date > ctx.as_of:
        return "after_as_of"
    if honor.level.rank < min_level.rank:
        return "below_level"
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


@criterion("service_years")
def service_years(file: OfficerFile, required: int, ctx: Context) -> Finding:
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


@criterion("honors")
def honors(file: OfficerFile, required: int, ctx: Context) -> Finding:
    """Enforcement-related honors at the policy's level or above, dated ≤ D (Seed S1.2 1/2/3次以上)."""
    counted = honors_counted(file, ctx)
    return Finding("honors", len(counted), required, len(counted) >= required, tuple(counted))


@criterion("avg_annual_penalty")
def avg_annual_penalty(file: OfficerFile, required: int, ctx: Context) -> Finding:
    """Penalties of counted cases decided in the window / window years, in fen (近2年平均执罚额度)."""
    counted = cases_counted(file, ctx)
    actual = Fraction(sum(case.penalty_fen for case in counted), ctx.policy.window_years)
    return Finding(
        "avg_annual_penalty",
        actual,
        required,
        actual >= required,
        tuple(counted),
        window=ctx.window,
    )


def is_big_case(case: Case, policy: Policy) -> bool:
    """万元以上案件: the policy's basis amount (case value by default) ≥ the threshold."""
    amount = case.case_value_fen if policy.big_case_basis == "case_value" else case.penalty_fen
    return amount >= policy.big_case_threshold_fen


@criterion("avg_annual_big_cases")
def avg_annual_big_cases(file: OfficerFile, required: int, ctx: Context) -> Finding:
    """Big cases among counted cases decided in the window / window years (年均办理万元以上案件)."""
    counted = [case for case in cases_counted(file, ctx) if is_big_case(case, ctx.policy)]
    actual = Fraction(len(counted), ctx.policy.window_years)
    return Finding(
        "avg_annual_big_cases",
        actual,
        required,
        actual >= required,
        tuple(counted),
        window=ctx.window,
    )


@criterion("provincial_titles")
def provincial_titles(file: OfficerFile, required: int, ctx: Context) -> Finding:
    """Enforcement-related honor titles (称号) at provincial level or above, dated ≤ D.

    Seed S1.2: 省级以上执法办案荣誉称号 1次 (intermediate) / 2次以上 (senior).
    """
    counted = titles_counted(file, ctx)
    return Finding(
        "provincial_titles", len(counted), required, len(counted) >= required, tuple(counted)
    )


@criterion("typical_case")
def typical_case(file: OfficerFile, required: int, ctx: Context) -> Finding:
    """Counted cases decided in the window and selected as typical at the policy's level or above,
    the selection dated ≤ D (Seed S1.2 近2年所办理案件曾入选市级以上十大典型案例)."""
    counted = typical_cases_counted(file, ctx)
    return Finding(
        "typical_case",
        len(counted),
        required,
        len(counted) >= required,
        tuple(counted),
        window=ctx.window,
    )


@criterion("not_retired")
def not_retired(file: OfficerFile, required: bool, ctx: Context) -> Finding:
    """The officer has not reached retirement age on D (a retiree cannot be appointed)."""
    retires_on = retirement_date(file.officer, ctx.policy)
    actual = ctx.as_of < retires_on
    return Finding("not_retired", actual, True, actual, key_date=retires_on)


if set(CRITERIA) != set(
    THRESHOLD_KINDS
):  # pragma: no cover - a programming error, caught on import
    raise RuntimeError("rules.CRITERIA and policy.THRESHOLD_KINDS name different criteria")


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
        warnings: things the committee should know that do not fail the application.
    """

    application: Application
    file: OfficerFile
    as_of: date
    findings: dict[Grade, tuple[Finding, ...]]
    warnings: tuple[RetirementInTerm, ...] = field(default=())

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


def check_grade(file: OfficerFile, grade: Grade, ctx: Context) -> tuple[Finding, ...]:
    """Every criterion the policy sets for ``grade``, checked for one officer (Seed S1.2)."""
    required = ctx.policy.thresholds[grade]
    return tuple(fn(file, required[cid], ctx) for cid, fn in CRITERIA.items() if cid in required)


def evaluate(application: Application, file: OfficerFile, ctx: Context) -> Evaluation:
    """Evaluate one application against all three grades (Seed S1.2), with a warning when the
    applicant reaches retirement age after D but before the coming term ends (DOMAIN.md S1.2)."""
    findings = {grade: check_grade(file, grade, ctx) for grade in Grade}
    warnings = []
    retires_on = retirement_date(file.officer, ctx.policy)
    if ctx.as_of < retires_on <= ctx.term[1]:  # before the term ends, if not already by D
        warnings.append(RetirementInTerm(retires_on, ctx.term))
    return Evaluation(application, file, ctx.as_of, findings, tuple(warnings))


def evaluate_all(
    applications: Iterable[Application], files: dict[str, OfficerFile], ctx: Context
) -> list[Evaluation]:
    """Evaluate applications, in the order given.

    Raises:
        KeyError: an application names an officer missing from ``files`` (the store forbids it).
    """
    return [evaluate(app, files[app.officer_id], ctx) for app in applications]
