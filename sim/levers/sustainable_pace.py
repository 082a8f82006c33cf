"""The sustainable pace lever (conf/lever/default.yaml: sustainable_pace; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.bounds import prob
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig


@dataclass
class SustainablePaceConfig(LeverConfig):
    kind: str = "sustainable_pace"
    burnout_slowdown: float = setting(
        0.0,
        prob(),
        "Pace: burnout slowdown",
        name="burnout_slowdown",
        unit="share",
        prior=Prior(
            0.0,
            0.57,
            False,
            "2023 four-day-week pilot (non-randomised): leaving cut by up to 57 %, read as an upper bound; 0 below",
            literature=True,
        ),
        slider_max=1.0,
    )
    throughput_cost: float = setting(0.0, prob(), "output lost, as a share of the targets' pay")


class SustainablePace(Lever):
    """A workload cap: burnout rises more slowly; the lab pays in lost throughput (a share of pay)."""

    config = SustainablePaceConfig
    null = ("burnout_slowdown=0", "throughput_cost=0")
    practice = True

    def apply(self, model, slots):
        model.workforce.rise_scale[slots] = 1.0 - self.cfg.burnout_slowdown

    def daily(self, model, day):
        super().daily(model, day)
        if self.active and self.cfg.throughput_cost:
            wf = model.workforce
            on = self.targets[wf.active[self.targets]]
            self.cost += self.cfg.throughput_cost * wf.pay[on].sum() / 365.0
