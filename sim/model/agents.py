"""Mesa agents: employees (views onto the workforce arrays) and the firms that poach them."""

from __future__ import annotations

import numpy as np
from mesa import Agent

from sim.config.params import ROLES, UNITS


class Employee(Agent):
    """One person at the lab. Numeric state lives in `model.workforce` at `self.slot`."""

    def __init__(self, model, slot: int):
        super().__init__(model)
        self.slot = slot

    def _get(self, name):
        return getattr(self.model.workforce, name)[self.slot]

    role = property(lambda self: ROLES[self._get("role")])
    team = property(lambda self: int(self._get("team")))
    unit = property(lambda self: UNITS[self.model.staffing.team_unit[self.team]])
    burnout = property(lambda self: float(self._get("burnout")))
    autonomy = property(lambda self: float(self._get("autonomy")))
    mission = property(lambda self: float(self._get("mission")))
    wealth = property(lambda self: float(self._get("wealth")))
    pay = property(lambda self: float(self._get("pay")))
    safety_minded = property(lambda self: bool(self._get("safety")))
    tenure_days = property(lambda self: int(self.model.day - self._get("hired")))

    @property
    def unvested(self) -> float:
        """Unvested equity in dollars today."""
        return float(self.model.equity.unvested_value(np.array([self.slot]))[0])

    @property
    def ties(self) -> list[int]:
        """Slots of this person's cross-team ties."""
        return [int(s) for s in self.model.workforce.ties[self.slot]]


class Firm(Agent):
    """A rival lab making offers: `role_rate` is its daily offer hazard for one person of each role."""

    def __init__(
        self, model, name: str, role_rate: np.ndarray, offer_multiple: float, culture: float, kind: str = "rival_lab"
    ):
        super().__init__(model)
        self.name = name
        self.kind = kind  # destination kind of the people it hires
        self.role_rate = role_rate
        self.offer_multiple = offer_multiple
        self.culture = culture
        self.offers_made = 0
        self.offers_accepted = 0

    def offer_rate(self, role: int) -> float:
        """Daily offer hazard for a person of this role (whom the firm courts)."""
        return float(self.role_rate[role])


class Spinout(Firm):
    """A startup founded by a senior leaver; recruits former teammates and ties for a few weeks."""

    def __init__(
        self,
        model,
        name,
        founder: int,
        targets: np.ndarray,
        rate: float,
        offer_multiple,
        culture,
        recruits: int,
        until: int,
    ):
        super().__init__(model, name, np.zeros(len(ROLES)), offer_multiple, culture, kind="spinout")
        self.founder = founder  # slot of the leaver who founded it
        self.targets = targets  # slots it courts (sorted)
        self.rate = rate  # daily offer hazard for each target while recruiting
        self.recruits_left = recruits
        self.until = until
        self.courting = True  # in the model's list of spin-outs making offers today

    @property
    def recruiting(self) -> bool:
        return self.recruits_left > 0 and self.model.day < self.until

    def offer_rate(self, role: int) -> float:
        return self.rate
