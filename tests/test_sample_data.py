"""The sample bureau: reproducible from its script, and every profile gets the verdict it was built for."""

from __future__ import annotations

import csv
import importlib.util
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest

from casegrade.core import procedure, review, sample
from casegrade.rules import Context
from casegrade.store import open_db
from casegrade.vocab import Grade

CHECKOUT_SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
KINDS = (
    *sample.SAMPLE_RECORDS,
    *sample.SAMPLE_PROCEDURE,
    *sample.SAMPLE_DURING_TERM,
    "profiles",
)
FILES = tuple(f"{kind}.csv" for kind in KINDS)
# profile -> the criteria it misses (see sample_data/generate.py)
MISSES = {
    "ok": set(),
    "ok_boundary": set(),
    "retires_in_term": set(),
    "service_one_day": {"service_years"},
    "honors": {"honors"},
    "honors_county": {"honors"},
    "honors_after_as_of": {"honors"},
    "honors_not_enforcement": {"honors"},
    "penalty_one_fen": {"avg_annual_penalty"},
    "case_outside_window": {"avg_annual_penalty"},
    "assisted_not_led": {"avg_annual_penalty"},
    "big_cases": {"avg_annual_big_cases"},
    "big_value_one_fen": {"avg_annual_big_cases"},
    "titles": {"provincial_titles"},
    "typical_after_as_of": {"typical_case"},
    "typical_county": {"typical_case"},
    "typical_outside_window": {"typical_case"},
    "no_typical": {"typical_case"},
    "retired": {"not_retired"},
    "two_short": {"avg_annual_penalty", "avg_annual_big_cases"},
}


def test_generator_reproduces_the_committed_files(tmp_path, monkeypatch):
    spec = importlib.util.spec_from_file_location("generate", CHECKOUT_SAMPLE / "generate.py")
    generate = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "generate", generate)  # dataclasses look themselves up there
    spec.loader.exec_module(generate)
    generate.main(tmp_path)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (CHECKOUT_SAMPLE / name).read_bytes(), name


def test_the_wheel_carries_the_sample_bureau(tmp_path):
    """`casegrade demo` after a plain `pip install .` reads the copy inside the package."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(CHECKOUT_SAMPLE.parent),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("casegrade-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        for name in FILES:
            packaged = archive.read(f"casegrade/sample_data/{name}")
            assert packaged == (CHECKOUT_SAMPLE / name).read_bytes(), name
        assert "casegrade/policy.toml" in archive.namelist()


@pytest.fixture(scope="module")
def evaluations(sample_bureau_file, policy):
    """The sample round's evaluations on its evaluation date (read from the bureau built once
    per run; evaluating writes nothing)."""
    db = open_db(sample_bureau_file, write=False)
    try:
        return procedure.evaluate_round(
            db, sample.SAMPLE_ROUND, Context.on(sample.SAMPLE_AS_OF, policy)
        )
    finally:
        db.conn.close()


def test_every_profile_gets_its_verdict(evaluations):
    with (CHECKOUT_SAMPLE / "profiles.csv").open(encoding="utf-8") as handle:
        profiles = {row["officer_id"]: row for row in csv.DictReader(handle)}
    assert len(evaluations) == len(profiles) == 169
    for ev in evaluations:
        profile = profiles[ev.officer.officer_id]
        assert ev.application.grade.value == profile["applied_grade"]
        unmet = {f.criterion for f in ev.applied if not f.met}
        if profile["profile"] == "new_officer":
            assert unmet, ev.officer.officer_id
        else:
            assert unmet == MISSES[profile["profile"]], (ev.officer.officer_id, profile)
        assert bool(ev.warnings) == (profile["profile"] == "retires_in_term")


def test_headline_figures(evaluations):
    eligible = Counter(ev.application.grade for ev in evaluations if ev.eligible)
    assert eligible == {Grade.JUNIOR: 82, Grade.INTERMEDIATE: 35, Grade.SENIOR: 14}
    units = {ev.officer.unit for ev in evaluations}
    assert len(units) == 21
    assert sum(unit.endswith("所") for unit in units) == 16


@pytest.fixture(scope="module")
def appointed_sample(tmp_path_factory):
    from casegrade.core import procedure
    from casegrade.policy import load_policy

    policy = load_policy()
    db = open_db(tmp_path_factory.mktemp("procedure") / "s.db")
    _, result = sample.load_sample(db, policy)
    again = procedure.appoint(db, sample.SAMPLE_ROUND, sample.SAMPLE_TERM_START, policy)
    assert (again.appointed, len(again.kept)) == ([], 124)  # appointing twice appoints once
    reloaded, _ = sample.load_sample(db, policy)  # the same files again, after appointment
    assert all(counts.added == counts.changed == 0 for _, counts in reloaded), reloaded
    return db, policy, result


def test_appointment_gives_the_seeds_figures(appointed_sample):
    _, _, result = appointed_sample
    assert Counter(a.grade for a in result.appointed) == {
        Grade.JUNIOR: 79,
        Grade.INTERMEDIATE: 33,
        Grade.SENIOR: 12,
    }
    profiles = read_profiles()
    appointed = {a.officer_id for a in result.appointed}
    for officer_id, profile in profiles.items():
        expected = profile["lifecycle"] not in ("", "exam_failed", "rejected")
        assert (officer_id in appointed) is expected, (officer_id, profile)


def test_the_2027_review_eliminates_those_built_for_it(appointed_sample):
    from datetime import date

    db, policy, _ = appointed_sample
    result = review.review(db, sample.SAMPLE_ROUND, 2027, date(2028, 1, 10), policy)
    eliminated = {
        held.officer.officer_id: [g.kind for g in grounds] for held, grounds in result.eliminated
    }
    built = {
        officer_id: profile["lifecycle"].removeprefix("eliminated_")
        for officer_id, profile in read_profiles().items()
        if profile["lifecycle"].startswith("eliminated_")
    }
    assert eliminated == {officer_id: [kind] for officer_id, kind in built.items()}
    retired = [o for o, p in read_profiles().items() if p["lifecycle"] == "retired_in_term"]
    assert [held.officer.officer_id for held in result.ended] == retired
    assert len(result.rows) == 123  # 124 appointed, less the one whose grade ended


def read_profiles() -> dict[str, dict[str, str]]:
    with (CHECKOUT_SAMPLE / "profiles.csv").open(encoding="utf-8") as handle:
        return {row["officer_id"]: row for row in csv.DictReader(handle)}


def test_the_figures_read_like_the_bureaus_account(appointed_sample):
    from casegrade.core.figures import round_figures

    db, policy, _ = appointed_sample
    figures = round_figures(db, policy, sample.SAMPLE_ROUND)
    assert (len(figures.offices), len(figures.sections), figures.applicants) == (16, 5, 169)
    assert figures.appointed == {Grade.JUNIOR: 79, Grade.INTERMEDIATE: 33, Grade.SENIOR: 12}


def test_an_evaluation_reads_from_the_window_what_it_reads_from_everything(bureau, policy):
    """The round is evaluated from the cases in the window and the typical cases only (issue
    10); every finding and every piece of evidence is as it is from all the records."""
    from casegrade import store
    from casegrade.rules import evaluate_all

    db = open_db(bureau, write=False)
    ctx = Context.on(sample.SAMPLE_AS_OF, policy, sample.SAMPLE_TERM_START)
    applications = store.applications(db, sample.SAMPLE_ROUND)
    ids = {application.officer_id for application in applications}
    everything, windowed = store.officer_files(db, ids), store.officer_files(db, ids, ctx.window)
    left_out = sum(len(everything[i].cases) - len(windowed[i].cases) for i in ids)
    assert left_out > 0  # the sample has cases decided before the window
    full = evaluate_all(applications, everything, ctx)
    read = evaluate_all(applications, windowed, ctx)
    assert [(e.findings, e.evidence) for e in read] == [(e.findings, e.evidence) for e in full]
