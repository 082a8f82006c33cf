"""A posterior sample of the free parameters (weighted particles), read, summarised and drawn from.

The sample is a CSV with one column per free parameter and a `weight` column, beside a JSON
file of how it was made. A run uses it through two RunConfig keys, applied at the edge
(`sim.config.load.as_run_config`): `posterior_file` (a name such as `xai` for the shipped
`sim/data/posterior_xai.csv`, or a path) and `posterior_draw` (k >= 0: the k-th draw of a
fixed weighted resample, the same for every policy; -1: the posterior median). Then `free`
sets any free parameter by hand. Nothing here needs pyabc. It sits in the config layer because a run
applies a draw while its config is built; writing a sample lives in sim/calibration/posterior.py.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from sim.config import freeparams
from sim.config.errors import ConfigError
from sim.config.params import RunConfig
from sim.data.observed import DataError

DATA = resources.files("sim") / "data"
DRAW_SEED = 20260212  # fixed seed of the weighted resample behind `posterior_draw` (any constant would do)
MEDIAN = -1


@dataclass
class Posterior:
    """Weighted particles (`samples`: one column per free parameter plus `weight`) and how they were made."""

    samples: pd.DataFrame
    meta: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [c for c in self.samples.columns if c != "weight"]

    @property
    def weights(self) -> np.ndarray:
        w = self.samples["weight"].to_numpy(dtype=float)
        return w / w.sum()

    def quantiles(self, q) -> pd.DataFrame:
        """Weighted quantiles of each parameter (rows: q; columns: parameters)."""
        q = np.atleast_1d(q)
        return pd.DataFrame(
            {
                n: np.quantile(self.samples[n].to_numpy(float), q, weights=self.weights, method="inverted_cdf")
                for n in self.names
            },
            index=pd.Index(q, name="q"),
        )

    def median(self) -> dict[str, float]:
        return {n: float(v) for n, v in self.quantiles(0.5).iloc[0].items()}

    def draw_indices(self, n: int) -> np.ndarray:
        """Rows of the first `n` draws of the fixed weighted resample (draw k is the same whatever n > k)."""
        rng = np.random.default_rng(DRAW_SEED)
        return rng.choice(len(self.samples), size=n, p=self.weights)

    def draw(self, k: int) -> dict[str, float]:
        """Parameter values of draw k (k >= 0) of the fixed weighted resample."""
        if k < 0:
            raise ConfigError("posterior_draw", k, f"an integer >= 0, or {MEDIAN} for the posterior median")
        row = self.samples.iloc[int(self.draw_indices(k + 1)[k])]
        return {n: float(row[n]) for n in self.names}

    def point(self, k: int) -> dict[str, float]:
        """Draw k, or the posterior median for k = -1."""
        return self.median() if k == MEDIAN else self.draw(k)

    def summary(self, level: float = 0.9) -> pd.DataFrame:
        """Per parameter: median, central interval at `level`, quartiles, the prior's interval and two shrinkages,
        on the log scale for log-uniform priors: `shrinkage` = 1 - posterior width / prior width, and
        `shrinkage_var` = 1 - posterior variance / prior variance (Talts et al. 2018's measure): 0 means the data told
        nothing, 1 that they pinned it down."""
        lo, hi = (1 - level) / 2, 1 - (1 - level) / 2
        q = self.quantiles([lo, 0.25, 0.5, 0.75, hi])
        rows = []
        priors = freeparams.recorded(self.meta.get("priors"))  # a roster's base-hazard prior, if it was fitted with one
        for n in self.names:
            p = priors[n]
            plo, phi = p.prior_interval(level)
            f = np.log if p.log else np.asarray  # widths of log-uniform priors compare on the log scale
            width = (f(q.loc[hi, n]) - f(q.loc[lo, n])) / (f(phi) - f(plo))
            x = f(self.samples[n].to_numpy(float))
            mean = float(np.sum(self.weights * x))
            var = float(np.sum(self.weights * (x - mean) ** 2))
            prior_var = (f(p.high) - f(p.low)) ** 2 / 12.0  # uniform on [low, high] (on the log scale if log)
            rows.append(
                {
                    "parameter": n,
                    "median": q.loc[0.5, n],
                    "lo": q.loc[lo, n],
                    "hi": q.loc[hi, n],
                    "q25": q.loc[0.25, n],
                    "q75": q.loc[0.75, n],
                    "prior_lo": plo,
                    "prior_hi": phi,
                    "shrinkage": 1.0 - width,
                    "shrinkage_var": 1.0 - var / prior_var,
                }
            )
        return pd.DataFrame(rows)


def resolve_path(name_or_path: str | Path) -> Path:
    """A bare name (`xai`) means the shipped `sim/data/posterior_<name>.csv`; anything else is a path."""
    s = str(name_or_path)
    if "/" not in s and not s.endswith(".csv"):
        return Path(str(DATA / f"posterior_{s}.csv"))
    return Path(s)


def load(name_or_path: str | Path) -> Posterior:
    """Read a posterior sample and its JSON sidecar (if any); refuse a malformed one naming the file and reason."""
    import io

    from sim.data.readfile import read_bytes

    path = resolve_path(name_or_path)
    if not path.exists():
        raise DataError(path, None, "posterior file not found (a name like 'xai' or a path to a posterior CSV)")
    try:
        df = pd.read_csv(io.BytesIO(read_bytes(path)))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        raise DataError(path, None, f"not a readable CSV ({reason})") from None
    if "weight" not in df.columns:
        raise DataError(path, 1, "missing column weight")
    unknown = [c for c in df.columns if c != "weight" and c not in freeparams.BY_NAME]
    if unknown:
        raise DataError(
            path, 1, f"unknown parameter column(s) {', '.join(unknown)}; known: {', '.join(freeparams.NAMES)}"
        )
    if len(df.columns) < 2:
        raise DataError(path, 1, f"no parameter column: at least one of {', '.join(freeparams.NAMES)}")
    if df.empty:
        raise DataError(path, None, "no particles")
    numeric = df.apply(pd.to_numeric, errors="coerce")
    bad = ~np.isfinite(numeric.to_numpy(dtype=float)).all(axis=1) | (numeric["weight"] < 0).to_numpy()
    if bad.any():
        raise DataError(
            path, int(np.flatnonzero(bad)[0]) + 2, "a missing, non-numeric or infinite value, or a negative weight"
        )
    df = numeric
    with np.errstate(over="ignore"):
        total = float(np.sum(df["weight"].to_numpy(dtype=float)))
    if not (np.isfinite(total) and total > 0):
        raise DataError(path, None, f"weights sum to {total:g}: a finite sum > 0 (rescale the weights)")
    return Posterior(df, read_sidecar(path.with_suffix(".json")))


def apply_to_run(run: RunConfig) -> RunConfig:
    """Set the free parameters a run asks for: its posterior draw (if `posterior_file`), then its `free` values."""
    file = getattr(run, "posterior_file", "")
    free = dict(getattr(run, "free", {}) or {})
    if not file and not free:
        return run
    if file:
        post = load(file)
        values = post.point(int(run.posterior_draw))
        try:
            run = freeparams.apply(run, values, where=f"posterior_file={file}", priors=post.meta.get("priors"))
        except ConfigError as exc:
            if "priors" in post.meta:
                raise
            hint = "; a posterior fitted on a roster: keep its .json beside the CSV (it records the roster's prior)"
            raise ConfigError(exc.field, exc.value, exc.allowed + hint) from None
    return freeparams.apply(run, free) if free else run


def read_sidecar(sidecar: Path) -> dict:
    """The JSON sidecar of a posterior ({} if there is none); refused, naming it, unless it is a JSON object."""
    from sim.data.readfile import read_text

    if not sidecar.exists():
        return {}
    try:
        meta = json.loads(read_text(sidecar))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or " ".join(str(exc).split())
        raise DataError(sidecar, None, f"not readable JSON ({reason})") from None
    if not isinstance(meta, dict):
        raise DataError(sidecar, None, f"a JSON object of how the posterior was made, not a {type(meta).__name__}")
    for key, kind in (("settings", dict), ("generations", list)):
        if key in meta and not isinstance(meta[key], kind):
            raise DataError(sidecar, None, f"key {key}: a JSON {'object' if kind is dict else 'list'}")
    return meta
