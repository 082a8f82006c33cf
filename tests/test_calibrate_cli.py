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
