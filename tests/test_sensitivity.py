"""Sensitivity analysis (SALib): the replication seed is a factor, parameter-only rows share their base row's seed,
outputs keep the design's order, and a parameter with no effect gets indices of exactly zero."""

from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("SALib", reason="SALib is not installed (pip install -e '.[calibrate]')")

import sim  # noqa: E402
from sim.calibration import sensitivity  # noqa: E402
from sim.run.simulate import as_run_config  # noqa: E402

# a tiny world: no dated events, so the acquisition's `acquired_ratio` can have no effect at all
TINY = ["events=none", "company.headcount=120", "window.start=2025-09-01", "window.end=2025-11-30"]
NAMES = ("base_annual", "acquired_ratio")


@pytest.fixture(scope="module")
def tiny():
    run = as_run_config(sim.compose(TINY))
    return sensitivity.analyse(run, NAMES, "sobol", 8, "departures", seed=5, procs=2, progress=False)


def test_sobol_rows_that_change_only_parameters_keep_the_base_rows_seed():
    k = len(NAMES) + 1  # factors: the parameters and the seed
    units = sensitivity.design(NAMES, "sobol", 8, seed=1)
    seeds = sensitivity.row_seeds(units, "sobol", seed=1).reshape(-1, k + 2)  # blocks: A, AB_1..AB_k, B
    for block in seeds:
        assert len(set(block[:k])) == 1  # A and the rows that swap one parameter: the same seed
        assert block[k] == block[k + 1] != block[0]  # the row that swaps the seed takes B's seed
    assert len(set(seeds[:, 0])) == len(seeds)  # base rows are independent replications


def test_morris_trajectories_are_independent_replications():
    units = sensitivity.design(NAMES, "morris", 6, seed=2)
    seeds = sensitivity.row_seeds(units, "morris", seed=2).reshape(6, len(NAMES) + 2)
    assert len({row[0] for row in seeds}) == 6
    for u, s in zip(units.reshape(6, len(NAMES) + 2, -1), seeds, strict=True):
        same_level = u[1:, -1] == u[:-1, -1]
        assert np.all((s[1:] == s[:-1]) == same_level)  # the seed changes only where the seed factor steps


def test_a_parameter_without_effect_has_zero_indices_and_noise_is_measured(tiny):
    idx = tiny.indices.set_index("factor")
    assert idx.loc["acquired_ratio", "ST"] == 0.0
    assert idx.loc["acquired_ratio", "S1"] == 0.0
    assert idx.loc[sensitivity.SEED_FACTOR, "ST"] > 0.0  # departures vary between seeds at fixed parameters
    assert tiny.outputs.std() > 0


def test_outputs_stay_in_the_designs_order(tiny):
    run = as_run_config(sim.compose(TINY))
    for i in (0, 7, len(tiny.outputs) - 1):
        row = tiny.design.iloc[i]
        values = {n: float(row[n]) for n in NAMES}
        assert sensitivity._run((run, values, int(row["seed"]), "departures")) == tiny.outputs[i]


def test_written_outputs_and_bad_sizes(tiny, tmp_path):
    out = sensitivity.write(tiny, tmp_path)
    assert {p.name for p in out.iterdir()} >= {"indices.csv", "design.csv", "sensitivity.json", "sensitivity.png"}
    from sim.config.params import ConfigError

    with pytest.raises(ConfigError, match="n=6.*power of 2"):
        sensitivity.design(NAMES, "sobol", 6, seed=0)
