"""`step()` alone leaves a settled model: `run()`, Mesa's `run_model()` and `mesa.batch_run` agree, costs included;
batch_run's rows carry running totals, so its default last-day row is the run's total (issue 23 item 1, issue 25
item 1)."""

import mesa
import numpy as np
import pandas as pd
import pytest

import sim
from sim.config.params import model_params
from sim.model.datacollection import TO_DATE
from sim.model.lab import AttritionModel
from sim.run.results import collect
from sim.run.simulate import as_run_config
from sim.schema import CAUSES

OVERRIDES = ("company.headcount=200", "window.end=2026-03-31")


@pytest.fixture(scope="module")
def params():
    return model_params(as_run_config(sim.compose([*OVERRIDES, "policy=bundle_pay"])))


def _tables(model) -> tuple:
    r = collect(model)
    return r.daily, r.departures, r.offers, r.summary


def test_run_and_run_model_give_identical_tables_and_costs(params):
    a = AttritionModel(params, seed=4).run()
    b = AttritionModel(params, seed=4)
    b.run_model()
    da, db = _tables(a), _tables(b)
    for x, y in zip(da[:3], db[:3], strict=True):
        pd.testing.assert_frame_equal(x, y)
    assert da[3] == db[3]
    costs = da[3]["policy_cost"]
    assert costs["refresh_grants#1"] > 0  # settled by step(), not only by run()
    assert costs["counter_offers#2"] > 0


def test_batch_run_last_row_carries_the_runs_totals_and_settled_costs(params):
    rows = mesa.batch_run(
        AttritionModel, parameters={"params": [params]}, rng=[4], max_steps=10_000, display_progress=False
    )
    assert len(rows) == 1  # the default: the last day only
    row = rows[0]
    result = sim.simulate(params, seed=4)
    daily = result.daily
    assert row["departures_to_date"] == int(daily.departures.sum())
    for cause in CAUSES:
        assert row[f"departures_{cause}_to_date"] == int(daily[f"departures_{cause}"].sum())
    assert row["announced_to_date"] == int(daily.announced.sum())
    assert row["policy_cost_to_date"] == pytest.approx(result.summary["figures"]["policy_cost_total"], rel=1e-12)


def test_running_totals_are_cumulative_sums_and_the_grant_cost_grows_as_it_vests(params):
    model = AttritionModel(params, seed=4).run()
    frame = model.datacollector.get_model_vars_dataframe()
    assert set(TO_DATE) <= set(frame.columns)
    assert (frame.departures_to_date.to_numpy() == np.cumsum(frame.departures.to_numpy())).all()
    cost = frame.policy_cost_to_date.to_numpy()
    assert (np.diff(cost) >= 0).all()  # costs to date never fall
    start = (pd.Timestamp("2025-11-01").date() - model.start).days
    assert cost[start - 1] == 0.0 and cost[-1] > cost[start + 40] > 0.0  # nothing before the levers start


def test_a_forced_exit_larger_than_its_group_warns_naming_the_shock():
    """At 300 staff the xAI tutor layoff (500, operations) would empty the unit: said, by name (issue 25 item 1)."""
    p = model_params(as_run_config(sim.compose(["company.headcount=300", "window.end=2026-02-28"])))
    with pytest.warns(
        UserWarning, match=r"shock 'tutor_layoff': forced_exits=500 exceeds its target group \(\d+ people"
    ):
        model = AttritionModel(p, seed=0).run()
    ops = model.team_unit[model.workforce.team[: model.workforce.n]] == 3
    assert not (
        model.workforce.active[: model.workforce.n] & ops & (model.workforce.hired[: model.workforce.n] < 0)
    ).any()


def test_a_forced_exit_within_its_group_does_not_warn(recwarn):
    p = model_params(as_run_config(sim.compose(["company.headcount=1200", "window.end=2026-02-28"])))
    AttritionModel(p, seed=0).run()
    assert not [w for w in recwarn if "forced_exits" in str(w.message)]
