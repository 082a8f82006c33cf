"""A run with a roster: the config the roster implies (window, company, observation), set once at the edge."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np

from sim.config.params import ConfigError, RunConfig
from sim.data.observed import DataError
from sim.roster.load import Roster, load
from sim.schema import FOUNDER, ROLES


def as_of(roster: Roster, value: str) -> dt.date:
    """`roster.as_of` as a date ("" : the roster's last dated event)."""
    if not value:
        return roster.last_event
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise ConfigError("roster.as_of", value, "a date as YYYY-MM-DD, or empty for the roster's last event") from None


def read(run) -> Roster:
    """The run's roster, read and checked (cached by file, so every run of a sweep or calibration reads it once)."""
    return load(run.roster.path, run.roster.roles)


def _start_in(lever, window_start: str):
    """A lever dated before the window (the shipped policies' dates are xAI's) starts on its first day instead."""
    if isinstance(lever, str) or not getattr(lever, "start", ""):
        return lever
    return dataclasses.replace(lever, start="") if lever.start < window_start else lever


def apply_to_run(run: RunConfig) -> RunConfig:
    """A copy of `run` set up from its roster: the window after `as_of`; the company's size, roles, pay and founding
    from the people present; no dated shocks (the shipped ones are xAI's); every exit observed on its day (an HR
    record is complete); the vesting schedule most rows give; levers dated before the window start on its first
    day; with `roster.fit_hazard`, the base hazard fitted to its voluntary exits (sim/roster/prior.py). A run without
    a roster is returned as it is."""
    if not run.roster.path:
        return run
    roster = read(run)
    start_on = as_of(roster, run.roster.as_of)
    present = roster.present(start_on)
    if present.empty:
        raise DataError(run.roster.path, None, f"no one on the roster on roster.as_of={start_on} (hired by then, "
                                               "not gone by then)")  # fmt: skip
    first_hire = roster.people["hire_date"].min().date()
    run = dataclasses.replace(run)
    run.roster = dataclasses.replace(run.roster, as_of=start_on.isoformat(), digest=roster.digest)
    run.window = dataclasses.replace(
        run.window,
        start=(start_on + dt.timedelta(days=1)).isoformat(),
        end=(start_on + dt.timedelta(days=run.roster.horizon_days)).isoformat(),
    )
    roles = present["role"].map(ROLES.index).to_numpy()
    counts = np.bincount(roles, minlength=len(ROLES))
    staff = counts.copy()
    staff[FOUNDER] = 0
    shares = staff / max(staff.sum(), 1)
    pay = present.groupby("role")["annual_pay"].median()
    c = run.company
    founded = min(first_hire, start_on)
    people = roster.people
    gone = people[(people["role"] == "co_founder") & (people["exit_reason"] != "forced")]["exit_date"].dropna()
    founders_left = sorted(d.date().isoformat() for d in gone if founded <= d.date() <= start_on)
    run.company = dataclasses.replace(
        c,
        name="roster",
        founded=founded.isoformat(),
        founders_left=founders_left,  # the roster's co-founders who chose to leave before the window (the clique)
        headcount=int(len(present)),
        founders=int(counts[FOUNDER]),
        owner_founders=0,
        role_mix={r: float(shares[i]) for i, r in enumerate(ROLES)},
        pay={r: float(pay.get(r, c.pay[r])) for r in ROLES},
    )
    years, cliff = present["vesting_years"].dropna(), present["vesting_cliff_months"].dropna()
    run.vesting = dataclasses.replace(
        run.vesting,
        years=float(years.mode().iloc[0]) if len(years) else run.vesting.years,
        cliff_months=int(cliff.mode().iloc[0]) if len(cliff) else run.vesting.cliff_months,
    )
    if run.roster.fit_hazard:
        from sim.roster.prior import roster_fit

        hf = roster_fit(roster, start_on)
        if hf.exits:
            run.hazard = dataclasses.replace(run.hazard, base_annual=round(hf.base_annual, 6))
    run.shocks = []
    window_start = run.window.start
    run.lever = {k: _start_in(v, window_start) for k, v in run.lever.items()}
    run.policy = dataclasses.replace(run.policy, levers=[_start_in(v, window_start) for v in run.policy.levers])
    run.observation = dataclasses.replace(
        run.observation,
        announce_prob=dict.fromkeys(ROLES, 1.0),
        delay_mean_days=dict.fromkeys(ROLES, 0.0),
        burst_gain=0.0,
    )
    return run
