"""The dense part of the daily step as one compiled loop (numba, optional extra `fast`).

`hazard_day` does what `AttritionModel._hazard_day_numpy` does: burnout, autonomy and
mission drift, equity, contagion, the linear predictor, the hazard multipliers, and each
person's quit clock. It calls the same functions of `sim.equations` (compiled, on floats)
in the same order, so both paths give the same numbers; it only skips people who have left
and avoids a pass over memory per operation. Without numba, `available()` is False and the
model uses the numpy path.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from . import equations as eq

try:
    import numba
except ImportError:  # the optional extra `fast` is not installed
    numba = None

Weights = namedtuple("Weights", "burnout autonomy mission contagion wealth unvested")


def available() -> bool:
    return numba is not None


if numba is not None:
    _jit = numba.njit(cache=True)
    _burnout_next = _jit(eq.burnout_next)
    _team_load = _jit(eq.team_load)
    _relax = _jit(eq.relax)
    _unvested_equity = _jit(eq.unvested_equity)
    _contagion_share = _jit(eq.contagion_share)
    _linear_predictor_logged = _jit(eq.linear_predictor_logged)
    _shock_factor = _jit(eq.shock_factor)
    _hazard = _jit(eq.hazard)

    @_jit
    def _hazard_day(t, n, flags, consts, w, team_gap, team_left, team_ties, main_vest, refresh_vest, p, memo, out):
        burnout_on, autonomy_on, mission_on, vesting_on, wealth_on, contagion_on = flags
        shortstaff, rise, recovery, drift, mission_base, mission_rec, bump_days, bump, window, excess, h0 = consts
        active, team, load, rise_scale, burnout, autonomy, autonomy0, mission = p[0]
        mission_floor, grant, grant_start, refresh, refresh_start, bonus, pay, wealth = p[1]
        milestones, ties, chose_left, damping = p[2]
        acq_until, acq_mult, surv_until, surv_mult, bonus_day, quit_mult, quit_clock = p[3]
        wealth_x, wealth_y, unvested_x, unvested_y = memo
        unvested_years, shock = out
        top_main, top_refresh = main_vest.size - 1, refresh_vest.size - 1
        for i in range(n):
            if not active[i]:
                continue
            tm = team[i]
            if burnout_on:
                work = _team_load(load[i], shortstaff, team_gap[tm])
                burnout[i] = _burnout_next(burnout[i], work, rise * rise_scale[i], recovery)
            if autonomy_on:
                autonomy[i] = _relax(autonomy[i], autonomy0[i], drift)
            if mission_on:
                mission[i] = max(_relax(mission[i], mission_base, mission_rec), mission_floor[i])
            log_unvested, in_bump = 0.0, False
            if vesting_on:
                vested = (
                    grant[i] * main_vest[min(max(t - grant_start[i], 0), top_main)]
                    + refresh[i] * refresh_vest[min(max(t - refresh_start[i], 0), top_refresh)]
                )
                uy = _unvested_equity(grant[i], refresh[i], bonus[i], vested) / pay[i]
                unvested_years[i] = uy
                if uy != unvested_x[i]:
                    unvested_x[i] = uy
                    unvested_y[i] = np.log1p(uy)
                log_unvested = unvested_y[i]
                for k in range(milestones.shape[0]):
                    since = t - np.int64(milestones[k, i])
                    if since >= 0 and since < bump_days:
                        in_bump = True
            log_wealth = 0.0
            if wealth_on:
                wy = wealth[i] / pay[i]
                if wy != wealth_x[i]:
                    wealth_x[i] = wy
                    wealth_y[i] = np.log1p(wy)
                log_wealth = wealth_y[i]
            contagion = 0.0
            if contagion_on:
                left = team_left[tm]
                count = 0
                for k in range(ties.shape[0]):
                    count += chose_left[ties[k, i]] >= window
                contagion = _contagion_share(left + count, team_ties[tm])
            eta = _linear_predictor_logged(
                burnout[i], autonomy[i], autonomy0[i], mission[i], contagion, log_wealth, log_unvested, w
            )
            s = _shock_factor(excess, damping[i])
            shock[i] = s
            mult = (
                s
                * (acq_mult[i] if t < acq_until[i] else 1.0)
                * (surv_mult[i] if t < surv_until[i] else 1.0)
                * (quit_mult[i] if t < bonus_day[i] else 1.0)
                * (bump if in_bump else 1.0)
            )
            quit_clock[i] += _hazard(h0, eta, mult)


def hazard_day(model, n: int, t: int):
    """Run the compiled day for slots [0, n); return (unvested years, shock factor) arrays (active slots valid)."""
    wf, d, v, h, mech = model.workforce, model.p.dynamics, model.p.vesting, model.p.hazard, model.mech
    if getattr(model, "_kernel_args", (None,))[0] is not wf.active:  # built once, again when the arrays grow
        flags = (mech.burnout, mech.autonomy, mech.mission, mech.vesting, mech.wealth, mech.contagion)
        rates = (d.shortstaff_load, d.burnout_rise, d.burnout_recovery, d.autonomy_drift)
        mission = (d.mission_baseline, d.mission_recovery, int(v.bump_days), float(v.bump))
        weights = Weights(h.burnout, h.autonomy, h.mission, h.contagion, h.wealth, h.unvested)
        people = (
            (wf.active, wf.team, wf.load, wf.rise_scale, wf.burnout, wf.autonomy, wf.autonomy0, wf.mission),
            (wf.mission_floor, wf.grant, wf.grant_start, wf.refresh, wf.refresh_start, wf.bonus, wf.pay, wf.wealth),
            (wf.milestones_by_column, wf.ties_by_column, wf.chose_left, wf.shock_damping),
            (wf.acq_until, wf.acq_mult, wf.surv_until, wf.surv_mult, wf.bonus_day, wf.quit_mult, wf.quit_clock),
        )
        model._kernel_args = (wf.active, flags, tuple(map(float, rates)) + tuple(mission), weights, people)
    _, flags, consts, weights, people = model._kernel_args
    consts = (*consts, t - h.contagion_window_days, model.shock_excess[t], model.h0)
    team_gap = eq.team_gap(model.team_active, model.team_posts)
    team_left = model._team_recent.astype(np.float64)
    team_ties = model.team_active - 1 + model._team_recent + (wf.n_ties if mech.contagion else 0)
    memo = (*model._log_wealth.reserve(n), *model._log_unvested.reserve(n))
    out = (np.zeros(n), np.ones(n))
    main = model._vest_table(v.years, v.cliff_months)
    refresh = model._vest_table(*model.refresh_schedule)
    _hazard_day(t, n, flags, consts, weights, team_gap, team_left, team_ties, main, refresh, people, memo, out)
    return out
