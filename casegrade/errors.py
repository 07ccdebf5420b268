"""Every error casegrade raises, under one base class so that the command line reports them alike,
and the shape of one bad row of an input file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casegrade.lifecycle import Problem


class CasegradeError(Exception):
    """A request casegrade cannot carry out; the message says what to do next."""


@dataclass(frozen=True)
class RowError:
    """One problem in an input file.

    Attributes:
        file: the file's path as given.
        row: the row as Excel numbers it (the header is row 1), or 0 for the file as a whole.
        column: the column's header as written in the file, or "" for the whole row/file.
        value: the offending text.
        why: what is wrong and how to fix it ("" when ``problems`` say it).
        problems: the procedure's reasons to refuse the row (lifecycle.Problem), for views to
            word; empty for a problem of the file itself.
    """

    file: str
    row: int
    column: str
    value: str
    why: str
    problems: tuple[Problem, ...] = ()

    def __str__(self) -> str:
        where = self.file if self.row == 0 else f"{self.file}, row {self.row}"
        if self.column:
            where += f", column {self.column}"
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "…"
        value = f" = {shown!r}" if self.value else ""
        return f"{where}{value}: {self.why}"


class ImportFailed(CasegradeError):
    """A file had bad rows; nothing was written. ``errors`` lists every one, ``warnings`` what
    else the reading found (ignored columns …), which the clerk needs to see all the same;
    ``header_row`` and ``sheet`` say where the table was found, to copy the bad rows out."""

    def __init__(
        self,
        errors: list[RowError],
        warnings: list[str] | None = None,
        header_row: int = 0,
        sheet: str = "",
    ) -> None:
        self.errors = errors
        self.warnings = warnings or []
        self.header_row = header_row
        self.sheet = sheet
        super().__init__(f"{len(errors)} problem(s) in {errors[0].file}; nothing was imported")


class FieldError(ValueError):
    """Values of one row that do not fit together: ``problems`` lists each as (the field of the
    column to point at, what is wrong), all of the row's at once."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


class UnreadableSheet(ValueError):
    """The file, or one row of it, cannot be read. Attributes: row (0 for the whole file)."""

    def __init__(self, message: str, row: int = 0) -> None:
        super().__init__(message)
        self.row = row


class ProcedureError(CasegradeError):
    """A step of the procedure cannot be taken as asked; the message says why and what to do."""


class Refused(ProcedureError):
    """The rules refuse a step of the procedure; ``problems`` (lifecycle.Problem) say why, for
    views to word."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(", ".join(problem.code for problem in problems))
        self.problems = problems


class EvaluationError(CasegradeError):
    """Nothing on record as asked (no such round, application or officer); the message says
    what exists."""


class BackupError(CasegradeError):
    """No copy to restore, or a copy that cannot be used; the message says what to do."""


class OutputRefused(CasegradeError):
    """An output file was not written; the message says why and what to do."""


class PolicyError(CasegradeError):
    """The policy file cannot be used; the message names the file, the key and what to write."""


class StoreError(CasegradeError):
    """The database cannot be used as asked; the message says what to do."""


class ReadOnly(StoreError):
    """The database cannot be written here (a read-only file, folder or share)."""


class CopyExists(StoreError):
    """A copy of the database was not made: a file of that name exists."""


class UnknownCaseType(ValueError):
    """A case type the policy's [case_types] table does not list."""
