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

import datetime as dt
from collections.abc import Sequence
from functools import partial

import mesa
import numpy as np

from sim.config.params import ModelParams
from sim.config.resolve import ResolvedParams, resolve
from sim.model import equations as eq
from sim.model import shocks as shock_rules
from sim.model.agents import Employee, Firm, Spinout
from sim.model.datacollection import DailyCollector, compose_params
from sim.model.destinations import DestinationTable
from sim.model.draws import OfferDraws
from sim.model.equity import EquityMixin
from sim.model.founders import FoundingTeamMixin
from sim.model.hiring import HiringMixin
from sim.model.leaving import LeavingMixin
from sim.model.levers import LEVERS, refresh_schedule
from sim.model.offers import OffersMixin
from sim.model.passes import DailyPassMixin, Log1pCache
from sim.model.workforce import NEVER, SENIORITY, Workforce, role_vector
from sim.schema import (
    DAILY_COLUMNS,
    FOUNDER,
    ROLES,
)


class AttritionModel(
    EquityMixin, OffersMixin, LeavingMixin, HiringMixin, FoundingTeamMixin, DailyPassMixin, mesa.Model
):
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
        self.settled = False  # the levers' costs are settled on the window's last day (`_settle`)
        offer_rng, self._hire_rng, self._event_rng = self.rng.spawn(3)
        self._offer_draws = OfferDraws(offer_rng)
        self._leave_draws = OfferDraws(self._event_rng)  # counter-based, indexed by (person, day)

        self.h0 = float(eq.annual_to_daily(p.hazard.base_annual))
        self.shock_excess = np.zeros(self.days)
        self._cliff_day, self._final_day = self.milestone_days(0, p.vesting.years, p.vesting.cliff_months)
        self._vest_tables: dict[tuple, np.ndarray] = {}
        self._log_wealth = Log1pCache()
        self._memo = self._vest = self._packed_counts = None  # the compiled passes' cached arguments (passes.py)
        self._log_unvested = Log1pCache()

        # role tables as vectors indexed by role code
        self.seniority_by_role = SENIORITY
        self.pay_by_role = role_vector(p.company.pay)
        self.grant_by_role = role_vector(p.company.grant_years_of_pay) * self.pay_by_role
        self.load_by_role = role_vector(p.dynamics.base_load)
        self.a0_by_role = role_vector(p.dynamics.autonomy_baseline)
        self.safety_by_role = role_vector(p.company.safety_minded_share)
        self.announce_by_role = role_vector(p.observation.announce_prob)
        self.delay_by_role = role_vector(p.observation.delay_mean_days)

        self.workforce = Workforce(capacity=int(p.company.headcount * 1.6) + 16, n_ties=p.company.cross_ties)
        self.employees: list[Employee | None] = []
        # slot -> (firm, shock, shock share, destination, destination kind)
        self.departure_notes: dict[int, tuple[str, str, float, str, str]] = {}
        self._packed: dict[type, tuple] = {}  # the passes' workforce arrays, by pass (`_people`)
        self._hire_constants()
        self._build_staff()
        self.founder_slots = np.flatnonzero(self.workforce.role[: self.workforce.n] == FOUNDER)
        self.founder_chose_day = -NEVER  # the last day a co-founder chose to leave (founders.py)
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
        for i, (lev, day) in enumerate(zip(p.policy.levers, resolved.lever_days, strict=True)):
            lever = LEVERS[lev.kind](lev, day, i)
            self.levers.append(lever)
            self._at(day + 0.25, partial(self._activate_lever, lever))
        self.refresh_schedule = refresh_schedule(self.levers)  # (years, cliff months) of every refresh grant

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
        self._lever_cost = np.zeros((len(self.levers), self.days))  # each lever's cost booked by the end of each day
        self._offers_log: list[tuple[int, str, int, int]] = []
        self._today = np.zeros(len(DAILY_COLUMNS))
        self._pass_constants()

    # ------------------------------------------------------------------ construction

    # ------------------------------------------------------------------ state queries

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
            self._settle(t)
            self.running = False  # the window's last day: Mesa's run_model and batch_run stop here
        for i, lever in enumerate(self.levers):
            self._lever_cost[i, t] = lever.cost
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

    # ------------------------------------------------------------------ the compiled passes, arguments by name

    def _settle(self, last_day: int) -> None:
        """The window's last day: each lever settles its costs (refresh grants: the part vested in the window). Done
        by `step()` itself, so `run()`, Mesa's `run_model()` and `batch_run` leave the same settled model."""
        if self.settled:
            return
        for lever in self.levers:
            lever.finish(self, last_day)
        self.settled = True

    def policy_cost_to_date(self, days: int) -> np.ndarray:
        """Every lever's cost to the end of each of the first `days` days, summed (the last day of the window: the
        settled total the summary reports)."""
        total = np.zeros(days)
        for i, lever in enumerate(self.levers):
            total += lever.costs_to_date(self, self._lever_cost[i, :days])
        return total

    def run(self) -> AttritionModel:
        """Step through every day of the window (the last step settles the levers' costs)."""
        for _ in range(self.days):
            self.step()
        return self
