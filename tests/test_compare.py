"""exodus-compare: the sweep layout it reads, its policy table against a direct computation from the run
folders, skipped (unfinished, failed, duplicate) runs, and its error messages."""

import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis.compare import run_metrics, t_interval
from sim.analysis.sweep import find_runs, read_overrides, read_sweep
from sim.cli.compare import main as compare_main
from sim.data import observed

ROOT = Path(__file__).resolve().parents[1]
POLICIES = ("none", "transparent_leadership")
SEEDS = (0, 1, 2)
CAUSES = ("voluntary", "poached", "spinout", "forced")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    """A real sweep made by the `exodus` command line: 2 policies x 3 seeds of a 300-person lab."""
    out = tmp_path_factory.mktemp("sweep") / "small"
    cmd = [
        str(Path(sys.executable).with_name("exodus")),
        "-m",
        f"policy={','.join(POLICIES)}",
        f"seed={','.join(map(str, SEEDS))}",
        "company.headcount=300",
        f"hydra.sweep.dir={out}",
        "hydra/launcher=basic",
    ]
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return out


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, ignore=shutil.ignore_patterns("compare"))
    return dst


def _documented_run_files() -> set[str]:
    """The files the reference's run-folder table lists (`name.csv`, `summary.json`, `COMPLETE`), section "One run"."""
    text = (ROOT / "docs" / "reference.md").read_text().split("\n## One run", 1)[1].split("\n## ", 1)[0]
    names = set(re.findall(r"^\| `([A-Za-z_]+\.(?:csv|json)|COMPLETE)` \|", text, flags=re.M))
    assert {"daily.csv", "summary.json", "COMPLETE"} <= names, names
    return names


def direct(folder: Path) -> dict:
    """A run's figures straight from departures.csv and summary.json (not via daily.csv, unlike the code)."""
    deps = pd.read_csv(folder / "departures.csv", parse_dates=["date", "announced"])
    summary = json.loads((folder / "summary.json").read_text())
    out = {f"departures_{c}": int((deps.cause == c).sum()) for c in CAUSES}
    out["departures"] = len(deps)
    out["departures_by_feb28"] = int((deps.date <= "2026-02-28").sum())
    out["announced_feb6_12"] = int(deps.announced.between("2026-02-06", "2026-02-12").sum())
    out["founders_remaining"] = summary["figures"]["founders_start"] - int(deps.founder.sum())
    out["cost_total"] = summary["figures"]["policy_cost_total"]
    out["policy"], out["seed"] = summary["policy"], summary["seed"]
    return out


def expected_table(folders: list[Path]) -> dict[str, dict]:
    """Means per policy, and the paired difference from `none` with a 90 % t-interval, computed by hand."""
    rows = pd.DataFrame([direct(f) for f in folders])
    out = {}
    for policy, g in rows.groupby("policy"):
        e = g.drop(columns=["policy", "seed"]).mean().to_dict()
        e["runs"] = len(g)
        if policy != "none":
            base = rows[rows.policy == "none"].set_index("seed").departures
            mine = g.set_index("seed").departures
            seeds = sorted(set(base.index) & set(mine.index))
            d = np.array([mine[s] - base[s] for s in seeds], dtype=float)
            e["n_pairs"], e["diff"] = len(d), d.mean()
            if len(d) > 1:
                half = stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d))
                e["diff_lo"], e["diff_hi"] = d.mean() - half, d.mean() + half
            else:
                e["diff_lo"] = e["diff_hi"] = np.nan
            cost = g.set_index("seed").cost_total[seeds].mean()
            e["cost_per_averted"] = cost / -d.mean() if -d.mean() > 0 else np.nan
        out[policy] = e
    return out


def assert_table_matches(table: pd.DataFrame, expected: dict[str, dict]) -> None:
    assert set(table.policy) == set(expected)
    for policy, e in expected.items():
        row = table[table.policy == policy].iloc[0]
        for key, value in e.items():
            assert np.isclose(row[key], value, equal_nan=True), (policy, key, row[key], value)


def test_sweep_folder_layout_is_what_the_reference_says(sweep_dir):
    files = _documented_run_files()
    complete, incomplete = find_runs(sweep_dir)
    assert not incomplete
    assert len(complete) == len(POLICIES) * len(SEEDS)
    seen = set()
    for folder in complete:
        overrides = read_overrides(folder)
        # results/<study>/<override_dirname>/: the folder is named by its overrides, sorted, joined by commas
        assert folder.name == ",".join(sorted(overrides))
        assert all((folder / f).is_file() for f in files), sorted(p.name for p in folder.iterdir())
        summary = json.loads((folder / "summary.json").read_text())
        assert {"study", "policy", "seed", "window", "figures", "config", "config_hash", "versions"} <= set(summary)
        assert f"policy={summary['policy']}" in overrides and f"seed={summary['seed']}" in overrides
        seen.add((summary["policy"], summary["seed"]))
    assert seen == {(p, s) for p in POLICIES for s in SEEDS}
    sweep = read_sweep(sweep_dir, progress=False)
    assert sorted(sweep.runs.run) == sorted(f.name for f in complete)
    assert sweep.runs.scenario.nunique() == 1  # same world, so every seed pairs across policies
    assert sweep.skipped.empty


def test_compare_table_equals_direct_computation_from_run_folders(sweep_dir, tmp_path, capsys):
    root = _copy(sweep_dir, tmp_path / "sweep")
    assert compare_main([str(root), "--no-plots"]) == 0
    printed = capsys.readouterr().out
    table = pd.read_csv(root / "compare" / "policies.csv")
    expected = expected_table(sorted(p for p in root.iterdir() if p.is_dir() and p.name != "compare"))
    assert_table_matches(table, expected)
    assert expected["transparent_leadership"]["n_pairs"] == len(SEEDS)
    # the terminal table shows the same paired difference
    d = expected["transparent_leadership"]
    assert f"{d['diff']:+.1f} [{d['diff_lo']:+.1f}, {d['diff_hi']:+.1f}]" in printed
    # the note's observed count is the record's announcements in that week, counted here from the file itself
    deps = pd.read_csv(observed.DATA / "departures.csv", parse_dates=["announced"])
    in_week = int(deps.announced.between("2026-02-06", "2026-02-12").sum())
    assert in_week < len(deps) and f"(observed: {in_week})" in " ".join(printed.split())
    # tidy tables: one row per run, and the whole of each run's daily table
    runs = pd.read_parquet(root / "compare" / "runs.parquet")
    assert len(runs) == len(POLICIES) * len(SEEDS)
    daily = pd.read_parquet(root / "compare" / "daily.parquet")
    one = pd.read_csv(root / runs.run.iloc[0] / "daily.csv", parse_dates=["date"])
    mine = daily[daily.run == runs.run.iloc[0]][one.columns].reset_index(drop=True)
    mine["date"] = pd.to_datetime(mine["date"])  # Parquet keeps it a date; the CSV reader makes a datetime
    pd.testing.assert_frame_equal(mine, one)
    # a second compare does not mistake its own output folder for a run
    assert compare_main([str(root), "--no-plots"]) == 0
    assert pd.read_csv(root / "compare" / "skipped.csv").empty


def test_unfinished_failed_and_duplicate_runs_are_skipped_and_listed(sweep_dir, tmp_path, capsys):
    root = _copy(sweep_dir, tmp_path / "sweep")
    prefix = "company.headcount=300,policy="
    unfinished = root / f"{prefix}transparent_leadership,seed=2"
    failed = root / f"{prefix}none,seed=1"
    (unfinished / "COMPLETE").unlink()
    (failed / "COMPLETE").unlink()
    (failed / "FAILED").write_text("ConfigError: hazard.base_annual = 2 is not allowed\n")
    duplicate = shutil.copytree(root / f"{prefix}none,seed=0", root / "copy_of_none_seed_0")

    assert compare_main([str(root), "--no-plots", "--out", str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv").set_index("run").reason
    assert set(skipped.index) == {unfinished.name, failed.name, duplicate.name}
    assert "COMPLETE" in skipped[unfinished.name]
    assert skipped[failed.name].startswith("failed: ConfigError")
    assert "duplicate" in skipped[duplicate.name]
    for name in skipped.index:
        assert name in err

    table = pd.read_csv(tmp_path / "out" / "policies.csv")
    kept = [root / f"{prefix}{p},seed={s}" for p, s in [("none", 0), ("none", 2), ("transparent_leadership", 0)]]
    kept.append(root / f"{prefix}transparent_leadership,seed=1")
    expected = expected_table(kept)
    assert expected["transparent_leadership"]["n_pairs"] == 1  # only seed 0 has both arms left
    assert_table_matches(table, expected)
    assert np.isnan(table.set_index("policy").diff_lo["transparent_leadership"])


def test_paired_t_interval_covers_the_true_mean_90_percent_of_the_time():
    rng = np.random.default_rng(7)
    trials, n, true = 4000, 5, -3.0
    hits = 0
    for _ in range(trials):
        _, lo, hi, _ = t_interval(rng.normal(true, 10.0, size=n), 0.9)
        hits += lo <= true <= hi
    assert abs(hits / trials - 0.9) < 3 * np.sqrt(0.9 * 0.1 / trials)


def test_t_interval_degenerate_cases():
    assert t_interval([4.0, 4.0, 4.0])[:3] == (4.0, 4.0, 4.0)
    mean, lo, hi, n = t_interval([2.0])
    assert (mean, n) == (2.0, 1) and np.isnan(lo) and np.isnan(hi)


def test_dated_figures_are_missing_when_their_dates_fall_outside_the_window():
    days = pd.date_range("2025-09-01", "2025-12-31", freq="D")
    daily = pd.DataFrame({"date": days.date, "announced": 1, "departures": 2, "founders_remaining": 5})
    for c in CAUSES:
        daily[f"departures_{c}"] = 1 if c != "forced" else -1  # ignored by totals; `departures` is its own column
    m = run_metrics(daily, dt.date(2025, 9, 1), dt.date(2025, 12, 31))
    assert np.isnan(m["departures_by_feb28"]) and np.isnan(m["announced_feb6_12"])
    assert m["departures"] == 2 * len(days) and m["founders_remaining"] == 5

    days = pd.date_range("2026-02-08", "2026-03-31", freq="D")  # starts inside the observed week
    daily = pd.DataFrame({"date": days.date, "announced": 1, "departures": 3, "founders_remaining": 5})
    for c in CAUSES:
        daily[f"departures_{c}"] = 0
    m = run_metrics(daily, dt.date(2026, 2, 8), dt.date(2026, 3, 31))
    assert np.isnan(m["announced_feb6_12"])  # the week is only partly simulated
    assert m["departures_by_feb28"] == 3 * 21


def _error(capsys, argv) -> str:
    with pytest.raises(SystemExit) as exc:
        compare_main(argv)
    assert exc.value.code == 2
    lines = [ln for ln in capsys.readouterr().err.splitlines() if not ln.startswith("[exodus-compare] ")]  # progress
    err = "\n".join(lines) + "\n"
    assert err.startswith("exodus-compare: error: ") and err.count("\n") == 1 and "Traceback" not in err
    return err


def test_clear_errors_for_missing_empty_and_baseline_less_folders(sweep_dir, tmp_path, capsys):
    assert "no such folder" in _error(capsys, [str(tmp_path / "nope")])
    (tmp_path / "empty").mkdir()
    assert "no complete runs" in _error(capsys, [str(tmp_path / "empty")])
    err = _error(capsys, [str(sweep_dir), "--baseline", "retention_bonus", "--out", str(tmp_path / "o")])
    assert "retention_bonus" in err and "none, transparent_leadership" in err


def test_command_line_entry_point_is_installed(tmp_path):
    exe = Path(sys.executable).with_name("exodus-compare")
    proc = subprocess.run([str(exe), str(tmp_path / "missing")], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert proc.stderr.startswith("exodus-compare: error:") and "Traceback" not in proc.stderr


def test_destinations_table_equals_direct_count_and_is_plotted(sweep_dir, tmp_path):
    """compare/destinations.csv: mean leavers per run by destination and kind, per policy, as counted by hand from
    each run's departures.csv; the figure is written."""
    root = _copy(sweep_dir, tmp_path / "sweep")
    assert compare_main([str(root), "--no-plots"]) == 0
    dest = pd.read_csv(root / "compare" / "destinations.csv")
    folders = sorted(p for p in root.iterdir() if p.is_dir() and p.name != "compare")
    for policy in POLICIES:
        deps = [
            pd.read_csv(f / "departures.csv")
            for f in folders
            if json.loads((f / "summary.json").read_text())["policy"] == policy
        ]
        total = sum(len(d) for d in deps)
        mine = dest[dest.policy == policy]
        for level, column in (("kind", "destination_kind"), ("destination", "destination")):
            counts = pd.concat([d[column].value_counts() for d in deps], axis=1).fillna(0)
            got = mine[mine.level == level].set_index("destination")
            assert set(got.index) == set(counts.index)
            for name, row in counts.iterrows():
                assert np.isclose(got.loc[name, "mean"], row.sum() / len(deps)), (policy, name)
                assert np.isclose(got.loc[name, "share"], row.sum() / total)
        assert mine[mine.level == "kind"].share.sum() == pytest.approx(1.0)
        assert mine[mine.level == "kind"].runs.eq(len(SEEDS)).all()

    from sim.analysis.plots import plot_destinations

    table = pd.read_csv(root / "compare" / "policies.csv")
    paths = plot_destinations(dest, table, "none", 0.9, tmp_path / "fig")
    assert {p.name for p in paths} == {"destinations.png", "destinations.svg"}
