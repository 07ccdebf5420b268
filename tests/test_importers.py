"""CSV import: encodings, header languages, value parsing, every bad row reported, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from casegrade import store
from casegrade.core.imports import import_file
from casegrade.errors import ImportFailed
from casegrade.intake import sheets
from casegrade.intake.layouts import LAYOUTS
from casegrade.intake.reader import parse_file
from casegrade.intake.values import parse_date, parse_money_fen
from casegrade.vocab import Grade, HonorKind, HonorLevel, RetirementCategory, Sex

OFFICERS_ZH = (
    "执法证号,姓名,性别,出生日期,身份证号,单位,执法起始日期,职务,退休类别\n"
    "0107,张[测]试,男,1990-03-07,330102199003071230,东关所,2015/3/1,科员,干部\n"
    "007,李四,女,2000-02-29,510101200002290047,公平交易科,2019-07-01,,\n"
)
OFFICERS_EN = (  # English headers, another order, an extra column, no ID numbers
    "unit,officer_id,enforcement_start,name,birth_date,sex,remark\n"
    "东关所,0107,2015-03-01,张[测]试,1990-03-07,male,调入\n"
    "公平交易科,007,2019-07-01,李四,2000-02-29,female,\n"
)


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def officers(path: Path):
    return parse_file(path, LAYOUTS["officers"], known_officers=set()).records


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
@pytest.mark.parametrize("text", [OFFICERS_ZH, OFFICERS_EN], ids=["chinese", "english"])
def test_officers_import_in_every_encoding_and_header_language(tmp_path, encoding, text):
    first, second = officers(write(tmp_path, "officers.csv", text, encoding))
    assert first.officer_id == "0107"  # leading zero kept
    assert second.officer_id == "007"
    assert first.name == "张[测]试"
    assert (first.sex, first.birth_date) == (Sex.MALE, date(1990, 3, 7))
    assert first.enforcement_start == date(2015, 3, 1)  # 2015/3/1 read as a date
    assert (second.sex, second.birth_date) == (Sex.FEMALE, date(2000, 2, 29))
    assert second.retirement_category is RetirementCategory.CADRE


def test_ignored_column_is_a_warning(tmp_path):
    parsed = parse_file(write(tmp_path, "o.csv", OFFICERS_EN), LAYOUTS["officers"], set())
    assert parsed.warnings == [
        f"{tmp_path / 'o.csv'}: column 'remark' is not used and was ignored",
        f"{tmp_path / 'o.csv'}: officer_ids of different lengths (007, 0107); if Excel dropped "
        "leading zeros, format the column as Text and import again",
    ]


def test_birth_date_and_sex_come_from_the_id_number(tmp_path):
    text = (
        "执法证号,姓名,身份证号,单位,执法起始日期\n0001,王五,11010519491231002X,东关所,2010-01-01\n"
    )
    (person,) = officers(write(tmp_path, "o.csv", text))
    assert (person.birth_date, person.sex) == (date(1949, 12, 31), Sex.FEMALE)
    assert person.id_number == "11010519491231002X"


@pytest.mark.parametrize(
    ("row", "column", "value", "why"),
    [
        (
            "0001,王五,男,1990-02-30,,东关所,2010-01-01",
            "出生日期",
            "1990-02-30",
            "not a full, valid date",
        ),
        (
            "0001,王五,男,1990-02,,东关所,2010-01-01",
            "出生日期",
            "1990-02",
            "a month, not a date: the day is missing",
        ),
        (
            "0001,王五,男,,330102199003071231,东关所,2010-01-01",
            "身份证号",
            "33**************31",  # masked in messages
            "the last character does not check; re-type the number from the ID card",
        ),
        (
            "0001,王五,雄,1990-03-07,,东关所,2010-01-01",
            "性别",
            "雄",
            "not one of: 男 male / 女 female",
        ),
        ("0001,王五,男,1990-03-07,,,2010-01-01", "单位", "", "empty; fill it in"),
        (
            "0001,王五,女,,330102199003071230,东关所,2010-01-01",
            "性别",
            "女",
            "the ID number (身份证号) says 男; correct one of them",
        ),
        (
            "0001,王五,男,1990-03-08,330102199003071230,东关所,2010-01-01",
            "出生日期",
            "1990-03-08",
            "the ID number (身份证号) says 1990-03-07; correct one of them",
        ),
        (
            "0001,王五,男,,,东关所,2010-01-01",
            "出生日期",
            "",
            "empty; fill it in, or give the ID number (身份证号)",
        ),
        (
            "0001,王五,男,1990-03-07,,东关所,1989-01-01",
            "执法起始日期",
            "1989-01-01",
            "is not after the birth date",
        ),
    ],
)
def test_bad_officer_row_names_row_column_value_and_fix(tmp_path, row, column, value, why):
    text = "执法证号,姓名,性别,出生日期,身份证号,单位,执法起始日期\n0002,赵六,男,1980-01-01,,东关所,2005-01-01\n"
    with pytest.raises(ImportFailed) as caught:
        officers(write(tmp_path, "o.csv", text + row + "\n"))
    (error,) = caught.value.errors
    assert (error.row, error.column, error.value) == (3, column, value)
    assert why in error.why
    assert str(error).startswith(f"{tmp_path / 'o.csv'}, row 3")


def test_every_bad_row_is_reported(tmp_path, db, policy):
    text = (
        "执法证号,姓名,性别,出生日期,单位,执法起始日期\n"
        "0001,甲,男,1990-01-01,东关所,2015-13-01\n"
        "0002,乙,男,1990-01-01,东关所,2015-01-01\n"
        "0003,丙,x,1990-01-01,东关所,2015-01-01\n"
        "0002,乙,男,1990-01-01,东关所,2015-01-01\n"
    )
    with pytest.raises(ImportFailed) as caught:
        import_file(db, "officers", write(tmp_path, "o.csv", text), policy)
    assert [(e.row, e.column) for e in caught.value.errors] == [
        (2, "执法起始日期"),
        (4, "性别"),
        (5, "执法证号"),
    ]
    assert caught.value.errors[2].why == "repeats row 3 exactly; delete this row"


def test_missing_column_and_unreadable_encoding(tmp_path):
    with pytest.raises(ImportFailed) as caught:
        officers(write(tmp_path, "o.csv", "执法证号,姓名\n0001,甲\n"))
    missing = [e.why for e in caught.value.errors]
    assert "missing column 单位 (unit); add it to the header row" in missing
    assert len(missing) == 2  # unit and enforcement_start; sex and birth_date are optional
    mixed = OFFICERS_ZH.encode() + "0300,新人,男,1995-01-01,,东关所,2020-01-01,,\n".encode("gbk")
    (tmp_path / "mixed.csv").write_bytes(mixed)
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an Excel 97 file")
    (tmp_path / "book.csv").write_bytes(b"PK\x03\x04 a workbook named .csv")
    for path, row, why in [
        (
            write(tmp_path, "u16.csv", OFFICERS_ZH, "utf-16"),
            0,
            "saved as UTF-16 (Excel's \"Unicode",
        ),
        (write(tmp_path, "bad.csv", "\x80\x81,\xff\n", "latin-1"), 1, "not UTF-8 or GBK text"),
        (
            tmp_path / "mixed.csv",
            4,
            "not UTF-8 or GBK text (perhaps rows pasted from files in both)",
        ),
        (tmp_path / "old.xls", 0, "an Excel 97-2003 workbook (.xls)"),
        (tmp_path / "book.csv", 0, "an Excel workbook (.xlsx) named as a CSV file"),
        (write(tmp_path, "empty.csv", "\n\n"), 0, "the file is empty"),
        (tmp_path / "absent.csv", 0, "cannot read the file"),
    ]:
        with pytest.raises(ImportFailed) as caught:
            officers(path)
        assert [(e.row, e.why.startswith(why)) for e in caught.value.errors] == [(row, True)]


@pytest.mark.parametrize(
    ("text", "fen"),
    [
        ("30000", 3_000_000),
        ("30,000.00", 3_000_000),
        ("9999.99", 999_999),
        ("0.01", 1),
        ("¥12.5", 1250),
        ("100元", 10_000),
    ],
)
def test_money_in_yuan_becomes_fen(text, fen):
    assert parse_money_fen(text) == fen


@pytest.mark.parametrize("text", ["1.234", "-5", "abc", "1e3x", "NaN"])
def test_bad_money_is_refused(text):
    with pytest.raises(ValueError):
        parse_money_fen(text)


def test_cases_honors_applications_parse_chinese_values(tmp_path):
    known = {"0107", "007"}
    cases = write(
        tmp_path,
        "cases.csv",
        "案号,主办人,协办人,案件类型,案值,罚没金额,决定日期,典型案例级别,入选日期,复杂疑难\n"
        'A1,0107,007,商业贿赂,"10,000.00",2500.5,2025-01-02,市级,2025-03-01,是\n'
        "A2,007,,无照经营,800,100,2025/1/3,,,\n",
    )
    first, second = parse_file(cases, LAYOUTS["cases"], known, {"商业贿赂", "无照经营"}).records
    assert (first.case_value_fen, first.penalty_fen) == (1_000_000, 250_050)
    assert (first.typical_level, first.complex) == (HonorLevel.MUNICIPAL, True)
    assert (second.assistant_officer_id, second.typical_level, second.complex) == (
        None,
        None,
        False,
    )
    honors = write(
        tmp_path,
        "honors.csv",
        "officer_id,date,level,kind,name,enforcement_related\n"
        "0107,2024-05-01,省级,称号,先进个人,否\n",
    )
    (award,) = parse_file(honors, LAYOUTS["honors"], known).records
    assert (award.level, award.kind, award.enforcement_related) == (
        HonorLevel.PROVINCIAL,
        HonorKind.TITLE,
        False,
    )
    apps = write(
        tmp_path, "apps.csv", "届次,执法证号,申报级别,申报日期\n2026届,007,中级,2026-05-01\n"
    )
    (app,) = parse_file(apps, LAYOUTS["applications"], known).records
    assert (app.round, app.officer_id, app.grade) == ("2026", "007", Grade.INTERMEDIATE)


def test_references_and_case_types_are_checked(tmp_path):
    cases = write(
        tmp_path,
        "cases.csv",
        "案号,主办人,协办人,案件类型,案值,罚没金额,决定日期,典型案例级别,入选日期\n"
        "A1,0107,0999,广告违法,100,10,2025-01-02,,\n"
        "A2,0107,0107,无照经营,100,10,2025-01-02,,\n"
        "A3,0107,,无照经营,100,10,2025-01-02,市级,2024-12-31\n"
        "A4,107,,无照经营,100,10,2025-01-02,,\n",
    )
    with pytest.raises(ImportFailed) as caught:
        parse_file(cases, LAYOUTS["cases"], {"0107"}, {"无照经营"})
    messages = [str(e).removeprefix(f"{cases}, ") for e in caught.value.errors]
    assert messages == [
        "row 2, column 协办人 = '0999': no officer with this 执法证号; import the officer first "
        "or correct the ID",
        "row 2, column 案件类型 = '广告违法': unknown case type; add it to [case_types] in the "
        "policy file or correct the type",
        "row 3, column 协办人 = '0107': is the lead officer (主办人) too; leave it empty or correct it",
        "row 4, column 入选日期 = '2024-12-31': is before the decision date (决定日期); correct one",
        "row 5, column 主办人 = '107': no officer 107; did you mean 0107? Excel drops leading "
        "zeros: format the column as Text and type the ID again",
    ]


def test_no_officers_on_record_is_one_error(tmp_path):
    honors = write(
        tmp_path,
        "h.csv",
        "执法证号,授予日期,级别,类别,荣誉名称\n" + "0107,2024-05-01,市级,称号,甲\n" * 3,
    )
    with pytest.raises(ImportFailed) as caught:
        parse_file(honors, LAYOUTS["honors"], set())
    assert [e.why for e in caught.value.errors] == [
        "no officers on record yet; import the officers file first"
    ]


def test_officer_id_that_lost_its_zeros(tmp_path):
    text = "执法证号,姓名,性别,出生日期,单位,执法起始日期\n107,甲,男,1990-01-01,东关所,2015-01-01\n"
    with pytest.raises(ImportFailed) as caught:
        officers_known(write(tmp_path, "o.csv", text), {"0107"})
    (error,) = caught.value.errors
    assert (error.row, error.column, error.value) == (2, "执法证号", "107")
    assert error.why.startswith("officer 0107 is on record: this looks like 0107 with its leading")
    mixed = text + "0108,乙,男,1990-01-01,东关所,2015-01-01\n"
    parsed = parse_file(write(tmp_path, "m.csv", mixed), LAYOUTS["officers"], set())
    assert parsed.warnings == [
        f"{tmp_path / 'm.csv'}: officer_ids of different lengths (107, 0108); if Excel dropped "
        "leading zeros, format the column as Text and import again"
    ]


def officers_known(path, known):
    return parse_file(path, LAYOUTS["officers"], known).records


@pytest.mark.parametrize(
    ("text", "row", "why"),
    [
        # an unquoted amount with a comma splits into two cells: refused, not cut to 12 yuan
        ("A1,0107,无照经营,800,2025-01-02,12,500.50\n", 2, "7 cells but 6 columns; quote values"),
        ("A1,0107,无照经营,800,2025-01-02,330102199003071230\n", 2, "implausibly large"),
        ("A1,0107,无照经营,800,0219-01-02,100\n", 2, "year 219 is not between 1900 and 2100"),
        # a cell with a line break is one row, as in Excel; the blank line is a row too
        (
            '"A1\n续",0107,无照经营,800,2025-01-02,100\n\nA2,0107,无照经营,800,2025-02-30,1\n',
            4,
            "not a full, valid date",
        ),
        ('A1,0107,无照经营,800,2025-01-02,"' + "x" * 140_000 + '"\n', 2, "more than 10,000"),
        ('A1,0107,无照经营,800,2025-01-02,"' + "x" * 14 + "\n", 2, "malformed CSV"),
    ],
)
def test_malformed_case_rows(tmp_path, text, row, why):
    path = write(tmp_path, "c.csv", "案号,主办人,案件类型,案值,决定日期,罚没金额\n" + text)
    with pytest.raises(ImportFailed) as caught:
        parse_file(path, LAYOUTS["cases"], {"0107"}, {"无照经营"})
    assert [(e.row, why in e.why) for e in caught.value.errors] == [(row, True)]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (
            "A1,0107,无照经营,800,2025-01-02,100\nA1,0107,无照经营,900,2025-01-02,100\n",
            [
                (
                    3,
                    "A1",
                    "has the 案号 of row 2 with other values; keep the right row and delete the other",
                )
            ],
        ),
        (
            "A1,0107,无照经营,800,2025-01-02,100\nA1,0107,无照经营,800,2025-01-02,100\n",
            [(3, "A1", "repeats row 2 exactly; delete this row")],
        ),
        (  # three writers of one case, far apart: each later one names the first
            "A1,0107,无照经营,800,2025-01-02,100\n"
            + "".join(f"B{n},0107,无照经营,800,2025-01-02,100\n" for n in range(2500))
            + "A1,0107,无照经营,800,2025-01-02,100\nA1,0107,无照经营,1,2025-01-02,100\n",
            [
                (2503, "A1", "repeats row 2 exactly; delete this row"),
                (
                    2504,
                    "A1",
                    "has the 案号 of row 2 with other values; keep the right row and delete the other",
                ),
            ],
        ),
    ],
    ids=["other values", "again", "three rows, batches apart"],
)
def test_a_repeated_key_is_refused_with_the_row_it_repeats(tmp_path, db, policy, rows, expected):
    import_file(db, "officers", write(tmp_path, "o.csv", OFFICERS_ZH), policy)
    path = write(tmp_path, "c.csv", "案号,主办人,案件类型,案值,决定日期,罚没金额\n" + rows)
    with pytest.raises(ImportFailed) as caught:
        import_file(db, "cases", path, policy)
    assert [(e.row, e.value, e.why) for e in caught.value.errors] == expected
    assert db.execute("select count(*) from cases").fetchone() == (0,)


def test_semicolon_separated_file_is_named(tmp_path):
    path = write(tmp_path, "o.csv", "执法证号;姓名;单位;执法起始日期\n0107;甲;东关所;2015-01-01\n")
    with pytest.raises(ImportFailed) as caught:
        officers(path)
    assert [e.why for e in caught.value.errors] == [
        "columns are separated by ';' or tabs; save the file as CSV (comma delimited)"
    ]


@pytest.mark.parametrize("encoding", ["gbk", "utf-8-sig"])
def test_cases_file_in_gbk_and_bom(tmp_path, encoding):
    text = "案号,主办人,案件类型,案值(元),罚没金额(元),决定日期\n东监罚〔2025〕0001号,0107,无照经营,800,100,2025-01-02\n"
    (case,) = parse_file(
        write(tmp_path, "c.csv", text, encoding), LAYOUTS["cases"], {"0107"}, {"无照经营"}
    ).records
    assert (case.case_number, case.case_value_fen) == ("东监罚〔2025〕0001号", 80_000)


def test_excel_workbook_imports_like_csv(tmp_path):
    from datetime import datetime

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["执法证号", "姓名", "性别", "出生日期", "单位", "执法起始日期", "备注"])
    sheet.append(["0107", "张三", "男", datetime(1990, 3, 7), "东关所", datetime(2015, 3, 1), None])
    sheet.append([108, "李四", "女", "1991/2/3", "东关所", datetime(2016, 5, 4, 9, 30), 1.5])
    book.save(tmp_path / "officers.xlsx")
    first, second = officers(tmp_path / "officers.xlsx")
    assert (first.officer_id, first.birth_date, first.enforcement_start) == (
        "0107",
        date(1990, 3, 7),
        date(2015, 3, 1),
    )
    # a date-time cell is its date
    assert (second.officer_id, second.birth_date) == ("108", date(1991, 2, 3))
    assert second.enforcement_start == date(2016, 5, 4)


def test_import_is_all_or_nothing_and_idempotent(tmp_path, db, policy):
    good = write(tmp_path, "officers.csv", OFFICERS_ZH)
    counts = import_file(db, "officers", good, policy).changes.counts
    assert (counts.added, counts.changed, counts.unchanged) == (2, 0, 0)
    counts = import_file(db, "officers", good, policy).changes.counts
    assert (counts.added, counts.changed, counts.unchanged) == (0, 0, 2)

    changed = (
        OFFICERS_ZH.replace("东关所", "西关所") + "0300,新人,男,1995-01-01,,东关所,2020-01-01,,\n"
    )
    counts = import_file(db, "officers", write(tmp_path, "o2.csv", changed), policy).changes.counts
    assert (counts.added, counts.changed, counts.unchanged) == (1, 1, 1)

    before = list(db["officers"].rows)
    bad = changed.replace("西关所", "北海所") + "0301,坏行,男,1995-02-30,,东关所,2020-01-01,,\n"
    with pytest.raises(ImportFailed):
        import_file(db, "officers", write(tmp_path, "o3.csv", bad), policy)
    assert list(db["officers"].rows) == before  # the good rows of a bad file were not written


def test_save_rolls_back_when_the_database_refuses(db, officer):
    """A constraint failure half-way through a save leaves the table as it was."""
    store.save(db, "officers", [officer(officer_id="0001")])
    bad = [officer(officer_id="0002"), officer(officer_id="0003", name=None)]  # NOT NULL name
    with pytest.raises(store.StoreError, match="NOT NULL"):
        store.save(db, "officers", bad)
    assert [row["officer_id"] for row in db["officers"].rows] == ["0001"]


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1,5", "commas only between thousands"),
        ("1,,0", "commas only between thousands"),
        ("1e999999", "not an amount"),
        ("Infinity", "not an amount"),
    ],
)
def test_money_typos_are_refused(text, why):
    with pytest.raises(ValueError, match=why):
        parse_money_fen(text)


@pytest.mark.parametrize("text", ["2105-01-01", "9999-12-31", "1899-12-31"])
def test_years_outside_the_records_are_refused(text):
    with pytest.raises(ValueError, match="not between 1900 and 2100"):
        parse_date(text)


def test_amounts_in_wan_yuan_are_converted_exactly(tmp_path):
    path = write(
        tmp_path,
        "c.csv",
        "案号,主办人,案件类型,案值(万元),罚没金额（元）,决定日期\n"
        "A1,0107,无照经营,1.5,100,2025-01-02\n"
        "A2,0107,无照经营,0.000001,3万,2025-01-02\n"
        "A3,0107,无照经营,1.2万,1.234567万,2025-01-02\n"
        "A4,0107,无照经营,1.0000001,1.2345678万,2025-01-02\n",
    )
    parsed = parse_file(path, LAYOUTS["cases"], {"0107"}, {"无照经营"}, collect=True)
    assert [(c.case_number, c.case_value_fen, c.penalty_fen) for c in parsed.records] == [
        ("A1", 1_500_000, 10_000),  # 1.5万元 = 15,000.00 yuan
        ("A2", 1, 3_000_000),  # 0.000001万元 = one fen; 3万 in a yuan column = 30,000 yuan
    ]
    assert [(e.row, e.column, e.value, e.why) for e in parsed.errors] == [
        (4, "案值(万元)", "1.2万", "the column is headed in 万元; write the number alone"),
        (
            5,
            "案值(万元)",
            "1.0000001",
            "more precise than a fen (万元 with at most 6 decimals); correct the amount",
        ),
        (
            5,
            "罚没金额（元）",
            "1.2345678万",
            "more precise than a fen (万元 with at most 6 decimals); correct the amount",
        ),
    ]
    assert parse_money_fen("1.234567万") == 1_234_567


def test_workbook_warnings_and_refusals(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["届次", "执法证号", "申报级别", "申报日期", None])
    sheet.append([2026, 107, "初级", "2026-05-01", "备注"])
    book.create_sheet("说明")
    book.save(tmp_path / "a.xlsx")
    parsed = parse_file(tmp_path / "a.xlsx", LAYOUTS["applications"], {"107"})
    assert parsed.records[0].officer_id == "107"
    assert parsed.warnings == [
        f"{tmp_path / 'a.xlsx'}: read sheet 'Sheet'; the workbook has other sheets too (说明): "
        "choose one with --sheet NAME",
        f"{tmp_path / 'a.xlsx'}: column '执法证号' holds numbers in Excel (1 row(s)); if IDs have "
        "leading zeros, Excel dropped them: format the column as Text and type them again",
        f"{tmp_path / 'a.xlsx'}: column 5 has values but no header (rows 2); they were ignored",
    ]
    sheet["D2"] = "=TODAY()"  # a formula openpyxl saves without a value
    book.save(tmp_path / "f.xlsx")
    with pytest.raises(ImportFailed) as caught:
        parse_file(tmp_path / "f.xlsx", LAYOUTS["applications"], {"107"})
    assert [(e.row, e.column, e.value, e.why) for e in caught.value.errors] == [
        (
            2,
            "申报日期",
            "=TODAY()",
            "a formula with no saved value; open the file in Excel and save it",
        )
    ]
    (tmp_path / "old.xlsx").write_bytes(b"\xd0\xcf\x11\xe0 an old .xls renamed")
    with pytest.raises(ImportFailed) as caught:
        parse_file(tmp_path / "old.xlsx", LAYOUTS["applications"], {"107"})
    assert "cannot be read as an .xlsx workbook" in caught.value.errors[0].why


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64, 1 << 20])
def test_a_csv_file_is_checked_a_chunk_at_a_time_with_the_same_answers(
    tmp_path, monkeypatch, chunk
):
    """The encoding pass reads the file in chunks (a province's file is never held whole): a
    character split between two chunks, a bad byte or a NUL in a later chunk, give the answers
    that reading the file whole gives, with the row."""
    monkeypatch.setattr(sheets, "CHUNK", chunk)
    assert [r.name for r in officers(write(tmp_path, "u.csv", OFFICERS_ZH))] == ["张[测]试", "李四"]
    assert [r.name for r in officers(write(tmp_path, "g.csv", OFFICERS_ZH, "gbk"))] == [
        "张[测]试",
        "李四",
    ]
    late_gbk = OFFICERS_ZH.encode() + "0300,新人,男,1995-01-01,,东关所,2020-01-01,,\n".encode("gbk")
    (tmp_path / "mixed.csv").write_bytes(late_gbk)
    nul = OFFICERS_ZH.encode() + "0301,空\x00格,男,1995-01-01,,东关所,2020-01-01,,\n".encode()
    (tmp_path / "nul.csv").write_bytes(nul)
    cut = OFFICERS_ZH.encode()[:-1]  # the last row without its line break
    (tmp_path / "cut.csv").write_bytes(cut)
    # English headers, and a GBK character last whose two bytes begin a UTF-8 one (E1 80): it
    # is GBK, told apart only when the file ends; cut short after it
    english = (
        b"officer_id,name,unit,enforcement_start,birth_date,sex\n"
        b"0101,Wang,East,2015-03-01,1990-03-07,male\n0102,Li,East,2015-03-01,1990-03-07,"
    ) + "醼".encode("gbk")
    (tmp_path / "gbk_end.csv").write_bytes(english)
    for name, row, why in [
        ("mixed.csv", 4, "not UTF-8 or GBK text"),
        ("nul.csv", 4, "holds NUL bytes"),
        ("cut.csv", 3, "the last row does not end with a line break"),
        ("gbk_end.csv", 3, "the last row does not end with a line break"),
    ]:
        with pytest.raises(ImportFailed) as caught:
            officers(tmp_path / name)
        assert [(e.row, e.why.startswith(why)) for e in caught.value.errors] == [(row, True)]


def test_a_file_changed_between_its_two_readings_is_refused(tmp_path, monkeypatch):
    """The encoding is found by a first pass; a file saved again in another encoding before
    the second is refused with the row, not a traceback."""
    path = write(tmp_path, "o.csv", OFFICERS_ZH)
    found = sheets._text_of(path)
    path.write_bytes(OFFICERS_ZH.encode("gbk"))
    monkeypatch.setattr(sheets, "_text_of", lambda _: found)
    with pytest.raises(ImportFailed) as caught:
        officers(path)
    assert [
        (e.row, e.why.startswith("the file changed while it was read")) for e in caught.value.errors
    ] == [(0, True)]
