"""Any shock may add a decaying excess to everyone's quit hazard."""

from sim.model.shocks.base import Effect


class HazardExcess(Effect):
    fields = ("hazard_amp", "hazard_tau_days")
    label = "hazard excess"

    def switched_on(self, shock):
        return bool(shock.hazard_amp)

    def fire(self, model, shock, firing):
        model.shocks.add_excess(firing.day, shock.hazard_amp, shock.hazard_tau_days)
