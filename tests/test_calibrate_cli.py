"""`exodus-calibrate --posterior xai`, the first step of `make run`: the fit report of the shipped posterior,
run as the console script, with a few predictive draws (`make run` uses the preset's 60)."""

import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.calibration import posterior, predictive, targets

ROOT = Path(__file__).resolve().parents[1]
REPORT_FILES = (
    "posterior.csv",
    "posterior/xai.yaml",
    "fit_report.md",
    "fit_report.json",
    "fit_summary.csv",
    "predictive_daily.csv",
    "predictive_stats.csv",
    "predictive_checks.csv",
    "fit.png",
    "posterior.png",
)


def test_the_fit_report_of_the_shipped_posterior_is_written_and_names_every_parameter(tmp_path):
    out, draws = tmp_path / "calibration", 6
    cmd = [str(Path(sys.executable).with_name("exodus-calibrate")), "--posterior", "xai", "--out", str(out)]
    cmd += ["--draws", str(draws), "--procs", "1", "--no-progress"]
    res = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr[-2000:]
    for name in REPORT_FILES:
        assert (out / name).is_file() and (out / name).stat().st_size > 0, name
    assert not list(out.rglob(".*tmp*")), "a temporary file was left behind"

    shipped = posterior.load("xai")
    written = posterior.load(out / "posterior.csv")
    pd.testing.assert_frame_equal(written.samples, shipped.samples)
    report = (out / "fit_report.md").read_text()
    summary = pd.read_csv(out / "fit_summary.csv").set_index("parameter")
    assert list(summary.index) == list(shipped.names)
    for name, median in shipped.median().items():
        assert re.search(rf"^\| {name} \| ", report, flags=re.M), name  # a row of the posterior table
        assert summary.loc[name, "median"] == pytest.approx(median)
        assert f"{name}:" in (out / "posterior" / "xai.yaml").read_text()
        assert name in res.stdout

    # the predictive check: as many draws as asked, cut at the record's last day, coverage recomputed here
    daily = pd.read_csv(out / "predictive_daily.csv", parse_dates=["date"])
    daily["date"] = daily.date.dt.date
    assert sorted(daily.draw.unique()) == list(range(draws)) and daily.date.max() == targets.END
    assert len(pd.read_csv(out / "predictive_stats.csv")) == draws
    cov = predictive.coverage(predictive.Predictive(daily, pd.DataFrame()))
    line = f"inside the 90 % band: {cov['covered_90']} of {cov['days']} days"
    assert line in report, (line, report)
    checks = pd.read_csv(out / "predictive_checks.csv")
    assert list(checks.statistic) == list(targets.STATS)
    np.testing.assert_allclose(checks[["below", "equal", "above"]].sum(axis=1), 1.0)
    assert f"{cov['covered_90']}/{cov['days']} observed days in the 90 % band" in res.stdout
    # the effective sample size, counted here from the weights (Kish), and the warning below a quarter
    w = written.samples["weight"].to_numpy(float)
    ess = w.sum() ** 2 / (w**2).sum()
    assert f"effective sample size: {ess:.1f} of {len(w)} particles" in res.stdout
    assert ("warning: the effective sample size" in res.stdout) == (ess < len(w) / 4)


@pytest.mark.slow
def test_regression_calibration_carries_its_own_sbc_and_is_the_same_on_any_number_of_processes(tmp_path):
    """`--method regression`: the posterior's JSON holds the SBC of the estimator that made it (every parameter's
    coverage), its effective sample size is Kish's of the CSV's weights, and 1 or 2 processes give the same bytes."""
    exe = str(Path(sys.executable).with_name("exodus-calibrate"))
    outs = []
    for procs in (1, 2):
        out = tmp_path / f"p{procs}"
        cmd = [exe, "--method", "regression", "--table", "300", "--accept", "0.5", "--sbc-records", "50"]
        cmd += ["--draws", "3", "--procs", str(procs), "--no-progress", "--out", str(out), "company.headcount=150"]
        res = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
        assert res.returncode == 0, res.stderr[-2000:]
        assert "SBC (50 synthetic records)" in res.stdout
        outs.append(out)
    assert (outs[0] / "posterior.csv").read_bytes() == (outs[1] / "posterior.csv").read_bytes()
    post = posterior.load(outs[0] / "posterior.csv")
    w = post.samples["weight"].to_numpy()
    assert post.meta["ess"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), abs=0.1)
    sbc = post.meta["diagnostics"]["sbc"]
    assert sbc["records"] == 50 and set(sbc["parameters"]) == set(post.names)
    assert all(0 <= c["coverage_50"] <= c["coverage_90"] <= 1 for c in sbc["parameters"].values())
    assert (outs[0] / "sbc.png").stat().st_size > 0
    assert len(pd.read_csv(outs[0] / "sbc_ranks.csv")) == 50 * len(post.names)
