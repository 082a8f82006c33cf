"""The change-of-control key-person retention grant (sim/levers/key_person_grant.py), end to end: it waits
for the acquisition, promises its targets a share of pay, holds them while pending and pays the stayers."""

import datetime as dt

import numpy as np
import pytest

import sim
from sim.config.params import model_params
from sim.model.lab import AttritionModel
from sim.run.simulate import as_run_config
from sim.schema import SENIOR_ROLES

BASE = ("company.headcount=200", "window.end=2026-04-30")


def _model(*overrides: str, seed: int = 2) -> AttritionModel:
    return AttritionModel(model_params(as_run_config(sim.compose([*BASE, *overrides]))), seed=seed)


def test_without_an_acquisition_the_grant_never_starts_and_changes_nothing():
    none = _model("events=none", "policy=none").run()
    grant = _model("events=none", "policy=key_person_grant").run()
    assert grant.levers[0].targets.size == 0 and grant.levers[0].cost == 0.0
    assert np.array_equal(none._daily_table, grant._daily_table)


def test_the_grant_starts_on_the_acquisition_and_promises_its_share_of_pay_to_key_people():
    model = _model("policy=key_person_grant", "lever.key_person_grant.stay_days=30")
    lever = model.levers[0]
    acquired = (dt.date(2026, 2, 2) - model.start).days  # spacex_acquisition (conf/events/xai.yaml)
    assert lever.start_day == acquired
    for _ in range(acquired):
        model.step()
    before = model.workforce.bonus.copy()
    model.step()  # the acquisition's day: the lever starts before the shock fires
    wf = lever.targets
    assert wf.size > 0 and np.isin(model.workforce.role[wf], SENIOR_ROLES).all()
    pay = model.workforce.pay[wf]
    assert model.workforce.bonus[wf] - before[wf] == pytest.approx(0.55 * pay)  # WTW median: 55 % of salary
    model.run_model()
    payout = acquired + 30
    stayed = model.workforce.left[wf] > payout
    assert lever.cost == pytest.approx(0.55 * float(model.workforce.pay[wf][stayed].sum()))  # no raise in between
    assert model.workforce.bonus[wf] == pytest.approx(0.0)  # paid or forfeited: nothing pending


def test_a_pending_grant_holds_key_people():
    """While pending the promise counts as unvested equity: key people's hazard falls, so fewer leave."""
    left = {}
    for policy in ("none", "key_person_grant"):
        runs = [
            _model(f"policy={policy}", "lever.key_person_grant.key_grant_years_of_pay=5", seed=s).run() for s in (1, 2)
        ]
        left[policy] = sum(
            int((~m.workforce.active[: m.workforce.n] & np.isin(m.workforce.role[: m.workforce.n], SENIOR_ROLES)).sum())
            for m in runs
        )
    assert left["key_person_grant"] < left["none"], left
