"""Poaching: rival firms and recruiting spin-outs make offers; each is settled by its own draws."""

from __future__ import annotations

import bisect

import numpy as np

from sim.config.params import ConfigError
from sim.model import equations as eq
from sim.model.agents import Firm, Spinout
from sim.model.components.base import Component
from sim.model.draws import OfferDraws, exponential_key
from sim.model.workforce import role_vector
from sim.schema import COL, POACHED, ROLES, SPINOUT

# an offer's four draws
O_FIRM, O_COUNTER, O_ACCEPT, O_NEXT = range(4)


class Poaching(Component):
    """Interface: `firms` (rivals, then spin-outs in founding order), `rivals`, `rival_rate_by_role`, `spinout_rate`,
    `offers_log`, `courting` (slot -> spin-outs courting it), `offers` (today's offers), `add_spinout`."""

    name = "poaching"
    owns = ("firms", "rivals", "rival_rate_by_role", "recruiting", "courting", "offers_log")

    def __init__(self, model, rng):
        super().__init__(model)
        self.draws = OfferDraws(rng)  # counter-based, indexed by (person, day)
        self.firms: list[Firm] = []
        self.rivals: list[Firm] = []
        self.rival_rate_by_role = np.zeros(len(ROLES))  # daily offer hazard from all rivals, by role
        if model.mech.poaching:
            self._build_firms()
        # by role: the rivals that make offers to it and their cumulative offer hazards (fixed over the run)
        self._rival_choice = [self._offering_rivals(role) for role in range(len(ROLES))]
        self.recruiting: list[Spinout] = []  # spin-outs making offers today
        self.courting: dict[int, list[Spinout]] = {}  # slot -> spin-outs that court it, in founding order
        self.spinout_rate = float(eq.daily_hazard(model.p.spinout.offers_per_day))  # offer hazard for each target
        self.offers_log: list[tuple[int, str, int, int]] = []

    def _build_firms(self) -> None:
        m = self.model
        wf = m.workforce
        staff = wf.role[: wf.n][~wf.immune[: wf.n]]
        per_role = np.bincount(staff, minlength=len(ROLES))
        for f in m.p.firms:
            w = role_vector(f.role_weights)
            norm = float((w * per_role).sum())
            prob = f.offers_per_year / 365.0 * w / norm if norm > 0 else np.zeros(len(ROLES))
            if (prob >= 1).any():  # more than one offer a day to someone: the daily hazard would be infinite
                i = m.p.firms.index(f)
                raise ConfigError(
                    f"firms[{i}].offers_per_year",
                    f.offers_per_year,
                    f"fewer than 365 offers a year for each person the firm targets ({norm:g} weighted staff here)",
                )
            firm = Firm(m, f.name, eq.daily_hazard(prob), f.offer_multiple, f.culture, kind=f.kind)
            self.firms.append(firm)
            self.rivals.append(firm)
            self.rival_rate_by_role = self.rival_rate_by_role + firm.role_rate

    def _offering_rivals(self, role: int) -> tuple[list[Firm], list[float]]:
        """The rival labs that make offers to people of this role, and their cumulative offer hazards."""
        firms = [f for f in self.rivals if f.role_rate[role] > 0]
        return firms, np.cumsum([f.offer_rate(role) for f in firms]).tolist()

    def step(self, day: int) -> None:
        """Spin-outs whose places are filled or whose weeks are over stop courting from today."""
        if not self.recruiting:
            return
        for sp in self.recruiting:
            if not sp.recruiting:
                self.model.workforce.courted[sp.targets] -= 1
                sp.courting = False
        self.recruiting = [sp for sp in self.recruiting if sp.courting]

    def add_spinout(self, spinout: Spinout) -> None:
        """A new spin-out courts its targets from today."""
        self.firms.append(spinout)
        self.recruiting.append(spinout)
        self.model.workforce.courted[spinout.targets] += 1
        for target in spinout.targets.tolist():
            self.courting.setdefault(target, []).append(spinout)

    def offers(self, offered, unvested_years, t) -> set[int]:
        """Offers whose clock passed its key today, each settled by its own draws; return the slots that left."""
        m = self.model
        wf, today = m.workforce, m.observation.today
        draws = np.array([self.draws(slot, t) for slot in offered.tolist()])
        wf.offer_clock[offered] = 0.0
        wf.offer_key[offered] = exponential_key(draws[:, O_NEXT])
        firms = [self._pick_firm(slot, u) for slot, u in zip(offered.tolist(), draws[:, O_FIRM], strict=True)]
        multiple = np.array([f.offer_multiple for f in firms])
        culture = np.array([f.culture for f in firms])
        a, mi, b = wf.autonomy[offered], wf.mission[offered], wf.burnout[offered]
        delta = eq.offer_advantage(multiple, culture, unvested_years, a, mi, b, m.p.choice)
        matched = draws[:, O_COUNTER] < wf.match_prob[offered]
        raise_to = np.minimum(multiple, wf.match_cap[offered])
        delta = np.where(matched, delta - m.p.choice.pay * np.log(raise_to), delta)
        accepted = draws[:, O_ACCEPT] < eq.logistic(delta)
        out = set()
        for j, slot in enumerate(offered.tolist()):
            firm = firms[j]
            firm.offers_made += 1
            today[COL["offers_made"]] += 1
            if matched[j]:
                today[COL["offers_countered"]] += 1
            if accepted[j] and isinstance(firm, Spinout) and firm.recruits_left <= 0:
                accepted[j] = False  # the startup filled its places earlier today
            if accepted[j]:
                firm.offers_accepted += 1
                today[COL["offers_accepted"]] += 1
                out.add(slot)
                if isinstance(firm, Spinout):
                    firm.recruits_left -= 1
                    m.leaving.depart(slot, SPINOUT, firm=firm.name, destination=(firm.name, "spinout"))
                else:
                    m.leaving.depart(slot, POACHED, firm=firm.name, destination=(firm.name, firm.kind))
            elif matched[j] and raise_to[j] > 1:
                m.policy.levers[wf.match_lever[slot]].book(m, slot, raise_to[j], t)
        for firm in self.firms:
            if firm.offers_made:
                self.offers_log.append((t, firm.name, firm.offers_made, firm.offers_accepted))
                firm.offers_made = firm.offers_accepted = 0
        return out

    def _pick_firm(self, slot: int, u: float) -> Firm:
        """The firm behind an offer, chosen in proportion to each firm's offer hazard for this person today."""
        role = self.model.workforce.role[slot]
        firms, rates = self._rival_choice[role]
        courting = [sp for sp in self.courting.get(slot, ()) if sp.courting]
        if courting:
            firms = firms + courting
            rates = np.cumsum([f.offer_rate(role) for f in firms]).tolist()
        return firms[min(bisect.bisect_right(rates, u * rates[-1]), len(firms) - 1)]
