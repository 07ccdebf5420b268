"""`casegrade status` (the database at a glance) and `casegrade officers` (finding officers by
name; any command taking a 执法证号 takes a name only one officer has)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from casegrade import store
from casegrade.views.status import TABLE_NAMES


def test_every_record_table_has_its_chinese_name() -> None:
    assert list(TABLE_NAMES) == list(store.RECORDS)


def test_status_names_the_database_its_records_rounds_and_last_imports(bureau: Path, run) -> None:
    document = json.loads(run("--db", bureau, "status", "--format", "json").stdout)
    with sqlite3.connect(bureau) as connection:
        cases, officers = connection.execute(
            "select (select count(*) from cases), (select count(*) from officers)"
        ).fetchone()
    assert document["path"] == str(bureau.resolve())
    assert document["size_bytes"] == bureau.stat().st_size
    assert document["schema"] == "m009_audit_rows"
    assert document["policy_version"] == "2026.1"
    assert (document["counts"]["cases"], document["counts"]["officers"]) == (cases, officers)
    assert list(document["counts"]) == list(store.RECORDS)
    (round_,) = document["rounds"]
    assert round_ == {
        "round": "2026",
        "evaluate_on": "2026-06-30",
        "term_start": "2026-07-01",
        "term_end": "2028-06-30",
        "applications": 169,
        "decisions": round_["decisions"],
        "appointments": round_["appointments"],
        "state": "appointed",
    }
    assert round_["appointments"] > 0
    imported = {item["table"]: item for item in document["imports"]}
    assert imported["cases"]["file"].endswith("cases.csv")
    assert [item["table"] for item in document["imports"]] == [
        t for t in store.RECORDS if t in imported
    ]
    table = run("--db", bureau, "status").stdout
    assert "已聘任" in table and "案件" in table and f"{cases:,}" in table


def test_status_of_a_database_with_no_round_says_so(tmp_path: Path, run, csv_file) -> None:
    db = tmp_path / "new.db"
    officers = csv_file(
        "officers",
        "执法证号,姓名,单位,执法起始日期,出生日期,性别\n0101,宋子然,东关所,2015-03-01,1990-03-07,男\n",
    )
    run("--db", db, "import", "officers", officers)
    table = run("--db", db, "status").stdout
    assert "还没有届次" in table and "执法人员" in table
    assert json.loads(run("--db", db, "status", "--format", "json").stdout)["rounds"] == []


def test_officers_are_found_by_part_of_a_name(bureau: Path, run) -> None:
    with sqlite3.connect(bureau) as connection:
        (officer_id, name), *_ = connection.execute(
            "select officer_id, name from officers order by officer_id"
        ).fetchall()
        expected = connection.execute(
            "select officer_id from officers where instr(name, ?) > 0 order by officer_id",
            [name[0]],
        ).fetchall()
    found = json.loads(
        run("--db", bureau, "officers", "--name", name[0], "--format", "json").stdout
    )
    assert [item["officer_id"] for item in found] == [row[0] for row in expected]
    assert set(found[0]) == {"officer_id", "name", "sex", "unit", "enforcement_start"}
    assert officer_id in {item["officer_id"] for item in found}
    everyone = json.loads(run("--db", bureau, "officers", "--format", "json").stdout)
    assert len(everyone) == 169
    for wildcard in ("%", "_"):  # a name search, not a pattern
        assert run("--db", bureau, "officers", "--name", wildcard).stdout.startswith("没有姓名含")


def test_a_unique_name_stands_for_the_officer_and_a_shared_one_lists_them(
    bureau: Path, run
) -> None:
    with sqlite3.connect(bureau) as connection:
        (officer_id, name) = connection.execute(
            "select officer_id, name from officers where name in (select name from officers "
            "group by name having count(*) = 1) order by officer_id limit 1"
        ).fetchone()
        connection.execute("update officers set name = ? where officer_id = '0702'", [name])
    by_id = run("--db", bureau, "history", officer_id).stdout
    assert run("--db", bureau, "history", "0702").stdout != by_id
    with sqlite3.connect(bureau) as connection:  # the name shared now: the other renamed back
        connection.execute("update officers set name = '另一人' where officer_id = '0702'")
    assert run("--db", bureau, "history", name).stdout == by_id
    with sqlite3.connect(bureau) as connection:
        connection.execute("update officers set name = ? where officer_id = '0702'", [name])
    refused = run("--db", bureau, "history", name, ok=False)
    assert refused.exit_code == 1
    assert f"2 officers are named {name}" in refused.stderr
    assert officer_id in refused.stderr and "0702" in refused.stderr
