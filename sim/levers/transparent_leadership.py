"""The transparent leadership lever (conf/lever/default.yaml: transparent_leadership; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.bounds import prob
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig


@dataclass
class TransparentLeadershipConfig(LeverConfig):
    kind: str = "transparent_leadership"
    shock_reduction: float = setting(
        0.0,
        prob(),
        "Transparency: shock reduction",
        name="shock_reduction",
        unit="share",
        prior=Prior(0.0, 0.5, False, "assumption: shocks' excess cut by 0-50 %"),
        slider_max=1.0,
    )


class TransparentLeadership(Lever):
    """Clear communication: shocks' hazard excess is damped for the targets."""

    config = TransparentLeadershipConfig
    null = ("shock_reduction=0", "cost_per_head_year=0")
    practice = True

    def apply(self, model, slots):
        model.workforce.shock_damping[slots] = self.cfg.shock_reduction
