"""The model's founding staff taken from a roster: the people present on `roster.as_of`, with their role, team,
tenure, pay, equity (vesting from their hire date) and manager ties. Called by the model where it would draw a lab."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.roster.config import as_of, read
from sim.schema import FOUNDER, ROLE_UNIT, ROLES


@dataclass(frozen=True)
class Staff:
    """Arrays of the people present, one entry each, in roster order."""

    role: np.ndarray  # int8 role codes
    team: np.ndarray  # int32 team numbers, 0..n_teams-1
    team_unit: np.ndarray  # each team's unit (that of most of its members)
    hired: np.ndarray  # int32 day numbers (day 0: the day after as_of)
    pay: np.ndarray
    grant: np.ndarray  # equity grant in dollars (NaN: the role's default)
    manager: np.ndarray  # int64 index of the manager among the present, or -1


def staff(params) -> Staff:
    """The roster's people on its as_of date as the model's arrays."""
    roster = read(params)
    on = as_of(roster, params.roster.as_of)
    present = roster.present(on).reset_index(drop=True)
    role = present["role"].map(ROLES.index).to_numpy(np.int8)
    team_codes, team_names = pd.factorize(present["team"], sort=True)
    units = np.asarray(ROLE_UNIT)[role]
    team_unit = np.array(
        [np.bincount(units[team_codes == k], minlength=4).argmax() for k in range(len(team_names))], dtype=np.int64
    )
    start = pd.Timestamp(on + dt.timedelta(days=1))
    hired = ((present["hire_date"] - start).dt.days).to_numpy(np.int32)
    position = pd.Series(np.arange(len(present)), index=present["id"])
    manager = present["manager_id"].map(position).fillna(-1).to_numpy(np.int64)
    return Staff(
        role=role,
        team=team_codes.astype(np.int32),
        team_unit=team_unit,
        hired=hired,
        pay=present["annual_pay"].to_numpy(float),
        grant=present["equity_value"].to_numpy(float),
        manager=manager,
    )


def build_staff(staffing) -> None:
    """The model's hook (`Staffing._build_staff`, sim/model/components/staffing.py): the team tables and the founding
    staff from the roster, in place of a lab drawn from conf/company. Per-person draws (keys, ties) still come from
    the model's generator."""
    model = staffing.model
    s = staff(model.p)
    staffing.team_unit = s.team_unit
    staffing.n_teams = int(s.team_unit.size)
    staffing.team_target = np.zeros((staffing.n_teams, len(ROLES)), dtype=np.int64)
    np.add.at(staffing.team_target, (s.team, s.role), 1)
    staffing.team_target[:, FOUNDER] = 0  # founders are not replaced
    staffing.team_posts = staffing.team_target.sum(1)
    staffing.team_role_active = np.zeros_like(staffing.team_target)
    staffing.team_active = np.zeros(staffing.n_teams, dtype=np.int64)
    staffing._posts = np.arange(staffing.team_target.size)
    slots = staffing.add_people(s.role, s.team, s.hired, initial=True)
    wf = model.workforce
    wf.pay[slots] = s.pay
    years = np.array([model.p.company.grant_years_of_pay[r] for r in ROLES])[s.role]
    wf.grant[slots] = np.where(np.isnan(s.grant), years * s.pay, s.grant)
    managed = s.manager >= 0
    if wf.n_ties and managed.any():  # a manager tie takes the first cross-team tie's place
        wf.ties[slots[managed], 0] = slots[s.manager[managed]]
    staffing.founders_start = int((s.role == FOUNDER).sum())
