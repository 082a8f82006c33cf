"""Leaving: the day's decisions (the compiled pass, offers, quits), a departure's bookkeeping, a voluntary leaver's
destination and counter-offer, spin-outs."""

from __future__ import annotations

import numpy as np

from sim.model import equations as eq
from sim.model.agents import Spinout
from sim.model.components.base import Component
from sim.model.destinations import DestinationTable, counter_keep_probability
from sim.model.draws import OfferDraws, exponential_key
from sim.schema import COL, DEST_COL, FORCED, ROLES, VOLUNTARY

# a voluntary leaver's draws if a counter-offer meets them: counter, stay, next quit key
L_COUNTER, L_STAY, L_NEXT = range(3)


class Leaving(Component):
    """Interface: `depart` (every departure goes through it), `departure_notes`, `destinations`, `spinouts_founded`,
    `kept_by_counter`."""

    name = "leaving"
    owns = ("departure_notes", "destinations", "spinouts_founded", "kept_by_counter")

    def __init__(self, model, rng):
        super().__init__(model)
        p, wf = model.p, model.workforce
        self.draws = OfferDraws(rng)  # counter-based, indexed by (person, day)
        staff = wf.role[: wf.n][~wf.immune[: wf.n]]
        per_role = np.bincount(staff, minlength=len(ROLES)).tolist()
        self.destinations = DestinationTable(p.firms if model.mech.poaching else [], per_role, p.destinations)
        # slot -> (firm, shock, shock share, destination, destination kind)
        self.departure_notes: dict[int, tuple[str, str, float, str, str]] = {}
        self.spinouts_founded = 0
        self.kept_by_counter = 0  # leavers holding an offer whom a counter-offer kept

    def step(self, day: int) -> None:
        """Today's compiled pass; offers settled first, then the quits of those not poached."""
        m = self.model
        quitting, offered, unvested = m.daily.advance_clocks(m.workforce.n, day)
        poached = m.poaching.offers(offered, unvested, day) if len(offered) else ()
        for slot in quitting.tolist():
            if slot not in poached:
                self._leave_by_choice(slot, day)

    def depart(
        self,
        slot: int,
        cause: int,
        firm: str = "",
        shock: str = "",
        shock_share: float = 0.0,
        backfill: bool = True,
        destination: tuple[str, str] = ("", ""),
    ) -> None:
        """Record one departure (with its destination: name and kind); the components that react to such a departure
        (its cause, the leaver's role) hear of it."""
        m = self.model
        wf, t = m.workforce, m.day
        wf.active[slot] = False
        wf.left[slot] = t
        wf.cause[slot] = cause
        if cause == FORCED:
            destination = (shock, "forced")
        self.departure_notes[slot] = (firm, shock, shock_share, *destination)
        m.observation.today[DEST_COL[destination[1]]] += 1
        for react in m.departing[cause][wf.role[slot]]:
            react(slot, cause, backfill)

    def _leave_by_choice(self, slot: int, t: int) -> None:
        """A voluntary leaver: founds a spin-out, or chooses a destination (sim/model/destinations.py); a
        counter-offer may keep one who holds a firm's offer."""
        m = self.model
        wf = m.workforce
        shock = eq.shock_factor(m.shocks.excess[t], wf.shock_damping[slot])
        share = float(1.0 - 1.0 / shock)
        targets = self._founding_targets(slot) if m.mech.spinouts else None
        if targets is not None:
            name = f"spinout-{self.spinouts_founded + 1}"
            self.depart(slot, VOLUNTARY, shock_share=share, destination=(name, "spinout"))
            self._spin_out(slot, targets, name)
            return
        courting = m.poaching.courting.get(slot)
        if courting:
            courting = [sp for sp in courting if sp.courting and sp.recruits_left > 0]
        option = self.destinations.pick(int(wf.role[slot]), float(wf.key_group[slot]), courting or ())
        if (option.firm >= 0 or option.ref is not None) and wf.match_prob[slot] > 0:  # holds a firm's offer
            if self._counter_keeps(slot, option.multiple, option.culture, t):
                return
        if option.ref is not None:
            option.ref.recruits_left -= 1
        self.depart(slot, VOLUNTARY, shock_share=share, destination=(option.name, option.kind))

    def _counter_keeps(self, slot: int, multiple: float, culture: float, t: int) -> bool:
        """A leaver holding an offer meets a counter-offer (with the lever's match_prob); True if it keeps them
        (pay raised, quit clock restarted with a new key from the person's own draws of the day)."""
        m = self.model
        wf, c = m.workforce, m.p.choice
        u = self.draws(slot, t)
        if u[L_COUNTER] >= wf.match_prob[slot]:
            return False
        m.observation.today[COL["offers_countered"]] += 1
        raise_to = min(multiple, float(wf.match_cap[slot]))
        uv = m.equity.unvested_years(np.array([slot]), t)
        uv = float(uv[0]) if np.ndim(uv) else float(uv)
        a, mi, b = float(wf.autonomy[slot]), float(wf.mission[slot]), float(wf.burnout[slot])
        delta = float(eq.offer_advantage(multiple, culture, uv, a, mi, b, c))
        keep = counter_keep_probability(delta, delta - c.pay * float(np.log(raise_to)))
        if u[L_STAY] >= keep:
            return False
        if raise_to > 1:
            m.policy.levers[wf.match_lever[slot]].book(m, slot, raise_to, t)
        wf.quit_clock[slot] = 0.0
        wf.quit_key[slot] = exponential_key(u[L_NEXT])
        self.kept_by_counter += 1
        return True

    def _founding_targets(self, slot: int) -> np.ndarray | None:
        """The people a senior leaver's spin-out would court (teammates and ties), or None if they found none."""
        s, wf = self.model.p.spinout, self.model.workforce
        if ROLES[wf.role[slot]] not in s.founder_roles or wf.key_spinout[slot] >= s.founder_prob:
            return None
        n = wf.n
        mates = wf.active[:n] & ~wf.immune[:n] & (wf.team[:n] == wf.team[slot])
        mates[slot] = False
        targets = np.flatnonzero(mates)
        if wf.n_ties:
            ties = wf.ties[slot]
            targets = np.union1d(targets, ties[wf.active[ties] & ~wf.immune[ties]])
        return targets if targets.size else None

    def _spin_out(self, slot: int, targets: np.ndarray, name: str) -> None:
        """The leaver founds a spin-out that courts `targets` for some weeks."""
        m = self.model
        s, wf = m.p.spinout, m.workforce
        span = s.group_max - s.group_min + 1
        recruits = s.group_min - 1 + int(wf.key_group[slot] * span)
        self.spinouts_founded += 1
        spinout = Spinout(
            m,
            name,
            slot,
            targets,
            m.poaching.spinout_rate,
            s.offer_multiple,
            s.culture,
            recruits,
            m.day + s.recruit_days,
        )
        m.poaching.add_spinout(spinout)
