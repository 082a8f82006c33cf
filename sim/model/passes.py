"""The compiled passes of each day (sim.model.kernel), their arguments packed by name, and the day's means."""

from __future__ import annotations

import numpy as np

from sim.model import kernel
from sim.schema import (
    CAUSE_COL,
    COL,
    FOUNDER,
)


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


class DailyPassMixin:
    """Methods of `AttritionModel` (sim/model/lab.py) for this mechanism; they use its state."""

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

    def _team_counts(self) -> tuple:
        """The team tables the passes update, packed by name once (they exist from the founding staff on and never
        move)."""
        if self._packed_counts is None:
            counts = {"role_active": self.team_role_active, "active": self.team_active}
            self._packed_counts = kernel.pack(kernel.TeamCounts, **counts)
        return self._packed_counts

    def _people(self, kind) -> tuple:
        """The Workforce arrays a pass reads, packed by name; again only when the arrays have grown."""
        packed = self._packed.get(kind)
        if packed is None or packed[0] is not getattr(self.workforce, kind._fields[0]):
            packed = self._packed[kind] = kernel.named(kind, self.workforce)
        return packed

    def _advance_clocks(self, n: int, t: int):
        """The day's compiled pass over slots [0, n) (`kernel.advance_clocks`)."""
        window = t - self.p.hazard.contagion_window_days
        if self._memo is None or self._memo[0].size < n:  # made again only when the slots outgrow it
            self._memo = (*self._log_wealth.reserve(n), *self._log_unvested.reserve(n))
        if self._vest is None or self._vest[0] is not self.refresh_schedule:  # again when a refresh grant starts
            v = self.p.vesting
            tables = (self.vest_table(v.years, v.cliff_months), self.vest_table(*self.refresh_schedule))
            self._vest = (self.refresh_schedule, tables)
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
            self._vest[1],
            self._people(kernel.People),
            self._memo,
        )

    def _close_day(self, t: int, hires: int) -> np.ndarray:
        """Announcements and the day's row of the table (`kernel.close_day`); return who still waits to announce."""
        return kernel.close_day(
            t,
            hires,
            self._waiting,
            self._burst,
            self._people(kernel.ClosePeople),
            self._team_counts(),
            FOUNDER,
            self._table_cols,
            self._today,
            self._daily_table,
        )

    def _record_means(self) -> None:
        """Today's mean burnout, autonomy and mission over the people present."""
        wf, n, row = self.workforce, self.workforce.n, self._today
        headcount = self.team_active.sum()
        if headcount:
            act = wf.active[:n].astype(np.float64)
            row[COL["mean_burnout"]] = wf.burnout[:n] @ act / headcount
            row[COL["mean_autonomy"]] = wf.autonomy[:n] @ act / headcount
            row[COL["mean_mission"]] = wf.mission[:n] @ act / headcount
