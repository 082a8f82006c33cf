"""The model's equations (docs/ODD.md, Submodels), written once.

Every function works elementwise on numpy arrays and on plain floats alike, so the
array model and a per-agent reference share the same arithmetic.
"""

from __future__ import annotations

import numpy as np

DAYS_PER_MONTH = 365.25 / 12


def annual_to_daily(rate_annual):
    """Daily hazard whose one-year survival is 1 - rate_annual."""
    return -np.log1p(-rate_annual) / 365.0


def burnout_next(b, load, rise, recovery):
    """b rises with workload towards 1 and recovers towards 0: b' = b + rise*load*(1-b) - recovery*b."""
    return b + rise * load * (1.0 - b) - recovery * b


def burnout_equilibrium(load, rise, recovery):
    """Fixed point of `burnout_next` for a constant load."""
    return rise * load / (rise * load + recovery)


def relax(x, baseline, rate):
    """First-order drift back to a baseline (autonomy after a reorganisation, mission after a controversy)."""
    return x + rate * (baseline - x)


def team_load(base_load, shortstaff_gain, gap):
    """Workload: the role's base load plus extra work when the team is short-staffed (gap in [0,1])."""
    return base_load + shortstaff_gain * gap


def vested_fraction(days_since_grant, years, cliff_months):
    """Share of a grant vested: nothing before the cliff, then monthly steps to 1."""
    months = np.floor(np.maximum(days_since_grant, 0.0) / DAYS_PER_MONTH)
    total = 12.0 * years
    return np.where(months < cliff_months, 0.0, np.minimum(months / total, 1.0))


def accelerated_start(grant_start, day, years, cliff_months, share):
    """Grant start moved back so that `share` of the whole months still to vest at `day` vest at once (a change of
    control's acceleration): the schedule is pulled forward, in whole months."""
    total = 12.0 * years
    months = np.floor(np.maximum(day - grant_start, 0.0) / DAYS_PER_MONTH)
    vested = np.where(months < cliff_months, 0.0, np.minimum(months, total))
    target = vested + np.round(share * (total - vested))
    start = day - np.ceil(target * DAYS_PER_MONTH)
    return np.where(target > vested, np.minimum(grant_start, start), grant_start).astype(np.int64)


def unvested_equity(grant, refresh, bonus, vested):
    """Dollars still held back: grants not yet vested plus any retention bonus pending."""
    return grant + refresh + bonus - vested


def team_gap(active, target):
    """Share of a team's posts unfilled, in [0, 1]."""
    return np.clip(1.0 - active / np.maximum(target, 1), 0.0, 1.0)


def contagion_share(left, ties):
    """Share of a person's ties (teammates and cross-team ties) who chose to leave in the window."""
    return left / np.maximum(ties, 1)


def linear_predictor_logged(b, a, a0, m, contagion, log_wealth, log_unvested, w):
    """bb*b + ba*(a0-a) + bm*(1-m) + bc*contagion + bw*ln(1+wealth) - bu*ln(1+unvested), given the logs.

    Wealth and unvested equity enter in years of pay, log-transformed so that a founder's large grant holds strongly
    but not infinitely; the model keeps these slow-moving logs."""
    return (
        w.burnout * b
        + w.autonomy * (a0 - a)
        + w.mission * (1.0 - m)
        + w.contagion * contagion
        + w.wealth * log_wealth
        - w.unvested * log_unvested
    )


def window_factor(day, until, factor):
    """A hazard factor that holds until a day (acquired firm, layoff survivors, bonus pending), else 1."""
    return np.where(day < until, factor, 1.0)


def shock_factor(excess, damping):
    """Hazard factor of the shocks' decaying excess, damped for some people (transparent leadership)."""
    return 1.0 + excess * (1.0 - damping)


def hazard(h0, eta, multiplier):
    """Proportional hazard h = h0 * exp(eta) * multiplier (shocks, vesting bump, policies)."""
    return h0 * np.exp(eta) * multiplier


def daily_hazard(p):
    """Hazard whose one-day event probability is p (the inverse of p = 1 - exp(-h))."""
    return -np.log1p(-p)


def shock_excess(days_since, amp, tau):
    """Decaying excess hazard of one shock: amp * exp(-days/tau) from its date on."""
    return np.where(days_since >= 0, amp * np.exp(-np.maximum(days_since, 0) / tau), 0.0)


def offer_advantage(multiple, culture, unvested_years, a, m, b, c):
    """Utility of an offer minus staying (logit scale): pay and culture against equity, autonomy, mission, burnout."""
    return (
        c.intercept
        + c.pay * np.log(multiple)
        + culture
        - c.unvested * np.log1p(unvested_years)
        - c.autonomy * a
        - c.mission * m
        + c.burnout * b
    )


def logistic(x):
    """Logit choice probability."""
    return 1.0 / (1.0 + np.exp(-x))
