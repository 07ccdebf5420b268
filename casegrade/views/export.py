"""Evaluations, the roster and the personal file for other programs: JSON (the contract scripts
rely on) and CSV (for Excel).

Money is in yuan in both. JSON keeps English ids and values; CSV has Chinese headers and values,
since it is read by people in Excel.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from casegrade.core.figures import Bulletin, RoundFigures
from casegrade.core.holdings import Event
from casegrade.core.leading import LeadAnswer
from casegrade.core.personal_file import PersonalFile
from casegrade.core.procedure import AppointmentResult
from casegrade.core.ratings import RatedOfficer
from casegrade.core.review import RenewResult, ReviewResult
from casegrade.idnumber import mask_id_number
from casegrade.lifecycle import Ground, Holding
from casegrade.policy import Policy
from casegrade.records import Appointment, Case, Officer
from casegrade.rules import CRITERIA, Context, Evaluation, Finding
from casegrade.views.criteria import criterion_label, json_number
from casegrade.views.labels import grade_text, warning_text
from casegrade.views.outputs import spreadsheet_safe
from casegrade.vocab import Grade, label


def _evidence(finding: Finding) -> list[str]:
    return [
        record.case_number if isinstance(record, Case) else f"{record.date} {record.name}"
        for record in finding.counted
    ]


def _criterion_dict(finding: Finding) -> dict[str, Any]:
    short_by = finding.short_by
    return {
        "id": finding.criterion,
        "actual": json_number(finding.criterion, finding.actual),
        "required": json_number(finding.criterion, finding.required),
        "met": finding.met,
        "short_by": None if short_by is None else json_number(finding.criterion, short_by, up=True),
        "key_date": finding.key_date.isoformat() if finding.key_date else None,
        "evidence": _evidence(finding),
    }


def evaluation_dict(ev: Evaluation) -> dict[str, Any]:
    """One application in the JSON contract, plus per criterion: short_by (same unit, null when
    met), key_date (service_years: the day the years are complete; not_retired: the day
    retirement age is reached) and evidence (case numbers, or honor dates and names)."""
    highest = ev.highest_eligible_grade
    return {
        **_who(ev.officer),
        "applied_grade": ev.application.grade.value,
        "eligible": ev.eligible,
        "highest_eligible_grade": highest.value if highest else None,
        "criteria": [_criterion_dict(finding) for finding in ev.applied],
        "warnings": [warning_text(w) for w in ev.warnings],
    }


def evaluations_json(evaluations: list[Evaluation], round_: str, ctx: Context) -> str:
    """The whole round as JSON text: {"round", "as_of", "policy_version", "term", "applications"}."""
    document = {
        "round": round_,
        "as_of": ctx.as_of.isoformat(),
        "policy_version": ctx.policy.version,
        "term": [day.isoformat() for day in ctx.term],
        "applications": [evaluation_dict(ev) for ev in evaluations],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def evaluations_csv(evaluations: list[Evaluation], ctx: Context) -> str:
    """One line per application with Chinese headers; per criterion its value, the requirement,
    达标 是/否 and the shortfall (blank where the applied grade does not set the criterion)."""
    headers = ["届次", "执法证号", "姓名", "单位", "申报级别", "是否符合", "最高可评级别"]
    for criterion in CRITERIA:
        name = criterion_label(criterion, ctx.policy)
        headers += [name, f"{name}要求", f"{name}达标", f"{name}差距"]
    headers.append("提示")
    rows = [headers]
    for ev in evaluations:
        by_id = {finding.criterion: finding for finding in ev.applied}
        row = [
            ev.application.round,
            ev.officer.officer_id,
            ev.officer.name,
            ev.officer.unit,
            label(ev.application.grade),
            _yes_no(ev.eligible),
            grade_text(ev.highest_eligible_grade),
        ]
        for criterion in CRITERIA:
            finding = by_id.get(criterion)
            if finding is None:
                row += ["", "", "", ""]
                continue
            item = _criterion_dict(finding)
            row += [
                _cell(item["actual"]),
                _cell(item["required"]),
                _yes_no(finding.met),
                _cell(item["short_by"]),
            ]
        row.append("；".join(warning_text(w) for w in ev.warnings))
        rows.append(row)
    return csv_text(rows)


def csv_text(rows: list[list[Any]]) -> str:
    """Rows as CSV text for Excel (CRLF); a cell from the records that Excel would run as a
    formula (=, +, -, @ …, from an office's file) is written so that Excel shows it as text."""
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        [spreadsheet_safe(cell) for cell in row] for row in rows
    )
    return out.getvalue()


def _yes_no(flag: bool) -> str:
    return "是" if flag else "否"


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    return _yes_no(value) if isinstance(value, bool) else value


def _grade_held(held: Holding, day: date) -> Grade:
    grade = held.grade_on(day)
    assert grade is not None  # a roster lists only the holdings in force on its day
    return grade


def _holding_dict(held: Holding, policy: Policy, day: date) -> dict[str, Any]:
    a = held.appointment
    grade = _grade_held(held, day)
    return {
        "officer_id": a.officer_id,
        "name": held.officer.name,
        "unit": held.officer.unit,
        "grade": grade.value,
        "appointed_grade": a.grade.value,
        "cadre_status": policy.cadre_status[grade],
        "round": a.round,
        "term_start": a.term_start.isoformat(),
        "term_end": a.term_end.isoformat(),
        "last_day": held.last_day.isoformat(),
        "ended_by": held.ended_by,
    }


def roster_json(found: list[Holding], as_of: date, policy: Policy) -> str:
    """The roster as JSON: {"as_of", "holders": [{officer_id, name, unit, grade, cadre_status,
    appointed_grade, round, term_start, term_end, last_day, ended_by}]}: grade is the grade
    held on as_of (lower than appointed after a sanction); ended_by is "term", "retirement",
    "revocation" or "disqualified", whichever ends the grade first."""
    document = {
        "as_of": as_of.isoformat(),
        "holders": [_holding_dict(held, policy, as_of) for held in found],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def roster_csv(found: list[Holding], policy: Policy, as_of: date) -> str:
    """The roster for Excel: Chinese headers, one line per holder."""
    rows: list[list[Any]] = [
        ["级别", "待遇", "单位", "执法证号", "姓名", "届次", "任期开始", "任期结束", "最后在任日"]
    ]
    for held in found:
        a = held.appointment
        grade = _grade_held(held, as_of)
        rows.append(
            [
                label(grade),
                policy.cadre_status[grade],
                held.officer.unit,
                a.officer_id,
                held.officer.name,
                a.round,
                a.term_start,
                a.term_end,
                held.last_day,
            ]
        )
    return csv_text(rows)


def _plain(value: Any) -> Any:
    """A record's value for JSON: enums as their English value, dates ISO, Decimal as number."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _record(record: Any, leave_out: tuple[str, ...] = ("officer_id",)) -> dict[str, Any]:
    return {
        f.name: _plain(getattr(record, f.name))
        for f in dataclasses.fields(record)
        if f.name not in leave_out
    }


def personal_file_json(file: PersonalFile, show_id: bool) -> str:
    """The personal file as JSON with English keys and plain values (money in yuan): officer,
    as_of, grades (with sanctions and the grade after each), honors, cases_by_year, exams,
    ratings, assessments, complaints, incidents, sanctions, trainings, reports."""
    officer = _record(file.officer, leave_out=())
    if not show_id:
        officer["id_number"] = mask_id_number(file.officer.id_number) or None
    officer |= {"service_years": file.service_years, "retires_on": file.retires_on.isoformat()}
    grades = [
        {
            "round": h.appointment.round,
            "appointed_grade": h.appointment.grade.value,
            "term_start": h.appointment.term_start.isoformat(),
            "term_end": h.appointment.term_end.isoformat(),
            "last_day": h.last_day.isoformat(),
            "ended_by": h.ended_by.value,
            "sanctions": [
                {
                    "effective_on": s.effective_on.isoformat(),
                    "kind": s.kind.value,
                    "grade_after": after.value if after else None,
                }
                for s, after in h.steps
            ],
        }
        for h in file.holdings
    ]
    cases = [
        {
            "year": c.year,
            "count": c.count,
            "case_value": float(Decimal(c.value_fen) / 100),
            "penalty": float(Decimal(c.penalty_fen) / 100),
            "big": c.big,
            "typical": c.typical,
        }
        for c in file.cases
    ]
    document = {
        "officer": officer,
        "as_of": file.as_of.isoformat(),
        "grades": grades,
        "cases_by_year": cases,
        **{
            name: [_record(r) for r in getattr(file, name)]
            for name in (
                "honors",
                "exams",
                "ratings",
                "assessments",
                "complaints",
                "incidents",
                "sanctions",
                "trainings",
                "reports",
            )
        },
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _who(officer: Officer) -> dict[str, str]:
    """An officer as every JSON answer names one: officer_id, name, unit."""
    return {"officer_id": officer.officer_id, "name": officer.name, "unit": officer.unit}


def terms_json(found: list[Holding], as_of: date, days: int, policy: Policy) -> str:
    """Grades ending soon as JSON: {"as_of", "within_days", "holders": [as in roster_json]}."""
    document = {
        "as_of": as_of.isoformat(),
        "within_days": days,
        "holders": [_holding_dict(held, policy, as_of) for held in found],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def history_json(officer_id: str, name: str, events: list[Event]) -> str:
    """An officer's history as JSON: {"officer_id", "name", "events": [{"on", "kind",
    "round", "grade", "scheduled", "score" (exam), "passed" (exam), "reason", "term_start",
    "term_end" (appointment), "sanction" (its kind), "note" (the sanction's), "grounds" (of an
    elimination, as in review_json)}]}; kind is one of core.holdings.EventKind
    (applied, exam, approved, rejected, appointed, demoted, disqualified, eliminated, retired,
    term_ended)."""
    document = {
        "officer_id": officer_id,
        "name": name,
        "events": [
            {
                "on": event.on.isoformat(),
                "kind": event.kind.value,
                "round": event.round,
                "grade": _plain(event.grade),
                "scheduled": event.scheduled,
                "score": _plain(event.exam.score) if event.exam else None,
                "passed": event.passed if event.exam else None,
                "reason": event.reason or None,
                "term_start": _plain(event.appointment.term_start) if event.appointment else None,
                "term_end": _plain(event.appointment.term_end) if event.appointment else None,
                "sanction": _plain(event.sanction.kind) if event.sanction else None,
                "note": event.sanction.note if event.sanction else None,
                "grounds": [_ground_dict(ground) for ground in event.grounds],
            }
            for event in events
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _answer_dict(answer: LeadAnswer) -> dict[str, Any]:
    return {
        "officer_id": answer.officer.officer_id,
        "name": answer.officer.name,
        "on": answer.on.isoformat(),
        "grade": _plain(answer.grade),
        "required": answer.authority.required.value,
        "by_type": answer.authority.by_type.value,
        "by_value": answer.authority.by_value.value,
        "decided_by": answer.authority.decided_by,
        "allowed": answer.allowed,
    }


def lead_answer_json(
    answer: LeadAnswer, case_type: str, value_fen: int, complex_: bool, case_number: str | None
) -> str:
    """can-lead as JSON: {"case_number" (a recorded case; null), "case_type", "case_value"
    (yuan), "complex", "officer_id", "name", "on", "grade" (held then; null: none),
    "required", "by_type" (senior for a complex case), "by_value", "decided_by" ("type",
    "value" or "both"), "allowed"}."""
    asked = {
        "case_number": case_number,
        "case_type": case_type,
        "case_value": value_fen / 100,
        "complex": complex_,
    }
    return json.dumps(asked | _answer_dict(answer), ensure_ascii=False, indent=2)


def lead_check_json(found: list[tuple[Case, LeadAnswer]]) -> str:
    """lead-check as JSON: a list of {"case_number", "case_type", "case_value" (yuan),
    "decision_date", and the answer's fields as in can-lead}."""
    return json.dumps(
        [
            {
                "case_number": case.case_number,
                "case_type": case.case_type,
                "case_value": case.case_value_fen / 100,
                "complex": case.complex,
                "decision_date": case.decision_date.isoformat(),
                **_answer_dict(answer),
            }
            for case, answer in found
        ],
        ensure_ascii=False,
        indent=2,
    )


def bulletin_json(found: Bulletin) -> str:
    """The quarter's bulletin as JSON: {"quarter", "first", "last", "holders": [{"officer_id",
    "name", "unit", "grade" (on the quarter's last day in office), "cases": [{"case_number",
    "case_type", "case_value", "penalty" (yuan), "decision_date"}]}], "cases", "case_value",
    "penalty" (totals, yuan)}."""
    holders = []
    for held, cases in found.rows:
        holders.append(
            {
                **_who(held.officer),
                "grade": _plain(held.grade_on(min(held.last_day, found.last))),
                "last_day": held.last_day.isoformat(),
                "cases": [
                    {
                        "case_number": c.case_number,
                        "case_type": c.case_type,
                        "case_value": c.case_value_fen / 100,
                        "penalty": c.penalty_fen / 100,
                        "decision_date": c.decision_date.isoformat(),
                    }
                    for c in cases
                ],
            }
        )
    document = {
        "quarter": found.quarter,
        "first": found.first.isoformat(),
        "last": found.last.isoformat(),
        "holders": holders,
        "cases": len(found.cases),
        "case_value": found.value_fen / 100,
        "penalty": found.penalty_fen / 100,
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _rated_dict(item: RatedOfficer, as_of: date | None) -> dict[str, Any]:
    done = item.rating.rectified_on
    known = {
        "rectified_on": _plain(done if as_of is None or (done and done <= as_of) else None),
    }
    if as_of is not None:  # open rectifications judged on a day
        known["overdue"] = item.overdue
    return {
        **_who(item.officer),
        "period": item.rating.period,
        "level": item.rating.level.value,
        "outcome": item.outcome.value,
        "rated_on": item.rating.rated_on.isoformat(),
        "deadline": _plain(item.deadline),
        **known,
    }


def ratings_json(found: list[RatedOfficer], as_of: date | None = None) -> str:
    """Ratings as JSON: a list of {"officer_id", "name", "unit", "period", "level" (excellent,
    good, pass, fail), "outcome" (commend, advise, rectify), "rated_on", "deadline" (to
    rectify; null), "rectified_on"}; open rectifications on ``as_of`` also with "overdue", and
    a rectification completed after ``as_of`` not shown as completed."""
    return json.dumps([_rated_dict(item, as_of) for item in found], ensure_ascii=False, indent=2)


def reports_json(found: list[tuple[Holding, int]], year: int, quota: int, only_short: bool) -> str:
    """Research reports as JSON: {"year", "quota", "holders": [{"officer_id", "name", "unit",
    "reports", "short_by"}]}, only those short of the quota with ``only_short``."""
    document = {
        "year": year,
        "quota": quota,
        "holders": [
            {
                **_who(held.officer),
                "reports": count,
                "short_by": max(quota - count, 0),
            }
            for held, count in found
            if not only_short or count < quota
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def _ground_dict(ground: Ground) -> dict[str, Any]:
    return {
        "kind": ground.kind.value,
        "window": ground.window or None,
        "records": [_record(record) for record in ground.records],
    }


def _review_dict(result: ReviewResult) -> dict[str, Any]:
    eliminated = []
    for held, grounds in result.eliminated:
        eliminated.append(
            {
                **_who(held.officer),
                "grade": _plain(held.grade_on(result.on)),
                "appointed_grade": held.appointment.grade.value,
                "grounds": [_ground_dict(ground) for ground in grounds],
            }
        )
    return {
        "round": result.round,
        "year": result.year,
        "on": result.on.isoformat(),
        "applied": result.applied,
        "reviewed": len(result.rows),
        "eliminated": eliminated,
        "ended_by_retirement": [held.officer.officer_id for held in result.ended],
        "done_before": result.done_before,
    }


def review_json(result: ReviewResult) -> str:
    """An annual review as JSON: {"round", "year", "on", "applied" (false: a dry run),
    "reviewed" (holders), "eliminated": [{"officer_id", "name", "unit", "grade", "grounds":
    [{"kind" (assessment, complaints, serious_error, refusal), "window" ("year", "term" or
    null), "records": [the records behind it, as stored]}]}], "ended_by_retirement":
    [officer_id]}."""
    return json.dumps(_review_dict(result), ensure_ascii=False, indent=2)


def renew_json(result: RenewResult, as_of: date, applied: bool) -> str:
    """The yearly renewal as JSON: {"as_of", "applied", "ended": {round: [officer_id]} (terms
    ended in the past year), "reviews": [as review_json]}."""
    document = {
        "as_of": as_of.isoformat(),
        "applied": applied,
        "ended": {
            round_: [held.officer.officer_id for held in held_list]
            for round_, held_list in result.ended.items()
        },
        "reviews": [_review_dict(review) for review in result.reviews],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def appointment_json(result: AppointmentResult, round_: str) -> str:
    """What appoint did as JSON: {"round", "appointed": [{"officer_id", "grade", "term_start",
    "term_end", "appointed_on"}] (new this time), "kept": [the same, already appointed],
    "refused": [{"officer_id", "problems": [problem codes]}]}."""

    def appointment(a: Appointment) -> dict[str, Any]:
        return {
            "officer_id": a.officer_id,
            "grade": a.grade.value,
            "term_start": a.term_start.isoformat(),
            "term_end": a.term_end.isoformat(),
            "appointed_on": a.appointed_on.isoformat(),
        }

    document = {
        "round": round_,
        "appointed": [appointment(a) for a in result.appointed],
        "kept": [appointment(a) for a in result.kept],
        "refused": [
            {
                "officer_id": evaluation.officer.officer_id,
                "problems": [problem.code.value for problem in problems],
            }
            for evaluation, problems in result.refused
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def figures_json(figures: RoundFigures) -> str:
    """The round in figures as JSON: {"round", "offices", "sections", "applicants",
    "appointed": {grade: n}, "eliminated", "sanctioned", "units": [{"unit", "applicants",
    "appointed": {grade: n}}]}."""
    document = {
        "round": figures.round,
        "offices": figures.offices,
        "sections": figures.sections,
        "applicants": figures.applicants,
        "appointed": {grade.value: n for grade, n in figures.appointed.items()},
        "eliminated": figures.eliminated,
        "sanctioned": figures.sanctioned,
        "units": [
            {
                "unit": unit,
                "applicants": applied,
                "appointed": {grade.value: n for grade, n in by_grade.items()},
            }
            for unit, (applied, by_grade) in figures.by_unit.items()
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=2)


def ratings_csv(found: list[RatedOfficer], as_of: date | None = None) -> str:
    """Ratings for Excel: Chinese headers, one line each; open rectifications on ``as_of``
    also with 逾期 (as ratings_json)."""
    headers = ["期间", "等次", "处理", "单位", "执法证号", "姓名", "考核日期", "整改期限"]
    rows: list[list[Any]] = [[*headers, "整改完成", *(["逾期"] if as_of is not None else [])]]
    for item in found:
        known = _rated_dict(item, as_of)
        rows.append(
            [
                item.rating.period,
                label(item.rating.level),
                label(item.outcome),
                item.officer.unit,
                item.officer.officer_id,
                item.officer.name,
                item.rating.rated_on,
                item.deadline or "",
                known["rectified_on"] or "",
                *([_yes_no(item.overdue)] if as_of is not None else []),
            ]
        )
    return csv_text(rows)


def lead_check_csv(found: list[tuple[Case, LeadAnswer]]) -> str:
    """Cases led below the grade they needed, for Excel: Chinese headers, one line each."""
    rows: list[list[Any]] = [
        ["决定日期", "案号", "案件类型", "案值(元)", "主办人", "执法证号", "当时级别", "所需级别"]
    ]
    for case, answer in found:
        rows.append(
            [
                case.decision_date,
                case.case_number,
                case.case_type,
                f"{case.case_value_fen / 100:.2f}",
                answer.officer.name,
                answer.officer.officer_id,
                label(answer.grade) if answer.grade else "无",
                label(answer.authority.required),
            ]
        )
    return csv_text(rows)


def reports_csv(found: list[tuple[Holding, int]], quota: int, only_short: bool) -> str:
    """Research reports per holder for Excel: Chinese headers, one line each."""
    rows: list[list[Any]] = [["单位", "执法证号", "姓名", "篇数", "差"]]
    for held, count in found:
        if not only_short or count < quota:
            rows.append(
                [
                    held.officer.unit,
                    held.officer.officer_id,
                    held.officer.name,
                    count,
                    max(quota - count, 0),
                ]
            )
    return csv_text(rows)
