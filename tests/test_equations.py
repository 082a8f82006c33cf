"""Each equation of sim/model/equations.py against a value worked out by hand (the arithmetic is in the comments), and
checked scenarios for mechanisms that only the fingerprint guarded (issue 23 item 6): a takeover converting refresh
grants, a "senior" layoff, the burst's look-back limit, non-default valuation inputs."""

import dataclasses
from collections import namedtuple

import numpy as np
import pytest

import sim
from sim.analysis.value import ValueConfig, cost_per_departure
from sim.config.params import ShockConfig, model_params
from sim.model import equations as eq
from sim.model import kernel
from sim.model import shocks as shock_rules
from sim.model.lab import AttritionModel
from sim.run.simulate import as_run_config
from sim.schema import ROLES, SENIOR_ROLES

approx = pytest.approx


def test_annual_to_daily():
    # -ln(1 - 0.2) / 365 = 0.2231435513 / 365
    assert eq.annual_to_daily(0.2) == approx(0.000611352195, rel=1e-9)


def test_burnout_next_and_its_equilibrium():
    # 0.2 + 0.1 * 1.5 * (1 - 0.2) - 0.05 * 0.2 = 0.2 + 0.12 - 0.01
    assert eq.burnout_next(0.2, 1.5, 0.1, 0.05) == approx(0.31)
    # 0.1 * 1 / (0.1 * 1 + 0.05) = 2/3
    assert eq.burnout_equilibrium(1.0, 0.1, 0.05) == approx(2 / 3)


def test_relax_team_load_gap_and_contagion_share():
    assert eq.relax(0.4, 1.0, 0.25) == approx(0.55)  # 0.4 + 0.25 * 0.6
    assert eq.team_load(1.0, 0.5, 0.4) == approx(1.2)  # 1 + 0.5 * 0.4
    assert eq.team_gap(3, 4) == approx(0.25) and eq.team_gap(5, 4) == 0.0  # 1 - 3/4; overfull clipped to 0
    assert eq.contagion_share(2, 8) == approx(0.25) and eq.contagion_share(0, 0) == 0.0


def test_vested_fraction_cliff_and_monthly_steps():
    # a month is 365.25 / 12 = 30.4375 days; 4 years = 48 months, 12-month cliff
    days = np.array([-5, 364, 366, 730, 2000])
    # 364 d = 11.96 months -> 11 < 12: nothing; 366 d -> 12 months: 12/48; 730 d -> 23 months: 23/48; past 48: all
    assert eq.vested_fraction(days, 4.0, 12) == approx([0.0, 0.0, 0.25, 23 / 48, 1.0])
    assert eq.vested_fraction(31, 4.0, 0) == approx(1 / 48)  # no cliff: the first whole month vests


def test_accelerated_start_pulls_the_schedule_forward_by_whole_months():
    # at day 730 from a start at 0: 23 months vested, 25 to go; a quarter of 25 rounds to 6, so 29 months vest:
    # start = 730 - ceil(29 * 30.4375) = 730 - 883 = -153
    assert int(eq.accelerated_start(0, 730, 4.0, 12, 0.25)) == -153
    assert int(eq.accelerated_start(0, 730, 4.0, 12, 0.0)) == 0  # no acceleration
    assert int(eq.accelerated_start(-2000, 0, 4.0, 12, 1.0)) == -2000  # fully vested already
    assert eq.vested_fraction(730 - (-153), 4.0, 12) == approx(29 / 48)


def test_unvested_equity_window_and_shock_factors():
    assert eq.unvested_equity(100.0, 50.0, 10.0, 40.0) == approx(120.0)  # 100 + 50 + 10 - 40
    assert eq.window_factor(5, 10, 2.0) == 2.0 and eq.window_factor(10, 10, 2.0) == 1.0  # holds until the day
    assert eq.shock_factor(0.5, 0.3) == approx(1.35)  # 1 + 0.5 * (1 - 0.3)


def test_linear_predictor_hazard_and_daily_hazard():
    w = namedtuple("W", "burnout autonomy mission contagion wealth unvested")(1.0, 2.0, 3.0, 4.0, 0.5, 0.25)
    # 1*0.5 + 2*(0.5-0.3) + 3*(1-0.8) + 4*0.1 + 0.5*2 - 0.25*4 = 0.5 + 0.4 + 0.6 + 0.4 + 1 - 1
    assert eq.linear_predictor_logged(0.5, 0.3, 0.5, 0.8, 0.1, 2.0, 4.0, w) == approx(1.9)
    assert eq.hazard(0.001, 0.6931471805599453, 1.5) == approx(0.003)  # 0.001 * 2 * 1.5
    assert eq.daily_hazard(0.5) == approx(0.6931471805599453)  # -ln(1 - 0.5) = ln 2


def test_shock_excess_decays_from_its_date():
    # 2 * exp(-30/30) = 2 / e
    assert eq.shock_excess(np.array([-1, 0, 30]), 2.0, 30.0) == approx([0.0, 2.0, 0.7357588823])


def test_offer_advantage_and_logistic():
    c = namedtuple("C", "intercept pay unvested autonomy mission burnout")(-1.0, 2.0, 0.5, 1.0, 1.0, 1.0)
    # -1 + 2 ln 2 + 0.2 - 0.5 ln 2 - 0.5 - 0.5 + 0.4 = -1.4 + 1.5 * 0.693147 = -0.360279
    assert eq.offer_advantage(2.0, 0.2, 1.0, 0.5, 0.5, 0.4, c) == approx(-0.3602792292)
    assert eq.logistic(0.0) == 0.5 and eq.logistic(1.0986122886681098) == approx(0.75)  # 1 / (1 + 1/3)


# ---------------------------------------------------------------- checked scenarios


def _model(*overrides: str, seed: int = 0) -> AttritionModel:
    return AttritionModel(model_params(as_run_config(sim.compose(["company.headcount=200", *overrides]))), seed=seed)


def test_a_takeover_converts_refresh_grants_as_well_as_main_grants():
    model = _model("events=none", "window.end=2025-10-31")
    wf, n = model.workforce, model.workforce.n
    wf.refresh[:n] = 1000.0
    grant, refresh = wf.grant[:n].copy(), wf.refresh[:n].copy()
    takeover = ShockConfig(date="2025-09-01", acquired=True, conversion=0.5)
    shock_rules.change_of_control(model, takeover, 10)
    act = wf.active[:n]
    assert wf.refresh[:n][act] == approx(0.5 * refresh[act])
    assert wf.grant[:n][act] == approx(0.5 * grant[act])


def test_a_senior_layoff_removes_the_most_senior_first():
    model = _model("events=none", "window.end=2025-10-31")
    wf, n = model.workforce, model.workforce.n
    layoff = ShockConfig(forced_exits=6, forced_rule="senior")
    chosen = shock_rules.forced_exit_slots(model, layoff)
    eligible = np.flatnonzero(wf.active[:n] & ~wf.immune[:n])
    assert chosen.size == 6
    assert wf.seniority[chosen].min() >= np.sort(wf.seniority[eligible])[::-1][5]  # the six highest seniorities
    assert np.isin(wf.role[chosen], SENIOR_ROLES).all()
    randomly = shock_rules.forced_exit_slots(model, dataclasses.replace(layoff, forced_rule="random"))
    assert wf.seniority[randomly].mean() < wf.seniority[chosen].mean()


def _close(lookback: int, left_day: int) -> float:
    """One waiting leaver who left on `left_day`, a burst of 5 announcements yesterday: its burst clock today."""
    people = kernel.ClosePeople(
        announce_day=np.array([10_000, 0], dtype=np.int32),
        left=np.array([left_day, 0], dtype=np.int32),
        burst_clock=np.zeros(2),
        burst_key=np.array([np.inf, np.inf]),
        role=np.array([2, 2], dtype=np.int8),
    )
    table = np.zeros((201, len(kernel.TableCols._fields) + 20))
    cols = kernel.TableCols(headcount=0, hires=1, departures=2, first_cause=3, last_cause=6, announced=7,
                            founders=8, remaining=9)  # fmt: skip
    table[199, 7] = 5.0  # five announcements yesterday
    counts = kernel.TeamCounts(role_active=np.zeros((1, len(ROLES)), dtype=np.int64), active=np.zeros(1, np.int64))
    burst = kernel.Burst(gain=0.1, window=7, lookback=lookback)
    args = (tuple(burst), tuple(people), tuple(counts), 0, tuple(cols), np.zeros(table.shape[1]), table)
    kernel.close_day(200, 0, np.array([0]), *args)
    return float(people.burst_clock[0])


def test_the_burst_reaches_only_leavers_within_the_look_back():
    assert _close(lookback=120, left_day=150) == approx(0.5)  # gain 0.1 x 5 announcements
    assert _close(lookback=120, left_day=79) == 0.0  # left 121 days ago: past the look-back
    assert _close(lookback=120, left_day=80) == approx(0.5)  # exactly 120 days ago: still reached


def test_cost_per_departure_with_non_default_valuation_inputs():
    v = ValueConfig(
        replacement=dict.fromkeys(ROLES, 0.5),
        output_multiple=2.0,
        ramp_days=100.0,
        ramp_productivity=0.25,
        knowledge=dict.fromkeys(ROLES, 0.1),
    )
    pay = dict.fromkeys(ROLES, 365_000.0)
    # lost days = 60 + 100 * (1 - 0.25) = 135; cost = 365,000 * (0.5 + 2 * 135 / 365 + 0.1) = 219,000 + 270,000
    assert cost_per_departure(v, pay, 60.0)["researcher"] == approx(489_000.0)
