"""Shared fixtures: a migrated database, the shipped policy, no access to the user's database."""

from __future__ import annotations

from pathlib import Path

import pytest

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
