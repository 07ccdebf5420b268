"""Shared fixtures: a migrated database, the shipped policy, the sample bureau built once per run,
no access to the user's database."""

from __future__ import annotations

from pathlib import Path

import pytest

from casegrade import store
from casegrade.core import sample
from casegrade.policy import Policy, load_policy
from casegrade.store import open_db


@pytest.fixture(autouse=True)
def _no_real_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the user's database: CASEGRADE_DB and the cwd point to tmp."""
    monkeypatch.setenv("CASEGRADE_DB", str(tmp_path / "env.db"))
    monkeypatch.chdir(tmp_path)


@pytest.fixture(scope="session")
def policy() -> Policy:
    return load_policy()


@pytest.fixture
def db(tmp_path: Path):
    return open_db(tmp_path / "test.db")


@pytest.fixture(scope="session")
def sample_bureau_file(tmp_path_factory: pytest.TempPathFactory, policy: Policy) -> Path:
    """The sample bureau with round 2026 appointed (term 2026-07-01 to 2028-06-30), built once
    per run into one file (checkpointed, closed). Tests never write it: copy it (``bureau``)."""
    path = tmp_path_factory.mktemp("sample-bureau") / "bureau.db"
    db = open_db(path)
    sample.load_sample(db, policy)
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.conn.close()
    return path


@pytest.fixture
def bureau(sample_bureau_file: Path, tmp_path: Path) -> Path:
    """A copy of the sample bureau of the test's own, at office/casegrade.db (an empty folder
    beside it, for its backups)."""
    copy = tmp_path / "office" / "casegrade.db"
    copy.parent.mkdir()
    store.copy_database(sample_bureau_file, copy)
    return copy
