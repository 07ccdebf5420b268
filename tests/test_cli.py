"""The command line as the clerk and their scripts use it."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import re
import subprocess
import sys
import tempfile
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
import typer

from casegrade import store
from casegrade.cli import app
from casegrade.core import procedure
from casegrade.core.sample import sample_data_dir
from casegrade.policy import load_policy
from casegrade.rules import Context, evaluate_all
from casegrade.store import open_db


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory, run, create_round_2026) -> Path:
    """A database holding the sample bureau, built once through the import commands."""
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    for kind in ("officers", "honors", "cases", "applications"):
        run("--db", path, "import", kind, sample_data_dir() / f"{kind}.csv")
    run("--db", path, *create_round_2026)
    for kind in ("exams", "decisions", "assessments", "complaints", "incidents"):
        run("--db", path, "import", kind, sample_data_dir() / f"{kind}.csv")
    return path


def test_every_command_has_help(run):
    def walk(command, path):
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    for path, command in walk(typer.main.get_command(app), []):
        assert command.help, f"casegrade {' '.join(path)} has no help"
        result = run(*path, "--help")
        assert "Usage" in result.output


def test_crash_reports_hide_local_variables():
    assert app.pretty_exceptions_show_locals is False


def test_import_reports_counts_then_changes_nothing(tmp_path, sample_db, run):
    path = sample_data_dir() / "officers.csv"
    result = run("--db", sample_db, "import", "officers", path)
    assert result.stdout == f"{path}: 169 rows; 0 added, 0 changed, 169 unchanged\n"


def test_bad_file_exits_1_and_writes_nothing(tmp_path, run, round_2026):
    db = tmp_path / "clerk.db"
    good = (
        "执法证号,姓名,性别,出生日期,单位,执法起始日期\n0001,甲,男,1990-01-01,东关所,2015-01-01\n"
    )
    bad_row = "0002,乙,男,1990-01-01,东关所,2015-02-30\n"
    (tmp_path / "o.csv").write_text(good + bad_row, encoding="utf-8")
    result = run("--db", db, "import", "officers", tmp_path / "o.csv", ok=False)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"Error: 1 problem(s) in {tmp_path / 'o.csv'}; nothing was imported",
        f"  {tmp_path / 'o.csv'}, row 3, column 执法起始日期 = '2015-02-30': not a full, valid "
        "date; write it as YYYY-MM-DD, e.g. 2019-03-01",
    ]
    assert result.stdout == ""
    assert open_db(db)["officers"].count == 0  # the good first row was not written either
    result = run("--db", db, "evaluate", *round_2026, ok=False)
    assert result.exit_code == 1
    assert "no application in round '2026'; rounds on record: none" in result.stderr


def test_database_choice_flag_env_default(tmp_path, monkeypatch, run):
    officers = tmp_path / "o.csv"
    officers.write_text(
        "执法证号,姓名,性别,出生日期,单位,执法起始日期\n0001,甲,男,1990-01-01,东关所,2015-01-01\n",
        encoding="utf-8",
    )
    run("--db", tmp_path / "flag.db", "import", "officers", officers)
    assert (tmp_path / "flag.db").exists()
    monkeypatch.setenv("CASEGRADE_DB", str(tmp_path / "env.db"))
    run("import", "officers", officers)
    assert (tmp_path / "env.db").exists()
    monkeypatch.delenv("CASEGRADE_DB")
    run("import", "officers", officers)
    assert Path("casegrade.db").exists()  # the test's own working folder (conftest)


def test_json_contract(sample_db, run, round_2026):
    document = json.loads(
        run("--db", sample_db, "evaluate", *round_2026, "--format", "json").stdout
    )
    assert (document["round"], document["as_of"]) == ("2026", "2026-06-30")
    applications = document["applications"]
    assert len(applications) == 169
    for item in applications:
        assert set(item) >= {
            "officer_id",
            "name",
            "unit",
            "applied_grade",
            "eligible",
            "highest_eligible_grade",
            "criteria",
            "warnings",
        }
        assert isinstance(item["officer_id"], str) and isinstance(item["eligible"], bool)
        assert item["applied_grade"] in ("junior", "intermediate", "senior")
        assert item["highest_eligible_grade"] in (None, "junior", "intermediate", "senior")
        assert item["eligible"] == all(c["met"] for c in item["criteria"])
        for criterion in item["criteria"]:
            assert isinstance(criterion["actual"], bool | int | float)
            assert isinstance(criterion["required"], bool | int | float)
    one = next(a for a in applications if a["officer_id"] == "0107")
    assert one["applied_grade"] == "intermediate" and one["eligible"] is False
    typical = next(c for c in one["criteria"] if c["id"] == "typical_case")
    assert typical == {
        "id": "typical_case",
        "actual": 0,
        "required": 1,
        "met": False,
        "short_by": 1,
        "key_date": None,
        "evidence": [],
    }
    penalty = next(c for c in one["criteria"] if c["id"] == "avg_annual_penalty")
    assert penalty["required"] == 50000  # yuan, not fen
    assert [c["id"] for c in one["criteria"]] == [
        "service_years",
        "honors",
        "avg_annual_penalty",
        "avg_annual_big_cases",
        "provincial_titles",
        "typical_case",
        "not_retired",
    ]


def test_one_fen_short_shows_in_json_and_table(sample_db, run, round_2026):
    profiles = {
        row["officer_id"]: row
        for row in csv.DictReader((sample_data_dir() / "profiles.csv").open(encoding="utf-8"))
    }
    officer_id = next(
        k
        for k, p in profiles.items()
        if p["profile"] == "penalty_one_fen" and p["applied_grade"] == "junior"
    )
    document = json.loads(
        run(
            "--db", sample_db, "evaluate", *round_2026, "--format", "json", "--officer", officer_id
        ).stdout
    )
    (item,) = document["applications"]
    penalty = next(c for c in item["criteria"] if c["id"] == "avg_annual_penalty")
    assert (penalty["actual"], penalty["required"], penalty["met"], penalty["short_by"]) == (
        29999.99,
        30000,
        False,
        0.01,
    )
    table = run("--db", sample_db, "evaluate", *round_2026).stdout
    line = next(line for line in table.splitlines() if f" {officer_id} " in line)
    assert "年均罚没金额 差 0.01元" in line


def test_csv_for_excel_has_chinese_headers_and_a_bom_in_a_file(
    sample_db, tmp_path, run, round_2026
):
    text = run("--db", sample_db, "evaluate", *round_2026, "--format", "csv").stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 169
    junior = next(
        r
        for r in rows
        if r["申报级别"] == "初级" and r["是否符合"] == "否" and r["年均罚没金额达标"] == "否"
    )
    assert junior["省级以上荣誉称号"] == ""  # not a junior criterion
    assert junior["年均罚没金额要求"] == "30000"
    assert float(junior["年均罚没金额"]) + float(junior["年均罚没金额差距"]) >= 30000
    run(
        "--db",
        sample_db,
        "evaluate",
        *round_2026,
        "--format",
        "csv",
        "--output",
        tmp_path / "e.csv",
    )
    written = (tmp_path / "e.csv").read_bytes()
    assert written.startswith(b"\xef\xbb\xbf")
    assert written.decode("utf-8-sig").splitlines() == text.splitlines()


def test_table_prints_cleanly_when_piped(sample_db, run, round_2026):
    output = run("--db", sample_db, "evaluate", *round_2026).stdout
    assert "\x1b[" not in output  # no colour codes in a file
    assert max(len(line) for line in output.splitlines()) > 80  # not squeezed to 80 columns
    assert output.count("│ ") > 169 * 7  # every application has its row
    assert "共 169 份申报" in output
    output.encode("gbk")  # a Chinese Windows console can show every character


def test_table_fits_80_columns_on_a_terminal(sample_db, monkeypatch, run, round_2026):
    monkeypatch.setenv("COLUMNS", "80")
    output = run("--db", sample_db, "evaluate", *round_2026).stdout
    assert max(len(line) for line in output.splitlines()) <= 80
    assert "…" not in output  # nothing cut off: long cells wrap


def test_officer_detail_shows_every_criterion_and_the_records(sample_db, run, round_2026):
    output = run("--db", sample_db, "evaluate", *round_2026, "--officer", "0107").stdout
    assert "结论：不符合所报级别；按条件最高可评：初级" in output
    for label in (
        "执法年限",
        "市级以上荣誉",
        "省级以上荣誉称号",
        "年均罚没金额",
        "年均万元以上案件",
        "近2年典型案例",
        "未达退休年龄",
        "荣誉记录",
        "计入的主办案件",
        "典型案例记录",
    ):
        assert label in output
    assert "不计入（决定日期不在近2年内）" in output
    output.encode("gbk")


@pytest.fixture
def one_applicant(tmp_path, run):
    """``one_applicant(name, unit="东关所")``: a database holding one officer, 0001 (born
    1990-01-01, in enforcement since 2015-01-01), who applies for junior in round 2026."""

    def build(name: str, unit: str = "东关所") -> Path:
        db = tmp_path / "one.db"
        (tmp_path / "o.csv").write_text(
            f"执法证号,姓名,性别,出生日期,单位,执法起始日期\n0001,{name},男,1990-01-01,{unit},2015-01-01\n",
            encoding="utf-8",
        )
        (tmp_path / "a.csv").write_text(
            "届次,执法证号,申报级别,申报日期\n2026,0001,初级,2026-05-01\n", encoding="utf-8"
        )
        run("--db", db, "import", "officers", tmp_path / "o.csv")
        run("--db", db, "import", "applications", tmp_path / "a.csv")
        return db

    return build


def test_markup_characters_in_data_print_as_written(run, round_2026, one_applicant):
    db = one_applicant("[bold]甲[/bold]", "[东关]所")
    output = run("--db", db, "evaluate", *round_2026).stdout
    assert "[bold]甲[/bold]" in output and "[东关]所" in output


def test_unknown_officer_and_usage_errors(sample_db, run, round_2026):
    result = run("--db", sample_db, "evaluate", *round_2026, "--officer", "9999", ok=False)
    assert result.exit_code == 1
    assert "no application from officer 9999 in round '2026'; rounds on record: 2026" in (
        result.stderr
    )
    result = run(
        "--db", sample_db, "evaluate", "--round", "2026", "--as-of", "2026-02-30", ok=False
    )
    assert result.exit_code == 2
    assert "not a full, valid date" in result.stderr
    same = run("--db", sample_db, "evaluate", "--round", "2026", "--as-of", "2026/6/30")
    assert same.stdout == run("--db", sample_db, "evaluate", *round_2026).stdout


def test_term_start_sets_the_term(sample_db, run, round_2026):
    def evaluated(*extra):
        return json.loads(
            run("--db", sample_db, "evaluate", *round_2026, "--format", "json", *extra).stdout
        )

    document = evaluated()
    assert document["term"] == ["2026-07-01", "2028-06-30"]
    warned = [a["officer_id"] for a in document["applications"] if a["warnings"]]
    assert len(warned) == 1  # the sample officer retiring on 2027-03-20
    assert evaluated("--term-start", "2026-09-01")["term"] == ["2026-09-01", "2028-08-31"]
    result = run("--db", sample_db, "evaluate", *round_2026, "--term-start", "2026-06-30", ok=False)
    assert result.exit_code == 1 and "the term must start after" in result.stderr


def test_demo_builds_its_own_database(tmp_path, monkeypatch, run):
    monkeypatch.setenv("CASEGRADE_DB", str(tmp_path / "users.db"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # its temporary folder goes here
    result = run("demo")
    assert "共 169 份申报" in result.stdout
    assert not (tmp_path / "users.db").exists() and not Path("casegrade.db").exists()
    assert len(list(tmp_path.glob("casegrade-demo-*/casegrade.db"))) == 1
    result = run("--db", tmp_path / "demo.db", "demo")
    assert f"Demo database: {tmp_path / 'demo.db'}" in result.stdout
    again = run("--db", tmp_path / "demo.db", "demo", ok=False)  # never into an existing file
    assert again.exit_code == 1 and "already exists" in again.stderr


def test_policy_show_and_revised_policy(tmp_path, run):
    output = run("policy", "show").stdout
    assert "≥100,000元" in output and "来源 内置" in output
    result = run("policy", "show", "--policy", tmp_path / "none.toml", ok=False)
    assert result.exit_code == 1 and "cannot read policy file" in result.stderr
    folder = tmp_path / "p[old]"
    folder.mkdir()
    shipped = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    (folder / "policy.toml").write_text(
        shipped.replace("window_years = 2", "window_years = 3"), encoding="utf-8"
    )
    output = run("policy", "show", "--policy", folder / "policy.toml").stdout
    assert "p[old]" in output  # a path is not Rich markup
    assert "近3年典型案例" in output  # labels follow the policy


def test_rare_name_characters_survive_a_gbk_console(round_2026, one_applicant):
    """Windows writes redirected output in GBK; a 生僻字 must not crash the command."""
    db = one_applicant("刘䶮")
    environment = {**os.environ, "PYTHONIOENCODING": "gbk"}
    environment.pop("COLUMNS", None)
    for extra, encoding in (
        ([], "gb18030"),
        (["--officer", "0001"], "gb18030"),
        (
            ["--format", "json"],
            "utf-8",
        ),  # JSON and CSV are for programs: UTF-8 whatever the console
        (["--format", "csv"], "utf-8"),
    ):
        done = subprocess.run(
            [sys.executable, "-m", "casegrade", "--db", str(db), "evaluate", *round_2026, *extra],
            capture_output=True,
            env=environment,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode("gb18030")
        assert "刘䶮" in done.stdout.decode(encoding)


def test_output_file_for_the_table_and_an_unwritable_path(sample_db, tmp_path, run, round_2026):
    run("--db", sample_db, "evaluate", *round_2026, "--output", tmp_path / "评估.txt")
    page = (tmp_path / "评估.txt").read_bytes()
    assert page.startswith(b"\xef\xbb\xbf") and "共 169 份申报".encode() in page
    assert b"\x1b[" not in page
    result = run(
        "--db", sample_db, "evaluate", *round_2026, "--output", tmp_path / "no" / "x.txt", ok=False
    )
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_replace_removes_what_the_corrected_file_no_longer_has(tmp_path, run, one_applicant):
    db = one_applicant("甲")
    (tmp_path / "h.csv").write_text(
        "执法证号,授予日期,级别,类别,荣誉名称\n0001,2024-05-01,市级,称号,优秀办案能于\n",
        encoding="utf-8",
    )
    run("--db", db, "import", "honors", tmp_path / "h.csv")
    (tmp_path / "h.csv").write_text(
        "执法证号,授予日期,级别,类别,荣誉名称\n0001,2024-05-01,市级,称号,优秀办案能手\n",
        encoding="utf-8",
    )
    run("--db", db, "import", "honors", tmp_path / "h.csv")
    assert open_db(db)["honors"].count == 2  # a plain import keeps the misspelt one
    result = run("--db", db, "import", "honors", tmp_path / "h.csv", "--replace", ok=False)
    assert result.exit_code == 1  # not a terminal and no --yes: listed, and nothing removed
    assert "  - 0001 / 2024-05-01 / 优秀办案能于\n" in result.stderr
    assert "run again with --yes" in result.stderr
    assert open_db(db)["honors"].count == 2
    result = run("--db", db, "import", "honors", tmp_path / "h.csv", "--replace", "--yes")
    assert result.stdout.splitlines()[-2:] == [
        f"{tmp_path / 'h.csv'}: 1 rows; 0 added, 0 changed, 1 unchanged, 1 removed",
        "  - 0001 / 2024-05-01 / 优秀办案能于",
    ]
    assert [r["name"] for r in open_db(db)["honors"].rows] == ["优秀办案能手"]
    (tmp_path / "o.csv").write_text(
        "执法证号,姓名,性别,出生日期,单位,执法起始日期\n0002,乙,男,1990-01-01,东关所,2015-01-01\n",
        encoding="utf-8",
    )
    result = run(
        "--db", db, "import", "officers", tmp_path / "o.csv", "--replace", "--yes", ok=False
    )
    assert result.exit_code == 1
    assert (
        f"{tmp_path / 'o.csv'}, column 执法证号 = '0001 (甲)': not in the file, but still named by 1 honor(s), "
        "1 application(s); keep the row in the file, or first remove or correct those records "
        "(import them with --replace)"
    ) in result.stderr  # who still names 0001, not the database's bare FOREIGN KEY
    assert [r["officer_id"] for r in open_db(db)["officers"].rows] == ["0001"]


def test_another_programs_database_is_left_alone(tmp_path, run, round_2026):
    import sqlite3

    other = tmp_path / "other.db"
    with sqlite3.connect(other) as connection:
        connection.execute("create table notes (text)")
    result = run("--db", other, "evaluate", *round_2026, ok=False)
    assert result.exit_code == 1 and "is not a casegrade database" in result.stderr
    with sqlite3.connect(other) as connection:
        tables = [row[0] for row in connection.execute("select name from sqlite_master")]
    assert tables == ["notes"]


def test_json_keeps_chinese_on_a_western_console(round_2026, one_applicant):
    db = one_applicant("张三")
    environment = {**os.environ, "PYTHONIOENCODING": "cp1252"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "casegrade",
            "--db",
            str(db),
            "evaluate",
            *round_2026,
            "--format",
            "json",
        ],
        capture_output=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode("utf-8"))["applications"][0]["name"] == "张三"


def test_the_round_in_json_lists_every_finding_s_records_and_the_table_holds_none(
    sample_db, run, round_2026
):
    """A round's evaluations let go of the records read (memory flat in the number of cases),
    but for JSON, whose evidence names them: the round's evidence is the one officer's."""
    whole = json.loads(run("--db", sample_db, "evaluate", *round_2026, "--format", "json").stdout)
    alone = json.loads(
        run(
            "--db", sample_db, "evaluate", *round_2026, "--format", "json", "--officer", "0107"
        ).stdout
    )
    (in_round,) = [a for a in whole["applications"] if a["officer_id"] == "0107"]
    assert in_round["criteria"] == alone["applications"][0]["criteria"]
    penalty = next(c for c in in_round["criteria"] if c["id"] == "avg_annual_penalty")
    assert penalty["evidence"]  # case numbers
    db = open_db(sample_db, write=False)
    ctx = Context.on(date(2026, 6, 30), load_policy(), date(2026, 7, 1))
    light = procedure.evaluate_round(db, "2026", ctx)
    assert all(ev.evidence is None and not ev.file.cases for ev in light)
    assert all(not f.counted for ev in light for found in ev.findings.values() for f in found)
    with pytest.raises(LookupError):
        light[0].records  # noqa: B018
    kept = procedure.evaluate_round(db, "2026", ctx, keep_records=True)
    assert [ev.applied for ev in light] == [
        tuple(dataclasses.replace(f, counted=()) for f in ev.applied) for ev in kept
    ]


def test_leaving_unread_the_cases_an_officer_assisted_changes_no_evaluation(sample_db):
    """Under a policy that counts only cases led, an evaluation reads of the cases assisted
    only the typical ones: every finding and every piece of evidence is what reading them all
    gives; under one that counts them, they are read and count."""
    db = open_db(sample_db, write=False)
    policy = load_policy()
    ctx = Context.on(date(2026, 6, 30), policy, date(2026, 7, 1))
    applications = store.applications(db, "2026")
    ids = {app.officer_id for app in applications}
    everything = store.officer_files(db, ids, ctx.window, assisted=True)
    read_all = {ev.officer.officer_id: ev for ev in evaluate_all(applications, everything, ctx)}
    for ev in procedure.evaluate_round(db, "2026", ctx, keep_records=True):
        assert (ev.findings, ev.evidence) == (
            read_all[ev.officer.officer_id].findings,
            read_all[ev.officer.officer_id].evidence,
        )
    counting = Context.on(
        date(2026, 6, 30), dataclasses.replace(policy, count_assisted_cases=True), date(2026, 7, 1)
    )
    more = procedure.evaluate_round(db, "2026", counting)
    penalty = {
        ev.officer.officer_id: next(
            f.actual for f in ev.applied if f.criterion == "avg_annual_penalty"
        )
        for ev in more
    }
    assert any(
        penalty[ev.officer.officer_id]
        > next(f.actual for f in ev.applied if f.criterion == "avg_annual_penalty")
        for ev in read_all.values()
    )


def _command_paths(command, prefix=()):
    """Every command's words, groups first: ("import",), ("import", "officers") …"""
    yield prefix
    for name, sub in getattr(command, "commands", {}).items():
        yield from _command_paths(sub, (*prefix, name))


def test_every_command_answers_h_as_help(run):
    """-h is --help, on every command and group (issue 11)."""
    paths = list(_command_paths(typer.main.get_command(app)))
    assert len(paths) > 40
    for words in paths:
        result = run(*words, "-h")
        assert result.exit_code == 0, words
        usage = result.stdout.splitlines()[0]  # "Usage: root import officers …" in the runner
        assert usage.startswith("Usage: ") and f" {' '.join(words)} ".rstrip() in usage, words
    assert "--install-completion" in run("-h").stdout


def test_no_help_cites_a_section_of_the_seed_or_an_internal_name(run):
    """Help speaks as the clerk does (issue 11): no "S1.1", no officer_id or birth_date."""
    for words in _command_paths(typer.main.get_command(app)):
        text = run(*words, "--help").stdout
        assert not re.search(r"\bS\d\.\d", text), (words, text)
        assert "officer_id" not in text and "birth_date" not in text, words


def test_the_commands_are_listed_in_the_order_of_the_clerk_s_year(run):
    """casegrade --help has a section per part of the year (导入 … 维护), every command in one."""
    from casegrade.cli import PANELS

    listed = [name for names in PANELS.values() for name in names]
    assert sorted(listed) == sorted(typer.main.get_command(app).commands)
    text = run("--help").stdout
    positions = [text.index(f"{panel}:") for panel in PANELS]
    assert positions == sorted(positions)
    assert text.index("  import ") < text.index("  evaluate ") < text.index("  roster ")
