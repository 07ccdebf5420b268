"""The command line: parse options, call one core function, hand its value to a view."""

from __future__ import annotations

import io
import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import typer
import typer.core

from casegrade import invocation, lazy
from casegrade.errors import CasegradeError, ImportFailed, Refused, StoreError
from casegrade.intake.layouts import LAYOUTS
from casegrade.intake.values import (
    parse_date,
    parse_money_fen,
    parse_period,
    parse_quarter,
    parse_round,
)
from casegrade.records import Rating

if TYPE_CHECKING:
    from rich.console import Console, RenderableType
    from rich.progress import Progress, TaskID
    from sqlite_utils import Database
    from typer import _click as click

    from casegrade import core, rules, store, views
    from casegrade import policy as policies
    from casegrade.intake import sheets
else:  # loaded by the commands that use them (start-up time)
    core = lazy.Module("casegrade.core", submodules=True)
    views = lazy.Module("casegrade.views", submodules=True)
    store, rules = lazy.Module("casegrade.store"), lazy.Module("casegrade.rules")
    policies, sheets = lazy.Module("casegrade.policy"), lazy.Module("casegrade.intake.sheets")
from casegrade.vocab import Grade, IncidentKind, RatingLevel, parse_enum


def _said_after_success(*_: object, **__: object) -> None:
    for note, copy in NOTES.get([]):
        if copy.exists():  # a command that changed nothing keeps no copy
            echo(note, err=True)


# the commands in the order of the clerk's year, a help section each
PANELS = {
    "导入": ("import", "template"),
    "评定": ("round", "evaluate", "decide", "appoint"),
    "任期": ("roster", "terms", "review", "renew", "history"),
    "届中管理": (
        "rate",
        "ratings",
        "rectify",
        "rectifications",
        "sanction",
        "can-lead",
        "lead-check",
        "reports",
        "bulletin",
    ),
    "输出": ("file", "stats", "status", "officers"),
    "维护": ("policy", "audit", "backup", "restore", "undo", "demo"),
}


class YearGroup(typer.core.TyperGroup):
    """casegrade's commands listed in PANELS' sections (plain help, no Rich at start-up)."""

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        known = {name: self.get_command(ctx, name) for name in self.list_commands(ctx)}
        width = formatter.width - 6 - max(len(name) for name in known)
        for panel, names in PANELS.items():
            rows = [
                (name, command.get_short_help_str(width))
                for name in names
                if (command := known.get(name)) is not None and not command.hidden
            ]
            if rows:
                with formatter.section(panel):
                    formatter.write_dl(rows)


app = typer.Typer(
    cls=YearGroup,
    result_callback=_said_after_success,
    help="案件主办人分级管理: import the bureau's records and evaluate grade applications.",
    no_args_is_help=True,
    add_completion=True,  # casegrade --install-completion: commands and options by Tab
    pretty_exceptions_show_locals=False,  # locals hold names and ID numbers
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
import_app = typer.Typer(
    help="Import a CSV or .xlsx file.\n\nCSV in UTF-8 or GBK; headers in English or Chinese.",
    no_args_is_help=True,
)
policy_app = typer.Typer(
    help="The policy in force: thresholds, windows, case types.", no_args_is_help=True
)
audit_app = typer.Typer()  # its help: the audit callback's
round_app = typer.Typer(help="Rounds (届): evaluation date and term.", no_args_is_help=True)
app.add_typer(import_app, name="import")
app.add_typer(policy_app, name="policy")
app.add_typer(round_app, name="round")
app.add_typer(audit_app, name="audit")

# Wide enough that a table written to a file or pipe is never wrapped to a terminal's 80 columns.
PIPE_WIDTH = 400
# Windows in Chinese writes redirected output in GBK (code page 936), which lacks rare name
# characters (生僻字). GB18030 encodes all of Unicode and is byte-for-byte GBK where GBK has the
# character, so it is what a GBK stream is widened to.
GBK_NAMES = {"gbk", "cp936", "936", "ms936", "gb2312", "euc_cn"}


def _date_option(text: str) -> date:
    try:
        return parse_date(text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


FORCE_OPTION = typer.Option(False, "--force", help="Replace the output file if it exists.")
POLICY_OPTION = typer.Option(
    None, "--policy", help="A revised policy TOML file (default: built-in)."
)


MAY_NOT_LEAD = 3  # can-lead's exit code for "may not lead" (README: Exit codes)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


TABLE_OR_JSON = typer.Option(
    OutputFormat.table, "--format", help="table or json.", metavar="<table|json>"
)
LIST_FORMAT = typer.Option(
    OutputFormat.table, "--format", help="table, json or csv.", metavar="<table|json|csv>"
)


def answer(
    output: OutputFormat,
    as_json: Callable[[], str],
    as_table: Callable[[], RenderableType],
    as_csv: Callable[[], str] | None = None,
) -> None:
    """Print an answer as JSON or CSV (a script's or Excel's, in UTF-8 whatever the console) or
    as a table (the clerk's)."""
    if output is OutputFormat.json:
        write_text(as_json() + "\n", None)
    elif output is OutputFormat.csv and as_csv is not None:
        write_text(as_csv(), None)
    else:
        show(as_table())


def table_or_json(output: OutputFormat) -> None:
    """Refuse --format csv for an answer that is no list of rows: a usage error (exit 2).

    Raises:
        typer.BadParameter: it is csv.
    """
    if output is OutputFormat.csv:
        raise typer.BadParameter(
            "this answer has no CSV form: table or json", param_hint="--format"
        )


# Lines a command says once it has succeeded (where its backup went).
NOTES: ContextVar[list[tuple[str, Path]]] = ContextVar("casegrade_notes")
# The database of the command running, which no output file may overwrite.
DATABASE: ContextVar[Path] = ContextVar("casegrade_database", default=Path("casegrade.db"))


@dataclass(frozen=True)
class Settings:
    """Global options. Attributes: db (path), db_given (True when --db was on the command line)."""

    db: Path
    db_given: bool


def _show_version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            number = version("casegrade")
        except PackageNotFoundError:  # a checkout run without installing it
            number = "(not installed)"
        typer.echo(f"casegrade {number}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None,
        "--db",
        help="The database file, created and migrated on first use "
        "[default: env CASEGRADE_DB, else ./casegrade.db].",
    ),
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
) -> None:
    """案件主办人分级管理: import the bureau's records and evaluate grade applications."""
    widen_output_encoding()
    if db is not None:
        ctx.obj = Settings(db, db_given=True)
    else:
        ctx.obj = Settings(Path(os.environ.get("CASEGRADE_DB") or "casegrade.db"), db_given=False)
    DATABASE.set(ctx.obj.db)
    NOTES.set([])
    invocation.BEFORE_WRITE.set(None)  # a copy is asked for by this command or not at all
    invocation.COMMAND.set(" ".join(["casegrade", *sys.argv[1:]]))


def widen_output_encoding() -> None:
    """Let stdout and stderr write every character: GBK becomes GB18030 (the same bytes where GBK
    has the character); any other encoding that is not Unicode becomes UTF-8."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "_")
        if not hasattr(stream, "reconfigure") or encoding.startswith(("utf", "gb18030")):
            continue
        stream.reconfigure(encoding="gb18030" if encoding in GBK_NAMES else "utf-8")


def database(
    ctx: typer.Context, *, write: bool = False, create: bool = False, backup: str = ""
) -> Database:
    """The database chosen by --db or CASEGRADE_DB. A command that only reads opens it
    read-only and changes nothing; one that writes (``write``) brings an older casegrade's
    database up to date after a backup, and says so; only commands that record something may
    create it (``create``), so that a mistyped path is an error rather than an empty answer.
    With ``backup`` (the command's name), a copy is taken into the backups folder, for
    ``casegrade undo``, once the command's write transaction holds the lock (of exactly what
    the command starts from; removed again if the command fails).

    Raises:
        StoreError: the file does not exist (and may not be created), cannot be opened, or
            cannot be copied.
    """
    path: Path = ctx.obj.db
    if not write:
        return store.open_db(path, write=False)
    if not create and not path.exists():
        raise StoreError(
            f"no database at {path}; check --db or CASEGRADE_DB, or start one by "
            "importing the officers: casegrade import officers FILE"
        )
    db = store.open_db(path, create=create, on_upgrade=_upgrade_backup)
    if backup:
        invocation.BEFORE_WRITE.set(_copier(path, backup))
    return db


def _copier(path: Path, reason: str) -> Callable[[Database], Path] | None:
    """What takes the copy for undo inside the command's transaction (None when the policy keeps
    no copies); the command says where it went once it succeeded."""
    keep = policies.load_policy().backups_kept
    if keep == 0:
        return None

    def take(_: Database) -> Path:
        # Read through a connection of its own: the command's holds the write lock and has not
        # written yet, so the copy is exactly the state it starts from (SQLite's backup cannot
        # read from a connection inside a write transaction).
        copy = core.backups.take(path, path, reason, keep)
        NOTES.get().append((f"Backup before {reason}: {copy} (casegrade undo restores it)", copy))
        return copy

    return take


def _upgrade_backup(path: Path) -> None:
    keep = max(policies.load_policy().backups_kept, 1)  # an upgrade always keeps the old database
    copy = core.backups.take(path, path, "upgrade", keep)
    echo(
        f"{path} was written by an older casegrade; brought up to date, backup first: {copy}",
        err=True,
    )


def console() -> Console:
    """Standard output: a terminal's width, or a wide page when written to a file or pipe."""
    from rich.console import Console

    terminal = Console(highlight=False)
    if terminal.is_terminal or os.environ.get("COLUMNS", "").strip():
        return terminal
    return Console(highlight=False, width=PIPE_WIDTH)


def show(*renderables: RenderableType, to: Path | None = None, force: bool = False) -> None:
    """Print Rich renderables to standard output, or as a wide plain page to the file ``to``
    (UTF-8 with a BOM, which Notepad and Excel read as Chinese)."""
    if to is None:
        out = console()
        for renderable in renderables:
            out.print(views.tables.fitted(renderable, out))
        return
    from rich.console import Console

    page = io.StringIO()
    out = Console(file=page, width=PIPE_WIDTH, highlight=False, color_system=None)
    for renderable in renderables:
        out.print(renderable)
    write_text(page.getvalue(), to, bom=True, force=force)


def fail(exc: CasegradeError) -> NoReturn:
    """Report one of casegrade's errors on stderr and exit 1."""
    message = views.procedure.refusal_text(exc) if isinstance(exc, Refused) else str(exc)
    echo(f"Error: {message}", err=True)
    if isinstance(exc, ImportFailed):
        for error in exc.errors:
            echo(f"  {views.imports.row_error_text(error)}", err=True)
    raise typer.Exit(1)


@contextmanager
def reported() -> Iterator[None]:
    """Turn casegrade's own errors raised inside into a message and exit code 1."""
    try:
        yield
    except CasegradeError as exc:
        fail(exc)


def _import_command(kind: str) -> Callable[..., None]:
    columns = ", ".join(c.zh + ("" if c.required else "（可选）") for c in LAYOUTS[kind].columns)

    def command(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help=f"The {kind} file, .csv or .xlsx."),
        replace: bool = typer.Option(
            False, "--replace", help=f"The file is the full list of {kind}: remove the rest."
        ),
        dry_run: bool = typer.Option(
            False, "--dry-run", help="Report what the import would change; write nothing."
        ),
        yes: bool = typer.Option(
            False, "--yes", help="With --replace: remove without asking (for scripts)."
        ),
        errors: Path | None = typer.Option(
            None, "--errors", help="Write the refused rows with a 问题 column (.csv or .xlsx)."
        ),
        sheet: str | None = typer.Option(
            None, "--sheet", help="The workbook sheet to read (default: the first)."
        ),
        force: bool = FORCE_OPTION,
        policy: Path | None = POLICY_OPTION,
    ) -> None:
        try:
            with RowProgress(file.name) as progress:
                report = core.imports.import_into(
                    ctx.obj.db,
                    kind,
                    file,
                    policies.load_policy(policy),
                    replace=replace,
                    sheet=sheet,
                    dry_run=dry_run,
                    confirm=None if yes else _confirm_removal,
                    before_write=_copier(ctx.obj.db, f"import-{kind}-replace"),
                    on_upgrade=_upgrade_backup,
                    progress=progress,
                )
        except ImportFailed as exc:
            for warning in exc.warnings:
                echo(f"Warning: {warning}", err=True)
            if errors is not None:
                _write_rejects(file, exc, errors, force)
            fail(exc)
        except CasegradeError as exc:
            fail(exc)
        for warning in report.warnings:
            echo(f"Warning: {warning}", err=True)
        for line in views.imports.summary(report):
            echo(line)
        if errors is not None:
            older = f" (the {errors} there is older)" if errors.exists() else ""
            echo(f"No row was refused; {errors} was not written{older}.", err=True)

    command.__doc__ = (
        f"Import {kind}, all or nothing.\n\nImporting the same file again changes nothing; "
        "a corrected file updates the rows it shares, and a column the file lacks leaves the "
        "stored values as they are.\n\n"
        f"Columns (headed in Chinese or English): {columns}.\n\n"
        f"Example: casegrade import {kind} {kind}.csv --dry-run"
    )
    return command


def _confirm_removal(preview: core.imports.ImportReport) -> None:
    """List what --replace would remove; go on only if the clerk says yes at a terminal.

    Raises:
        CasegradeError: not confirmed, or no terminal to ask at and no --yes.
    """
    removed = preview.changes.removed
    echo(f"--replace would remove {len(removed)} {preview.kind} not in {preview.path}:", err=True)
    for line in views.imports.removal(preview):
        echo(line, err=True)
    if not at_terminal():
        raise CasegradeError(
            f"nothing was written: --replace would remove {len(removed)} {preview.kind}; "
            "check the list above, then run again with --yes to remove them"
        )
    if not typer.confirm(f"Remove these {len(removed)} {preview.kind}?", default=False, err=True):
        raise CasegradeError("nothing was written; nothing was removed")


def echo(text: str = "", *, err: bool = False, nl: bool = True) -> None:
    """Print a line without the control characters the records may hold."""
    typer.echo(store.CONTROL.sub("", text), err=err, nl=nl)


def at_terminal() -> bool:
    """Whether a person can be asked: standard input is a terminal."""
    return sys.stdin.isatty()


def _write_rejects(file: Path, failed: ImportFailed, out: Path, force: bool) -> None:
    """Copy the refused rows to ``out`` (.xlsx or CSV) for the office, and say where they
    went."""
    table = views.rejects.rejected_rows(
        file, failed.errors, header_row=failed.header_row, sheet=failed.sheet
    )
    try:
        if sheets.is_workbook(out):
            written = views.outputs.write_workbook(
                out,
                lambda path: views.rejects.save_rejects_workbook(table, path),
                database=_db_path(),
                force=force,
            )
        else:
            written = views.outputs.write_output(
                out, views.rejects.rejects_csv(table), database=_db_path(), force=force, bom=True
            )
    except CasegradeError as exc:
        echo(f"Error: the refused rows were not written: {exc}", err=True)
        return
    echo(f"{len(table) - 1} refused row(s) with their problems written to {written}", err=True)


class RowProgress:
    """A progress line on stderr for long work (a file's rows, a round's applications), shown only
    on a terminal and only once the work has run a second (a short one stays quiet)."""

    AFTER_SECONDS = 1.0

    def __init__(self, what: str, unit: str = "rows") -> None:
        self.what, self.unit = what, unit
        self.started = time.monotonic()
        self.quiet = False
        self.bar: Progress | None = None
        self.task: TaskID | None = None

    def __enter__(self) -> RowProgress:
        return self

    def __call__(self, done: int) -> None:
        if self.bar is None:
            if self.quiet or time.monotonic() - self.started < self.AFTER_SECONDS:
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, TextColumn

            err = Console(stderr=True)
            if not err.is_terminal:
                self.quiet = True  # not a terminal: no line on this run
                return
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                TextColumn(f"{{task.completed:,}} {self.unit}"),
                console=err,
                transient=True,
            )
            self.bar.start()
            self.task = self.bar.add_task(self.what, total=None)
        if self.task is not None:
            self.bar.update(self.task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.stop()


for _kind in LAYOUTS:
    import_app.command(_kind)(_import_command(_kind))


@app.command()
def evaluate(
    ctx: typer.Context,
    round_: str = typer.Option(
        ..., "--round", parser=parse_round, help="The round (届次), e.g. 2026."
    ),
    as_of: date = typer.Option(
        ..., "--as-of", parser=_date_option, metavar="YYYY-MM-DD", help="The evaluation date D."
    ),
    term_start: date | None = typer.Option(
        None,
        "--term-start",
        parser=_date_option,
        metavar="YYYY-MM-DD",
        help="First day of the coming term, for retirement warnings [default: the day after "
        "--as-of].",
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, json or csv."),
    officer: str | None = typer.Option(None, "--officer", help="One officer, every criterion."),
    to_file: Path | None = typer.Option(
        None, "--output", help="Write to this file (CSV with a BOM, so Excel reads the Chinese)."
    ),
    force: bool = FORCE_OPTION,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Check each application of a round against its grade's criteria.

    The results are recorded with the policy version, except with --policy (a "what if").
    Example: casegrade evaluate --round 2026 --as-of 2026-06-30 --officer 0107
    """
    with reported():
        context = rules.Context.on(as_of, policies.load_policy(policy), term_start)
        evaluations = None
        keep = output is OutputFormat.json  # its evidence lists each finding's records
        if policy is None:  # the policy in force: recorded; a --policy file is a "what if"
            try:
                with RowProgress(f"{round_}届", "applications") as progress:
                    evaluations = core.procedure.evaluate_and_record(
                        database(ctx, write=True),
                        round_,
                        context,
                        officer,
                        date.today(),
                        progress,
                        keep_records=keep,
                    )
            except store.ReadOnly as exc:
                echo(f"Warning: not recorded: {exc}", err=True)
        if evaluations is None:
            with RowProgress(f"{round_}届", "applications") as progress:
                evaluations = core.procedure.evaluate_round(
                    database(ctx), round_, context, officer, progress, keep_records=keep
                )
    if output is OutputFormat.json:
        write_text(
            views.export.evaluations_json(evaluations, round_, context) + "\n", to_file, force=force
        )
    elif output is OutputFormat.csv:
        write_text(
            views.export.evaluations_csv(evaluations, context), to_file, bom=True, force=force
        )
    elif officer is not None:
        show(views.evaluation.officer_detail(evaluations[0], context), to=to_file, force=force)
    else:
        table = views.evaluation.evaluation_table(evaluations, round_, context)
        show(table, views.evaluation.summary_text(evaluations), to=to_file, force=force)


def write_text(text: str, path: Path | None, *, bom: bool = False, force: bool = False) -> None:
    """Text to standard output in UTF-8 (whatever the console's code page: JSON and CSV are for
    programs), or to the file ``path`` (with a BOM when ``bom``), never over the database or an
    existing file without ``force``; says where it went."""
    if path is None or str(path) == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(text.encode("utf-8"))
        sys.stdout.buffer.flush()
        return
    with reported():
        written = views.outputs.write_output(path, text, database=_db_path(), force=force, bom=bom)
    echo(f"Written to {written}", err=True)


def _db_path() -> Path:
    """The database of the command running (--db, CASEGRADE_DB or ./casegrade.db): an output
    file is never written over it."""
    return DATABASE.get()


@app.command()
def template(
    kind: str = typer.Argument(..., help=f"What the file holds: {', '.join(LAYOUTS)}."),
    output: Path | None = typer.Option(
        None, "--output", help="The workbook to write [default: KIND模板.xlsx]."
    ),
    force: bool = FORCE_OPTION,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """An empty workbook for the offices to fill in: headers, drop-down lists, instructions.

    Example: casegrade template officers --output 执法人员.xlsx
    """
    if kind not in LAYOUTS:
        raise typer.BadParameter(f"not one of: {', '.join(LAYOUTS)}", param_hint="KIND")
    out = output or Path(f"{kind}模板.xlsx")
    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter(
            "a template is an Excel workbook: name it ….xlsx", param_hint="--output"
        )
    with reported():
        case_types = list(policies.load_policy(policy).case_types)
        written = views.outputs.write_workbook(
            out,
            lambda path: views.templates.write_template(kind, path, case_types),
            database=_db_path(),
            force=force,
        )
    echo(f"{written}: template for casegrade import {kind}")


@app.command()
def demo(ctx: typer.Context) -> None:
    """Evaluate the sample bureau's 169 applications in a new database.

    Uses --db when given (a file that does not exist yet), else a new temporary file; never the
    usual database. Example: casegrade demo
    """
    settings: Settings = ctx.obj
    with reported():
        path = core.sample.demo_database(settings.db if settings.db_given else None)
        done = core.sample.demo(store.open_db(path), policies.load_policy())
    for kind, counts in done.loaded:
        echo(f"{kind}: {counts.added} imported", err=True)
    show(
        views.evaluation.evaluation_table(done.evaluations, core.sample.SAMPLE_ROUND, done.context),
        views.evaluation.summary_text(done.evaluations),
    )
    show(views.procedure.appointment_summary(done.appointed, core.sample.SAMPLE_ROUND))
    where = f'casegrade --db "{path}"'
    sample, start = core.sample.SAMPLE_ROUND, core.sample.SAMPLE_TERM_START
    review_year = start.year + 1
    echo(
        f"\nDemo database: {path}\nTry:\n"
        f"  {where} evaluate --round {sample} --as-of {core.sample.SAMPLE_AS_OF} --officer 0107\n"
        f"  {where} appoint {sample} --on {start}   (who was not appointed, and why)\n"
        f"  {where} roster --as-of {start}\n"
        f"  {where} review {sample} --year {review_year} --on {review_year + 1}-01-10   (a dry run)"
    )


@policy_app.command("show")
def policy_show(policy: Path | None = POLICY_OPTION) -> None:
    """Print the thresholds and settings in force; with --policy, check a revised file.

    Example: casegrade policy show --policy revised.toml
    """
    with reported():
        rules_in_force = policies.load_policy(policy)
    show(views.policy.policy_table(rules_in_force))


@policy_app.command("check")
def policy_check(file: Path = typer.Argument(..., help="The revised policy TOML file.")) -> None:
    """Check a revised policy: keys, types, and thresholds that fall as grades rise.

    Example: casegrade policy check revised.toml
    """
    with reported():
        revised = policies.load_policy(file)
    problems = policies.policy_problems(revised)
    for problem in problems:
        echo(f"Problem: {problem}", err=True)
    if problems:
        raise typer.Exit(1)
    echo(f"{file}: policy {revised.version}, in force from {revised.effective}: no problems")


def _today_option(flag: str, help_text: str) -> date:
    return typer.Option(
        None, flag, parser=_date_option, metavar="YYYY-MM-DD", help=f"{help_text} [default: today]."
    )


def _grade_option(text: str) -> Grade:
    try:
        return parse_enum(Grade, text)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


@round_app.command("create")
def round_create(
    ctx: typer.Context,
    round_: str = typer.Argument(..., metavar="ROUND", parser=parse_round, help="e.g. 2026."),
    evaluate_on: date = typer.Option(
        ...,
        "--evaluate-on",
        parser=_date_option,
        metavar="YYYY-MM-DD",
        help="The evaluation date D (审).",
    ),
    term_start: date = typer.Option(
        ..., "--term-start", parser=_date_option, metavar="YYYY-MM-DD", help="The term's first day."
    ),
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Create a round: its evaluation date and term (the end follows from the policy).

    Example: casegrade round create 2026 --evaluate-on 2026-06-30 --term-start 2026-07-01
    """
    with reported():
        created = core.procedure.create_round(
            database(ctx, write=True, create=True),
            round_,
            evaluate_on,
            term_start,
            policies.load_policy(policy),
        )
    echo(
        f"round {created.round}: evaluated on {created.evaluate_on}, term "
        f"{created.term_start} to {created.term_end}"
    )


@app.command()
def decide(
    ctx: typer.Context,
    round_: str = typer.Argument(..., metavar="ROUND", parser=parse_round),
    officer_id: str = typer.Argument(..., metavar="OFFICER_ID"),
    approve: bool = typer.Option(False, "--approve", help="The committee approves."),
    reject: str | None = typer.Option(
        None, "--reject", metavar="REASON", help="The committee rejects, for this reason."
    ),
    grade: Grade | None = typer.Option(
        None,
        "--grade",
        parser=_grade_option,
        metavar="GRADE",
        help="Approve a lower grade than applied.",
    ),
    on: date | None = _today_option("--on", "The date of the decision"),
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Record the committee's decision (评) on one application.

    Example: casegrade decide 2026 0107 --approve --grade junior --on 2026-06-30
    """
    if approve == (reject is not None):
        raise typer.BadParameter("give either --approve or --reject REASON")
    with reported():
        decision = core.procedure.decide(
            database(ctx, write=True),
            round_,
            officer_id,
            approve=approve,
            grade=grade,
            reason=reject,
            on=on or date.today(),
            policy=policies.load_policy(policy),
        )
    echo(views.procedure.decision_text(decision))


@app.command()
def appoint(
    ctx: typer.Context,
    round_: str = typer.Argument(..., metavar="ROUND", parser=parse_round),
    on: date | None = _today_option("--on", "The date the appointments are recorded"),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Appoint (聘) approved, eligible applicants who passed the exam, for the round's term.

    Example: casegrade appoint 2026
    """
    with reported():
        table_or_json(output)
        db = database(ctx, write=True, backup="appoint")
        result = core.procedure.appoint(
            db, round_, on or date.today(), policies.load_policy(policy)
        )
    answer(
        output,
        lambda: views.export.appointment_json(result, round_),
        lambda: views.procedure.appointment_text(result, round_),
    )


@app.command()
def roster(
    ctx: typer.Context,
    as_of: date | None = _today_option("--as-of", "The day the roster is for"),
    grade: Grade | None = typer.Option(
        None,
        "--grade",
        parser=_grade_option,
        metavar="GRADE",
        help="Only this grade (junior/初级 …).",
    ),
    unit: str | None = typer.Option(None, "--unit", help="Only this unit."),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, json or csv."),
    to_file: Path | None = typer.Option(None, "--output", help="Write to this file."),
    force: bool = FORCE_OPTION,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """List the case handlers holding a grade on a day, past or future.

    Example: casegrade roster --as-of 2027-01-01 --grade senior
    """
    day = as_of or date.today()
    with reported():
        rules_in_force = policies.load_policy(policy)
        found = core.holdings.roster(database(ctx), day, rules_in_force, grade, unit)
    if output is OutputFormat.json:
        write_text(
            views.export.roster_json(found, day, rules_in_force) + "\n", to_file, force=force
        )
    elif output is OutputFormat.csv:
        write_text(
            views.export.roster_csv(found, rules_in_force, day), to_file, bom=True, force=force
        )
    else:
        show(views.holdings.roster_table(found, day, rules_in_force), to=to_file, force=force)


@app.command()
def terms(
    ctx: typer.Context,
    expiring_within: int = typer.Option(
        90,
        "--expiring-within",
        min=0,
        max=3660,
        metavar="DAYS",
        help="Grades ending within this many days.",
    ),
    as_of: date | None = _today_option("--as-of", "Count from this day"),
    output: OutputFormat = LIST_FORMAT,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """List holders whose grade ends soon (term end or retirement).

    Example: casegrade terms --expiring-within 90
    """
    day = as_of or date.today()
    with reported():
        rules_in_force = policies.load_policy(policy)
        found = core.holdings.expiring(database(ctx), day, expiring_within, rules_in_force)
    answer(
        output,
        lambda: views.export.terms_json(found, day, expiring_within, rules_in_force),
        lambda: views.holdings.expiring_table(found, day, expiring_within),
        lambda: views.export.roster_csv(found, rules_in_force, day),
    )


@app.command()
def review(
    ctx: typer.Context,
    round_: str = typer.Argument(..., metavar="ROUND", parser=parse_round),
    year: int = typer.Option(..., "--year", min=1900, max=2100, help="The calendar year reviewed."),
    on: date | None = _today_option("--on", "The review date; eliminations take effect on it"),
    apply: bool = typer.Option(
        False, "--apply", help="Record the eliminations (default: a dry run)."
    ),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """The annual review (届中年度考核): who is eliminated, and why. A dry run unless --apply.

    Example: casegrade review 2026 --year 2027 --on 2028-01-10 --apply
    """
    with reported():
        table_or_json(output)
        rules_in_force = policies.load_policy(policy)
        db = database(ctx, write=apply, backup="review" if apply else "")
        result = core.review.review(db, round_, year, on or date.today(), rules_in_force, apply)
    answer(
        output,
        lambda: views.export.review_json(result),
        lambda: views.review.review_table(result, rules_in_force),
    )


@app.command()
def renew(
    ctx: typer.Context,
    as_of: date | None = _today_option("--as-of", "The day of the renewal"),
    apply: bool = typer.Option(
        False, "--apply", help="Carry out due reviews (default: a dry run)."
    ),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """The yearly renewal for a script: ended terms, and annual reviews that are due.

    Example (cron, 31 January each year): casegrade renew --apply
    """
    day = as_of or date.today()
    with reported():
        table_or_json(output)
        rules_in_force = policies.load_policy(policy)
        db = database(ctx, write=apply, backup="renew" if apply else "")
        result = core.review.renew(db, day, rules_in_force, apply)
    answer(
        output,
        lambda: views.export.renew_json(result, day, apply),
        lambda: views.review.renew_text(result, day, rules_in_force, apply),
    )


@app.command()
def history(
    ctx: typer.Context,
    officer_id: str = typer.Argument(
        ..., metavar="OFFICER", help="执法证号, or a name only one officer has."
    ),
    as_of: date | None = _today_option("--as-of", "Events after this day are shown as scheduled"),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Every grade an officer applied for and held, with dates and reasons.

    Example: casegrade history 0101
    """
    with reported():
        table_or_json(output)
        db = database(ctx)
        officer = core.officers.officer(db, officer_id)  # or a name only they have
        rules = policies.load_policy(policy)
        events = core.holdings.history(db, officer.officer_id, as_of or date.today(), rules)
    answer(
        output,
        lambda: views.export.history_json(officer.officer_id, officer.name, events),
        lambda: views.holdings.history_table(officer.officer_id, officer.name, events, rules),
    )


@audit_app.callback(invoke_without_command=True)
def audit(
    ctx: typer.Context,
    last: int = typer.Option(
        20, "--last", min=1, max=1_000_000, help="How many entries, newest last."
    ),
    officer: str | None = typer.Option(None, "--officer", help="Only about this officer."),
    since: date | None = typer.Option(
        None, "--since", parser=_date_option, metavar="YYYY-MM-DD", help="Only from this day."
    ),
    table: str | None = typer.Option(None, "--table", help="Only this kind of record."),
    show_id: bool = typer.Option(False, "--show-id", help="Show ID numbers in full."),
    output: OutputFormat = TABLE_OR_JSON,
) -> None:
    """The latest changes to the records: when, who, which command, what, old and new values.

    Example: casegrade audit --officer 0101 --since 2027-01-01
    """
    if ctx.invoked_subcommand is not None:
        return
    if table is not None and table not in core.audit.TABLES:
        raise typer.BadParameter(
            f"not one of: {', '.join(core.audit.TABLES)}", param_hint="--table"
        )
    with reported():
        table_or_json(output)
        entries = core.audit.entries(
            database(ctx), last, officer_id=officer, since=since, table=table
        )
    if output is OutputFormat.json:
        write_text(views.audit.audit_json(entries, show_id) + "\n", None)
        return
    if not entries:
        echo("No audit entries match.", err=True)
    for line in views.audit.audit_lines(entries, show_id, officer):
        echo(line)


@audit_app.command("verify")
def audit_verify(ctx: typer.Context) -> None:
    """Check that the audit was not changed outside casegrade, and that it explains every record.

    Example: casegrade audit verify
    """
    with reported():
        problems = core.audit.verify(database(ctx), ctx.obj.db)
    for line in views.audit.problem_lines(problems):
        echo(line)
    if problems:
        fail(CasegradeError(f"the audit check found {len(problems)} problem(s), listed above"))
    echo("The audit is intact and explains every record.")


@app.command()
def backup(
    ctx: typer.Context,
    output: Path | None = typer.Option(
        None, "--output", help="The copy to write (a new file) [default: in the backups folder]."
    ),
) -> None:
    """Copy the database (safe while others use it).

    Example: casegrade backup --output casegrade-2027.db
    """
    with reported():
        copy = core.backups.save_copy(ctx.obj.db, output)
    echo(f"Backup written to {copy}")


@app.command()
def restore(
    ctx: typer.Context,
    copy: Path = typer.Argument(..., help="The backup to restore."),
    yes: bool = typer.Option(False, "--yes", help="Restore without asking (for scripts)."),
) -> None:
    """Replace the database with a backup (checked first; the current one is kept aside).

    Example: casegrade restore backups/casegrade-20270110-manual.db
    """
    path: Path = ctx.obj.db
    with reported():
        core.backups.check_copy(copy)
        _agree(f"Replace {path} with {copy}?", yes)
        kept = core.backups.restore(path, copy)
    echo(f"{path} restored from {copy}; what it held is kept at {kept}")


@app.command()
def undo(
    ctx: typer.Context,
    yes: bool = typer.Option(False, "--yes", help="Undo without asking (for scripts)."),
    show_id: bool = typer.Option(False, "--show-id", help="Show ID numbers in full."),
) -> None:
    """Take back the last command that changed many records (import --replace, appoint, review
    --apply, renew --apply): show what it changed, then restore the backup taken before it.

    Example: casegrade undo
    """
    path: Path = ctx.obj.db
    with reported():
        found = core.backups.last_change(database(ctx), path)
        echo(f"The backup {found.copy.name} was taken before the last such command; since then:")
        for line in views.audit.audit_lines(found.changes, show_id):
            echo(f"  {line}")
        _agree(f"Undo these {len(found.changes)} change(s)?", yes)
        kept = core.backups.undo(database(ctx), path, found)
    echo(f"{path} restored from {found.copy}; what it held is kept at {kept}")


def _agree(question: str, yes: bool) -> None:
    """Go on only with --yes, or when the clerk says yes at a terminal.

    Raises:
        CasegradeError: not agreed.
    """
    if yes:
        return
    if not at_terminal():
        raise CasegradeError("nothing was changed: run again with --yes to go ahead")
    if not typer.confirm(question, default=False, err=True):
        raise CasegradeError("nothing was changed")


def _option(parse: Callable[[str], object]) -> Callable[[str], object]:
    """A typer parser from one of ours: its ValueError becomes a usage error (exit 2)."""

    def parser(text: str) -> object:
        try:
            return parse(text)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from None

    return parser


def _enum_option(enum: type) -> Callable[[str], object]:
    return _option(lambda text: parse_enum(enum, text))


_period_option = _option(parse_period)
_quarter_option = _option(parse_quarter)
_money_option = _option(parse_money_fen)


@app.command()
def rate(
    ctx: typer.Context,
    officer_id: str = typer.Argument(..., metavar="OFFICER_ID"),
    period: str = typer.Argument(
        ..., metavar="PERIOD", parser=_period_option, help="The half-year: 2026H2 or 2026下半年."
    ),
    level: RatingLevel = typer.Argument(
        ...,
        metavar="LEVEL",
        parser=_enum_option(RatingLevel),
        help="excellent/优秀, good/良好, pass/合格, fail/不合格.",
    ),
    on: date | None = _today_option("--on", "The day of the rating"),
    note: str = typer.Option("", "--note", help="考核意见."),
    correct: bool = typer.Option(False, "--correct", help="Replace the rating on record."),
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Record a holder's semiannual rating (半年考核); 不合格 opens a rectification.

    Example: casegrade rate 0101 2028H1 fail --on 2028-07-05 --note "文书不规范"
    """
    with reported():
        rules_in_force = policies.load_policy(policy)
        saved = core.ratings.rate(
            database(ctx, write=True),
            Rating(officer_id, period, level, on or date.today(), note),
            rules_in_force,
            correct,
        )
    echo(views.supervision.rated_text(saved))


@app.command()
def ratings(
    ctx: typer.Context,
    period: str = typer.Option(
        ..., "--period", parser=_period_option, metavar="PERIOD", help="The half-year: 2026H2."
    ),
    output: OutputFormat = LIST_FORMAT,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """List a half-year's ratings: commended, advised, to rectify within a quarter.

    Example: casegrade ratings --period 2026H2
    """
    with reported():
        rules_in_force = policies.load_policy(policy)
        found = core.ratings.ratings(database(ctx), rules_in_force, period)
    answer(
        output,
        lambda: views.export.ratings_json(found),
        lambda: views.supervision.ratings_table(found, period),
        lambda: views.export.ratings_csv(found),
    )


@app.command()
def rectify(
    ctx: typer.Context,
    officer_id: str = typer.Argument(..., metavar="OFFICER_ID"),
    on: date | None = _today_option("--on", "The day the rectification was completed"),
    period: str | None = typer.Option(
        None,
        "--period",
        parser=_period_option,
        metavar="PERIOD",
        help="Which half-year's [default: the oldest open one].",
    ),
) -> None:
    """Record that an officer's rectification is complete (整改完成).

    Example: casegrade rectify 0705 --on 2027-03-01
    """
    with reported():
        done = core.ratings.rectify(
            database(ctx, write=True), officer_id, on or date.today(), period
        )
    echo(f"{officer_id} {done.period}: rectified on {done.rectified_on}")


@app.command()
def rectifications(
    ctx: typer.Context,
    overdue: bool = typer.Option(False, "--overdue", help="Only those past their deadline."),
    as_of: date | None = _today_option("--as-of", "The day to judge deadlines on"),
    output: OutputFormat = LIST_FORMAT,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """List open rectifications and their deadlines (rating date + 3 months).

    Example: casegrade rectifications --overdue
    """
    day = as_of or date.today()
    with reported():
        rules_in_force = policies.load_policy(policy)
        found = core.ratings.rectifications(database(ctx), day, rules_in_force, overdue)
    answer(
        output,
        lambda: views.export.ratings_json(found, day),
        lambda: views.supervision.rectifications_table(found, day, overdue),
        lambda: views.export.ratings_csv(found, day),
    )


@app.command()
def sanction(
    ctx: typer.Context,
    officer_id: str = typer.Argument(..., metavar="OFFICER_ID"),
    kind: IncidentKind = typer.Option(
        ...,
        "--kind",
        parser=_enum_option(IncidentKind),
        metavar="KIND",
        help="dereliction/失职, malfeasance/渎职, "
        "unlawful_handling/违法办案, procedure_violation/不按程序办案.",
    ),
    on: date | None = _today_option("--on", "The day it takes effect"),
    disqualify: bool = typer.Option(False, "--disqualify", help="Disqualify, not demote."),
    note: str = typer.Option("", "--note", help="What happened."),
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Demote a holder one grade (a junior is disqualified), or disqualify (届中管理).

    Example: casegrade sanction 0101 --kind dereliction --on 2027-05-01 --note "超期送达"
    """
    day = on or date.today()
    with reported():
        held, after = core.sanctions.sanction(
            database(ctx, write=True),
            officer_id,
            kind,
            day,
            disqualify,
            note,
            policies.load_policy(policy),
        )
    show(views.supervision.sanction_text(held, after, day))


@app.command("can-lead")
def can_lead(
    ctx: typer.Context,
    officer_id: str = typer.Argument(
        ..., metavar="OFFICER", help="执法证号, or a name only one officer has."
    ),
    case_type: str | None = typer.Option(None, "--case-type", help="案件类型, e.g. 商业贿赂."),
    value: int | None = typer.Option(
        None, "--value", parser=_money_option, metavar="YUAN", help="案值 in yuan."
    ),
    complex_: bool = typer.Option(False, "--complex", help="复杂疑难."),
    case_number: str | None = typer.Option(
        None, "--case-number", help="A recorded case instead of type and value."
    ),
    on: date | None = _today_option("--on", "The day (for a recorded case: its decision date)"),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """May this officer lead this case, and which rule decides: its type, its value, or its
    being complex. Exit code 3 if not.

    Example: casegrade can-lead 0101 --case-type 商业贿赂 --value 8000
    """
    by_record = case_number is not None
    if by_record == (case_type is not None or value is not None) or (
        not by_record and (case_type is None or value is None)
    ):
        raise typer.BadParameter("give --case-type and --value, or --case-number alone")
    with reported():
        table_or_json(output)
        rules_in_force = policies.load_policy(policy)
        db = database(ctx)
        officer = core.officers.officer(db, officer_id)
        if case_number is not None:  # by_record
            found, case = core.leading.can_lead_case(db, officer, case_number, on, rules_in_force)
            case_type, value, complex_ = case.case_type, case.case_value_fen, case.complex
        else:
            # checked above: without --case-number, --case-type and --value are both given
            assert case_type is not None and value is not None
            found = core.leading.can_lead(
                db, officer, case_type, value, complex_, on or date.today(), rules_in_force
            )
    answer(
        output,
        lambda: views.export.lead_answer_json(found, case_type, value, complex_, case_number),
        lambda: views.supervision.lead_answer_text(
            found, case_type, value, complex_, rules_in_force
        ),
    )
    if not found.allowed:
        raise typer.Exit(MAY_NOT_LEAD)


@app.command("lead-check")
def lead_check(
    ctx: typer.Context,
    output: OutputFormat = LIST_FORMAT,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """List recorded cases led by someone whose grade on the decision date was too low.

    Example: casegrade lead-check
    """
    with reported():
        found = core.leading.lead_check(database(ctx), policies.load_policy(policy))
    answer(
        output,
        lambda: views.export.lead_check_json(found),
        lambda: views.supervision.lead_check_table(found),
        lambda: views.export.lead_check_csv(found),
    )


@app.command()
def reports(
    ctx: typer.Context,
    year: int = typer.Option(..., "--year", min=1900, max=2100, help="The calendar year."),
    short: bool = typer.Option(False, "--short", help="Only holders short of the quota."),
    output: OutputFormat = LIST_FORMAT,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Research reports (调研报告) per holder in a year, against the yearly quota (2).

    Example: casegrade reports --year 2027 --short
    """
    with reported():
        rules_in_force = policies.load_policy(policy)
        found = core.figures.report_counts(database(ctx), year, rules_in_force)
    quota = rules_in_force.reports_per_year
    answer(
        output,
        lambda: views.export.reports_json(found, year, quota, short),
        lambda: views.supervision.reports_table(found, year, quota, short),
        lambda: views.export.reports_csv(found, quota, short),
    )


@app.command()
def bulletin(
    ctx: typer.Context,
    quarter: str = typer.Option(
        ...,
        "--quarter",
        parser=_quarter_option,
        metavar="QUARTER",
        help="The quarter, e.g. 2027Q1.",
    ),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """The quarterly bulletin (季通报): per holder, the cases led in the quarter.

    Example: casegrade bulletin --quarter 2027Q1
    """
    with reported():
        table_or_json(output)
        found = core.figures.bulletin(database(ctx), quarter, policies.load_policy(policy))
    answer(
        output,
        lambda: views.export.bulletin_json(found),
        lambda: views.supervision.bulletin_table(found),
    )


class FileFormat(StrEnum):
    table = "table"
    json = "json"
    html = "html"


@app.command("file")
def personal_file(
    ctx: typer.Context,
    officer_id: str = typer.Argument(
        ..., metavar="OFFICER", help="执法证号, or a name only one officer has."
    ),
    output: FileFormat = typer.Option(FileFormat.table, "--format", help="table, json or html."),
    show_id: bool = typer.Option(False, "--show-id", help="Show the full ID number."),
    as_of: date | None = _today_option("--as-of", "The day the file is as of"),
    to_file: Path | None = typer.Option(None, "--output", help="Write to this file."),
    force: bool = FORCE_OPTION,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """The personal file (一人一档): everything on record for one officer.

    Example: casegrade file 0101 --format html --output 0101.html
    """
    with reported():
        db = database(ctx)
        found = core.personal_file.personal_file(
            db,
            core.officers.officer(db, officer_id),
            as_of or date.today(),
            policies.load_policy(policy),
        )
    if output is FileFormat.html:
        write_text(views.personal_file.html_page(found, show_id), to_file, force=force)
    elif output is FileFormat.json:
        write_text(views.export.personal_file_json(found, show_id) + "\n", to_file, force=force)
    else:
        show(views.personal_file.personal_file_view(found, show_id), to=to_file, force=force)


@app.command()
def status(
    ctx: typer.Context,
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """The database at a glance: where it is, its schema and policy version, how many records
    of each kind, the rounds and how far each has gone, the last file imported of each kind.

    Example: casegrade status
    """
    with reported():
        table_or_json(output)
        found = core.status.status(database(ctx), ctx.obj.db, policies.load_policy(policy))
    answer(output, lambda: views.status.status_json(found), lambda: views.status.status_view(found))


@app.command()
def officers(
    ctx: typer.Context,
    name: str | None = typer.Option(
        None, "--name", help="Part of a name: 张 finds 张伟 and 李张.", metavar="<text>"
    ),
    output: OutputFormat = TABLE_OR_JSON,
) -> None:
    """Find officers by name, or list them all. history, file and can-lead take a name that
    only one officer has in place of the 执法证号.

    Example: casegrade officers --name 张
    """
    with reported():
        table_or_json(output)
        db = database(ctx)
        found = core.officers.find(db, name) if name else store.officers(db)
    answer(
        output,
        lambda: views.status.officers_json(found),
        lambda: views.status.officers_view(found, name),
    )


@app.command()
def stats(
    ctx: typer.Context,
    round_: str | None = typer.Option(
        None,
        "--round",
        parser=parse_round,
        help="The round [default: the latest with applications].",
    ),
    output: OutputFormat = TABLE_OR_JSON,
    policy: Path | None = POLICY_OPTION,
) -> None:
    """The round in figures, in the words of the bureau's own account, and applicants by unit.

    Example: casegrade stats --round 2026
    """
    with reported():
        table_or_json(output)
        figures = core.figures.round_figures(database(ctx), policies.load_policy(policy), round_)
    if output is OutputFormat.json:
        write_text(views.export.figures_json(figures) + "\n", None)
    else:
        show(views.supervision.figures_text(figures), views.supervision.units_table(figures))
