"""Dated shocks as typed effects (sim/model/shocks/): each kind of effect one class naming the fields it reads; every
field of a shock belongs to one effect (or says when and what the shock is), so no field is silently ignored; the
`type` label that changed nothing is gone, and a config that still sets it is told so (issue 23 item 2)."""

import dataclasses

import numpy as np
import pytest

import sim
from sim.config.errors import ConfigError
from sim.config.params import ShockConfig, from_mapping, model_params
from sim.figures.shocklabels import shock_key
from sim.model.lab import AttritionModel
from sim.model.shocks import EFFECTS, OWN_FIELDS, fire, kinds
from sim.run.simulate import as_run_config


def test_every_shock_field_belongs_to_exactly_one_effect():
    owners = [f for effect in EFFECTS for f in effect.fields]
    assert len(owners) == len(set(owners))  # no field read by two kinds
    fields = {f.name for f in dataclasses.fields(ShockConfig)}
    assert set(owners) | set(OWN_FIELDS) == fields  # no label-only field: `type` is gone


@pytest.mark.parametrize(
    "build",
    [
        lambda: sim.compose(["shocks=[{type: layoff, date: '2025-10-01', forced_exits: 3}]"]),
        lambda: from_mapping(ShockConfig, {"date": "2025-10-01", "type": "layoff"}, "shocks[0]"),
    ],
    ids=["override", "mapping"],
)
def test_a_config_that_still_sets_type_is_told_it_was_removed_and_what_decides_the_kind(build):
    with pytest.raises(ConfigError) as err:
        build()
    text = str(err.value)
    assert "`type` was removed" in text and "effect fields it sets" in text and "`name`" in text


def test_a_shocks_kind_is_the_effects_its_fields_switch_on():
    """The kind follows the fields (as figures name it), from a ShockConfig or a run folder's mapping alike; an old
    folder's `type` is passed over."""
    layoff = {"date": "2025-09-12", "name": "cut", "type": "layoff", "forced_exits": 5, "hazard_amp": 0.3}
    assert kinds(layoff) == ("hazard excess", "forced exits")
    deal = ShockConfig(acquired=True, acquired_ratio=2.0, liquidity=0.1, ipo_date="2026-06-30", ipo_liquidity=0.1)
    assert kinds(deal) == ("change of control", "liquidity", "acquired-firm attrition", "planned IPO")
    assert kinds(ShockConfig(founder_push=1.5)) == ()  # a push for 0 days is no push
    groups = [("A", [layoff, {"date": "2025-03-28", "name": "merger"}])]
    assert shock_key(groups, kinds) == (
        "Shocks (dotted lines): A  28 Mar 2025 / 12 Sep 2025: cut (hazard excess, forced exits), merger (no modelled"
        " effect)"
    )


def test_an_unnamed_shocks_forced_exits_are_booked_under_its_place_in_the_config():
    model = _model()
    fire(model, ShockConfig(date="2025-09-10", forced_exits=3), 4, 9)
    assert {note[1] for note in model.leaving.departure_notes.values()} == {"shocks[4]"}


def _model():
    p = model_params(as_run_config(sim.compose(["company.headcount=200", "events=none", "window.end=2025-10-31"])))
    return AttritionModel(p, seed=0)


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
