"""What exodus's Hydra sweeper (hydra_plugins/exodus_sweeper) needs: resume keys, job folders and a progress line.

Resuming a sweep used to compose and launch every job only for it to find its folder complete (~0.4 s a job).
Now a job that finishes writes a resume key into its folder: a hash of its overrides, of every config file on
the search path and of the package's files, plus the hash of each data file its config names (design table,
posterior sample). The sweeper computes the same key from the overrides alone and does not launch a job whose
folder holds it (and whose runs are all COMPLETE). Anything changed (a config file, the code, a design table)
changes the key, and the job runs as before: composing it and skipping each run whose config hash is unchanged.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

from sim.config.confdir import package_dir
from sim.run.files import COMPLETE, json_bytes, why_damaged, write_atomic

RESUME_FILE = Path(".hydra") / "exodus_resume.json"
FAILED = "FAILED"
# swept keys that may move a job out of the sweep folder: with one of these swept, every job is launched
MOVES_FOLDER = ("study", "experiment", "+experiment", "++experiment")
PACKAGE_FILES = ("*.py", "*.csv", "*.json", "*.yaml")


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@functools.cache
def _tree_digest(folder: str, patterns: tuple[str, ...]) -> str:
    """Hash of the names and bytes of the files under `folder` matching `patterns` (cached per process)."""
    root = Path(folder)
    digest = hashlib.sha256()
    files = sorted({p for pattern in patterns for p in root.rglob(pattern) if p.is_file()})
    for path in files:
        if "__pycache__" in path.parts:
            continue
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(_sha(path.read_bytes()).encode())
    return digest.hexdigest()


def inputs_digest(config_dirs: Iterable[str]) -> str:
    """Hash of every config file on the search path and of the package (code, shipped data, shipped configs)."""
    parts = [_tree_digest(str(package_dir()), PACKAGE_FILES)]
    parts += [_tree_digest(str(Path(d).resolve()), ("*.yaml", "*.yml")) for d in config_dirs if Path(d).is_dir()]
    return _sha("\n".join(parts).encode())


def config_dirs(hydra_cfg) -> list[str]:
    """The file-system folders of the search path (hydra.runtime.config_sources with schema `file`)."""
    return [str(s.path) for s in hydra_cfg.runtime.config_sources if s.schema == "file"]


def resume_key(overrides: Sequence[str], dirs: Iterable[str]) -> str:
    """The key of a job: its overrides (as Hydra passes them) and every input they are composed from."""
    return _sha(json.dumps({"overrides": list(overrides), "inputs": inputs_digest(dirs)}).encode())[:32]


def file_digest(path: str) -> str:
    """The hash of a data file a job read ("missing" if it is not a readable regular file of bounded size)."""
    from sim.data.readfile import read_bytes

    try:
        return _sha(read_bytes(path))
    except (OSError, ValueError):
        return "missing"


def record_done(job_dir: Path, key: str, runs: Sequence[Path], files: Iterable[str]) -> None:
    """After every run of a job is complete: write its resume key, the runs and the data files it read."""
    record = {
        "key": key,
        "runs": [Path(r).relative_to(job_dir).as_posix() for r in runs],
        "files": {str(Path(f).resolve()): file_digest(f) for f in files if f},
    }
    write_atomic(Path(job_dir) / RESUME_FILE, json_bytes(record))


def forget(job_dir: Path) -> None:
    """A job starting again is not done until it says so."""
    (Path(job_dir) / RESUME_FILE).unlink(missing_ok=True)


def is_done(job_dir: Path, key: str) -> bool:
    """True if the job's folder holds this key, each of its runs is COMPLETE and each data file is unchanged."""
    path = Path(job_dir) / RESUME_FILE
    try:
        record = json.loads(path.read_text())
    except (OSError, ValueError):
        return False
    if record.get("key") != key:
        return False
    runs = [Path(job_dir) / r for r in record.get("runs", [])]
    if not all((r / COMPLETE).is_file() and why_damaged(r) is None for r in runs):  # checksums hold
        return False
    return all(file_digest(f) == digest for f, digest in record.get("files", {}).items())


def override_key(override: str) -> str:
    return override.split("=", 1)[0]


def swept_keys(batch: Sequence[Sequence[str]]) -> set[str]:
    """Override keys whose value differs between jobs."""
    values: dict[str, set[str]] = {}
    for job in batch:
        for o in job:
            values.setdefault(override_key(o), set()).add(o)
    return {k for k, v in values.items() if len(v) > 1}


def covering_jobs(batch: Sequence[Sequence[str]]) -> list[Sequence[str]]:
    """Jobs that together use every value of every override at least once: enough to catch a bad value early
    (composing every job of a 200-run grid in the launching process took ~0.25 s a job)."""
    seen: set[str] = set()
    out = []
    for job in batch:
        if not seen.issuperset(job):
            out.append(job)
            seen.update(job)
    return out


def job_replicates(job: Sequence[str], default: int) -> int:
    for o in job:
        if override_key(o) == "replicates":
            try:
                return max(1, int(o.split("=", 1)[1]))
            except ValueError:
                return default
    return default


def _fresh(path: Path, since: float) -> bool:
    try:
        return path.stat().st_mtime >= since
    except OSError:
        return False


def finished_runs(job_dir: Path, replicates: int, since: float) -> int:
    """Runs of a job finished (COMPLETE or FAILED) since `since`, counting a job that ended as all its runs."""
    if _fresh(job_dir / RESUME_FILE, since) or _fresh(job_dir / FAILED, since):
        return replicates
    if replicates == 1:
        return int(_fresh(job_dir / COMPLETE, since))
    try:
        subs = [p for p in os.scandir(job_dir) if p.is_dir() and p.name.startswith("seed=")]
    except OSError:
        return 0
    return sum(1 for p in subs if _fresh(Path(p.path) / COMPLETE, since) or _fresh(Path(p.path) / FAILED, since))


def failed_runs(job_dir: Path) -> int:
    """Runs of a job recorded as FAILED (the job's own folder, or its replicates' folders)."""
    return int((job_dir / FAILED).is_file()) + sum(1 for _ in job_dir.glob(f"seed=*/{FAILED}"))


class Progress:
    """One line counting finished runs of N with the time left (tqdm), updated from the run folders by a thread,
    so it works with any launcher whose jobs write to a shared file system (joblib, submitit)."""

    def __init__(self, jobs: list[tuple[Path, int]], enabled: bool | None, interval: float = 0.5):
        from tqdm import tqdm

        self.jobs = jobs
        self.since = time.time() - 1.0  # file times may be rounded down to the second
        self.interval = interval
        self.total = sum(r for _, r in jobs)
        self.bar = tqdm(
            total=self.total, unit="run", desc="exodus sweep", disable=None if enabled is None else not enabled
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def count(self) -> int:
        return sum(finished_runs(d, r, self.since) for d, r in self.jobs)

    def _poll(self) -> None:
        while not self._stop.wait(self.interval):
            self._update(self.count())

    def _update(self, done: int) -> None:
        done = min(done, self.total)
        if done > self.bar.n:
            self.bar.update(done - self.bar.n)

    def __enter__(self) -> Progress:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        if exc[0] is None:
            self._update(self.total)
        self.bar.close()


def report_resumed(batch: int, jobs: list[int]) -> None:
    """Tell the launching `exodus` (its sweep status folder) that these jobs of batch `batch` are complete
    already and were not launched, so its summary counts them as complete rather than as silent."""
    for i in jobs:
        report(f"resumed-{batch}-{i}", "ok (already complete)")


STATUS_ENV = "EXODUS_STATUS_DIR"


def report(job: str, status: str) -> None:
    """Tell the launching `exodus` how this job ended (a file per job in the sweep's status folder)."""
    folder = os.environ.get(STATUS_ENV)
    if not folder:
        return
    try:
        write_atomic(Path(folder) / job, (status + "\n").encode())
    except OSError as exc:
        print(f"[exodus] could not report job {job}'s status ({exc})", file=sys.stderr)


def sweep_summary(status_dir: Path, jobs: int) -> tuple[int, list[str]]:
    """Jobs that reported and the failures (one line each; a job that never reported counts as failed)."""
    reports = {p.name: p.read_text().strip() for p in status_dir.iterdir() if not p.name.startswith(".")}
    failures = [r.split("\t", 1)[1] if "\t" in r else r for r in reports.values() if r.startswith("failed")]
    missing = max(jobs - len(reports), 0)
    failures += [f"{missing} job(s) ended without reporting (killed, or the launcher failed)"] if missing else []
    return len(reports), failures
