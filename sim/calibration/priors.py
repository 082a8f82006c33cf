"""The free parameters' priors for one calibration: the registry's (sim/config/registry.py), except the base hazard's
when the run starts from a user's roster, which then comes from the roster's own survival fit (sim/roster/prior.py).

The rule: `base_annual` is log-uniform on the fit's 90 % interval of the annual voluntary-leaving probability widened
by a factor WIDEN each way ([low / WIDEN, high x WIDEN]), clipped to hazard.base_annual's allowed range. Why:
- the fit measures the roster's *realised* voluntary rate, while base_annual is the model's h0 alone; the model's
  other terms (burnout, contagion, offers, vesting) multiply it by a factor the calibration fits (about 1.35 for the
  xAI defaults, sim/config/registry.py), so the prior must reach well below and above the fitted rate;
- the fit uses the exits up to the calibration's last day, which include the exits the ABC then fits (a cross-section
  such as the IBM roster has no others): a prior as wide as a factor 2 each way places the search on the roster's
  scale without counting those exits twice as information;
- log-uniform: a rate's uncertainty is a factor, and its logit-CDF scale is what the ABC proposes on (abcsmc.from_z).
The xAI prior (0.08-0.135) would exclude the IBM roster's fitted 0.163 [0.149, 0.181]; this one is [0.074, 0.36].

Without a roster, with `roster.fit_hazard=false`, or with fewer than MIN_EVENTS voluntary exits, the registry's
priors stand and nothing differs from a calibration of the shipped case.
"""

from __future__ import annotations

import datetime as dt

from sim.config import registry
from sim.config.params import RunConfig

WIDEN = 2.0  # assumption: the factor each way around the fit's 90 % interval (the other terms' ~1.35, and more)
TOP = 0.99  # hazard.base_annual's range is open at 1 (a sure quit a year): the prior stops just below it


def roster_priors(run: RunConfig, until: str) -> dict[str, dict]:
    """{} without a roster, else `{"base_annual": {low, high, log, source, roster}}` from the roster's voluntary exits
    up to `until` (YYYY-MM-DD: the calibration's last day), in the format of a posterior's `meta["priors"]` (the
    `roster` entry: the fit it came from; sim.config.freeparams.recorded reads it back)."""
    if not run.roster.path or not run.roster.fit_hazard:
        return {}
    from sim.roster.config import read
    from sim.roster.prior import MIN_EVENTS, roster_fit

    roster = read(run)
    day = dt.date.fromisoformat(until)
    hf = roster_fit(roster, day)
    if hf.exits < MIN_EVENTS or hf.overall[0] <= 0:
        return {}
    median, lo, hi = hf.overall
    field = registry.bound(registry.BY_NAME["base_annual"].path)
    low = max(lo / WIDEN, field.lo, 1e-6)
    high = min(hi * WIDEN, TOP if field.hi_open else field.hi)
    source = (
        f"roster survival fit (sim/roster/prior.py): {hf.exits} voluntary exits in {hf.person_years:.0f} "
        f"person-years to {day}, annual leaving probability {median:.4g} 90 % [{lo:.4g}, {hi:.4g}]; log-uniform over "
        f"that interval widened x{WIDEN:g} each way (the other terms move the realised rate; sim/calibration/priors.py)"
    )
    fit = {
        "digest": roster.digest,
        "until": day.isoformat(),
        "fit": [round(float(median), 6), round(float(lo), 6), round(float(hi), 6)],
        "exits": int(hf.exits),
        "person_years": round(float(hf.person_years), 2),
        "widen": WIDEN,
    }
    return {"base_annual": {"low": round(low, 6), "high": round(high, 6), "log": True, "source": source, "roster": fit}}
