"""The audit of every change: its entries, filtered as the clerk asks, and its check against the
chain of hashes and the backups that anchor it.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from casegrade import store
from casegrade.core import backups
from casegrade.records import AuditProblem

TABLES = store.AUDITED  # the tables whose changes are recorded


def entries(
    db: Database,
    last: int,
    *,
    officer_id: str | None = None,
    since: date | None = None,
    table: str | None = None,
) -> list[dict[str, Any]]:
    """The newest ``last`` audit entries matching the filters (one officer, from a day on, one
    of ``TABLES``), oldest first."""
    return store.audit_log(db, last, officer_id=officer_id, since=since, table=table)


def verify(db: Database, database: Path) -> list[AuditProblem]:
    """What is wrong with the audit of the database at ``database``: checked against its own
    chain of hashes and against the backups beside it (and the copies it was restored from)."""
    return store.verify_audit(db, backups.anchors(database, store.restores(db)))
