"""The autonomy charter lever (conf/lever/default.yaml: autonomy_charter; docs/ODD.md, retention levers)."""

from __future__ import annotations

import numpy as np

from sim.model.levers.base import Lever


class AutonomyCharter(Lever):
    """Small teams with more say: more autonomy now and as the baseline it drifts back to; reorganisations cut less.

    Autonomy rises with its baseline on the day the charter covers someone: raising the baseline alone would open a
    gap (baseline - autonomy) that the quit hazard reads as autonomy lost, so the charter would first raise quits
    (issue 15: its sign test caught this)."""

    kind = "autonomy_charter"
    fields = ("autonomy_gain", "reorg_protection", "cost_per_head_year")
    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.autonomy0[slots] = np.minimum(1.0, wf.autonomy0[slots] + self.cfg.autonomy_gain)
        wf.autonomy[slots] = np.minimum(1.0, wf.autonomy[slots] + self.cfg.autonomy_gain)
        wf.reorg_protection[slots] = self.cfg.reorg_protection
