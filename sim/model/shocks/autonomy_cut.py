"""A reorganisation or leadership change cuts autonomy (less for those a charter protects), drifting back after."""

import numpy as np

from sim.model.shocks.base import Effect


class AutonomyCut(Effect):
    fields = ("autonomy_cut",)
    label = "autonomy cut"

    def switched_on(self, shock):
        return bool(shock.autonomy_cut)

    def applies(self, model, shock, firing):
        return self.switched_on(shock) and model.mech.autonomy

    def fire(self, model, shock, firing):
        wf, n, act = model.workforce, firing.n, firing.act
        cut = shock.autonomy_cut * (1.0 - wf.reorg_protection[:n])
        decay = (1.0 - model.p.dynamics.autonomy_drift) ** firing.elapsed
        a0 = wf.autonomy0[:n]
        wf.autonomy[:n] = np.where(act, a0 - (a0 - wf.autonomy[:n] * (1 - cut)) * decay, wf.autonomy[:n])
