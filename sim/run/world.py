"""The one run function: a world (a scenario, its policy, free-parameter values) run on a seed to its collected
outcomes. Calibration, predictive checks, backtests, sensitivity designs and the point fit all call it, so a
world means the same thing everywhere (`sim.simulate` adds the summary a run folder records)."""

from __future__ import annotations

from collections.abc import Mapping

from sim.config import freeparams
from sim.config.params import RunConfig, model_params
from sim.model.lab import AttritionModel
from sim.run.results import Result, collect


def run_world(run: RunConfig, values: Mapping[str, float] | None = None, seed: int | None = None,
              where: str = "free", priors: Mapping | None = None) -> Result:  # fmt: skip
    """Run `run` (its scenario and policy) with the free parameters `values` set (sim/config/freeparams.py; a
    ConfigError names `where`.<name> for a bad one; `priors`: a calibration's recorded priors, whose supports the
    values must lie in) on `seed` (default `run.seed`): the Result of the whole window."""
    if values:
        run = freeparams.apply(run, values, where=where, priors=priors)
    return collect(AttritionModel(model_params(run), seed=run.seed if seed is None else seed).run())
