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

import mesa
import numpy as np

from sim.config.params import ModelParams
from sim.config.resolve import ResolvedParams, resolve
from sim.model.components.base import Component
from sim.model.components.contagion import Contagion
from sim.model.components.daily import DailyPass
from sim.model.components.equity import Equity
from sim.model.components.founders import FoundingTeam
from sim.model.components.leaving import Leaving
from sim.model.components.observation import Observation
from sim.model.components.poaching import Poaching
from sim.model.components.policy import Policy
from sim.model.components.shocks import Shocks
from sim.model.components.staffing import Staffing
from sim.model.datacollection import DailyCollector, compose_params
from sim.model.workforce import Workforce
from sim.schema import CAUSES, DAILY_COLUMNS, ROLES

# The day, in order: the component whose `step(day)` runs at each place (docs/ODD.md, process overview).
DAY = (
    "contagion",  # the day that falls out of the contagion window stops counting
    "poaching",  # spin-outs whose places are filled or whose weeks are over stop courting
    "leaving",  # the compiled pass (states, hazards, clocks); offers settled; then the quits of the rest
    "policy",  # each lever's running costs and payouts
    "staffing",  # backfill hiring
    "observation",  # announcements (with bursts), means, the day's row of the table
)

# Names the model answered before it was made of components, and the component that holds each now.
DELEGATED = {
    "team_unit": "staffing",
    "n_teams": "staffing",
    "team_active": "staffing",
    "team_role_active": "staffing",
    "team_target": "staffing",
    "team_posts": "staffing",
    "employees": "staffing",
    "founders_start": "staffing",
    "seniority_by_role": "staffing",
    "pay_by_role": "staffing",
    "grant_by_role": "staffing",
    "load_by_role": "staffing",
    "a0_by_role": "staffing",
    "safety_by_role": "staffing",
    "refresh_schedule": "equity",
    "vested_value": "equity",
    "unvested_value": "equity",
    "unvested_years": "equity",
    "vest_table": "equity",
    "milestone_days": "equity",
    "firms": "poaching",
    "rivals": "poaching",
    "rival_rate_by_role": "poaching",
    "spinout_rate": "poaching",
    "depart": "leaving",
    "destinations": "leaving",
    "departure_notes": "leaving",
    "spinouts_founded": "leaving",
    "kept_by_counter": "leaving",
    "levers": "policy",
    "h0": "daily",
    "advance_clocks": "daily",
    "announce_by_role": "observation",
    "delay_by_role": "observation",
}
RENAMED = {  # old name -> (component, its name there)
    "shock_excess": ("shocks", "excess"),
    "add_shock_excess": ("shocks", "add_excess"),
    "founder_slots": ("founders", "slots"),
    "founder_push": ("founders", "push"),
    "founder_chose_day": ("founders", "chose_day"),
    "founder_terms": ("founders", "terms"),
    "add_founder_push": ("founders", "add_push"),
    "_daily_table": ("observation", "table"),
    "_today": ("observation", "today"),
    "_offers_log": ("poaching", "offers_log"),
    "_advance_clocks": ("daily", "advance_clocks"),
    "_team_recent": ("contagion", "team_recent"),
}


class AttritionModel(mesa.Model):
    """The lab over a calendar window; `run()` steps it day by day to the window's end.

    The lab is a list of components (sim/model/components/), each owning part of the state; `DAY` is the day's order.
    `params` are resolved and checked once (`sim.config.resolve`); the dense part of each day runs in the compiled
    pass of `sim.model.kernel`, the discrete events (offers, departures, spin-outs, hires, shocks, levers) in the
    components.
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
        self.settled = False  # the components settle on the window's last day (`finish`)
        offer_rng, hire_rng, event_rng = self.rng.spawn(3)
        self._scheduled = []  # Mesa holds event callbacks weakly; keep them alive here

        # The components, built in this order (each may read those built before it); those built hear of every hire.
        self.components: list[Component] = []
        self.hiring: list = []  # the `on_hire` of each component that reacts to hires
        self.workforce = Workforce(capacity=int(p.company.headcount * 1.6) + 16, n_ties=p.company.cross_ties)
        self.shocks = self._add(Shocks(self))
        self.daily = self._add(DailyPass(self))
        self.equity = self._add(Equity(self))
        self.staffing = self._add(Staffing(self, hire_rng))  # the founding staff
        self.founders = self._add(FoundingTeam(self))
        self.contagion = self._add(Contagion(self))
        self.poaching = self._add(Poaching(self, offer_rng))
        self.leaving = self._add(Leaving(self, event_rng))
        self.policy = self._add(Policy(self))
        self.observation = self._add(Observation(self))
        for component in self.components:
            component.init()
        # The dispatch, worked out once: bound methods of the components that react (the rest would do nothing).
        self._day = [c.step for c in (getattr(self, name) for name in DAY) if c.reacts("step")]
        self._finishing = [c.finish for c in self.components if c.reacts("finish")]
        self._recording = bool(self.policy.levers)  # each lever's cost at the end of each day
        self.departing = self._departing()

    def _departing(self) -> list[list[tuple]]:
        """`departing[cause][role]`: the `on_depart` of each component hearing of such a departure, in build order."""
        hooked = [c for c in self.components if c.reacts("on_depart")]
        return [[self._hears(hooked, cause, role) for role in range(len(ROLES))] for cause in range(len(CAUSES))]

    @staticmethod
    def _hears(components: list[Component], cause: int, role: int) -> tuple:
        return tuple(c.on_depart for c in components if cause in c.depart_causes and role in c.depart_roles)

    def _add(self, component: Component) -> Component:
        self.components.append(component)
        if component.reacts("on_hire"):
            self.hiring.append(component.on_hire)
        return component

    def __getattr__(self, name: str):
        """The names the model answered before it was made of components, read from the component holding each."""
        component, attribute = RENAMED.get(name, (DELEGATED.get(name), name))
        if component in self.__dict__:
            return getattr(self.__dict__[component], attribute)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    @property
    def date(self) -> dt.date:
        return self.start + dt.timedelta(days=self.day)

    def at(self, time: float, fn) -> None:
        """Put `fn` on Mesa's event calendar at model time `time` (day d runs from d to d + 1)."""
        self._scheduled.append(fn)
        self.schedule_event(fn, at=time)

    # ------------------------------------------------------------------ the daily step

    def step(self) -> None:
        """One day: each component in the day's order (`DAY`); the window's last day settles the model."""
        t = self.day = self.steps - 1
        for step in self._day:
            step(t)
        if t == self.days - 1:
            self._settle(t)
            self.running = False  # the window's last day: Mesa's run_model and batch_run stop here
        if self._recording:
            self.policy.record(t)
        if self.agent_every and (t % self.agent_every == 0 or not self.running):
            self.datacollector.collect(self, agents=True)

    def _settle(self, last_day: int) -> None:
        """The window's last day: each component settles (the levers' costs). Done by `step()` itself, so `run()`,
        Mesa's `run_model()` and `batch_run` leave the same settled model."""
        if self.settled:
            return
        for finish in self._finishing:
            finish(last_day)
        self.settled = True

    @property
    def datacollector(self) -> DailyCollector:
        """Mesa's DataCollector: the daily table's columns as model variables, one record per completed day (copied
        from the table when read, so runs that never read it pay nothing), agent-type reporters if `agent_every`."""
        if self._collector is None:
            self._collector = DailyCollector(DAILY_COLUMNS)
        self._collector.collect(self)
        return self._collector

    def policy_cost_to_date(self, days: int) -> np.ndarray:
        """Every lever's cost to the end of each of the first `days` days, summed."""
        return self.policy.cost_to_date(days)

    def run(self) -> AttritionModel:
        """Step through every day of the window (the last step settles the model)."""
        for _ in range(self.days):
            self.step()
        return self
