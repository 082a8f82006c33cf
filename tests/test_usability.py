"""Runs started together never share a folder; outputs respect the umask; every command has a help that teaches."""

import functools
import json
import os
import re
import subprocess
import sys
import tomllib
from importlib import import_module
from pathlib import Path

import pytest
import yaml

from sim.config.compose import CONF_DIR
from sim.run.files import write_atomic, write_run

ROOT = Path(__file__).resolve().parents[1]
TINY = ("company.headcount=100", "events=none", "window.end=2025-10-15")
ENV = {k: v for k, v in os.environ.items() if k not in ("EXODUS_DEBUG", "HYDRA_FULL_ERROR", "EXODUS_CONF")}


def test_runs_started_together_get_their_own_complete_folders(tmp_path):
    seeds = [5, 5, 6, 6]  # two pairs started in the same second with the same seed
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "sim", *TINY, f"seed={s}"],
            cwd=tmp_path,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in seeds
    ]
    for p in procs:
        out, err = p.communicate(timeout=180)
        assert p.returncode == 0, err
    folders = sorted((tmp_path / "results" / "runs").iterdir())
    assert len(folders) == len(seeds)
    found = []
    for f in folders:
        assert (f / "COMPLETE").is_file(), f
        seed = json.loads((f / "summary.json").read_text())["seed"]
        overrides = yaml.safe_load((f / ".hydra" / "overrides.yaml").read_text())
        assert f"seed={seed}" in overrides  # the tables and the recorded command belong to the same run
        assert re.fullmatch(rf"\d{{4}}-\d\d-\d\d_\d\d-\d\d-\d\d_seed={seed}_[0-9a-f]{{6}}", f.name), f.name
        found.append(seed)
    assert sorted(found) == seeds


@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_outputs_get_the_mode_the_umask_gives_and_are_still_written_atomically(tmp_path, umask, mode):
    old = os.umask(umask)
    try:
        write_atomic(tmp_path / "a.csv", b"x\n")
        write_atomic(tmp_path / "a.csv", b"y\n")  # replaced whole
        reference = tmp_path / "plain.txt"
        reference.write_text("z")  # what a plain open gives under this umask
    finally:
        os.umask(old)
    assert (tmp_path / "a.csv").read_bytes() == b"y\n"
    assert (tmp_path / "a.csv").stat().st_mode & 0o777 == mode == reference.stat().st_mode & 0o777
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_a_run_folder_is_readable_by_others_under_umask_022(tmp_path):
    import sim

    result = sim.simulate(sim.compose([*TINY, "seed=1"]))
    old = os.umask(0o022)
    try:
        write_run(result, tmp_path / "run")
    finally:
        os.umask(old)
    modes = {p.name: p.stat().st_mode & 0o777 for p in (tmp_path / "run").iterdir()}
    assert set(modes) == {"daily.csv", "departures.csv", "offers.csv", "summary.json", "COMPLETE"}
    assert set(modes.values()) == {0o644}, modes


def _scripts() -> dict[str, str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


@functools.cache
def _help(name: str, target: str) -> str:
    """The --help text of a console command run in a subprocess (once per test session)."""
    module, func = target.split(":")
    code = f"import sys; sys.argv = [{name!r}, '--help']; from {module} import {func}; {func}()"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120)
    assert proc.returncode == 0, (name, proc.stderr[-2000:])
    return proc.stdout


def test_every_console_command_has_a_help(capsys):
    scripts = _scripts()
    assert len(scripts) >= 7
    for name, target in scripts.items():
        module, func = target.split(":")
        if name in ("exodus", "exodus-fit"):  # Hydra apps read sys.argv
            text = _help(name, target)
        else:
            with pytest.raises(SystemExit) as stop:
                getattr(import_module(module), func)(["--help"])
            assert stop.value.code == 0
            text = capsys.readouterr().out
        assert name in text and len(text.splitlines()) >= 5, (name, text)


def test_exodus_help_teaches_usage_examples_policies_outputs_and_commands():
    text = _help("exodus", _scripts()["exodus"])
    for must in ("Usage", "Examples", "-m", "seed='range(20)'", "replicates=", "+experiment=", "resumes", "results/"):
        assert must in text, must
    assert "powered by Hydra" not in text and "== Config ==" not in text  # not Hydra's stock text
    lines = text.splitlines()
    for policy in sorted(p.stem for p in (CONF_DIR / "policy").glob("*.yaml")):  # each with its one line
        (line,) = [ln for ln in lines if ln.split()[:1] == [policy]]
        assert len(line.split()) >= 3, line
    for command in _scripts():
        assert command in text, command
    assert "hydra.searchpath" in text and "EXODUS_CONF" in text
