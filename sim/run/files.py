"""Writing a run's folder atomically: each file appears whole or not at all, and a
`COMPLETE` marker is written last, so a folder without it is known to be unfinished."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pandas as pd

COMPLETE = "COMPLETE"
TABLES = ("daily", "departures", "offers")


def current_umask() -> int:
    """The process's umask (Linux: read from /proc, which changes nothing; elsewhere set and restored at once)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to a temporary file beside `path`, then rename it into place. The file gets the mode a plain
    `open` would give (0644 under umask 0022: colleagues can read it), not mkstemp's private 0600."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o666 & ~current_umask())
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


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """A table as Parquet (pyarrow, zstd): the stacked tables of a sweep are ~10x smaller than as CSV and keep
    their types (dates, booleans) when read back."""
    import io

    buf = io.BytesIO()
    df.to_parquet(buf, engine="pyarrow", compression="zstd", index=False)
    return buf.getvalue()
