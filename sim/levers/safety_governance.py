"""The safety governance lever (conf/lever/default.yaml: safety_governance; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.bounds import prob
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig


@dataclass
class SafetyGovernanceConfig(LeverConfig):
    kind: str = "safety_governance"
    mission_floor: float = setting(
        0.0,
        prob(),
        "Safety governance: mission floor",
        name="mission_floor",
        unit="mission (0-1)",
        prior=Prior(0.6, 0.9, False, "assumption: around the default 0.8"),
        slider_max=1.0,
    )


class SafetyGovernance(Lever):
    """A mission floor for safety-minded staff: controversies cannot push them below it."""

    config = SafetyGovernanceConfig
    null = ("mission_floor=0", "cost_per_head_year=0")
    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.mission_floor[slots] = self.cfg.mission_floor
        wf.mission[slots] = np.maximum(wf.mission[slots], self.cfg.mission_floor)
