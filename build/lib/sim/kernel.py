"""The dense parts of the daily step as compiled loops (numba, optional extra `fast`).

`advance_clocks` does what `AttritionModel._advance_clocks_numpy` does: burnout, autonomy
and mission drift, equity, contagion, the linear predictor, the hazard multipliers, each
person's quit clock and offer clock, and the lists of people whose clocks passed their keys.
`fill_hires` does what `AttritionModel._fill_hires_numpy` does for a day's hires, and `close_day`
what `_announce` and `_record` do at the end of a day (announcements, the day's row). They call
the same functions of `sim.equations` (compiled, on floats) in the same order; they only skip
people who have left and make one pass over memory instead of one per operation (and one call
instead of dozens of small numpy calls). One caveat on "the same numbers": numpy's vectorised
exp and log1p (AVX-512 on this kind of machine) and the scalar ones numba calls can differ in
the last bit, so a clock can differ by an ulp between the paths; an event differs only if a
clock lands within an ulp of its key, and the tests check that both paths give identical
tables. Without numba, `available()` is False and the model uses the numpy path.
"""

from __future__ import annotations

from collections import namedtuple

import numpy as np

from . import equations as eq
from .workforce import HIRE_KEYS, NEVER, K

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
    _team_gap = _jit(eq.team_gap)
    _burnout_equilibrium = _jit(eq.burnout_equilibrium)

    @_jit
    def _advance_clocks(t, n, flags, consts, w, teams, rival_rate, vest, p, memo):
        burnout_on, autonomy_on, mission_on, vesting_on, wealth_on, contagion_on, offers_on = flags
        shortstaff, rise, recovery, drift, mission_base, mission_rec, bump_days, bump = consts[:8]
        window, excess, h0, spinout_rate, extra_ties = consts[8:]
        team_active, team_posts, team_recent = teams
        main_vest, refresh_vest = vest
        active, immune, role, team, load, rise_scale, burnout, autonomy, autonomy0 = p[0]
        mission, mission_floor, grant, grant_start, refresh, refresh_start, bonus, pay = p[1]
        wealth, milestones, ties, chose_left, damping, courted = p[2]
        acq_until, acq_mult, surv_until, surv_mult, bonus_day, quit_mult = p[3]
        quit_clock, quit_key, offer_clock, offer_key = p[4]
        wealth_x, wealth_y, unvested_x, unvested_y = memo
        team_gap = _team_gap(team_active, team_posts)
        top_main, top_refresh = main_vest.size - 1, refresh_vest.size - 1
        quitting, offered, offered_unvested = np.empty(n, np.int64), np.empty(n, np.int64), np.empty(n)
        n_quit = n_offer = 0
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
            uy, log_unvested, in_bump = 0.0, 0.0, False
            if vesting_on:
                vested = (
                    grant[i] * main_vest[min(max(t - grant_start[i], 0), top_main)]
                    + refresh[i] * refresh_vest[min(max(t - refresh_start[i], 0), top_refresh)]
                )
                uy = _unvested_equity(grant[i], refresh[i], bonus[i], vested) / pay[i]
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
                count = 0
                for k in range(ties.shape[0]):
                    count += chose_left[ties[k, i]] >= window
                left = np.float64(team_recent[tm]) + count
                contagion = _contagion_share(left, team_active[tm] - 1 + team_recent[tm] + extra_ties)
            eta = _linear_predictor_logged(
                burnout[i], autonomy[i], autonomy0[i], mission[i], contagion, log_wealth, log_unvested, w
            )
            mult = (
                _shock_factor(excess, damping[i])
                * (acq_mult[i] if t < acq_until[i] else 1.0)
                * (surv_mult[i] if t < surv_until[i] else 1.0)
                * (quit_mult[i] if t < bonus_day[i] else 1.0)
                * (bump if in_bump else 1.0)
            )
            quit_clock[i] += _hazard(h0, eta, mult)
            if offers_on:
                offer_clock[i] += rival_rate[role[i]] + courted[i] * spinout_rate
            if immune[i]:
                continue
            if offers_on and offer_clock[i] > offer_key[i]:
                offered[n_offer] = i
                offered_unvested[n_offer] = uy
                n_offer += 1
            if quit_clock[i] > quit_key[i]:
                quitting[n_quit] = i
                n_quit += 1
        return quitting[:n_quit], offered[:n_offer], offered_unvested[:n_offer]

    @_jit
    def _tie_pool(active, start, count, initial):
        """Slots new hires may tie to, ascending: everyone present (unless founding), then the hires."""
        pool = np.empty(count if initial else start + count, np.int64)
        k = 0
        if not initial:
            for s in range(start):
                if active[s]:
                    pool[k] = s
                    k += 1
        for j in range(count):
            pool[k + j] = start + j
        return pool[: k + count]

    @_jit
    def _fill_hires(
        start, roles, teams, hired, keys, clock_keys, initial, cols, tables, consts, burnout_rule, p, team_counts
    ):
        safety_col, performer_col, forced_col, announce_col, spinout_col, group_col, n_keys = cols
        seniority_by, pay_by, load_by, grant_by, a0_by, safety_by = tables
        cliff_day, final_day, has_cliff, mission0, burnout0, rise, recovery, performer_share = consts
        active, role, team, hired_on, seniority, pay, load, grant, grant_start = p[0]
        autonomy0, autonomy, mission, burnout, safety, high_performer = p[1]
        key_forced, key_announce, key_spinout, key_group, key_delay, quit_key, offer_key = p[2]
        burst_key, ties, milestones = p[3]
        team_role_active, team_active = team_counts
        pool = _tie_pool(active, start, roles.size, initial or ties.shape[0] == 0)
        top = pool.size - 1
        for j in range(roles.size):
            i, r, tm, day = start + j, roles[j], teams[j], hired[j]
            active[i], role[i], team[i], hired_on[i], grant_start[i] = True, r, tm, day, day
            seniority[i], pay[i], load[i], grant[i] = seniority_by[r], pay_by[r], load_by[r], grant_by[r]
            milestones[0, i] = day + cliff_day if has_cliff else NEVER
            milestones[1, i] = day + final_day
            autonomy0[i] = autonomy[i] = a0_by[r]
            mission[i] = mission0
            if burnout_rule == 0:
                burnout[i] = 0.0
            elif burnout_rule == 1:
                burnout[i] = _burnout_equilibrium(load[i], rise, recovery)
            else:
                burnout[i] = burnout0
            safety[i] = keys[j, safety_col] < safety_by[r]
            high_performer[i] = keys[j, performer_col] < performer_share
            key_forced[i], key_announce[i] = keys[j, forced_col], keys[j, announce_col]
            key_spinout[i], key_group[i] = keys[j, spinout_col], keys[j, group_col]
            key_delay[i], quit_key[i] = clock_keys[j, 0], clock_keys[j, 1]
            offer_key[i], burst_key[i] = clock_keys[j, 2], clock_keys[j, 3]
            own = np.searchsorted(pool, i)
            for k in range(ties.shape[0]):
                pick = np.int64(keys[j, n_keys + k] * max(top, 1))
                pick += pick >= own
                ties[k, i] = pool[min(pick, top)]
            team_role_active[tm, r] += 1
            team_active[tm] += 1

    @_jit
    def _close_day(t, hires, waiting, burst, people, team_counts, founder, cols, row, table):
        gain, window, lookback = burst
        announce_day, left, burst_clock, burst_key, role = people
        team_active, team_role_active = team_counts
        headcount_col, hires_col, departures_col, first_cause, last_cause = cols[:5]
        announced_col, founders_col, remaining_col = cols[5:]
        if waiting.size and gain and t > 0:
            recent = 0.0
            for d in range(max(0, t - window), t):
                recent += table[d, announced_col]
            if recent:
                for s in waiting:
                    if announce_day[s] > t and left[s] >= t - lookback:
                        burst_clock[s] += gain * recent
                        if burst_clock[s] > burst_key[s]:
                            announce_day[s] = t
        still = np.empty(waiting.size, np.int64)
        k = today = founders = 0
        for s in waiting:
            if announce_day[s] == t:
                today += 1
                founders += role[s] == founder
            elif announce_day[s] > t:
                still[k] = s
                k += 1
        row[announced_col], row[founders_col] = today, founders
        row[headcount_col], row[hires_col] = team_active.sum(), hires
        row[departures_col] = row[first_cause : last_cause + 1].sum()
        row[remaining_col] = team_role_active[:, founder].sum()
        table[t] = row
        row[:] = 0.0
        return still[:k]


def advance_clocks(model, n: int, t: int):
    """Run the compiled day for slots [0, n); return the slots passing their quit key, those passing their offer
    key, and the latter's unvested equity in years of pay (as `AttritionModel._advance_clocks_numpy`)."""
    wf, d, v, h, mech = model.workforce, model.p.dynamics, model.p.vesting, model.p.hazard, model.mech
    if getattr(model, "_kernel_args", (None,))[0] is not wf.active:  # built once, again when the arrays grow
        rates = (d.shortstaff_load, d.burnout_rise, d.burnout_recovery, d.autonomy_drift)
        mission = (d.mission_baseline, d.mission_recovery, int(v.bump_days), float(v.bump))
        weights = Weights(h.burnout, h.autonomy, h.mission, h.contagion, h.wealth, h.unvested)
        people = (
            (wf.active, wf.immune, wf.role, wf.team, wf.load, wf.rise_scale, wf.burnout, wf.autonomy, wf.autonomy0),
            (wf.mission, wf.mission_floor, wf.grant, wf.grant_start, wf.refresh, wf.refresh_start, wf.bonus, wf.pay),
            (wf.wealth, wf.milestones_by_column, wf.ties_by_column, wf.chose_left, wf.shock_damping, wf.courted),
            (wf.acq_until, wf.acq_mult, wf.surv_until, wf.surv_mult, wf.bonus_day, wf.quit_mult),
            (wf.quit_clock, wf.quit_key, wf.offer_clock, wf.offer_key),
        )
        model._kernel_args = (wf.active, tuple(map(float, rates)) + tuple(mission), weights, people)
    _, consts, weights, people = model._kernel_args
    flags = (mech.burnout, mech.autonomy, mech.mission, mech.vesting, mech.wealth, mech.contagion, bool(model.firms))
    ties = wf.n_ties if mech.contagion else 0
    consts = (*consts, t - h.contagion_window_days, model.shock_excess[t], model.h0, model.spinout_rate, ties)
    teams = (model.team_active, model.team_posts, model._team_recent)
    memo = (*model._log_wealth.reserve(n), *model._log_unvested.reserve(n))
    vest = (model._vest_table(v.years, v.cliff_months), model._vest_table(*model.refresh_schedule))
    return _advance_clocks(t, n, flags, consts, weights, teams, model.rival_rate_by_role, vest, people, memo)


def fill_hires(model, start, roles, teams, hired, keys, clock_keys, initial: bool) -> None:
    """Compiled `AttritionModel._fill_hires_numpy`: the new slots [start, start + len(roles)) get their state."""
    wf, d, mech = model.workforce, model.p.dynamics, model.mech
    if getattr(model, "_hire_args", (None,))[0] is not wf.active:  # built once, again when the arrays grow
        cols = (K["safety"], K["high_performer"], K["forced"], K["announce"], K["spinout"], K["group"], len(HIRE_KEYS))
        tables = (model.seniority_by_role, model.pay_by_role, model.load_by_role, model.grant_by_role)
        tables = (*tables, model.a0_by_role, model.safety_by_role)
        consts = (
            model._cliff_day,
            model._final_day,
            bool(model.p.vesting.cliff_months),
            float(d.mission_baseline if mech.mission else 1.0),
            float(d.initial_burnout),
            float(d.burnout_rise),
            float(d.burnout_recovery),
            float(model.p.company.high_performer_share),
        )
        people = (
            (wf.active, wf.role, wf.team, wf.hired, wf.seniority, wf.pay, wf.load, wf.grant, wf.grant_start),
            (wf.autonomy0, wf.autonomy, wf.mission, wf.burnout, wf.safety, wf.high_performer),
            (wf.key_forced, wf.key_announce, wf.key_spinout, wf.key_group, wf.key_delay, wf.quit_key, wf.offer_key),
            (wf.burst_key, wf.ties_by_column, wf.milestones_by_column),
        )
        model._hire_args = (wf.active, cols, tables, consts, people, (model.team_role_active, model.team_active))
    _, cols, tables, consts, people, team_counts = model._hire_args
    burnout_rule = 0 if not mech.burnout else 1 if initial else 2  # none, equilibrium of the role's load, newcomer's
    new = (roles, teams, hired, keys, clock_keys)
    _fill_hires(start, *new, initial, cols, tables, consts, burnout_rule, people, team_counts)


def close_day(model, t: int, hires: int) -> np.ndarray:
    """Compiled `AttritionModel._announce` and `_record`: today's announcements and the day's row of the table
    (its means are already in it); return the leavers still waiting to announce."""
    wf, o = model.workforce, model.p.observation
    if getattr(model, "_close_args", (None,))[0] is not wf.active:  # built once, again when the arrays grow
        from .model import COL, FOUNDER  # the model imports this module

        people = (wf.announce_day, wf.left, wf.burst_clock, wf.burst_key, wf.role)
        names = ("headcount", "hires", "departures", "departures_voluntary", "departures_forced", "announced")
        names += ("announced_founders", "founders_remaining")
        burst = (float(o.burst_gain), int(o.burst_window_days), int(o.lookback_days))
        model._close_args = (wf.active, people, tuple(COL[c] for c in names), burst, FOUNDER)
    _, people, cols, burst, founder = model._close_args
    team_counts = (model.team_active, model.team_role_active)
    return _close_day(
        t,
        hires,
        model._waiting,
        burst,
        people,
        team_counts,
        founder,
        cols,
        model._today,
        model._daily_table,
    )
