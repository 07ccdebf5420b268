"""What the running command tells the store about itself, set once per command by the command
line: the command as typed and the file being imported (both for the audit), and the copy to take
once the next write transaction holds the lock (for undo)."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import Any

# A copy to take once the next write transaction holds the lock: called with the database.
BEFORE_WRITE: ContextVar[Callable[[Any], Path] | None] = ContextVar(
    "casegrade_before_write", default=None
)
# The command line and the imported file (path, SHA-256) of the change being recorded.
COMMAND: ContextVar[str] = ContextVar("casegrade_command", default="")
SOURCE: ContextVar[tuple[str, str] | None] = ContextVar("casegrade_source", default=None)
