"""Every command's help gives one example, and it works on the database `casegrade demo`
builds (issue 11): each example is run on a fresh copy of it, in a folder holding the sample's
files and a revised policy, as the clerk would type it."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer

from casegrade import cli, store
from casegrade.cli import app
from casegrade.core.sample import sample_data_dir

POLICY = Path(__file__).resolve().parent.parent / "casegrade" / "policy.toml"
# an example that asks before it acts answers this
ANSWERS = {("undo",): "y\n", ("restore",): "y\n"}
# exit codes an example may end with besides 0: can-lead's "may not lead"
ENDINGS = {"can-lead": {3}}


def _examples() -> dict[tuple[str, ...], str]:
    """Command words -> the example its help gives."""
    found = {}

    def walk(command: object, words: tuple[str, ...]) -> None:
        help_text = getattr(command, "help", None) or ""
        example = re.search(r"Example(?: \([^)]*\))?: (casegrade [^\n]+)", help_text)
        if example and not getattr(command, "commands", None):
            found[words] = example.group(1)
        for name, sub in getattr(command, "commands", {}).items():
            walk(sub, (*words, name))

    walk(typer.main.get_command(app), ())
    return found


EXAMPLES = _examples()


def test_every_command_has_an_example() -> None:
    leaves = []

    def walk(command: object, words: tuple[str, ...]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                walk(sub, (*words, name))
        else:
            leaves.append(words)

    walk(typer.main.get_command(app), ())
    assert sorted(leaves) == sorted(EXAMPLES)


@pytest.fixture(scope="module")
def demo_database(tmp_path_factory: pytest.TempPathFactory, run) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    run("--db", path, "demo")
    store.open_db(path).execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


@pytest.mark.parametrize("words", sorted(EXAMPLES), ids=" ".join)
def test_the_example_works_on_the_demo_database(
    words: tuple[str, ...], demo_database: Path, tmp_path: Path, run, monkeypatch
) -> None:
    example = EXAMPLES[words]
    for sample in sample_data_dir().glob("*.csv"):
        shutil.copy(sample, tmp_path / sample.name)
    shutil.copy(POLICY, tmp_path / "revised.toml")
    database = tmp_path / "casegrade.db"
    shutil.copy(demo_database, database)
    monkeypatch.chdir(tmp_path)
    args = shlex.split(example)[1:]
    if words in ANSWERS:  # a clerk at the terminal, who says yes
        monkeypatch.setattr(cli, "at_terminal", lambda: True)
    if words == ("restore",):  # the copy it restores, made as the clerk would
        Path(args[-1]).parent.mkdir()
        run("--db", database, "backup", "--output", args[-1])
    if words == ("undo",):  # something to undo
        run("--db", database, "review", "2026", "--year", "2027", "--on", "2028-01-10", "--apply")
    if words == ("demo",):
        database = tmp_path / "new-demo.db"  # the demo makes a database of its own
    result = run("--db", database, *args, ok=False, input=ANSWERS.get(words))
    assert result.exit_code in {0, *ENDINGS.get(words[0], set())}, (example, result.output)
