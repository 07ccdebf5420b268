"""The database: migrations, round-tripping records, loading what the rules need."""

from __future__ import annotations

from datetime import date

import pytest

from casegrade import store
from casegrade.errors import StoreError
from casegrade.records import Application
from casegrade.store import from_row, open_db, to_row
from casegrade.vocab import Grade, HonorLevel

EXPECTED_COLUMNS = {
    "officers": {
        "officer_id": "TEXT",
        "name": "TEXT",
        "sex": "TEXT",
        "birth_date": "TEXT",
        "unit": "TEXT",
        "enforcement_start": "TEXT",
        "id_number": "TEXT",
        "position": "TEXT",
        "retirement_category": "TEXT",
        "retirement_date": "TEXT",
    },
    "honors": {
        "officer_id": "TEXT",
        "date": "TEXT",
        "level": "TEXT",
        "kind": "TEXT",
        "name": "TEXT",
        "enforcement_related": "INTEGER",
    },
    "cases": {
        "case_number": "TEXT",
        "lead_officer_id": "TEXT",
        "case_type": "TEXT",
        "case_value_fen": "INTEGER",
        "penalty_fen": "INTEGER",
        "decision_date": "TEXT",
        "assistant_officer_id": "TEXT",
        "typical_level": "TEXT",
        "typical_date": "TEXT",
        "complex": "INTEGER",
    },
    "applications": {"round": "TEXT", "officer_id": "TEXT", "grade": "TEXT", "applied_on": "TEXT"},
    "rounds": {"round": "TEXT", "evaluate_on": "TEXT", "term_start": "TEXT", "term_end": "TEXT"},
    "exams": {"round": "TEXT", "officer_id": "TEXT", "score": "TEXT"},
    "decisions": {
        "round": "TEXT",
        "officer_id": "TEXT",
        "approved": "INTEGER",
        "grade": "TEXT",
        "reason": "TEXT",
        "decided_on": "TEXT",
        "recorded_by": "TEXT",
        "policy_version": "TEXT",
    },
    "appointments": {
        "round": "TEXT",
        "officer_id": "TEXT",
        "grade": "TEXT",
        "term_start": "TEXT",
        "term_end": "TEXT",
        "appointed_on": "TEXT",
        "recorded_by": "TEXT",
        "policy_version": "TEXT",
    },
    "revocations": {
        "id": "INTEGER",
        "round": "TEXT",
        "officer_id": "TEXT",
        "effective_on": "TEXT",
        "kind": "TEXT",
        "reason": "TEXT",
        "review_year": "INTEGER",
        "recorded_by": "TEXT",
        "policy_version": "TEXT",
        "grounds": "TEXT",
    },
    "assessments": {"officer_id": "TEXT", "year": "INTEGER", "result": "TEXT"},
    "complaints": {"officer_id": "TEXT", "date": "TEXT", "summary": "TEXT", "dismissed": "INTEGER"},
    "incidents": {"officer_id": "TEXT", "date": "TEXT", "kind": "TEXT", "note": "TEXT"},
    "reviews": {
        "round": "TEXT",
        "year": "INTEGER",
        "applied_on": "TEXT",
        "recorded_by": "TEXT",
        "policy_version": "TEXT",
        "eliminated": "INTEGER",
    },
    "evaluations": {
        "round": "TEXT",
        "officer_id": "TEXT",
        "as_of": "TEXT",
        "policy_version": "TEXT",
        "applied_grade": "TEXT",
        "eligible": "INTEGER",
        "highest_grade": "TEXT",
        "unmet": "TEXT",
        "recorded_on": "TEXT",
        "recorded_by": "TEXT",
    },
    "sanctions": {
        "round": "TEXT",
        "officer_id": "TEXT",
        "effective_on": "TEXT",
        "kind": "TEXT",
        "disqualify": "INTEGER",
        "note": "TEXT",
        "recorded_by": "TEXT",
        "policy_version": "TEXT",
    },
    "ratings": {
        "officer_id": "TEXT",
        "period": "TEXT",
        "level": "TEXT",
        "rated_on": "TEXT",
        "note": "TEXT",
        "rectified_on": "TEXT",
    },
    "reports": {"officer_id": "TEXT", "date": "TEXT", "title": "TEXT"},
    "trainings": {"officer_id": "TEXT", "date": "TEXT", "title": "TEXT", "hours": "INTEGER"},
    "audit": {
        "id": "INTEGER",
        "at": "TEXT",
        "user": "TEXT",
        "action": "TEXT",
        "table_name": "TEXT",
        "key": "TEXT",
        "old": "TEXT",
        "new": "TEXT",
        "command": "TEXT",
        "file": "TEXT",
        "file_sha256": "TEXT",
        "hash": "TEXT",
    },
    "audit_rows": {"entry": "INTEGER", "key": "TEXT", "hash": "TEXT"},
}


def test_blank_database_migrates_to_expected_columns(tmp_path):
    db = open_db(tmp_path / "new.db")
    for table, columns in EXPECTED_COLUMNS.items():
        assert db[table].columns_dict and {c.name: c.type for c in db[table].columns} == columns
    assert db.execute("PRAGMA foreign_keys").fetchone() == (1,)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    applied = [m.name for m in store.migrations.applied(db)]
    assert applied == [
        "m001_records",
        "m002_lifecycle",
        "m003_evaluations",
        "m004_during_term",
        "m005_safety",
        "m006_grounds",
        "m007_indexes",
        "m008_fewer_indexes",
        "m009_audit_rows",
    ]
    open_db(tmp_path / "new.db")  # opening again applies nothing twice
    assert [m.name for m in store.migrations.applied(db)] == applied


def test_not_a_database_is_a_clear_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    for write in (True, False):
        with pytest.raises(StoreError, match="file is not a database"):
            open_db(path, write=write)
    assert path.read_text(encoding="utf-8") == "这不是数据库\n" * 100


@pytest.mark.parametrize(
    ("builder", "changes"),
    [
        ("officer", {"id_number": "330102199003071230", "retirement_date": date(2050, 1, 1)}),
        ("honor", {"enforcement_related": False}),
        (
            "case",
            {
                "typical_level": HonorLevel.NATIONAL,
                "typical_date": date(2025, 2, 1),
                "complex": True,
                "assistant_officer_id": "0200",
            },
        ),
    ],
)
def test_records_round_trip(request, builder, changes):
    record = request.getfixturevalue(builder)(**changes)  # the officer, honor or case fixture
    assert from_row(type(record), to_row(record)) == record


def test_an_application_round_trips():
    record = Application("2026", "0107", Grade.SENIOR, date(2026, 5, 1))
    assert from_row(type(record), to_row(record)) == record


def test_foreign_keys_are_enforced(db, honor):
    with pytest.raises(StoreError, match="FOREIGN KEY"):
        store.save(db, "honors", [honor()])


def test_officer_files_gather_led_and_assisted_cases(db, officer, honor, case):
    store.save(db, "officers", [officer(), officer(officer_id="0200", name="同事")])
    led, assisted, other = (
        case(),
        case(lead_officer_id="0200", assistant_officer_id="0107"),
        case(lead_officer_id="0200"),
    )
    store.save(db, "cases", [led, assisted, other])
    store.save(db, "honors", [honor()])
    files = store.officer_files(db, {"0107"})
    assert set(files) == {"0107"}
    assert set(files["0107"].cases) == {led, assisted}
    assert files["0107"].honors == (honor(),)
