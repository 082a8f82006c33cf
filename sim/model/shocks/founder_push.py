"""The early-stage push: the co-founders who stay leave faster for a while (docs/ODD.md, founding team)."""

from sim.model.shocks.base import Effect


class FounderPush(Effect):
    fields = ("founder_push", "founder_push_days")
    label = "founder push"

    def switched_on(self, shock):
        return shock.founder_push > 1 and bool(shock.founder_push_days)

    def fire(self, model, shock, firing):
        model.founders.add_push(firing.day, shock.founder_push, shock.founder_push_days)
