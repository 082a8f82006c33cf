"""Read a sweep folder (one sub-folder per run, or per job of `replicates` runs in `seed=<k>/` sub-folders)
into tidy tables, skipping and listing unfinished runs.

Hydra writes no aggregate of a multirun; this module is that aggregate. Each run is
identified by its `arm` (the policy and the settings of the levers it uses) and its
pairing key (`scenario`, a fingerprint of every other config value, plus `seed`):
runs with the same key and different arms are paired (common random numbers).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from tqdm import tqdm

from sim.analysis import value
from sim.config.leverpriors import drawn_fields
from sim.run.files import COMPLETE, why_damaged
from sim.run.integrity import RunDamaged, check_run_tables

FAILED = "FAILED"  # written by the `exodus` app into a run folder whose run raised
RUN_FILES = ("daily.csv", "departures.csv", "summary.json")
RUN_SIGNS = (COMPLETE, FAILED, ".hydra", "summary.json")  # any of these makes a folder a run folder
OWN_RUN_SIGNS = (COMPLETE, FAILED, "summary.json")  # a job folder holding replicates is a run itself only with these
REPLICATE = re.compile(r"seed=-?\d+")  # the name of a replicate's folder inside its job's folder (`replicates` > 1)
NOT_SCENARIO = ("policy", "lever", "study", "seed", "replicates")
LABEL_SKIP = ("policy", "seed", "replicates", "study", "experiment", "+experiment", "hydra")


class SweepError(ValueError):
    """A sweep folder that cannot be read; the message says which folder and why."""


@dataclass
class Sweep:
    """A sweep's tidy tables: `runs` one row per complete run, `daily` its days, `tenure` its people
    (aggregated: one row per run, cohort, duration and event, with a `count`), `skipped` the folders left out."""

    root: Path
    runs: pd.DataFrame
    daily: pd.DataFrame
    tenure: pd.DataFrame
    skipped: pd.DataFrame
    shocks: list[dict]
    destinations: pd.DataFrame | None = None  # leavers per run and destination (run, destination, kind, leavers)


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:10]


def scenario_key(config: dict) -> str:
    """Fingerprint of the config minus the policy, the lever library, the study name and the seed."""
    return _digest({k: v for k, v in config.items() if k not in NOT_SCENARIO})


def arm_key(config: dict) -> str:
    """Fingerprint of the policy and the settings of the levers it uses (unused levers do not matter). With a
    lever draw (`lever_draw` >= 0) the drawn effect sizes are the uncertain world, not the arm: they are left out."""
    levers = list(config["policy"].get("levers", []))
    library = config.get("lever", {})
    settings = [library.get(name) for name in levers]
    if int(config.get("lever_draw", -1)) >= 0:
        settings = [
            {k: v for k, v in s.items() if k not in drawn_fields(name)} if isinstance(s, dict) else s
            for name, s in zip(levers, settings, strict=True)
        ]
    return _digest({"policy": config["policy"], "levers": settings})


def _is_run_folder(path: Path) -> bool:
    return path.is_dir() and any((path / f).exists() for f in RUN_SIGNS)


def _why_incomplete(folder: Path) -> str | None:
    """None for a finished run, else the reason it is left out."""
    if (folder / FAILED).exists():
        lines = (folder / FAILED).read_text(errors="replace").strip().splitlines()
        return f"failed: {lines[-1] if lines else 'no message'}"
    if not (folder / COMPLETE).exists():
        return "no COMPLETE marker (unfinished or interrupted)"
    missing = [f for f in RUN_FILES if not (folder / f).exists()]
    if missing:
        return f"COMPLETE but missing {', '.join(missing)}"
    damaged = why_damaged(folder)
    return f"damaged: {damaged}" if damaged else None


def _replicates(job: Path) -> list[Path]:
    """The replicate folders of a job folder (`seed=<k>/`), by seed."""
    found = [p for p in job.iterdir() if p.is_dir() and REPLICATE.fullmatch(p.name)]
    return sorted(found, key=lambda p: int(p.name.split("=", 1)[1]))


def find_runs(root: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Run folders under `root`: the complete ones, and the others with the reason.

    A folder directly under `root` (not hidden) is read as follows. If it has sub-folders named
    `seed=<integer>`, it is a job that ran several replicates (`replicates` > 1): each such
    sub-folder is a run folder, whatever it holds (an empty one is a replicate that was interrupted);
    the job folder itself is a run folder too only if it holds `COMPLETE`, `FAILED` or `summary.json`
    (e.g. its config was refused before any replicate ran). Otherwise it is a run folder if it holds
    any of RUN_SIGNS (a Hydra job's `.hydra`, `COMPLETE`, `FAILED` or `summary.json`), or if it is
    named `seed=<integer>` (so `root` may be one job's folder, e.g. a single `replicates` > 1 run).
    Replicates a job never reached have no folder and are not listed.
    """
    root = Path(root)
    if not root.exists():
        raise SweepError(f"{root}: no such folder")
    if not root.is_dir():
        raise SweepError(f"{root}: not a folder")
    folders = []
    for p in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        replicates = _replicates(p)
        if not replicates and (_is_run_folder(p) or REPLICATE.fullmatch(p.name)):
            folders.append(p)
        elif replicates:
            if any((p / f).exists() for f in OWN_RUN_SIGNS):
                folders.append(p)
            folders.extend(replicates)
    complete, incomplete = [], []
    for f in folders:
        try:
            why = _why_incomplete(f)
        except OSError as exc:
            why = f"unreadable: {exc}"
        (incomplete.append((f, why)) if why else complete.append(f))
    return complete, incomplete


def run_name(root: Path, folder: Path) -> str:
    """A run's name in the tables: its folder relative to the sweep folder (`job/seed=3` for a replicate)."""
    return Path(folder).relative_to(root).as_posix()


def is_replicate(folder: Path) -> bool:
    """A replicate's folder: named `seed=<k>`, without its own `.hydra`, inside a job folder that has one."""
    folder = Path(folder)
    return (
        REPLICATE.fullmatch(folder.name) is not None
        and not (folder / ".hydra").exists()
        and (folder.parent / ".hydra").is_dir()
    )


def read_overrides(folder: Path) -> list[str]:
    """The command-line overrides of a run (Hydra's `.hydra/overrides.yaml`), or [] if absent.

    A replicate has none of its own: it reads its job's (whose `seed` is the job's first seed; the
    replicate's own seed is in its summary).
    """
    folder = Path(folder)
    path = (folder.parent if is_replicate(folder) else folder) / ".hydra" / "overrides.yaml"
    if not path.exists():
        return []
    data = yaml.safe_load(path.read_text())
    return [str(x) for x in data] if isinstance(data, list) else []


def _scenario_label(overrides: list[str]) -> str:
    keep = [o for o in overrides if o.split("=", 1)[0] not in LABEL_SKIP and not o.startswith(("lever.", "hydra."))]
    return " ".join(keep)


def tenure_rows(daily: pd.DataFrame, departures: pd.DataFrame, start: dt.date) -> pd.DataFrame:
    """Censored durations of one run, from what a run folder holds (there is no per-person table of stayers).

    cohort `start`: the staff present on the window's first morning; duration = days from the window
    start to leaving (event) or to the window's end (censored). cohort `hired`: people hired inside the
    window; duration = days from hire to leaving, or to the window's end. One row per (cohort, duration,
    event) with the number of people in `count`.
    """
    days = len(daily)
    day_of = {d: i for i, d in enumerate(pd.to_datetime(daily["date"]).dt.date)}
    headcount_start = int(daily.headcount.iloc[0] + daily.departures.iloc[0] - daily.hires.iloc[0])
    left_day = np.array([day_of[d] for d in pd.to_datetime(departures["date"]).dt.date], dtype=int)
    hired = pd.to_datetime(departures["hired"]).dt.date
    in_window = (hired >= start).to_numpy()

    rows = []
    # starting staff
    dur = left_day[~in_window]
    rows.append(pd.DataFrame({"cohort": "start", "duration": dur, "event": True}))
    stayers = headcount_start - dur.size
    if stayers < 0:
        raise SweepError(f"more leavers hired before the window ({dur.size}) than starting staff ({headcount_start})")
    rows.append(pd.DataFrame({"cohort": ["start"], "duration": [days], "event": [False], "count": [stayers]}))
    # hires inside the window
    hire_day = np.array([day_of[d] for d in hired[in_window]], dtype=int)
    rows.append(pd.DataFrame({"cohort": "hired", "duration": left_day[in_window] - hire_day, "event": True}))
    hires = daily.hires.to_numpy(dtype=int)
    left_by_hire_day = np.bincount(hire_day, minlength=days)
    still = hires - left_by_hire_day
    if (still < 0).any():
        bad = int(np.flatnonzero(still < 0)[0])
        raise SweepError(f"more leavers hired on day {bad} than hires that day ({hires[bad]})")
    on = np.flatnonzero(still > 0)
    rows.append(pd.DataFrame({"cohort": "hired", "duration": days - on, "event": False, "count": still[on]}))
    out = pd.concat(rows, ignore_index=True)
    out["count"] = out["count"].fillna(1).astype(int)
    out = out.groupby(["cohort", "duration", "event"], as_index=False, sort=True)["count"].sum()
    return out[out["count"] > 0].reset_index(drop=True)


def destination_counts(deps: pd.DataFrame) -> pd.DataFrame:
    """Leavers per destination and destination kind of one run's departures (empty for runs made without them)."""
    cols = ["destination", "destination_kind"]
    if not set(cols) <= set(deps.columns):
        return pd.DataFrame(columns=[*cols, "leavers"])
    d = deps[cols].fillna("")
    return d.groupby(cols, sort=True).size().rename("leavers").reset_index()


def _observed_dir(config: dict) -> str:
    """The run's `observed.dir` (the observed data its comparisons use; "" = the shipped record)."""
    obs = config.get("observed")
    return str(obs.get("dir", "")) if isinstance(obs, dict) else ""


def _read_run(folder: Path, name: str) -> tuple[dict, pd.DataFrame, pd.DataFrame, list[dict], pd.DataFrame]:
    summary = json.loads((folder / "summary.json").read_text())
    if not isinstance(summary, dict):
        raise SweepError("summary.json is not a JSON object")
    missing = [k for k in ("policy", "seed", "window", "config", "figures") if k not in summary]
    if missing:
        raise SweepError(f"summary.json lacks {', '.join(missing)}")
    config = summary["config"]
    overrides = read_overrides(folder)
    record = {
        "run": name,
        "policy": summary["policy"],
        "seed": int(summary["seed"]),
        "scenario": scenario_key(config),
        "scenario_overrides": _scenario_label(overrides),
        "arm_key": arm_key(config),
        "lever_overrides": " ".join(o for o in overrides if o.startswith("lever.")),
        "overrides": " ".join(overrides),
        "config_hash": summary.get("config_hash", ""),
        "window_start": summary["window"]["start"],
        "window_end": summary["window"]["end"],
        "observed_dir": _observed_dir(config),
        "cost_total": float(summary["figures"].get("policy_cost_total", 0.0)),
    }
    daily = pd.read_csv(folder / "daily.csv")
    wanted = {"date", "hired", "role", "destination", "destination_kind"}
    deps = pd.read_csv(folder / "departures.csv", usecols=lambda c: c in wanted)
    check_run_tables(summary, daily, deps)
    record["lever_draw"] = int(config.get("lever_draw", -1))
    record.update(value.run_record(config, deps["role"]))  # departures by role and pay: what a valuation needs
    start = dt.date.fromisoformat(record["window_start"])
    tenure = tenure_rows(daily, deps, start)
    return record, daily, tenure, list(config.get("shocks", [])), destination_counts(deps)


def _name_arms(runs: pd.DataFrame) -> pd.Series:
    """The policy name, qualified by its lever overrides when one policy was run with several lever settings."""
    variants = runs.groupby("policy")["arm_key"].transform("nunique")
    label = runs["lever_overrides"].where(runs["lever_overrides"] != "", "#" + runs["arm_key"].str[:6])
    return runs["policy"].where(variants == 1, runs["policy"] + "[" + label + "]")


def read_sweep(root: Path, progress: bool | None = None) -> Sweep:
    """Read every complete run under `root`; unfinished, failed, unreadable and duplicate runs go to `skipped`.

    progress: None shows a tqdm bar only on a terminal, True always, False never.
    """
    root = Path(root)
    complete, incomplete = find_runs(root)
    skipped = [{"run": run_name(root, f), "reason": why} for f, why in incomplete]
    records, dailies, tenures, shocks, dests = [], [], [], {}, []
    bar = tqdm(complete, desc="reading runs", unit="run", disable=None if progress is None else not progress)
    for folder in bar:
        try:
            record, daily, tenure, run_shocks, dest = _read_run(folder, run_name(root, folder))
        except RunDamaged as exc:
            skipped.append({"run": run_name(root, folder), "reason": f"damaged: {exc}"})
            continue
        except Exception as exc:  # whatever a hand-edited folder holds, it is skipped with the reason, never fatal
            reason = " ".join(str(exc).split())
            skipped.append({"run": run_name(root, folder), "reason": f"unreadable: {type(exc).__name__}: {reason}"})
            continue
        records.append(record)
        dailies.append(daily.assign(run=record["run"]))
        tenures.append(tenure.assign(run=record["run"]))
        dests.append(dest.assign(run=record["run"]))
        for s in run_shocks:
            shocks.setdefault((s.get("date"), s.get("name")), s)
    runs = pd.DataFrame(records)
    if not runs.empty:
        runs["arm"] = _name_arms(runs)
        dup = runs.duplicated(["arm", "scenario", "seed"], keep="first")
        for _, row in runs[dup].iterrows():
            first = runs[(runs.arm == row.arm) & (runs.scenario == row.scenario) & (runs.seed == row.seed)].run.iloc[0]
            skipped.append({"run": row.run, "reason": f"duplicate of {first} (same arm, scenario and seed)"})
        runs = runs[~dup].reset_index(drop=True)
    keep = set(runs["run"]) if not runs.empty else set()
    ident = runs[["run", "arm", "policy", "scenario"]] if not runs.empty else None
    daily = pd.concat([d for d in dailies if d.run.iloc[0] in keep], ignore_index=True) if keep else pd.DataFrame()
    tenure = pd.concat([t for t in tenures if t.run.iloc[0] in keep], ignore_index=True) if keep else pd.DataFrame()
    if keep:
        daily = daily.merge(ident, on="run", how="left")
        daily["date"] = pd.to_datetime(daily["date"])
        tenure = tenure.merge(ident, on="run", how="left")
    dests = [d for d in dests if not d.empty and d.run.iloc[0] in keep]
    dest = pd.concat(dests, ignore_index=True).merge(ident, on="run", how="left") if dests else None
    skipped_df = pd.DataFrame(skipped, columns=["run", "reason"]).sort_values("run", kind="stable")
    shock_list = sorted(shocks.values(), key=lambda s: (str(s.get("date")), str(s.get("name"))))
    return Sweep(root, runs, daily, tenure, skipped_df.reset_index(drop=True), shock_list, dest)


# -- Python API: run a sweep and load its tables (README "Sweeps from Python") --

STACKED = ("runs", "daily", "tenure")  # the tables of many runs stacked, written as Parquet


def write_tables(sweep: Sweep, out: Path) -> list[Path]:
    """Write the stacked tables (runs, daily, tenure) as Parquet and `skipped` as CSV into `out`, atomically."""
    from sim.run.files import csv_bytes, parquet_bytes, write_atomic

    out = Path(out)
    written = []
    for name in STACKED:
        path = out / f"{name}.parquet"
        write_atomic(path, parquet_bytes(getattr(sweep, name)))
        written.append(path)
    write_atomic(out / "skipped.csv", csv_bytes(sweep.skipped))
    return [*written, out / "skipped.csv"]


def load(root: Path | str, progress: bool | None = None) -> Sweep:
    """A sweep folder's tables for your own analysis: `runs` (one row per complete run: policy, seed, arm,
    scenario, overrides, config hash, window, and its figures: departures by cause and in total, by 28 Feb 2026,
    co-founders remaining, announcements of 6-12 Feb 2026, cost), `daily` (every run's daily table stacked, with
    `run`, `arm`, `policy`, `scenario`), `tenure` (censored durations) and `skipped` (folders left out, and why).
    """
    from sim.analysis.compare import per_run

    sweep = read_sweep(Path(root), progress=progress)
    if not sweep.runs.empty:
        sweep.runs = per_run(sweep.runs, sweep.daily)
    return sweep


def run_sweep(
    overrides: list[str], *, cwd: Path | str | None = None, progress: bool = False, quiet: bool = True
) -> Path:
    """Run `exodus -m OVERRIDES` (a grid: `policy=none,retention_bonus`, `seed=range(5)`; or `+experiment=NAME`)
    in a separate process and return its sweep folder (`results/<study>` under `cwd`, default the current folder).

    Runs already complete are skipped, as on the command line. Raises SweepError with exodus's message if the
    sweep fails (e.g. a bad value, named with the field).
    """
    import os
    import subprocess
    import sys

    cwd = Path(cwd or Path.cwd()).resolve()
    args = [sys.executable, "-m", "sim", "-m", *overrides, f"hydra.sweeper.progress={str(progress).lower()}"]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=quiet, text=True)
    if proc.returncode != 0:
        detail = (proc.stderr or "").strip().splitlines()[-1:] if quiet else []
        raise SweepError(f"exodus -m {' '.join(overrides)} failed (exit {proc.returncode}) {' '.join(detail)}")
    return sweep_folder(overrides, cwd)


ADHOC = "adhoc"  # the parent folder of sweeps run without a study name: results/adhoc/<their overrides>/
NAMES_A_FOLDER = ("study", "+experiment", "experiment", "hydra.sweep.dir")


NOT_A_SETTING = ("policy", "seed", "replicates", "posterior_draw", "lever_draw", "design.row")


def adhoc_study(overrides: list[str]) -> str | None:
    """The study of a sweep run without `study=`, a named experiment or `hydra.sweep.dir`: `adhoc/<its settings>`,
    the overrides that set the scenario (sorted; policies, lever settings, seeds and draws left out, as are hydra.*),
    or `adhoc/default`. Sweeps of other scenarios get other folders; sweeps of more policies or seeds in the same
    scenario share one, and the same command finds it again to resume. None when the command names its folder."""
    keys = [o.split("=", 1)[0].lstrip("~+") for o in overrides]
    if any(k in NAMES_A_FOLDER or f"+{k}" in NAMES_A_FOLDER for k in keys):
        return None
    kept = sorted(
        o.replace("'", "").replace('"', "")
        for o, k in zip(overrides, keys, strict=True)
        if k not in NOT_A_SETTING and not k.startswith(("hydra.", "lever."))
    )
    label = re.sub(r"[^A-Za-z0-9_.=,+-]", "-", "_".join(kept)) or "default"
    if len(label) > 96:  # a folder name stays short; the hash keeps two long command lines apart
        label = label[:86] + "-" + hashlib.sha256(label.encode()).hexdigest()[:8]
    return f"{ADHOC}/{label}"


def sweep_folder(overrides: list[str], cwd: Path | str = ".") -> Path:
    """The folder `exodus -m OVERRIDES` writes into: `hydra.sweep.dir`, composed from the overrides that are
    not swept (a sweep's folder cannot depend on a swept value)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    from sim.config.compose import compose

    parsed = OverridesParser.create().parse_overrides(list(overrides))
    fixed = [o.input_line for o in parsed if not o.is_sweep_override()]
    given = [o.split("=", 1)[1] for o in fixed if o.startswith("hydra.sweep.dir=")]
    if given:
        return (Path(cwd) / given[-1]).resolve()
    study = compose([o for o in fixed if not o.startswith("hydra.")]).study
    return (Path(cwd) / "results" / str(adhoc_study(list(overrides)) or study)).resolve()


# -- settings: the scenario a run was asked for, to keep runs of different scenarios apart --

WORLD_KEYS = ("posterior_draw", "lever_draw", "design.row")  # uncertain worlds a comparison averages over on purpose


def settings_of(runs: pd.DataFrame) -> pd.Series:
    """Per run, the overrides that set its scenario (`scenario_overrides` minus the world draws), as one label:
    runs with different labels were asked for different scenarios and are not to be averaged together."""
    if "scenario_overrides" not in runs:
        return pd.Series("", index=runs.index, dtype=object)

    def label(text: str) -> str:
        kept = [o for o in str(text or "").split() if o.split("=", 1)[0].lstrip("+~") not in WORLD_KEYS]
        return " ".join(sorted(kept))

    return runs["scenario_overrides"].map(label)


def differing_settings(runs: pd.DataFrame) -> dict[str, list[str]]:
    """The keys whose value differs between runs' settings, each with the values seen (`(default)` when not set)."""
    parsed = [dict(o.split("=", 1) for o in s.split() if "=" in o) for s in settings_of(runs).unique()]
    keys = sorted({k for p in parsed for k in p})
    out = {}
    for k in keys:
        values = sorted({p.get(k, "(default)") for p in parsed})
        if len(values) > 1:
            out[k] = values
    return out


def subset(sweep: Sweep, runs: set[str]) -> Sweep:
    """The same sweep restricted to some runs (by name); `skipped` and `shocks` stay whole."""

    def keep(df):
        return df if df is None or df.empty or "run" not in df else df[df["run"].isin(runs)].reset_index(drop=True)

    return Sweep(
        sweep.root,
        keep(sweep.runs),
        keep(sweep.daily),
        keep(sweep.tenure),
        sweep.skipped,
        sweep.shocks,
        keep(sweep.destinations),
    )
