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

    An empty marker (written before checksums were recorded) passes if its files exist and summary.json reads."""
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
    if not listed:
        try:
            json.loads((folder / "summary.json").read_text())
        except (ValueError, OSError):
            return "summary.json is not readable JSON"
    return None


def read_summary(folder: Path) -> dict:
    return json.loads((Path(folder) / "summary.json").read_text())


def source_fingerprint(modules: tuple[str, ...]) -> str:
    """A short hash of the source of these `sim` modules, in order: it changes when the model's code does."""
    package = Path(__file__).parent
    digest = hashlib.sha256()
    for name in modules:
        digest.update((package / f"{name}.py").read_bytes())
    return digest.hexdigest()[:16]
