"""`exodus-fit` (the optuna extra, which `make test` installs): a two-trial point fit runs end to end, writes its
results, and the best value it reports is the distance of its best parameters, computed again here."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

pytest.importorskip(
    "hydra_plugins.hydra_optuna_sweeper",
    reason="exodus-fit needs the optuna extra (pip install -e '.[optuna]'; make test installs it)",
)

import sim  # noqa: E402
from sim.cli.fit import FitSettings, objective  # noqa: E402
from sim.config.compose import CONF_DIR, check  # noqa: E402


def test_a_two_trial_fit_reports_the_distance_of_its_best_parameters(tmp_path):
    out = tmp_path / "fit"
    small = ["company.headcount=150", "fit.replicates=1"]
    cmd = [
        str(Path(sys.executable).with_name("exodus-fit")), "hydra.sweeper.n_trials=2", "hydra.sweeper.n_jobs=1",
        "hydra/launcher=basic", f"hydra.sweep.dir={out}", *small,
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    printed = [float(d) for d in re.findall(r"-> distance ([0-9.]+)", proc.stdout)]
    assert len(printed) == 2  # one line per trial
    result = yaml.safe_load((out / "optimization_results.yaml").read_text())
    assert result["best_value"] == pytest.approx(min(printed), abs=5e-4)
    best = {k: float(v) for k, v in result["best_params"].items()}
    assert set(best) == {f"free.{n}" for n in sim.compose(["+posterior=xai"]).free}
    # the same distance, computed again from the best parameters (seed 0, one replicate)
    run = check(
        sim.compose(["company.headcount=150", "window.end=2026-02-12", *(f"+{k}={v}" for k, v in best.items())])
    )
    scales = yaml.safe_load((CONF_DIR / "fit.yaml").read_text())["fit"]["scales"]
    again = objective(run, FitSettings(replicates=1, scales=scales))
    assert again == pytest.approx(result["best_value"], rel=1e-9)
