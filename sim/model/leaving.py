"""Leaving: a departure's bookkeeping, a voluntary leaver's destination and counter-offer, spin-outs."""

from __future__ import annotations

import numpy as np

from sim.model import equations as eq
from sim.model.agents import Spinout
from sim.model.destinations import counter_keep_probability
from sim.model.draws import exponential_key
from sim.schema import (
    CAUSE_COL,
    COL,
    DEST_COL,
    FORCED,
    FOUNDER,
    ROLES,
    VOLUNTARY,
)

# a voluntary leaver's draws if a counter-offer meets them: counter, stay, next quit key
L_COUNTER, L_STAY, L_NEXT = range(3)


class LeavingMixin:
    """Methods of `AttritionModel` (sim/model/lab.py) for this mechanism; they use its state."""

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
        """Record one departure (with its destination: name and kind) and remove the employee agent."""
        wf, t = self.workforce, self.day
        wf.active[slot] = False
        wf.left[slot] = t
        wf.cause[slot] = cause
        team, role = wf.team[slot], wf.role[slot]
        self.team_role_active[team, role] -= 1
        self.team_active[team] -= 1
        if not backfill:
            self.team_target[team, role] = max(0, self.team_target[team, role] - 1)
            self.team_posts[:] = self.team_target.sum(1)  # in place: the compiled pass holds this array
        if cause != FORCED:  # contagion spreads through choices to leave, not through layoffs
            self._ring[t % self._ring.shape[0], team] += 1
            self._team_recent[team] += 1
            wf.chose_left[slot] = t
            if role == FOUNDER:
                self.founder_chose_day = t  # the clique term is zero when no co-founder chose to leave lately
        if cause == FORCED:
            destination = (shock, "forced")
        self.departure_notes[slot] = (firm, shock, shock_share, *destination)
        self._today[CAUSE_COL[cause]] += 1
        self._today[DEST_COL[destination[1]]] += 1
        if wf.key_announce[slot] < self.announce_by_role[role]:
            wf.announce_day[slot] = t + int(np.ceil(self.delay_by_role[role] * wf.key_delay[slot]))
            self._new_waiting.append(slot)
        self.employees[slot].remove()
        self.employees[slot] = None

    def _leave_by_choice(self, slot: int, t: int) -> None:
        """A voluntary leaver: founds a spin-out, or chooses a destination (sim/destinations.py); a counter-offer
        may keep one who holds a firm's offer."""
        wf = self.workforce
        shock = eq.shock_factor(self.shock_excess[t], wf.shock_damping[slot])
        share = float(1.0 - 1.0 / shock)
        targets = self._founding_targets(slot) if self.mech.spinouts else None
        if targets is not None:
            name = f"spinout-{self.spinouts_founded + 1}"
            self.depart(slot, VOLUNTARY, shock_share=share, destination=(name, "spinout"))
            self._spin_out(slot, targets, name)
            return
        courting = self._courting.get(slot)
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
        wf, c = self.workforce, self.p.choice
        u = self._leave_draws(slot, t)
        if u[L_COUNTER] >= wf.match_prob[slot]:
            return False
        self._today[COL["offers_countered"]] += 1
        raise_to = min(multiple, float(wf.match_cap[slot]))
        uv = self.unvested_years(np.array([slot]), t)
        uv = float(uv[0]) if np.ndim(uv) else float(uv)
        a, m, b = float(wf.autonomy[slot]), float(wf.mission[slot]), float(wf.burnout[slot])
        delta = float(eq.offer_advantage(multiple, culture, uv, a, m, b, c))
        keep = counter_keep_probability(delta, delta - c.pay * float(np.log(raise_to)))
        if u[L_STAY] >= keep:
            return False
        if raise_to > 1:
            self.levers[wf.match_lever[slot]].book(self, slot, raise_to, t)
        wf.quit_clock[slot] = 0.0
        wf.quit_key[slot] = exponential_key(u[L_NEXT])
        self.kept_by_counter += 1
        return True

    def _founding_targets(self, slot: int) -> np.ndarray | None:
        """The people a senior leaver's spin-out would court (teammates and ties), or None if they found none."""
        s, wf = self.p.spinout, self.workforce
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
        s, wf = self.p.spinout, self.workforce
        span = s.group_max - s.group_min + 1
        recruits = s.group_min - 1 + int(wf.key_group[slot] * span)
        self.spinouts_founded += 1
        spinout = Spinout(
            self,
            name,
            slot,
            targets,
            self.spinout_rate,
            s.offer_multiple,
            s.culture,
            recruits,
            self.day + s.recruit_days,
        )
        self.firms.append(spinout)
        self._recruiting.append(spinout)
        wf.courted[targets] += 1
        for target in targets.tolist():
            self._courting.setdefault(target, []).append(spinout)
