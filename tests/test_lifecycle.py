"""The life of a grade (Seed S1.2 审考评聘, S1.3): approval checks, holding spans, the annual review."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from casegrade.lifecycle import (
    ReviewRecords,
    appointment_problems,
    approval_problems,
    due_review_years,
    exam_passed,
    holding,
    other_incidents,
    review_grounds,
    review_window,
    under_review,
)
from casegrade.records import (
    AnnualAssessment,
    Application,
    Appointment,
    Complaint,
    Decision,
    Exam,
    Incident,
    Revocation,
    Round,
)
from casegrade.rules import evaluate
from casegrade.vocab import Assessment, Grade, IncidentKind

AS_OF = date(2026, 6, 30)  # round 2026's evaluation date, for which the records are made
ROUND = Round("2026", AS_OF, date(2026, 7, 1), date(2028, 6, 30))
APPOINTMENT = Appointment(
    "2026", "0107", Grade.JUNIOR, date(2026, 7, 1), date(2028, 6, 30), date(2026, 7, 1)
)


@pytest.fixture
def junior_evaluation(policy, case, context, file_of, honor, officer):
    """An officer who meets junior exactly (and nothing above), applying for intermediate."""
    big = [case(date(2025, 1, 1), 15_000, case_value_fen=1_000_000) for _ in range(4)]
    app = Application("2026", "0107", Grade.INTERMEDIATE, date(2026, 5, 1))
    person = officer(enforcement_start=date(2023, 6, 30))
    return evaluate(app, file_of(honor(), *big, who=person), context(policy))


@pytest.mark.parametrize(("score", "passed"), [("60", True), ("59.99", False), ("100", True)])
def test_exam_pass_mark_includes_the_mark(policy, score, passed):
    assert exam_passed(Exam("2026", "0107", Decimal(score)), policy) is passed
    assert exam_passed(None, policy) is False


@pytest.mark.parametrize(
    ("grade", "score", "problems"),
    [
        (Grade.JUNIOR, "75", []),  # a lower grade than applied, eligible for it
        (Grade.INTERMEDIATE, "75", ["not_eligible"]),
        (Grade.SENIOR, "75", ["above_applied", "not_eligible"]),
        (Grade.JUNIOR, "59.5", ["exam_failed"]),
        (Grade.JUNIOR, None, ["no_exam"]),
    ],
)
def test_approval_problems(policy, grade, score, problems, junior_evaluation):
    exam = None if score is None else Exam("2026", "0107", Decimal(score))
    assert approval_problems(junior_evaluation, exam, grade, policy) == problems


def test_appointment_needs_an_approving_decision(policy, junior_evaluation):
    evaluation, exam = junior_evaluation, Exam("2026", "0107", Decimal(80))
    approve = Decision("2026", "0107", True, Grade.JUNIOR, None, AS_OF)
    assert appointment_problems(evaluation, exam, approve, policy) == []
    reject = Decision("2026", "0107", False, None, "名额已满", AS_OF)
    assert appointment_problems(evaluation, exam, reject, policy) == ["rejected"]
    assert appointment_problems(evaluation, exam, None, policy) == ["no_decision", "not_eligible"]


@pytest.mark.parametrize(
    ("changes", "revocations", "last_day", "ended_by"),
    [
        ({}, [], date(2028, 6, 30), "term"),
        ({"retirement_date": date(2027, 3, 20)}, [], date(2027, 3, 19), "retirement"),
        (
            {},
            [Revocation("2026", "0107", date(2028, 1, 10), "eliminated", "x", 2027)],
            date(2028, 1, 9),
            "revocation",
        ),
        (
            {},
            [Revocation("2024", "0107", date(2027, 1, 10), "eliminated", "x", 2026)],
            date(2028, 6, 30),
            "term",
        ),  # another round's revocation does not end this grade
    ],
)
def test_a_grade_lasts_until_its_first_end(
    policy, officer, changes, revocations, last_day, ended_by
):
    held = holding(APPOINTMENT, officer(**changes), revocations, policy)
    assert (held.last_day, held.ended_by) == (last_day, ended_by)
    assert held.held_on(last_day) and not held.held_on(last_day + timedelta(days=1))
    assert not held.held_on(date(2026, 6, 30))  # the day before the term


@pytest.fixture
def grounds(officer):
    """``grounds(policy, records, year=2027)``: the review grounds the records give against
    officer 0107's 2026 junior grade, as (kind, number of records)."""

    def found(policy, records, year=2027):
        held = holding(APPOINTMENT, officer(), [], policy)
        return [(g.kind.value, len(g.records)) for g in review_grounds(held, records, year, policy)]

    return found


def complaint(day, dismissed=False):
    return Complaint("0107", day, f"举报{day}", dismissed)


@pytest.mark.parametrize(
    ("records", "expected"),
    [
        (ReviewRecords(), []),
        (ReviewRecords(assessments=(AnnualAssessment("0107", 2027, Assessment.COMPETENT),)), []),
        (ReviewRecords(assessments=(AnnualAssessment("0107", 2027, Assessment.NOT_GRADED),)), []),
        (
            ReviewRecords(
                assessments=(AnnualAssessment("0107", 2027, Assessment.BASICALLY_COMPETENT),)
            ),
            [("assessment", 1)],
        ),
        (
            ReviewRecords(assessments=(AnnualAssessment("0107", 2026, Assessment.INCOMPETENT),)),
            [],
        ),  # another year's assessment
        (
            ReviewRecords(complaints=(complaint(date(2027, 1, 1)), complaint(date(2027, 12, 31)))),
            [("complaints", 2)],
        ),
        (
            ReviewRecords(
                complaints=(
                    complaint(date(2027, 3, 1)),
                    complaint(date(2027, 4, 1), dismissed=True),
                )
            ),
            [],
        ),
        (
            ReviewRecords(complaints=(complaint(date(2026, 12, 31)), complaint(date(2027, 1, 1)))),
            [],
        ),  # one in each year: the window is the year
        (
            ReviewRecords(
                incidents=(
                    Incident("0107", date(2027, 6, 1), IncidentKind.SERIOUS_ERROR),
                    Incident("0107", date(2027, 7, 1), IncidentKind.REFUSAL),
                    Incident("0107", date(2027, 8, 1), IncidentKind.DERELICTION),
                )
            ),
            [("serious_error", 1), ("refusal", 1)],
        ),  # dereliction is a sanction, not a ground
        (
            ReviewRecords(
                incidents=(Incident("0107", date(2028, 1, 5), IncidentKind.SERIOUS_ERROR),)
            ),
            [],
        ),
    ],
)
def test_review_grounds(policy, records, expected, grounds):
    assert grounds(policy, records) == expected


def test_complaints_over_the_term_when_the_policy_says(policy, grounds):
    records = ReviewRecords(complaints=(complaint(date(2026, 12, 31)), complaint(date(2027, 1, 1))))
    whole_term = replace(policy, complaints_window="term")
    assert grounds(whole_term, records) == [("complaints", 2)]
    before_term = ReviewRecords(
        complaints=(complaint(date(2026, 6, 30)), complaint(date(2027, 1, 1)))
    )
    assert grounds(whole_term, before_term) == []


@pytest.mark.parametrize(
    ("retires", "reviewed"),
    [(date(2027, 12, 31), False), (date(2028, 1, 10), False), (date(2028, 1, 11), True)],
)
def test_a_grade_ended_by_retirement_is_not_reviewed(policy, retires, reviewed, officer):
    """Retirement ends the grade on that day (S1.3); the review eliminates no one twice."""
    held = holding(APPOINTMENT, officer(retirement_date=retires), [], policy)
    assert under_review(held, ROUND, 2027, date(2028, 1, 10)) is reviewed


def test_other_incidents_are_seen_but_are_no_ground(policy, grounds):
    sanction = Incident("0107", date(2027, 2, 14), IncidentKind.PROCEDURE_VIOLATION, "未经集体讨论")
    records = ReviewRecords(incidents=(sanction,))
    assert grounds(policy, records) == []
    assert other_incidents(records, 2027) == [sanction]
    assert other_incidents(records, 2026) == []


@pytest.mark.parametrize(
    ("year", "window"),
    [(2026, (date(2027, 1, 1), date(2028, 6, 30))), (2027, (date(2028, 1, 1), date(2028, 6, 30)))],
)
def test_review_window(year, window):
    assert review_window(ROUND, year) == window


@pytest.mark.parametrize("year", [2025, 2028, 2029])
def test_no_review_of_a_year_the_term_does_not_run_past(year):
    with pytest.raises(ValueError, match="does not run past the end of"):
        review_window(ROUND, year)


@pytest.mark.parametrize(
    ("as_of", "due"),
    [
        (date(2026, 12, 31), []),
        (date(2027, 1, 1), [2026]),
        (date(2028, 1, 5), [2026, 2027]),  # an earlier year again: late records still count
        (date(2028, 6, 30), [2026, 2027]),
        (date(2028, 7, 1), []),  # the term is over: nothing to review
    ],
)
def test_due_review_years(as_of, due):
    assert due_review_years(ROUND, as_of) == due
