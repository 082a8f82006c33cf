"""Rolling-origin backtest: the backtest (calibrate on the record up to a cutoff, forecast, score beside the
references) repeated at a series of cutoffs, each origin in its own process and its own result file.

Origins: the last day of each month from the simulated window's start, then weekly over the last two months, up to
the last day that leaves the shortest horizon (7 days) inside the record. Each origin's result is written
atomically to origins/<cutoff>.json with a key of everything that decides it (scenario, record, ABC settings,
draws); a rerun skips the origins whose file holds the same key, so an interrupted run resumes.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.data.record import Record
from sim.forecast import events, skill
from sim.forecast.references import REFERENCES
from sim.run.files import json_bytes, write_atomic

WEEKLY_DAYS = 56  # the last two months (8 weeks) get weekly origins


def origins(window_start: dt.date, record_end: dt.date, shortest: int = min(events.HORIZONS)) -> list[dt.date]:
    """Month ends after `window_start`, then every 7 days over the last WEEKLY_DAYS, the last origin being the last
    day that leaves `shortest` days to score before `record_end`."""
    last = record_end - dt.timedelta(days=int(shortest))
    if last <= window_start:
        return []
    weekly = [last - dt.timedelta(days=7 * k) for k in range(WEEKLY_DAYS // 7 + 1)]
    weekly = [d for d in weekly if d > window_start]  # a calibration needs at least a day of window
    first_weekly = min(weekly)
    monthly, m = [], window_start.replace(day=1)
    while True:
        nxt = (m.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
        end = nxt - dt.timedelta(days=1)
        if end >= first_weekly - dt.timedelta(days=7):
            break
        if end > window_start:
            monthly.append(end)
        m = nxt
    return sorted(set(monthly + weekly))


@dataclass
class Job:
    """One rolling backtest: the scenario, the record, ABC settings (sim.calibration.abcsmc.Settings), draws."""

    run: object
    record: Record
    settings: object
    draws: int
    later_events: bool
    out: Path


def _digest(obj) -> str:
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()[:16]


def key(job: Job, cutoff: dt.date) -> str:
    """What decides an origin's result (not the number of processes or the progress bars)."""
    from sim.run.simulate import config_hash

    rec = job.record
    tables = [t.to_csv(index=False) if t is not None else "" for t in (rec.departures, rec.founders,
                                                                        rec.headcount, rec.counts)]  # fmt: skip
    settings = {k: v for k, v in dataclasses.asdict(job.settings).items() if k not in ("procs", "progress", "address")}
    return _digest([cutoff, config_hash(job.run, 0), tables, settings, job.draws, job.later_events])


def path(job: Job, cutoff: dt.date) -> Path:
    return Path(job.out) / "origins" / f"{cutoff.isoformat()}.json"


def done(job: Job, cutoff: dt.date) -> bool:
    p = path(job, cutoff)
    if not p.is_file():
        return False
    try:
        return json.loads(p.read_text()).get("key") == key(job, cutoff)
    except (OSError, ValueError):
        return False


def run_origin(job: Job, cutoff: dt.date) -> dict:
    """Backtest at `cutoff` (ABC on the record up to it, one process) and write its result file atomically."""
    from sim.calibration import backtest

    logging.getLogger("ABC").setLevel(logging.WARNING)  # a worker process: pyabc logs each generation at INFO
    started = time.perf_counter()
    settings = dataclasses.replace(job.settings, procs=1, progress=False)
    bt = backtest.run_backtest(job.run, job.record, cutoff, settings, job.draws, 1, False,
                               later_events=job.later_events)  # fmt: skip
    sk = bt.skill
    out = {
        "key": key(job, cutoff),
        "cutoff": cutoff.isoformat(),
        "seconds": round(time.perf_counter() - started, 1),
        "abc_simulations": bt.posterior.meta.get("simulations"),
        "scores": sk.scores.to_dict(orient="records"),
        "fitted": sk.fitted.to_dict(orient="records"),
        "skipped": sk.skipped,
    }
    write_atomic(path(job, cutoff), json_bytes(out))
    return out


def _task(args):
    job, cutoff = args
    return run_origin(job, cutoff)


def load_scores(job: Job, cutoffs) -> pd.DataFrame:
    """Every finished origin's window scores, stacked (dates as dates)."""
    frames = []
    for c in cutoffs:
        rows = json.loads(path(job, c).read_text())["scores"]
        if rows:
            frames.append(pd.DataFrame(rows))
    if not frames:
        return pd.DataFrame()
    df = pd.concat(frames, ignore_index=True)
    for col in ("cutoff", "start", "end"):
        df[col] = [dt.date.fromisoformat(str(x)) for x in df[col]]
    return df


def per_origin(scores: pd.DataFrame) -> pd.DataFrame:
    """Per origin and reference, pooled over its targets and horizons: windows, mean CRPS of the model and of the
    reference, and the model's skill."""
    rows = []
    for cutoff, g in scores.groupby("cutoff", sort=True):
        m = float(g.loc[g.forecaster == skill.MODEL, "crps"].mean())
        for ref in REFERENCES:
            r = float(g.loc[g.forecaster == ref, "crps"].mean())
            rows.append({"cutoff": cutoff, "reference": ref, "windows": int((g.forecaster == ref).sum()),
                         "model_crps": m, "reference_crps": r, "skill": skill._skill(m, r)})  # fmt: skip
    return pd.DataFrame(rows)


def mean_skill(po: pd.DataFrame) -> pd.DataFrame:
    """Per reference: the mean of the per-origin skills (finite ones), how many origins it had none (both perfect)
    or -inf (the reference perfect, the model not), and the skill pooled over origins."""
    rows = []
    for ref, g in po.groupby("reference", sort=False):
        s = g["skill"].to_numpy(float)
        fin = s[np.isfinite(s)]
        w = g.windows / g.windows.sum()
        pooled = skill._skill(float((g.model_crps * w).sum()), float((g.reference_crps * w).sum()))
        rows.append({"reference": ref, "origins": len(g), "mean_skill": float(fin.mean()) if fin.size else np.nan,
                     "origins_ref_perfect": int(np.isneginf(s).sum()), "origins_both_perfect": int(np.isnan(s).sum()),
                     "pooled_skill": pooled})  # fmt: skip
    return pd.DataFrame(rows)


def run_rolling(job: Job, cutoffs: list[dt.date], procs: int = 1, say=print) -> pd.DataFrame:
    """Run every origin not already done (in parallel over `procs` processes, a line per finished origin); return
    the stacked window scores of all origins."""
    todo = [c for c in cutoffs if not done(job, c)]
    if len(todo) < len(cutoffs):
        say(f"  resuming: {len(cutoffs) - len(todo)} of {len(cutoffs)} origins already done in {job.out}/origins")
    started, n = time.perf_counter(), len(cutoffs) - len(todo)
    if todo:
        tasks = [(job, c) for c in todo]
        if procs > 1 and len(todo) > 1:
            from sim.run import parallel

            with parallel.pool(min(procs, len(todo))) as pool:
                for res in pool.imap_unordered(_task, tasks, chunksize=1):
                    n += 1
                    say(_progress(res, n, len(cutoffs), started))
        else:
            for t in tasks:
                n += 1
                say(_progress(_task(t), n, len(cutoffs), started))
    return load_scores(job, cutoffs)


def _progress(res: dict, n: int, total: int, started: float) -> str:
    sc = pd.DataFrame(res["scores"])
    if sc.empty:
        tail = "no window to score"
    else:
        m = sc.loc[sc.forecaster == skill.MODEL, "crps"].mean()
        sk = [f"{r} {skill._skill(m, sc.loc[sc.forecaster == r, 'crps'].mean()):+.2f}" for r in REFERENCES]
        tail = f"{(sc.forecaster == skill.MODEL).sum()} windows, skill vs " + ", ".join(sk)
    return f"  [{n}/{total}] origin {res['cutoff']} ({res['seconds']:.0f} s, {time.perf_counter() - started:.0f} s " \
           f"in all): {tail}"  # fmt: skip
