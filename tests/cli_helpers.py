"""Running the `exodus` command in a subprocess, as a user would, inside a temporary folder."""

import os
import subprocess
import sys
from pathlib import Path


def exodus(*args, tmp: Path, env_extra=None, timeout=180) -> subprocess.CompletedProcess:
    """Run `python -m sim ARGS` with run and sweep folders under `tmp`, without debug variables."""
    env = {k: v for k, v in os.environ.items() if k not in ("EXODUS_DEBUG", "HYDRA_FULL_ERROR")}
    env.update(env_extra or {})
    cmd = [sys.executable, "-m", "sim", *args, f"hydra.run.dir={tmp}/run", f"hydra.sweep.dir={tmp}/sweep"]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env, cwd=tmp)


def completed(tmp: Path) -> list[Path]:
    """Every COMPLETE marker under `tmp`."""
    return sorted(tmp.rglob("COMPLETE"))


def tables(folder: Path) -> dict[str, bytes]:
    """The bytes of every output table and summary under `folder`, by relative path."""
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.suffix in (".csv", ".json") and ".hydra" not in p.parts
    }


def refused(capsys, tmp_path, *args) -> str:
    """`exodus ARGS` in this process stops with status 2 and ONE line on stderr (returned), writing nothing."""
    import pytest

    from sim.cli.exodus import main

    args = sorted(args, key=lambda a: a != "-m")  # options before the overrides, as argparse wants
    with pytest.raises(SystemExit) as stop:
        main([*args, f"hydra.run.dir={tmp_path}/run", f"hydra.sweep.dir={tmp_path}/sweep"])
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert not (tmp_path / "run").exists() and not (tmp_path / "sweep").exists()
    return err
