"""A tender offer or sale turns a share of everyone's vested, unsold equity into wealth."""

import numpy as np

from sim.model.shocks.base import Effect


def cash_out(model, share: float, day: int) -> None:
    """A share of everyone's vested, unsold equity at `day` becomes wealth (tenders, the planned IPO)."""
    wf, n = model.workforce, model.workforce.n
    vested = model.equity.vested_value(np.arange(n), at_day=day)
    cash = share * np.maximum(vested - wf.liquidated[:n], 0.0) * wf.active[:n]
    wf.wealth[:n] += cash
    wf.liquidated[:n] += cash


class Liquidity(Effect):
    fields = ("liquidity",)
    label = "liquidity"

    def switched_on(self, shock):
        return bool(shock.liquidity)

    def applies(self, model, shock, firing):
        return self.switched_on(shock) and model.mech.wealth

    def fire(self, model, shock, firing):
        cash_out(model, shock.liquidity, firing.day)
