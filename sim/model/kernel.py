"""The dense parts of the day as compiled loops (numba): the one implementation of each daily update.

`advance_clocks`: burnout, autonomy and mission drift, equity, contagion, the linear predictor, the hazard
multipliers, each person's quit and offer clock, and who passed their keys today. `fill_hires`: a day's new people
and their per-person draws. `close_day`: announcements (with bursts) and the day's row of the table. Each loop calls
the functions of `sim.model.equations` (compiled, on floats) in the order the per-agent reference in
`tests/reference.py` does, and skips people who have left.

The state goes in by name: each pass's arguments are packed by field name (`pack`, `named`: the `People` fields
are the Workforce arrays of the same name) and named again inside the pass, so two arrays can never be swapped by
position.
"""

from __future__ import annotations

from collections import namedtuple

import numba
import numpy as np

from sim.model import equations as eq
from sim.model.workforce import NEVER
from sim.schema import FOUNDER

Weights = namedtuple("Weights", "burnout autonomy mission contagion wealth unvested")
# Workforce arrays each loop reads or writes (field name = Workforce attribute)
People = namedtuple(
    "People",
    "active immune role team load rise_scale burnout autonomy autonomy0 mission mission_floor grant grant_start "
    "refresh refresh_start bonus pay wealth milestones_by_column ties_by_column chose_left shock_damping courted "
    "acq_until acq_mult surv_until surv_mult bonus_day quit_mult quit_clock quit_key offer_clock offer_key",
)
HirePeople = namedtuple(
    "HirePeople",
    "active role team hired seniority pay load grant grant_start autonomy0 autonomy mission burnout safety "
    "high_performer key_forced key_announce key_spinout key_group key_delay quit_key offer_key burst_key "
    "ties_by_column milestones_by_column",
)
ClosePeople = namedtuple("ClosePeople", "announce_day left burst_clock burst_key role")
# the day's switches and constants
Switches = namedtuple("Switches", "burnout autonomy mission vesting wealth contagion offers")
Rates = namedtuple(
    "Rates", "shortstaff rise recovery drift mission_base mission_rec bump_days bump h0 spinout extra_ties"
)
Teams = namedtuple("Teams", "active posts recent")
Vesting = namedtuple("Vesting", "main refresh")
Memo = namedtuple("Memo", "wealth_x wealth_y unvested_x unvested_y")
Passed = namedtuple("Passed", "quitting offered offered_unvested")  # advance_clocks' output buffers (>= n slots)
HireRoles = namedtuple("HireRoles", "seniority pay load grant autonomy0 safety")
HireRules = namedtuple("HireRules", "cliff_day final_day has_cliff mission0 burnout0 rise recovery performer_share")
HireCols = namedtuple("HireCols", "safety performer forced announce spinout group n_keys")
TeamCounts = namedtuple("TeamCounts", "role_active active")
Burst = namedtuple("Burst", "gain window lookback")
TableCols = namedtuple("TableCols", "headcount hires departures first_cause last_cause announced founders remaining")


def pack(kind, **values) -> tuple:
    """Arguments for a compiled pass: `values` given by name, in the order of `kind`'s fields. (The passes take
    plain tuples, which numba dispatches faster than named ones, and name them again inside.)"""
    return tuple(kind(**values))


def named(kind, source) -> tuple:
    """`pack` of `kind` from the attributes of the same name on `source` (e.g. the Workforce arrays)."""
    return pack(kind, **{name: getattr(source, name) for name in kind._fields})


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
def advance_clocks(
    t, n, window, excess, founder_eta, founder_mult, on, rates, weights, teams, rival_rate, vest, people, memo, out
):  # noqa: E501
    """Today's drift and hazards for slots [0, n): every clock advances; who passed their quit key, who passed their
    offer key, and the latter's unvested equity in years of pay go to the front of `out` (`Passed`), whose counts
    (n_quit, n_offer) it returns (ints: numba boxes no arrays). `window`: the first day a tie's leaving still counts
    for contagion; `excess`: the shocks' hazard excess today; `founder_eta`, `founder_mult`: the founding team's
    clique contagion term and early-stage push today (`FoundingTeam.terms`)."""
    on, r, w, teams, vest = Switches(*on), Rates(*rates), Weights(*weights), Teams(*teams), Vesting(*vest)
    p, memo = People(*people), Memo(*memo)
    team_gap = _team_gap(teams.active, teams.posts)
    top_main, top_refresh = vest.main.size - 1, vest.refresh.size - 1
    quitting, offered, offered_unvested = Passed(*out)
    n_quit = n_offer = 0
    for i in range(n):
        if not p.active[i]:
            continue
        tm = p.team[i]
        if on.burnout:
            work = _team_load(p.load[i], r.shortstaff, team_gap[tm])
            p.burnout[i] = _burnout_next(p.burnout[i], work, r.rise * p.rise_scale[i], r.recovery)
        if on.autonomy:
            p.autonomy[i] = _relax(p.autonomy[i], p.autonomy0[i], r.drift)
        if on.mission:
            p.mission[i] = max(_relax(p.mission[i], r.mission_base, r.mission_rec), p.mission_floor[i])
        uy, log_unvested, in_bump = 0.0, 0.0, False
        if on.vesting:
            vested = (
                p.grant[i] * vest.main[min(max(t - p.grant_start[i], 0), top_main)]
                + p.refresh[i] * vest.refresh[min(max(t - p.refresh_start[i], 0), top_refresh)]
            )
            uy = _unvested_equity(p.grant[i], p.refresh[i], p.bonus[i], vested) / p.pay[i]
            if uy != memo.unvested_x[i]:
                memo.unvested_x[i] = uy
                memo.unvested_y[i] = np.log1p(uy)
            log_unvested = memo.unvested_y[i]
            for k in range(p.milestones_by_column.shape[0]):
                since = t - np.int64(p.milestones_by_column[k, i])
                if since >= 0 and since < r.bump_days:
                    in_bump = True
        log_wealth = 0.0
        if on.wealth:
            wy = p.wealth[i] / p.pay[i]
            if wy != memo.wealth_x[i]:
                memo.wealth_x[i] = wy
                memo.wealth_y[i] = np.log1p(wy)
            log_wealth = memo.wealth_y[i]
        contagion = 0.0
        if on.contagion:
            count = 0
            for k in range(p.ties_by_column.shape[0]):
                count += p.chose_left[p.ties_by_column[k, i]] >= window
            left = np.float64(teams.recent[tm]) + count
            contagion = _contagion_share(left, teams.active[tm] - 1 + teams.recent[tm] + r.extra_ties)
        eta = _linear_predictor_logged(
            p.burnout[i], p.autonomy[i], p.autonomy0[i], p.mission[i], contagion, log_wealth, log_unvested, w
        )
        mult = (
            _shock_factor(excess, p.shock_damping[i])
            * (p.acq_mult[i] if t < p.acq_until[i] else 1.0)
            * (p.surv_mult[i] if t < p.surv_until[i] else 1.0)
            * (p.quit_mult[i] if t < p.bonus_day[i] else 1.0)
            * (r.bump if in_bump else 1.0)
        )
        if p.role[i] == FOUNDER:  # the founding team: clique contagion and the early-stage push
            eta += founder_eta
            mult *= founder_mult
        p.quit_clock[i] += _hazard(r.h0, eta, mult)
        if on.offers:
            p.offer_clock[i] += rival_rate[p.role[i]] + p.courted[i] * r.spinout
        if p.immune[i]:
            continue
        if on.offers and p.offer_clock[i] > p.offer_key[i]:
            offered[n_offer] = i
            offered_unvested[n_offer] = uy
            n_offer += 1
        if p.quit_clock[i] > p.quit_key[i]:
            quitting[n_quit] = i
            n_quit += 1
    return n_quit, n_offer


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
def fill_hires(
    start, roles, teams, hired, keys, clock_keys, initial, burnout_rule, cols, by_role, rules, people, counts
):
    """New people's state: their role's pay, load, grant and autonomy, vesting dates, keys and ties. Ties are uniform
    over the others present (new hires included): a pick skips one's own place in the pool. `burnout_rule`: 0 burnout
    off, 1 the equilibrium of the role's load (the founding staff), 2 a newcomer's."""
    c, by, rule, p, counts = (
        HireCols(*cols),
        HireRoles(*by_role),
        HireRules(*rules),
        HirePeople(*people),
        TeamCounts(*counts),
    )
    pool = _tie_pool(p.active, start, roles.size, initial or p.ties_by_column.shape[0] == 0)
    top = pool.size - 1
    for j in range(roles.size):
        i, r, tm, day = start + j, roles[j], teams[j], hired[j]
        p.active[i], p.role[i], p.team[i], p.hired[i], p.grant_start[i] = True, r, tm, day, day
        p.seniority[i], p.pay[i], p.load[i], p.grant[i] = by.seniority[r], by.pay[r], by.load[r], by.grant[r]
        p.milestones_by_column[0, i] = day + rule.cliff_day if rule.has_cliff else NEVER
        p.milestones_by_column[1, i] = day + rule.final_day
        p.autonomy0[i] = p.autonomy[i] = by.autonomy0[r]
        p.mission[i] = rule.mission0
        if burnout_rule == 0:
            p.burnout[i] = 0.0
        elif burnout_rule == 1:
            p.burnout[i] = _burnout_equilibrium(p.load[i], rule.rise, rule.recovery)
        else:
            p.burnout[i] = rule.burnout0
        p.safety[i] = keys[j, c.safety] < by.safety[r]
        p.high_performer[i] = keys[j, c.performer] < rule.performer_share
        p.key_forced[i], p.key_announce[i] = keys[j, c.forced], keys[j, c.announce]
        p.key_spinout[i], p.key_group[i] = keys[j, c.spinout], keys[j, c.group]
        p.key_delay[i], p.quit_key[i] = clock_keys[j, 0], clock_keys[j, 1]
        p.offer_key[i], p.burst_key[i] = clock_keys[j, 2], clock_keys[j, 3]
        own = np.searchsorted(pool, i)
        for k in range(p.ties_by_column.shape[0]):
            pick = np.int64(keys[j, c.n_keys + k] * max(top, 1))
            pick += pick >= own
            p.ties_by_column[k, i] = pool[min(pick, top)]
        counts.role_active[tm, r] += 1
        counts.active[tm] += 1


@_jit
def close_day(t, hires, waiting, burst, people, counts, founder, cols, row, table):
    """Public announcements: scheduled ones fall due; a recent burst makes leavers who would post later post now.
    Then the day's row of the table (its means are already in it), and a fresh row for tomorrow. The leavers still
    waiting to announce move to the front of `waiting` (in place); return their number."""
    burst, p, counts, col = Burst(*burst), ClosePeople(*people), TeamCounts(*counts), TableCols(*cols)
    if waiting.size and burst.gain and t > 0:
        recent = 0.0
        for d in range(max(0, t - burst.window), t):
            recent += table[d, col.announced]
        if recent:
            for s in waiting:
                if p.announce_day[s] > t and p.left[s] >= t - burst.lookback:
                    p.burst_clock[s] += burst.gain * recent
                    if p.burst_clock[s] > p.burst_key[s]:
                        p.announce_day[s] = t
    k = today = founders = 0
    for s in waiting:  # (k never passes the place being read)
        if p.announce_day[s] == t:
            today += 1
            founders += p.role[s] == founder
        elif p.announce_day[s] > t:
            waiting[k] = s
            k += 1
    row[col.announced], row[col.founders] = today, founders
    row[col.headcount], row[col.hires] = counts.active.sum(), hires
    row[col.departures] = row[col.first_cause : col.last_cause + 1].sum()
    row[col.remaining] = counts.role_active[:, founder].sum()
    table[t] = row
    row[:] = 0.0
    return k
