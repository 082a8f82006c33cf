"""Dated shocks as typed effects (sim/model/shocks/): each kind of effect one class naming the fields it reads; every
field of a shock belongs to one effect (or says when and what the shock is), so no field is silently ignored."""

import dataclasses

import numpy as np

import sim
from sim.config.params import ShockConfig, model_params
from sim.model.lab import AttritionModel
from sim.model.shocks import EFFECTS, OWN_FIELDS, fire
from sim.run.simulate import as_run_config

LABELS = ("type",)  # a label only: no effect reads it (an unnamed shock's forced exits are booked as `type#i`)


def test_every_shock_field_belongs_to_exactly_one_effect():
    owners = [f for effect in EFFECTS for f in effect.fields]
    assert len(owners) == len(set(owners))  # no field read by two kinds
    fields = {f.name for f in dataclasses.fields(ShockConfig)}
    assert set(owners) | set(OWN_FIELDS) | set(LABELS) == fields


def _model():
    p = model_params(as_run_config(sim.compose(["company.headcount=200", "events=none", "window.end=2025-10-31"])))
    return AttritionModel(p, seed=0)


def test_a_shocks_type_changes_nothing_its_fields_decide():
    """Two shocks alike but for their `type` leave identical states."""
    a, b = _model(), _model()
    shock = ShockConfig(type="layoff", date="2025-09-10", name="x", autonomy_cut=0.2, hazard_amp=1.0, forced_exits=5)
    fire(a, shock, 0, 9)
    fire(b, dataclasses.replace(shock, type="controversy"), 0, 9)
    for name in ("active", "autonomy", "burnout", "mission"):
        assert np.array_equal(getattr(a.workforce, name), getattr(b.workforce, name))
    assert np.array_equal(a.shock_excess, b.shock_excess)


def test_only_the_effects_a_shock_switches_on_fire():
    model = _model()
    shock = ShockConfig(date="2025-09-10", name="crunch", burnout_bump=0.2)
    firing_effects = [type(e).__name__ for e in EFFECTS if e.applies(model, shock, _firing(model, 9))]
    assert firing_effects == ["BurnoutBump"]
    before = model.workforce.burnout[: model.workforce.n].copy()
    fire(model, shock, 0, 9)
    act = model.workforce.active[: model.workforce.n]
    assert np.allclose(model.workforce.burnout[: model.workforce.n][act], np.minimum(1.0, before[act] + 0.2))


def _firing(model, day):
    from sim.model.shocks.base import Firing

    wf = model.workforce
    return Firing(index=0, day=day, n=wf.n, act=wf.active[: wf.n])
