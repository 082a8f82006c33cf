"""The counter offers lever (conf/lever/default.yaml: counter_offers; docs/ODD.md, retention levers)."""

from __future__ import annotations

from sim.model.levers.base import Lever


class CounterOffers(Lever):
    """Match some poaching offers (pay raised up to a cap); cost is the raise paid inside the window."""

    kind = "counter_offers"
    fields = ("match_prob", "match_cap", "cost_per_head_year")
    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.match_prob[slots] = self.cfg.match_prob
        wf.match_cap[slots] = self.cfg.match_cap
        wf.match_lever[slots] = self.index  # its counter-offers' raises are booked to this lever

    def book(self, model, slot: int, raise_to: float, day: int) -> None:
        """A counter-offer raised `slot`'s pay to `raise_to` times: the raise paid to the window's end is this
        lever's cost."""
        wf = model.workforce
        extra = wf.pay[slot] * (raise_to - 1.0)
        self.cost += extra * (model.days - day) / 365.0
        wf.pay[slot] += extra
