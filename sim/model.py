"""AttritionModel: a frontier lab's workforce, one step per calendar day.

Employees are Mesa agents whose numbers live in arrays (`Workforce`), updated in
bulk each day; departures, hires, firms and shocks are per-agent discrete events.

Random numbers: three generators spawned from `model.rng` (daily, hires, events).
The daily stream draws a fixed (slots x 5) block every day, so under common random
numbers person i sees the same uniforms whatever another policy did to others.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import mesa
import numpy as np

from . import equations as eq
from . import shocks as shock_rules
from .agents import Employee, Firm, Spinout
from .params import ROLES, UNITS, ModelParams, parse_date, validate
from .policies import LEVERS, CounterOffers
from .workforce import NEVER, Workforce

CAUSES = ("voluntary", "poached", "spinout", "forced")
VOLUNTARY, POACHED, SPINOUT, FORCED = range(4)
FOUNDER = ROLES.index("co_founder")
ROLE_UNIT = np.array(
    [UNITS.index(u) for u in ("research", "research", "research", "engineering", "product", "operations")]
)
SENIORITY = np.array([1.0, 0.8, 0.5, 0.4, 0.4, 0.1])  # assumption: co-founder .. operations
U_QUIT, U_OFFER, U_ACCEPT, U_COUNTER, U_ANNOUNCE = range(5)

DAILY_COLUMNS = (
    "headcount",
    "hires",
    "departures",
    *(f"departures_{c}" for c in CAUSES),
    "announced",
    "announced_founders",
    "founders_remaining",
    "mean_burnout",
    "mean_autonomy",
    "mean_mission",
    "offers_made",
    "offers_accepted",
    "offers_countered",
)


def _role_vector(table: dict[str, float]) -> np.ndarray:
    return np.array([float(table.get(r, 0.0)) for r in ROLES])


def _apportion(total: int, shares: np.ndarray) -> np.ndarray:
    """Split an integer total by shares, largest remainders first (deterministic)."""
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out


class AttritionModel(mesa.Model):
    """The lab over a calendar window; `run()` steps it day by day to the window's end."""

    def __init__(self, params: ModelParams, seed: int = 0):
        super().__init__(rng=seed)
        self.p = p = validate(params)
        self.seed = seed
        self.mech = p.mechanisms
        self.start = parse_date(p.window.start, "window.start")
        self.end = parse_date(p.window.end, "window.end")
        self.days = (self.end - self.start).days + 1
        self.day = 0
        self._daily, self._hire_rng, self._event_rng = self.rng.spawn(3)

        self.h0 = float(eq.annual_to_daily(p.hazard.base_annual))
        self.shock_excess = np.zeros(self.days)
        self.refresh_schedule = (4.0, 0)
        self._cliff_day, self._final_day = self.milestone_days(0, p.vesting.years, p.vesting.cliff_months)

        # role tables as vectors indexed by role code
        self.pay_by_role = _role_vector(p.company.pay)
        self.grant_by_role = _role_vector(p.company.grant_years_of_pay) * self.pay_by_role
        self.load_by_role = _role_vector(p.dynamics.base_load)
        self.a0_by_role = _role_vector(p.dynamics.autonomy_baseline)
        self.safety_by_role = _role_vector(p.company.safety_minded_share)
        self.announce_by_role = _role_vector(p.observation.announce_prob)
        self.delay_by_role = _role_vector(p.observation.delay_mean_days)

        self.workforce = Workforce(capacity=int(p.company.headcount * 1.6) + 16, n_ties=p.company.cross_ties)
        self.employees: list[Employee | None] = []
        self.departure_notes: dict[int, tuple[str, str, float]] = {}  # slot -> (firm, shock, shock share)
        self._build_staff()

        W = p.hazard.contagion_window_days
        self._ring = np.zeros((W + 1, self.n_teams), dtype=np.int64)
        self._team_recent = np.zeros(self.n_teams, dtype=np.int64)

        self.firms: list[Firm] = []
        if self.mech.poaching:
            self._build_firms()
        self.spinouts_founded = 0

        self._scheduled = []  # Mesa holds event callbacks weakly; keep them alive here
        self.levers = []
        for lev in p.policy.levers:
            day = (parse_date(lev.start, "policy.start") - self.start).days if lev.start else 0
            lever = LEVERS[lev.kind](lev, day)
            self.levers.append(lever)
            self._at(day + 0.25, partial(self._activate_lever, lever))
        self.counter_lever = next((lv for lv in self.levers if isinstance(lv, CounterOffers)), None)

        if self.mech.shocks:
            for i, shock in enumerate(p.shocks):
                day = (parse_date(shock.date, f"shocks[{i}].date") - self.start).days
                if day < 0:
                    shock_rules.fire(self, shock, i, day)
                else:
                    self._at(day + 0.5, partial(shock_rules.fire, self, shock, i, day))

        self._daily_table = np.zeros((self.days, len(DAILY_COLUMNS)))
        self._offers_log: list[tuple[int, str, int, int]] = []
        self._today = np.zeros(len(DAILY_COLUMNS))

    # ------------------------------------------------------------------ construction

    def milestone_days(self, start_day: int, years: float, cliff_months: int) -> tuple[int, int]:
        """Day indices of a grant's cliff and of its last vesting date."""
        cliff = start_day + int(np.ceil(cliff_months * eq.DAYS_PER_MONTH))
        final = start_day + int(np.ceil(12 * years * eq.DAYS_PER_MONTH))
        return cliff, final

    def _build_staff(self) -> None:
        c = self.p.company
        shares = _role_vector(c.role_mix)
        shares[FOUNDER] = 0.0
        counts = _apportion(c.headcount - c.founders, shares)
        counts[FOUNDER] = c.founders
        roles = np.repeat(np.arange(len(ROLES)), counts).astype(np.int8)
        rng = self._hire_rng
        rng.shuffle(roles[c.founders :])

        # teams: each unit's members in chunks of team_size; founders lead the first research teams
        team = np.zeros(roles.size, dtype=np.int32)
        team_unit, next_team = [], 0
        for u in range(len(UNITS)):
            members = np.flatnonzero((ROLE_UNIT[roles] == u) & (roles != FOUNDER))
            k = max(1, int(np.ceil(members.size / c.team_size))) if members.size or u == 0 else 0
            team[members] = next_team + np.arange(members.size) % max(k, 1)
            if u == 0:
                founders = np.flatnonzero(roles == FOUNDER)
                team[founders] = next_team + np.arange(founders.size) % max(k, 1)
            team_unit += [u] * k
            next_team += k
        self.team_unit = np.array(team_unit, dtype=np.int64)
        self.n_teams = next_team
        self.team_target = np.zeros((self.n_teams, len(ROLES)), dtype=np.int64)
        np.add.at(self.team_target, (team, roles), 1)
        self.team_target[:, FOUNDER] = 0  # founders are not replaced
        self.team_role_active = np.zeros_like(self.team_target)
        self.team_active = np.zeros(self.n_teams, dtype=np.int64)

        founded = (parse_date(c.founded, "company.founded") - self.start).days
        hired = rng.integers(min(founded, -1), 0, size=roles.size, endpoint=False).astype(np.int32)
        hired[roles == FOUNDER] = founded
        slots = self._add_people(roles, team, hired, initial=True)
        self.workforce.immune[slots[: c.owner_founders]] = True
        self.founders_start = int(c.founders)

    def _add_people(self, roles, teams, hired, initial=False) -> np.ndarray:
        """Hire people into new slots with their per-person draws; return the slots."""
        wf, rng, count = self.workforce, self._hire_rng, len(roles)
        sl = wf.add(count)
        slots = np.arange(sl.start, sl.stop)
        wf.active[sl] = True
        wf.role[sl] = roles
        wf.team[sl] = teams
        wf.hired[sl] = hired
        wf.seniority[sl] = SENIORITY[roles]
        wf.pay[sl] = self.pay_by_role[roles]
        wf.load[sl] = self.load_by_role[roles]
        wf.grant[sl] = self.grant_by_role[roles]
        wf.grant_start[sl] = hired
        wf.milestones[sl, 0] = hired + self._cliff_day if self.p.vesting.cliff_months else NEVER
        wf.milestones[sl, 1] = hired + self._final_day
        a0 = self.a0_by_role[roles]
        wf.autonomy0[sl] = a0
        wf.autonomy[sl] = a0
        wf.mission[sl] = self.p.dynamics.mission_baseline if self.mech.mission else 1.0
        d = self.p.dynamics
        if not self.mech.burnout:
            wf.burnout[sl] = 0.0
        elif initial:
            wf.burnout[sl] = eq.burnout_equilibrium(wf.load[sl], d.burnout_rise, d.burnout_recovery)
        else:
            wf.burnout[sl] = d.initial_burnout
        keys = rng.random((count, 7))
        wf.safety[sl] = keys[:, 0] < self.safety_by_role[roles]
        wf.high_performer[sl] = keys[:, 1] < self.p.company.high_performer_share
        wf.key_forced[sl] = keys[:, 2]
        wf.key_announce[sl] = keys[:, 3]
        wf.key_delay[sl] = -np.log1p(-keys[:, 4])  # Exp(1)
        wf.key_spinout[sl] = keys[:, 5]
        wf.key_group[sl] = keys[:, 6]
        k = wf.n_ties
        if k:
            pool = np.flatnonzero(wf.active[: wf.n]) if not initial else slots
            pick = rng.integers(0, max(pool.size - 1, 1), size=(count, k))
            own = np.searchsorted(pool, slots)  # skip self by shifting picks at or past it
            pick = pick + (pick >= own[:, None])
            wf.ties[sl] = pool[np.minimum(pick, pool.size - 1)]
        np.add.at(self.team_role_active, (teams, roles), 1)
        np.add.at(self.team_active, teams, 1)
        self.employees.extend(Employee(self, int(s)) for s in slots)
        for lever in getattr(self, "levers", ()):
            lever.on_hire(self, slots)
        return slots

    def _build_firms(self) -> None:
        wf = self.workforce
        staff = wf.role[: wf.n][~wf.immune[: wf.n]]
        per_role = np.bincount(staff, minlength=len(ROLES))
        for f in self.p.firms:
            w = _role_vector(f.role_weights)
            norm = float((w * per_role).sum())
            prob = f.offers_per_year / 365.0 * w / norm if norm > 0 else np.zeros(len(ROLES))
            self.firms.append(Firm(self, f.name, prob, f.offer_multiple, f.culture))

    # ------------------------------------------------------------------ state queries

    def vested_value(self, slots: np.ndarray, at_day: int | None = None) -> np.ndarray:
        """Dollars vested from the main and refresh grants at a day (default today)."""
        wf, t = self.workforce, self.day if at_day is None else at_day
        v = self.p.vesting
        main = wf.grant[slots] * eq.vested_fraction(t - wf.grant_start[slots], v.years, v.cliff_months)
        ry, rc = self.refresh_schedule
        refresh = wf.refresh[slots] * eq.vested_fraction(t - wf.refresh_start[slots], ry, rc)
        return main + refresh

    def unvested_value(self, slots: np.ndarray) -> np.ndarray:
        """Dollars of equity still to vest, plus any retention bonus pending."""
        wf = self.workforce
        return wf.grant[slots] + wf.refresh[slots] - self.vested_value(slots) + wf.bonus[slots]

    def add_shock_excess(self, day: int, amp: float, tau: float) -> None:
        self.shock_excess += shock_rules.excess_series(self.days, day, amp, tau)

    @property
    def date(self) -> dt.date:
        return self.start + dt.timedelta(days=self.day)

    # ------------------------------------------------------------------ events

    def _at(self, time: float, fn) -> None:
        self._scheduled.append(fn)
        self.schedule_event(fn, at=time)

    def _activate_lever(self, lever) -> None:
        self.day = lever.start_day
        lever.activate(self)

    def depart(
        self, slot: int, cause: int, firm: str = "", shock: str = "", shock_share: float = 0.0, backfill: bool = True
    ) -> None:
        """Record one departure and remove the employee agent."""
        wf, t = self.workforce, self.day
        wf.active[slot] = False
        wf.left[slot] = t
        wf.cause[slot] = cause
        team, role = wf.team[slot], wf.role[slot]
        self.team_role_active[team, role] -= 1
        self.team_active[team] -= 1
        if not backfill:
            self.team_target[team, role] = max(0, self.team_target[team, role] - 1)
        if cause != FORCED:  # contagion spreads through choices to leave, not through layoffs
            self._ring[t % self._ring.shape[0], team] += 1
            self._team_recent[team] += 1
        self.departure_notes[slot] = (firm, shock, shock_share)
        self._today[DAILY_COLUMNS.index(f"departures_{CAUSES[cause]}")] += 1
        p = self.announce_by_role[role]
        if wf.key_announce[slot] < p:
            wf.announce_day[slot] = t + int(np.ceil(self.delay_by_role[role] * wf.key_delay[slot]))
        self.employees[slot].remove()
        self.employees[slot] = None
        if cause == VOLUNTARY and self.mech.spinouts:
            self._maybe_spin_out(slot)

    def _maybe_spin_out(self, slot: int) -> None:
        s, wf = self.p.spinout, self.workforce
        if ROLES[wf.role[slot]] not in s.founder_roles or wf.key_spinout[slot] >= s.founder_prob:
            return
        n = wf.n
        targets = np.flatnonzero(wf.active[:n] & ~wf.immune[:n] & (wf.team[:n] == wf.team[slot]))
        if wf.n_ties:
            ties = wf.ties[slot]
            targets = np.union1d(targets, ties[wf.active[ties] & ~wf.immune[ties]])
        if targets.size == 0:
            return
        span = s.group_max - s.group_min + 1
        recruits = s.group_min - 1 + int(wf.key_group[slot] * span)
        self.spinouts_founded += 1
        name = f"spinout-{self.spinouts_founded}"
        self.firms.append(
            Spinout(
                self,
                name,
                slot,
                targets,
                s.offers_per_day,
                s.offer_multiple,
                s.culture,
                recruits,
                self.day + s.recruit_days,
            )
        )

    # ------------------------------------------------------------------ the daily step

    def step(self) -> None:
        t = self.day = self.steps - 1
        wf, n, p = self.workforce, self.workforce.n, self.p
        act = wf.active[:n]
        slot_ring = t % self._ring.shape[0]
        self._team_recent -= self._ring[slot_ring]
        self._ring[slot_ring] = 0

        b, a, m = self._update_wellbeing(n)
        unvested_years, bump = self._equity(n, t)
        wealth_years = wf.wealth[:n] / wf.pay[:n] if self.mech.wealth else 0.0
        contagion = self._contagion(n, t) if self.mech.contagion else 0.0
        eta = eq.linear_predictor(b, a, wf.autonomy0[:n], m, contagion, wealth_years, unvested_years, p.hazard)
        shock_factor = 1.0 + self.shock_excess[t] * (1.0 - wf.shock_damping[:n])
        mult = (
            shock_factor
            * np.where(t < wf.acq_until[:n], wf.acq_mult[:n], 1.0)
            * np.where(t < wf.surv_until[:n], wf.surv_mult[:n], 1.0)
            * np.where(t < wf.bonus_day[:n], wf.quit_mult[:n], 1.0)
            * bump
        )
        h = eq.hazard(self.h0, eta, mult)
        u = self._daily.random((n, 5))
        eligible = act & ~wf.immune[:n]

        poached = self._poach(n, t, u, eligible, unvested_years, a, m, b) if self.firms else ()
        quits = eligible & (u[:, U_QUIT] < eq.event_probability(h))
        if len(poached):
            quits[poached] = False
        for slot in np.flatnonzero(quits):
            self.depart(int(slot), VOLUNTARY, shock_share=float(1.0 - 1.0 / shock_factor[slot]))

        for lever in self.levers:
            lever.daily(self, t)
        self._announce(n, t, u)
        hires = self._hire(t) if self.mech.hiring else 0
        self._record(t, hires)

    def _update_wellbeing(self, n):
        wf, d = self.workforce, self.p.dynamics
        if self.mech.burnout:
            gap = np.clip(1.0 - self.team_active / np.maximum(self.team_target.sum(1), 1), 0.0, 1.0)
            load = eq.team_load(wf.load[:n], d.shortstaff_load, gap[wf.team[:n]])
            wf.burnout[:n] = eq.burnout_next(
                wf.burnout[:n], load, d.burnout_rise * wf.rise_scale[:n], d.burnout_recovery
            )
        if self.mech.autonomy:
            wf.autonomy[:n] = eq.relax(wf.autonomy[:n], wf.autonomy0[:n], d.autonomy_drift)
        if self.mech.mission:
            wf.mission[:n] = np.maximum(
                eq.relax(wf.mission[:n], d.mission_baseline, d.mission_recovery), wf.mission_floor[:n]
            )
        return wf.burnout[:n], wf.autonomy[:n], wf.mission[:n]

    def _equity(self, n, t):
        if not self.mech.vesting:
            return 0.0, 1.0
        wf, v = self.workforce, self.p.vesting
        slots = slice(0, n)
        unvested = wf.grant[slots] + wf.refresh[slots] + wf.bonus[slots] - self.vested_value(slots)
        since = t - wf.milestones[:n]
        in_bump = ((since >= 0) & (since < v.bump_days)).any(axis=1)
        return unvested / wf.pay[:n], np.where(in_bump, v.bump, 1.0)

    def _contagion(self, n, t):
        """Share of each person's ties (teammates and cross-team ties) who left in the window."""
        wf = self.workforce
        team = wf.team[:n]
        recent_team = self._team_recent[team]
        ties_total = self.team_active[team] - 1 + recent_team
        left = recent_team.astype(np.float64)
        if wf.n_ties:
            window = t - self.p.hazard.contagion_window_days
            recent = ~wf.active[:n] & (wf.left[:n] >= window) & (wf.cause[:n] != FORCED)
            left = left + recent[wf.ties[:n]].sum(axis=1)
            ties_total = ties_total + wf.n_ties
        return left / np.maximum(ties_total, 1)

    def _poach(self, n, t, u, eligible, unvested_years, a, m, b):
        firms = [f for f in self.firms if not isinstance(f, Spinout) or f.recruiting]
        if not firms:
            return ()
        wf = self.workforce
        cum = np.cumsum(np.stack([f.offer_probs(n) for f in firms]), axis=0)
        uo = u[:, U_OFFER]
        offered = np.flatnonzero(eligible & (uo < cum[-1]))
        if offered.size == 0:
            return ()
        which = (uo[offered][None, :] >= cum[:, offered]).sum(axis=0)
        multiple = np.array([f.offer_multiple for f in firms])[which]
        culture = np.array([f.culture for f in firms])[which]
        uv = unvested_years[offered] if np.ndim(unvested_years) else unvested_years
        delta = eq.offer_advantage(multiple, culture, uv, a[offered], m[offered], b[offered], self.p.choice)
        matched = u[offered, U_COUNTER] < wf.match_prob[offered]
        raise_to = np.minimum(multiple, wf.match_cap[offered])
        delta = np.where(matched, delta - self.p.choice.pay * np.log(raise_to), delta)
        accepted = u[offered, U_ACCEPT] < eq.logistic(delta)
        out = []
        for j, slot in enumerate(offered):
            firm = firms[which[j]]
            firm.offers_made += 1
            self._today[DAILY_COLUMNS.index("offers_made")] += 1
            if matched[j]:
                self._today[DAILY_COLUMNS.index("offers_countered")] += 1
            if accepted[j] and isinstance(firm, Spinout) and firm.recruits_left <= 0:
                accepted[j] = False  # the startup filled its places earlier today
            if accepted[j]:
                firm.offers_accepted += 1
                self._today[DAILY_COLUMNS.index("offers_accepted")] += 1
                out.append(slot)
                if isinstance(firm, Spinout):
                    firm.recruits_left -= 1
                    self.depart(int(slot), SPINOUT, firm=firm.name)
                else:
                    self.depart(int(slot), POACHED, firm=firm.name)
            elif matched[j] and raise_to[j] > 1:
                extra = wf.pay[slot] * (raise_to[j] - 1.0)
                self.counter_lever.cost += extra * (self.days - t) / 365.0
                wf.pay[slot] += extra
        for firm in firms:
            if firm.offers_made:
                self._offers_log.append((t, firm.name, firm.offers_made, firm.offers_accepted))
                firm.offers_made = firm.offers_accepted = 0
        return np.array(out, dtype=np.int64)

    def _announce(self, n, t, u):
        """Public announcements: scheduled ones fall due; a recent burst makes leavers who would post later post now."""
        wf, o = self.workforce, self.p.observation
        gone = ~wf.active[:n]
        if o.burst_gain and t > 0:
            col = DAILY_COLUMNS.index("announced")
            recent = self._daily_table[max(0, t - o.burst_window_days) : t, col].sum()
            if recent:
                q = -np.expm1(-o.burst_gain * recent)
                waiting = (wf.announce_day[:n] > t) & (wf.announce_day[:n] < NEVER)
                late = gone & waiting & (wf.left[:n] >= t - o.lookback_days)
                wf.announce_day[:n][late & (u[:, U_ANNOUNCE] < q)] = t
        today = gone & (wf.announce_day[:n] == t)
        self._today[DAILY_COLUMNS.index("announced")] = today.sum()
        self._today[DAILY_COLUMNS.index("announced_founders")] = (today & (wf.role[:n] == FOUNDER)).sum()

    def _hire(self, t) -> int:
        vacancies = np.maximum(self.team_target - self.team_role_active, 0)
        if not vacancies.any():
            return 0
        k = self._hire_rng.binomial(vacancies, 1.0 / self.p.company.hire_fill_days)
        teams, roles = np.nonzero(k)
        if teams.size == 0:
            return 0
        reps = k[teams, roles]
        self._add_people(np.repeat(roles, reps).astype(np.int8), np.repeat(teams, reps), np.full(reps.sum(), t))
        return int(reps.sum())

    def _record(self, t, hires) -> None:
        wf, n = self.workforce, self.workforce.n
        act = wf.active[:n]
        headcount = act.sum()
        row = self._today
        row[DAILY_COLUMNS.index("headcount")] = headcount
        row[DAILY_COLUMNS.index("hires")] = hires
        row[DAILY_COLUMNS.index("departures")] = sum(row[DAILY_COLUMNS.index(f"departures_{c}")] for c in CAUSES)
        row[DAILY_COLUMNS.index("founders_remaining")] = (act & (wf.role[:n] == FOUNDER)).sum()
        if headcount:
            row[DAILY_COLUMNS.index("mean_burnout")] = wf.burnout[:n] @ act / headcount
            row[DAILY_COLUMNS.index("mean_autonomy")] = wf.autonomy[:n] @ act / headcount
            row[DAILY_COLUMNS.index("mean_mission")] = wf.mission[:n] @ act / headcount
        self._daily_table[t] = row
        self._today = np.zeros(len(DAILY_COLUMNS))

    def run(self) -> AttritionModel:
        """Step through every day of the window."""
        for _ in range(self.days):
            self.step()
        for lever in self.levers:
            lever.finish(self, self.days - 1)
        return self
