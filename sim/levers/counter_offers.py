"""The counter offers lever (conf/lever/default.yaml: counter_offers; docs/ODD.md, retention levers)."""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.bounds import prob, real
from sim.config.declare import Prior, setting
from sim.levers.base import Lever, LeverConfig


@dataclass
class CounterOffersConfig(LeverConfig):
    kind: str = "counter_offers"
    match_prob: float = setting(
        0.0,
        prob(),
        "Counter-offers: match probability",
        name="match_prob",
        unit="probability",
        prior=Prior(0.25, 0.75, False, "assumption: the lab matches a quarter to 3/4"),
        slider_max=1.0,
    )
    match_cap: float = setting(1.0, real(1, 100, "a pay multiple"), "the highest pay multiple the lab matches")


class CounterOffers(Lever):
    """Match some poaching offers (pay raised up to a cap); cost is the raise paid inside the window."""

    config = CounterOffersConfig
    null = ("match_prob=0",)
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
