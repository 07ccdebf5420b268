"""Importing a file of any kind: read it (intake), check it against the records and the rules of the
matching command, and write it in one IMMEDIATE transaction, or nothing at all; or build a new
database from it in memory. The report says what changed, field by field.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from casegrade import invocation, store
from casegrade.core import procedure, ratings
from casegrade.errors import ImportFailed, RowError
from casegrade.intake.layouts import LAYOUTS
from casegrade.intake.reader import ParsedFile, parse_file
from casegrade.policy import Policy


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, on a dry run, would do).

    Attributes:
        kind: the kind of file ("officers" …).
        path: the file.
        changes: the rows added, changed (old and new values), unchanged and removed.
        warnings: what the clerk should know that did not stop the import.
        labels: field -> its header, as the clerk knows the column (身份证号 for id_number).
        written: False on a dry run: nothing was written.
        replace: the file replaced the full set of its kind (rows not in it removed).
    """

    kind: str
    path: Path
    changes: store.Changes
    warnings: list[str]
    labels: dict[str, str]
    written: bool
    replace: bool = False

    def typed(self, row: dict[str, Any] | None) -> dict[str, Any]:
        """A stored row of the report's kind with its values as the record holds them (dates,
        enums, booleans), by column; {} for no row."""
        return store.typed_row(self.kind, row or {})


# kind -> the checks its records pass besides the file's own, as the matching command checks them
# (decide, rate): (db, parsed file, policy) -> (the records to store, the rows refused)
RecordCheck = Callable[[Database, ParsedFile, Policy], tuple[list[Any], list[RowError]]]
CHECKS: dict[str, RecordCheck] = {
    "decisions": procedure.checked_decisions,
    "ratings": ratings.checked_ratings,
}
# kinds whose rows an appointment follows from (S1.2 审考评聘): they may not change under it
BEHIND_APPOINTMENT = ("applications", *store.BELONG_TO["applications"])
# the records an elimination rests on, by table: the fields whose change would change the ground
# (a removal always would; an incident's note is only words)
GROUNDS_READ = {"assessments": ("result",), "complaints": ("dismissed",), "incidents": ()}
# kinds whose checks read the file's records (few rows): read back from the stage into memory
READ_WHOLE = frozenset({*CHECKS, *BEHIND_APPOINTMENT, *GROUNDS_READ})


def import_file(
    db: Database,
    kind: str,
    path: Path,
    policy: Policy,
    *,
    replace: bool = False,
    sheet: str | None = None,
    dry_run: bool = False,
    removing: list[tuple] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import one CSV or .xlsx file of ``kind`` (a key of intake.layouts.LAYOUTS: "officers",
    "honors", "cases", "applications", "exams", "decisions", "assessments", "complaints",
    "incidents", "ratings", "reports", "trainings"), checked and written in one IMMEDIATE
    transaction. A column the file lacks leaves the stored values of that field as they are.
    With ``replace`` the file is the full set of that kind and rows not in it are removed (an
    empty file never replaces anything). Decisions are checked as ``casegrade decide`` checks
    them, ratings as ``casegrade rate`` does.

    Args:
        dry_run: work out the report and write nothing.
        removing: the keys the clerk agreed to remove, from an earlier dry run: if the import
            would now remove others, nothing is written.
        sheet, progress: as for ``intake.reader.parse_file``.

    Raises:
        ImportFailed: any bad row (with the warnings); the database is unchanged.
        StoreError: the database refused the rows, or the rows to remove changed since the
            clerk agreed; the database is unchanged.
    """
    store.for_bulk(db)
    with store.reading(db) if dry_run else store.immediate(db):
        changes, parsed = _planned(db, kind, path, policy, replace, sheet, progress)
        if removing is not None and [change.key for change in changes.removed] != removing:
            raise store.StoreError(
                f"the {kind} on record changed while you were asked; nothing was written; "
                "run the import again"
            )
        if not dry_run:
            token = invocation.SOURCE.set((str(path), _sha256(path)))
            try:
                store.apply(db, changes)
            finally:
                invocation.SOURCE.reset(token)
    labels = {column.key: column.zh for column in LAYOUTS[kind].columns}
    return ImportReport(kind, path, changes, parsed.warnings, labels, not dry_run, replace)


def import_into(
    database: Path,
    kind: str,
    path: Path,
    policy: Policy,
    *,
    replace: bool = False,
    sheet: str | None = None,
    dry_run: bool = False,
    confirm: Callable[[ImportReport], None] | None = None,
    before_write: Callable[[Database], Path] | None = None,
    on_upgrade: Callable[[Path], None] | None = None,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """``import_file`` into the database at ``database``. Where there is none yet, the new
    database is built in memory and written there only if the import succeeds (a failed import
    or a dry run leaves no file). With ``replace`` and ``confirm``, the rows the import would
    remove are shown to ``confirm`` first (a preview), which raises to stop; the import then
    writes only if it still removes exactly those. A ``replace`` import first calls
    ``before_write(db)`` inside its transaction (a copy for ``casegrade undo``, removed if the
    import fails). An older database is brought up to date after ``on_upgrade(path)``. A dry
    run opens the database read-only.

    Raises:
        ImportFailed, StoreError: as ``import_file``; whatever ``confirm`` raises.
    """
    new = not database.exists()
    db = (
        store.new_database()
        if new
        else store.open_db(database, write=not dry_run, on_upgrade=on_upgrade)
    )
    removing = None
    if replace and not dry_run and confirm is not None:
        preview = import_file(
            db, kind, path, policy, replace=True, sheet=sheet, dry_run=True, progress=progress
        )
        removing = [change.key for change in preview.changes.removed]
        if removing:
            confirm(preview)
    if replace and not dry_run and not new:
        invocation.BEFORE_WRITE.set(before_write)
    report = import_file(
        db,
        kind,
        path,
        policy,
        replace=replace,
        sheet=sheet,
        dry_run=dry_run,
        removing=removing,
        progress=progress,
    )
    if new and not dry_run:
        store.write_new(db, database)
    return report


def _sha256(path: Path) -> str:
    """The file's SHA-256, for the audit: which file exactly was imported."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _planned(
    db: Database,
    kind: str,
    path: Path,
    policy: Policy,
    replace: bool,
    sheet: str | None,
    progress: Callable[[int], None] | None,
) -> tuple[store.Changes, ParsedFile]:
    """The file read into the stage and checked against the records, and what saving it
    would change. Only the records of the kinds whose checks read them are held in memory.

    Raises:
        ImportFailed: any bad row, with the warnings.
    """
    layout = LAYOUTS[kind]
    case_types = set(policy.case_types) if layout.has("case_type") else None
    applications = None
    if layout.of_application:
        applications = {(app.round, app.officer_id) for app in store.all_applications(db)}
    id_numbers = None
    if kind == "officers":
        id_numbers = [
            (o.id_number, o.officer_id, o.name) for o in store.officers(db) if o.id_number
        ]
    stage = store.Stage(db, kind)
    parsed = parse_file(
        path,
        layout,
        store.officer_ids(db),
        case_types,
        applications,
        stored=functools.partial(store.stored_of, db, kind),
        id_numbers=id_numbers,
        sheet=sheet,
        collect=True,
        progress=progress,
        sink=stage.add,
    )
    errors = parsed.errors + _repeated(stage, parsed)
    if kind in READ_WHOLE:
        for row, record in stage.records():
            parsed.rows.append(row)
            parsed.records.append(record)
    if kind in BEHIND_APPOINTMENT:
        errors += _appointed_changes(db, kind, parsed, replace)
    if kind in CHECKS:
        records, problems = CHECKS[kind](db, parsed, policy)
        errors += problems
        stage = store.Stage(db, kind)  # staged again as the checks left them (signed …)
        stage.add(zip(parsed.rows, records, strict=True))
    if replace and not stage.size and not errors:
        errors.append(
            RowError(
                str(path),
                0,
                "",
                "",
                f"the file has no rows: --replace with it would remove every {kind[:-1]} on "
                "record; an empty file never replaces anything",
            )
        )
    changes = stage.plan(replace=replace)
    if changes.removed:
        errors += _still_named(db, kind, path, changes.removed)
    if kind in GROUNDS_READ:
        errors += _grounds_changed(db, kind, parsed, changes)
    if errors:
        raise ImportFailed(
            sorted(errors, key=lambda e: e.row), parsed.warnings, parsed.header_row, parsed.sheet
        )
    parsed.warnings.extend(_renamed_keys(path, stage))
    return changes, parsed


def _repeated(stage: store.Stage, parsed: ParsedFile) -> list[RowError]:
    """A row for each row whose key an earlier row of the file has, naming the key's columns
    and that first row (with three rows of one key, the second and third name the first)."""
    layout = parsed.layout
    columns = " / ".join(layout.column(key).zh for key in layout.key)
    return [
        RowError(
            str(parsed.path),
            row,
            columns,
            " / ".join(map(str, key)),
            f"repeats row {first} exactly; delete this row"
            if same
            else f"has the {columns} of row {first} with other values; keep the right row and "
            "delete the other",
        )
        for row, first, key, same in stage.repeated()
    ]


def _grounds_changed(
    db: Database, kind: str, parsed: ParsedFile, changes: store.Changes
) -> list[RowError]:
    """Rows that would change or remove a record an elimination rests on (S1.3): the
    elimination would no longer follow from its records, so they keep theirs."""
    touched = [c for c in changes.changed if set(c.fields) & set(GROUNDS_READ[kind])]
    touched += changes.removed
    resting = store.resting_on(db, kind, [change.key for change in touched])
    layout = LAYOUTS[kind]
    rows = {
        tuple(str(part) for part in layout.key_of(record)): row
        for record, row in zip(parsed.records, parsed.rows, strict=True)
    }
    errors = []
    for change in touched:
        for revocation in resting.get(change.key, []):
            what = "remove" if change.new is None else "change"
            errors.append(
                RowError(
                    str(parsed.path),
                    rows.get(tuple(str(part) for part in change.key), 0),
                    "",
                    " / ".join(map(str, change.key)),
                    f"the elimination of {revocation.officer_id} (round {revocation.round}, "
                    f"from {revocation.effective_on}) rests on this record; an import cannot "
                    f"{what} it. If the record was wrong, take back that review (casegrade "
                    "undo, or casegrade restore with the copy taken before it), correct the "
                    "record and review again",
                )
            )
    return errors


def _still_named(
    db: Database, kind: str, path: Path, removed: Sequence[store.RowChange]
) -> list[RowError]:
    """Rows that --replace would remove although other records still name them (an officer
    named by cases …)."""
    named = store.references(db, kind, [change.key for change in removed])
    key = LAYOUTS[kind].key
    column = LAYOUTS[kind].column(key[0]).zh if len(key) == 1 else ""
    errors = []
    for change in removed:
        uses = named.get(change.key)
        if not uses:
            continue
        what = ", ".join(
            f"{count} {TABLE_WORDS.get(table, table)}" for table, count in uses.items()
        )
        who = " / ".join(map(str, change.key))
        if change.old and change.old.get("name") and kind == "officers":
            who += f" ({change.old['name']})"
        errors.append(
            RowError(
                str(path),
                0,
                column,
                who,
                f"not in the file, but still named by {what}; keep the row in the file, or "
                "first remove or correct those records (import them with --replace)",
            )
        )
    return errors


# table -> how a count of its rows reads ("3 cases, 1 application")
TABLE_WORDS = {
    "cases": "case(s)",
    "honors": "honor(s)",
    "applications": "application(s)",
    "exams": "exam(s)",
    "decisions": "decision(s)",
    "appointments": "appointment(s)",
    "revocations": "elimination(s)",
    "assessments": "annual assessment(s)",
    "complaints": "complaint(s)",
    "incidents": "incident(s)",
    "evaluations": "recorded evaluation(s)",
    "sanctions": "sanction(s)",
    "ratings": "rating(s)",
    "reports": "report(s)",
    "trainings": "training(s)",
}


def _renamed_keys(path: Path, stage: store.Stage) -> list[str]:
    """Warnings for new rows that equal a stored row the file does not have in every field but
    one field of the key: most likely a corrected key (案号, 荣誉名称), which leaves the old row
    on record, counted too, unless the file is imported with --replace."""
    return [
        f"{path}: row {row}: {new[position]!r} is new but equals {' / '.join(map(str, old))} on "
        f"record in all else: if it corrects {old[position]!r}, import the full file with "
        "--replace, or the old row stays and counts too"
        for row, position, new, old in stage.renamed()
    ]


def _appointed_changes(
    db: Database, kind: str, parsed: ParsedFile, replace: bool
) -> list[RowError]:
    """Rows that would change or remove the application, exam or decision behind an
    appointment: the appointment would no longer follow from its records (S1.2 审考评聘 in
    order)."""
    appointed = {(a.round, a.officer_id): a for a in store.appointments(db)}
    stored = {(r.round, r.officer_id): r for r in store.stored(db, kind).values()}
    errors = []
    for record, row in zip(parsed.records, parsed.rows, strict=True):
        key = (record.round, record.officer_id)
        old = stored.get(key)
        if (
            key in appointed
            and old is not None
            and _comparable(kind, old, old) != _comparable(kind, record, old)
        ):
            errors.append(
                RowError(
                    str(parsed.path),
                    row,
                    "",
                    record.officer_id,
                    f"appointed in round {record.round} on "
                    f"{appointed[key].appointed_on}; its {kind[:-1]} can no "
                    "longer change",
                )
            )
    if replace:
        kept = {(r.round, r.officer_id) for r in parsed.records}
        errors += [
            RowError(
                str(parsed.path),
                0,
                "",
                officer_id,
                f"appointed in round {round_}; its {kind[:-1]} cannot be removed",
            )
            for round_, officer_id in sorted(set(appointed) & set(stored) - kept)
        ]
    return errors


def _comparable(kind: str, record: Any, stored: Any) -> Any:
    """A record as imported, to compare with ``stored``: a decision without who recorded it and
    under which policy, and with the stored grade where the file leaves the grade unwritten (the
    grade applied for)."""
    if kind != "decisions":
        return record
    grade = record.grade if record.grade is not None or not record.approved else stored.grade
    return dataclasses.replace(record, grade=grade, recorded_by="", policy_version="")
