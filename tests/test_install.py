"""A normal install (`pip install .`, not -e) runs from any folder: the wheel carries conf/ and the sweeper.

The wheel is built from a copy of the sources and installed without dependencies into a fresh venv that reads
them from this venv's site-packages (a .pth line), so the test needs no network and takes well under a minute.
Runs in CI with the rest of the suite.
"""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("sim", "conf", "hydra_plugins", "pyproject.toml", "README.md")


def _run(cmd, cwd, env, timeout=120) -> subprocess.CompletedProcess:
    proc = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(map(str, cmd))}\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv bin folder, a working folder outside the repository, the environment to run in)."""
    pytest.importorskip("setuptools", reason="the dev extra's setuptools builds the wheel")
    tmp = tmp_path_factory.mktemp("install")
    src = tmp / "src"
    src.mkdir()
    for name in SOURCES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, src / name)
    for junk in src.rglob("__pycache__"):
        shutil.rmtree(junk, ignore_errors=True)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "EXODUS_CONF", "EXODUS_DEBUG")}
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", tmp / "dist", src], tmp, env)
    wheel = next((tmp / "dist").glob("exodus-*.whl"))
    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], tmp, env)
    _run([*pip, "--python", venv / "bin" / "python", "install", "--no-deps", wheel], tmp, env)
    site = Path(
        _run(
            [venv / "bin" / "python", "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], tmp, env
        ).stdout.strip()
    )
    (site / "zz_exodus_test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")  # this venv's packages
    work = tmp / "elsewhere"
    work.mkdir()
    return venv / "bin", work, env, wheel


def test_the_wheel_ships_the_configs_and_the_sweeper(installed):
    *_, wheel = installed
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n.removeprefix("sim/conf/") for n in names if n.startswith("sim/conf/")}
    expected = {p.relative_to(ROOT / "conf").as_posix() for p in (ROOT / "conf").rglob("*.yaml")}
    assert expected and shipped == expected
    assert "hydra_plugins/exodus_sweeper/exodus_sweeper.py" in names


@pytest.mark.slow
def test_an_installed_wheel_runs_every_command_from_another_folder(installed):
    bin_, work, env, _ = installed
    py = bin_ / "python"
    # the package is the installed one, and sim.compose / sim.simulate find its configs
    code = (
        "import sim; from sim.config.confdir import conf_dir; "
        "cfg = sim.compose(['seed=1', 'company.headcount=120']); r = sim.simulate(cfg); "
        "print(sim.__file__); print(conf_dir()); print(len(r.daily))"
    )
    out = _run([py, "-c", code], work, env).stdout.split()
    assert out[0].startswith(str(bin_.parent)) and out[1].startswith(str(bin_.parent)), out
    assert int(out[2]) == 365

    # one run, written under the current folder
    _run([bin_ / "exodus", "seed=2", "company.headcount=120"], work, env)
    (run,) = (work / "results" / "runs").iterdir()
    assert (run / "COMPLETE").is_file() and json.loads((run / "summary.json").read_text())["seed"] == 2

    # a sweep (exodus's sweeper is found in the wheel), resumed, then compared
    sweep = [bin_ / "exodus", "-m", "policy=none,retention_bonus", "seed=0,1", "company.headcount=120", "study=t"]
    _run(sweep, work, env)
    again = _run(sweep, work, env)
    assert "4 already complete" in again.stderr, again.stderr
    _run([bin_ / "exodus-compare", work / "results" / "t", "--no-plots"], work, env)
    runs = pd.read_parquet(work / "results" / "t" / "compare" / "runs.parquet")
    assert sorted(runs.policy) == ["none", "none", "retention_bonus", "retention_bonus"]

    # the shipped posterior's fit report (no ABC)
    cal = [bin_ / "exodus-calibrate", "--posterior", "xai", "--draws", "4", "--procs", "1", "--no-progress"]
    _run(cal, work, env, timeout=180)
    assert (work / "results" / "calibration" / "fit_report.md").is_file()

    # help, and a config folder of the user's own beside the shipped one
    assert "Usage" in _run([bin_ / "exodus", "--help"], work, env).stdout
    mine = work / "my_conf" / "policy"
    mine.mkdir(parents=True)
    (mine / "mine.yaml").write_text("name: mine\nlevers: [retention_bonus]\n")
    out = _run([bin_ / "exodus", "hydra.searchpath=[file://my_conf]", "policy=mine", "--cfg", "job"], work, env)
    assert "name: mine" in out.stdout
