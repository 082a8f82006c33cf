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
from collections.abc import Sequence
from functools import partial

import mesa
import numpy as np

from sim.config.params import ModelParams
from sim.config.resolve import ResolvedParams, resolve
from sim.model import equations as eq
from sim.model import kernel
from sim.model import shocks as shock_rules
from sim.model.agents import Employee, Firm, Spinout
from sim.model.datacollection import DailyCollector, compose_params
from sim.model.destinations import DestinationTable, counter_keep_probability
from sim.model.levers import LEVERS, CounterOffers
from sim.model.workforce import CLOCK_KEYS, HIRE_KEYS, K, Workforce
from sim.schema import (
    CAUSE_COL,
    COL,
    DAILY_COLUMNS,
    DEST_COL,
    FORCED,
    FOUNDER,
    POACHED,
    ROLE_UNIT,
    ROLES,
    SPINOUT,
    UNITS,
    VOLUNTARY,
)

ROLE_UNIT = np.array(ROLE_UNIT)
SENIORITY = np.array([1.0, 0.8, 0.5, 0.4, 0.4, 0.1])  # assumption: co-founder .. operations
# an offer's four draws
O_FIRM, O_COUNTER, O_ACCEPT, O_NEXT = range(4)

# a voluntary leaver's draws if a counter-offer meets them: counter, stay, next quit key
L_COUNTER, L_STAY, L_NEXT = range(3)


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


class AttritionModel(mesa.Model):
    """The lab over a calendar window; `run()` steps it day by day to the window's end.

    `params` are resolved and checked once (`sim.config.resolve`); the dense part of each day runs in the compiled
    passes of `sim.model.kernel`, the discrete events (offers, departures, spin-outs, hires, shocks, levers) here.
    """

    def __init__(
        self,
        params: ModelParams | ResolvedParams | None = None,
        seed: int | None = 0,
        *,
        overrides: Sequence[str] = (),
        agent_every: int = 0,
        **settings,
    ):
        """`params` (ModelParams, resolved here once, or ResolvedParams), or `overrides` and `settings` to compose
        them from `conf/` (for `mesa.batch_run`; see `sim.model.datacollection.compose_params`). `seed` None draws
        one from the OS (Mesa's meaning; batch_run passes its `rng` values here) and records it. `agent_every` > 0
        records the agent-type reporters of `datacollector` every that many days and on the last day."""
        if params is None:
            params = compose_params(overrides, settings)
        elif overrides or settings:
            raise ValueError("pass either params or overrides/settings, not both")
        if seed is None:
            seed = int(np.random.SeedSequence().entropy % 2**63)
        if not isinstance(agent_every, int) or agent_every < 0:
            raise ValueError(f"agent_every={agent_every!r} is not allowed: a whole number of days >= 0 (0: never)")
        super().__init__(rng=seed)
        self.agent_every = agent_every
        self._collector: DailyCollector | None = None
        self.resolved = resolved = resolve(params)  # the only check (ResolvedParams were checked when made)
        self.p = p = resolved.params
        self.seed = seed
        self.mech = p.mechanisms
        self.start, self.end, self.days = resolved.start, resolved.end, resolved.days
        self.day = 0
        offer_rng, self._hire_rng, self._event_rng = self.rng.spawn(3)
        self._offer_draws = OfferDraws(offer_rng)
        self._leave_draws = OfferDraws(self._event_rng)  # counter-based, indexed by (person, day)

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
        # slot -> (firm, shock, shock share, destination, destination kind)
        self.departure_notes: dict[int, tuple[str, str, float, str, str]] = {}
        self._packed: dict[type, tuple] = {}  # the passes' workforce arrays, by pass (`_people`)
        self._hire_constants()
        self._build_staff()
        self.founder_slots = np.flatnonzero(self.workforce.role[: self.workforce.n] == FOUNDER)
        self.founder_push = np.ones(self.days)  # remaining co-founders' hazard factor by day (early-stage push)

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
        staff = self.workforce.role[: self.workforce.n][~self.workforce.immune[: self.workforce.n]]
        per_role = np.bincount(staff, minlength=len(ROLES)).tolist()
        self.destinations = DestinationTable(p.firms if self.mech.poaching else [], per_role, p.destinations)
        self._recruiting: list[Spinout] = []  # spin-outs making offers today
        self._courting: dict[int, list[Spinout]] = {}  # slot -> spin-outs that court it, in founding order
        self.spinout_rate = float(eq.daily_hazard(p.spinout.offers_per_day))  # offer hazard for each target
        self.spinouts_founded = 0
        self.kept_by_counter = 0  # leavers holding an offer whom a counter-offer kept
        self._waiting = np.zeros(0, dtype=np.int64)  # leavers whose announcement is still to come
        self._new_waiting: list[int] = []

        self._scheduled = []  # Mesa holds event callbacks weakly; keep them alive here
        self.levers = []
        for lev, day in zip(p.policy.levers, resolved.lever_days, strict=True):
            lever = LEVERS[lev.kind](lev, day)
            self.levers.append(lever)
            self._at(day + 0.25, partial(self._activate_lever, lever))
        self.counter_lever = next((lv for lv in self.levers if isinstance(lv, CounterOffers)), None)

        if self.mech.shocks:
            for i, (shock, day) in enumerate(zip(p.shocks, resolved.shock_days, strict=True)):
                if day < 0:
                    shock_rules.fire(self, shock, i, day)
                else:
                    self._at(day + 0.5, partial(shock_rules.fire, self, shock, i, day))
            for shock, day in zip(p.shocks, resolved.ipo_days, strict=True):  # planned IPOs: liquidity on their dates
                if day is not None and shock.ipo_liquidity:
                    if day < 0:
                        shock_rules.ipo(self, shock, day)
                    elif day < self.days:
                        self._at(day + 0.5, partial(shock_rules.ipo, self, shock, day))

        self._daily_table = np.zeros((self.days, len(DAILY_COLUMNS)))
        self._offers_log: list[tuple[int, str, int, int]] = []
        self._today = np.zeros(len(DAILY_COLUMNS))
        self._pass_constants()

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

        founded = self.resolved.founded_day
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
        self._fill_hires(sl.start, roles, teams, hired, keys, clock_keys, initial)
        self.employees.extend(Employee(self, s) for s in range(sl.start, sl.stop))
        for lever in getattr(self, "levers", ()):
            lever.on_hire(self, slots)
        return slots

    def _build_firms(self) -> None:
        wf = self.workforce
        staff = wf.role[: wf.n][~wf.immune[: wf.n]]
        per_role = np.bincount(staff, minlength=len(ROLES))
        for f in self.p.firms:
            w = _role_vector(f.role_weights)
            norm = float((w * per_role).sum())
            prob = f.offers_per_year / 365.0 * w / norm if norm > 0 else np.zeros(len(ROLES))
            firm = Firm(self, f.name, eq.daily_hazard(prob), f.offer_multiple, f.culture, kind=f.kind)
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

    def add_founder_push(self, day: int, push: float, push_days: int) -> None:
        self.founder_push *= shock_rules.push_series(self.days, day, push, push_days)

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
        self,
        slot: int,
        cause: int,
        firm: str = "",
        shock: str = "",
        shock_share: float = 0.0,
        backfill: bool = True,
        destination: tuple[str, str] = ("", ""),
    ) -> None:
        """Record one departure (with its destination: name and kind) and remove the employee agent."""
        wf, t = self.workforce, self.day
        wf.active[slot] = False
        wf.left[slot] = t
        wf.cause[slot] = cause
        team, role = wf.team[slot], wf.role[slot]
        self.team_role_active[team, role] -= 1
        self.team_active[team] -= 1
        if not backfill:
            self.team_target[team, role] = max(0, self.team_target[team, role] - 1)
            self.team_posts[:] = self.team_target.sum(1)  # in place: the compiled pass holds this array
        if cause != FORCED:  # contagion spreads through choices to leave, not through layoffs
            self._ring[t % self._ring.shape[0], team] += 1
            self._team_recent[team] += 1
            wf.chose_left[slot] = t
        if cause == FORCED:
            destination = (shock, "forced")
        self.departure_notes[slot] = (firm, shock, shock_share, *destination)
        self._today[CAUSE_COL[cause]] += 1
        self._today[DEST_COL[destination[1]]] += 1
        if wf.key_announce[slot] < self.announce_by_role[role]:
            wf.announce_day[slot] = t + int(np.ceil(self.delay_by_role[role] * wf.key_delay[slot]))
            self._new_waiting.append(slot)
        self.employees[slot].remove()
        self.employees[slot] = None

    def _leave_by_choice(self, slot: int, t: int) -> None:
        """A voluntary leaver: founds a spin-out, or chooses a destination (sim/destinations.py); a counter-offer
        may keep one who holds a firm's offer."""
        wf = self.workforce
        shock = eq.shock_factor(self.shock_excess[t], wf.shock_damping[slot])
        share = float(1.0 - 1.0 / shock)
        targets = self._founding_targets(slot) if self.mech.spinouts else None
        if targets is not None:
            name = f"spinout-{self.spinouts_founded + 1}"
            self.depart(slot, VOLUNTARY, shock_share=share, destination=(name, "spinout"))
            self._spin_out(slot, targets, name)
            return
        courting = self._courting.get(slot)
        if courting:
            courting = [sp for sp in courting if sp.courting and sp.recruits_left > 0]
        option = self.destinations.pick(int(wf.role[slot]), float(wf.key_group[slot]), courting or ())
        if (option.firm >= 0 or option.ref is not None) and wf.match_prob[slot] > 0:  # holds a firm's offer
            if self._counter_keeps(slot, option.multiple, option.culture, t):
                return
        if option.ref is not None:
            option.ref.recruits_left -= 1
        self.depart(slot, VOLUNTARY, shock_share=share, destination=(option.name, option.kind))

    def _counter_keeps(self, slot: int, multiple: float, culture: float, t: int) -> bool:
        """A leaver holding an offer meets a counter-offer (with the lever's match_prob); True if it keeps them
        (pay raised, quit clock restarted with a new key from the person's own draws of the day)."""
        wf, c = self.workforce, self.p.choice
        u = self._leave_draws(slot, t)
        if u[L_COUNTER] >= wf.match_prob[slot]:
            return False
        self._today[COL["offers_countered"]] += 1
        raise_to = min(multiple, float(wf.match_cap[slot]))
        uv = self.unvested_years(np.array([slot]), t)
        uv = float(uv[0]) if np.ndim(uv) else float(uv)
        a, m, b = float(wf.autonomy[slot]), float(wf.mission[slot]), float(wf.burnout[slot])
        delta = float(eq.offer_advantage(multiple, culture, uv, a, m, b, c))
        keep = counter_keep_probability(delta, delta - c.pay * float(np.log(raise_to)))
        if u[L_STAY] >= keep:
            return False
        if raise_to > 1:
            extra = wf.pay[slot] * (raise_to - 1.0)
            self.counter_lever.cost += extra * (self.days - t) / 365.0
            wf.pay[slot] += extra
        wf.quit_clock[slot] = 0.0
        wf.quit_key[slot] = exponential_key(u[L_NEXT])
        self.kept_by_counter += 1
        return True

    def _founding_targets(self, slot: int) -> np.ndarray | None:
        """The people a senior leaver's spin-out would court (teammates and ties), or None if they found none."""
        s, wf = self.p.spinout, self.workforce
        if ROLES[wf.role[slot]] not in s.founder_roles or wf.key_spinout[slot] >= s.founder_prob:
            return None
        n = wf.n
        mates = wf.active[:n] & ~wf.immune[:n] & (wf.team[:n] == wf.team[slot])
        mates[slot] = False
        targets = np.flatnonzero(mates)
        if wf.n_ties:
            ties = wf.ties[slot]
            targets = np.union1d(targets, ties[wf.active[ties] & ~wf.immune[ties]])
        return targets if targets.size else None

    def _spin_out(self, slot: int, targets: np.ndarray, name: str) -> None:
        """The leaver founds a spin-out that courts `targets` for some weeks."""
        s, wf = self.p.spinout, self.workforce
        span = s.group_max - s.group_min + 1
        recruits = s.group_min - 1 + int(wf.key_group[slot] * span)
        self.spinouts_founded += 1
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

        quitting, offered, unvested = self._advance_clocks(n, t)
        poached = self._offers(offered, unvested, t) if len(offered) else ()
        for slot in quitting.tolist():
            if slot not in poached:
                self._leave_by_choice(slot, t)

        for lever in self.levers:
            lever.daily(self, t)
        hires = self._hire(t) if self.mech.hiring else 0
        if self._new_waiting:
            self._waiting = np.concatenate([self._waiting, self._new_waiting])
            self._new_waiting = []
        self._record_means()
        self._waiting = self._close_day(t, hires)
        if t == self.days - 1:
            self.running = False  # the window's last day: Mesa's run_model and batch_run stop here
        if self.agent_every and (t % self.agent_every == 0 or not self.running):
            self.datacollector.collect(self, agents=True)

    @property
    def datacollector(self) -> DailyCollector:
        """Mesa's DataCollector: the daily table's columns as model variables, one record per completed day (copied
        from the table when read, so runs that never read it pay nothing), agent-type reporters if `agent_every`."""
        if self._collector is None:
            self._collector = DailyCollector(DAILY_COLUMNS)
        self._collector.collect(self)
        return self._collector

    def founder_terms(self, t: int) -> tuple[float, float]:
        """Today's clique term of co-founders' linear predictor (founder_contagion x the share of fellow co-founders
        who chose to leave in the founder window) and their early-stage push factor."""
        h, eta = self.p.hazard, 0.0
        if self.mech.contagion and h.founder_contagion and self.founder_slots.size:
            recent = int(np.count_nonzero(self.workforce.chose_left[self.founder_slots] >= t - h.founder_window_days))
            if recent:
                present = int(self.team_role_active[:, FOUNDER].sum())
                eta = h.founder_contagion * float(eq.contagion_share(float(recent), present - 1 + recent))
        return eta, float(self.founder_push[t])

    def vest_table(self, years: float, cliff_months: int) -> np.ndarray:
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
        main = self.vest_table(v.years, v.cliff_months)
        refresh = self.vest_table(*self.refresh_schedule)
        main_share = main[np.minimum(np.maximum(t - wf.grant_start[idx], 0), main.size - 1)]
        refresh_share = refresh[np.minimum(np.maximum(t - wf.refresh_start[idx], 0), refresh.size - 1)]
        vested = wf.grant[idx] * main_share + wf.refresh[idx] * refresh_share
        return eq.unvested_equity(wf.grant[idx], wf.refresh[idx], wf.bonus[idx], vested) / wf.pay[idx]

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
                    self.depart(slot, SPINOUT, firm=firm.name, destination=(firm.name, "spinout"))
                else:
                    self.depart(slot, POACHED, firm=firm.name, destination=(firm.name, firm.kind))
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
        """Today's mean burnout, autonomy and mission over the people present."""
        wf, n, row = self.workforce, self.workforce.n, self._today
        headcount = self.team_active.sum()
        if headcount:
            act = wf.active[:n].astype(np.float64)
            row[COL["mean_burnout"]] = wf.burnout[:n] @ act / headcount
            row[COL["mean_autonomy"]] = wf.autonomy[:n] @ act / headcount
            row[COL["mean_mission"]] = wf.mission[:n] @ act / headcount

    # ------------------------------------------------------------------ the compiled passes, arguments by name

    def _pass_constants(self) -> None:
        """The passes' arguments that hold for the whole run, packed by name once."""
        p, d, v, h, mech, pk = self.p, self.p.dynamics, self.p.vesting, self.p.hazard, self.mech, kernel.pack
        self._switches = pk(
            kernel.Switches,
            burnout=mech.burnout,
            autonomy=mech.autonomy,
            mission=mech.mission,
            vesting=mech.vesting,
            wealth=mech.wealth,
            contagion=mech.contagion,
            offers=bool(self.firms),
        )
        self._rates = pk(
            kernel.Rates,
            shortstaff=float(d.shortstaff_load),
            rise=float(d.burnout_rise),
            recovery=float(d.burnout_recovery),
            drift=float(d.autonomy_drift),
            mission_base=float(d.mission_baseline),
            mission_rec=float(d.mission_recovery),
            bump_days=int(v.bump_days),
            bump=float(v.bump),
            h0=self.h0,
            spinout=self.spinout_rate,
            extra_ties=self.workforce.n_ties if mech.contagion else 0,
        )
        self._weights = pk(kernel.Weights, **{k: getattr(h, k) for k in kernel.Weights._fields})
        self._teams = pk(kernel.Teams, active=self.team_active, posts=self.team_posts, recent=self._team_recent)
        self._counts = pk(kernel.TeamCounts, role_active=self.team_role_active, active=self.team_active)
        self._burst = pk(
            kernel.Burst,
            gain=float(p.observation.burst_gain),
            window=int(p.observation.burst_window_days),
            lookback=int(p.observation.lookback_days),
        )
        self._table_cols = pk(
            kernel.TableCols,
            headcount=COL["headcount"],
            hires=COL["hires"],
            departures=COL["departures"],
            first_cause=CAUSE_COL[0],
            last_cause=CAUSE_COL[-1],
            announced=COL["announced"],
            founders=COL["announced_founders"],
            remaining=COL["founders_remaining"],
        )

    def _hire_constants(self) -> None:
        """`fill_hires`' arguments that hold for the whole run, packed by name once."""
        d, pk = self.p.dynamics, kernel.pack
        self._hire_cols = pk(
            kernel.HireCols,
            safety=K["safety"],
            performer=K["high_performer"],
            forced=K["forced"],
            announce=K["announce"],
            spinout=K["spinout"],
            group=K["group"],
            n_keys=len(HIRE_KEYS),
        )
        self._hire_roles = pk(
            kernel.HireRoles,
            seniority=self.seniority_by_role,
            pay=self.pay_by_role,
            load=self.load_by_role,
            grant=self.grant_by_role,
            autonomy0=self.a0_by_role,
            safety=self.safety_by_role,
        )
        self._hire_rules = pk(
            kernel.HireRules,
            cliff_day=self._cliff_day,
            final_day=self._final_day,
            has_cliff=bool(self.p.vesting.cliff_months),
            mission0=float(d.mission_baseline if self.mech.mission else 1.0),
            burnout0=float(d.initial_burnout),
            rise=float(d.burnout_rise),
            recovery=float(d.burnout_recovery),
            performer_share=float(self.p.company.high_performer_share),
        )

    def _people(self, kind) -> tuple:
        """The Workforce arrays a pass reads, packed by name; again only when the arrays have grown."""
        packed = self._packed.get(kind)
        if packed is None or packed[0] is not getattr(self.workforce, kind._fields[0]):
            packed = self._packed[kind] = kernel.named(kind, self.workforce)
        return packed

    def _advance_clocks(self, n: int, t: int):
        """The day's compiled pass over slots [0, n) (`kernel.advance_clocks`)."""
        v = self.p.vesting
        window = t - self.p.hazard.contagion_window_days
        memo = (*self._log_wealth.reserve(n), *self._log_unvested.reserve(n))
        vest = (self.vest_table(v.years, v.cliff_months), self.vest_table(*self.refresh_schedule))
        founder_eta, founder_mult = self.founder_terms(t)
        return kernel.advance_clocks(
            t,
            n,
            window,
            float(self.shock_excess[t]),
            founder_eta,
            founder_mult,
            self._switches,
            self._rates,
            self._weights,
            self._teams,
            self.rival_rate_by_role,
            vest,
            self._people(kernel.People),
            memo,
        )

    def _fill_hires(self, start, roles, teams, hired, keys, clock_keys, initial: bool) -> None:
        """The new slots [start, start + len(roles)) get their state (`kernel.fill_hires`)."""
        burnout_rule = 0 if not self.mech.burnout else 1 if initial else 2
        counts = kernel.pack(kernel.TeamCounts, role_active=self.team_role_active, active=self.team_active)
        kernel.fill_hires(
            start,
            roles,
            teams,
            hired,
            keys,
            clock_keys,
            initial,
            burnout_rule,
            self._hire_cols,
            self._hire_roles,
            self._hire_rules,
            self._people(kernel.HirePeople),
            counts,
        )

    def _close_day(self, t: int, hires: int) -> np.ndarray:
        """Announcements and the day's row of the table (`kernel.close_day`); return who still waits to announce."""
        return kernel.close_day(
            t,
            hires,
            self._waiting,
            self._burst,
            self._people(kernel.ClosePeople),
            self._counts,
            FOUNDER,
            self._table_cols,
            self._today,
            self._daily_table,
        )

    def run(self) -> AttritionModel:
        """Step through every day of the window."""
        for _ in range(self.days):
            self.step()
        for lever in self.levers:
            lever.finish(self, self.days - 1)
        return self
