"""One uncertain world, run under one policy: the model's free parameters, the levers' effect sizes and a seed in;
the outcomes a policy is judged by out (departures, co-founders remaining, policy cost, attrition cost).

The function behind `exodus-explore` (an EMA Workbench model) and `experiments/lever_variance.py`. Each policy's
config is composed once per process; a world only sets values on a copy of it.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping

from sim.analysis import value
from sim.config import freeparams, leverpriors
from sim.config.params import ROLES, ConfigError, RunConfig

FIELD_PRIORS = {p.field: p for p in leverpriors.PRIORS}  # lever fields are unique across levers
# policy settings a world can set besides the effects (what the lab decides): field -> (lever, low, high)
SETTINGS = {
    "bonus_years_of_pay": ("retention_bonus", 0.0, 1.0),
    "grant_years_of_pay": ("refresh_grants", 0.0, 4.0),
    "match_cap": ("counter_offers", 1.0, 3.0),
}
OUTCOMES = ("departures", "founders_remaining", "policy_cost", "attrition_cost")


@functools.cache
def base_run(policy: str, overrides: tuple[str, ...] = ()) -> RunConfig:
    """The run config of `policy` with `overrides` (Hydra syntax), composed once per process."""
    from sim.config.compose import compose
    from sim.config.load import as_run_config

    return as_run_config(compose([f"policy={policy}", *overrides]))


@functools.cache
def valuation(path: str = "") -> value.ValueConfig:
    return value.load(path or None)


def world_config(
    policy: str, seed: int, free: Mapping[str, float], levers: Mapping[str, float], overrides: tuple[str, ...] = ()
) -> RunConfig:
    """The config of one world under `policy`: free parameters (sim/config/freeparams.py names), lever effect sizes
    (sim/config/leverpriors.py field names) and policy SETTINGS set on a copy of the policy's config, and the seed."""
    run = freeparams.apply(base_run(policy, tuple(overrides)), dict(free))
    run = copy.copy(run)
    run.lever = {k: copy.copy(v) for k, v in run.lever.items()}
    for name, v in levers.items():
        if name in SETTINGS:
            setattr(run.lever[SETTINGS[name][0]], name, float(v))
            continue
        if name not in FIELD_PRIORS:
            allowed = ", ".join([*FIELD_PRIORS, *SETTINGS])
            raise ConfigError(f"levers.{name}", name, f"a lever effect or setting, one of {allowed}")
        p = FIELD_PRIORS[name]
        setattr(run.lever[p.lever], p.field, float(v))
    run.seed = int(seed)
    return run


def outcomes(run: RunConfig, valuation_file: str = "") -> dict[str, float]:
    """Simulate one world and return its OUTCOMES."""
    from sim.run.simulate import simulate

    res = simulate(run)
    figures = res.summary["figures"]
    pay = dict(run.company.pay)
    per = value.cost_per_departure(valuation(valuation_file), pay, run.company.hire_fill_days)
    counts = res.departures["role"].value_counts()
    return {
        "departures": float(len(res.departures)),
        "founders_remaining": float(figures["founders_remaining"]),
        "policy_cost": float(figures["policy_cost_total"]),
        "attrition_cost": float(sum(per[r] * counts.get(r, 0) for r in ROLES)),
    }
