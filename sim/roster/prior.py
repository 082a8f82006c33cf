"""Baseline hazards from the roster's own history (lifelines): the prior of the model's base hazard.

Each person is at risk from hire (or from the roster's first recorded exit, if hired before it: exits before that
date are not in the roster, so earlier tenure is left-truncated) to their exit or `as_of`. A voluntary exit is the
event; forced and unknown exits are censored. Fits: a constant (exponential) hazard overall and by role, with its
90 % interval, which gives `hazard.base_annual` (the model's annual quit probability at baseline); a Weibull by
role for the shape of the hazard in tenure; where equity is given, a piecewise-constant hazard with a break at the
vesting cliff (the cliff as a covariate of tenure). The report draws Kaplan-Meier beside the fitted curves.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.roster.load import Roster
from sim.schema import ROLES

YEAR = 365.25
MIN_AT_RISK = 30  # assumption: the Kaplan-Meier curve starts where this many are observed
MIN_EVENTS = 5  # assumption: fewer voluntary exits than this in a role give no fit for it (the overall one is used)


def survival_table(roster: Roster, as_of: dt.date) -> pd.DataFrame:
    """One row per person hired by `as_of`: role, entry and duration in years of tenure, voluntary exit (0/1)."""
    p = roster.people
    end = pd.Timestamp(as_of)
    p = p[p["hire_date"] <= end]
    exits = p["exit_date"].dropna()
    observed_from = exits.min() if len(exits) else end
    left = p["exit_date"].where(p["exit_date"] <= end)
    stop = left.fillna(end)
    hire = p["hire_date"]
    duration = ((stop - hire).dt.days.clip(lower=1)) / YEAR
    entry = ((observed_from - hire).dt.days.clip(lower=0)) / YEAR
    voluntary = (left.notna() & (p["exit_reason"] == "voluntary")).astype(int)
    table = pd.DataFrame(
        {"role": p["role"], "entry": np.minimum(entry, duration - 1e-6), "duration": duration, "event": voluntary}
    )
    equity = p["equity_value"].fillna(0) > 0
    table["cliff_years"] = np.where(equity, p["vesting_cliff_months"].fillna(12) / 12.0, np.nan)
    return table.reset_index(drop=True)


def annual(rate_per_year):
    """A constant hazard per year as the probability of leaving within a year (hazard.base_annual's meaning)."""
    return 1.0 - np.exp(-np.asarray(rate_per_year, dtype=float))


@dataclass(frozen=True)
class HazardFit:
    """The roster's constant voluntary hazard overall and by role, as annual probabilities with 90 % intervals."""

    overall: tuple[float, float, float]  # median, low, high
    by_role: dict[str, tuple[float, float, float, int]]  # role -> (median, low, high, exits)
    exits: int
    person_years: float
    cliff_ratio: float | None  # hazard in the year after the cliff / in the year before (None: no equity given)

    @property
    def base_annual(self) -> float:
        return self.overall[0]


def _rate(table: pd.DataFrame) -> tuple[float, float, float]:
    """lifelines' exponential fit with left truncation: the hazard per year and its 90 % interval."""
    from lifelines import ExponentialFitter
    from scipy import stats

    if not table["event"].any():  # no exit: no fit (lifelines cannot invert); the exact one-sided bound
        return (
            0.0,
            0.0,
            float(stats.chi2.ppf(0.95, 2) / 2 / max(float((table["duration"] - table["entry"]).sum()), 1e-9)),
        )
    f = ExponentialFitter(alpha=0.1).fit(table["duration"], table["event"], entry=table["entry"])
    row = f.summary.loc["lambda_"]  # the mean time to a voluntary exit, in years
    return 1.0 / row["coef"], 1.0 / row["coef upper 90%"], 1.0 / row["coef lower 90%"]


def fit(table: pd.DataFrame) -> HazardFit:
    """The constant-hazard fits (overall, by role) and the hazard ratio across the vesting cliff."""
    staff = table[table["role"] != "co_founder"]
    overall = tuple(float(x) for x in annual(_rate(staff)))
    by_role = {}
    for role in ROLES:
        t = table[table["role"] == role]
        if int(t["event"].sum()) >= MIN_EVENTS:
            by_role[role] = (*(float(x) for x in annual(_rate(t))), int(t["event"].sum()))
    ratio = None
    cliff = table.dropna(subset=["cliff_years"])
    if len(cliff) and cliff["event"].sum() >= MIN_EVENTS:
        c = float(cliff["cliff_years"].median())
        before = _piece(cliff, max(c - 1, 0), c)
        after = _piece(cliff, c, c + 1)
        ratio = after / before if before > 0 else None
    exposure = float((table["duration"] - table["entry"]).sum())
    return HazardFit(overall, by_role, int(table["event"].sum()), exposure, ratio)


def _piece(t: pd.DataFrame, a: float, b: float) -> float:
    """Constant hazard over tenure [a, b): events in it over exposure in it."""
    lo, hi = np.maximum(t["entry"], a), np.minimum(t["duration"], b)
    exposure = np.clip(hi - lo, 0, None).sum()
    events = ((t["event"] == 1) & (t["duration"] >= a) & (t["duration"] < b) & (t["duration"] > t["entry"])).sum()
    return float(events / exposure) if exposure > 0 else 0.0


@functools.lru_cache(maxsize=8)
def _cached_fit(roster: Roster, as_of: dt.date) -> HazardFit:
    return fit(survival_table(roster, as_of))


def roster_fit(roster: Roster, as_of: dt.date) -> HazardFit:
    """`fit` of the roster's history up to `as_of`, computed once per roster and date."""
    return _cached_fit(roster, as_of)


def weibull_by_role(table: pd.DataFrame) -> dict[str, object]:
    """A lifelines Weibull (with left truncation) for each role with enough voluntary exits."""
    from lifelines import WeibullFitter

    out = {}
    for role in ROLES:
        t = table[table["role"] == role]
        if int(t["event"].sum()) >= MIN_EVENTS:
            out[role] = WeibullFitter().fit(t["duration"], t["event"], entry=t["entry"], label=role)
    return out


def conditional_start(t: pd.DataFrame, at_risk: int = MIN_AT_RISK) -> float:
    """The first tenure (years) at which at least `at_risk` people are under observation: before it, left truncation
    leaves too few for a Kaplan-Meier estimate, so the figure draws survival conditional on reaching it."""
    for x in np.sort(np.concatenate([[0.0], t["entry"].to_numpy()])):
        if int(((t["entry"] <= x) & (t["duration"] > x)).sum()) >= at_risk:
            return float(x)
    return 0.0


def _nonparametric(t: pd.DataFrame, x0: float):
    """Kaplan-Meier from tenure x0 (left-truncated); where ties in a small risk set send it to zero (lifelines
    refuses), the Breslow-Fleming-Harrington estimate (exp of the Nelson-Aalen cumulative hazard) instead."""
    from lifelines import BreslowFlemingHarringtonFitter, KaplanMeierFitter
    from lifelines.exceptions import StatError

    entry = np.maximum(t["entry"], x0)
    try:
        return KaplanMeierFitter().fit(t["duration"], t["event"], entry=entry, label="Kaplan-Meier")
    except StatError:
        return BreslowFlemingHarringtonFitter().fit(t["duration"], t["event"], entry=entry, label="Nelson-Aalen")


def report(roster: Roster, as_of: dt.date, out_png) -> tuple[HazardFit, pd.DataFrame]:
    """Fit, and draw Kaplan-Meier (left-truncated, from `conditional_start`) beside the Weibull and constant-hazard
    curves conditional on the same tenure, by role."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = survival_table(roster, as_of)
    hf = fit(table)
    weibulls = weibull_by_role(table)
    roles = list(weibulls) or ["(all)"]
    fig, axes = plt.subplots(1, len(roles), figsize=(3.2 * len(roles), 3.2), squeeze=False, sharey=True)
    rows = []
    for ax, role in zip(axes[0], roles, strict=True):
        t = table if role == "(all)" else table[table["role"] == role]
        x0 = conditional_start(t)
        kept = t[t["duration"] > x0]
        _nonparametric(kept, x0).plot_survival_function(ax=ax, ci_show=True)
        grid = np.linspace(x0, float(t["duration"].max()), 100)
        if role in weibulls:
            w = weibulls[role]
            s0 = float(w.survival_function_at_times([x0]).iloc[0])
            ax.plot(grid, w.survival_function_at_times(grid) / s0, label=f"Weibull (shape {w.rho_:.2f})")
            rows.append({"role": role, "weibull_scale_years": w.lambda_, "weibull_shape": w.rho_, "km_from_years": x0})
        rate = -np.log1p(-hf.by_role.get(role, hf.overall)[0])
        ax.plot(grid, np.exp(-rate * (grid - x0)), "--", label="constant hazard")
        ax.set_xlim(left=x0)
        ax.set_title(role)
        ax.set_xlabel("tenure (years)")
        ax.legend(fontsize=7)
    axes[0][0].set_ylabel("still there, given the first tenure drawn\n(voluntary exits only)")
    fig.tight_layout()
    fig.savefig(out_png, dpi=110)
    plt.close(fig)
    return hf, pd.DataFrame(rows)
