"""Reference forecasts of a count of events in (cutoff, cutoff + h], each fitted on the series up to the cutoff only.

- persistence: nothing more happens (a point mass at 0 more events);
- trailing rate (12 months, 30 days): a Poisson count at the events per day over the trailing window (the part of it
  where the series is recorded);
- Hawkes: a self-exciting count, rate(t) = mu + sum over past events of alpha * beta * exp(-beta * (t - t_i)),
  fitted by maximum likelihood (scipy, L-BFGS-B) and forecast by simulating its branching structure from the cutoff,
  the past events' remaining excitement included (seeded).

Each forecast is a probability mass function over 0, 1, 2, ... (`Forecast`), so every forecaster is scored alike.
Times are in days; events on the same day are spread evenly inside it (the record dates days, not hours).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass

import numpy as np
from scipy import optimize, stats

REFERENCES = ("persistence", "rate_12m", "rate_30d", "hawkes")
HAWKES_PATHS = 4000  # simulated futures per Hawkes forecast
BETA_BOUNDS = (1 / 730, 2.0)  # assumption: an event's pull fades over 12 hours to two years (1/beta days)
ALPHA_MAX = 0.95  # assumption: subcritical (each event triggers fewer than one more on average)


@dataclass(frozen=True)
class Forecast:
    """A count's forecast distribution: `pmf[k]` = P(k more events); the mass past the end is below 1e-9."""

    pmf: np.ndarray

    @classmethod
    def from_samples(cls, counts) -> Forecast:
        x = np.asarray(counts, dtype=np.int64)
        return cls(np.bincount(x, minlength=1) / x.size)

    @classmethod
    def poisson(cls, mean: float) -> Forecast:
        if mean <= 0:
            return cls(np.array([1.0]))
        k = np.arange(int(stats.poisson.ppf(1 - 1e-12, mean)) + 2)
        return cls(stats.poisson.pmf(k, mean))

    @property
    def cdf(self) -> np.ndarray:
        return np.minimum(np.cumsum(self.pmf), 1.0)

    @property
    def mean(self) -> float:
        return float(np.arange(self.pmf.size) @ self.pmf)

    def quantile(self, p: float) -> int:
        """Smallest k with P(X <= k) >= p."""
        return int(min(np.searchsorted(self.cdf, p - 1e-12), self.pmf.size - 1))


def _times(days: list[dt.date], origin: dt.date) -> np.ndarray:
    """Event days as times in days since `origin`, same-day events spread evenly inside their day."""
    out = []
    for day, n in sorted(Counter(days).items()):
        base = (day - origin).days
        out += [base + (j + 0.5) / n for j in range(n)]
    return np.array(out, dtype=float)


# --------------------------------------------------------------------------- persistence and trailing rates


def persistence(horizons) -> dict[int, Forecast]:
    return {int(h): Forecast(np.array([1.0])) for h in horizons}


def trailing_rate(days: list[dt.date], first: dt.date, cutoff: dt.date, window: int) -> float:
    """Events per day over the trailing `window` days ending at `cutoff`, counting only the recorded part (from
    `first`); events after the cutoff are ignored."""
    lo = max(first, cutoff - dt.timedelta(days=window - 1))
    length = (cutoff - lo).days + 1
    if length < 1:
        raise ValueError(f"the series starts {first}, after the cutoff {cutoff}")
    return sum(1 for d in days if lo <= d <= cutoff) / length


def trailing_poisson(days, first, cutoff, window, horizons) -> dict[int, Forecast]:
    rate = trailing_rate(days, first, cutoff, window)
    return {int(h): Forecast.poisson(rate * h) for h in horizons}


# --------------------------------------------------------------------------- Hawkes


@dataclass(frozen=True)
class Hawkes:
    """An exponential-kernel Hawkes process: base rate `mu` per day, branching ratio `alpha`, decay `beta` per day."""

    mu: float
    alpha: float
    beta: float


def hawkes_loglik(t: np.ndarray, T: float, mu: float, alpha: float, beta: float) -> float:
    """Log-likelihood of event times `t` (sorted, in [0, T]) under Hawkes(mu, alpha, beta) observed over [0, T]."""
    a, prev, ll = 0.0, None, 0.0
    for ti in t:
        if prev is not None:
            a = math.exp(-beta * (ti - prev)) * (1.0 + a)
        ll += math.log(mu + alpha * beta * a)
        prev = ti
    return ll - mu * T - alpha * float(np.sum(1.0 - np.exp(-beta * (T - t))))


def fit_hawkes(t: np.ndarray, T: float) -> Hawkes:
    """Maximum-likelihood Hawkes of event times `t` over [0, T] (L-BFGS-B from a few starts; alpha <= ALPHA_MAX,
    beta in BETA_BOUNDS). No events: mu = 0 (nothing is forecast)."""
    t = np.sort(np.asarray(t, dtype=float))
    if t.size == 0:
        return Hawkes(0.0, 0.0, 1.0)
    lo, hi = np.log(BETA_BOUNDS)

    def nll(x):
        mu, alpha, beta = math.exp(x[0]), x[1], math.exp(x[2])
        return -hawkes_loglik(t, T, mu, alpha, beta)

    base = math.log(t.size / T)
    best = None
    for a0 in (0.1, 0.5, 0.8):
        for b0 in (0.05, 0.5):
            x0 = [base + math.log(1 - a0), a0, math.log(b0)]
            res = optimize.minimize(nll, x0, method="L-BFGS-B",
                                    bounds=[(base - 12, base + 3), (0.0, ALPHA_MAX), (lo, hi)])  # fmt: skip
            if best is None or res.fun < best.fun:
                best = res
    return Hawkes(math.exp(best.x[0]), float(best.x[1]), math.exp(best.x[2]))


def _branching(p: Hawkes, history: np.ndarray, now: float, horizon: float, paths: int, rng):
    """(path, time) of every event in (now, now + horizon] over `paths` futures (see simulate_hawkes)."""
    end = now + horizon
    n_imm = rng.poisson(p.mu * horizon, size=paths)
    path = [np.repeat(np.arange(paths), n_imm)]
    time = [now + rng.random(n_imm.sum()) * horizon]
    hist = np.asarray(history, dtype=float)
    if hist.size and p.alpha > 0:
        left = p.alpha * np.exp(-p.beta * (now - hist))
        n_child = rng.poisson(np.tile(left, paths)).reshape(paths, hist.size).sum(axis=1)
        path.append(np.repeat(np.arange(paths), n_child))
        time.append(now + rng.exponential(1 / p.beta, size=n_child.sum()))
    gen_p, gen_t = np.concatenate(path), np.concatenate(time)
    keep = gen_t <= end
    gen_p, gen_t = gen_p[keep], gen_t[keep]
    all_p, all_t = [gen_p], [gen_t]
    while gen_t.size and p.alpha > 0:
        kids = rng.poisson(p.alpha, size=gen_t.size)
        gen_p = np.repeat(gen_p, kids)
        gen_t = np.repeat(gen_t, kids) + rng.exponential(1 / p.beta, size=kids.sum())
        keep = gen_t <= end
        gen_p, gen_t = gen_p[keep], gen_t[keep]
        all_p.append(gen_p)
        all_t.append(gen_t)
    return np.concatenate(all_p), np.concatenate(all_t)


def simulate_hawkes(p: Hawkes, history: np.ndarray, now: float, horizon: float, paths: int, rng) -> list[np.ndarray]:
    """Event times in (now, now + horizon] of `paths` futures of `p` given the past events `history` (times <= now),
    by its branching structure: immigrants at rate mu, and each event's children (Poisson(alpha) of them) after
    Exp(beta) delays; a past event's children still to come are Poisson(alpha * exp(-beta * age)) after `now`."""
    ps, ts = _branching(p, history, now, horizon, paths, rng)
    order = np.argsort(ps, kind="stable")
    ps, ts = ps[order], ts[order]
    cuts = np.searchsorted(ps, np.arange(paths + 1))
    return [np.sort(ts[cuts[i] : cuts[i + 1]]) for i in range(paths)]


def hawkes(days, first, cutoff, horizons, seed, paths: int = HAWKES_PATHS) -> tuple[dict[int, Forecast], Hawkes]:
    """The Hawkes forecast of each horizon, fitted on the events up to `cutoff` observed from `first`."""
    seen = [d for d in days if first <= d <= cutoff]
    t = _times(seen, first)
    T = float((cutoff - first).days + 1)
    p = fit_hawkes(t, T)
    ps, ts = _branching(p, t, T, float(max(horizons)), paths, np.random.default_rng(seed))
    out = {int(h): Forecast.from_samples(np.bincount(ps[ts <= T + h], minlength=paths)) for h in horizons}
    return out, p


def fit_all(days, first: dt.date, cutoff: dt.date, horizons, seed: int) -> tuple[dict[str, dict[int, Forecast]], dict]:
    """Every reference's forecast of each horizon from the events `days` (only those on or before `cutoff` are used),
    and the fitted parameters (for the report)."""
    seen = [d for d in days if d <= cutoff]
    hk, p = hawkes(seen, first, cutoff, horizons, seed)
    fc = {
        "persistence": persistence(horizons),
        "rate_12m": trailing_poisson(seen, first, cutoff, 365, horizons),
        "rate_30d": trailing_poisson(seen, first, cutoff, 30, horizons),
        "hawkes": hk,
    }
    fitted = {
        "events": len([d for d in seen if d >= first]),
        "rate_12m": trailing_rate(seen, first, cutoff, 365),
        "rate_30d": trailing_rate(seen, first, cutoff, 30),
        "hawkes_mu": p.mu,
        "hawkes_alpha": p.alpha,
        "hawkes_beta": p.beta,
    }
    return fc, fitted
