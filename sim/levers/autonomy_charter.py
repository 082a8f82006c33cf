"""The autonomy charter lever (conf/lever/default.yaml: autonomy_charter; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.bounds import prob
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig


@dataclass
class AutonomyCharterConfig(LeverConfig):
    kind: str = "autonomy_charter"
    autonomy_gain: float = setting(
        0.0,
        prob(),
        "Charter: autonomy gain",
        name="autonomy_gain",
        unit="autonomy (0-1)",
        prior=Prior(0.0, 0.2, False, "assumption: up to twice the default 0.1"),
        slider_max=0.5,
    )
    reorg_protection: float = setting(
        0.0,
        prob(),
        "Charter: share of a reorganisation's autonomy cut avoided",
        name="reorg_protection",
        unit="share",
        prior=Prior(0.25, 0.75, False, "assumption: reorganisations cut 25-75 % less"),
    )


class AutonomyCharter(Lever):
    """Small teams with more say: more autonomy now and as the baseline it drifts back to; reorganisations cut less.

    Autonomy rises with its baseline on the day the charter covers someone: raising the baseline alone would open a
    gap (baseline - autonomy) that the quit hazard reads as autonomy lost, so the charter would first raise quits
    (its sign test caught this)."""

    config = AutonomyCharterConfig
    null = ("autonomy_gain=0", "reorg_protection=0", "cost_per_head_year=0")
    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.autonomy0[slots] = np.minimum(1.0, wf.autonomy0[slots] + self.cfg.autonomy_gain)
        wf.autonomy[slots] = np.minimum(1.0, wf.autonomy[slots] + self.cfg.autonomy_gain)
        wf.reorg_protection[slots] = self.cfg.reorg_protection
