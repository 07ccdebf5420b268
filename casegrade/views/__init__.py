"""Everything a person or a program reads: tables, texts, JSON/CSV, files; views word values."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # each submodule is imported by what uses it (start-up time)
    from casegrade.views import (
        audit,
        evaluation,
        export,
        holdings,
        imports,
        outputs,
        personal_file,
        policy,
        procedure,
        rejects,
        review,
        status,
        supervision,
        tables,
        templates,
    )

__all__ = [
    "audit",
    "evaluation",
    "export",
    "holdings",
    "imports",
    "outputs",
    "personal_file",
    "policy",
    "procedure",
    "rejects",
    "review",
    "status",
    "supervision",
    "tables",
    "templates",
]
