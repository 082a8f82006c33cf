"""The transparent leadership lever (conf/lever/default.yaml: transparent_leadership; docs/ODD.md, retention levers)."""

from __future__ import annotations

from sim.model.levers.base import Lever


class TransparentLeadership(Lever):
    """Clear communication: shocks' hazard excess is damped for the targets."""

    kind = "transparent_leadership"
    fields = ("shock_reduction", "cost_per_head_year")
    practice = True

    def apply(self, model, slots):
        model.workforce.shock_damping[slots] = self.cfg.shock_reduction
