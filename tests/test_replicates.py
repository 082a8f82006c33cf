"""`replicates=N`: one Hydra job runs N seeds into `seed=<k>/` folders, each byte-identical to the run of
that seed alone; sweeps of such jobs are read and paired by `exodus-compare`; bad values are refused;
complete replicates are skipped on resume; a failing replicate is recorded and the others still run."""

import json
import sys

import pytest

import sim.cli.exodus as cli
from sim.analysis.compare import pairs, per_run
from sim.analysis.sweep import find_runs, read_overrides, read_sweep
from sim.config.params import ConfigError
from sim.run.simulate import as_run_config, package_versions
from tests.cli_helpers import completed, exodus, tables

SMALL = ("company.headcount=150",)
SHORT = ("company.headcount=150", "window.end=2025-11-30", "events=none")  # shocks are dated after this window
RUN_FILES = ("daily.csv", "departures.csv", "offers.csv", "summary.json", "COMPLETE")


def test_a_replicate_is_byte_identical_to_the_run_of_its_seed_alone(tmp_path):
    alone, batch = tmp_path / "alone", tmp_path / "batch"
    alone.mkdir(), batch.mkdir()
    res = exodus(*SMALL, "policy=bundle_culture", "seed=4", tmp=alone)
    assert res.returncode == 0, res.stderr
    job = exodus(*SMALL, "policy=bundle_culture", "seed=3", "replicates=3", tmp=batch)
    assert job.returncode == 0, job.stderr
    folder = batch / "run"
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == [".hydra", "seed=3", "seed=4", "seed=5"]
    assert not (folder / "summary.json").exists() and not (folder / "COMPLETE").exists()
    assert job.stdout.count("[exodus] bundle_culture seed=") == 3  # one line per finished run
    for f in RUN_FILES:  # seed 4 ran after seed 3 in the same process
        assert (folder / "seed=4" / f).read_bytes() == (alone / "run" / f).read_bytes(), f
    for k in (3, 5):
        summary = json.loads((folder / f"seed={k}" / "summary.json").read_text())
        assert summary["seed"] == summary["config"]["seed"] == k and summary["config"]["replicates"] == 1


def test_a_sweep_of_replicate_jobs_is_read_and_paired_by_seed(tmp_path):
    res = exodus("-m", *SHORT, "policy=none,retention_bonus", "seed=0", "replicates=3", "hydra.launcher.n_jobs=2",
                 tmp=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    root = tmp_path / "sweep"
    complete, incomplete = find_runs(root)
    assert len(complete) == 6 and not incomplete
    sweep = read_sweep(root, progress=False)
    assert sweep.skipped.empty and len(sweep.runs) == 6
    job = "company.headcount=150,events=none,policy=none,replicates=3,seed=0,window.end=2025-11-30"
    assert f"{job}/seed=2" in set(sweep.runs.run)
    assert sorted(sweep.runs.seed) == [0, 0, 1, 1, 2, 2]
    assert sweep.runs.scenario.nunique() == 1  # `replicates` splits no scenario
    assert "replicates" not in sweep.runs.scenario_overrides.iloc[0]
    assert "replicates=3" in read_overrides(root / job / "seed=2")  # a replicate reads its job's overrides
    paired = pairs(per_run(sweep.runs, sweep.daily), "none")
    assert sorted(paired.seed) == [0, 1, 2] and set(paired.arm) == {"retention_bonus"}


@pytest.mark.parametrize("value", ["0", "abc"])
def test_a_bad_number_of_replicates_is_refused_by_name(tmp_path, value):
    res = exodus(*SHORT, f"replicates={value}", tmp=tmp_path)
    assert res.returncode != 0 and "replicates" in res.stderr and "Traceback" not in res.stderr
    assert not completed(tmp_path) and not list(tmp_path.rglob("seed=*"))


@pytest.mark.parametrize("value", [0, -1, "abc", 1.5, True])
def test_replicates_is_checked_at_the_python_edge_too(value):
    with pytest.raises(ConfigError, match=r"^replicates=.* is not allowed: an integer in 1.."):
        as_run_config({"replicates": value})


def test_a_design_row_cannot_set_a_bad_number_of_replicates(tmp_path):
    table = tmp_path / "design.csv"
    table.write_text("replicates,seed\n0,5\n")
    with pytest.raises(ConfigError, match="^replicates=0"):
        as_run_config({"design": {"file": str(table), "row": 0}})


def test_package_versions_are_read_once_and_cannot_be_changed_by_a_caller():
    first = package_versions()
    first["numpy"] = "tampered"
    assert package_versions()["numpy"] != "tampered" and package_versions() == package_versions()


def test_a_bad_number_of_replicates_stops_a_sweep_before_any_job(tmp_path):
    res = exodus("-m", *SHORT, "replicates=0", "policy=none,retention_bonus", tmp=tmp_path)
    assert res.returncode == 2 and "replicates=0 is not allowed: an integer in 1.." in res.stderr
    assert not (tmp_path / "sweep").exists() or not any((tmp_path / "sweep").iterdir())


def test_resume_skips_complete_replicates_and_reruns_the_rest(tmp_path):
    args = ("-m", *SHORT, "seed=0", "replicates=3", "hydra/launcher=basic")
    assert exodus(*args, tmp=tmp_path).returncode == 0
    job = tmp_path / "sweep" / "company.headcount=150,events=none,replicates=3,seed=0,window.end=2025-11-30"
    before = tables(job)
    kept = (job / "seed=0" / "daily.csv").stat().st_mtime_ns
    (job / "seed=1" / "COMPLETE").unlink()  # interrupted while writing
    for p in (job / "seed=2").iterdir():  # interrupted while simulating: an empty folder
        p.unlink()
    assert [p.name for p, _ in find_runs(tmp_path / "sweep")[1]] == ["seed=1", "seed=2"]
    again = exodus(*args, tmp=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("skip (complete)") == 1 and f"skip (complete): {job / 'seed=0'}" in again.stdout
    assert "seed=1: departures" in again.stdout and "seed=2: departures" in again.stdout
    assert (job / "seed=0" / "daily.csv").stat().st_mtime_ns == kept
    assert tables(job) == before


def test_a_failing_replicate_is_recorded_and_the_others_run(tmp_path, monkeypatch, capsys):
    real = cli.simulate

    def flaky(run, seed=None):
        if run.seed == 1:
            raise RuntimeError("boom")
        return real(run, seed)

    monkeypatch.setattr(cli, "simulate", flaky)
    monkeypatch.delenv("EXODUS_DEBUG", raising=False)
    argv = ["exodus", *SHORT, "replicates=3", f"hydra.run.dir={tmp_path}/run"]
    argv += ["hydra/job_logging=disabled", "hydra/hydra_logging=disabled"]  # in-process: leave logging alone
    monkeypatch.setattr(sys, "argv", argv)
    with pytest.raises(SystemExit) as exit_:
        cli._app()  # a single (non-multirun) invocation: non-zero at the end
    err = capsys.readouterr().err
    assert exit_.value.code == 2
    assert "1 of 3 replicates failed" in err and "seed=1: RuntimeError: boom" in err
    run = tmp_path / "run"
    assert "RuntimeError: boom" in (run / "seed=1" / "FAILED").read_text()
    assert not (run / "seed=1" / "COMPLETE").exists() and not (run / "FAILED").exists()
    assert (run / "seed=0" / "COMPLETE").exists() and (run / "seed=2" / "COMPLETE").exists()
    complete, incomplete = find_runs(tmp_path)
    assert [p.name for p in complete] == ["seed=0", "seed=2"]
    assert [(p.name, why.split(":")[0]) for p, why in incomplete] == [("seed=1", "failed")]


def test_find_runs_reads_replicates_one_level_down(tmp_path):
    """The folder rule of `sim.analysis.sweep.find_runs` on a hand-made sweep folder."""

    def done(folder):
        for f in ("daily.csv", "departures.csv", "summary.json", "COMPLETE"):
            (folder / f).touch()
        (folder / "summary.json").write_text("{}")  # find_runs reads a marker without checksums this far

    root = tmp_path / "sweep"
    single, job, refused = root / "policy=none,seed=9", root / "replicates=3,seed=0", root / "replicates=3,seed=5"
    for folder in (single, job, refused):
        (folder / ".hydra").mkdir(parents=True)
    done(single)
    for k in (0, 1, 10):
        (job / f"seed={k}").mkdir()
    done(job / "seed=0"), done(job / "seed=10")  # seed=1: interrupted (an empty folder)
    (job / "notes").mkdir()  # not a replicate's name
    (refused / "FAILED").write_text("replicates=0 is not allowed\n")  # refused before any replicate
    (root / "compare").mkdir()
    (root / ".hidden" / ".hydra").mkdir(parents=True)
    complete, incomplete = find_runs(root)
    name = lambda p: p.relative_to(root).as_posix()  # noqa: E731
    assert [name(p) for p in complete] == [
        "policy=none,seed=9",
        "replicates=3,seed=0/seed=0",
        "replicates=3,seed=0/seed=10",  # by seed, not by name
    ]
    assert [(name(p), why.split(" ")[0]) for p, why in incomplete] == [
        ("replicates=3,seed=0/seed=1", "no"),
        ("replicates=3,seed=5", "failed:"),
    ]
    # one job's folder (a single run with replicates > 1) reads the same, the interrupted replicate included
    complete, incomplete = find_runs(job)
    assert [p.name for p in complete] == ["seed=0", "seed=10"] and [p.name for p, _ in incomplete] == ["seed=1"]
