"""Poaching: rival firms and recruiting spin-outs make offers; each is settled by its own draws."""

from __future__ import annotations

import bisect

import numpy as np

from sim.config.params import ConfigError
from sim.model import equations as eq
from sim.model.agents import Firm, Spinout
from sim.model.draws import exponential_key
from sim.model.workforce import role_vector
from sim.schema import (
    COL,
    POACHED,
    ROLES,
    SPINOUT,
)

# an offer's four draws
O_FIRM, O_COUNTER, O_ACCEPT, O_NEXT = range(4)


class OffersMixin:
    """Methods of `AttritionModel` (sim/model/lab.py) for this mechanism; they use its state."""

    def _build_firms(self) -> None:
        wf = self.workforce
        staff = wf.role[: wf.n][~wf.immune[: wf.n]]
        per_role = np.bincount(staff, minlength=len(ROLES))
        for f in self.p.firms:
            w = role_vector(f.role_weights)
            norm = float((w * per_role).sum())
            prob = f.offers_per_year / 365.0 * w / norm if norm > 0 else np.zeros(len(ROLES))
            if (prob >= 1).any():  # more than one offer a day to someone: the daily hazard would be infinite
                i = self.p.firms.index(f)
                raise ConfigError(
                    f"firms[{i}].offers_per_year",
                    f.offers_per_year,
                    f"fewer than 365 offers a year for each person the firm targets ({norm:g} weighted staff here)",
                )
            firm = Firm(self, f.name, eq.daily_hazard(prob), f.offer_multiple, f.culture, kind=f.kind)
            self.firms.append(firm)
            self.rivals.append(firm)
            self.rival_rate_by_role = self.rival_rate_by_role + firm.role_rate

    def _offering_rivals(self, role: int) -> tuple[list[Firm], list[float]]:
        """The rival labs that make offers to people of this role, and their cumulative offer hazards."""
        firms = [f for f in self.rivals if f.role_rate[role] > 0]
        return firms, np.cumsum([f.offer_rate(role) for f in firms]).tolist()

    def _stop_recruiting(self) -> None:
        """Spin-outs whose places are filled or whose weeks are over stop courting from today."""
        if not self._recruiting:
            return
        for sp in self._recruiting:
            if not sp.recruiting:
                self.workforce.courted[sp.targets] -= 1
                sp.courting = False
        self._recruiting = [sp for sp in self._recruiting if sp.courting]

    def _offers(self, offered, unvested_years, t) -> set[int]:
        """Offers whose clock passed its key today, each settled by its own draws; return the slots that left."""
        wf = self.workforce
        draws = np.array([self._offer_draws(slot, t) for slot in offered.tolist()])
        wf.offer_clock[offered] = 0.0
        wf.offer_key[offered] = exponential_key(draws[:, O_NEXT])
        firms = [self._pick_firm(slot, u) for slot, u in zip(offered.tolist(), draws[:, O_FIRM], strict=True)]
        multiple = np.array([f.offer_multiple for f in firms])
        culture = np.array([f.culture for f in firms])
        a, m, b = wf.autonomy[offered], wf.mission[offered], wf.burnout[offered]
        delta = eq.offer_advantage(multiple, culture, unvested_years, a, m, b, self.p.choice)
        matched = draws[:, O_COUNTER] < wf.match_prob[offered]
        raise_to = np.minimum(multiple, wf.match_cap[offered])
        delta = np.where(matched, delta - self.p.choice.pay * np.log(raise_to), delta)
        accepted = draws[:, O_ACCEPT] < eq.logistic(delta)
        out = set()
        for j, slot in enumerate(offered.tolist()):
            firm = firms[j]
            firm.offers_made += 1
            self._today[COL["offers_made"]] += 1
            if matched[j]:
                self._today[COL["offers_countered"]] += 1
            if accepted[j] and isinstance(firm, Spinout) and firm.recruits_left <= 0:
                accepted[j] = False  # the startup filled its places earlier today
            if accepted[j]:
                firm.offers_accepted += 1
                self._today[COL["offers_accepted"]] += 1
                out.add(slot)
                if isinstance(firm, Spinout):
                    firm.recruits_left -= 1
                    self.depart(slot, SPINOUT, firm=firm.name, destination=(firm.name, "spinout"))
                else:
                    self.depart(slot, POACHED, firm=firm.name, destination=(firm.name, firm.kind))
            elif matched[j] and raise_to[j] > 1:
                self.levers[wf.match_lever[slot]].book(self, slot, raise_to[j], t)
        for firm in self.firms:
            if firm.offers_made:
                self._offers_log.append((t, firm.name, firm.offers_made, firm.offers_accepted))
                firm.offers_made = firm.offers_accepted = 0
        return out

    def _pick_firm(self, slot: int, u: float) -> Firm:
        """The firm behind an offer, chosen in proportion to each firm's offer hazard for this person today."""
        role = self.workforce.role[slot]
        firms, rates = self._rival_choice[role]
        courting = [sp for sp in self._courting.get(slot, ()) if sp.courting]
        if courting:
            firms = firms + courting
            rates = np.cumsum([f.offer_rate(role) for f in firms]).tolist()
        return firms[min(bisect.bisect_right(rates, u * rates[-1]), len(firms) - 1)]
