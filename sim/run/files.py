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
    """Write tables and summary; mark the folder complete last, the marker listing each file's SHA-256 (so a
    damaged or truncated file is found on resume and by compare). Any old marker is removed first."""
    folder = Path(folder)
    (folder / COMPLETE).unlink(missing_ok=True)
    files = {f"{name}.csv": csv_bytes(getattr(result, name)) for name in TABLES}
    files["summary.json"] = json_bytes(result.summary)
    for name, data in files.items():
        write_atomic(folder / name, data)
    marker = "".join(f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in files.items())
    write_atomic(folder / COMPLETE, marker.encode())
    return folder


def why_damaged(folder: Path) -> str | None:
    """None if every file listed in `folder/COMPLETE` has its checksum, else the first problem.

    An empty marker (written before checksums were recorded) passes if its files exist; summary.json must read as
    a JSON object either way (a legacy folder holding `[]` is run again, not skipped with an error)."""
    folder = Path(folder)
    try:
        lines = (folder / COMPLETE).read_text().splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        return f"unreadable {COMPLETE} ({exc})"
    listed = {}
    for line in lines:
        digest, _, name = line.strip().partition("  ")
        if len(digest) != 64 or not name or "/" in name:
            return f"malformed {COMPLETE} line {line!r}"
        listed[name] = digest
    names = listed or dict.fromkeys(("daily.csv", "departures.csv", "summary.json"))
    for name, digest in names.items():
        try:
            data = (folder / name).read_bytes()
        except OSError:
            return f"{name} missing or unreadable"
        if digest is not None and hashlib.sha256(data).hexdigest() != digest:
            return f"{name} does not match its checksum in {COMPLETE}"
    try:
        summary = json.loads((folder / "summary.json").read_text())
    except (ValueError, OSError):
        return "summary.json is not readable JSON"
    if not isinstance(summary, dict):
        return f"summary.json is a JSON {type(summary).__name__}, not an object"
    return None


def read_summary(folder: Path) -> dict:
    return json.loads((Path(folder) / "summary.json").read_text())


def parquet_bytes(df: pd.DataFrame) -> bytes:
    """A table as Parquet (pyarrow, zstd): the stacked tables of a sweep are ~10x smaller than as CSV and keep
    their types (dates, booleans) when read back."""
    import io

    buf = io.BytesIO()
    df.to_parquet(buf, engine="pyarrow", compression="zstd", index=False)
    return buf.getvalue()
