"""The one run function (sim/run/world.py) and the one fan-out (sim/run/parallel.py)."""

from multiprocessing.pool import ThreadPool

import pandas as pd
import pytest

import sim
from sim.config.errors import ConfigError
from sim.config.load import as_run_config
from sim.run.parallel import fan_out
from sim.run.world import run_world

SMALL = ["company.headcount=120", "events=none", "window.end=2025-10-15"]
VALUES = {"burnout": 1.7, "poaching_scale": 2.0}


@pytest.fixture(scope="module")
def run():
    return as_run_config(sim.compose(SMALL))


def test_run_world_is_the_run_a_command_makes(run):
    """The same world through `simulate` (the `exodus` command: free values in the config) and through run_world
    (calibration: values passed in) gives identical tables."""
    direct = run_world(run, VALUES, seed=5)
    via_config = sim.simulate(sim.compose([*SMALL, *(f"+free.{k}={v}" for k, v in VALUES.items())]), seed=5)
    pd.testing.assert_frame_equal(direct.daily, via_config.daily)
    pd.testing.assert_frame_equal(direct.departures, via_config.departures)
    assert direct.summary == via_config.summary["figures"]


def test_run_world_values_change_the_world_and_the_seed_defaults_to_the_runs(run):
    plain = run_world(run, seed=run.seed)
    assert plain.daily.equals(run_world(run).daily)
    assert not run_world(run, {"poaching_scale": 4.0}).daily.equals(plain.daily)  # 4x the offers: more poached


def test_a_bad_value_is_refused_naming_the_caller(run):
    with pytest.raises(ConfigError, match=r"sensitivity\.burnout"):
        run_world(run, {"burnout": 9.0}, where="sensitivity")


def _square(x: int) -> int:
    return x * x


def test_fan_out_keeps_the_order_in_process_and_over_workers():
    tasks = list(range(12))
    expected = [x * x for x in tasks]
    assert fan_out(_square, tasks, progress=False) == expected
    with ThreadPool(3) as workers:  # any pool with imap: the caller's own, kept across calls
        assert fan_out(_square, iter(tasks), progress=False, workers=workers, chunksize=2) == expected
