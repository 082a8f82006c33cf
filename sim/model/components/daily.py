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
    """Interface: `h0` (the base daily hazard), `advance_clocks` (who quits, who gets an offer today), `people` (the
    Workforce arrays a pass reads, packed)."""

    name = "daily"
    owns = ("h0",)

    def __init__(self, model):
        super().__init__(model)
        self.h0 = float(eq.annual_to_daily(model.p.hazard.base_annual))
        self._packed: dict[type, tuple] = {}  # the passes' workforce arrays, by pass
        self._log_wealth = Log1pCache()
        self._log_unvested = Log1pCache()
        self._memo = self._vest = None

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
        """The Workforce arrays a pass reads, packed by name; again only when the arrays have grown."""
        packed = self._packed.get(kind)
        if packed is None or packed[0] is not getattr(self.model.workforce, kind._fields[0]):
            packed = self._packed[kind] = kernel.named(kind, self.model.workforce)
        return packed

    def advance_clocks(self, n: int, t: int):
        """The day's compiled pass over slots [0, n) (`kernel.advance_clocks`)."""
        m = self.model
        window = t - m.p.hazard.contagion_window_days
        if self._memo is None or self._memo[0].size < n:  # made again only when the slots outgrow it
            self._memo = (*self._log_wealth.reserve(n), *self._log_unvested.reserve(n))
        schedule = m.equity.refresh_schedule
        if self._vest is None or self._vest[0] is not schedule:
            v = m.p.vesting
            tables = (m.equity.vest_table(v.years, v.cliff_months), m.equity.vest_table(*schedule))
            self._vest = (schedule, tables)
        founder_eta, founder_mult = m.founders.terms(t)
        return kernel.advance_clocks(
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
            self.people(kernel.People),
            self._memo,
        )
