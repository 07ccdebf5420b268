"""The command line: parse options, call the jobs, render the answer."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import NoReturn

import typer
from rich.console import Console, RenderableType

from casegrade import jobs, render
from casegrade.errors import CasegradeError
from casegrade.importers import LAYOUTS, ImportFailed
from casegrade.policy import load_policy
from casegrade.rules import Context
from casegrade.store import open_db

app = typer.Typer(
    help="案件主办人分级管理: import the bureau's records and evaluate grade applications.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals hold names and ID numbers
    rich_markup_mode=None,
)
import_app = typer.Typer(
    help="Import a CSV file (UTF-8 or GBK, English or Chinese headers).", no_args_is_help=True
)
policy_app = typer.Typer(
    help="The policy in force: thresholds, windows, case types.", no_args_is_help=True
)
app.add_typer(import_app, name="import")
app.add_typer(policy_app, name="policy")

# Wide enough that a table written to a file or pipe is never wrapped to a terminal's 80 columns.
PIPE_WIDTH = 400

POLICY_OPTION = typer.Option(
    None, "--policy", help="A revised policy TOML file (default: built-in)."
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


@dataclass(frozen=True)
class Settings:
    """Global options. Attributes: db (path), db_given (True when --db was on the command line)."""

    db: Path
    db_given: bool


@app.callback()
def main_options(
    ctx: typer.Context,
    db: Path | None = typer.Option(
        None,
        "--db",
        help="The database file, created and migrated on first use "
        "[default: env CASEGRADE_DB, else ./casegrade.db].",
    ),
) -> None:
    """案件主办人分级管理: import the bureau's records and evaluate grade applications."""
    if db is not None:
        ctx.obj = Settings(db, db_given=True)
    else:
        ctx.obj = Settings(Path(os.environ.get("CASEGRADE_DB") or "casegrade.db"), db_given=False)


def console() -> Console:
    """Standard output: a terminal's width, or a wide page when written to a file or pipe."""
    terminal = Console(highlight=False)
    if terminal.is_terminal or "COLUMNS" in os.environ:
        return terminal
    return Console(highlight=False, width=PIPE_WIDTH)


def show(*renderables: RenderableType) -> None:
    out = console()
    for renderable in renderables:
        out.print(renderable)


def fail(exc: CasegradeError) -> NoReturn:
    """Report one of casegrade's errors on stderr and exit 1."""
    typer.echo(f"Error: {exc}", err=True)
    if isinstance(exc, ImportFailed):
        for error in exc.errors:
            typer.echo(f"  {error}", err=True)
    raise typer.Exit(1)


@contextmanager
def reported() -> Iterator[None]:
    try:
        yield
    except CasegradeError as exc:
        fail(exc)


def _import_command(kind: str) -> Callable[..., None]:
    columns = ", ".join(
        f"{c.key} {c.zh}" + ("" if c.required else " (optional)") for c in LAYOUTS[kind].columns
    )

    def command(
        ctx: typer.Context,
        file: Path = typer.Argument(..., help=f"The {kind} CSV file."),
        policy: Path | None = POLICY_OPTION,
    ) -> None:
        with reported():
            db = open_db(ctx.obj.db)
            counts, warnings = jobs.import_file(db, kind, file, load_policy(policy))
        for warning in warnings:
            typer.echo(f"Warning: {warning}", err=True)
        total = counts.added + counts.changed + counts.unchanged
        typer.echo(
            f"{file}: {total} rows; {counts.added} added, {counts.changed} changed, "
            f"{counts.unchanged} unchanged"
        )

    command.__doc__ = (
        f"Import {kind}; all or nothing, re-import changes nothing.\n\n"
        f"Columns: {columns}.\n\nExample: casegrade import {kind} {kind}.csv"
    )
    return command


for _kind in LAYOUTS:
    import_app.command(_kind)(_import_command(_kind))


@app.command()
def evaluate(
    ctx: typer.Context,
    round_: str = typer.Option(..., "--round", help="The round (届次), e.g. 2026."),
    as_of: datetime = typer.Option(
        ..., "--as-of", formats=["%Y-%m-%d"], help="The evaluation date D, YYYY-MM-DD."
    ),
    output: OutputFormat = typer.Option(OutputFormat.table, "--format", help="table, json or csv."),
    officer: str | None = typer.Option(None, "--officer", help="One officer, every criterion."),
    policy: Path | None = POLICY_OPTION,
) -> None:
    """Check every application of a round against its grade's criteria (审).

    Example: casegrade evaluate --round 2026 --as-of 2026-06-30 --officer 0107
    """
    with reported():
        rules_in_force = load_policy(policy)
        db = open_db(ctx.obj.db)
        evaluations = jobs.evaluate_round(db, round_, as_of.date(), rules_in_force, officer)
    ctx_ = Context.on(as_of.date(), rules_in_force)
    if output is OutputFormat.json:
        typer.echo(render.evaluations_json(evaluations, round_, ctx_))
    elif output is OutputFormat.csv:
        typer.echo(render.evaluations_csv(evaluations), nl=False)
    elif officer is not None:
        show(render.officer_detail(evaluations[0], ctx_))
    else:
        show(
            render.evaluation_table(evaluations, round_, ctx_.as_of),
            render.summary_text(evaluations),
        )


@app.command()
def demo(ctx: typer.Context) -> None:
    """Build a fresh database from the sample bureau and evaluate its 169 applications.

    Uses --db when given on the command line, else a new temporary file; never the usual database.
    Example: casegrade demo
    """
    settings: Settings = ctx.obj
    path = (
        settings.db
        if settings.db_given
        else (Path(tempfile.mkdtemp(prefix="casegrade-demo-")) / "casegrade.db")
    )
    with reported():
        policy = load_policy()
        db = open_db(path)
        for kind, counts in jobs.load_sample(db, policy):
            typer.echo(
                f"{kind}: {counts.added} added, {counts.changed} changed, "
                f"{counts.unchanged} unchanged",
                err=True,
            )
        evaluations = jobs.evaluate_round(db, jobs.SAMPLE_ROUND, jobs.SAMPLE_AS_OF, policy)
    show(
        render.evaluation_table(evaluations, jobs.SAMPLE_ROUND, jobs.SAMPLE_AS_OF),
        render.summary_text(evaluations),
    )
    typer.echo(
        f'\nDemo database: {path}\nOne officer in detail: casegrade --db "{path}" '
        f"evaluate --round {jobs.SAMPLE_ROUND} --as-of {jobs.SAMPLE_AS_OF} --officer 0107"
    )


@policy_app.command("show")
def policy_show(policy: Path | None = POLICY_OPTION) -> None:
    """Print the thresholds and settings in force.

    Example: casegrade policy show
    """
    with reported():
        rules_in_force = load_policy(policy)
    show(render.policy_table(rules_in_force))
