"""A reference implementation of the model's rules, written the plain Mesa way: an oracle, not an engine.

Each employee is a Mesa agent holding its own numbers; its `step()` does its own day's
arithmetic with the equation functions of `sim.model.equations` called on floats, and the model
runs them with `agents.shuffle_do("step")` (a day's steps read only the state at the start
of the day, so their order does not matter). Departures, offers, shocks, levers, hiring and
announcements are then settled person by person, in slot order.

It consumes the random numbers of `sim.model.AttritionModel` in the same order (the same
blocks of draws at hire, the same binomials, the same counter-based offer draws), so for
the same config and seed both produce the same departures. It is slow on purpose: it is
what the fast model is checked and timed against (`tests/test_reference.py`,
`benchmarks/bench_speed.py`).
"""

from __future__ import annotations

import math
from functools import partial

import mesa
import numpy as np

from sim.config.params import ROLES, UNITS, ModelParams, parse_date, validate
from sim.model import equations as eq
from sim.model.destinations import DestinationTable, counter_keep_probability
from sim.model.draws import OfferDraws, exponential_key
from sim.model.shocks import push_series
from sim.model.workforce import HIRE_KEYS, ROLE_UNIT, SENIORITY, K
from sim.schema import CAUSES, DEST_KINDS, FORCED, FOUNDER, POACHED, SPINOUT, VOLUNTARY

NONE = -(10**9)  # "never happened" for day fields compared with >=
LATER = 10**9  # "not before the end" for day fields compared with <


def role_table(table: dict[str, float]) -> list[float]:
    return [float(table.get(r, 0.0)) for r in ROLES]


class RefEmployee(mesa.Agent):
    """One person; every number is an attribute and `step()` updates them for one day."""

    def __init__(self, model: ReferenceModel, slot: int, role: int, team: int, hired: int, keys, ties):
        super().__init__(model)
        p, m = model.p, model
        self.slot, self.role, self.team, self.hired = slot, role, team, hired
        self.active, self.left, self.cause, self.chose_left = True, None, None, NONE
        self.immune = False
        self.seniority = float(SENIORITY[role])
        self.pay = m.pay_by_role[role]
        self.load = m.load_by_role[role]
        self.rise_scale = 1.0
        self.grant, self.grant_start = m.grant_by_role[role], hired
        self.refresh, self.refresh_start, self.granted = 0.0, LATER, 0.0
        self.bonus, self.bonus_day, self.quit_mult = 0.0, LATER, 1.0
        cliff = hired + m.cliff_day if p.vesting.cliff_months else LATER
        self.milestones = [cliff, hired + m.final_day, LATER, LATER, LATER]
        self.autonomy0 = self.autonomy = m.a0_by_role[role]
        self.reorg_protection = 0.0
        self.mission = p.dynamics.mission_baseline if p.mechanisms.mission else 1.0
        self.mission_floor = 0.0
        self.burnout = 0.0
        self.wealth = self.liquidated = 0.0
        self.acq_mult, self.acq_until = 1.0, NONE
        self.surv_mult, self.surv_until = 1.0, NONE
        self.shock_damping = 0.0
        self.match_prob, self.match_cap = 0.0, 1.0
        self.safety = bool(keys[K["safety"]] < m.safety_by_role[role])
        self.high_performer = bool(keys[K["high_performer"]] < p.company.high_performer_share)
        self.key_forced, self.key_announce = keys[K["forced"]], keys[K["announce"]]
        self.key_spinout, self.key_group = keys[K["spinout"]], keys[K["group"]]
        self.key_delay = exponential_key(keys[K["delay"]])
        self.quit_key = exponential_key(keys[K["quit"]])
        self.offer_key = exponential_key(keys[K["offer"]])
        self.burst_key = exponential_key(keys[K["burst"]])
        self.quit_clock = self.offer_clock = self.burst_clock = 0.0
        self.announce_day = None
        self.ties = ties
        self.notes = ("", "", 0.0, "", "")

    @property
    def unit(self) -> int:
        return self.model.team_unit[self.team]

    def vested(self, day: int) -> float:
        v, (ry, rc) = self.model.p.vesting, self.model.refresh_schedule
        main = self.grant * eq.vested_fraction(day - self.grant_start, v.years, v.cliff_months)
        return main + self.refresh * eq.vested_fraction(day - self.refresh_start, ry, rc)

    def step(self) -> None:
        """One day: wellbeing drifts, the quit clock adds today's hazard, the offer clock today's offer hazard."""
        m, p, t = self.model, self.model.p, self.model.day
        mech, d, v = p.mechanisms, p.dynamics, p.vesting
        if mech.burnout:
            load = eq.team_load(self.load, d.shortstaff_load, m.gap[self.team])
            self.burnout = eq.burnout_next(self.burnout, load, d.burnout_rise * self.rise_scale, d.burnout_recovery)
        if mech.autonomy:
            self.autonomy = eq.relax(self.autonomy, self.autonomy0, d.autonomy_drift)
        if mech.mission:
            self.mission = max(eq.relax(self.mission, d.mission_baseline, d.mission_recovery), self.mission_floor)
        if mech.vesting:
            unvested = eq.unvested_equity(self.grant, self.refresh, self.bonus, self.vested(t))
            self.unvested_years = unvested / self.pay
            in_bump = any(0 <= t - day < v.bump_days for day in self.milestones)
            bump = v.bump if in_bump else 1.0
            log_unvested = np.log1p(self.unvested_years)
        else:
            self.unvested_years, bump, log_unvested = 0.0, 1.0, 0.0
        log_wealth = np.log1p(self.wealth / self.pay) if mech.wealth else 0.0
        contagion = 0.0
        if mech.contagion:
            window = t - p.hazard.contagion_window_days
            recent = m.team_recent[self.team]
            left = float(recent) + sum(m.people[s].chose_left >= window for s in self.ties)
            ties = m.team_active[self.team] - 1 + recent + len(self.ties)
            contagion = eq.contagion_share(left, ties)
        eta = eq.linear_predictor_logged(
            self.burnout, self.autonomy, self.autonomy0, self.mission, contagion, log_wealth, log_unvested, p.hazard
        )
        if self.role == FOUNDER:
            eta += m.founder_eta
        self.shock = eq.shock_factor(m.shock_excess[t], self.shock_damping)
        mult = (
            self.shock
            * eq.window_factor(t, self.acq_until, self.acq_mult)
            * eq.window_factor(t, self.surv_until, self.surv_mult)
            * eq.window_factor(t, self.bonus_day, self.quit_mult)
            * bump
        )
        if self.role == FOUNDER:
            mult *= m.founder_push[t]
        self.quit_clock += eq.hazard(m.h0, eta, mult)
        courted = sum(self.slot in sp.targets for sp in m.recruiting)
        self.offer_clock += m.rival_rate[self.role] + courted * m.spinout_rate


class RefFirm:
    """A rival lab (or a spin-out) as plain data."""

    def __init__(
        self, name, role_rate, multiple, culture, spinout=False, targets=(), rate=0.0, recruits=0, until=0, kind=""
    ):
        self.name, self.role_rate, self.offer_multiple, self.culture = name, role_rate, multiple, culture
        self.kind = "spinout" if spinout else kind or "rival_lab"
        self.spinout, self.targets, self.rate, self.recruits_left, self.until = spinout, targets, rate, recruits, until
        self.founder = None
        self.offers_made = self.offers_accepted = 0


class ReferenceModel(mesa.Model):
    """The same rules as `sim.model.AttritionModel`, one agent at a time."""

    def __init__(self, params: ModelParams, seed: int = 0):
        super().__init__(rng=seed)
        self.p = p = validate(params)
        self.seed = seed
        self.start = parse_date(p.window.start, "window.start")
        self.days = (parse_date(p.window.end, "window.end") - self.start).days + 1
        self.day = 0
        offer_rng, self.hire_rng, event_rng = self.rng.spawn(3)
        self.offer_draws = OfferDraws(offer_rng)
        self.leave_draws = OfferDraws(event_rng)
        self.founder_push = np.ones(self.days)
        self.h0 = float(eq.annual_to_daily(p.hazard.base_annual))
        self.shock_excess = np.zeros(self.days)
        self.refresh_schedule = (4.0, 0)
        self.cliff_day = int(np.ceil(p.vesting.cliff_months * eq.DAYS_PER_MONTH))
        self.final_day = int(np.ceil(12 * p.vesting.years * eq.DAYS_PER_MONTH))
        c = p.company
        self.founders_left_days = [(parse_date(d, "company.founders_left") - self.start).days for d in c.founders_left]
        self.pay_by_role = role_table(c.pay)
        self.grant_by_role = [
            g * pay for g, pay in zip(role_table(c.grant_years_of_pay), self.pay_by_role, strict=True)
        ]
        self.load_by_role = role_table(p.dynamics.base_load)
        self.a0_by_role = role_table(p.dynamics.autonomy_baseline)
        self.safety_by_role = role_table(c.safety_minded_share)
        self.announce_by_role = role_table(p.observation.announce_prob)
        self.delay_by_role = role_table(p.observation.delay_mean_days)
        self.people: list[RefEmployee] = []  # by slot, leavers included
        self.leavers: list[RefEmployee] = []
        self.team_leaves: list[list[int]] = []  # days of departures by choice, per team
        self.today = dict.fromkeys((*CAUSES, *(f"dest_{k}" for k in DEST_KINDS)), 0)
        self.rows: list[dict] = []
        self.levers: list[RefLever] = []
        self._build_staff()
        self.firms: list[RefFirm] = []
        self.rival_rate = [0.0] * len(ROLES)
        if p.mechanisms.poaching:
            self._build_firms()
        per_role = [sum(e.role == r and not e.immune for e in self.people) for r in range(len(ROLES))]
        self.destinations = DestinationTable(p.firms if p.mechanisms.poaching else [], per_role, p.destinations)
        self.recruiting: list[RefFirm] = []
        self.spinout_rate = float(eq.daily_hazard(p.spinout.offers_per_day))
        self.spinouts_founded = 0
        self.kept_by_counter = 0
        self._events = []
        for lev in p.policy.levers:
            day = (parse_date(lev.start, "policy.start") - self.start).days if lev.start else 0
            lever = RefLever(lev, day)
            self.levers.append(lever)
            self._at(day + 0.25, partial(lever.activate, self))
        if p.mechanisms.shocks:
            for shock in p.shocks:
                day = (parse_date(shock.date, "shock.date") - self.start).days
                if day < 0:
                    self.fire(shock, day)
                else:
                    self._at(day + 0.5, partial(self.fire, shock, day))
            for shock in p.shocks:
                if shock.ipo_date and shock.ipo_liquidity:
                    day = (parse_date(shock.ipo_date, "ipo_date") - self.start).days
                    if day < 0:
                        self.ipo(shock, day)
                    elif day < self.days:
                        self._at(day + 0.5, partial(self.ipo, shock, day))

    def _at(self, time, fn):
        self._events.append(fn)
        self.schedule_event(fn, at=time)

    # ---------------------------------------------------------------- people

    def _build_staff(self) -> None:
        c = self.p.company
        shares = np.array(role_table(c.role_mix))
        shares[FOUNDER] = 0.0
        raw = (c.headcount - c.founders) * shares / shares.sum()
        counts = np.floor(raw).astype(int)
        counts[np.argsort(-(raw - counts), kind="stable")[: c.headcount - c.founders - counts.sum()]] += 1
        counts[FOUNDER] = c.founders
        roles = np.repeat(np.arange(len(ROLES)), counts).astype(np.int8)
        self.hire_rng.shuffle(roles[c.founders :])
        roles = [int(r) for r in roles]
        team = [0] * len(roles)
        self.team_unit, next_team = [], 0
        for u in range(len(UNITS)):
            members = [i for i, r in enumerate(roles) if ROLE_UNIT[r] == u and r != FOUNDER]
            k = max(1, math.ceil(len(members) / c.team_size)) if members or u == 0 else 0
            for j, i in enumerate(members):
                team[i] = next_team + j % max(k, 1)
            if u == 0:
                for j, i in enumerate(i for i, r in enumerate(roles) if r == FOUNDER):
                    team[i] = next_team + j % max(k, 1)
            self.team_unit += [u] * k
            next_team += k
        self.team_target = [[0] * len(ROLES) for _ in range(next_team)]
        for tm, r in zip(team, roles, strict=True):
            self.team_target[tm][r] += r != FOUNDER
        self.team_role_active = [[0] * len(ROLES) for _ in range(next_team)]
        self.team_active = [0] * next_team
        self.team_leaves = [[] for _ in range(next_team)]
        founded = (parse_date(c.founded, "company.founded") - self.start).days
        hired = self.hire_rng.integers(min(founded, -1), 0, size=len(roles), endpoint=False)
        hired = [founded if r == FOUNDER else int(h) for r, h in zip(roles, hired, strict=True)]
        new = self.add_people(roles, team, hired, initial=True)
        for person in new[: c.owner_founders]:
            person.immune = True

    def add_people(self, roles, teams, hired, initial=False) -> list[RefEmployee]:
        """New people, drawing their keys (and picking their ties) as the fast model does."""
        k, first = self.p.company.cross_ties, len(self.people)
        keys = self.hire_rng.random((len(roles), len(HIRE_KEYS) + k))
        slots = list(range(first, first + len(roles)))
        pool = slots if initial else [e.slot for e in self.people if e.active] + slots
        new = []
        for i, (role, team, day) in enumerate(zip(roles, teams, hired, strict=True)):
            own = pool.index(slots[i])
            picks = [int(u * max(len(pool) - 1, 1)) for u in keys[i, len(HIRE_KEYS) :]]
            ties = [pool[min(j + (j >= own), len(pool) - 1)] for j in picks]
            person = RefEmployee(self, slots[i], role, team, day, keys[i], ties)
            if not self.p.mechanisms.burnout:
                person.burnout = 0.0
            elif initial:
                d = self.p.dynamics
                person.burnout = eq.burnout_equilibrium(person.load, d.burnout_rise, d.burnout_recovery)
            else:
                person.burnout = self.p.dynamics.initial_burnout
            self.people.append(person)
            self.team_role_active[team][role] += 1
            self.team_active[team] += 1
            new.append(person)
        for lever in self.levers:
            lever.on_hire(self, new)
        return new

    def _build_firms(self) -> None:
        per_role = [0] * len(ROLES)
        for e in self.people:
            per_role[e.role] += not e.immune
        for f in self.p.firms:
            w = role_table(f.role_weights)
            norm = float(np.sum([wr * cr for wr, cr in zip(w, per_role, strict=True)]))
            rates = [eq.daily_hazard(f.offers_per_year / 365.0 * wr / norm) if norm > 0 else 0.0 for wr in w]
            self.firms.append(RefFirm(f.name, rates, f.offer_multiple, f.culture, kind=f.kind))
            self.rival_rate = [a + b for a, b in zip(self.rival_rate, rates, strict=True)]

    def present(self) -> list[RefEmployee]:
        return [e for e in self.people if e.active]

    def depart(
        self, e: RefEmployee, cause: int, firm="", shock="", shock_share=0.0, backfill=True, destination=("", "")
    ) -> None:
        t = self.day
        e.active, e.left, e.cause = False, t, cause
        self.team_role_active[e.team][e.role] -= 1
        self.team_active[e.team] -= 1
        if not backfill:
            self.team_target[e.team][e.role] = max(0, self.team_target[e.team][e.role] - 1)
        if cause != FORCED:
            self.team_leaves[e.team].append(t)
            e.chose_left = t
        if cause == FORCED:
            destination = (shock, "forced")
        e.notes = (firm, shock, shock_share, *destination)
        self.today[CAUSES[cause]] += 1
        self.today[f"dest_{destination[1]}"] += 1
        if e.key_announce < self.announce_by_role[e.role]:
            e.announce_day = t + int(np.ceil(self.delay_by_role[e.role] * e.key_delay))
        self.leavers.append(e)
        e.remove()

    def leave_by_choice(self, e: RefEmployee, t: int) -> None:
        """Found a spin-out, or choose a destination; a counter-offer may keep one who holds a firm's offer."""
        share = float(1.0 - 1.0 / e.shock)
        s = self.p.spinout
        if self.p.mechanisms.spinouts and ROLES[e.role] in s.founder_roles and e.key_spinout < s.founder_prob:
            targets = {x.slot for x in self.present() if not x.immune and x.team == e.team and x is not e}
            targets |= {x for x in e.ties if self.people[x].active and not self.people[x].immune}
            if targets:
                self.depart(
                    e, VOLUNTARY, shock_share=share, destination=(f"spinout-{self.spinouts_founded + 1}", "spinout")
                )
                self._spin_out(e, targets)
                return
        courting = [f for f in self.recruiting if e.slot in f.targets and f.recruits_left > 0]
        option = self.destinations.pick(e.role, e.key_group, courting)
        if (option.firm >= 0 or option.ref is not None) and e.match_prob > 0:
            u = self.leave_draws(e.slot, t)
            if u[0] < e.match_prob:
                self.today["offers_countered"] += 1
                c = self.p.choice
                raise_to = min(option.multiple, e.match_cap)
                uv = (
                    eq.unvested_equity(e.grant, e.refresh, e.bonus, e.vested(t)) / e.pay
                    if self.p.mechanisms.vesting
                    else 0.0
                )
                delta = float(
                    eq.offer_advantage(option.multiple, option.culture, float(uv), e.autonomy, e.mission, e.burnout, c)
                )
                keep = counter_keep_probability(delta, delta - c.pay * float(np.log(raise_to)))
                if u[1] < keep:
                    if raise_to > 1:
                        extra = e.pay * (raise_to - 1.0)
                        e.match_lever.cost += extra * (self.days - t) / 365.0
                        e.pay += extra
                    e.quit_clock, e.quit_key = 0.0, exponential_key(u[2])
                    self.kept_by_counter += 1
                    return
        if option.ref is not None:
            option.ref.recruits_left -= 1
        self.depart(e, VOLUNTARY, shock_share=share, destination=(option.name, option.kind))

    def _spin_out(self, e: RefEmployee, targets) -> None:
        s = self.p.spinout
        recruits = s.group_min - 1 + int(e.key_group * (s.group_max - s.group_min + 1))
        self.spinouts_founded += 1
        firm = RefFirm(
            f"spinout-{self.spinouts_founded}",
            [0.0] * len(ROLES),
            s.offer_multiple,
            s.culture,
            spinout=True,
            targets=frozenset(targets),
            rate=self.spinout_rate,
            recruits=recruits,
            until=self.day + s.recruit_days,
        )
        firm.founder = e.slot
        self.firms.append(firm)
        self.recruiting.append(firm)

    # ---------------------------------------------------------------- shocks

    def fire(self, shock, day: int) -> None:
        """A dated shock, applied to each person present (history before the window sets the starting state)."""
        history, d, mech = day < 0, self.p.dynamics, self.p.mechanisms
        elapsed = -day if history else 0
        if not history:
            self.day = day
        people = self.present()
        if shock.autonomy_cut and mech.autonomy:
            decay = (1.0 - d.autonomy_drift) ** elapsed
            for e in people:
                cut = shock.autonomy_cut * (1.0 - e.reorg_protection)
                e.autonomy = e.autonomy0 - (e.autonomy0 - e.autonomy * (1 - cut)) * decay
        if shock.burnout_bump and mech.burnout:
            decay = (1.0 - d.burnout_recovery) ** elapsed
            for e in people:
                e.burnout = min(1.0, e.burnout + shock.burnout_bump * decay)
        if shock.mission_drop and mech.mission:
            decay = (1.0 - d.mission_recovery) ** elapsed
            for e in people:
                drop = shock.mission_drop * (1.0 + shock.safety_extra * e.safety)
                e.mission = float(np.clip(e.mission - drop * decay, e.mission_floor, 1.0))
        if shock.hazard_amp:
            self.shock_excess += eq.shock_excess(np.arange(self.days) - day, shock.hazard_amp, shock.hazard_tau_days)
        if shock.founder_push > 1 and shock.founder_push_days:
            self.founder_push *= push_series(self.days, day, shock.founder_push, shock.founder_push_days)
        if shock.acquired:
            for e in people:
                if shock.conversion != 1.0:
                    e.grant, e.refresh = e.grant * shock.conversion, e.refresh * shock.conversion
            if shock.acceleration and mech.vesting:
                v = self.p.vesting
                for e in people:
                    if not e.immune and RefLever.target_of(shock.acceleration_target, e):
                        start = eq.accelerated_start(e.grant_start, day, v.years, v.cliff_months, shock.acceleration)
                        e.grant_start = int(start)
                        e.milestones[1] = e.grant_start + self.final_day
        if shock.liquidity and mech.wealth:
            for e in people:
                cash = shock.liquidity * max(e.vested(day) - e.liquidated, 0.0)
                e.wealth += cash
                e.liquidated += cash
        if shock.acquired and shock.acquired_ratio > 1:
            for e in people:
                e.acq_mult = 1.0 + (shock.acquired_ratio - 1.0) * (1.0 + shock.senior_extra * e.seniority)
                e.acq_until = day + shock.acquired_days
        if shock.survivor_ratio > 1 and shock.survivor_days:
            for e in people:
                if e.high_performer:
                    e.surv_mult, e.surv_until = shock.survivor_ratio, day + shock.survivor_days
        if shock.forced_exits and not history:
            pool = [e for e in people if not e.immune]
            if shock.unit:
                pool = [e for e in pool if e.unit == UNITS.index(shock.unit)]
            if shock.forced_rule == "founders":
                pool = [e for e in pool if e.role == FOUNDER]
            if shock.forced_rule == "senior":
                pool.sort(key=lambda e: (-e.seniority, e.key_forced))
            else:
                pool.sort(key=lambda e: e.key_forced)
            name = shock.name or f"{shock.type}#{self.p.shocks.index(shock)}"
            for e in pool[: shock.forced_exits]:
                self.depart(e, FORCED, shock=name, backfill=shock.backfill)

    def ipo(self, shock, day: int) -> None:
        """The planned IPO: a share of each person's vested, unsold equity becomes wealth."""
        if not self.p.mechanisms.wealth:
            return
        if day >= 0:
            self.day = day
        for e in self.present():
            cash = shock.ipo_liquidity * max(e.vested(day) - e.liquidated, 0.0)
            e.wealth += cash
            e.liquidated += cash

    # ---------------------------------------------------------------- the day

    def step(self) -> None:
        t = self.day = self.steps - 1
        window = t - self.p.hazard.contagion_window_days
        self.team_recent = [sum(day >= window for day in days) for days in self.team_leaves]
        self.gap = [
            eq.team_gap(active, sum(target)) for active, target in zip(self.team_active, self.team_target, strict=True)
        ]
        self.recruiting = [f for f in self.recruiting if f.recruits_left > 0 and t < f.until]
        self.today.update(offers_made=0, offers_accepted=0, offers_countered=0)
        h, self.founder_eta = self.p.hazard, 0.0
        if self.p.mechanisms.contagion and h.founder_contagion:
            founders = [e for e in self.people if e.role == FOUNDER]
            exits = [e.chose_left for e in founders if e.chose_left != NONE] + self.founders_left_days
            pulls = [math.exp(-(t - day) / h.founder_decay_days) for day in exits]
            if pulls:  # a Hawkes kernel: each fellow's exit pulls, fading with the days since it
                present = sum(e.active for e in founders)
                excitation = math.fsum(pulls)
                self.founder_eta = h.founder_contagion * float(eq.contagion_share(excitation, present - 1 + excitation))
        self.agents_by_type[RefEmployee].shuffle_do("step")

        poached = self._offers(t) if self.firms else set()
        for e in self.present():
            if not e.immune and e.slot not in poached and e.quit_clock > e.quit_key:
                self.leave_by_choice(e, t)
        for lever in self.levers:
            lever.daily(self, t)
        announced = self._announce(t)
        hires = self._hire(t) if self.p.mechanisms.hiring else 0
        present = self.present()
        self.rows.append(
            {
                "headcount": len(present),
                "hires": hires,
                **{f"departures_{c}": self.today[c] for c in CAUSES},
                "announced": len(announced),
                "announced_founders": sum(e.role == FOUNDER for e in announced),
                "founders_remaining": sum(e.role == FOUNDER for e in present),
                "offers_made": self.today["offers_made"],
                "offers_accepted": self.today["offers_accepted"],
                "offers_countered": self.today["offers_countered"],
                **{f"dest_{k}": self.today[f"dest_{k}"] for k in DEST_KINDS},
                "mean_burnout": sum(e.burnout for e in present) / len(present),
            }
        )
        self.today = dict.fromkeys((*CAUSES, *(f"dest_{k}" for k in DEST_KINDS)), 0)

    def _offers(self, t) -> set[int]:
        offered = [e for e in self.present() if not e.immune and e.offer_clock > e.offer_key]
        gone = set()
        for e in offered:
            u = self.offer_draws(e.slot, t)
            e.offer_clock, e.offer_key = 0.0, exponential_key(u[3])
            firms = [f for f in self.firms if not f.spinout and f.role_rate[e.role] > 0]
            firms += [f for f in self.recruiting if e.slot in f.targets]
            cum, total = [], 0.0
            for f in firms:
                total += f.rate if f.spinout else f.role_rate[e.role]
                cum.append(total)
            x = u[0] * total
            firm = firms[min(next((j for j, c in enumerate(cum) if c > x), len(firms)), len(firms) - 1)]
            e.pending = (firm, u)
        for e in offered:
            firm, u = e.pending
            c = self.p.choice
            uv = e.unvested_years
            delta = eq.offer_advantage(firm.offer_multiple, firm.culture, uv, e.autonomy, e.mission, e.burnout, c)
            matched = u[1] < e.match_prob
            raise_to = min(firm.offer_multiple, e.match_cap)
            if matched:
                delta = delta - c.pay * np.log(raise_to)
            accepted = u[2] < eq.logistic(delta)
            firm.offers_made += 1
            self.today["offers_made"] += 1
            self.today["offers_countered"] += bool(matched)
            if accepted and firm.spinout and firm.recruits_left <= 0:
                accepted = False
            if accepted:
                firm.offers_accepted += 1
                self.today["offers_accepted"] += 1
                gone.add(e.slot)
                if firm.spinout:
                    firm.recruits_left -= 1
                self.depart(e, SPINOUT if firm.spinout else POACHED, firm=firm.name, destination=(firm.name, firm.kind))
            elif matched and raise_to > 1:
                extra = e.pay * (raise_to - 1.0)
                e.match_lever.cost += extra * (self.days - t) / 365.0
                e.pay += extra
        return gone

    def _announce(self, t) -> list[RefEmployee]:
        o = self.p.observation
        if o.burst_gain and t > 0:
            recent = sum(row["announced"] for row in self.rows[max(0, t - o.burst_window_days) : t])
            if recent:
                for e in self.leavers:
                    if e.announce_day is not None and e.announce_day > t and e.left >= t - o.lookback_days:
                        e.burst_clock += o.burst_gain * recent
                        if e.burst_clock > e.burst_key:
                            e.announce_day = t
        return [e for e in self.leavers if e.announce_day == t]

    def _hire(self, t) -> int:
        vacancies = [
            (tm, r)
            for tm, (targets, actives) in enumerate(zip(self.team_target, self.team_role_active, strict=True))
            for r, (target, active) in enumerate(zip(targets, actives, strict=True))
            for _ in range(target - active)
        ]
        if not vacancies:
            return 0
        draws = self.hire_rng.random(len(vacancies))
        filled = [post for post, u in zip(vacancies, draws, strict=True) if u < 1.0 / self.p.company.hire_fill_days]
        if filled:
            self.add_people([r for _, r in filled], [tm for tm, _ in filled], [t] * len(filled))
        return len(filled)

    def run(self) -> ReferenceModel:
        for _ in range(self.days):
            self.step()
        for lever in self.levers:
            lever.finish(self, self.days - 1)
        return self

    def departures(self) -> list[tuple]:
        """(day, slot, cause, firm, shock, announce day or None, destination, destination kind) of every leaver,
        by day then slot."""
        out = []
        for e in self.leavers:
            ann = e.announce_day if e.announce_day is not None and e.announce_day < self.days else None
            out.append((e.left, e.slot, CAUSES[e.cause], e.notes[0], e.notes[1], ann, e.notes[3], e.notes[4]))
        return sorted(out, key=lambda r: (r[0], r[1]))


class RefLever:
    """A retention lever (docs/ODD.md) applied person by person; `practice` levers also cover later hires."""

    PRACTICES = {
        "autonomy_charter",
        "sustainable_pace",
        "transparent_leadership",
        "counter_offers",
        "safety_governance",
    }

    def __init__(self, cfg, start_day: int):
        self.cfg, self.start_day, self.cost, self.targets, self.active = cfg, start_day, 0.0, [], False

    def targeted(self, model, e: RefEmployee) -> bool:
        return self.target_of(self.cfg.target, e)

    @staticmethod
    def target_of(target: str, e: RefEmployee) -> bool:
        """Whether a person belongs to a target group (as sim.levers.target_mask)."""
        if target == "all":
            return True
        if target == "founders":
            return e.role == FOUNDER
        if target == "senior":
            return e.role in (FOUNDER, ROLES.index("research_lead"))
        if target == "research":
            return e.unit == UNITS.index("research")
        if target == "safety_minded":
            return e.safety
        return e.role == ROLES.index(target)

    def activate(self, model) -> None:
        model.day = self.start_day
        self.targets = [e for e in model.present() if not e.immune and self.targeted(model, e)]
        self.active = True
        self.apply(model, self.targets)

    def on_hire(self, model, people) -> None:
        if self.active and self.cfg.kind in self.PRACTICES:
            new = [e for e in people if self.targeted(model, e)]
            self.targets += new
            self.apply(model, new)

    def apply(self, model, people) -> None:
        c, kind = self.cfg, self.cfg.kind
        for e in people:
            if kind == "retention_bonus":
                e.bonus, e.bonus_day = c.bonus_years_of_pay * e.pay, self.start_day + c.stay_days
                e.quit_mult = 1.0 - c.quit_cut
                if c.bonus_years_of_pay > 0:  # a $0 bonus has no payout, so no post-payout bump
                    e.milestones[4] = self.start_day + c.stay_days
            elif kind == "refresh_grants":
                e.granted = c.grant_years_of_pay * e.pay  # dollars; staff count perceived_value of them
                e.refresh, e.refresh_start = e.granted * c.perceived_value, self.start_day
                if c.grant_years_of_pay > 0 and c.grant_cliff_months:
                    e.milestones[2] = self.start_day + int(np.ceil(c.grant_cliff_months * eq.DAYS_PER_MONTH))
                if c.grant_years_of_pay > 0:
                    e.milestones[3] = self.start_day + int(np.ceil(12 * c.grant_years * eq.DAYS_PER_MONTH))
            elif kind == "autonomy_charter":  # autonomy rises with its baseline
                e.autonomy0 = min(1.0, e.autonomy0 + c.autonomy_gain)
                e.autonomy = min(1.0, e.autonomy + c.autonomy_gain)
                e.reorg_protection = c.reorg_protection
            elif kind == "sustainable_pace":
                e.rise_scale = 1.0 - c.burnout_slowdown
            elif kind == "transparent_leadership":
                e.shock_damping = c.shock_reduction
            elif kind == "counter_offers":
                e.match_prob, e.match_cap, e.match_lever = c.match_prob, c.match_cap, self  # its raises: our cost
            elif kind == "safety_governance":
                e.mission_floor = c.mission_floor
                e.mission = max(e.mission, c.mission_floor)
        if kind == "refresh_grants":
            model.refresh_schedule = (c.grant_years, c.grant_cliff_months)

    def daily(self, model, day) -> None:
        if not self.active:
            return
        c = self.cfg
        if c.cost_per_head_year:
            self.cost += c.cost_per_head_year / 365.0 * sum(e.active for e in self.targets)
        if c.kind == "retention_bonus" and day == self.start_day + c.stay_days:
            self.cost += sum(e.bonus for e in self.targets if e.active)
            for e in self.targets:
                e.bonus = 0.0
        if c.kind == "sustainable_pace" and c.throughput_cost:
            self.cost += c.throughput_cost * sum(e.pay for e in self.targets if e.active) / 365.0

    def finish(self, model, last_day) -> None:
        if self.cfg.kind == "refresh_grants":
            c = self.cfg
            for e in self.targets:
                until = min(e.left if e.left is not None else last_day + 1, last_day + 1)
                self.cost += e.granted * eq.vested_fraction(until - self.start_day, c.grant_years, c.grant_cliff_months)
