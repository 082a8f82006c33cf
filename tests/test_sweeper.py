"""exodus's sweeper: a finished sweep resumes without launching a job, a changed input relaunches, one progress line;
and the Python API of sim.sweep (run_sweep, load) with its Parquet tables."""

import re
import shutil
from pathlib import Path

import pandas as pd

from sim.cli import sweeper as sw
from sim.config.compose import CONF_DIR
from sim.sweep import load, run_sweep, sweep_folder, write_tables
from tests.cli_helpers import exodus

TINY = ("company.headcount=100", "events=none", "window.end=2025-11-15")
GRID = ("-m", *TINY, "policy=none,retention_bonus", "seed=0,1", "hydra/launcher=basic")


def _launched(stderr: str) -> tuple[int, int]:
    """(jobs already complete, jobs launched) as the sweeper reports them."""
    (done, todo), *_ = re.findall(r"(\d+) already complete \(\d+ runs\), (\d+) to launch", stderr)
    return int(done), int(todo)


def _configs(root: Path) -> dict[str, int]:
    return {p.parent.parent.name: p.stat().st_mtime_ns for p in root.glob("*/.hydra/config.yaml")}


def test_resuming_a_finished_sweep_launches_nothing_and_a_changed_input_relaunches(tmp_path):
    first = exodus(*GRID, "hydra.sweeper.progress=true", tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    assert _launched(first.stderr) == (0, 4)
    assert "4/4" in first.stderr  # the progress line reached N
    assert "#0 :" not in first.stderr + first.stdout  # Hydra's per-job listing is quiet
    assert "[exodus] none seed=" not in first.stdout  # with the progress line, no line per run
    root = tmp_path / "sweep"
    launched = _configs(root)
    assert len(launched) == 4

    again = exodus(*GRID, tmp=tmp_path)
    assert again.returncode == 0, again.stderr
    assert _launched(again.stderr) == (4, 0)
    assert _configs(root) == launched  # no job was composed and started again

    # a run folder that lost its marker: only that job runs again
    lost = root / "company.headcount=100,events=none,policy=none,seed=1,window.end=2025-11-15"
    (lost / "COMPLETE").unlink()
    third = exodus(*GRID, tmp=tmp_path)
    assert _launched(third.stderr) == (3, 1)
    assert (lost / "COMPLETE").is_file()

    # any config file changed (here a comment): every job is launched, and each skips its unchanged run
    conf = tmp_path / "conf"
    shutil.copytree(CONF_DIR, conf)
    (conf / "policy" / "none.yaml").write_text((conf / "policy" / "none.yaml").read_text() + "# edited\n")
    fourth = exodus(*GRID, tmp=tmp_path, env_extra={"EXODUS_CONF": str(conf)})
    assert fourth.returncode == 0, fourth.stderr
    assert _launched(fourth.stderr) == (0, 4)
    assert fourth.stdout.count("skip (complete)") == 4  # not on a terminal: one line per run


def test_a_changed_design_table_relaunches_its_jobs(tmp_path):
    design = tmp_path / "design.csv"
    design.write_text("hazard.base_annual\n0.10\n0.12\n")
    args = ("-m", *TINY, f"design.file={design}", "design.row=0,1", "hydra/launcher=basic")
    assert _launched(exodus(*args, tmp=tmp_path).stderr) == (0, 2)
    assert _launched(exodus(*args, tmp=tmp_path).stderr) == (2, 0)
    design.write_text("hazard.base_annual\n0.10\n0.13\n")
    again = exodus(*args, tmp=tmp_path)
    assert _launched(again.stderr) == (0, 2)
    assert again.stdout.count("skip (complete)") == 1  # row 0 is unchanged; row 1 ran again


def test_covering_jobs_use_every_value_once_at_least():
    grid = [[f"a={a}", f"b={b}", "c=1"] for a in range(10) for b in range(20)]
    chosen = sw.covering_jobs(grid)
    assert len(chosen) <= 10 + 20 - 1 < len(grid)  # not every job of the grid
    assert {o for job in chosen for o in job} == {o for job in grid for o in job}


def test_progress_counts_finished_runs_of_jobs_and_replicates(tmp_path):
    single, many = tmp_path / "a", tmp_path / "b"
    for d in (single, many / "seed=0", many / "seed=1", many / "seed=2"):
        d.mkdir(parents=True)
    progress = sw.Progress([(single, 1), (many, 3)], enabled=False)
    assert progress.total == 4 and progress.count() == 0
    (single / "COMPLETE").touch()
    (many / "seed=0" / "COMPLETE").touch()
    (many / "seed=2" / "FAILED").touch()
    assert progress.count() == 3
    sw.record_done(many, "k", [many / "seed=0"], [])
    assert progress.count() == 4
    progress.bar.close()


def test_run_sweep_and_load_give_the_tables_and_parquet_keeps_them(tmp_path):
    overrides = [*TINY, "policy=none,retention_bonus", "seed=0,1", "study=api", "hydra/launcher=basic"]
    assert sweep_folder(overrides, tmp_path) == (tmp_path / "results" / "api").resolve()
    root = run_sweep(overrides, cwd=tmp_path)
    assert root == (tmp_path / "results" / "api").resolve()
    sweep = load(root)
    assert len(sweep.runs) == 4 and sweep.skipped.empty
    assert {"departures", "founders_remaining", "announced_feb6_12", "cost_total"} <= set(sweep.runs.columns)
    one = sweep.runs.iloc[0]
    daily = pd.read_csv(root / one.run / "daily.csv")
    assert one.departures == daily.departures.sum()  # the figure is the run's own table's
    assert len(sweep.daily) == 4 * len(daily)

    written = write_tables(sweep, tmp_path / "tables")
    assert {p.name for p in written} == {"runs.parquet", "daily.parquet", "tenure.parquet", "skipped.csv"}
    back = pd.read_parquet(tmp_path / "tables" / "daily.parquet")
    pd.testing.assert_frame_equal(back, sweep.daily)  # types kept (dates stay dates)
    assert back["date"].dtype.kind == "M"
