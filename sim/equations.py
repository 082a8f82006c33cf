"""The model's equations (DESIGN.md section 2), written once.

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


def linear_predictor(b, a, a0, m, contagion, wealth_years, unvested_years, w):
    """bb*b + ba*(a0-a) + bm*(1-m) + bc*contagion + bw*ln(1+wealth) - bu*ln(1+unvested).

    Wealth and unvested equity enter in years of pay, log-transformed so that
    a founder's large grant holds strongly but not infinitely.
    """
    return (
        w.burnout * b
        + w.autonomy * (a0 - a)
        + w.mission * (1.0 - m)
        + w.contagion * contagion
        + w.wealth * np.log1p(wealth_years)
        - w.unvested * np.log1p(unvested_years)
    )


def hazard(h0, eta, multiplier):
    """Proportional hazard h = h0 * exp(eta) * multiplier (shocks, vesting bump, policies)."""
    return h0 * np.exp(eta) * multiplier


def event_probability(h):
    """Probability of at least one event in a day at hazard h."""
    return -np.expm1(-h)


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
