"""The day's compiled pass over everyone (sim.model.kernel.advance_clocks), its arguments packed by name."""

from __future__ import annotations

import numpy as np

from sim.model import equations as eq
from sim.model import kernel
from sim.model.components.base import Component


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


class DailyPass(Component):
    """Interface: `h0` (the base daily hazard), `advance_clocks` (who quits, who gets an offer today), `packed` and
    `people` (the Workforce arrays each pass reads, packed by pass)."""

    name = "daily"
    owns = ("h0",)

    def __init__(self, model):
        super().__init__(model)
        self.h0 = float(eq.annual_to_daily(model.p.hazard.base_annual))
        self.packed: dict[type, tuple] = {}  # the passes' workforce arrays, by pass (current after every hire)
        self._packed_from = None  # the Workforce's `active` array when they were packed
        self._log_wealth = Log1pCache()
        self._log_unvested = Log1pCache()
        self._memo = self._vest = self._passed = None  # (made again only when the slots outgrow them)

    def init(self) -> None:
        """The pass's arguments that hold for the whole run, packed by name once."""
        m = self.model
        d, v, h, mech, pk = m.p.dynamics, m.p.vesting, m.p.hazard, m.mech, kernel.pack
        self._switches = pk(
            kernel.Switches,
            burnout=mech.burnout,
            autonomy=mech.autonomy,
            mission=mech.mission,
            vesting=mech.vesting,
            wealth=mech.wealth,
            contagion=mech.contagion,
            offers=bool(m.poaching.firms),
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
            spinout=m.poaching.spinout_rate,
            extra_ties=m.workforce.n_ties if mech.contagion else 0,
        )
        self._weights = pk(kernel.Weights, **{k: getattr(h, k) for k in kernel.Weights._fields})
        s = m.staffing
        self._teams = pk(kernel.Teams, active=s.team_active, posts=s.team_posts, recent=m.contagion.team_recent)

    def people(self, kind) -> tuple:
        """The Workforce arrays pass `kind` reads, packed by name; again only when the arrays have grown (the hires
        grow them: `Workforce.add` moves every array at once)."""
        if self.model.workforce.active is not self._packed_from:
            self._pack()
        return self.packed[kind]

    def on_hire(self, slots) -> None:
        """Hires may have grown the Workforce arrays: `packed` follows them, so the day's passes read it as it is."""
        if self.model.workforce.active is not self._packed_from:
            self._pack()

    def _pack(self) -> None:
        wf = self.model.workforce
        self.packed = {kind: kernel.named(kind, wf) for kind in (kernel.People, kernel.HirePeople, kernel.ClosePeople)}
        self._packed_from = wf.active

    def advance_clocks(self, n: int, t: int):
        """The day's compiled pass over slots [0, n) (`kernel.advance_clocks`): who quits, who gets an offer and their
        unvested equity in years of pay (views of buffers the next pass overwrites)."""
        m = self.model
        window = t - m.p.hazard.contagion_window_days
        if self._memo is None or self._memo[0].size < n:
            self._memo = (*self._log_wealth.reserve(n), *self._log_unvested.reserve(n))
            size = self._memo[0].size
            self._passed = (np.empty(size, np.int64), np.empty(size, np.int64), np.empty(size))  # kernel.Passed
        schedule = m.equity.refresh_schedule
        if self._vest is None or self._vest[0] is not schedule:
            v = m.p.vesting
            tables = (m.equity.vest_table(v.years, v.cliff_months), m.equity.vest_table(*schedule))
            self._vest = (schedule, tables)
        founder_eta, founder_mult = m.founders.terms(t)
        n_quit, n_offer = kernel.advance_clocks(
            t,
            n,
            window,
            float(m.shocks.excess[t]),
            founder_eta,
            founder_mult,
            self._switches,
            self._rates,
            self._weights,
            self._teams,
            m.poaching.rival_rate_by_role,
            self._vest[1],
            self.packed[kernel.People],
            self._memo,
            self._passed,
        )
        quitting, offered, unvested = self._passed
        return quitting[:n_quit], offered[:n_offer], unvested[:n_offer]
