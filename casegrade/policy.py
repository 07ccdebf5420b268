"""The policy file: thresholds, windows, case types and every DOMAIN.md Decision, loaded and validated.

The shipped `policy.toml` is the default; a bureau revises a copy and passes it with ``--policy``.
"""

from __future__ import annotations

import codecs
import tomllib
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Any

from casegrade.errors import PolicyError
from casegrade.rules import CRITERIA, ThresholdKind
from casegrade.vocab import Assessment, Grade, HonorLevel, parse_enum

# Criterion id -> how its threshold is written: "count" (whole number), "money" (yuan, stored as fen)
# or "flag" (true when the criterion applies). The ids are DOMAIN.md's S1.2 table.
BIG_CASE_BASES = ("case_value", "penalty")
COMPLAINT_WINDOWS = ("year", "term")
MAX_YEARS = 10  # longer windows or terms than this are typing errors
TYPE_WORDS = {
    list: "a list in brackets",
    int: "a whole number",
    str: "text in quotes",
    bool: "true or false",
    date: "a date (YYYY-MM-DD)",
}
RETIREMENT_GROUPS = ("male", "female_cadre", "female_worker")


@dataclass(frozen=True)
class RetirementScheme:
    """One group's statutory retirement age under the 2025 reform (DOMAIN.md S1.3).

    Attributes:
        base_age: age in years before the reform (60, 55 or 50).
        reform_start: (year, month) of the first birth month the reform delays.
        step_months: every this many months of birth add one month of delay.
        cap_months: the delay never exceeds this many months.
    """

    base_age: int
    reform_start: tuple[int, int]
    step_months: int
    cap_months: int


@dataclass(frozen=True)
class Policy:
    """The rules in force, as read from one policy file.

    Attributes:
        version: the file's version string, e.g. "2026.1".
        effective: the date from which the bureau applies it.
        source: where it was read from (a path, or "built-in").
        window_years: length of the 近N年 window and divisor of 年均, in years.
        count_assisted_cases: whether cases assisted (协办) count like cases led.
        big_case_basis: "case_value" or "penalty", the amount compared for 万元以上案件.
        big_case_threshold_fen: the amount from which a case is big, in fen.
        honor_min_level, title_min_level, typical_min_level: lowest level that counts.
        term_years: length of a round's term, in years.
        thresholds: grade -> criterion id -> required value (counts, fen for money, True for flags).
        retirement: "male" / "female_cadre" / "female_worker" -> scheme.
        junior_max_value_fen, senior_min_value_fen: case-value bounds of case authority (S1.1), in fen.
        case_types: 案件类型 -> grade required to lead it (S1.1).
        exam_pass_mark: the lowest passing exam score (S1.2 考).
        complaints_limit: complaints (not groundless) that eliminate a holder (S1.3).
        complaints_window: "year" (the reviewed calendar year) or "term".
        failing_assessments: annual assessment results that eliminate a holder (S1.3).
        cadre_status: grade -> what holding it brings (S1.4), e.g. 副股后备干部.
        reports_per_year: research reports each holder submits a year (S1.4).
        rectification_months: months to rectify after a 不合格 rating (S2.4: one quarter).
        backups_kept: automatic copies of the database kept before mass changes (not a rule
            of the scheme: the bureau's own record keeping).
        office_suffix: the end of a unit's name that makes it an office (所; the others are
            sections, 科室), for the figures of a round (S3.1).
    """

    version: str
    effective: date
    source: str
    window_years: int
    count_assisted_cases: bool
    big_case_basis: str
    big_case_threshold_fen: int
    honor_min_level: HonorLevel
    title_min_level: HonorLevel
    typical_min_level: HonorLevel
    term_years: int
    thresholds: dict[Grade, dict[str, int | bool]]
    retirement: dict[str, RetirementScheme]
    junior_max_value_fen: int
    senior_min_value_fen: int
    case_types: dict[str, Grade]
    exam_pass_mark: Decimal
    complaints_limit: int
    complaints_window: str
    failing_assessments: frozenset[Assessment]
    cadre_status: dict[Grade, str]
    reports_per_year: int
    rectification_months: int
    backups_kept: int
    office_suffix: str


def load_policy(path: Path | None = None) -> Policy:
    """Read and validate a policy file; None reads the one shipped with casegrade.

    Raises:
        PolicyError: the file is missing, is not TOML, or has an unknown, missing or ill-typed key.
    """
    if path is None:
        text = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
        source = "built-in"
    else:
        text = _policy_text(Path(path))
        source = str(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise PolicyError(f"{source}: not valid TOML ({exc})") from exc
    return _Reader(source).policy(data)


def _policy_text(path: Path) -> str:
    """A policy file's text as Notepad may save it: UTF-8 (with or without BOM), UTF-16 with a
    BOM ("Unicode"), or the Chinese Windows code page (GBK, read as its superset GB18030).

    Raises:
        PolicyError: the file cannot be read, or is in none of these encodings.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolicyError(f"cannot read policy file {path}: {exc.strerror}") from exc
    encodings = ("utf-16",) if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ()
    for encoding in (*encodings, "utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise PolicyError(f"{path}: not a text file in UTF-8 or GBK; save it from Notepad as UTF-8")


class _Reader:
    """Takes keys out of the parsed TOML, so that whatever is left over can be reported as unknown."""

    def __init__(self, source: str) -> None:
        self.source = source

    def fail(self, where: str, message: str) -> PolicyError:
        return PolicyError(f"{self.source}: {where}: {message}")

    def table(self, data: dict[str, Any], key: str, where: str) -> dict[str, Any]:
        value = data.pop(key, None)
        if not isinstance(value, dict):
            raise self.fail(where, f"missing table [{key}]")
        return value

    def value(self, data: dict[str, Any], key: str, kind: type, where: str) -> Any:
        if key not in data:
            raise self.fail(where, f"missing key '{key}'")
        value = data.pop(key)
        # bool is an int in Python; a threshold of `true` where a number belongs is a typo.
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            raise self.fail(where, f"'{key}' must be {TYPE_WORDS[kind]}, not {value!r}")
        return value

    def count(self, data: dict[str, Any], key: str, where: str) -> int:
        value = self.value(data, key, int, where)
        if value < 0:
            raise self.fail(where, f"'{key}' must not be negative, not {value}")
        return value

    def money_fen(self, data: dict[str, Any], key: str, where: str) -> int:
        if key not in data or isinstance(data[key], bool) or not isinstance(data[key], int | float):
            raise self.fail(where, f"'{key}' must be an amount in yuan, a number without quotes")
        raw = data.pop(key)
        try:
            yuan = Decimal(str(raw))
        except InvalidOperation:
            raise self.fail(where, f"'{key}' must be an amount in yuan, not {raw!r}") from None
        fen = yuan * 100
        if not fen.is_finite() or fen < 0 or fen != fen.to_integral_value():
            raise self.fail(where, f"'{key}' must be yuan with at most 2 decimals, not {raw!r}")
        return int(fen)

    def level(self, data: dict[str, Any], key: str, where: str) -> HonorLevel:
        text = self.value(data, key, str, where)
        try:
            return parse_enum(HonorLevel, text)
        except ValueError as exc:
            raise self.fail(where, f"'{key}' = {text!r}: {exc}") from None

    def no_more(self, data: dict[str, Any], where: str, known: list[str] | tuple[str, ...]) -> None:
        if data:
            unknown = ", ".join(sorted(data))
            raise self.fail(where, f"unknown key(s) {unknown}; known: {', '.join(known)}")

    def policy(self, data: dict[str, Any]) -> Policy:
        version = self.value(data, "version", str, "top level")
        effective = self.value(data, "effective", date, "top level")
        counting = self.table(data, "counting", "top level")
        basis = self.value(counting, "big_case_basis", str, "[counting]")
        if basis not in BIG_CASE_BASES:
            raise self.fail("[counting]", f"big_case_basis must be one of {BIG_CASE_BASES}")
        window_years = self.count(counting, "window_years", "[counting]")
        term_years = self.count(counting, "term_years", "[counting]")
        if not (1 <= window_years <= MAX_YEARS and 1 <= term_years <= MAX_YEARS):
            raise self.fail("[counting]", f"window_years and term_years must be 1 to {MAX_YEARS}")
        fields: dict[str, Any] = {
            "window_years": window_years,
            "term_years": term_years,
            "count_assisted_cases": self.value(
                counting, "count_assisted_cases", bool, "[counting]"
            ),
            "big_case_basis": basis,
            "big_case_threshold_fen": self.money_fen(counting, "big_case_threshold", "[counting]"),
            "honor_min_level": self.level(counting, "honor_min_level", "[counting]"),
            "title_min_level": self.level(counting, "title_min_level", "[counting]"),
            "typical_min_level": self.level(counting, "typical_min_level", "[counting]"),
        }
        known = [key.removesuffix("_fen") for key in fields]
        self.no_more(counting, "[counting]", known)
        thresholds = self.thresholds(self.table(data, "thresholds", "top level"))
        retirement = self.retirement(self.table(data, "retirement", "top level"))
        authority = self.table(data, "case_authority", "top level")
        junior_max = self.money_fen(authority, "junior_max_value", "[case_authority]")
        senior_min = self.money_fen(authority, "senior_min_value", "[case_authority]")
        self.no_more(authority, "[case_authority]", ["junior_max_value", "senior_min_value"])
        if junior_max > senior_min:
            raise self.fail("[case_authority]", "junior_max_value must not exceed senior_min_value")
        case_types = self.case_types(self.table(data, "case_types", "top level"))
        procedure = self.table(data, "procedure", "top level")
        pass_mark = self.number(procedure, "exam_pass_mark", "[procedure]")
        self.no_more(procedure, "[procedure]", ["exam_pass_mark"])
        review = self.review(self.table(data, "review", "top level"))
        during = self.table(data, "during_term", "top level")
        during_term = {
            key: self.count(during, key, "[during_term]")
            for key in ("reports_per_year", "rectification_months")
        }
        self.no_more(during, "[during_term]", list(during_term))
        # [records] came after the first policy files; a revised file without it keeps 10 copies
        records = {"backups_kept": 10, "office_suffix": "所", **data.pop("records", {})}
        backups_kept = self.count(records, "backups_kept", "[records]")
        office_suffix = self.value(records, "office_suffix", str, "[records]")
        self.no_more(records, "[records]", ["backups_kept", "office_suffix"])
        cadre = self.table(data, "cadre_status", "top level")
        cadre_status = {g: self.value(cadre, g.value, str, "[cadre_status]") for g in Grade}
        self.no_more(cadre, "[cadre_status]", [g.value for g in Grade])
        self.no_more(
            data,
            "top level",
            [
                "version",
                "effective",
                "counting",
                "thresholds",
                "procedure",
                "review",
                "during_term",
                "cadre_status",
                "retirement",
                "case_authority",
                "case_types",
                "records",
            ],
        )
        return Policy(
            version=version,
            effective=effective,
            source=self.source,
            thresholds=thresholds,
            retirement=retirement,
            junior_max_value_fen=junior_max,
            senior_min_value_fen=senior_min,
            case_types=case_types,
            exam_pass_mark=pass_mark,
            cadre_status=cadre_status,
            backups_kept=backups_kept,
            office_suffix=office_suffix,
            reports_per_year=during_term["reports_per_year"],
            rectification_months=during_term["rectification_months"],
            **review,
            **fields,
        )

    def number(self, data: dict[str, Any], key: str, where: str) -> Decimal:
        if key not in data or isinstance(data[key], bool) or not isinstance(data[key], int | float):
            raise self.fail(where, f"'{key}' must be a number without quotes")
        value = Decimal(str(data.pop(key)))
        if not value.is_finite() or value < 0:
            raise self.fail(where, f"'{key}' must be a number of 0 or more")
        return value

    def review(self, data: dict[str, Any]) -> dict[str, Any]:
        window = self.value(data, "complaints_window", str, "[review]")
        if window not in COMPLAINT_WINDOWS:
            raise self.fail("[review]", f"complaints_window must be one of {COMPLAINT_WINDOWS}")
        failing = self.value(data, "failing_assessments", list, "[review]")
        try:
            results = frozenset(parse_enum(Assessment, str(item)) for item in failing)
        except ValueError as exc:
            raise self.fail("[review]", f"failing_assessments: {exc}") from None
        if Assessment.COMPETENT in results or Assessment.EXCELLENT in results:
            raise self.fail("[review]", "failing_assessments must not include 称职 or 优秀")
        result = {
            "complaints_limit": self.count(data, "complaints_limit", "[review]"),
            "complaints_window": window,
            "failing_assessments": results,
        }
        self.no_more(data, "[review]", list(result))
        return result

    def thresholds(self, data: dict[str, Any]) -> dict[Grade, dict[str, int | bool]]:
        result: dict[Grade, dict[str, int | bool]] = {}
        for grade in Grade:
            where = f"[thresholds.{grade.value}]"
            table = self.table(data, grade.value, "[thresholds]")
            required: dict[str, int | bool] = {}
            for criterion, spec in CRITERIA.items():
                kind = spec.kind
                if criterion not in table:
                    continue
                if kind is ThresholdKind.MONEY:
                    required[criterion] = self.money_fen(table, criterion, where)
                elif kind is ThresholdKind.FLAG:
                    if self.value(table, criterion, bool, where):
                        required[criterion] = True
                else:
                    required[criterion] = self.count(table, criterion, where)
            self.no_more(table, where, list(CRITERIA))
            result[grade] = required
        self.no_more(data, "[thresholds]", [g.value for g in Grade])
        return result

    def retirement(self, data: dict[str, Any]) -> dict[str, RetirementScheme]:
        result = {}
        for group in RETIREMENT_GROUPS:
            where = f"[retirement.{group}]"
            table = self.table(data, group, "[retirement]")
            start = self.value(table, "reform_start", str, where)
            try:
                year, month = (int(part) for part in start.split("-"))
            except ValueError:
                raise self.fail(where, f"reform_start must be YYYY-MM, not {start!r}") from None
            if not 1 <= month <= 12:
                raise self.fail(where, f"reform_start must be YYYY-MM, not {start!r}")
            step_months = self.count(table, "step_months", where)
            if step_months == 0:
                raise self.fail(where, "step_months must be at least 1")
            result[group] = RetirementScheme(
                base_age=self.count(table, "base_age", where),
                reform_start=(year, month),
                step_months=step_months,
                cap_months=self.count(table, "cap_months", where),
            )
            self.no_more(table, where, ["base_age", "reform_start", "step_months", "cap_months"])
        self.no_more(data, "[retirement]", RETIREMENT_GROUPS)
        return result

    def case_types(self, data: dict[str, Any]) -> dict[str, Grade]:
        result = {}
        for case_type, text in data.items():
            try:
                result[case_type] = parse_enum(Grade, str(text))
            except ValueError as exc:
                raise self.fail("[case_types]", f"{case_type!r} = {text!r}: {exc}") from None
        if not result:
            raise self.fail("[case_types]", "the case-type table is empty")
        return result


def policy_problems(policy: Policy) -> list[str]:
    """Doubts about a policy that loads: a threshold that falls as grades rise, or a criterion a
    lower grade requires and a higher grade drops (no grade is a prerequisite, so each grade's
    criteria must be at least those below it)."""
    problems = []
    for criterion, spec in CRITERIA.items():
        kind = spec.kind
        below: tuple[Grade, int | bool] | None = None
        for grade in Grade:
            required = policy.thresholds[grade].get(criterion)
            if below is not None and required is None:
                problems.append(
                    f"{criterion}: {below[0].value} requires it, {grade.value} does not"
                )
            elif below is not None and required is not None and required < below[1]:
                shown = [
                    f"{value / 100:,.2f} yuan" if kind is ThresholdKind.MONEY else value
                    for value in (required, below[1])
                ]
                problems.append(
                    f"{criterion}: {grade.value} requires {shown[0]}, less than "
                    f"{below[0].value}'s {shown[1]}"
                )
            if required is not None:
                below = (grade, required)
    return problems
