"""The services of the scheme, one module per noun; each returns values for views to word."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # each submodule is imported by what uses it (start-up time)
    from casegrade.core import (
        audit,
        backups,
        figures,
        holdings,
        imports,
        leading,
        officers,
        personal_file,
        procedure,
        ratings,
        review,
        sample,
        sanctions,
        status,
    )

__all__ = [
    "audit",
    "backups",
    "figures",
    "holdings",
    "imports",
    "leading",
    "officers",
    "personal_file",
    "procedure",
    "ratings",
    "review",
    "sample",
    "sanctions",
    "status",
]
