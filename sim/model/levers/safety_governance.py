"""The safety governance lever (conf/lever/default.yaml: safety_governance; docs/ODD.md, retention levers)."""

from __future__ import annotations

import numpy as np

from sim.model.levers.base import Lever


class SafetyGovernance(Lever):
    """A mission floor for safety-minded staff: controversies cannot push them below it."""

    kind = "safety_governance"
    fields = ("mission_floor", "cost_per_head_year")
    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.mission_floor[slots] = self.cfg.mission_floor
        wf.mission[slots] = np.maximum(wf.mission[slots], self.cfg.mission_floor)
