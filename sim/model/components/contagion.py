"""Contagion: who chose to leave lately, by team, over the contagion window (a ring of daily counts)."""

from __future__ import annotations

import numpy as np

from sim.model.components.base import Component
from sim.schema import POACHED, SPINOUT, VOLUNTARY


class Contagion(Component):
    """Interface: `team_recent` (choices to leave per team within the window; the compiled pass holds it)."""

    name = "contagion"
    owns = ("ring", "team_recent")
    depart_causes = (VOLUNTARY, POACHED, SPINOUT)  # contagion spreads through choices to leave, not through layoffs

    def __init__(self, model):
        super().__init__(model)
        n_teams = model.staffing.n_teams
        self.ring = np.zeros((model.p.hazard.contagion_window_days + 1, n_teams), dtype=np.int64)
        self.team_recent = np.zeros(n_teams, dtype=np.int64)

    def step(self, day: int) -> None:
        """The day that falls out of the window stops counting."""
        slot_ring = day % self.ring.shape[0]
        self.team_recent -= self.ring[slot_ring]
        self.ring[slot_ring] = 0

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        m = self.model
        t, team = m.day, m.workforce.team[slot]
        self.ring[t % self.ring.shape[0], team] += 1
        self.team_recent[team] += 1
        m.workforce.chose_left[slot] = t
