"""Mesa's own tools on the model: its DataCollector, `mesa.batch_run` with plain keyword parameters."""

import mesa
import numpy as np
import pandas as pd
import pytest

import sim
from sim.config.load import as_run_config
from sim.config.params import model_params
from sim.model.agents import Employee, Firm, Spinout
from sim.model.lab import AttritionModel

OVERRIDES = ("company.headcount=300",)


@pytest.fixture(scope="module")
def params():
    return model_params(as_run_config(sim.compose(list(OVERRIDES))))


def _rows(rows, columns) -> pd.DataFrame:
    return pd.DataFrame(rows)[list(columns)].reset_index(drop=True)


def test_batch_run_rows_equal_the_daily_table_of_the_same_seed(params):
    rows = mesa.batch_run(
        AttritionModel,
        parameters={"params": [params]},
        rng=[3, 4],
        max_steps=10_000,  # the model stops itself at the window's end
        data_collection_period=1,
        display_progress=False,
    )
    got = pd.DataFrame(rows)
    for seed in (3, 4):
        daily = sim.simulate(params, seed=seed).daily
        mine = got[got.seed == seed]
        assert list(mine.Step) == [float(s) for s in range(1, len(daily) + 1)]  # Step s holds day s - 1
        pd.testing.assert_frame_equal(_rows(mine.to_dict("records"), daily.columns), daily)


def test_batch_run_varies_plain_keyword_parameters(compose):
    rows = mesa.batch_run(
        AttritionModel,
        parameters={"policy": ["none", "retention_bonus"], "company__headcount": 300},
        rng=[5],
        max_steps=10_000,
        display_progress=False,
    )
    assert len(rows) == 2  # the end of each run (data_collection_period=-1)
    for row in rows:
        daily = sim.simulate(compose(*OVERRIDES, f"policy={row['policy']}", "seed=5")).daily
        assert row["Step"] == len(daily)
        assert {c: row[c] for c in daily.columns} == daily.iloc[-1].to_dict()
    # the policy reached the model: the two runs end in different states (else the loop above proves nothing)
    state = [c for c in daily.columns if c not in ("date", "seed")]
    assert [rows[0][c] for c in state] != [rows[1][c] for c in state]


def test_keyword_constructor_equals_the_params_constructor(params):
    a = AttritionModel(overrides=list(OVERRIDES), seed=2).run()
    b = AttritionModel(params, seed=2).run()
    assert np.array_equal(a._daily_table, b._daily_table)
    c = AttritionModel(company__headcount=300, seed=2).run()
    assert np.array_equal(c._daily_table, b._daily_table)


def test_agent_type_reporters_work_with_firms_present(params):
    model = AttritionModel(params, seed=0, agent_every=30)
    assert model.agents_by_type[Firm]  # rival firms are agents of the model
    model.run()
    dc = model.datacollector
    daily = dc.get_model_vars_dataframe()
    emp = dc.get_agenttype_vars_dataframe(Employee)
    firms = dc.get_agenttype_vars_dataframe(Firm)
    steps = sorted(emp.index.get_level_values("Step").unique())
    assert steps == [float(day + 1) for day in sorted({*range(0, model.days, 30), model.days - 1})]
    for step in steps:
        day = daily.iloc[int(step) - 1]
        people = emp.loc[step]
        # the employees recorded that day are the lab's headcount, and their mean burnout is the table's
        assert len(people) == day.headcount
        assert people.burnout.mean() == pytest.approx(day.mean_burnout, rel=1e-9)
        assert set(people.role) <= {"co_founder", "research_lead", "researcher", "engineer", "product", "operations"}
        assert len(firms.loc[step]) == len(model.rivals)
    if model.spinouts_founded:
        spin = dc.get_agenttype_vars_dataframe(Spinout)
        assert spin.founder.notna().all()


def test_a_plain_run_collects_nothing_until_read(params):
    model = AttritionModel(params, seed=1).run()
    assert model._collector is None  # the default path pays nothing for the collector
    assert len(model.datacollector.get_model_vars_dataframe()) == model.days
    assert len(model.datacollector.get_model_vars_dataframe()) == model.days  # reading again adds nothing


def test_run_model_stops_at_the_window_end(params):
    model = AttritionModel(params, seed=1)
    model.run_model()
    assert model.steps == model.days and not model.running


def test_the_collector_holds_each_day_once_even_past_the_window():
    """The dashboard's model accepts steps past its last day (Mesa counts them); the collector stops at the window."""
    from sim.dashboard.state import DashboardModel

    model = DashboardModel(headcount=200, base="conf")
    while model.running:
        model.step()
    model.step()
    table = model.datacollector.get_model_vars_dataframe()
    assert model.steps == model.days + 1 and len(table) == model.days
    assert list(table.headcount) == list(model.series().headcount)


def test_seed_none_draws_a_seed_and_records_it(params):
    model = AttritionModel(params, seed=None).run()
    again = AttritionModel(params, seed=model.seed).run()
    assert isinstance(model.seed, int)
    assert np.array_equal(model._daily_table, again._daily_table)


def test_bad_keyword_use_is_refused_with_a_reason(params):
    with pytest.raises(ValueError, match="either params or overrides"):
        AttritionModel(params, overrides=["policy=none"])
    with pytest.raises(ValueError, match="seed argument"):
        AttritionModel(overrides=["seed=3"])
    with pytest.raises(ValueError, match="agent_every"):
        AttritionModel(params, agent_every=-1)
