"""A crunch raises everyone's burnout, which then recovers."""

import numpy as np

from sim.model.shocks.base import Effect


class BurnoutBump(Effect):
    fields = ("burnout_bump",)
    label = "burnout bump"

    def switched_on(self, shock):
        return bool(shock.burnout_bump)

    def applies(self, model, shock, firing):
        return self.switched_on(shock) and model.mech.burnout

    def fire(self, model, shock, firing):
        wf, n = model.workforce, firing.n
        decay = (1.0 - model.p.dynamics.burnout_recovery) ** firing.elapsed
        b = wf.burnout[:n]
        wf.burnout[:n] = np.where(firing.act, np.minimum(1.0, b + shock.burnout_bump * decay), b)
