"""Where a leaver goes (docs/ODD.md, Destinations): one account of a move, quitting and being poached alike.

A person whose quit clock passes its key (the decision to leave) chooses a destination by a
multinomial logit over the options open to them. The weight of option k for a person of role r is

    w_k = odds_k(r) * exp(appeal_k + pay * ln(multiple_k))

and the choice probability is w_k / sum_j w_j:

- each rival lab j (`firms`, conf/rivals) whose demand for the role is positive:
  odds = rival_pull * demand_j(r), demand_j(r) = offers_per_year_j * weight_j(r) / sum_r' weight_j(r') n(r')
  (the offers it makes a year to one person of the role, n the starting staff by role), appeal = its culture,
  multiple = its offer multiple; its kind (rival_lab or startup) is the destination kind;
- an existing startup ("startup"): odds by role, appeal `startup_appeal`;
- a spin-out that courts the leaver and has places left: odds `join_spinout`, its culture and multiple;
- other tech ("other_tech"): odds by role (1 = reference), appeal `other_tech_appeal`;
- leaving the field ("out"): odds by role.

A senior leaver first founds a spin-out with probability `spinout.founder_prob` (docs/ODD.md, spin-outs; the nested top
level); the logit is the choice of everyone else. The draw is the person's own uniform key drawn at hire, so
the same person chooses the same way under every policy (common random numbers). A leaver whose choice is a
firm holds its offer: a counter-offer (policy `counter_offers`) may keep them (`counter_keep_probability`).
Both the array model and the per-agent reference call this module, so they choose alike.
"""

from __future__ import annotations

import bisect
import math
from dataclasses import dataclass
from itertools import accumulate

from sim.config.params import DestinationsConfig, FirmConfig
from sim.schema import DEST_KINDS, ROLES  # noqa: F401 (DEST_KINDS: part of this module's vocabulary)

GENERIC = ("startup", "other_tech", "out")  # destinations that are not a firm of the model: (name = kind)


def option_weight(odds: float, appeal: float, multiple: float, pay: float) -> float:
    """Unnormalised logit weight of one destination: odds * exp(appeal + pay * ln(multiple))."""
    if odds <= 0.0:
        return 0.0
    return odds * math.exp(appeal + pay * math.log(multiple))


def rival_demand(firm: FirmConfig, per_role: list[int]) -> list[float]:
    """Offers a year the firm makes to one person of each role (its offer rate spread by its role weights)."""
    w = [float(firm.role_weights.get(r, 0.0)) for r in ROLES]
    norm = sum(wr * n for wr, n in zip(w, per_role, strict=True))
    if norm <= 0.0:
        return [0.0] * len(ROLES)
    return [firm.offers_per_year * wr / norm for wr in w]


def logistic(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def counter_keep_probability(delta: float, delta_matched: float) -> float:
    """Chance a counter-offer keeps a leaver who holds an offer: with a latent taste e, the leaver takes the offer
    iff delta + e > 0 (logistic e); matching pay lowers the advantage to delta_matched, so among those who took it
    a share logistic(delta_matched) / logistic(delta) still do, and the rest stay."""
    return 1.0 - logistic(delta_matched) / logistic(delta)


@dataclass(frozen=True)
class Option:
    """One destination open to a leaver; `firm` is the index in `firms` of a rival (-1 otherwise), `ref` a spin-out."""

    name: str
    kind: str
    weight: float
    multiple: float = 1.0
    culture: float = 0.0
    firm: int = -1
    ref: object = None


class DestinationTable:
    """The options of each role that do not change over a run, with their cumulative weights (built once)."""

    def __init__(self, firms: list[FirmConfig], per_role: list[int], d: DestinationsConfig):
        self.d = d
        self.by_role: list[list[Option]] = []
        self.cumulative: list[list[float]] = []
        demand = [rival_demand(f, per_role) for f in firms]
        for r, role in enumerate(ROLES):
            options = []
            for j, f in enumerate(firms):
                odds = d.rival_pull * demand[j][r]
                w = option_weight(odds, f.culture, f.offer_multiple, d.pay)
                if w > 0.0:
                    options.append(Option(f.name, f.kind, w, f.offer_multiple, f.culture, j))
            appeal = {"startup": d.startup_appeal, "other_tech": d.other_tech_appeal, "out": 0.0}
            for name in GENERIC:
                w = option_weight(float(getattr(d, name).get(role, 0.0)), appeal[name], 1.0, d.pay)
                if w > 0.0:
                    options.append(Option(name, name, w))
            if not options:  # every odds zero for this role: the leaver leaves the field
                options.append(Option("out", "out", 1.0))
            self.by_role.append(options)
            self.cumulative.append(list(accumulate(o.weight for o in options)))

    def joinable(self, spinouts) -> list[Option]:
        """Options of joining each courting spin-out (objects with name, offer_multiple, culture), in that order."""
        d = self.d
        return [
            Option(
                sp.name,
                "spinout",
                option_weight(d.join_spinout, sp.culture, sp.offer_multiple, d.pay),
                sp.offer_multiple,
                sp.culture,
                -1,
                sp,
            )
            for sp in spinouts
        ]

    def options(self, role: int, spinouts=()) -> tuple[list[Option], list[float]]:
        """The options open to a person of `role` courted by `spinouts`, and their cumulative weights."""
        options, cum = self.by_role[role], self.cumulative[role]
        if spinouts:
            extra = [o for o in self.joinable(spinouts) if o.weight > 0.0]
            options = options + extra
            cum = cum + list(accumulate((o.weight for o in extra), initial=cum[-1]))[1:]
        return options, cum

    def pick(self, role: int, u: float, spinouts=()) -> Option:
        """The destination of uniform draw `u` (inverse CDF over the options in their fixed order)."""
        options, cum = self.options(role, spinouts)
        return options[min(bisect.bisect_right(cum, u * cum[-1]), len(options) - 1)]

    def probabilities(self, role: int, spinouts=()) -> dict[str, float]:
        """Choice probability of each destination name (for checks and reports)."""
        options, cum = self.options(role, spinouts)
        return {o.name: o.weight / cum[-1] for o in options}
