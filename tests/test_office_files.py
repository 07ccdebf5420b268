"""Files as the offices really send them: titles above the header, Excel's own number formats,
invisible characters, cut-short files, partial files; every kind of fault with its right value."""

from __future__ import annotations

import csv
import io
import json
import random
import re
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from casegrade import cli
from casegrade.core import sample
from casegrade.core.imports import import_file
from casegrade.errors import ImportFailed, PolicyError
from casegrade.intake import reader
from casegrade.intake.layouts import LAYOUTS
from casegrade.intake.reader import fold_header, parse_file
from casegrade.intake.values import (
    parse_date,
    parse_money_fen,
    parse_period,
    parse_round,
    parse_score,
)
from casegrade.policy import load_policy
from casegrade.store import open_db

ZERO_TWINS = reader.zero_twins

OFFICERS_FULL = (
    "执法证号,姓名,身份证号,单位,执法起始日期,职务,退休类别,退休日期\n"
    "0101,宋子然,330102199003071230,东关所,2015-03-01,科员,工人,2026-11-01\n"
    "0102,韩磊,440304198506152010,东关所,2012-07-01,副所长,干部,\n"
)
TRANSFER = (
    "执法证号,姓名,单位,执法起始日期\n0101,宋子然,西关所,2015-03-01\n0102,韩磊,西关所,2012-07-01\n"
)
CASE_HEADER = "案号,主办人,案件类型,案值,罚没金额,决定日期"


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def officers_of(db) -> dict[str, dict]:
    return {row["officer_id"]: row for row in db["officers"].rows}


def workbook(tmp_path: Path, name: str, rows: list[list], **number_formats: str) -> Path:
    """A one-sheet workbook; ``number_formats`` maps a cell ("A2") to its format."""
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    for cell, number_format in number_formats.items():
        sheet[cell].number_format = number_format
    path = tmp_path / name
    book.save(path)
    return path


def patch_xlsx(path: Path, part: str, old: str, new: str) -> None:
    """Replace text inside one part of a workbook, as Excel itself would have written it."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    text = parts[part].decode("utf-8")
    assert re.search(old, text), f"{old!r} not in {part}"
    parts[part] = re.sub(old, new, text).encode("utf-8")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)


# --- 1. an import never changes what the file does not mention --------------------------------


def test_a_file_with_fewer_columns_leaves_every_other_field_as_it_is(tmp_path, db, policy):
    import_file(db, "officers", write(tmp_path, "full.csv", OFFICERS_FULL), policy)
    before = officers_of(db)
    report = import_file(db, "officers", write(tmp_path, "transfer.csv", TRANSFER), policy)
    assert report.changes.counts.changed == 2
    assert {change.key: change.fields for change in report.changes.changed} == {
        ("0101",): ["unit"],
        ("0102",): ["unit"],
    }
    after = officers_of(db)
    for officer_id, row in after.items():
        assert row == {**before[officer_id], "unit": "西关所"}  # only the unit moved
    assert after["0101"]["retirement_date"] == "2026-11-01"
    assert after["0101"]["retirement_category"] == "worker"
    assert after["0101"]["id_number"] == "330102199003071230"
    assert after["0102"]["position"] == "副所长"


def test_an_empty_cell_clears_and_the_summary_says_so_per_field(tmp_path, run):
    db = tmp_path / "c.db"
    run("--db", db, "import", "officers", write(tmp_path, "full.csv", OFFICERS_FULL))
    cleared = OFFICERS_FULL.replace("330102199003071230", "").replace("440304198506152010", "")
    result = run("--db", db, "import", "officers", write(tmp_path, "c.csv", cleared))
    assert result.stdout.splitlines()[1:] == ["  cleared: 身份证号 for 2"]
    rows = officers_of(open_db(db))
    assert rows["0101"]["id_number"] is None
    assert (rows["0101"]["sex"], rows["0101"]["birth_date"]) == ("male", "1990-03-07")  # kept


def test_cases_without_the_typical_columns_keep_their_typical_case(tmp_path, db, policy):
    import_file(db, "officers", write(tmp_path, "o.csv", OFFICERS_FULL), policy)
    full = (
        f"{CASE_HEADER},典型案例级别,入选日期\n"
        "东监罚〔2025〕1号,0101,无照经营,12000,40000,2025-03-01,市级,2025-06-01\n"
    )
    import_file(db, "cases", write(tmp_path, "c1.csv", full), policy)
    plain = f"{CASE_HEADER}\n东监罚〔2025〕1号,0101,无照经营,12000,45000,2025-03-01\n"
    report = import_file(db, "cases", write(tmp_path, "c2.csv", plain), policy)
    assert [change.fields for change in report.changes.changed] == [["penalty_fen"]]
    (row,) = db["cases"].rows
    assert (row["typical_level"], row["typical_date"], row["penalty_fen"]) == (
        "municipal",
        "2025-06-01",
        4_500_000,
    )


def test_dry_run_reports_field_by_field_and_writes_nothing(tmp_path, run, dump):
    db = tmp_path / "d.db"
    run("--db", db, "import", "officers", write(tmp_path, "full.csv", OFFICERS_FULL))
    before = dump(db)
    changed = (
        "执法证号,姓名,单位,执法起始日期,出生日期,性别\n"
        "0101,宋子然,西关所,2015-03-01,1990-03-07,男\n"
        "0102,韩磊,东关所,2012-07-01,1985-06-15,男\n"
        "0103,新人,南山所,2020-01-01,1995-01-01,女\n"
    )
    result = run("--db", db, "import", "officers", write(tmp_path, "t.csv", changed), "--dry-run")
    assert result.stdout.splitlines() == [
        "Dry run: nothing was written. The import would do this:",
        f"{tmp_path / 't.csv'}: 3 rows; 1 added, 1 changed, 1 unchanged",
        "  changed: 单位 for 1",
        "  + 0103",
        "  ~ 0101",
        "      单位: 东关所 → 西关所",
    ]
    assert dump(db) == before
    # the first import's entry only: its two rows added
    assert [(r["action"], json.loads(r["new"])["added"]) for r in open_db(db)["audit"].rows] == [
        ("import", 2)
    ]


def test_dry_run_and_failed_imports_create_no_database(tmp_path, run):
    new = tmp_path / "typo" / "casegrad.db"
    new.parent.mkdir()
    result = run(
        "--db", new, "import", "officers", write(tmp_path, "o.csv", OFFICERS_FULL), "--dry-run"
    )
    assert "2 added" in result.stdout and not new.exists()
    bad = write(tmp_path, "bad.csv", OFFICERS_FULL.replace("2015-03-01", "2015-02-30"))
    result = run("--db", new, "import", "officers", bad, ok=False)
    assert result.exit_code == 1 and not new.exists()
    assert list(new.parent.iterdir()) == []  # no -wal, -shm or journal either
    result = run("--db", new, "roster", ok=False)
    assert result.exit_code == 1 and "no database at" in result.stderr
    run("--db", new, "import", "officers", write(tmp_path, "o.csv", OFFICERS_FULL))
    assert set(officers_of(open_db(new))) == {"0101", "0102"}


def test_replace_asks_at_a_terminal(tmp_path, monkeypatch, run):
    db = tmp_path / "r.db"
    run("--db", db, "import", "officers", write(tmp_path, "o.csv", OFFICERS_FULL))
    one = write(tmp_path, "one.csv", OFFICERS_FULL.rsplit("0102", 1)[0])
    monkeypatch.setattr(cli, "at_terminal", lambda: True)
    result = run("--db", db, "import", "officers", one, "--replace", input="n\n", ok=False)
    assert result.exit_code == 1
    assert "  - 0102 韩磊" in result.stderr and "Remove these 1 officers?" in result.stderr
    assert set(officers_of(open_db(db))) == {"0101", "0102"}
    run("--db", db, "import", "officers", one, "--replace", input="y\n")
    assert set(officers_of(open_db(db))) == {"0101"}


def test_an_empty_file_never_replaces_anything(tmp_path, run):
    db = tmp_path / "e.db"
    run("--db", db, "import", "officers", write(tmp_path, "o.csv", OFFICERS_FULL))
    empty = write(tmp_path, "empty.csv", "执法证号,姓名,单位,执法起始日期\n")
    result = run("--db", db, "import", "officers", empty, "--replace", "--yes", ok=False)
    assert result.exit_code == 1 and "an empty file never replaces anything" in result.stderr
    assert len(officers_of(open_db(db))) == 2


# --- 2. what Excel and WPS put in a file ------------------------------------------------------


def test_a_title_above_the_header_and_totals_below_are_skipped(tmp_path):
    rows = [
        ["2026年度执法人员花名册", None, None, None],
        ["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"],
        ["0101", "宋子然", "东关所", "2015-03-01", "1990-03-07", "男"],
        ["0102", "韩磊", "东关所", "2015-02-30", "1985-06-15", "男"],
        ["合计：2人", None, None, None],
        [None, "制表人：李四", None, "审核：王五"],
    ]
    path = workbook(tmp_path, "roster.xlsx", rows)
    parsed = parse_file(path, LAYOUTS["officers"], set(), collect=True)
    assert [r.officer_id for r in parsed.records] == ["0101"]
    # the bad date is reported on the row Excel shows, not counted from the header
    assert [(e.row, e.column) for e in parsed.errors] == [(4, "执法起始日期")]
    assert parsed.warnings == [
        f"{path}: row 1 above the header was skipped: '2026年度执法人员花名册'",
        f"{path}: 2 footer row(s) skipped: row 5 '合计：2人'; row 6 '制表人：李四'",
    ]
    csv_path = write(
        tmp_path, "roster.csv", "\n".join(",".join(c or "" for c in r) for r in rows) + "\n"
    )
    parsed = parse_file(csv_path, LAYOUTS["officers"], set(), collect=True)
    assert [(e.row, e.column) for e in parsed.errors] == [(4, "执法起始日期")]


def test_the_sheet_is_named_or_the_error_lists_the_sheets(tmp_path):
    book = Workbook()
    book.active.title = "说明"
    book.active.append(["本表由各所填报"])
    data = book.create_sheet("名单")
    data.append(["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"])
    data.append(["0101", "宋子然", "东关所", "2015-03-01", "1990-03-07", "男"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    with pytest.raises(ImportFailed) as caught:
        parse_file(path, LAYOUTS["officers"], set())
    (error,) = caught.value.errors
    assert error.why.endswith(
        "the workbook's sheets are: 说明, 名单: name the one with the data with --sheet NAME"
    )
    assert [
        r.officer_id for r in parse_file(path, LAYOUTS["officers"], set(), sheet="名单").records
    ] == ["0101"]
    with pytest.raises(ImportFailed) as caught:
        parse_file(path, LAYOUTS["officers"], set(), sheet="花名册")
    assert (
        caught.value.errors[0].why
        == "no sheet named '花名册'; the workbook's sheets are: 说明, 名单"
    )


def date_cells(tmp_path: Path, format_id: int | None, number_format: str) -> Path:
    """Officers whose 执法起始日期 cell holds 29221 (1980-01-01) in a built-in format that
    openpyxl does not know (``format_id``), or in a custom ``number_format``."""
    rows = [
        ["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"],
        ["0101", "宋子然", "东关所", 29221, datetime(1960, 3, 7, 8, 30), "男"],
    ]
    path = workbook(tmp_path, "d.xlsx", rows, D2=number_format)
    if format_id is not None:  # as Excel stores it: the built-in id, no format code
        patch_xlsx(
            path, "xl/styles.xml", r'<numFmt numFmtId="(\d+)" formatCode="\[\$-804\][^"]*" */>', ""
        )
        patch_xlsx(path, "xl/styles.xml", r'(<xf numFmtId=")165(")', rf"\g<1>{format_id}\g<2>")
    return path


@pytest.mark.parametrize("format_id", [14, 30, 31])
def test_dates_in_chinese_built_in_formats_are_dates(tmp_path, format_id):
    path = date_cells(tmp_path, format_id, "[$-804]yyyy年m月d日")
    (officer,) = parse_file(path, LAYOUTS["officers"], set()).records
    assert officer.enforcement_start == date(1980, 1, 1)  # 29221 days after 1899-12-30
    assert officer.birth_date == date(1960, 3, 7)  # a date-time cell is its date


@pytest.mark.parametrize(
    ("format_id", "number_format", "shown", "why"),
    [
        (27, "[$-804]yyyy年m月", "1980年1月", "a month, not a date: the day is missing"),
        (57, "[$-804]yyyy年m月", "1980年1月", "a month, not a date: the day is missing"),
        (58, "[$-804]m月d日", "1月1日", "the year is missing"),
        (None, 'yyyy"年"m"月"', "1980年1月", "a month, not a date: the day is missing"),
        (None, 'm"月"d"日"', "1月1日", "the year is missing"),
    ],
)
def test_a_date_cell_that_hides_its_day_or_year_is_refused(
    tmp_path, format_id, number_format, shown, why
):
    """Typing 2015年3月 in Excel stores the 1st; typing 3月1日 stores this year: never taken."""
    path = date_cells(tmp_path, format_id, number_format)
    with pytest.raises(ImportFailed) as caught:
        parse_file(path, LAYOUTS["officers"], set())
    assert [(e.column, e.value, e.why.split(";")[0]) for e in caught.value.errors] == [
        ("执法起始日期", shown, why)
    ]


def test_a_date_number_in_a_general_cell_is_refused_with_the_date_it_would_be(tmp_path):
    rows = [
        ["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"],
        ["0101", "宋子然", "东关所", 45000, "1990-03-07", "男"],
    ]
    with pytest.raises(ImportFailed) as caught:
        parse_file(workbook(tmp_path, "g.xlsx", rows), LAYOUTS["officers"], set())
    assert [(e.column, e.why) for e in caught.value.errors] == [
        (
            "执法起始日期",
            "45000 is how Excel (1900 date system) stores the date 2023-03-15: the column is not "
            "formatted as dates; format it as a date (YYYY-MM-DD) and check the values",
        )
    ]


def test_workbook_amounts_are_read_as_excel_shows_them(tmp_path):
    rows = [
        [*CASE_HEADER.split(","), "协办人"],
        ["A1", "0101", "无照经营", 1.5, 2.5, "2025-01-02", None],
    ]
    path = workbook(tmp_path, "c.xlsx", rows)
    patch_xlsx(path, "xl/worksheets/sheet1.xml", "<v>1.5</v>", "<v>3703.6800000000003</v>")
    patch_xlsx(path, "xl/worksheets/sheet1.xml", "<v>2.5</v>", "<v>0.30000000000000004</v>")
    (case,) = parse_file(path, LAYOUTS["cases"], {"0101"}, {"无照经营"}).records
    assert (case.case_value_fen, case.penalty_fen) == (370_368, 30)


def test_an_id_number_that_was_a_number_in_the_workbook_is_refused(tmp_path):
    rows = [
        ["执法证号", "姓名", "身份证号", "单位", "执法起始日期"],
        ["0101", "宋子然", 370682197501011000, "东关所", "2015-03-01"],
    ]
    with pytest.raises(ImportFailed) as caught:
        parse_file(workbook(tmp_path, "n.xlsx", rows), LAYOUTS["officers"], set())
    assert [(e.row, e.column, e.why) for e in caught.value.errors] == [
        (
            2,
            "身份证号",
            "was a number in Excel, which keeps only 15 digits: the last digits are lost; format "
            "the column as Text and type the ID numbers again from the cards",
        )
    ]
    text = "执法证号,姓名,身份证号,单位,执法起始日期\n0101,宋子然,3.70682E+17,东关所,2015-03-01\n"
    with pytest.raises(ImportFailed) as caught:
        parse_file(write(tmp_path, "n.csv", text), LAYOUTS["officers"], set())
    assert "keeps only 15 digits" in caught.value.errors[0].why


def test_an_id_number_ending_in_000_is_warned_about(tmp_path):
    text = "执法证号,姓名,身份证号,单位,执法起始日期\n0101,宋子然,370682197501011000,东关所,2015-03-01\n"
    path = write(tmp_path, "z.csv", text)
    parsed = parse_file(path, LAYOUTS["officers"], set())
    assert parsed.warnings == [
        f"{path}: ID numbers ending in 000 (rows 2): Excel may have rounded them; check them "
        "against the ID cards"
    ]


@pytest.mark.parametrize(
    ("sex", "born", "column", "why"),
    [
        ("女", "1975-01-01", "性别", "the ID number (身份证号) says 男; correct one of them"),
        (
            "男",
            "1975-01-02",
            "出生日期",
            "the ID number (身份证号) says 1975-01-01; correct one of them",
        ),
    ],
)
def test_sex_and_birth_date_must_agree_with_the_id_number(tmp_path, sex, born, column, why):
    text = (
        "执法证号,姓名,身份证号,性别,出生日期,单位,执法起始日期\n"
        f"0101,宋子然,370682197501011131,{sex},{born},东关所,2015-03-01\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_file(write(tmp_path, "s.csv", text), LAYOUTS["officers"], set())
    assert [(e.column, e.why) for e in caught.value.errors] == [(column, why)]


def test_a_warning_about_a_column_prints_once(tmp_path):
    rows = [["届次", "执法证号", "申报级别", "申报日期"]] + [
        [2026, 100 + i, "初级", "2026-05-01"] for i in range(50)
    ]
    known = {str(100 + i) for i in range(50)}
    parsed = parse_file(workbook(tmp_path, "a.xlsx", rows), LAYOUTS["applications"], known)
    assert len(parsed.records) == 50
    assert len(parsed.warnings) == 1 and "(50 row(s))" in parsed.warnings[0]


# --- 3. characters nobody can see -------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        "执法证号,姓　名,单位,执法起始日期",
        '执法证号,姓名,单位,"执法起始\n日期"',
        "执法证号,姓名\u200b,单位\u00a0,执法起始日期",
    ],
    ids=["ideographic space", "line break", "zero-width and no-break space"],
)
def test_headers_with_invisible_characters_are_found(tmp_path, header):
    text = f"{header},出生日期,性别\n0101,宋子然,东关所,2015-03-01,1990-03-07,男\n"
    (officer,) = parse_file(write(tmp_path, "h.csv", text), LAYOUTS["officers"], set()).records
    assert (officer.name, officer.enforcement_start) == ("宋子然", date(2015, 3, 1))


def test_invisible_characters_and_stray_spaces_are_cleaned_and_counted(tmp_path, db, policy):
    text = (
        "执法证号,姓名,身份证号,单位,执法起始日期\n"
        "0101\u200b,宋　子然,3301 0219 9003 0712 30,东关所\u200b,2015-03-01\n"
        "０１０２,韩  磊,440304198506152010,\ufeff东关所 ,２０１２-07-01\n"
        "0103,John  Smith,11010519491231002X,东关所,2012-07-01\n"
    )
    path = write(tmp_path, "v.csv", text)
    report = import_file(db, "officers", path, policy)
    rows = officers_of(db)
    assert sorted(rows) == ["0101", "0102", "0103"]
    assert {row["unit"] for row in rows.values()} == {"东关所"}  # one unit, not two
    assert (rows["0101"]["name"], rows["0102"]["name"], rows["0103"]["name"]) == (
        "宋子然",
        "韩磊",
        "John Smith",
    )
    assert rows["0101"]["id_number"] == "330102199003071230"
    assert rows["0102"]["enforcement_start"] == "2012-07-01"
    assert (
        f"{path}: column '执法证号': invisible characters, full-width digits or stray spaces removed from 2 cell(s) (rows 2, 3)"
        in report.warnings
    )
    assert (
        f"{path}: column '单位': invisible characters, full-width digits or stray spaces removed from 2 cell(s) (rows 2, 3)"
        in report.warnings
    )


@pytest.mark.parametrize(
    ("header", "guess"), [("所在单位", "单位"), ("执法起使日期", "执法起始日期")]
)
def test_an_unknown_header_is_named_with_the_nearest_column_even_when_the_import_fails(
    tmp_path, header, guess, run
):
    text = f"执法证号,姓名,{header}\n0101,宋子然,x\n"
    path = write(tmp_path, "u.csv", text)
    result = run("--db", tmp_path / "u.db", "import", "officers", path, ok=False)
    assert result.exit_code == 1
    assert (
        f"Warning: {path}: column '{header}' is not used and was ignored; did you mean {guess}?"
        in result.stderr
    )
    assert f"missing column {guess}" in result.stderr


@pytest.mark.parametrize(
    ("text", "round_"),
    [
        ("2026", "2026"),
        ("2026年", "2026"),
        ("2026届", "2026"),
        ("２０２６", "2026"),
        (" 2026 ", "2026"),
    ],
)
def test_a_round_is_four_digits_with_an_optional_nian_or_jie(text, round_):
    assert parse_round(text) == round_


@pytest.mark.parametrize(
    "text", ["2026年度届", "26", "第2026届", "2026-2027", "二〇二六", "２０２６x"]
)
def test_anything_else_is_not_a_round(text):
    with pytest.raises(ValueError, match="not a round"):
        parse_round(text)


@pytest.mark.parametrize("encoding", ["gbk", "utf-16", "utf-8-sig"])
def test_a_policy_saved_by_notepad_is_read(tmp_path, encoding):
    from importlib import resources

    text = resources.files("casegrade").joinpath("policy.toml").read_text(encoding="utf-8")
    path = write(tmp_path, "p.toml", text.replace('version = "', 'version = "记事本-'), encoding)
    assert load_policy(path).version.startswith("记事本-")


def test_a_policy_in_no_encoding_is_one_line(tmp_path):
    path = tmp_path / "p.toml"
    path.write_bytes(b"\xff\xfe\x00" * 3 + b"\x81\x30")
    with pytest.raises(PolicyError):
        load_policy(path)
    path.write_bytes(b"version = \x81\x20\n")
    with pytest.raises(PolicyError, match="save it from Notepad as UTF-8"):
        load_policy(path)


# --- 4. files cut short, and values that only look right --------------------------------------

CUT_SOURCE = (
    f"{CASE_HEADER},协办人,复杂疑难\n"
    "A1,0101,无照经营,12500.00,50000.00,2022-06-30,,否\n"
    "A2,0101,无照经营,9000,3000,2022-07-01,0102,是\n"
)


def test_a_csv_cut_anywhere_never_imports_a_cut_value(tmp_path):
    """Every prefix of a file either refuses the cut row or reads only whole rows."""
    full = parse_file(
        write(tmp_path, "full.csv", CUT_SOURCE), LAYOUTS["cases"], {"0101", "0102"}, {"无照经营"}
    ).records
    data = CUT_SOURCE.encode("utf-8")
    refused = 0
    for cut in range(data.index(b"\n") + 1, len(data)):
        path = tmp_path / "cut.csv"
        path.write_bytes(data[:cut])
        parsed = parse_file(path, LAYOUTS["cases"], {"0101", "0102"}, {"无照经营"}, collect=True)
        refused += bool(parsed.errors)
        assert parsed.records == full[: len(parsed.records)], f"cut at byte {cut}"
        if not parsed.errors:  # what would be imported: whole rows only
            assert len(parsed.records) == data[:cut].count(b"\n") - 1, f"cut at byte {cut}"
    assert refused > 100  # most cuts fall inside a row, and each of those is refused


def test_a_row_with_fewer_cells_than_the_header_is_refused(tmp_path):
    text = "执法证号,姓名,单位,执法起始日期,出生日期,性别,退休类别\n0101,宋子然,东关所,2015-03-01,1990-03-07,男\n"
    with pytest.raises(ImportFailed) as caught:
        parse_file(write(tmp_path, "s.csv", text), LAYOUTS["officers"], set())
    assert [(e.row, e.why) for e in caught.value.errors] == [
        (
            2,
            "6 cells but the header has 7 columns: the row is incomplete (the file may have been "
            "cut short, or cells deleted); complete the row",
        )
    ]


def test_a_last_row_without_its_line_break_is_refused(tmp_path):
    text = "执法证号,姓名,单位,执法起始日期,出生日期,性别\n0101,宋子然,东关所,2015-03-01,1990-03-07,男\n0102,韩磊,东关所,2012-07-01,1985-06-15,男"
    parsed = parse_file(write(tmp_path, "l.csv", text), LAYOUTS["officers"], set(), collect=True)
    assert [r.officer_id for r in parsed.records] == ["0101"]
    assert [e.row for e in parsed.errors] == [3]
    assert parsed.errors[0].why.startswith("the last row does not end with a line break")


def broken_workbooks(tmp_path: Path) -> list[Path]:
    good = workbook(tmp_path, "good.xlsx", [["执法证号", "姓名"], ["0101", "宋子然"]])
    data = good.read_bytes()
    cases = {
        "truncated.xlsx": data[: len(data) // 2],
        "garbage.xlsx": b"PK\x03\x04" + b"\x00" * 100,
    }
    paths = [tmp_path / name for name in cases]
    for path, content in zip(paths, cases.values(), strict=True):
        path.write_bytes(content)
    for name, part, old, new in [
        ("xml.xlsx", "xl/worksheets/sheet1.xml", "<sheetData>", "<sheetData><row"),
        ("styles.xlsx", "xl/styles.xml", "<cellXfs", "<cellXfs <"),
        ("workbook.xlsx", "xl/workbook.xml", "<sheets>", "<sheets"),
        ("types.xlsx", "[Content_Types].xml", "<Types", "<Typo"),
    ]:
        path = tmp_path / name
        path.write_bytes(data)
        patch_xlsx(path, part, old, new)
        paths.append(path)
    return paths


def test_an_unreadable_workbook_is_one_line(tmp_path):
    for path in broken_workbooks(tmp_path):
        with pytest.raises(ImportFailed) as caught:
            parse_file(path, LAYOUTS["officers"], set())
        messages = [e.why for e in caught.value.errors]
        assert len(messages) == 1, (path.name, messages)
        assert "cannot be read as an .xlsx workbook" in messages[0], (path.name, messages)


def test_a_damaged_workbook_never_ends_in_a_traceback(tmp_path):
    """Bytes flipped in the zip, characters broken in its XML parts: one clean error each."""
    rows = [["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"]]
    rows += [[f"{i:04d}", "张三", "东关所", "2015-03-01", "1990-03-07", "男"] for i in range(20)]
    data = workbook(tmp_path, "base.xlsx", rows).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    chance = random.Random(7)
    path = tmp_path / "damaged.xlsx"
    unreadable = 0
    for _ in range(150):
        if chance.random() < 0.4:
            damaged = bytearray(data)
            for _ in range(chance.randint(1, 5)):
                damaged[chance.randrange(len(damaged))] = chance.randrange(256)
            path.write_bytes(bytes(damaged))
        else:
            broken = chance.choice(list(parts))
            text = bytearray(parts[broken])
            at = chance.randrange(len(text))
            text[at : at + chance.randint(0, 5)] = bytes(
                chance.choice(b'<>/"=a0 &;') for _ in range(3)
            )
            with zipfile.ZipFile(path, "w") as target:
                for name, content in parts.items():
                    target.writestr(name, bytes(text) if name == broken else content)
        parsed = parse_file(path, LAYOUTS["officers"], set(), collect=True)  # never raises
        unreadable += any("cannot be read as an .xlsx workbook" in e.why for e in parsed.errors)
    assert unreadable > 30  # the damage was found, in one line, in many of the files


@pytest.mark.parametrize(
    ("text", "period"),
    [("２０２７H1", "2027H1"), ("２０２７ｈ１", "2027H1"), ("2027上半年", "2027H1")],
)
def test_full_width_keys_are_the_same_key(text, period):
    assert parse_period(text) == period


@pytest.mark.parametrize("text", ["1_000", "1e5", "١٠٠", "１e5", "0x10", "+100", "100 000"])
def test_money_that_only_looks_like_a_number_is_refused(text):
    with pytest.raises(ValueError):
        parse_money_fen(text)


@pytest.mark.parametrize("text", ["1e2", "1E+2", "١٠٠", "6_0", "60.001"])
def test_scores_that_only_look_like_numbers_are_refused(text):
    with pytest.raises(ValueError):
        parse_score(text)


def test_full_width_dates_and_amounts_are_read(tmp_path):
    assert parse_date("２０１９年３月１日") == date(2019, 3, 1)
    assert parse_date("2020/1/2 13:05") == date(2020, 1, 2)
    assert parse_money_fen("１２，５００．５０") == 1_250_050


def test_nul_bytes_control_characters_and_huge_cells_are_refused(tmp_path):
    head = "执法证号,姓名,单位,执法起始日期,出生日期,性别\n"
    with pytest.raises(ImportFailed) as caught:
        parse_file(
            write(tmp_path, "n.csv", head + "0101,宋\x00子然,东关所,2015-03-01,1990-03-07,男\n"),
            LAYOUTS["officers"],
            set(),
        )
    assert [(e.row, e.why.startswith("holds NUL bytes")) for e in caught.value.errors] == [
        (2, True)
    ]
    with pytest.raises(ImportFailed) as caught:
        parse_file(
            write(tmp_path, "e.csv", head + "0101,宋\x1b[2J子然,东关所,2015-03-01,1990-03-07,男\n"),
            LAYOUTS["officers"],
            set(),
        )
    assert [(e.column, e.why) for e in caught.value.errors] == [
        (
            "姓名",
            "holds an invisible control character (U+001B); delete it and type the value again",
        )
    ]
    huge = "宋" * 10_001
    with pytest.raises(ImportFailed) as caught:
        parse_file(
            write(tmp_path, "h.csv", head + f"0101,{huge},东关所,2015-03-01,1990-03-07,男\n"),
            LAYOUTS["officers"],
            set(),
        )
    (error,) = caught.value.errors
    assert error.why == "10,001 characters, more than 10,000; shorten the cell"
    assert len(str(error)) < 300  # the message does not repeat the cell


def test_two_officers_with_one_id_number_are_refused_naming_both(tmp_path, db, policy):
    twice = OFFICERS_FULL.replace("440304198506152010", "330102199003071230")
    with pytest.raises(ImportFailed) as caught:
        import_file(db, "officers", write(tmp_path, "t.csv", twice), policy)
    assert [e.why for e in caught.value.errors] == [
        "officer 0102 (韩磊) has the ID number of officer 0101 (宋子然), row 2; one person has one "
        "ID number: correct one of them"
    ]
    import_file(db, "officers", write(tmp_path, "o.csv", OFFICERS_FULL), policy)
    other = "执法证号,姓名,身份证号,单位,执法起始日期\n0109,宋子然,330102199003071230,西关所,2016-01-01\n"
    with pytest.raises(ImportFailed) as caught:
        import_file(db, "officers", write(tmp_path, "x.csv", other), policy)
    assert caught.value.errors[0].why.startswith(
        "officer 0109 (宋子然) has the ID number of officer 0101 (宋子然) on record"
    )


def test_a_corrected_key_without_replace_is_warned_about(tmp_path, db, policy):
    import_file(db, "officers", write(tmp_path, "o.csv", OFFICERS_FULL), policy)
    first = f"{CASE_HEADER}\n东监罚〔2025〕1号,0101,无照经营,12000,40000,2025-03-01\n"
    import_file(db, "cases", write(tmp_path, "c1.csv", first), policy)
    fixed = write(tmp_path, "c2.csv", first.replace("〔2025〕1号", "〔2025〕11号"))
    report = import_file(db, "cases", fixed, policy)
    assert report.warnings == [
        f"{fixed}: row 2: '东监罚〔2025〕11号' is new but equals 东监罚〔2025〕1号 on record in all "
        "else: if it corrects '东监罚〔2025〕1号', import the full file with --replace, or the old "
        "row stays and counts too"
    ]


def test_the_leading_zero_check_indexes_the_officers_once(tmp_path, db, policy, monkeypatch):
    """Re-importing 20,000 officers took 87 s when every row sorted every ID; now the IDs are
    indexed once per file (benchmarks/bench_import.py times it)."""
    lines = ["执法证号,姓名,单位,执法起始日期,出生日期,性别"]
    lines += [f"{i:05d},员{i},东关所,2015-03-01,1990-03-07,男" for i in range(1, 301)]
    path = write(tmp_path, "many.csv", "\n".join(lines) + "\n")
    import_file(db, "officers", path, policy)
    calls = []

    def counted(known: set[str]) -> dict[str, list[str]]:
        calls.append(len(known))
        return ZERO_TWINS(known)

    monkeypatch.setattr(reader, "zero_twins", counted)
    assert import_file(db, "officers", path, policy).changes.counts.unchanged == 300
    assert calls == [300]


# --- 5. helping the offices send good files ---------------------------------------------------


def test_template_command_writes_a_workbook_the_import_reads_back(tmp_path, run):
    out = tmp_path / "申报模板.xlsx"
    result = run("template", "applications", "--output", out)
    assert result.stdout == f"{out}: template for casegrade import applications\n"
    book = load_workbook(out)
    assert [cell.value for cell in book.worksheets[0][1]] == [
        "届次",
        "执法证号",
        "申报级别",
        "申报日期",
    ]
    assert book.sheetnames[:2] == ["申报", "填表说明"]


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_errors_file_holds_the_refused_rows_with_their_problems(tmp_path, suffix, run):
    text = (
        "2026年度花名册,,,,,\n"
        "执法证号,姓名,单位,执法起始日期,出生日期,性别\n"
        "0101,宋子然,东关所,2015-03-01,1990-03-07,男\n"
        "0102,韩磊,东关所,2015-02-30,1985-06-15,未知\n"
        "0103,李四,东关所,2016-01-01,1991-01-01,女\n"
        "0107,,东关所,2016-01-01,1991-01-01,女\n"
    )
    out = tmp_path / f"退回{suffix}"
    result = run(
        "--db",
        tmp_path / "x.db",
        "import",
        "officers",
        write(tmp_path, "o.csv", text),
        "--errors",
        out,
        ok=False,
    )
    assert (
        result.exit_code == 1
        and f"2 refused row(s) with their problems written to {out}" in result.stderr
    )
    if suffix == ".csv":
        table = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    else:
        table = [
            [c.value or "" for c in row] for row in load_workbook(out).worksheets[0].iter_rows()
        ]
    assert table == [
        ["行号", "执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别", "问题"],
        [
            "4",
            "0102",
            "韩磊",
            "东关所",
            "2015-02-30",
            "1985-06-15",
            "未知",
            "执法起始日期: not a full, valid date; write it as YYYY-MM-DD, e.g. 2019-03-01；"
            "性别: not one of: 男 male / 女 female; write one of these",
        ],
        ["6", "0107", "", "东关所", "2016-01-01", "1991-01-01", "女", "姓名: empty; fill it in"],
    ]
    assert not (tmp_path / "x.db").exists()


# --- after the first trial by a new user ------------------------------------------------------


def test_every_problem_of_a_row_is_named_at_once(tmp_path):
    text = (
        f"{CASE_HEADER},协办人,典型案例级别,入选日期,复杂疑难\n"
        "A1,9999,外星广告,3万元,100,2025-01-02,9999,省级,,maybe\n"
        "A2,0101,无照经营,1000,100,2025-01-02,0101,省级,,否\n"
    )
    with pytest.raises(ImportFailed) as caught:
        parse_file(write(tmp_path, "c.csv", text), LAYOUTS["cases"], {"0101"}, {"无照经营"})
    assert [(e.row, e.column, e.value, e.why.split(";")[0]) for e in caught.value.errors] == [
        (2, "复杂疑难", "maybe", "not a yes/no value: write 是 or 否 (yes or no)"),
        (2, "主办人", "9999", "no officer with this 执法证号"),
        (2, "协办人", "9999", "no officer with this 执法证号"),
        (2, "案件类型", "外星广告", "unknown case type"),
        (3, "入选日期", "", "empty while 典型案例级别 is filled"),
        (3, "协办人", "0101", "is the lead officer (主办人) too"),
    ]


def test_sex_and_birth_date_missing_are_both_named_by_their_headers(tmp_path):
    text = "执法证号,姓名,单位,执法起始日期,性别,出生日期\n0101,宋子然,东关所,2015-03-01,,\n"
    with pytest.raises(ImportFailed) as caught:
        parse_file(write(tmp_path, "o.csv", text), LAYOUTS["officers"], set())
    assert [(e.column, e.why) for e in caught.value.errors] == [
        ("性别", "empty; fill it in, or give the ID number (身份证号)"),
        ("出生日期", "empty; fill it in, or give the ID number (身份证号)"),
    ]
    without = "执法证号,姓名,单位,执法起始日期\n0101,宋子然,东关所,2015-03-01\n"
    with pytest.raises(ImportFailed) as caught:
        parse_file(write(tmp_path, "n.csv", without), LAYOUTS["officers"], set())
    assert [e.column for e in caught.value.errors] == ["性别", "出生日期"]  # not sex, birth_date


def test_an_officer_stored_without_its_leading_zero_can_be_corrected(tmp_path, db, policy):
    damaged = OFFICERS_FULL.replace("0102,", "102,")
    import_file(db, "officers", write(tmp_path, "damaged.csv", damaged), policy)
    report = import_file(db, "officers", write(tmp_path, "right.csv", OFFICERS_FULL), policy)
    assert [c.key for c in report.changes.added] == [("0102",)]
    assert any("officer 102 on record looks like 0102" in w for w in report.warnings)
    import_file(db, "officers", write(tmp_path, "right.csv", OFFICERS_FULL), policy, replace=True)
    assert sorted(officers_of(db)) == ["0101", "0102"]
    with pytest.raises(ImportFailed) as caught:  # the other way round is Excel's damage
        import_file(db, "officers", write(tmp_path, "d2.csv", damaged), policy)
    assert "looks like 0102 with its leading zeros lost" in caught.value.errors[0].why


def test_a_header_pasted_again_inside_the_file_is_named(tmp_path):
    part = "执法证号,姓名,单位,执法起始日期,出生日期,性别\n0101,宋子然,东关所,2015-03-01,1990-03-07,男\n"
    with pytest.raises(ImportFailed) as caught:
        parse_file(
            write(tmp_path, "two.csv", part + part.replace("0101", "0102")),
            LAYOUTS["officers"],
            set(),
        )
    assert [(e.row, e.why) for e in caught.value.errors] == [
        (3, "repeats the header row (two files pasted together?); delete it")
    ]


def test_a_file_of_another_kind_is_named(tmp_path, run):
    text = f"{CASE_HEADER}\nA1,0101,无照经营,1000,100,2025-01-02\n"
    result = run(
        "--db", tmp_path / "k.db", "import", "officers", write(tmp_path, "c.csv", text), ok=False
    )
    assert "the header is that of a cases file: casegrade import cases FILE" in result.stderr


def test_very_large_amounts_are_warned_about(tmp_path):
    text = (
        "案号,主办人,案件类型,案值(万元),罚没金额,决定日期\nA1,0101,无照经营,12500,100,2025-01-02\n"
    )
    path = write(tmp_path, "c.csv", text)
    parsed = parse_file(path, LAYOUTS["cases"], {"0101"}, {"无照经营"})
    assert parsed.records[0].case_value_fen == 12_500 * 10_000 * 100  # 1.25亿元, as written
    assert parsed.warnings == [
        f"{path}: column '案值(万元)': amounts of 100,000,000 元 or more (rows 2); check that the "
        "unit (元 or 万元) is the one the column says"
    ]


def test_a_controlled_word_that_changes_says_what_it_became(tmp_path, run):
    db = tmp_path / "w.db"
    run("--db", db, "import", "officers", write(tmp_path, "full.csv", OFFICERS_FULL))
    blank = OFFICERS_FULL.replace(",工人,", ",,")  # an empty 退休类别 is the default, 干部
    result = run("--db", db, "import", "officers", write(tmp_path, "b.csv", blank))
    assert result.stdout.splitlines()[1] == "  changed: 退休类别 to 干部 for 1"


def test_template_never_overwrites_a_workbook_without_force(tmp_path, run):
    out = tmp_path / "filled.xlsx"
    out.write_bytes(b"an office's filled-in workbook")
    result = run("template", "officers", "--output", out, ok=False)
    assert result.exit_code == 1 and "--force" in result.stderr
    assert out.read_bytes() == b"an office's filled-in workbook"
    run("template", "officers", "--output", out, "--force")
    assert load_workbook(out).sheetnames[0] == "执法人员"


# --- after the review ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(LAYOUTS))
def test_no_kind_of_file_changes_the_fields_it_leaves_out(tmp_path, sample_bureau_file, kind):
    """Each sample file again without its optional columns: nothing stored changes."""
    layout = LAYOUTS[kind]
    with (sample.sample_data_dir() / f"{kind}.csv").open(
        encoding="utf-8-sig", newline=""
    ) as handle:
        table = list(csv.reader(handle))
    required = {fold_header(c.zh)[0] for c in layout.columns if c.required}
    keep = [i for i, text in enumerate(table[0]) if fold_header(text)[0] in required]
    assert len(keep) < len(table[0]) or all(c.required for c in layout.columns)
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[row[i] for i in keep] for row in table])
    report = import_file(
        open_db(sample_bureau_file, write=False), kind, path, load_policy(), dry_run=True
    )
    assert (list(report.changes.added), list(report.changes.changed)) == ([], [])
    assert report.changes.unchanged == len(table) - 1


def test_a_kept_value_gives_way_to_what_the_file_now_says(tmp_path, db, policy):
    import_file(db, "officers", write(tmp_path, "o.csv", OFFICERS_FULL), policy)
    typical = (
        f"{CASE_HEADER},典型案例级别,入选日期\n"
        "A1,0101,无照经营,12000,40000,2025-03-01,市级,2025-06-01\n"
    )
    import_file(db, "cases", write(tmp_path, "c1.csv", typical), policy)
    cleared = f"{CASE_HEADER},典型案例级别\nA1,0101,无照经营,12000,40000,2025-03-01,\n"
    report = import_file(db, "cases", write(tmp_path, "c2.csv", cleared), policy)
    assert [change.fields for change in report.changes.changed] == [
        ["typical_level", "typical_date"]
    ]
    (row,) = db["cases"].rows
    assert (row["typical_level"], row["typical_date"]) == (None, None)


def test_removing_an_application_keeps_its_exam_and_decision(tmp_path, sample_bureau_file):
    with (sample.sample_data_dir() / "applications.csv").open(encoding="utf-8-sig") as handle:
        lines = handle.read().splitlines()
    path = write(tmp_path, "a.csv", "\n".join(lines[:-1]) + "\n")  # the last applicant left out
    with pytest.raises(ImportFailed) as caught:
        import_file(
            open_db(sample_bureau_file, write=False),
            "applications",
            path,
            load_policy(),
            replace=True,
            dry_run=True,
        )
    round_, officer_id = lines[-1].split(",")[:2]
    assert [(e.value, e.why.split(";")[0]) for e in caught.value.errors] == [
        (officer_id, f"appointed in round {round_}"),
        (
            f"{round_} / {officer_id}",
            "not in the file, but still named by 1 exam(s), 1 decision(s), 1 appointment(s)",
        ),
    ]


def test_errors_file_keeps_a_row_the_reader_could_not_give(tmp_path, run):
    text = "执法证号,姓名,单位,执法起始日期,出生日期,性别\n0101,宋子然,东关所,2015-03-01,1990-03-07,男\n0102,韩磊,东关所,2015-0"
    out = tmp_path / "rejects.csv"
    run(
        "--db",
        tmp_path / "x.db",
        "import",
        "officers",
        write(tmp_path, "cut.csv", text),
        "--errors",
        out,
        ok=False,
    )
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "3" and rows[1][-1].startswith(
        "the last row does not end with a line break"
    )


def test_a_formula_without_its_value_does_not_end_the_reading(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"])
    sheet.append(["0101", "=A1", "东关所", "2015-03-01", "1990-03-07", "男"])
    sheet.append(["0102", "韩磊", "东关所", "2015-02-30", "1985-06-15", "男"])
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(ImportFailed) as caught:
        parse_file(tmp_path / "f.xlsx", LAYOUTS["officers"], set())
    assert [(e.row, e.column) for e in caught.value.errors] == [(2, "姓名"), (3, "执法起始日期")]


def test_a_date_formatted_number_beyond_any_date_is_refused(tmp_path):
    path = date_cells(tmp_path, 31, "[$-804]yyyy年m月d日")
    patch_xlsx(path, "xl/worksheets/sheet1.xml", "<v>29221</v>", "<v>5000000</v>")
    with pytest.raises(ImportFailed) as caught:
        parse_file(path, LAYOUTS["officers"], set())
    assert [(e.column, e.value) for e in caught.value.errors] == [("执法起始日期", "5000000")]


def test_a_chart_sheet_first_is_passed_over(tmp_path):
    from openpyxl.chart import BarChart

    book = Workbook()
    data = book.active
    data.title = "名单"
    data.append(["执法证号", "姓名", "单位", "执法起始日期", "出生日期", "性别"])
    data.append(["0101", "宋子然", "东关所", "2015-03-01", "1990-03-07", "男"])
    chart = book.create_chartsheet("图表", 0)
    chart.add_chart(BarChart())
    book.save(tmp_path / "chart.xlsx")
    (officer,) = parse_file(tmp_path / "chart.xlsx", LAYOUTS["officers"], set()).records
    assert officer.officer_id == "0101"


def test_csv_values_under_a_blank_header_are_warned_about(tmp_path):
    text = "执法证号,姓名,,单位,执法起始日期,出生日期,性别\n0101,宋子然,重要备注,东关所,2015-03-01,1990-03-07,男\n"
    path = write(tmp_path, "b.csv", text)
    parsed = parse_file(path, LAYOUTS["officers"], set())
    assert parsed.warnings == [
        f"{path}: column 3 has values but no header (rows 2); they were ignored"
    ]


def test_a_cell_repeated_down_a_column_is_noted_on_every_row(tmp_path, db, policy):
    """A column's distinct cells are read once (intake.reader MEMO): the notes still name every
    row that holds one, and a bad cell repeated is refused on every row."""
    import_file(db, "officers", write(tmp_path, "o.csv", OFFICERS_FULL), policy)
    rows = (
        "".join(f"A{n},0101,无照经营,\u200b800,2025-01-02,200000000\n" for n in range(1, 5))
        + "A5,0101,无照经营,800,2025-01-02,100\n"
    )
    path = write(tmp_path, "c.csv", "案号,主办人,案件类型,案值,决定日期,罚没金额\n" + rows)
    report = import_file(db, "cases", path, policy)
    assert any("removed from 4 cell(s) (rows 2, 3, 4, 5)" in w for w in report.warnings)
    assert any("100,000,000 元 or more (rows 2, 3, 4, 5)" in w for w in report.warnings)
    bad = rows.replace("2025-01-02", "2025-02-30")
    with pytest.raises(ImportFailed) as caught:
        import_file(
            db,
            "cases",
            write(tmp_path, "bad.csv", "案号,主办人,案件类型,案值,决定日期,罚没金额\n" + bad),
            policy,
        )
    assert [e.row for e in caught.value.errors] == [2, 3, 4, 5, 6]


def test_an_ideographic_space_at_either_end_of_a_cell_is_noted(tmp_path, db, policy):
    """Removing a full-width space (U+3000) or a no-break space from the ends of a cell changes
    what the clerk typed and is noted like one removed from inside; ASCII spaces at the ends
    are not news."""
    text = (
        "执法证号,姓名,单位,执法起始日期,出生日期,性别\n"
        "0101,\u3000宋子然,东关所,2015-03-01,1990-03-07,男\n"
        "0102,韩磊\u00a0,东关所,2012-07-01,1985-06-15,男\n"
        "0103, 李四 ,东关所,2012-07-01,1985-06-15,男\n"
        "0104,宋\u3000子然,东关所,2012-07-01,1985-06-15,男\n"
    )
    report = import_file(db, "officers", write(tmp_path, "s.csv", text), policy)
    assert {row["name"] for row in officers_of(db).values()} == {"宋子然", "韩磊", "李四"}
    assert any("'姓名'" in w and "from 3 cell(s) (rows 2, 3, 5)" in w for w in report.warnings)
