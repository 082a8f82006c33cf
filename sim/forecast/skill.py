"""Scores of count forecasts (CRPS, 50 % and 90 % central-interval coverage) and the model's skill against references.

The CRPS of a forecast on the integers at an integer outcome y is the sum over k of (F(k) - 1{k >= y})^2, exact for
any distribution on the integers (the model's ensemble of draws included: its empirical distribution). Skill of the
model against a reference is 1 - CRPS(model) / CRPS(reference), CRPS averaged over the windows pooled: positive
means the model adds something, 0 that it does as well, negative that the reference is better; undefined (NaN)
when both are perfect, -inf when only the reference is.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.forecast.references import REFERENCES, Forecast

MODEL = "model"
FORECASTERS = (MODEL, *REFERENCES)
ALL = "all"  # the horizon label of rows pooled over horizons


def crps(fc: Forecast, y: int) -> float:
    """CRPS of the count forecast `fc` at the outcome `y` (exact: a finite sum for distributions on the integers)."""
    y = int(y)
    n = max(fc.pmf.size, y + 1)
    F = np.ones(n)
    F[: fc.pmf.size] = fc.cdf
    step = (np.arange(n) >= y).astype(float)
    return float(np.sum((F - step) ** 2))


def row(fc: Forecast, y: int) -> dict:
    """Mean, quantiles, inclusive central-interval coverage and CRPS of one forecast at one outcome."""
    q = {p: fc.quantile(p) for p in (0.05, 0.25, 0.5, 0.75, 0.95)}
    return {
        "mean": fc.mean,
        **{f"q{round(100 * p):02d}": v for p, v in q.items()},
        "in_50": bool(q[0.25] <= y <= q[0.75]),
        "in_90": bool(q[0.05] <= y <= q[0.95]),
        "crps": crps(fc, y),
    }


def score(windows: pd.DataFrame, model_counts: np.ndarray, references: dict) -> pd.DataFrame:
    """One row per window and forecaster. `windows`: target, horizon, start, end, observed (events.windows);
    `model_counts`: (draws, windows) of the model's counts; `references[target][name][horizon]`: a Forecast."""
    rows = []
    for i, w in enumerate(windows.itertuples()):
        y = int(w.observed)
        base = {"target": w.target, "horizon": int(w.horizon), "start": w.start, "end": w.end, "observed": y}
        fcs = {MODEL: Forecast.from_samples(np.asarray(model_counts[:, i]).round().astype(np.int64))}
        fcs.update({name: references[w.target][name][int(w.horizon)] for name in REFERENCES})
        rows += [{**base, "forecaster": name, **row(fc, y)} for name, fc in fcs.items()]
    return pd.DataFrame(rows)


def _skill(model: float, ref: float) -> float:
    if ref > 0:
        return 1.0 - model / ref
    return float("nan") if model == 0 else float("-inf")


def table(scores: pd.DataFrame, by: tuple[str, ...] = ()) -> pd.DataFrame:
    """The skill table: per target (and each of `by`, e.g. cutoff), per horizon and pooled over horizons (`all`),
    per forecaster: windows scored, mean CRPS, coverage of the 50 % and 90 % intervals, and the model's skill
    against that forecaster."""
    if scores.empty:
        cols = [*by, "target", "horizon", "forecaster", "windows", "crps", "coverage_50", "coverage_90", "model_skill"]
        return pd.DataFrame(columns=cols)
    pooled = scores.assign(horizon=ALL)
    both = pd.concat([scores.assign(horizon=scores["horizon"].astype(str)), pooled], ignore_index=True)
    keys = [*by, "target", "horizon"]
    out = []
    for key, g in both.groupby(keys, sort=False):
        per = g.groupby("forecaster", sort=False).agg(
            windows=("crps", "size"), crps=("crps", "mean"), coverage_50=("in_50", "mean"),
            coverage_90=("in_90", "mean"))  # fmt: skip
        m = float(per.loc[MODEL, "crps"])
        for name in FORECASTERS:
            r = per.loc[name]
            out.append({**dict(zip(keys, key, strict=True)), "forecaster": name, "windows": int(r.windows),
                        "crps": float(r.crps), "coverage_50": float(r.coverage_50),
                        "coverage_90": float(r.coverage_90), "model_skill": _skill(m, float(r.crps))})  # fmt: skip
    return pd.DataFrame(out)


def winners(tab: pd.DataFrame) -> pd.DataFrame:
    """Per target (pooled over horizons and every other key): the forecaster with the lowest mean CRPS, the model's
    CRPS, and the references that beat the model (lower CRPS), with the model's skill against each."""
    pooled = tab[tab["horizon"] == ALL]
    rows = []
    for target, g in pooled.groupby("target", sort=False):
        mean = g.groupby("forecaster", sort=False)["crps"].mean()
        m = float(mean[MODEL])
        best = ", ".join(n for n, v in mean.items() if v == mean.min()) if mean.min() < m else MODEL
        beat = [(n, float(v)) for n, v in mean.items() if n != MODEL and v < m]
        rows.append({"target": target, "winner": best, "model_crps": m, "best_crps": float(mean.min()),
                     "beaten_by": ", ".join(f"{n} (skill {_skill(m, v):+.2f})" for n, v in beat),
                     "skill": {n: _skill(m, float(v)) for n, v in mean.items() if n != MODEL}})  # fmt: skip
    return pd.DataFrame(rows)


def lines(tab: pd.DataFrame) -> list[str]:
    """The console's verdict per target: who wins, and every reference that beats the model, plainly."""
    out = []
    for r in winners(tab).itertuples():
        sk = ", ".join(f"{n} {_fmt(v)}" for n, v in r.skill.items())
        if r.winner == MODEL:
            tie = " (tied with a reference)" if any(v == 0 for v in r.skill.values()) else ""
            out.append(f"  {r.target}: the model wins{tie} (CRPS {r.model_crps:.3f}); skill vs {sk}")
        else:
            out.append(f"  {r.target}: A REFERENCE BEATS THE MODEL: {r.beaten_by}; best {r.winner} "
                       f"(CRPS {r.best_crps:.3f} vs the model's {r.model_crps:.3f})")  # fmt: skip
    return out


def _fmt(v: float) -> str:
    return "n/a (both perfect)" if np.isnan(v) else ("-inf (reference perfect)" if np.isinf(v) else f"{v:+.2f}")
