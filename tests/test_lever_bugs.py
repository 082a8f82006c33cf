"""Two levers of one kind in a policy each keep what is theirs; a lever refuses a setting it does not have."""

import dataclasses

import pytest

import sim
from sim.config.params import ConfigError, model_params
from sim.levers import LeverConfig
from sim.levers.counter_offers import CounterOffersConfig
from sim.levers.refresh_grants import RefreshGrantsConfig
from sim.model.lab import AttritionModel
from sim.run.simulate import as_run_config

BASE = ("company.headcount=300", "window.end=2026-02-28")


def _params(*levers: LeverConfig):
    p = model_params(as_run_config(sim.compose([*BASE, "policy=counter_offers"])))
    p.policy = dataclasses.replace(p.policy, name="two_levers", levers=list(levers))
    return p


def test_a_counter_offers_cost_is_booked_to_the_lever_that_made_it():
    """The first lever covers no one who gets offers (match_prob 0: it never counters); the second counters all staff.
    Every raise is the second lever's (main booked them all to the first CounterOffers)."""
    idle = CounterOffersConfig(start="2025-11-01", target="co_founder", match_prob=0.0, match_cap=2.0)
    busy = CounterOffersConfig(start="2025-11-01", target="all", match_prob=1.0, match_cap=2.0)
    model = AttritionModel(_params(idle, busy), seed=1).run()
    assert model.levers[0].cost == 0.0
    assert model.levers[1].cost > 0.0
    swapped = AttritionModel(_params(busy, idle), seed=1).run()
    assert swapped.levers[0].cost > 0.0 and swapped.levers[1].cost == 0.0


def test_two_refresh_grants_with_different_schedules_are_refused_by_field():
    """One run holds one refresh vesting schedule; on main the second lever silently re-dated the first's grants."""
    a = RefreshGrantsConfig(start="2025-11-01", target="research", grant_years_of_pay=1.0)
    b = dataclasses.replace(a, target="engineer", grant_years=2.0)
    with pytest.raises(ConfigError, match=r"policy\.levers\[1\]\.grant_years=2\.0 is not allowed"):
        AttritionModel(_params(a, b), seed=1)


def test_two_refresh_grants_on_one_schedule_keep_the_schedule_from_the_start():
    a = RefreshGrantsConfig(start="2025-11-01", target="research", grant_years_of_pay=1.0)
    b = dataclasses.replace(a, start="2025-12-01", target="engineer", grant_years=2.0, grant_cliff_months=6)
    c = dataclasses.replace(b, start="2025-12-15", target="product")
    model = AttritionModel(_params(b, c), seed=1)
    assert model.refresh_schedule == (2.0, 6)  # known before any lever starts, not set by whichever started last
    model.run()
    assert model.refresh_schedule == (2.0, 6)
    assert all(lv.cost >= 0 for lv in model.levers)
    assert AttritionModel(_params(a), seed=1).refresh_schedule == (4.0, 0)


def test_a_setting_of_another_lever_is_refused_naming_it_and_the_fields_the_lever_has(compose):
    """A flat lever config once took every lever's fields and ignored the ones its kind did not read: a counter-offer
    setting on a retention bonus changed nothing, silently."""
    with pytest.raises(ConfigError, match=r"lever\.retention_bonus\.match_prob.*RetentionBonusConfig.*quit_cut"):
        as_run_config(compose("policy=retention_bonus", "+lever.retention_bonus.match_prob=0.5"))


def test_a_lever_of_an_unknown_kind_is_refused_naming_the_kinds(compose):
    with pytest.raises(ConfigError, match=r"policy\.levers\[0\]\.kind='four_day_week'.*one of autonomy_charter"):
        model_params(as_run_config(compose("policy=retention_bonus", "policy.levers=[{kind: four_day_week}]")))
