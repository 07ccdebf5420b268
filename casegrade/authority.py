"""Case authority (Seed S1.1 案件权限): which grade may lead a case, as pure functions.

The required grade is the higher of the case type's grade (the policy's table; 复杂疑难 cases are
senior) and the case value's grade; any grade at or above it may lead the case (上一级可以主办下一级).
"""

from __future__ import annotations

from dataclasses import dataclass

from casegrade.errors import UnknownCaseType
from casegrade.policy import Policy
from casegrade.vocab import Grade


@dataclass(frozen=True)
class Authority:
    """What grade a case needs, and why.

    Attributes:
        required: the grade needed to lead it.
        by_type: the case type's grade (senior for a complex case).
        by_value: the case value's grade.
        decided_by: "type", "value" or "both" (the two agree), whichever set ``required``.
    """

    required: Grade
    by_type: Grade
    by_value: Grade
    decided_by: str


def value_grade(value_fen: int, policy: Policy) -> Grade:
    """The grade a case value needs: up to junior_max_value junior (5000元以下 includes 5,000),
    from senior_min_value senior (Decision: exactly 10,000 is 1万元以上), intermediate between."""
    if value_fen >= policy.senior_min_value_fen:
        return Grade.SENIOR
    if value_fen <= policy.junior_max_value_fen:
        return Grade.JUNIOR
    return Grade.INTERMEDIATE


def required_grade(case_type: str, value_fen: int, complex_: bool, policy: Policy) -> Authority:
    """The grade needed to lead a case of this type and value (Seed S1.1).

    Raises:
        UnknownCaseType: the type is not in the policy's table; the message names it.
    """
    if case_type not in policy.case_types:
        raise UnknownCaseType(
            f"unknown case type {case_type!r}; add it to [case_types] in the "
            "policy file, or correct the type"
        )
    by_type = Grade.SENIOR if complex_ else policy.case_types[case_type]
    by_value = value_grade(value_fen, policy)
    required = max(by_type, by_value, key=lambda grade: grade.rank)
    decided_by = "both" if by_type == by_value else ("type" if required == by_type else "value")
    return Authority(required, by_type, by_value, decided_by)


def may_lead(grade: Grade | None, authority: Authority) -> bool:
    """Whether a holder of ``grade`` (None: no grade) may lead the case: at or above it."""
    return grade is not None and grade.rank >= authority.required.rank
