"""A controversy lowers mission alignment (more for the safety-minded, never below a governance floor)."""

import numpy as np

from sim.model.shocks.base import Effect


class MissionDrop(Effect):
    fields = ("mission_drop", "safety_extra")
    label = "mission drop"

    def switched_on(self, shock):
        return bool(shock.mission_drop)

    def applies(self, model, shock, firing):
        return self.switched_on(shock) and model.mech.mission

    def fire(self, model, shock, firing):
        wf, n = model.workforce, firing.n
        drop = shock.mission_drop * (1.0 + shock.safety_extra * wf.safety[:n])
        decay = (1.0 - model.p.dynamics.mission_recovery) ** firing.elapsed
        m = wf.mission[:n]
        wf.mission[:n] = np.where(firing.act, np.clip(m - drop * decay, wf.mission_floor[:n], 1.0), m)
