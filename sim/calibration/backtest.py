"""A backtest: calibrate on the record up to a cutoff, run the posterior forward, score what came later.

Later observations are every dated item after the cutoff: each day's announcement count and
founders remaining up to the record's end, each headcount figure, each count over a range that
ends after the cutoff. Point observations get interval coverage (50 % and 90 %, central
intervals of the predictive draws, inclusive) and the CRPS (`scoringrules`, the ensemble
estimator); counts are integers, so inclusive intervals over-cover, and a randomised PIT
(Czado, Gneiting & Held 2009) gives coverage that is exactly nominal for a calibrated forecast.
A bound ("over 1,000") gets the forecast probability of meeting it and whether the 90 %
interval reaches it. The predictive runs start at the window's start, as the calibration's do:
draws condition on the record through the posterior only.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibration import targets
from sim.calibration.posterior import Posterior
from sim.config.params import ConfigError, RunConfig
from sim.data import observed
from sim.data.record import Record, cut
from sim.forecast import compare, events
from sim.run.parallel import fan_out
from sim.run.world import run_world

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
DAILY = ("announced", "founders_remaining", "headcount")


@dataclass
class Backtest:
    """`scores`: one row per later observation; `summary`: the headline numbers; `daily`: predictive daily
    table (draw, date, DAILY columns) for the figure; `posterior`: fitted on the record up to the cutoff."""

    cutoff: dt.date
    record: Record
    posterior: Posterior
    scores: pd.DataFrame
    summary: dict
    daily: pd.DataFrame
    skill: compare.Skill | None = None  # the model beside the reference forecasts (sim.forecast)


def crps(obs, draws) -> np.ndarray | float:
    """CRPS of ensemble forecasts (scoringrules: the standard estimator, quantile-decomposition form); lower is
    better; |obs - x| for a point mass. `obs` a number and `draws` one ensemble, or `obs` of shape (n,) and
    `draws` of shape (n, members)."""
    try:
        import scoringrules
    except ImportError as exc:  # pragma: no cover - the calibrate extra brings it
        raise ImportError("scoringrules is not installed: pip install -e '.[calibrate]'") from exc
    x = np.asarray(draws, dtype=float)
    if np.ndim(obs) == 0:
        return float(scoringrules.crps_ensemble(np.array([float(obs)]), x[None, :], estimator="qd")[0])
    return np.asarray(scoringrules.crps_ensemble(np.asarray(obs, dtype=float), x, estimator="qd"), dtype=float)


def later_observations(record: Record, cutoff: dt.date, first_day: dt.date) -> pd.DataFrame:
    """The observations dated after `cutoff`: kind, what, start, end (the date or range), value, bound."""
    rows = []
    days = pd.date_range(cutoff + dt.timedelta(days=1), record.end, freq="D").date
    if len(days):
        ann = observed.announced_by_day(days[0], days[-1], record.departures)
        for day in days:
            rows.append(("announced", "announcements that day", day, day, int(ann.loc[day]), "exact"))
        if record.founders is not None:
            for day in days:
                n = observed.founders_remaining(day, record.founders)
                rows.append(("founders_remaining", "founders at the lab", day, day, n, "exact"))
    for r in record.headcount.itertuples():
        if cutoff < r.date <= record.end and r.date >= first_day:
            bound = "lower" if r.bound == "at_least" else "exact"
            rows.append(("headcount", str(r.what or "headcount"), r.date, r.date, int(r.headcount), bound))
    for r in record.counts.itertuples():
        if cutoff < r.end <= record.end and r.start >= first_day:
            rows.append(("count", r.what, r.start, r.end, int(r.value), r.bound))
    return pd.DataFrame(rows, columns=["kind", "what", "start", "end", "value", "bound"])


def not_scored(record: Record, cutoff: dt.date, first_day: dt.date) -> list[str]:
    """Later counts that cannot be scored: their range starts before the simulated window (the cutoff is inside the
    window, so every other later figure is scored)."""
    return [f"count {r.what} {r.start}..{r.end}: starts before the window ({first_day})"
            for r in record.counts.itertuples() if cutoff < r.end and r.start < first_day]  # fmt: skip


def simulated_values(daily: pd.DataFrame, departures: pd.DataFrame, obs: pd.DataFrame) -> np.ndarray:
    """One run's value of each observation in `obs` (later_observations' table)."""
    d = daily.set_index("date")
    out = np.empty(len(obs))
    for i, r in enumerate(obs.itertuples()):
        out[i] = (
            d.loc[r.end, r.kind] if r.kind != "count" else targets.simulated_count(departures, r.what, r.start, r.end)
        )
    return out


def _one(args):
    run, values, k, obs, wins, priors = args
    res = run_world(run, values, seed=k, priors=priors)
    daily = res.daily[["date", *DAILY]].copy()
    daily.insert(0, "draw", k)
    counts = np.array([events.model_count(res.departures, t, a, b) for t, a, b in wins], dtype=float)
    return daily, simulated_values(res.daily, res.departures, obs), counts


def forecast(run: RunConfig, post: Posterior, draws: int, obs: pd.DataFrame, window_end: dt.date, procs: int = 1,
             progress: bool = True, windows: list | None = None) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:  # fmt: skip  # noqa: E501
    """Draws 0..draws-1 of `post` (draw k with seed k) run to `window_end`: their daily table, values of `obs`, and
    counts of the `windows` ((events.Target, first, last) each; shape (draws, windows))."""
    base = dataclasses.replace(run, posterior_file="", posterior_draw=-1, free={})
    base.window = dataclasses.replace(run.window, end=window_end.isoformat())
    base.shocks = [s for s in run.shocks if s.date <= window_end.isoformat()]  # later ones cannot act before the end
    wins = list(windows or [])
    priors = post.meta.get("priors")  # a roster's base-hazard prior (the draws lie in its support)
    tasks = [(base, {n: float(post.samples.iloc[i][n]) for n in post.names}, k, obs, wins, priors)
             for k, i in enumerate(post.draw_indices(draws))]  # fmt: skip
    out = fan_out(_one, tasks, procs, desc="forecast", progress=progress)
    daily = pd.concat([d for d, _, _ in out], ignore_index=True)
    return daily, np.vstack([v for _, v, _ in out]), np.vstack([c.reshape(1, -1) for _, _, c in out])


def score(obs: pd.DataFrame, sims: np.ndarray, seed: int = 0) -> pd.DataFrame:
    """Per observation: predictive quantiles, coverage (inclusive central intervals and randomised PIT), CRPS for
    point observations; for bounds, the probability of meeting the bound and whether the 90 % interval reaches it."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, r in enumerate(obs.itertuples()):
        x = sims[:, i]
        q = np.quantile(x, QUANTILES, method="inverted_cdf")
        y = r.value
        row = {"kind": r.kind, "what": r.what, "start": r.start, "end": r.end, "bound": r.bound, "observed": y}
        row.update({f"q{round(100 * p):02d}": v for p, v in zip(QUANTILES, q, strict=True)})
        u = rng.random()  # drawn for every row, so one row's kind does not shift the next row's draw
        if r.bound == "exact":
            below, at_or_below = float((x < y).mean()), float((x <= y).mean())
            pit = below + u * (at_or_below - below)
            row.update(
                in_50=bool(q[1] <= y <= q[3]),
                in_90=bool(q[0] <= y <= q[4]),
                pit=pit,
                pit_in_50=bool(0.25 <= pit <= 0.75),
                pit_in_90=bool(0.05 <= pit <= 0.95),
                crps=np.nan,  # filled below, all point observations in one call
                p_bound=np.nan,
            )
        else:
            met = x >= y if r.bound == "lower" else x <= y
            reaches = q[4] >= y if r.bound == "lower" else q[0] <= y
            row.update(in_50=np.nan, in_90=bool(reaches), pit=np.nan, pit_in_50=np.nan, pit_in_90=np.nan,
                       crps=np.nan, p_bound=float(met.mean()))  # fmt: skip
        rows.append(row)
    out = pd.DataFrame(rows)
    exact = np.flatnonzero(obs["bound"].to_numpy() == "exact")
    if len(exact):
        out.loc[exact, "crps"] = crps(obs["value"].to_numpy(float)[exact], sims[:, exact].T)
    return out


def summarise(scores: pd.DataFrame) -> dict:
    """Coverage rates and mean CRPS over point observations (overall and per kind); bounds met."""
    pts = scores[scores.bound == "exact"]
    bnd = scores[scores.bound != "exact"]

    def rates(df) -> dict:
        return {
            "points": int(len(df)),
            "coverage_50": float(df.in_50.astype(float).mean()) if len(df) else np.nan,
            "coverage_90": float(df.in_90.astype(float).mean()) if len(df) else np.nan,
            "pit_coverage_50": float(df.pit_in_50.astype(float).mean()) if len(df) else np.nan,
            "pit_coverage_90": float(df.pit_in_90.astype(float).mean()) if len(df) else np.nan,
            "mean_crps": float(df.crps.mean()) if len(df) else np.nan,
        }

    out = rates(pts)
    out["by_kind"] = {k: rates(g) for k, g in pts.groupby("kind")}
    out["bounds"] = int(len(bnd))
    out["bounds_reached_90"] = int(bnd.in_90.astype(bool).sum()) if len(bnd) else 0
    out["mean_p_bound"] = float(bnd.p_bound.mean()) if len(bnd) else np.nan
    return out


def run_backtest(
    run: RunConfig,
    record: Record,
    cutoff: dt.date,
    settings=None,
    draws: int = 60,
    procs: int = 1,
    progress: bool = True,
    posterior: Posterior | None = None,
    later_events: bool = True,
    references: bool = True,
) -> Backtest:
    """Calibrate (ABC, `settings`: sim.calibration.abcsmc.Settings) on `record` cut at `cutoff`, or take
    `posterior` as given, then forecast every later observation with `draws` posterior draws and score them.
    `later_events`: keep the scenario's shocks dated after the cutoff in the forecast (a forecast conditional on the
    scenario's events), or drop them (a forecaster on the cutoff day who knows nothing later). `references`: also
    score the model and the reference forecasts (sim.forecast) on the record's event counts 7-60 days on."""
    first_day = dt.date.fromisoformat(run.window.start)
    if not later_events:
        run = dataclasses.replace(run, shocks=[s for s in run.shocks if s.date <= cutoff.isoformat()])
    if not first_day <= cutoff < record.end:
        raise ConfigError("cutoff", cutoff.isoformat(), f"a date from the window's start {first_day} to the day "
                                                        f"before the record's end {record.end}")  # fmt: skip
    if draws < 2:
        raise ConfigError("draws", draws, "an integer >= 2")
    seen = cut(record, cutoff)
    if posterior is None:
        from sim.calibration import abcsmc as calibrate  # pyabc: the calibrate extra

        posterior = calibrate.run_abc(run, settings or calibrate.Settings(), record=seen).posterior
    obs = later_observations(record, cutoff, first_day)
    if obs.empty:
        raise ConfigError("cutoff", cutoff.isoformat(), "a date with observations after it in the record")
    seed = getattr(settings, "seed", 0)
    setup = compare.prepare(record, cutoff, events.firm_kinds(run), seed) if references else None
    wins = setup.targets if setup is not None else []
    daily, sims, counts = forecast(run, posterior, draws, obs, record.end, procs, progress, wins)
    scores = score(obs, sims, seed=seed)
    summary = {"cutoff": cutoff.isoformat(), "record": record.where, "record_end": record.end.isoformat(),
               "draws": int(draws), "later_events": bool(later_events), **summarise(scores),
               "not_scored": not_scored(record, cutoff, first_day)}  # fmt: skip
    sk = compare.finish(setup, counts) if setup is not None else None
    return Backtest(cutoff, record, posterior, scores, summary, daily, sk)


def synthetic_record(daily: pd.DataFrame, departures: pd.DataFrame, end: dt.date, headcount: bool = True) -> Record:
    """The record a run would have left by `end`: its announcements, its founders, its headcount on `end` (as an
    'about' figure): data at known parameters, for checking the backtest."""
    d = departures
    ann = d[d["announced"].notna()]
    ann = ann[[a <= end for a in ann["announced"]]]
    deps = pd.DataFrame(
        {
            "announced": list(ann["announced"]),
            "person": [f"person {p}" for p in ann["person"]],
            "role": list(ann["role"]),
            "co_founder": list(ann["founder"].astype(bool)),
            "note": "",
            "source": "simulated",
            "destination": "",
        }
    )
    gone = d[d["founder"].astype(bool) & (d["date"] <= end)]
    stay = int(daily.loc[daily["date"] == end, "founders_remaining"].iloc[0])
    founders = pd.DataFrame(
        {
            "person": [f"founder {i}" for i in range(len(gone) + stay)],
            "left": list(gone["date"]) + [None] * stay,
            "source": "simulated",
        }
    )
    hc = pd.DataFrame(columns=["date", "headcount", "bound", "what", "source"])
    if headcount:
        n = int(daily.loc[daily["date"] == end, "headcount"].iloc[0])
        hc = pd.DataFrame([{"date": end, "headcount": n, "bound": "about", "what": "", "source": "simulated"}])
    counts = pd.DataFrame(columns=["start", "end", "what", "bound", "value", "note", "source"])
    return Record(deps, founders, hc, counts, "a simulated record", end)
