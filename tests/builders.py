"""Small record builders for tests: one valid record each, any field overridden by keyword."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import count

from casegrade.policy import Policy
from casegrade.records import Case, Honor, Officer
from casegrade.rules import Context, OfficerFile
from casegrade.vocab import HonorKind, HonorLevel, Sex

AS_OF = date(2026, 6, 30)


def officer(**changes) -> Officer:
    """A 40-year-old male cadre in enforcement since 2015; override any field."""
    base = Officer(
        officer_id="0107",
        name="测试员",
        sex=Sex.MALE,
        birth_date=date(1986, 5, 4),
        unit="东关所",
        enforcement_start=date(2015, 3, 1),
    )
    return replace(base, **changes)


def honor(granted: date = date(2024, 5, 1), **changes) -> Honor:
    """A municipal, enforcement-related commendation for officer 0107."""
    base = Honor("0107", granted, HonorLevel.MUNICIPAL, HonorKind.OTHER, f"荣誉{granted}")
    return replace(base, **changes)


_case_numbers = count(1)


def case(decided: date = date(2025, 1, 10), penalty_yuan: int = 1000, **changes) -> Case:
    """A small case led by officer 0107 (case value 5,000 yuan)."""
    base = Case(
        case_number=f"T{next(_case_numbers):05d}",
        lead_officer_id="0107",
        case_type="无照经营",
        case_value_fen=500_000,
        penalty_fen=penalty_yuan * 100,
        decision_date=decided,
    )
    return replace(base, **changes)


def file_of(*records, who: Officer | None = None) -> OfficerFile:
    """An officer file from a mix of honors and cases."""
    return OfficerFile(
        who or officer(),
        tuple(r for r in records if isinstance(r, Honor)),
        tuple(r for r in records if isinstance(r, Case)),
    )


def context(policy: Policy, as_of: date = AS_OF) -> Context:
    return Context.on(as_of, policy)
