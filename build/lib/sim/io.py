"""Writing a run's folder atomically: each file appears whole or not at all, and a
`COMPLETE` marker is written last, so a folder without it is known to be unfinished."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path

import pandas as pd

COMPLETE = "COMPLETE"
TABLES = ("daily", "departures", "offers")


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, then rename it into place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def csv_bytes(df: pd.DataFrame) -> bytes:
    return df.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode()


def json_bytes(obj) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n").encode()


def is_complete(folder: Path) -> bool:
    return (Path(folder) / COMPLETE).exists()


def write_run(result, folder: Path) -> Path:
    """Write tables and summary; mark the folder complete last. Any old marker is removed first."""
    folder = Path(folder)
    (folder / COMPLETE).unlink(missing_ok=True)
    for name in TABLES:
        write_atomic(folder / f"{name}.csv", csv_bytes(getattr(result, name)))
    write_atomic(folder / "summary.json", json_bytes(result.summary))
    write_atomic(folder / COMPLETE, b"")
    return folder


def read_summary(folder: Path) -> dict:
    return json.loads((Path(folder) / "summary.json").read_text())


def source_fingerprint(modules: tuple[str, ...]) -> str:
    """A short hash of the source of these `sim` modules, in order: it changes when the model's code does."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for name in modules:
        digest.update((package / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]
