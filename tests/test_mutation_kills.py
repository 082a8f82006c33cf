"""Tests that kill the mutants the mutation run (docs/mutation.md) found alive: each checks a behaviour against a
value worked out by hand or a stated fact, not against the code's own output."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from sim.analysis import value
from sim.analysis.netvalue import COLUMNS, ratio_interval, value_columns
from sim.calibration.targets import Spec
from sim.config.bounds import check_fields
from sim.config.errors import ConfigError
from sim.config.params import FirmConfig, ShockConfig
from sim.data.observed import DataError, load_departures
from sim.model import equations as eq
from sim.schema import ROLES


def test_attrition_cost_counts_the_ramp_loss_as_one_minus_the_ramp_productivity():
    """At ramp_productivity 0.25 (not the default 0.5, where p and 1 - p agree) a successor loses 75 of 100 days."""
    v = value.ValueConfig(
        replacement=dict.fromkeys(ROLES, 0.5),
        output_multiple=2.0,
        ramp_days=100.0,
        ramp_productivity=0.25,
        knowledge=dict.fromkeys(ROLES, 0.1),
    )
    config = {"company": {"pay": dict.fromkeys(ROLES, 365_000.0), "hire_fill_days": 60}}
    runs = pd.DataFrame([value.run_record(config, pd.Series(["researcher"]))])
    # lost days = 60 + 100 * 0.75 = 135; 365,000 * (0.5 + 2 * 135 / 365 + 0.1) = 219,000 + 270,000
    assert value.attrition_cost(runs, v).iloc[0] == pytest.approx(489_000.0)


def _metrics(rows):
    cols = ("arm", "seed", "departures", "attrition_cost", "cost_total")
    m = pd.DataFrame([dict(zip(cols, r, strict=True)) for r in rows])
    return m.assign(scenario="w", run=m.arm + "-" + m.seed.astype(str))


def test_break_even_departures_averted_by_hand():
    """The baseline `base` loses 10 departures for 1,000 dollars on each seed (100 a departure) and spends 10. `p`
    averts 2 departures and 300 dollars for 450 spent (460 - 10): one averted departure is worth 150, so it breaks
    even at 3 averted and at x1.5 its effect. `q` averts nothing and spends 50: valued at the baseline's 100 a
    departure it breaks even at 0.5. `r` averts half a departure and half a dollar (worth 1) for 20: 20 averted,
    x40. `s` avoids 100 dollars but no departure, `t` a departure but no dollars: both valued at 100 a departure."""
    per_seed = [
        ("base", 10, 1000.0, 10.0),
        ("p", 8, 700.0, 460.0),
        ("t", 9, 1000.0, 20.0),
        ("s", 10, 900.0, 110.0),
        ("r", 9.5, 999.5, 30.0),
        ("q", 10, 1000.0, 60.0),
    ]
    m = _metrics([(arm, seed, *rest) for arm, *rest in per_seed for seed in (0, 1)])
    table = value_columns(m, "base", 0.8)
    assert list(table.columns) == ["policy", *COLUMNS] and list(table.policy) == [r[0] for r in per_seed]
    t = table.set_index("policy")
    assert t.loc["base", "attrition_cost"] == 1000.0 and np.isnan(t.loc["base", "breakeven_averted"])
    assert t.loc["p", ["breakeven_averted", "breakeven_x"]].tolist() == pytest.approx([3.0, 1.5])
    assert t.loc["p", ["net_value", "net_lo", "net_hi"]].tolist() == pytest.approx([-150.0] * 3)
    assert t.loc["p", ["roi", "roi_lo", "roi_hi"]].tolist() == pytest.approx([-1 / 3] * 3)  # no spread over seeds
    assert t.loc["q", "breakeven_averted"] == pytest.approx(0.5) and np.isnan(t.loc["q", "breakeven_x"])
    assert t.loc["r", ["breakeven_averted", "breakeven_x"]].tolist() == pytest.approx([20.0, 40.0])
    assert t.loc["s", "breakeven_averted"] == pytest.approx(1.0)  # 100 spent / 100
    assert t.loc["t", "breakeven_averted"] == pytest.approx(0.1) and np.isnan(t.loc["t", "breakeven_x"])


def test_the_value_intervals_follow_the_level_asked_for():
    """Avoided (100, 300) and net (50, 250) over two seeds: mean +- t(0.9, 1 df) x 100 at level 0.8 (sd 141.42,
    se 100); the ROI's delta-method interval at the same level."""
    m = _metrics(
        [("base", 0, 10, 1000.0, 0.0), ("base", 1, 10, 1000.0, 0.0), ("p", 0, 9, 900.0, 50.0), ("p", 1, 9, 700.0, 50.0)]
    )
    row = value_columns(m, "base", 0.8).set_index("policy").loc["p"]
    half = 3.0776835  # t(0.9, 1 df)
    assert (row.avoided_lo, row.avoided_hi) == pytest.approx((200 - half * 100, 200 + half * 100))
    assert (row.net_lo, row.net_hi) == pytest.approx((150 - half * 100, 150 + half * 100))
    r, lo, hi = ratio_interval([50.0, 250.0], [50.0, 50.0], 0.8)
    assert (row.roi, row.roi_lo, row.roi_hi) == pytest.approx((r, lo, hi)) and r == pytest.approx(3.0)


def test_a_default_valuation_costs_nothing():
    """ValueConfig's placeholders (conf/value/ holds the cited ones): no replacement, no knowledge, no ramp loss."""
    assert set(value.cost_per_departure(value.ValueConfig(), dict.fromkeys(ROLES, 1e5), 0.0).values()) == {0.0}


# bounds stated independently of sim/config/bounds.py (docs/reference.md, "validation"): shares in [0, 1], a shock's
# decay at least 1 day, hazard ratios in [1, 100], pay multiples in [0.1, 100]
@pytest.mark.parametrize(
    ("make", "inside", "outside"),
    [
        (lambda x: ShockConfig(autonomy_cut=x), (0.0, 1.0), (-1e-6, 1.000001)),
        (lambda x: ShockConfig(liquidity=x), (0.0, 1.0), (-1e-6, 1.000001)),
        (lambda x: ShockConfig(hazard_tau_days=x), (1.0, 3653.0), (0.999, 3653.5)),
        (lambda x: ShockConfig(acquired_ratio=x), (1.0, 100.0), (0.999, 100.001)),
        (lambda x: FirmConfig(offer_multiple=x), (0.1, 100.0), (0.0999, 100.001)),
    ],
)
def test_a_bound_holds_at_its_stated_limits_and_refuses_just_past_them(make, inside, outside):
    for x in inside:
        check_fields(make(x))
    for x in outside:
        with pytest.raises(ConfigError):
            check_fields(make(x))


def test_a_blank_required_date_in_the_record_is_an_error_not_a_missing_value(tmp_path):
    path = tmp_path / "departures.csv"
    path.write_text("announced,person,role,co_founder,source\n,A. Person,researcher,false,a report 2026-01-02\n")
    with pytest.raises(DataError, match="announced"):
        load_departures(path)


def test_late_announcements_count_from_fourteen_days_after_leaving():
    """An announcement 14 days after the departure is late, 13 days after is not (targets.LATE_DAYS)."""
    start, end = dt.date(2026, 2, 1), dt.date(2026, 2, 12)
    days = pd.date_range(start, end).date
    daily = pd.DataFrame({"date": days, "announced": 0.0})
    announced = dt.date(2026, 2, 10)
    left = [announced - dt.timedelta(days=k) for k in (0, 13, 14, 15)]
    departures = pd.DataFrame({"announced": [announced] * 4, "date": left})
    spec = Spec(start, end, bins=(), founders_day=None)
    assert spec.simulated(daily, departures)["late"] == 2.0


def test_ratio_interval_by_hand():
    # num (1, 3), den (2, 2): R = 2 / 2 = 1; residuals (-1, 1), sd sqrt 2; se = sqrt 2 / (sqrt 2 * 2) = 0.5;
    # t(0.975, 1 df) = 12.7062047, so the half-width is 6.35310236
    r, lo, hi = ratio_interval([1.0, 3.0], [2, 2], 0.95)
    assert (r, lo, hi) == pytest.approx((1.0, 1 - 6.35310236, 1 + 6.35310236))
    assert np.isnan(ratio_interval([1.0], [2.0], 0.95)[1])  # one pair: no interval
    assert np.isnan(ratio_interval([1.0, 2.0], [1.0, -1.0], 0.95)[0])  # nothing spent on average: no ratio


def test_a_run_record_without_pay_or_backfill_wait_reads_them_as_missing():
    record = value.run_record({}, pd.Series(["researcher", "researcher"]))
    assert record["left_researcher"] == 2 and record["left_operations"] == 0
    assert np.isnan(record["pay_researcher"]) and np.isnan(record["hire_fill_days"])


def test_attrition_cost_keeps_the_runs_own_index():
    v = value.ValueConfig(replacement=dict.fromkeys(ROLES, 1.0), knowledge=dict.fromkeys(ROLES, 0.0))
    config = {"company": {"pay": dict.fromkeys(ROLES, 100.0), "hire_fill_days": 0}}
    runs = pd.DataFrame([value.run_record(config, pd.Series(["engineer"] * k)) for k in (1, 3)], index=[7, 9])
    # no lost days (ramp_days 0): one replacement each, 100 x 1 per leaver
    assert value.attrition_cost(runs, v).to_dict() == {7: pytest.approx(100.0), 9: pytest.approx(300.0)}


def test_accelerated_start_before_and_at_the_cliff():
    # day 200 = 6 whole months, before a 12-month cliff: nothing vested, half of 48 months = 24 vest at once:
    # start = 200 - ceil(24 * 30.4375) = 200 - 731 = -531
    start = eq.accelerated_start(np.array([0]), 200, 4.0, 12, 0.5)
    assert start.tolist() == [-531] and start.dtype == np.int64
    # day 366 = 12 whole months, the cliff itself: 12 vested, half of the other 36 = 18 more: 30 months,
    # start = 366 - ceil(30 * 30.4375) = 366 - 914 = -548
    assert eq.accelerated_start(np.array([0]), 366, 4.0, 12, 0.5).tolist() == [-548]


def test_a_runs_statistics_by_hand():
    """Spec.simulated on a small made-up run: weekly announcements, late announcements inside the record's days,
    the founders and headcount on their days, counts with lower and upper bounds (each worked out below)."""
    d = dt.date
    start, end = d(2026, 2, 1), d(2026, 2, 12)
    days = pd.date_range(d(2026, 1, 25), d(2026, 2, 14)).date
    daily = pd.DataFrame(
        {"date": days, "announced": 1.0, "headcount": [100 + i for i in range(len(days))], "founders_remaining": 9}
    )
    daily.loc[daily.date == d(2026, 2, 10), "founders_remaining"] = 4
    rows = [  # (left, announced, role, founder)
        (d(2026, 1, 20), d(2026, 2, 3), "researcher", False),  # 14 days: late
        (d(2026, 1, 21), d(2026, 2, 3), "researcher", False),  # 13 days: not late
        (d(2026, 1, 10), d(2026, 2, 1), "researcher", False),  # late, announced on the first day
        (d(2026, 1, 10), d(2026, 1, 31), "engineer", False),  # late, but announced before the record's days
        (d(2026, 1, 1), d(2026, 2, 12), "operations", True),  # late, announced on the last day
        (d(2026, 1, 1), d(2026, 2, 13), "engineer", False),  # announced after the last day
        (d(2026, 2, 5), None, "engineer", False),  # never announced
        (d(2026, 2, 12), None, "engineer", False),  # left on the last day
        (d(2025, 12, 1), None, "researcher", True),  # a founder who left before the founders' count starts
    ]
    departures = pd.DataFrame(rows, columns=["date", "announced", "role", "founder"])
    spec = Spec(
        start,
        end,
        bins=((start, d(2026, 2, 5)), (d(2026, 2, 6), end)),
        founders_day=d(2026, 2, 10),
        headcount=(
            ("floor", d(2026, 2, 11), 200, "at_least"),
            ("met", d(2026, 2, 11), 100, "at_least"),
            ("exact", d(2026, 2, 11), 0, "exact"),
        ),  # fmt: skip
        counts=(
            ("key", start, end, "key_departures", "lower", 5),
            ("key_met", start, end, "key_departures", "lower", 0),
            ("ann", start, end, "announced", "upper", 1),
            ("ann_met", start, end, "announced", "upper", 10),
            ("fl", d(2026, 1, 1), end, "founders_left", "exact", 0),
        ),
    )
    out = spec.simulated(daily, departures)
    # 11 Feb is day 17 from 25 Jan: headcount 117; floor 200 - 117 = 83, met: 100 < 117 so 0
    # late: 14 days to 3 Feb, 22 days to 1 Feb, 42 days to 12 Feb; key departures left 1..12 Feb outside operations:
    # 5 and 12 Feb, 2 < 5 so 3 short (none short of 0); announced 1..12 Feb: 3, 3, 1 and 12 Feb = 4, one allowed: 3
    # over (none over 10); founders left 1 Jan..12 Feb: the one of 1 Jan
    assert out == {
        "ann_w1": 5.0,
        "ann_w2": 7.0,
        "late": 3.0,
        "founders": 4.0,
        "floor": 83.0,
        "met": 0.0,
        "exact": 117.0,
        "key": 3.0,
        "key_met": 0.0,
        "ann": 3.0,
        "ann_met": 0.0,
        "fl": 1.0,
    }


def test_equations_where_one_is_a_special_value():
    """Hand values at load 2 (where load x rise and rise / load part) and at teams of one (where max(., 1) bites)."""
    assert eq.burnout_equilibrium(2.0, 0.1, 0.05) == pytest.approx(0.8)  # 0.2 / (0.2 + 0.05)
    assert eq.team_gap(1, 1) == 0.0 and eq.team_gap(0, 1) == 1.0 and eq.team_gap(1, 0) == 0.0  # full; empty; none
    assert eq.contagion_share(1, 1) == 1.0  # the one tie left


@pytest.mark.parametrize(("text", "ok"), [("ramp_productivity: 1.0", True), ("ramp_days: true", False)])
def test_a_valuation_share_may_be_exactly_one_and_a_count_of_days_is_no_yes_or_no(tmp_path, text, ok):
    path = tmp_path / "v.yaml"
    path.write_text(text + "\n")
    if ok:
        assert value.load(path).ramp_productivity == 1.0
    else:
        with pytest.raises(ConfigError, match="value.ramp_days"):
            value.load(path)
