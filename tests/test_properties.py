"""Properties: a hostile file never crashes an import nor half-writes it; the value parsers read
every well-formed value; more merit never lowers the highest grade an officer is eligible for."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from casegrade import store
from casegrade.core.imports import import_file
from casegrade.errors import ImportFailed
from casegrade.intake.values import (
    labels_of,
    parse_date,
    parse_money_fen,
    parse_period,
    parse_round,
    parse_score,
)
from casegrade.policy import Policy, load_policy
from casegrade.records import Application, Case, Honor
from casegrade.rules import Context, evaluate
from casegrade.vocab import Grade, HonorKind, HonorLevel

# No example database: hypothesis would write .hypothesis/ into whatever folder a test runs in.
IMPORTS = settings(
    max_examples=30,
    deadline=timedelta(seconds=2),
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
QUICK = settings(max_examples=200, deadline=timedelta(seconds=1), database=None)

# --- hostile files ------------------------------------------------------------------------------

OFFICER_IDS = ("0107", "0108")
SEED = {  # what the database holds before each hostile import: two officers, one application
    "officers": "执法证号,姓名,单位,执法起始日期,出生日期,性别\n"
    "0107,张三,东关所,2015-03-01,1986-05-04,男\n"
    "0108,李四,公平交易科,2012-07-01,1980-01-02,女\n",
    "applications": "届次,执法证号,申报级别,申报日期\n2026,0107,中级,2026-05-20\n",
}
HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF)
NAME = st.text(HAN, min_size=1, max_size=4)
DATE = st.dates(date(1995, 1, 1), date(2026, 6, 30)).map(str)
MONEY = st.integers(0, 10**8).map(lambda fen: f"{fen // 100}.{fen % 100:02d}")
# kind -> (header, cell) for each column: the real headers, plausible cells (valid as a rule)
COLUMNS: dict[str, dict[str, st.SearchStrategy[str]]] = {
    "officers": {
        "执法证号": st.from_regex(r"0[0-9]{3}", fullmatch=True),
        "姓名": NAME,
        "单位": st.sampled_from(["东关所", "公平交易科"]),
        "执法起始日期": st.dates(date(2005, 1, 1), date(2026, 6, 30)).map(str),
        "出生日期": st.dates(date(1965, 1, 1), date(1990, 12, 31)).map(str),
        "性别": st.sampled_from(["男", "女"]),
    },
    "honors": {
        "执法证号": st.sampled_from(OFFICER_IDS),
        "授予日期": DATE,
        "级别": st.sampled_from(labels_of(HonorLevel)),
        "类别": st.sampled_from(labels_of(HonorKind)),
        "荣誉名称": NAME,
    },
    "cases": {
        "案号": st.from_regex(r"东监罚〔202[0-6]〕[0-9]{4}号", fullmatch=True),
        "主办人": st.sampled_from(OFFICER_IDS),
        "案件类型": st.sampled_from(sorted(load_policy().case_types)),
        "案值": MONEY,
        "罚没金额": MONEY,
        "决定日期": DATE,
    },
    "applications": {
        "届次": st.sampled_from(["2024", "2026"]),
        "执法证号": st.sampled_from(OFFICER_IDS),
        "申报级别": st.sampled_from(labels_of(Grade)),
        "申报日期": DATE,
    },
    "exams": {
        "届次": st.just("2026"),
        "执法证号": st.sampled_from(OFFICER_IDS),
        "成绩": st.decimals(0, 100, places=1).map(str),
    },
}
KINDS = st.sampled_from(sorted(COLUMNS))
CONTROLS = st.sampled_from(["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x7f", "\x85", "\u2028"])


TITLES = st.lists(NAME.map(lambda name: [f"{name}名单"]), max_size=1)  # a banner above the table
FOOTERS = st.sampled_from([[], [["合计", "", "3"]], [["制表人：张三"]]])  # rows under it


@st.composite
def tables(draw: st.DrawFn, kind: str, frame: bool = True) -> list[list[str]]:
    """The rows of a well-formed file of ``kind``: the header in some order and 1-4 data rows;
    with ``frame``, sometimes a title row above the header and a footer row under the data."""
    columns = COLUMNS[kind]
    header = draw(st.permutations(list(columns)))
    rows = [[draw(columns[name]) for name in header] for _ in range(draw(st.integers(1, 4)))]
    if not frame:
        return [header, *rows]
    return [*draw(TITLES), header, *rows, *draw(FOOTERS)]


def csv_text(rows: list[list[str]], newline: str = "\n") -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator=newline).writerows(rows)
    return out.getvalue()


@st.composite
def csv_files(draw: st.DrawFn, kind: str) -> str:
    return csv_text(draw(tables(kind)), draw(st.sampled_from(["\n", "\r\n"])))


def workbook_bytes(rows: list[list[str]]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOKS = {  # one small valid workbook per kind, made once: openpyxl takes ~20 ms a save
    "officers": workbook_bytes(
        [list(COLUMNS["officers"]), ["0109", "王五", "东关所", "2015-03-01", "1986-05-04", "男"]]
    ),
    "honors": workbook_bytes(
        [list(COLUMNS["honors"]), ["0107", "2025-05-01", "省级", "称号", "先进个人"]]
    ),
    "cases": workbook_bytes(
        [
            list(COLUMNS["cases"]),
            ["东监罚〔2025〕0041号", "0107", "无照经营", "58012.27", "23257.90", "2025-01-03"],
        ]
    ),
    "applications": workbook_bytes(
        [list(COLUMNS["applications"]), ["2026", "0108", "初级", "2026-05-14"]]
    ),
}


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory, policy: Policy) -> Path:
    """A database file holding SEED, to be copied per example (hypothesis runs many examples
    in one test function, so the function-scoped ``db`` fixture cannot serve)."""
    folder = tmp_path_factory.mktemp("seeded")
    database = folder / "seeded.db"
    db = store.open_db(database)
    for kind, text in SEED.items():
        (folder / f"{kind}.csv").write_text(text, encoding="utf-8")
        import_file(db, kind, folder / f"{kind}.csv", policy)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file, to copy it
    db.conn.close()
    return database


def counts(db) -> dict[str, int]:
    return {table: db[table].count for table in db.table_names()}


def one_line_naming(message: str, path: Path) -> bool:
    return len(message.splitlines()) == 1 and str(path) in message


def assert_all_or_nothing(
    seeded: Path, policy: Policy, kind: str, data: bytes, suffix: str = ".csv", **options
) -> None:
    """Import ``data`` as a file of ``kind`` into a copy of the seeded database: it either
    imports, changing only its own table (and the audit log) by what the report says, or fails
    with ImportFailed (or StoreError) whose every error is one line naming the file, leaving
    every table as it was. Every warning is one line too."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{kind}{suffix}"
        path.write_bytes(data)
        shutil.copyfile(seeded, Path(folder) / "x.db")
        db = store.open_db(Path(folder) / "x.db")
        try:
            before = counts(db)
            try:
                report = import_file(db, kind, path, policy, **options)
            except ImportFailed as exc:
                assert exc.errors
                bad = [str(error) for error in exc.errors if not one_line_naming(str(error), path)]
                assert not bad, bad
                assert all(len(line.splitlines()) == 1 for line in exc.warnings), exc.warnings
                assert counts(db) == before
            except store.StoreError as exc:
                assert len(str(exc).splitlines()) == 1, str(exc)
                assert counts(db) == before
            else:
                after = counts(db)
                assert all(len(line.splitlines()) == 1 for line in report.warnings)
                changes = report.changes.counts
                assert after[kind] == before[kind] + changes.added - changes.removed
                assert {
                    t: n for t, n in after.items() if t not in (kind, "audit", "audit_rows")
                } == {t: n for t, n in before.items() if t not in (kind, "audit", "audit_rows")}
            assert not db.conn.in_transaction
        finally:
            db.conn.close()


@IMPORTS
@given(kind=KINDS, data=st.binary(max_size=2000), suffix=st.sampled_from([".csv", ".xlsx"]))
def test_random_bytes(seeded, policy, kind, data, suffix):
    assert_all_or_nothing(seeded, policy, kind, data, suffix)


@IMPORTS
@given(
    data=st.data(),
    kind=KINDS,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "utf-16", "latin-1"]),
)
def test_text_in_any_encoding(seeded, policy, data, kind, encoding):
    text = data.draw(st.one_of(st.text(max_size=300), csv_files(kind)))
    assert_all_or_nothing(seeded, policy, kind, text.encode(encoding, errors="replace"))


@IMPORTS
@given(data=st.data(), kind=KINDS)
def test_file_cut_at_any_byte(seeded, policy, data, kind):
    whole = data.draw(csv_files(kind)).encode(data.draw(st.sampled_from(["utf-8", "gb18030"])))
    cut = data.draw(st.integers(0, len(whole)))
    assert_all_or_nothing(seeded, policy, kind, whole[:cut])


@IMPORTS
@given(
    kind=KINDS,
    bom=st.booleans(),
    end=st.sampled_from(["", "\n", "\r\n", "\n\n,,,\n"]),
    replace_all=st.booleans(),
)
def test_header_only(seeded, policy, kind, bom, end, replace_all):
    text = ("\ufeff" if bom else "") + ",".join(COLUMNS[kind]) + end
    assert_all_or_nothing(seeded, policy, kind, text.encode(), replace=replace_all)


@IMPORTS
@given(data=st.data(), kind=KINDS, size=st.integers(10_001, 40_000), char=st.sampled_from("x张 ,"))
def test_huge_cell(seeded, policy, data, kind, size, char):
    rows = data.draw(tables(kind))
    row = data.draw(st.integers(0, len(rows) - 1))
    column = data.draw(st.integers(0, len(rows[row]) - 1))
    rows[row][column] = char * size
    assert_all_or_nothing(seeded, policy, kind, csv_text(rows).encode())


@IMPORTS
@given(data=st.data(), kind=KINDS)
def test_control_characters_outside_the_header(seeded, policy, data, kind):
    header, *rows = data.draw(tables(kind, frame=False))
    title = csv_text(data.draw(TITLES))  # "" or one row, its line break last
    below = csv_text(rows + data.draw(FOOTERS))
    for _ in range(data.draw(st.integers(1, 3))):
        at = data.draw(st.integers(-len(title) + 1, len(below)))  # <= 0: in the title row
        char = data.draw(CONTROLS)
        if at > 0:
            below = below[:at] + char + below[at:]
        elif title:
            title = title[: -1 + at] + char + title[-1 + at :]
    text = title + csv_text([header]) + below
    assert_all_or_nothing(seeded, policy, kind, text.encode())


@IMPORTS
@given(data=st.data(), kind=KINDS)
def test_duplicated_header(seeded, policy, data, kind):
    rows = data.draw(tables(kind, frame=False))
    header = rows[0]
    twin = data.draw(st.sampled_from(header))
    twin = data.draw(
        st.sampled_from([twin, f" {twin} ", twin + "\n", f"{twin}（元）", twin + " " * 150])
    )
    at = data.draw(st.integers(0, len(header)))
    for row in rows[1:]:
        row.insert(at, row[0])
    rows[0] = [*header[:at], twin, *header[at:]]
    assert_all_or_nothing(seeded, policy, kind, csv_text(rows).encode())


@IMPORTS
@given(data=st.data(), kind=KINDS, same=st.booleans())
def test_duplicated_key(seeded, policy, data, kind, same):
    rows = data.draw(tables(kind, frame=False))
    twin = list(data.draw(st.sampled_from(rows[1:])))
    if not same:  # another value in the last column: a key repeated with other values
        twin[-1] = data.draw(COLUMNS[kind][rows[0][-1]])
    rows.insert(data.draw(st.integers(1, len(rows))), twin)
    assert_all_or_nothing(seeded, policy, kind, csv_text(rows).encode())


@IMPORTS
@given(
    kind=st.sampled_from(sorted(WORKBOOKS)),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(1, 255)), max_size=8),
    cut=st.none() | st.floats(0, 1),
)
def test_broken_workbook(seeded, policy, kind, flips, cut):
    broken = bytearray(WORKBOOKS[kind])
    for where, mask in flips:
        broken[int(where * len(broken))] ^= mask
    if cut is not None:
        del broken[int(cut * len(broken)) :]
    assert_all_or_nothing(seeded, policy, kind, bytes(broken), ".xlsx")


# Product bugs these properties found, each kept as its smallest file: a control character in a
# header cell ended in a traceback; a repeated column padded with line breaks gave an error of
# hundreds of lines. Headers are now shown with importers.glimpse, never an error, on one line.
OFFICERS_HEADER = ",".join(COLUMNS["officers"])
OFFICER_ROW = "0109,王五,东关所,2015-03-01,1986-05-04,男"
FOUND_BUGS = {
    "control character in an unknown header": f"{OFFICERS_HEADER},\x01\n{OFFICER_ROW},\n",
    "control character in a known header": f"{OFFICERS_HEADER},职\x0b务\n{OFFICER_ROW},\n",
    "long repeated header": f'{OFFICERS_HEADER},"姓名' + "\n" * 200 + f'"\n{OFFICER_ROW},\n',
}


@pytest.mark.parametrize("text", FOUND_BUGS.values(), ids=FOUND_BUGS.keys())
def test_bugs_found_stay_fixed(seeded, policy, text):
    assert_all_or_nothing(seeded, policy, "officers", text.encode())


# --- value parsers ------------------------------------------------------------------------------

FULL_WIDTH_DIGITS = str.maketrans("0123456789", "".join(chr(0xFF10 + d) for d in range(10)))
YUAN = st.decimals(min_value=0, max_value=10**9, places=2)


@QUICK
@given(
    yuan=YUAN,
    commas=st.booleans(),
    full_width=st.booleans(),
    sign=st.sampled_from([("", ""), ("¥", ""), ("", "元"), ("￥", " 元")]),
)
def test_money_in_yuan_is_exact(yuan, commas, full_width, sign):
    text = f"{yuan:,.2f}" if commas else f"{yuan:.2f}"
    if full_width:
        text = text.translate(FULL_WIDTH_DIGITS)
    assert parse_money_fen(sign[0] + text + sign[1]) == yuan * 100


@QUICK
@given(
    day=st.dates(date(1900, 1, 1), date(2100, 12, 31)),
    form=st.sampled_from(
        [
            "{:%Y-%m-%d}",
            "{0.year}/{0.month}/{0.day}",
            "{0.year}年{0.month}月{0.day}日",
            "{0.year}.{0.month}.{0.day}",
        ]
    ),
    full_width=st.booleans(),
)
def test_date_in_every_form(day, form, full_width):
    text = form.format(day)
    if full_width:
        text = text.translate(FULL_WIDTH_DIGITS)
    assert parse_date(text) == day


@QUICK
@given(
    year=st.integers(1000, 9999), suffix=st.sampled_from(["", "年", "届"]), full_width=st.booleans()
)
def test_round_is_its_year(year, suffix, full_width):
    text = f"{year}{suffix}"
    assert parse_round(text.translate(FULL_WIDTH_DIGITS) if full_width else text) == str(year)


@QUICK
@given(
    year=st.integers(1900, 2100),
    half=st.sampled_from([("H1", "1"), ("h2", "2"), ("上半年", "1"), ("下半年", "2")]),
)
def test_period_is_a_half_year(year, half):
    written, number = half
    assert parse_period(f"{year}{written}") == f"{year}H{number}"


@QUICK
@given(score=st.decimals(min_value=0, max_value=1000, places=2))
def test_score_round_trips(score):
    assert parse_score(str(score)) == score


# --- rules: more merit never lowers the grade ---------------------------------------------------

AS_OF = date(2026, 6, 30)  # round 2026's evaluation date
APPLICATION = Application("2026", "0107", Grade.JUNIOR, date(2026, 5, 20))
IN_WINDOW = st.dates(date(2024, 7, 1), AS_OF)  # the 近2年 window as of AS_OF
# mostly in the window, now and then before it or after AS_OF, where nothing counts
DATES = st.one_of(IN_WINDOW, IN_WINDOW, st.dates(date(2024, 1, 1), date(2026, 12, 31)))
# every level, but mostly those that count (municipal and up; titles from provincial)
LEVELS = st.sampled_from([*HonorLevel, HonorLevel.PROVINCIAL, HonorLevel.NATIONAL])
HONORS = st.builds(
    Honor,
    officer_id=st.just("0107"),
    date=DATES,
    level=LEVELS,
    kind=st.sampled_from([HonorKind.TITLE, *HonorKind]),
    name=NAME,
    enforcement_related=st.sampled_from([True, True, True, False]),
)


# 0-80,000 yuan in fen, in steps of 1,000 yuan: big cases (10,000 yuan) and the junior to senior
# yearly penalties (30,000-100,000 yuan) are reached, and often exactly
THOUSANDS_OF_YUAN = st.integers(0, 80).map(lambda thousands: thousands * 100_000)


@st.composite
def cases(draw: st.DrawFn, number: int) -> Case:
    decided = draw(DATES)
    typical = draw(st.none() | LEVELS)
    return Case(
        case_number=f"P{number:04d}",
        lead_officer_id=draw(st.sampled_from(["0107", "0107", "0107", "0108"])),
        case_type="无照经营",
        case_value_fen=draw(THOUSANDS_OF_YUAN),
        penalty_fen=draw(THOUSANDS_OF_YUAN),
        decision_date=decided,
        assistant_officer_id=draw(st.sampled_from([None, "0107", "0108"])),
        typical_level=typical,
        typical_date=None
        if typical is None
        else decided + draw(st.timedeltas(timedelta(0), timedelta(400))),
    )


# sampled_from draws evenly where integers() favours its bounds: rich files are drawn as often
COUNTS_UP_TO_8, COUNTS_UP_TO_24 = st.sampled_from(range(9)), st.sampled_from(range(25))


@st.composite
def officer_records(draw: st.DrawFn) -> tuple[date, list[Honor], list[Case]]:
    """What the file of officer 0107 holds: the start of service (2015-2024), up to 8 honors,
    up to 24 cases (some led by 0108, some assisted), amounts that reach every grade now and
    then."""
    start = draw(st.dates(date(2015, 1, 1), date(2024, 12, 31)))
    honors = [replace(draw(HONORS), name=f"荣誉{n}") for n in range(draw(COUNTS_UP_TO_8))]
    led = [draw(cases(number)) for number in range(draw(COUNTS_UP_TO_24))]
    return start, honors, led


POLICIES = {  # the shipped policy, and its Decisions taken the other way
    "shipped": load_policy(),
    "other_decisions": replace(load_policy(), big_case_basis="penalty", count_assisted_cases=True),
}


def rank(grade: Grade | None) -> int:
    return -1 if grade is None else grade.rank


def highest(file, policy: Policy) -> int:
    """The rank of the highest grade the file is eligible for, whatever was applied for."""
    return rank(evaluate(APPLICATION, file, Context.on(AS_OF, policy)).highest_eligible_grade)


@settings(max_examples=150, deadline=timedelta(seconds=1), database=None)
@given(
    records=officer_records(),
    policy=st.sampled_from(sorted(POLICIES)).map(POLICIES.get),
    more=st.data(),
)
def test_more_merit_never_lowers_the_grade(officer, file_of, records, policy, more):
    """More years of service, an extra honor, an extra case or a higher penalty never lowers
    the highest eligible grade (None lowest)."""
    start, honors, led = records
    file = file_of(*honors, *led, who=officer(enforcement_start=start))
    grade = highest(file, policy)
    event(f"highest eligible grade: {[None, *Grade][grade + 1]}")  # how often each is reached
    earlier = file.officer.enforcement_start - more.draw(
        st.timedeltas(timedelta(1), timedelta(3000))
    )
    assert (
        highest(replace(file, officer=replace(file.officer, enforcement_start=earlier)), policy)
        >= grade
    )
    honor = replace(more.draw(HONORS), name="追加荣誉")  # a name NAME never draws: a new honor
    assert highest(replace(file, honors=(*file.honors, honor)), policy) >= grade
    case = more.draw(cases(len(file.cases)))
    assert highest(replace(file, cases=(*file.cases, case)), policy) >= grade
    if file.cases:
        at = more.draw(st.integers(0, len(file.cases) - 1))
        raised = replace(
            file.cases[at],
            penalty_fen=file.cases[at].penalty_fen + more.draw(st.integers(1, 10**7)),
        )
        higher = (*file.cases[:at], raised, *file.cases[at + 1 :])
        assert highest(replace(file, cases=higher), policy) >= grade
