"""The reader: a spreadsheet of one layout into records, collecting every bad row before failing
(the header found below a banner, footers skipped, absent columns kept from the stored records).

Headers may be English or Chinese in any order; values Chinese or English. Nothing here writes: the
store writes only when a whole file is clean.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casegrade.errors import FieldError, ImportFailed, RowError, UnreadableSheet
from casegrade.idnumber import mask_id_number
from casegrade.intake.layouts import LAYOUTS, OFFICERS, Column, Layout
from casegrade.intake.sheets import NumberText, Sheet, UnsavedFormula, open_sheet
from casegrade.intake.values import (
    ID_AS_NUMBER,
    ID_COLUMNS,
    LARGE_FEN,
    YUAN_PER,
    cell_value,
    compact,
    fold_header,
    glimpse,
    is_space,
    name_text,
    parse_money_fen,
    parse_text,
)

HEADER_SEARCH = 10  # rows searched for the header, below a title (banner) the office put on top
# A row that starts with one of these and has no key is the table's foot: totals, signatures.
FOOTER_WORDS = (
    "合计",
    "总计",
    "小计",
    "共计",
    "制表",
    "填表",
    "填报",
    "审核",
    "审批",
    "负责人",
    "签字",
    "注：",
    "注:",
)
FOOTER_STARTS = frozenset(word[0] for word in FOOTER_WORDS)
CODE_FIELDS = frozenset({*ID_COLUMNS, "case_number", "id_number"})  # no space inside
FREE_TEXT_FIELDS = frozenset({"note", "summary", "reason"})  # line breaks kept
ASCII_SPACE = " \t\r\n"  # what a cell may have at its ends without a note
MEMO = 10_000  # a column's distinct cells remembered with their reading (IDs, dates, types repeat)
BATCH = 2_000  # rows read before their stored records are looked up and they are handed on
# (row number, record) of the rows read, handed on in batches; and stored records by their keys
Sink = Callable[[list[tuple[int, Any]]], None]
Lookup = Callable[[list[tuple]], dict[tuple, Any]]


@dataclass
class ParsedFile:
    """A file as read: its records and, with ``collect``, its bad rows.

    Attributes:
        layout: what kind of file it is.
        path: where it was read from.
        records: one record per data row, in file order (none kept when a sink took them).
        rows: the row number (as Excel numbers it) of each record.
        errors: with ``collect``, the bad rows found (for the caller to add its own and fail).
        warnings: things worth telling the clerk that do not stop the import (ignored columns),
            one per column and kind.
        present: the record fields the file has a column for; the others keep their stored
            values.
        header_row: the header's row number (1 unless title rows stand above it; 0 if none).
        sheet: the workbook sheet read ("" for CSV).
    """

    layout: Layout
    path: Path
    records: list[Any] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    rows: list[int] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    present: frozenset[str] = frozenset()
    header_row: int = 0
    sheet: str = ""

    def keep(self, batch: list[tuple[int, Any]]) -> None:
        """Keep records read, in ``records`` and ``rows``."""
        for row, record in batch:
            self.rows.append(row)
            self.records.append(record)


@dataclass
class _Notes:
    """What the reading noticed, gathered per column so that 50 rows give one warning."""

    name: str
    lines: list[str] = field(default_factory=list)
    cleaned: dict[str, list[int]] = field(default_factory=dict)  # column -> rows
    numeric_ids: dict[str, list[int]] = field(default_factory=dict)
    unheaded: dict[int, list[int]] = field(default_factory=dict)  # column number -> rows
    footers: list[tuple[int, str]] = field(default_factory=list)
    rounded_ids: list[int] = field(default_factory=list)  # rows whose ID number ends in 000
    large: dict[str, list[int]] = field(default_factory=dict)  # money column -> rows ≥ 1亿元

    def add(self, line: str) -> None:
        self.lines.append(f"{self.name}: {line}")

    def warnings(self) -> list[str]:
        """Every note as one line each, in a fixed order."""
        out = list(self.lines)
        for column, rows in self.cleaned.items():
            out.append(
                f"{self.name}: column {column!r}: invisible characters, full-width digits or "
                f"stray spaces removed from {len(rows)} cell(s) (rows {_rows_text(rows)})"
            )
        for column, rows in self.numeric_ids.items():
            out.append(
                f"{self.name}: column {column!r} holds numbers in Excel ({len(rows)} row(s)); if "
                "IDs have leading zeros, Excel dropped them: format the column as Text and type "
                "them again"
            )
        for number, rows in self.unheaded.items():
            out.append(
                f"{self.name}: column {number} has values but no header (rows "
                f"{_rows_text(rows)}); they were ignored"
            )
        if self.footers:
            shown = "; ".join(f"row {row} {text!r}" for row, text in self.footers[:5])
            out.append(f"{self.name}: {len(self.footers)} footer row(s) skipped: {shown}")
        for column, rows in self.large.items():
            out.append(
                f"{self.name}: column {column!r}: amounts of 100,000,000 元 or more (rows "
                f"{_rows_text(rows)}); check that the unit (元 or 万元) is the one the column says"
            )
        if self.rounded_ids:
            out.append(
                f"{self.name}: ID numbers ending in 000 (rows {_rows_text(self.rounded_ids)}): "
                "Excel may have rounded them; check them against the ID cards"
            )
        return out


def _rows_text(rows: list[int]) -> str:
    shown = ", ".join(map(str, rows[:10]))
    return shown + (f" and {len(rows) - 10} more" if len(rows) > 10 else "")


def _shown(header: str) -> str:
    """A header as the clerk reads it in Excel, on one line and short (never an error)."""
    return glimpse(header, 60)


def parse_file(
    path: Path,
    layout: Layout,
    known_officers: set[str],
    case_types: set[str] | None = None,
    applications: set[tuple[str, str]] | None = None,
    *,
    stored: Lookup | None = None,
    id_numbers: list[tuple[str, str, str]] | None = None,
    sheet: str | None = None,
    collect: bool = False,
    progress: Callable[[int], None] | None = None,
    sink: Sink | None = None,
) -> ParsedFile:
    """Read one CSV or .xlsx file of the given layout.

    The header is found by its column names within the first rows (a title above it is
    skipped); footer rows (合计, 制表人 …) are skipped with a warning. A column the file does not
    have leaves the stored value of that field as it is; a column with an empty cell clears it.

    Args:
        path: the file.
        layout: its kind (``LAYOUTS["cases"]`` …).
        known_officers: officer_ids on record; a reference to any other is an error.
        case_types: the policy's case types; for cases, any other type is an error.
        applications: (round, officer_id) of the applications on record, for layouts whose rows
            belong to an application.
        stored: looks up the records of this kind on record by natural key, for a batch of
            rows: where the file lacks a column, a row of a stored key keeps the stored value.
        id_numbers: for officers, the ID numbers on record: (ID number, officer_id, name).
        sheet: the workbook sheet to read (default the first).
        collect: return the bad rows in ``errors`` (with the good records) instead of raising,
            so that the caller can check the rest and report every problem at once.
        progress: called now and then with the row number reached, for a progress bar.
        sink: takes the good records in batches, as (row number, record), instead of
            ``records`` and ``rows`` (a file of any size is not held in memory). Keys that the
            file repeats are not looked for here, with a sink or without: an import's stage
            finds them (store.Stage.repeated).

    Raises:
        ImportFailed: with every bad row (file, row, column, value, why) and the warnings.
    """
    name = str(path)
    if layout.officer_columns and not known_officers:
        raise ImportFailed(
            [RowError(name, 0, "", "", "no officers on record yet; import the officers file first")]
        )
    parsed = ParsedFile(layout, path)
    reading = _Reading(
        parsed,
        _Notes(name),
        stored,
        id_numbers or [],
        known_officers,
        case_types,
        applications,
        sink or parsed.keep,
    )
    try:
        with open_sheet(path, sheet) as source:
            parsed.sheet = source.sheet
            reading.read(source, progress)
    except UnreadableSheet as exc:
        reading.errors.append(RowError(name, exc.row, "", "", str(exc)))
    reading.check_file()
    parsed.errors = sorted(reading.errors, key=lambda e: e.row)
    parsed.warnings = reading.notes.warnings()
    if parsed.errors and not collect:
        raise ImportFailed(parsed.errors, parsed.warnings, parsed.header_row, parsed.sheet)
    return parsed


@dataclass
class _Reading:
    """One file being read: what it is checked against, and what it found so far."""

    parsed: ParsedFile
    notes: _Notes
    stored: Lookup | None
    id_numbers: list[tuple[str, str, str]]
    known_officers: set[str]
    case_types: set[str] | None
    applications: set[tuple[str, str]] | None
    sink: Sink
    errors: list[RowError] = field(default_factory=list)
    header: list[str] = field(default_factory=list)
    columns: dict[int, Column] = field(default_factory=dict)
    shown: dict[int, str] = field(default_factory=dict)  # column index -> header on one line

    def __post_init__(self) -> None:
        self.name = str(self.parsed.path)
        self.layout = self.parsed.layout
        self.twins = zero_twins(self.known_officers)
        # officers: (row, officer_id, name, ID number) of each, for what only the whole file shows
        self.people: list[tuple[int, str, str, str | None]] = []

    def read(self, source: Sheet, progress: Callable[[int], None] | None) -> None:
        """Find the header, then parse every data row into ``parsed``."""
        found = _find_header(
            self.name, iter(source.rows), self.layout, source, self.notes, self.errors
        )
        if found is None:
            return
        self.parsed.header_row, self.header, self.columns, rows = found
        self.shown = {index: _shown(self.header[index]) for index in self.columns}
        self.cleaners = {column.key: _cleaner(column) for column in self.columns.values()}
        self.defaults = {column.key: column.default for column in self.layout.columns}
        # per column read: its cell's index, the column, its header, its cells read so far
        # (cell -> (cleaned, value)), whether it holds money
        self.plan: list[tuple[int, Column, str, dict[str, tuple[bool, Any]], bool]] = [
            (index, column, self.shown[index], {}, column.key.endswith("_fen"))
            for index, column in self.columns.items()
        ]
        ids = [i for i, column in self.columns.items() if column.key in ID_COLUMNS]
        unheaded = [i for i, text in enumerate(self.header) if not text.strip()]
        self.parsed.present = frozenset(column.key for column in self.columns.values())
        header = [fold_header(text)[0] for text in self.header]
        width = len(self.header) - next(
            (i for i, text in enumerate(reversed(self.header)) if text.strip()), len(self.header)
        )
        keeps = self.stored is not None and any(
            column.key not in self.parsed.present for column in self.layout.columns
        )
        batch: list[tuple[int, list[str], dict[str, Any]]] = []
        try:  # the rows read before a row that cannot be read are handed on too
            for row, cells in rows:
                if progress is not None and row % 500 == 0:
                    progress(row)
                if _is_footer(cells, self.columns, self.layout):
                    self.notes.footers.append((row, glimpse(next(c for c in cells if c.strip()))))
                    continue
                if (
                    header[0][:1] in unicodedata.normalize("NFKC", cells[0]).casefold()  # quick no
                    and fold_header(cells[0])[0] == header[0]
                    and [fold_header(cell)[0] for cell in cells[: len(header)]] == header
                ):
                    self._error(
                        row,
                        "",
                        "",
                        "repeats the header row (two files pasted together?); delete it",
                    )
                    continue
                if not source.sheets:  # in a CSV, every row has the header's cells
                    problem = _width_problem(self.name, row, cells, width)
                    if problem is not None:
                        self.errors.append(problem)
                        continue
                _note_cells(row, cells, self.header, ids, unheaded, self.notes)
                values = self._values(row, cells)
                if values is not None:
                    batch.append((row, cells, values))
                if len(batch) == BATCH:
                    self._hand_on(batch, keeps)
                    batch = []
        finally:
            self._hand_on(batch, keeps)

    def _hand_on(self, batch: list[tuple[int, list[str], dict[str, Any]]], keeps: bool) -> None:
        """The records of a batch of rows' values, with the stored values of the fields the
        file lacks, handed to the sink."""
        old: dict[tuple, Any] = {}
        if keeps and self.stored is not None and batch:
            old = self.stored([self.layout.key_of(values) for _, _, values in batch])
        records = []
        for row, cells, values in batch:
            record = self._record(row, cells, values, old.get(self.layout.key_of(values)))
            if record is not None:
                records.append((row, record))
                if self.layout is OFFICERS:
                    self.people.append((row, record.officer_id, record.name, record.id_number))
        if records:
            self.sink(records)

    def _error(self, row: int, column: str, value: str, why: str) -> None:
        self.errors.append(RowError(self.name, row, column, value, why))

    def _values(self, row: int, cells: list[str]) -> dict[str, Any] | None:
        """The values of a row's cells by field, or None after noting every problem of its
        cells and of what they name."""
        values = self.defaults.copy()
        failed = False
        notes = self.notes
        for index, column, shown, memo, money in self.plan:
            cell = cells[index] if index < len(cells) else ""
            known = memo.get(cell) if type(cell) is str else None  # not a NumberText …
            if known is None:
                known = self._read_cell(row, cell, column, shown)
                if known is None:
                    failed = True
                    continue
                if len(memo) < MEMO and type(cell) is str:
                    memo[cell] = known
            cleaned, value = known
            values[column.key] = value
            if cleaned:
                notes.cleaned.setdefault(shown, []).append(row)
            if money and value is not None and value >= LARGE_FEN:
                notes.large.setdefault(shown, []).append(row)
        failed |= self._check_references(row, values)
        return None if failed else values

    def _read_cell(
        self, row: int, cell: str, column: Column, shown: str
    ) -> tuple[bool, Any] | None:
        """(whether cleaning changed the cell, its value; the column's default when empty), or
        None after noting why the cell cannot be read."""
        try:
            if isinstance(cell, UnsavedFormula):
                raise ValueError(
                    "a formula with no saved value; open the file in Excel and save it"
                )
            if column.key == "id_number" and isinstance(cell, NumberText):
                raise ValueError(ID_AS_NUMBER)
            text = self.cleaners[column.key](cell)
        except ValueError as exc:
            self._error(row, shown, _private(column, cell), str(exc))
            return None
        cleaned = text != cell.strip(ASCII_SPACE)  # an ideographic space at an end is news
        if not text:
            if column.required:
                self._error(row, shown, "", "empty; fill it in")
                return None
            return cleaned, column.default
        try:
            return cleaned, column.parse(text)
        except ValueError as exc:
            self._error(row, shown, _private(column, text), str(exc))
            return None

    def _record(self, row: int, cells: list[str], values: dict[str, Any], old: Any) -> Any | None:
        """The row's record, or None after noting how its values do not fit together. Fields
        whose column the file lacks keep the values of ``old``, the stored record of its key."""
        kept = self._keep_stored(values, old)
        try:
            try:
                return self.layout.build(dict(values))
            except FieldError as exc:
                misfits = {key for key, _ in exc.problems} & kept
                if not misfits:
                    raise
                # a value kept from the record that no longer fits what the file says (the grade
                # of a decision now rejected): cleared, as the file's new values require
                return self.layout.build(
                    values | {k: self.layout.column(k).default for k in misfits}
                )
        except FieldError as exc:
            for key, why in exc.problems:
                at = next((i for i, c in self.columns.items() if c.key == key), None)
                if at is None:
                    header, value = self.layout.column(key).zh, ""
                else:
                    header = _shown(self.header[at])
                    value = glimpse(cells[at], 200) if at < len(cells) else ""
                self._error(row, header, value, why)
            return None

    def _keep_stored(self, values: dict[str, Any], old: Any) -> set[str]:
        """Fill the fields whose column the file lacks from ``old``, the stored record of the
        same key, if any (not those the row derives from another field it fills). Returns
        them."""
        if old is None:
            return set()
        kept = set()
        for column in self.layout.columns:
            derived = column.derived_from and values.get(column.derived_from)
            if column.key not in self.parsed.present and not derived:
                values[column.key] = getattr(old, column.key)
                kept.add(column.key)
        return kept

    def _column(self, key: str) -> str:
        """The header, as the file has it, of the column of ``key``."""
        index = next((i for i, c in self.columns.items() if c.key == key), None)
        return self.layout.column(key).zh if index is None else _shown(self.header[index])

    def _check_references(self, row: int, values: dict[str, Any]) -> bool:
        """Note what the row's values name that is not on record (officers, case types,
        applications), whether or not its other cells were right; True if any."""
        before = len(self.errors)
        if self.layout is OFFICERS and values["officer_id"]:
            officer_id = values["officer_id"]
            twin = zero_twin(officer_id, self.known_officers, self.twins)
            if twin is not None and len(twin) > len(officer_id):
                self._error(
                    row,
                    self._column("officer_id"),
                    officer_id,
                    f"officer {twin} is on record: this looks like {twin} with its leading "
                    "zeros lost (Excel drops them); format the column as Text and type the ID "
                    "again",
                )
            elif twin is not None:
                self.notes.add(
                    f"row {row}: officer {twin} on record looks like {officer_id} with its "
                    f"leading zeros lost; once {twin}'s records name {officer_id}, remove {twin} "
                    "by importing the full list of officers with --replace"
                )
        for key in self.layout.officer_columns:
            officer_id = values.get(key)
            if not officer_id or officer_id in self.known_officers:
                continue
            twin = zero_twin(officer_id, self.known_officers, self.twins)
            why = "no officer with this 执法证号; import the officer first or correct the ID"
            if twin is not None:
                why = (
                    f"no officer {officer_id}; did you mean {twin}? Excel drops leading zeros: "
                    "format the column as Text and type the ID again"
                )
            self._error(row, self._column(key), officer_id, why)
        case_type = values.get("case_type")
        if self.case_types is not None and case_type and case_type not in self.case_types:
            self._error(
                row,
                self._column("case_type"),
                case_type,
                "unknown case type; add it to [case_types] in the policy file or correct the type",
            )
        application = (values.get("round"), values.get("officer_id"))
        known = self.applications or set()
        if self.layout.of_application and all(application) and application not in known:
            self._error(
                row,
                self._column("officer_id"),
                values["officer_id"],
                f"no application from this officer in round {values['round']}; import the "
                "application first",
            )
        return len(self.errors) > before

    def check_file(self) -> None:
        """What only the whole file shows: one ID number for two officers, ID numbers ending
        in 000, officer_ids of mixed lengths."""
        if self.layout is not OFFICERS:
            return
        self.errors += _shared_id_numbers(self.name, self.people, self.id_numbers)
        self.notes.rounded_ids += [
            row for row, _, _, id_number in self.people if id_number and id_number.endswith("000")
        ]
        numeric = sorted((p[1] for p in self.people if p[1].isdigit()), key=len)
        if numeric and len(numeric[0]) != len(numeric[-1]):
            self.notes.add(
                f"officer_ids of different lengths ({numeric[0]}, {numeric[-1]}); if Excel "
                "dropped leading zeros, format the column as Text and import again"
            )


def _find_header(
    name: str,
    rows: Iterator[tuple[int, list[str]]],
    layout: Layout,
    source: Sheet,
    notes: _Notes,
    errors: list[RowError],
) -> tuple[int, list[str], dict[int, Column], Iterator[tuple[int, list[str]]]] | None:
    """The header (row number, cells, index -> column) among the first rows, and the rows after
    it; None after adding the errors when no row has every required column."""
    first: list[tuple[int, list[str]]] = []
    cut: UnreadableSheet | None = None  # raised by a row among the first: reported after them
    try:
        for item in rows:
            first.append(item)
            if len(first) == HEADER_SEARCH:
                break
    except UnreadableSheet as exc:
        cut = exc
    if cut is not None:
        rows = _raise(cut)
    if not first:
        if cut is not None:
            raise cut
        errors.append(RowError(name, 0, "", "", "the file is empty; it needs a header row"))
        return None
    if source.unread:
        notes.add(
            f"read sheet {source.sheet!r}; the workbook has other sheets too "
            f"({', '.join(source.unread)}): choose one with --sheet NAME"
        )
    required = {column.key for column in layout.columns if column.required}

    def known(cells: list[str]) -> set[str]:
        return {c.key for text in cells if (c := _column_named(fold_header(text)[0], layout))}

    chosen = next((i for i, (_, cells) in enumerate(first) if required <= known(cells)), None)
    if chosen is None:
        best = max(range(len(first)), key=lambda i: len(known(first[i][1])))
        if (
            not known(first[best][1])
            and len(first[0][1]) == 1
            and re.search("[;\t]", first[0][1][0])
        ):
            _match_header(name, first[0][0], first[0][1], layout, notes, errors)  # ';' or tabs
            return None
        other = _other_kind(first, layout)
        if other is not None:
            notes.add(f"the header is that of a {other} file: casegrade import {other} FILE")
        if not known(first[best][1]):
            where = f"sheet {source.sheet!r}" if source.sheet else "the file"
            why = (
                f"no header row in the first {HEADER_SEARCH} rows of {where}: the columns "
                f"{', '.join(c.zh for c in layout.columns if c.required)} are needed"
            )
            if len(source.sheets) > 1:
                why += (
                    f"; the workbook's sheets are: {', '.join(source.sheets)}: name the one with "
                    "the data with --sheet NAME"
                )
            errors.append(RowError(name, first[0][0], "", "", why))
            return None
        chosen = best
    number, header = first[chosen]
    for row, cells in first[:chosen]:
        title = glimpse(" ".join(c for c in cells if c.strip()))
        notes.add(f"row {row} above the header was skipped: {title!r}")
    columns = _match_header(name, number, header, layout, notes, errors)
    if errors:
        if len(source.sheets) > 1 and any("missing column" in e.why for e in errors):
            notes.add(
                f"read sheet {source.sheet!r}; the workbook's sheets are: "
                f"{', '.join(source.sheets)} (choose one with --sheet NAME)"
            )
        return None
    return number, header, columns, itertools.chain(first[chosen + 1 :], rows)


def _other_kind(rows: list[tuple[int, list[str]]], layout: Layout) -> str | None:
    """The kind of file whose required columns one of ``rows`` has, when it is not ``layout``'s
    (a cases file given to import officers)."""
    for kind, other in LAYOUTS.items():
        required = {column.key for column in other.columns if column.required}
        for _, cells in rows:
            found = {c.key for text in cells if (c := _column_named(fold_header(text)[0], other))}
            if other is not layout and required <= found:
                return kind
    return None


def _raise(exc: UnreadableSheet) -> Iterator[tuple[int, list[str]]]:
    """Rows that end in ``exc``: the rest of a file whose reading failed among its first rows."""
    raise exc
    yield  # a generator, so that the error comes after the rows read before it


def _column_named(folded: str, layout: Layout) -> Column | None:
    return next((c for c in layout.columns if folded in c.names()), None)


def _is_footer(cells: list[str], columns: dict[int, Column], layout: Layout) -> bool:
    """A row of totals or signatures under the table: it starts with 合计, 制表人 … and has no
    key of its own."""
    start = next((i for i, cell in enumerate(cells) if cell.strip()), None)
    if start is None:
        return False
    shown = next((c for c in cells[start] if not is_space(c)), "")
    if unicodedata.normalize("NFKC", shown).casefold() not in FOOTER_STARTS:
        return False  # the usual row, told apart by its first character
    first = fold_header(cells[start])[0]
    if not first.startswith(FOOTER_WORDS):
        return False
    keys = [i for i, column in columns.items() if column.key in layout.key]
    return all(i == start or i >= len(cells) or not cells[i].strip() for i in keys)


def _note_cells(
    row: int,
    cells: list[str],
    header: list[str],
    ids: list[int],
    unheaded: list[int],
    notes: _Notes,
) -> None:
    """Note IDs stored as numbers in Excel (``ids``: the indexes of the ID columns), and values
    without a header (``unheaded``: the indexes of the blank headers; and past the header)."""
    for index in ids:
        if index < len(cells) and isinstance(cells[index], NumberText):
            notes.numeric_ids.setdefault(_shown(header[index]), []).append(row)
    for index in itertools.chain(unheaded, range(len(header), len(cells))):
        if index < len(cells) and cells[index].strip():
            notes.unheaded.setdefault(index + 1, []).append(row)


def _width_problem(name: str, row: int, cells: list[str], width: int) -> RowError | None:
    """A CSV row with values past the header's last column (an unquoted comma) or with fewer
    cells than the header has columns (cut short)."""
    if len(cells) < width:
        return RowError(
            name,
            row,
            "",
            "",
            f"{len(cells)} cells but the header has {width} columns: the row is incomplete (the "
            "file may have been cut short, or cells deleted); complete the row",
        )
    extra = [cell for cell in cells[width:] if cell.strip()]
    if not extra:
        return None
    return RowError(
        name,
        row,
        "",
        ",".join(extra),
        f"{len(cells)} cells but {width} columns; quote values that contain a comma, "
        'e.g. "12,500.50"',
    )


def zero_twins(known: set[str]) -> dict[str, list[str]]:
    """officer_ids on record by their digits without leading zeros: what Excel leaves of them."""
    twins: dict[str, list[str]] = {}
    for officer_id in sorted(known):
        twins.setdefault(officer_id.lstrip("0"), []).append(officer_id)
    return twins


def zero_twin(
    officer_id: str, known: set[str], twins: dict[str, list[str]] | None = None
) -> str | None:
    """A known officer_id that differs from ``officer_id`` only by leading zeros (Excel drops
    them), if any. ``twins``, ``zero_twins(known)`` made once for many look-ups, is used
    instead of ``known`` when given."""
    candidates = (twins if twins is not None else zero_twins(known)).get(officer_id.lstrip("0"), [])
    return next((other for other in candidates if other != officer_id), None)


def _shared_id_numbers(
    name: str,
    people: list[tuple[int, str, str, str | None]],
    on_record: list[tuple[str, str, str]],
) -> list[RowError]:
    """Two officers with one ID number: in the file (``people``: row, officer_id, name, ID
    number), or one in the file and one on record (``on_record``: ID number, officer_id,
    name), but for an officer on record whose 执法证号 lost its leading zeros, being
    corrected."""
    in_file = {officer_id.lstrip("0") for _, officer_id, _, _ in people}
    holders: dict[str, str] = {
        id_number: f"officer {officer_id} ({officer_name}) on record"
        for id_number, officer_id, officer_name in on_record
        if officer_id.lstrip("0") not in in_file
    }
    errors = []
    for row, officer_id, officer_name, id_number in people:
        if not id_number:
            continue
        other = holders.get(id_number)
        if other is not None:
            errors.append(
                RowError(
                    name,
                    row,
                    "身份证号",
                    "",
                    f"officer {officer_id} ({officer_name}) has the ID number of {other}; "
                    "one person has one ID number: correct one of them",
                )
            )
        else:
            holders[id_number] = f"officer {officer_id} ({officer_name}), row {row}"
    return errors


def _match_header(
    name: str,
    row: int,
    header: list[str],
    layout: Layout,
    notes: _Notes,
    errors: list[RowError],
) -> dict[int, Column]:
    """Cell index -> column; errors for repeated or missing columns, warnings for unused ones
    (with the known column the header most resembles)."""
    if len(header) == 1 and any(sep in header[0] for sep in (";", "\t")):
        errors.append(
            RowError(
                name,
                row,
                "",
                header[0],
                "columns are separated by ';' or tabs; save the file as CSV (comma delimited)",
            )
        )
        return {}
    columns: dict[int, Column] = {}
    unknown: list[tuple[str, str]] = []
    for index, text in enumerate(header):
        folded, unit = fold_header(text)
        column = _column_named(folded, layout)
        if column is None:
            if folded:
                unknown.append((_shown(text), folded))
        elif column.key in {c.key for c in columns.values()}:
            errors.append(
                RowError(
                    name, row, _shown(text), "", f"a second column for {column.zh}; delete one"
                )
            )
        elif column.parse is parse_money_fen and unit:
            if unit not in YUAN_PER:
                errors.append(
                    RowError(
                        name,
                        row,
                        _shown(text),
                        "",
                        f"amounts must be in 元 or 万元, not {unit}; convert the column and head "
                        f"it {column.zh}(元)",
                    )
                )
                continue
            columns[index] = dataclasses.replace(
                column, parse=functools.partial(parse_money_fen, unit=unit)
            )
        else:
            columns[index] = column
    present = {column.key for column in columns.values()}
    missing = [c for c in layout.columns if c.key not in present]
    for shown, folded in unknown:
        guess = _nearest(folded, missing)
        hint = f"; did you mean {guess}?" if guess else ""
        notes.add(f"column {shown!r} is not used and was ignored{hint}")
    for column in layout.columns:
        if column.required and column.key not in present:
            errors.append(
                RowError(
                    name,
                    row,
                    "",
                    "",
                    f"missing column {column.zh} ({column.english}); add it to the header row",
                )
            )
    return columns


def _nearest(folded: str, columns: list[Column]) -> str | None:
    """The Chinese header of the column whose name ``folded`` most resembles, if any is close."""
    names = {name: column.zh for column in columns for name in column.names()}
    match = difflib.get_close_matches(folded, list(names), n=1, cutoff=0.5)
    return names[match[0]] if match else None


ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}", re.ASCII)  # a resident ID number, old or new


def _private(column: Column, value: str) -> str:
    """A cell as an error message may show it: an ID number masked, in its column or in any
    other (a shifted row) — no full ID numbers in messages."""
    if column.key == "id_number" or ID_LIKE.fullmatch(value.strip()):
        return mask_id_number(value.strip())
    return value


def _cleaner(column: Column) -> Callable[[str], str]:
    """How a cell of this column is cleaned before it is read."""
    if column.key in CODE_FIELDS:
        return compact
    if column.parse is parse_text:
        return parse_text if column.key in FREE_TEXT_FIELDS else name_text
    return cell_value
