"""AttritionModel: a frontier lab's workforce, one step per calendar day.

Employees are Mesa agents whose numbers live in arrays (`Workforce`), updated in
bulk each day; departures, hires, firms and shocks are per-agent discrete events.

Random numbers keep common random numbers across policies: a person's draws never
depend on what happened to others. Each person draws at hire an Exp(1) key for each
recurring event (quitting, the next offer, posting early during a burst) and a clock
adds up the event's daily hazard; the event happens on the first day the clock passes
the key. That has the law of a daily draw with probability 1 - exp(-h), spends no
random number per day, and a policy that lowers someone's hazard only delays their
exit. An offer's own draws (firm, counter-offer, acceptance, next key) come from a
counter-based generator indexed by (person, day). Hires draw from their own stream.
"""

from __future__ import annotations

import bisect
import datetime as dt
import os
from functools import partial

import mesa
import numpy as np

from . import equations as eq
from . import kernel
from . import shocks as shock_rules
from .agents import Employee, Firm, Spinout
from .params import ROLES, UNITS, ModelParams, parse_date, validate
from .policies import LEVERS, CounterOffers
from .workforce import CLOCK_KEYS, HIRE_KEYS, NEVER, K, Workforce

CAUSES = ("voluntary", "poached", "spinout", "forced")
VOLUNTARY, POACHED, SPINOUT, FORCED = range(4)
FOUNDER = ROLES.index("co_founder")
ROLE_UNIT = np.array(
    [UNITS.index(u) for u in ("research", "research", "research", "engineering", "product", "operations")]
)
SENIORITY = np.array([1.0, 0.8, 0.5, 0.4, 0.4, 0.1])  # assumption: co-founder .. operations
# an offer's four draws
O_FIRM, O_COUNTER, O_ACCEPT, O_NEXT = range(4)

DAILY_COLUMNS = (
    "headcount",
    "hires",
    "departures",
    *(f"departures_{c}" for c in CAUSES),
    "announced",
    "announced_founders",
    "founders_remaining",
    "mean_burnout",
    "mean_autonomy",
    "mean_mission",
    "offers_made",
    "offers_accepted",
    "offers_countered",
)
COL = {name: i for i, name in enumerate(DAILY_COLUMNS)}
CAUSE_COL = [COL[f"departures_{cause}"] for cause in CAUSES]


def _role_vector(table: dict[str, float]) -> np.ndarray:
    return np.array([float(table.get(r, 0.0)) for r in ROLES])


def _apportion(total: int, shares: np.ndarray) -> np.ndarray:
    """Split an integer total by shares, largest remainders first (deterministic)."""
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


def exponential_key(u):
    """An Exp(1) key from a uniform (inverse transform)."""
    return -np.log1p(-u)


class OfferDraws:
    """Counter-based uniforms for offers: the four draws of (person, day) depend on nothing else."""

    def __init__(self, rng: np.random.Generator):
        self._bits = np.random.Philox(key=rng.integers(0, 2**64, size=2, dtype=np.uint64))
        self._gen = np.random.Generator(self._bits)
        self._state = self._bits.state

    def __call__(self, slot: int, day: int) -> np.ndarray:
        self._state["state"]["counter"][:] = (0, 0, slot, day)
        self._state["buffer_pos"] = 4  # empty buffer: the next draw starts at this counter
        self._bits.state = self._state
        return self._gen.random(4)


class Log1pCache:
    """log1p of a slowly changing per-slot array, recomputed only where the input changed."""

    def __init__(self):
        self.x = np.zeros(0)
        self.y = np.zeros(0)

    def reserve(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Room for n slots; return the (inputs, logs) arrays."""
        if self.x.size < n:
            grow = max(n, 2 * self.x.size) - self.x.size
            self.x = np.concatenate([self.x, np.full(grow, np.nan)])  # NaN differs from every input
            self.y = np.concatenate([self.y, np.zeros(grow)])
        return self.x, self.y

    def __call__(self, x: np.ndarray) -> np.ndarray:
        n = x.size
        self.reserve(n)
        changed = np.flatnonzero(x != self.x[:n])
        if changed.size:
            self.x[changed] = x[changed]
            self.y[changed] = np.log1p(x[changed])
        return self.y[:n]


ENGINES = ("auto", "numpy", "numba")


class AttritionModel(mesa.Model):
    """The lab over a calendar window; `run()` steps it day by day to the window's end.

    `engine` runs the dense part of the day with numpy or with the compiled loop of
    `sim.kernel` (extra `fast`); both give the same results. "auto" (default, or the
    environment variable EXODUS_ENGINE) takes numba when it is installed.
    """

    @staticmethod
    def available_engines() -> tuple[str, ...]:
        return ("numpy", "numba") if kernel.available() else ("numpy",)

    def __init__(self, params: ModelParams, seed: int = 0, engine: str | None = None):
        super().__init__(rng=seed)
        engine = engine or os.environ.get("EXODUS_ENGINE", "auto")
        if engine not in ENGINES:
            raise ValueError(f"engine={engine!r} is not allowed: one of {', '.join(ENGINES)}")
        if engine == "numba" and not kernel.available():
            raise ValueError("engine='numba' needs numba: pip install 'exodus[fast]'")
        self.engine = self.available_engines()[-1] if engine == "auto" else engine
        self.p = p = validate(params)
        self.seed = seed
        self.mech = p.mechanisms
        self.start = parse_date(p.window.start, "window.start")
        self.end = parse_date(p.window.end, "window.end")
        self.days = (self.end - self.start).days + 1
        self.day = 0
        offer_rng, self._hire_rng, self._event_rng = self.rng.spawn(3)
        self._offer_draws = OfferDraws(offer_rng)

        self.h0 = float(eq.annual_to_daily(p.hazard.base_annual))
        self.shock_excess = np.zeros(self.days)
        self.refresh_schedule = (4.0, 0)
        self._cliff_day, self._final_day = self.milestone_days(0, p.vesting.years, p.vesting.cliff_months)
        self._vest_tables: dict[tuple, np.ndarray] = {}
        self._log_wealth = Log1pCache()
        self._log_unvested = Log1pCache()

        # role tables as vectors indexed by role code
        self.seniority_by_role = SENIORITY
        self.pay_by_role = _role_vector(p.company.pay)
        self.grant_by_role = _role_vector(p.company.grant_years_of_pay) * self.pay_by_role
        self.load_by_role = _role_vector(p.dynamics.base_load)
        self.a0_by_role = _role_vector(p.dynamics.autonomy_baseline)
        self.safety_by_role = _role_vector(p.company.safety_minded_share)
        self.announce_by_role = _role_vector(p.observation.announce_prob)
        self.delay_by_role = _role_vector(p.observation.delay_mean_days)

        self.workforce = Workforce(capacity=int(p.company.headcount * 1.6) + 16, n_ties=p.company.cross_ties)
        self.employees: list[Employee | None] = []
        self.departure_notes: dict[int, tuple[str, str, float]] = {}  # slot -> (firm, shock, shock share)
        self._build_staff()

        W = p.hazard.contagion_window_days
        self._ring = np.zeros((W + 1, self.n_teams), dtype=np.int64)
        self._team_recent = np.zeros(self.n_teams, dtype=np.int64)

        self.firms: list[Firm] = []  # rivals first, then spin-outs in founding order
        self.rivals: list[Firm] = []
        self.rival_rate_by_role = np.zeros(len(ROLES))  # daily offer hazard from all rivals, by role
        if self.mech.poaching:
            self._build_firms()
        # by role: the rivals that make offers to it and their cumulative offer hazards (fixed over the run)
        self._rival_choice = [self._offering_rivals(role) for role in range(len(ROLES))]
        self._recruiting: list[Spinout] = []  # spin-outs making offers today
        self._courting: dict[int, list[Spinout]] = {}  # slot -> spin-outs that court it, in founding order
        self.spinout_rate = float(eq.daily_hazard(p.spinout.offers_per_day))  # offer hazard for each target
        self.spinouts_founded = 0
        self._waiting = np.zeros(0, dtype=np.int64)  # leavers whose announcement is still to come
        self._new_waiting: list[int] = []

        self._scheduled = []  # Mesa holds event callbacks weakly; keep them alive here
        self.levers = []
        for lev in p.policy.levers:
            day = (parse_date(lev.start, "policy.start") - self.start).days if lev.start else 0
            lever = LEVERS[lev.kind](lev, day)
            self.levers.append(lever)
            self._at(day + 0.25, partial(self._activate_lever, lever))
        self.counter_lever = next((lv for lv in self.levers if isinstance(lv, CounterOffers)), None)

        if self.mech.shocks:
            for i, shock in enumerate(p.shocks):
                day = (parse_date(shock.date, f"shocks[{i}].date") - self.start).days
                if day < 0:
                    shock_rules.fire(self, shock, i, day)
                else:
                    self._at(day + 0.5, partial(shock_rules.fire, self, shock, i, day))

        self._daily_table = np.zeros((self.days, len(DAILY_COLUMNS)))
        self._offers_log: list[tuple[int, str, int, int]] = []
        self._today = np.zeros(len(DAILY_COLUMNS))

    # ------------------------------------------------------------------ construction

    def milestone_days(self, start_day: int, years: float, cliff_months: int) -> tuple[int, int]:
        """Day indices of a grant's cliff and of its last vesting date."""
        cliff = start_day + int(np.ceil(cliff_months * eq.DAYS_PER_MONTH))
        final = start_day + int(np.ceil(12 * years * eq.DAYS_PER_MONTH))
        return cliff, final

    def _build_staff(self) -> None:
        c = self.p.company
        shares = _role_vector(c.role_mix)
        shares[FOUNDER] = 0.0
        counts = _apportion(c.headcount - c.founders, shares)
        counts[FOUNDER] = c.founders
        roles = np.repeat(np.arange(len(ROLES)), counts).astype(np.int8)
        rng = self._hire_rng
        rng.shuffle(roles[c.founders :])

        # teams: each unit's members in chunks of team_size; founders lead the first research teams
        team = np.zeros(roles.size, dtype=np.int32)
        team_unit, next_team = [], 0
        for u in range(len(UNITS)):
            members = np.flatnonzero((ROLE_UNIT[roles] == u) & (roles != FOUNDER))
            k = max(1, int(np.ceil(members.size / c.team_size))) if members.size or u == 0 else 0
            team[members] = next_team + np.arange(members.size) % max(k, 1)
            if u == 0:
                founders = np.flatnonzero(roles == FOUNDER)
                team[founders] = next_team + np.arange(founders.size) % max(k, 1)
            team_unit += [u] * k
            next_team += k
        self.team_unit = np.array(team_unit, dtype=np.int64)
        self.n_teams = next_team
        self.team_target = np.zeros((self.n_teams, len(ROLES)), dtype=np.int64)
        np.add.at(self.team_target, (team, roles), 1)
        self.team_target[:, FOUNDER] = 0  # founders are not replaced
        self.team_posts = self.team_target.sum(1)  # posts to fill per team
        self.team_role_active = np.zeros_like(self.team_target)
        self.team_active = np.zeros(self.n_teams, dtype=np.int64)
        self._posts = np.arange(self.team_target.size)  # a (team, role) post's index, team-major

        founded = (parse_date(c.founded, "company.founded") - self.start).days
        hired = rng.integers(min(founded, -1), 0, size=roles.size, endpoint=False).astype(np.int32)
        hired[roles == FOUNDER] = founded
        slots = self._add_people(roles, team, hired, initial=True)
        self.workforce.immune[slots[: c.owner_founders]] = True
        self.founders_start = int(c.founders)

    def _add_people(self, roles, teams, hired, initial=False) -> np.ndarray:
        """Hire people into new slots with their per-person draws; return the slots."""
        wf, count = self.workforce, len(roles)
        sl = wf.add(count)
        slots = np.arange(sl.start, sl.stop)
        keys = self._hire_rng.random((count, len(HIRE_KEYS) + wf.n_ties))
        clock_keys = exponential_key(keys[:, CLOCK_KEYS])
        if self.engine == "numba":
            kernel.fill_hires(self, sl.start, roles, teams, hired, keys, clock_keys, initial)
        else:
            self._fill_hires_numpy(sl, roles, teams, hired, keys, clock_keys, initial)
        self.employees.extend(Employee(self, s) for s in range(sl.start, sl.stop))
        for lever in getattr(self, "levers", ()):
            lever.on_hire(self, slots)
        return slots

    def _fill_hires_numpy(self, sl, roles, teams, hired, keys, clock_keys, initial) -> None:
        """New people's state: their role's pay, load, grant and autonomy, vesting dates, keys and ties.

        Ties are uniform over the others present (new hires included): a pick skips one's own place in the pool.
        """
        wf, d = self.workforce, self.p.dynamics
        wf.active[sl] = True
        wf.role[sl] = roles
        wf.team[sl] = teams
        wf.hired[sl] = hired
        wf.seniority[sl] = self.seniority_by_role[roles]
        wf.pay[sl] = self.pay_by_role[roles]
        wf.load[sl] = self.load_by_role[roles]
        wf.grant[sl] = self.grant_by_role[roles]
        wf.grant_start[sl] = hired
        wf.milestones[sl, 0] = hired + self._cliff_day if self.p.vesting.cliff_months else NEVER
        wf.milestones[sl, 1] = hired + self._final_day
        a0 = self.a0_by_role[roles]
        wf.autonomy0[sl] = a0
        wf.autonomy[sl] = a0
        wf.mission[sl] = self.p.dynamics.mission_baseline if self.mech.mission else 1.0
        if not self.mech.burnout:
            wf.burnout[sl] = 0.0
        elif initial:
            wf.burnout[sl] = eq.burnout_equilibrium(wf.load[sl], d.burnout_rise, d.burnout_recovery)
        else:
            wf.burnout[sl] = d.initial_burnout
        wf.safety[sl] = keys[:, K["safety"]] < self.safety_by_role[roles]
        wf.high_performer[sl] = keys[:, K["high_performer"]] < self.p.company.high_performer_share
        wf.key_forced[sl] = keys[:, K["forced"]]
        wf.key_announce[sl] = keys[:, K["announce"]]
        wf.key_spinout[sl] = keys[:, K["spinout"]]
        wf.key_group[sl] = keys[:, K["group"]]
        wf.key_delay[sl], wf.quit_key[sl], wf.offer_key[sl], wf.burst_key[sl] = clock_keys.T
        if wf.n_ties:
            slots = np.arange(sl.start, sl.stop)
            pool = slots if initial else np.concatenate([np.flatnonzero(wf.active[: sl.start]), slots])
            pick = (keys[:, len(HIRE_KEYS) :] * max(pool.size - 1, 1)).astype(np.int64)
            own = np.searchsorted(pool, slots)
            pick += pick >= own[:, None]
            wf.ties[sl] = pool[np.minimum(pick, pool.size - 1)]
        np.add.at(self.team_role_active, (teams, roles), 1)
        np.add.at(self.team_active, teams, 1)

    def _build_firms(self) -> None:
        wf = self.workforce
        staff = wf.role[: wf.n][~wf.immune[: wf.n]]
        per_role = np.bincount(staff, minlength=len(ROLES))
        for f in self.p.firms:
            w = _role_vector(f.role_weights)
            norm = float((w * per_role).sum())
            prob = f.offers_per_year / 365.0 * w / norm if norm > 0 else np.zeros(len(ROLES))
            firm = Firm(self, f.name, eq.daily_hazard(prob), f.offer_multiple, f.culture)
            self.firms.append(firm)
            self.rivals.append(firm)
            self.rival_rate_by_role = self.rival_rate_by_role + firm.role_rate

    def _offering_rivals(self, role: int) -> tuple[list[Firm], list[float]]:
        """The rival labs that make offers to people of this role, and their cumulative offer hazards."""
        firms = [f for f in self.rivals if f.role_rate[role] > 0]
        return firms, np.cumsum([f.offer_rate(role) for f in firms]).tolist()

    # ------------------------------------------------------------------ state queries

    def vested_value(self, slots: np.ndarray, at_day: int | None = None) -> np.ndarray:
        """Dollars vested from the main and refresh grants at a day (default today)."""
        wf, t = self.workforce, self.day if at_day is None else at_day
        v = self.p.vesting
        main = wf.grant[slots] * eq.vested_fraction(t - wf.grant_start[slots], v.years, v.cliff_months)
        ry, rc = self.refresh_schedule
        refresh = wf.refresh[slots] * eq.vested_fraction(t - wf.refresh_start[slots], ry, rc)
        return main + refresh

    def unvested_value(self, slots: np.ndarray) -> np.ndarray:
        """Dollars of equity still to vest, plus any retention bonus pending."""
        wf = self.workforce
        return eq.unvested_equity(wf.grant[slots], wf.refresh[slots], wf.bonus[slots], self.vested_value(slots))

    def add_shock_excess(self, day: int, amp: float, tau: float) -> None:
        self.shock_excess += shock_rules.excess_series(self.days, day, amp, tau)

    @property
    def date(self) -> dt.date:
        return self.start + dt.timedelta(days=self.day)

    # ------------------------------------------------------------------ events

    def _at(self, time: float, fn) -> None:
        self._scheduled.append(fn)
        self.schedule_event(fn, at=time)

    def _activate_lever(self, lever) -> None:
        self.day = lever.start_day
        lever.activate(self)

    def depart(
        self, slot: int, cause: int, firm: str = "", shock: str = "", shock_share: float = 0.0, backfill: bool = True
    ) -> None:
        """Record one departure and remove the employee agent."""
        wf, t = self.workforce, self.day
        wf.active[slot] = False
        wf.left[slot] = t
        wf.cause[slot] = cause
        team, role = wf.team[slot], wf.role[slot]
        self.team_role_active[team, role] -= 1
        self.team_active[team] -= 1
        if not backfill:
            self.team_target[team, role] = max(0, self.team_target[team, role] - 1)
            self.team_posts = self.team_target.sum(1)
        if cause != FORCED:  # contagion spreads through choices to leave, not through layoffs
            self._ring[t % self._ring.shape[0], team] += 1
            self._team_recent[team] += 1
            wf.chose_left[slot] = t
        self.departure_notes[slot] = (firm, shock, shock_share)
        self._today[CAUSE_COL[cause]] += 1
        if wf.key_announce[slot] < self.announce_by_role[role]:
            wf.announce_day[slot] = t + int(np.ceil(self.delay_by_role[role] * wf.key_delay[slot]))
            self._new_waiting.append(slot)
        self.employees[slot].remove()
        self.employees[slot] = None
        if cause == VOLUNTARY and self.mech.spinouts:
            self._maybe_spin_out(slot)

    def _maybe_spin_out(self, slot: int) -> None:
        s, wf = self.p.spinout, self.workforce
        if ROLES[wf.role[slot]] not in s.founder_roles or wf.key_spinout[slot] >= s.founder_prob:
            return
        n = wf.n
        targets = np.flatnonzero(wf.active[:n] & ~wf.immune[:n] & (wf.team[:n] == wf.team[slot]))
        if wf.n_ties:
            ties = wf.ties[slot]
            targets = np.union1d(targets, ties[wf.active[ties] & ~wf.immune[ties]])
        if targets.size == 0:
            return
        span = s.group_max - s.group_min + 1
        recruits = s.group_min - 1 + int(wf.key_group[slot] * span)
        self.spinouts_founded += 1
        name = f"spinout-{self.spinouts_founded}"
        spinout = Spinout(
            self,
            name,
            slot,
            targets,
            self.spinout_rate,
            s.offer_multiple,
            s.culture,
            recruits,
            self.day + s.recruit_days,
        )
        self.firms.append(spinout)
        self._recruiting.append(spinout)
        wf.courted[targets] += 1
        for target in targets.tolist():
            self._courting.setdefault(target, []).append(spinout)

    # ------------------------------------------------------------------ the daily step

    def step(self) -> None:
        t = self.day = self.steps - 1
        n = self.workforce.n
        slot_ring = t % self._ring.shape[0]
        self._team_recent -= self._ring[slot_ring]
        self._ring[slot_ring] = 0
        self._stop_recruiting()

        if self.engine == "numba":
            quitting, offered, unvested = kernel.advance_clocks(self, n, t)
        else:
            quitting, offered, unvested = self._advance_clocks_numpy(n, t)
        poached = self._offers(offered, unvested, t) if len(offered) else ()
        for slot in quitting.tolist():
            if slot not in poached:
                shock = eq.shock_factor(self.shock_excess[t], self.workforce.shock_damping[slot])
                self.depart(slot, VOLUNTARY, shock_share=float(1.0 - 1.0 / shock))

        for lever in self.levers:
            lever.daily(self, t)
        hires = self._hire(t) if self.mech.hiring else 0
        if self._new_waiting:
            self._waiting = np.concatenate([self._waiting, self._new_waiting])
            self._new_waiting = []
        self._record_means()
        if self.engine == "numba":
            self._waiting = kernel.close_day(self, t, hires)
        else:
            self._announce(t)
            self._record(t, hires)

    def _advance_clocks_numpy(self, n, t):
        """Today's drift and hazards: every clock advances; return who passed their quit key, who passed their offer
        key, and the latter's unvested equity in years of pay (what an offer weighs).

        Wellbeing drifts, each person's quit clock adds today's hazard and, once there are
        firms, their offer clock adds today's offer hazard. Only people who may leave
        (present and not immune) are returned.
        """
        wf = self.workforce
        b, a, m = self._update_wellbeing(n)
        log_unvested, bump = self._equity(n, t)
        log_wealth = self._log_wealth(wf.wealth[:n] / wf.pay[:n]) if self.mech.wealth else 0.0
        contagion = self._contagion(n, t) if self.mech.contagion else 0.0
        eta = eq.linear_predictor_logged(b, a, wf.autonomy0[:n], m, contagion, log_wealth, log_unvested, self.p.hazard)
        mult = (
            eq.shock_factor(self.shock_excess[t], wf.shock_damping[:n])
            * eq.window_factor(t, wf.acq_until[:n], wf.acq_mult[:n])
            * eq.window_factor(t, wf.surv_until[:n], wf.surv_mult[:n])
            * eq.window_factor(t, wf.bonus_day[:n], wf.quit_mult[:n])
            * bump
        )
        wf.quit_clock[:n] += eq.hazard(self.h0, eta, mult)
        eligible = wf.active[:n] & ~wf.immune[:n]
        offered = np.zeros(0, dtype=np.int64)
        if self.firms:
            wf.offer_clock[:n] += self.rival_rate_by_role[wf.role[:n]] + wf.courted[:n] * self.spinout_rate
            offered = np.flatnonzero(eligible & (wf.offer_clock[:n] > wf.offer_key[:n]))
        quitting = np.flatnonzero(eligible & (wf.quit_clock[:n] > wf.quit_key[:n]))
        return quitting, offered, self.unvested_years(offered, t) if offered.size else 0.0

    def _update_wellbeing(self, n):
        wf, d = self.workforce, self.p.dynamics
        if self.mech.burnout:
            gap = eq.team_gap(self.team_active, self.team_posts)
            load = eq.team_load(wf.load[:n], d.shortstaff_load, gap[wf.team[:n]])
            wf.burnout[:n] = eq.burnout_next(
                wf.burnout[:n], load, d.burnout_rise * wf.rise_scale[:n], d.burnout_recovery
            )
        if self.mech.autonomy:
            wf.autonomy[:n] = eq.relax(wf.autonomy[:n], wf.autonomy0[:n], d.autonomy_drift)
        if self.mech.mission:
            wf.mission[:n] = np.maximum(
                eq.relax(wf.mission[:n], d.mission_baseline, d.mission_recovery), wf.mission_floor[:n]
            )
        return wf.burnout[:n], wf.autonomy[:n], wf.mission[:n]

    def _vest_table(self, years: float, cliff_months: int) -> np.ndarray:
        """`vested_fraction` for every whole day since a grant, up to the day it stops changing."""
        key = (years, cliff_months)
        if key not in self._vest_tables:
            months = max(np.ceil(12.0 * years), cliff_months)
            days = np.arange(int(np.ceil(months * eq.DAYS_PER_MONTH)) + 2)
            self._vest_tables[key] = eq.vested_fraction(days, years, cliff_months)
        return self._vest_tables[key]

    def unvested_years(self, idx, t: int):
        """Equity still to vest plus any pending bonus, in years of pay, at day t (0.0 without vesting)."""
        if not self.mech.vesting:
            return 0.0
        wf, v = self.workforce, self.p.vesting
        main = self._vest_table(v.years, v.cliff_months)
        refresh = self._vest_table(*self.refresh_schedule)
        main_share = main[np.minimum(np.maximum(t - wf.grant_start[idx], 0), main.size - 1)]
        refresh_share = refresh[np.minimum(np.maximum(t - wf.refresh_start[idx], 0), refresh.size - 1)]
        vested = wf.grant[idx] * main_share + wf.refresh[idx] * refresh_share
        return eq.unvested_equity(wf.grant[idx], wf.refresh[idx], wf.bonus[idx], vested) / wf.pay[idx]

    def _equity(self, n, t):
        """ln(1 + unvested years) and the post-vesting hazard factor, today."""
        if not self.mech.vesting:
            return 0.0, 1.0
        wf, v = self.workforce, self.p.vesting
        since = (t - wf.milestones_by_column[:, :n]).view(np.uint32)  # days since each milestone; negative wraps
        in_bump = (since < v.bump_days).any(axis=0)
        return self._log_unvested(self.unvested_years(slice(0, n), t)), np.where(in_bump, v.bump, 1.0)

    def _contagion(self, n, t):
        """Share of each person's ties (teammates and cross-team ties) who chose to leave in the window."""
        wf = self.workforce
        team = wf.team[:n]
        ties = self.team_active - 1 + self._team_recent
        left = self._team_recent.astype(np.float64)[team]
        if wf.n_ties:
            window = t - self.p.hazard.contagion_window_days
            left = left + (wf.chose_left[wf.ties_by_column[:, :n]] >= window).sum(axis=0)
            ties = ties + wf.n_ties
        return eq.contagion_share(left, ties[team])

    def _stop_recruiting(self) -> None:
        """Spin-outs whose places are filled or whose weeks are over stop courting from today."""
        if not self._recruiting:
            return
        for sp in self._recruiting:
            if not sp.recruiting:
                self.workforce.courted[sp.targets] -= 1
                sp.courting = False
        self._recruiting = [sp for sp in self._recruiting if sp.courting]

    def _offers(self, offered, unvested_years, t) -> set[int]:
        """Offers whose clock passed its key today, each settled by its own draws; return the slots that left."""
        wf = self.workforce
        draws = np.array([self._offer_draws(slot, t) for slot in offered.tolist()])
        wf.offer_clock[offered] = 0.0
        wf.offer_key[offered] = exponential_key(draws[:, O_NEXT])
        firms = [self._pick_firm(slot, u) for slot, u in zip(offered.tolist(), draws[:, O_FIRM], strict=True)]
        multiple = np.array([f.offer_multiple for f in firms])
        culture = np.array([f.culture for f in firms])
        a, m, b = wf.autonomy[offered], wf.mission[offered], wf.burnout[offered]
        delta = eq.offer_advantage(multiple, culture, unvested_years, a, m, b, self.p.choice)
        matched = draws[:, O_COUNTER] < wf.match_prob[offered]
        raise_to = np.minimum(multiple, wf.match_cap[offered])
        delta = np.where(matched, delta - self.p.choice.pay * np.log(raise_to), delta)
        accepted = draws[:, O_ACCEPT] < eq.logistic(delta)
        out = set()
        for j, slot in enumerate(offered.tolist()):
            firm = firms[j]
            firm.offers_made += 1
            self._today[COL["offers_made"]] += 1
            if matched[j]:
                self._today[COL["offers_countered"]] += 1
            if accepted[j] and isinstance(firm, Spinout) and firm.recruits_left <= 0:
                accepted[j] = False  # the startup filled its places earlier today
            if accepted[j]:
                firm.offers_accepted += 1
                self._today[COL["offers_accepted"]] += 1
                out.add(slot)
                if isinstance(firm, Spinout):
                    firm.recruits_left -= 1
                    self.depart(slot, SPINOUT, firm=firm.name)
                else:
                    self.depart(slot, POACHED, firm=firm.name)
            elif matched[j] and raise_to[j] > 1:
                extra = wf.pay[slot] * (raise_to[j] - 1.0)
                self.counter_lever.cost += extra * (self.days - t) / 365.0
                wf.pay[slot] += extra
        for firm in self.firms:
            if firm.offers_made:
                self._offers_log.append((t, firm.name, firm.offers_made, firm.offers_accepted))
                firm.offers_made = firm.offers_accepted = 0
        return out

    def _pick_firm(self, slot: int, u: float) -> Firm:
        """The firm behind an offer, chosen in proportion to each firm's offer hazard for this person today."""
        role = self.workforce.role[slot]
        firms, rates = self._rival_choice[role]
        courting = [sp for sp in self._courting.get(slot, ()) if sp.courting]
        if courting:
            firms = firms + courting
            rates = np.cumsum([f.offer_rate(role) for f in firms]).tolist()
        return firms[min(bisect.bisect_right(rates, u * rates[-1]), len(firms) - 1)]

    def _announce(self, t):
        """Public announcements: scheduled ones fall due; a recent burst makes leavers who would post later post now."""
        wf, o = self.workforce, self.p.observation
        waiting = self._waiting
        if waiting.size and o.burst_gain and t > 0:
            recent = self._daily_table[max(0, t - o.burst_window_days) : t, COL["announced"]].sum()
            if recent:
                late = waiting[(wf.announce_day[waiting] > t) & (wf.left[waiting] >= t - o.lookback_days)]
                wf.burst_clock[late] += o.burst_gain * recent
                wf.announce_day[late[wf.burst_clock[late] > wf.burst_key[late]]] = t
        due = wf.announce_day[waiting]
        today = waiting[due == t]
        self._waiting = waiting[due > t]
        self._today[COL["announced"]] = today.size
        if today.size:
            self._today[COL["announced_founders"]] = np.count_nonzero(wf.role[today] == FOUNDER)

    def _hire(self, t) -> int:
        """Backfill: each vacancy (a team's unfilled post in a role) is filled today w.p. 1/hire_fill_days."""
        vacancies = np.maximum(self.team_target - self.team_role_active, 0).ravel()
        posts = np.repeat(self._posts, vacancies)  # one entry per vacancy, by team then role
        if posts.size == 0:
            return 0
        filled = posts[self._hire_rng.random(posts.size) < 1.0 / self.p.company.hire_fill_days]
        if filled.size == 0:
            return 0
        teams, roles = np.divmod(filled, len(ROLES))
        self._add_people(roles.astype(np.int8), teams, np.full(filled.size, t))
        return filled.size

    def _record_means(self) -> None:
        """Today's mean burnout, autonomy and mission over the people present (numpy on both engines)."""
        wf, n, row = self.workforce, self.workforce.n, self._today
        headcount = self.team_active.sum()
        if headcount:
            act = wf.active[:n].astype(np.float64)
            row[COL["mean_burnout"]] = wf.burnout[:n] @ act / headcount
            row[COL["mean_autonomy"]] = wf.autonomy[:n] @ act / headcount
            row[COL["mean_mission"]] = wf.mission[:n] @ act / headcount

    def _record(self, t, hires) -> None:
        """The day's row of the daily table (its means are already in it), then a fresh row for tomorrow."""
        row = self._today
        row[COL["headcount"]] = self.team_active.sum()
        row[COL["hires"]] = hires
        row[COL["departures"]] = row[COL["departures_voluntary"] : COL["departures_forced"] + 1].sum()
        row[COL["founders_remaining"]] = self.team_role_active[:, FOUNDER].sum()
        self._daily_table[t] = row
        row.fill(0.0)

    def run(self) -> AttritionModel:
        """Step through every day of the window."""
        for _ in range(self.days):
            self.step()
        for lever in self.levers:
            lever.finish(self, self.days - 1)
        return self
