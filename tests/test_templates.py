"""Import templates: headers the importer reads, IDs kept as text, drop-downs, and a round trip."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from casegrade.intake.layouts import LAYOUTS
from casegrade.intake.reader import parse_file
from casegrade.views.templates import write_template

SHEET_TITLES = {
    "officers": "执法人员",
    "honors": "荣誉",
    "cases": "案件",
    "applications": "申报",
    "exams": "考试成绩",
    "decisions": "评定结果",
    "assessments": "年度考核",
    "complaints": "群众举报",
    "incidents": "失误与违纪",
    "ratings": "半年考核",
    "reports": "调研报告",
    "trainings": "教育培训",
}
TEXT_KEYS = (
    "officer_id",
    "lead_officer_id",
    "assistant_officer_id",
    "id_number",
    "case_number",
    "round",
    "period",
)


def test_every_layout_has_a_template_title():
    assert set(SHEET_TITLES) == set(LAYOUTS)


@pytest.mark.parametrize("kind", sorted(LAYOUTS))
def test_template_headers_freeze_text_ids_and_guide(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    write_template(kind, path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    columns = LAYOUTS[kind].columns
    assert sheet.title == SHEET_TITLES[kind]
    assert [cell.value for cell in sheet[1]] == [c.zh for c in columns]
    assert sheet.freeze_panes == "A2"
    for index, column in enumerate(columns, 1):
        if column.key in TEXT_KEYS:
            assert sheet.cell(2, index).number_format == "@", column.key
            assert sheet.cell(1000, index).number_format == "@", column.key
    guide = book["填表说明"]
    rows = [row for row in guide.iter_rows(values_only=True) if any(row)]
    table = rows[[row[0] for row in rows].index("列名") + 1 :]
    assert [row[0] for row in table] == [c.zh for c in columns]
    assert [row[1] for row in table] == [c.english for c in columns]
    assert [row[2] for row in table] == ["是" if c.required else "否" for c in columns]


@pytest.mark.parametrize("kind", sorted(LAYOUTS))
def test_drop_downs_list_exactly_the_choices(tmp_path, kind):
    path = tmp_path / f"{kind}.xlsx"
    write_template(kind, path)
    sheet = load_workbook(path).worksheets[0]
    found = {
        str(validation.sqref): (validation.type, validation.formula1, validation.allow_blank)
        for validation in sheet.data_validations.dataValidation
    }
    expected = {
        f"{get_column_letter(i)}2:{get_column_letter(i)}1000": (
            "list",
            '"' + ",".join(c.choices) + '"',
            not c.required,
        )
        for i, c in enumerate(LAYOUTS[kind].columns, 1)
        if c.choices
    }
    assert found == expected


def test_applications_grade_drop_down(tmp_path):
    path = tmp_path / "applications.xlsx"
    write_template("applications", path)
    sheet = load_workbook(path).worksheets[0]
    assert sheet["C1"].value == "申报级别"
    (validation,) = sheet.data_validations.dataValidation
    assert str(validation.sqref) == "C2:C1000"
    assert validation.formula1 == '"初级,中级,高级"'
    assert validation.allow_blank is False
    assert "初级、中级、高级" in validation.error


def test_cases_template_lists_the_case_types(tmp_path, policy):
    path = tmp_path / "cases.xlsx"
    write_template("cases", path, case_types=list(policy.case_types))
    sheet = load_workbook(path).worksheets[0]
    formulas = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation}
    assert sheet["D1"].value == "案件类型"
    assert formulas["D2:D1000"] == '"' + ",".join(policy.case_types) + '"'
    assert sheet["E2"].number_format == "#,##0.00"  # 案值
    assert sheet["G2"].number_format == "yyyy-mm-dd"  # 决定日期


def test_cases_template_without_case_types_has_no_type_list(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_template("cases", path)
    sheet = load_workbook(path).worksheets[0]
    assert "D2:D1000" not in {str(v.sqref) for v in sheet.data_validations.dataValidation}


def test_a_long_case_type_list_goes_to_a_hidden_sheet(tmp_path):
    case_types = [f"案件类型第{n:02d}种" for n in range(1, 41)]  # 40 x 8 characters > 255
    path = tmp_path / "cases.xlsx"
    write_template("cases", path, case_types=case_types)
    book = load_workbook(path)
    formulas = {
        str(v.sqref): v.formula1 for v in book.worksheets[0].data_validations.dataValidation
    }
    assert formulas["D2:D1000"] == "'下拉选项'!$D$1:$D$40"
    lists = book["下拉选项"]
    assert lists.sheet_state == "hidden"
    assert [cell.value for (cell,) in lists.iter_rows(min_col=4, max_col=4)] == case_types
    assert book.sheetnames == ["案件", "填表说明", "下拉选项"]


def test_required_headers_look_different_and_print_setup(tmp_path):
    write_template("cases", tmp_path / "cases.xlsx")
    write_template("exams", tmp_path / "exams.xlsx")
    cases = load_workbook(tmp_path / "cases.xlsx").worksheets[0]
    exams = load_workbook(tmp_path / "exams.xlsx").worksheets[0]
    assert cases["A1"].font.bold
    assert cases["A1"].fill.fgColor.rgb != cases["C1"].fill.fgColor.rgb  # 案号 vs 协办人
    assert cases.page_setup.orientation == "landscape"
    assert exams.page_setup.orientation == "portrait"
    assert cases.page_setup.fitToWidth == 1
    assert cases.sheet_properties.pageSetUpPr.fitToPage


def test_officers_template_round_trip_keeps_leading_zeros(tmp_path):
    path = tmp_path / "officers.xlsx"
    write_template("officers", path)
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    row = {
        "执法证号": "0107",
        "姓名": "张三",
        "性别": "男",
        "出生日期": date(1990, 3, 7),
        "单位": "东关所",
        "执法起始日期": date(2015, 3, 1),
    }
    for zh, value in row.items():
        sheet.cell(2, header.index(zh) + 1).value = value
    book.save(path)

    (officer,) = parse_file(path, LAYOUTS["officers"], known_officers=set()).records
    assert officer.officer_id == "0107"
    assert officer.name == "张三"
    assert officer.birth_date == date(1990, 3, 7)
    assert officer.enforcement_start == date(2015, 3, 1)


def test_cases_template_round_trip_reads_money_in_yuan(tmp_path):
    path = tmp_path / "cases.xlsx"
    write_template("cases", path, case_types=["虚假广告"])
    book = load_workbook(path)
    sheet = book.worksheets[0]
    for cell, value in zip(
        sheet[2],
        ["东市监罚〔2024〕12号", "0107", None, "虚假广告", 12500.5, 3000, date(2024, 5, 6)],
        strict=False,
    ):
        cell.value = value
    book.save(path)

    (case,) = parse_file(
        path, LAYOUTS["cases"], known_officers={"0107"}, case_types={"虚假广告"}
    ).records
    assert (case.lead_officer_id, case.case_value_fen, case.penalty_fen) == (
        "0107",
        1250050,
        300000,
    )
    assert case.decision_date == date(2024, 5, 6)


def test_unknown_kind_raises_naming_the_kinds(tmp_path):
    with pytest.raises(ValueError, match="officers, honors, cases"):
        write_template("staff", tmp_path / "staff.xlsx")
    assert not (tmp_path / "staff.xlsx").exists()
