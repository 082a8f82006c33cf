"""Staffing: the founding staff, its teams and posts, and backfill hiring with each new person's state and draws."""

from __future__ import annotations

import numpy as np

from sim.model import kernel
from sim.model.agents import Employee
from sim.model.components.base import Component
from sim.model.draws import exponential_key
from sim.model.workforce import CLOCK_KEYS, HIRE_KEYS, ROLE_UNIT, SENIORITY, K, apportion, role_vector
from sim.schema import FOUNDER, ROLES, UNITS


class Staffing(Component):
    """Interface: `team_unit`, `n_teams`, `team_target`, `team_posts`, `team_role_active`, `team_active` (team tables;
    the compiled passes hold them, so they change in place), `employees`, `founders_start`, `hires_today`,
    `add_people`, `team_counts`, the role tables `*_by_role`."""

    name = "staffing"
    owns = ("team_unit", "n_teams", "team_target", "team_posts", "team_role_active", "team_active", "employees")

    def __init__(self, model, rng):
        super().__init__(model)
        p = model.p
        self.rng = rng  # the hires' own stream
        self.hires_today = 0
        self.employees: list[Employee | None] = []
        self.seniority_by_role = SENIORITY
        self.pay_by_role = role_vector(p.company.pay)
        self.grant_by_role = role_vector(p.company.grant_years_of_pay) * self.pay_by_role
        self.load_by_role = role_vector(p.dynamics.base_load)
        self.a0_by_role = role_vector(p.dynamics.autonomy_baseline)
        self.safety_by_role = role_vector(p.company.safety_minded_share)
        self._packed_counts = None
        self._hire_constants()
        self._build_staff()

    def _build_staff(self) -> None:
        if self.model.p.roster.path:  # a user's roster: its people instead of a drawn lab (sim/roster/workforce.py)
            from sim.roster.workforce import build_staff

            return build_staff(self)
        c = self.model.p.company
        shares = role_vector(c.role_mix)
        shares[FOUNDER] = 0.0
        counts = apportion(c.headcount - c.founders, shares)
        counts[FOUNDER] = c.founders
        roles = np.repeat(np.arange(len(ROLES)), counts).astype(np.int8)
        rng = self.rng
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
        self.team_posts = self.team_target.sum(1)  # posts to fill per team
        self.team_role_active = np.zeros_like(self.team_target)
        self.team_active = np.zeros(self.n_teams, dtype=np.int64)
        self._posts = np.arange(self.team_target.size)  # a (team, role) post's index, team-major

        founded = self.model.resolved.founded_day
        hired = rng.integers(min(founded, -1), 0, size=roles.size, endpoint=False).astype(np.int32)
        hired[roles == FOUNDER] = founded
        slots = self.add_people(roles, team, hired, initial=True)
        self.model.workforce.immune[slots[: c.owner_founders]] = True
        self.founders_start = int(c.founders)

    def add_people(self, roles, teams, hired, initial=False) -> np.ndarray:
        """Hire people into new slots with their per-person draws; return the slots (every component hears of them)."""
        m = self.model
        wf, count = m.workforce, len(roles)
        sl = wf.add(count)
        slots = np.arange(sl.start, sl.stop)
        keys = self.rng.random((count, len(HIRE_KEYS) + wf.n_ties))
        clock_keys = exponential_key(keys[:, CLOCK_KEYS])
        self._fill_hires(sl.start, roles, teams, hired, keys, clock_keys, initial)
        self.employees.extend([Employee(m, s) for s in range(sl.start, sl.stop)])
        for react in m.hiring:  # (the founding staff is hired before every component exists: those built hear)
            react(slots)
        return slots

    def reacts(self, hook: str) -> bool:
        return super().reacts(hook) and (hook != "step" or self.model.mech.hiring)  # no hiring: no hires, ever

    def init(self) -> None:
        self._vacancies = np.zeros(self.team_target.size, dtype=np.int64)  # the day's open posts, team-major
        self._vacancy_table = self._vacancies.reshape(self.team_target.shape)  # the same, as (team, role)

    def step(self, day: int) -> None:
        """Backfill: each vacancy (a team's unfilled post in a role) is filled today w.p. 1/hire_fill_days."""
        self.hires_today = 0
        np.subtract(self.team_target, self.team_role_active, out=self._vacancy_table)
        np.maximum(self._vacancies, 0, out=self._vacancies)
        posts = np.repeat(self._posts, self._vacancies)  # one entry per vacancy, by team then role
        if posts.size == 0:
            return
        filled = posts[self.rng.random(posts.size) < 1.0 / self.model.p.company.hire_fill_days]
        if filled.size == 0:
            return
        teams, roles = np.divmod(filled, len(ROLES))
        self.add_people(roles.astype(np.int8), teams, np.full(filled.size, day))
        self.hires_today = filled.size

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        wf = self.model.workforce
        team, role = wf.team[slot], wf.role[slot]
        self.team_role_active[team, role] -= 1
        self.team_active[team] -= 1
        if not backfill:
            self.team_target[team, role] = max(0, self.team_target[team, role] - 1)
            self.team_posts[:] = self.team_target.sum(1)  # in place: the compiled pass holds this array
        self.employees[slot].remove()
        self.employees[slot] = None

    def team_counts(self) -> tuple:
        """The team tables the passes update, packed by name once (they exist from the founding staff on and never
        move)."""
        if self._packed_counts is None:
            counts = {"role_active": self.team_role_active, "active": self.team_active}
            self._packed_counts = kernel.pack(kernel.TeamCounts, **counts)
        return self._packed_counts

    def _hire_constants(self) -> None:
        """`fill_hires`' arguments that hold for the whole run, packed by name once."""
        m = self.model
        d, pk = m.p.dynamics, kernel.pack
        self._hire_cols = pk(
            kernel.HireCols,
            safety=K["safety"],
            performer=K["high_performer"],
            forced=K["forced"],
            announce=K["announce"],
            spinout=K["spinout"],
            group=K["group"],
            n_keys=len(HIRE_KEYS),
        )
        self._hire_roles = pk(
            kernel.HireRoles,
            seniority=self.seniority_by_role,
            pay=self.pay_by_role,
            load=self.load_by_role,
            grant=self.grant_by_role,
            autonomy0=self.a0_by_role,
            safety=self.safety_by_role,
        )
        self._hire_rules = pk(
            kernel.HireRules,
            cliff_day=m.equity.cliff_day,
            final_day=m.equity.final_day,
            has_cliff=bool(m.p.vesting.cliff_months),
            mission0=float(d.mission_baseline if m.mech.mission else 1.0),
            burnout0=float(d.initial_burnout),
            rise=float(d.burnout_rise),
            recovery=float(d.burnout_recovery),
            performer_share=float(m.p.company.high_performer_share),
        )

    def _fill_hires(self, start, roles, teams, hired, keys, clock_keys, initial: bool) -> None:
        """The new slots [start, start + len(roles)) get their state (`kernel.fill_hires`)."""
        burnout_rule = 0 if not self.model.mech.burnout else 1 if initial else 2
        kernel.fill_hires(
            start,
            roles,
            teams,
            hired,
            keys,
            clock_keys,
            initial,
            burnout_rule,
            self._hire_cols,
            self._hire_roles,
            self._hire_rules,
            self.model.daily.people(kernel.HirePeople),
            self._packed_counts or self.team_counts(),
        )
