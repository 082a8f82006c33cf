"""Sweeps over any table of parameter sets (any table of parameter sets: Latin hypercube, Sobol, a posterior sample)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from experiments.make_design import design
from sim.config.load import as_run_config
from sim.config.params import ConfigError, RunConfig, set_path
from sim.run.files import read_summary
from tests.cli_helpers import completed, exodus


@given(
    contagion=st.floats(0, 50, allow_nan=False),
    headcount=st.floats(1, 1e5, allow_nan=False),
    rate=st.floats(0, 0.99, allow_nan=False),
)
@settings(max_examples=50, deadline=None)
def test_set_path_sets_exactly_the_value_with_the_field_type(contagion, headcount, rate):
    run = RunConfig(firms=[])
    set_path(run, "hazard.contagion", contagion)
    set_path(run, "company.headcount", headcount)
    set_path(run, "company.role_mix.engineer", rate)
    assert run.hazard.contagion == contagion
    assert run.company.headcount == round(headcount) and isinstance(run.company.headcount, int)
    assert run.company.role_mix["engineer"] == rate


@pytest.mark.parametrize("path", ["hazard.nonsense", "firms.9.culture", "company", "shocks.x.date"])
def test_set_path_refuses_paths_that_name_no_value(compose, path):
    with pytest.raises(ConfigError) as err:
        set_path(as_run_config(compose()), path, 1)
    assert err.value.field == path


def test_design_rows_keep_sampler_order_and_stay_in_bounds():
    ranges = [("hazard.contagion", 0.0, 10.0), ("hazard.base_annual", 0.11, 0.18)]
    a = design(ranges, 16, "sobol", seed=3)
    b = design(ranges, 16, "sobol", seed=3)
    assert a.equals(b) and list(a.columns) == ["hazard.contagion", "hazard.base_annual"]
    assert a["hazard.contagion"].between(0, 10).all() and a["hazard.base_annual"].between(0.11, 0.18).all()
    lhs = design(ranges, 10, "lhs", seed=1)
    # a Latin hypercube puts exactly one point in each of the n equal slices of every axis
    assert sorted((lhs["hazard.contagion"] // 1).astype(int)) == list(range(10))


def test_a_design_table_runs_as_a_sweep(tmp_path):
    table = tmp_path / "design.csv"
    table.write_text("hazard.contagion,company.headcount,_weight\n0.5,120,1\n7.5,160,2\n")
    res = exodus("-m", f"design.file={table}", "design.row=0,1", "seed=4", tmp=tmp_path)
    assert res.returncode == 0, res.stderr
    runs = {read_summary(p.parent)["config"]["design"]["row"]: read_summary(p.parent) for p in completed(tmp_path)}
    assert runs[0]["config"]["hazard"]["contagion"] == 0.5 and runs[0]["figures"]["headcount_start"] == 120
    assert runs[1]["config"]["hazard"]["contagion"] == 7.5 and runs[1]["figures"]["headcount_start"] == 160


@pytest.mark.parametrize(
    "text, row, field",
    [("hazard.contagion\n1\n", 5, "design.row"), ("no_such.path\n1\n", 0, "no_such.path"), ("", 0, "design.file")],
)
def test_bad_design_is_refused_by_field(compose, tmp_path, text, row, field):
    table = tmp_path / "design.csv"
    table.write_text(text)
    with pytest.raises(ConfigError) as err:
        as_run_config(compose(f"design.file={table}", f"design.row={row}"))
    assert err.value.field == field
