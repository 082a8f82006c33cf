"""The sustainable pace lever (conf/lever/default.yaml: sustainable_pace; docs/ODD.md, retention levers)."""

from __future__ import annotations

from sim.model.levers.base import Lever


class SustainablePace(Lever):
    """A workload cap: burnout rises more slowly; the lab pays in lost throughput (a share of pay)."""

    kind = "sustainable_pace"
    fields = ("burnout_slowdown", "throughput_cost", "cost_per_head_year")
    practice = True

    def apply(self, model, slots):
        model.workforce.rise_scale[slots] = 1.0 - self.cfg.burnout_slowdown

    def daily(self, model, day):
        super().daily(model, day)
        if self.active and self.cfg.throughput_cost:
            wf = model.workforce
            on = self.targets[wf.active[self.targets]]
            self.cost += self.cfg.throughput_cost * wf.pay[on].sum() / 365.0
