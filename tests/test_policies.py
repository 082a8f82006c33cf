"""Retention levers and common random numbers."""

import dataclasses
import datetime as dt

import numpy as np
import pytest
from scipy import stats

import sim
from sim.levers import LEVERS
from sim.run.files import csv_bytes
from sim.run.results import collect
from sim.run.simulate import build_model

SMALL = ("company.headcount=500",)

# each lever's settings under which it changes nothing, as the lever declares them (a $0 bonus with no quit cut once
# triggered the post-payout bump: 566 departures against 559)
NULL_LEVERS = {kind: cls.null for kind, cls in LEVERS.items()}


def test_every_lever_declares_a_null_setting_of_its_own_fields():
    for kind, null in NULL_LEVERS.items():
        assert null, kind
        assert {s.split("=")[0] for s in null} <= {f.name for f in dataclasses.fields(LEVERS[kind].config)}, kind


@pytest.mark.parametrize("lever", sorted(NULL_LEVERS))
def test_a_lever_set_to_change_nothing_leaves_results_identical(compose, lever):
    settings = [f"lever.{lever}.{s}" for s in NULL_LEVERS[lever]]
    base = sim.simulate(compose(*SMALL, "seed=2"))
    null = sim.simulate(compose(*SMALL, "seed=2", f"policy={lever}", *settings))
    assert csv_bytes(base.daily) == csv_bytes(null.daily)
    assert csv_bytes(base.departures) == csv_bytes(null.departures)
    assert csv_bytes(base.offers) == csv_bytes(null.offers)
    assert null.summary["figures"]["policy_cost_total"] == 0


def test_the_same_levers_in_another_order_or_beside_a_null_lever_give_identical_results(compose):
    """A policy is its levers, not their order: bundle_pay's levers listed backwards, and bundle_pay with one more
    lever set to do nothing, are other configs (other lever lists, other config hashes) that must run the same."""
    bundle = compose(*SMALL, "seed=6", "policy=bundle_pay")
    levers = list(bundle.policy.levers)
    backwards = compose(*SMALL, "seed=6", "policy=bundle_pay", f"policy.levers=[{','.join(reversed(levers))}]")
    null_pace = [f"lever.sustainable_pace.{s}" for s in NULL_LEVERS["sustainable_pace"]]
    padded = compose(*SMALL, "seed=6", "policy=bundle_pay", f"policy.levers=[{','.join(levers)},sustainable_pace]",
                     *null_pace)  # fmt: skip
    runs = [sim.simulate(c) for c in (bundle, backwards, padded)]
    assert len({r.summary["config_hash"] for r in runs}) == 3  # three different configs
    none = sim.simulate(compose(*SMALL, "seed=6"))
    assert not runs[0].departures.equals(none.departures)  # the bundle changes something, so equality means something
    for other in runs[1:]:
        assert runs[0].daily.equals(other.daily)
        assert runs[0].departures.equals(other.departures)
        assert runs[0].offers.equals(other.offers)
        cost = other.summary["figures"]["policy_cost_total"]
        assert cost == pytest.approx(runs[0].summary["figures"]["policy_cost_total"], rel=1e-12) and cost > 0


# Each lever's documented effect (docs/policies.md), set strong so that its sign shows on a few paired seeds:
# the departures it acts on, and the settings that make it strong.
CHOSEN = ("voluntary", "poached", "spinout")
SIGNS = {
    "retention_bonus": (("voluntary",), ("quit_cut=0.6", "target=all")),  # fewer quits until the payout
    "refresh_grants": (CHOSEN, ("grant_years_of_pay=6", "target=all")),  # more unvested equity holds people
    "autonomy_charter": (("voluntary",), ("autonomy_gain=0.4", "reorg_protection=1")),
    "sustainable_pace": (("voluntary",), ("burnout_slowdown=0.9",)),
    "transparent_leadership": (("voluntary",), ("shock_reduction=0.9",)),
    "counter_offers": (("poached",), ("match_prob=1", "match_cap=3", "target=all")),  # offers matched, refused
    "safety_governance": (("voluntary",), ("mission_floor=1", "target=all")),
}


@pytest.mark.parametrize("lever", sorted(SIGNS))
def test_each_lever_cuts_the_departures_it_acts_on_on_paired_seeds(compose, lever):
    causes, settings = SIGNS[lever]
    overrides = [f"lever.{lever}.{s}" for s in settings]
    world = ("+free.poaching_scale=4",) if lever == "counter_offers" else ()  # enough offers to see it
    start = dt.date(2025, 11, 1)  # every lever's start (conf/lever/default.yaml)
    # the bonus's documented effect holds until the payout (then the post-payout bump)
    until = start + dt.timedelta(days=180) if lever == "retention_bonus" else dt.date.max

    def count(d):
        return int((d.cause.isin(causes) & (d.date >= start) & (d.date < until)).sum())

    diffs = []
    for seed in range(3):
        base = sim.simulate(compose(*SMALL, *world, f"seed={seed}")).departures
        mine = sim.simulate(compose(*SMALL, *world, f"seed={seed}", f"policy={lever}", *overrides)).departures
        diffs.append(count(mine) - count(base))
    assert sum(diffs) < 0, diffs
    assert sum(d > 0 for d in diffs) <= 1, diffs  # not an average of large swings either way


def test_paired_interval_is_narrower_than_unpaired(compose):
    def totals(policy):
        return np.array(
            [len(sim.simulate(compose(*SMALL, f"seed={s}", f"policy={policy}")).departures) for s in range(8)]
        )

    none, culture = totals("none"), totals("bundle_culture")
    diff = culture - none
    paired = stats.t.interval(0.9, len(diff) - 1, scale=stats.sem(diff))
    welch_se = np.sqrt(none.var(ddof=1) / len(none) + culture.var(ddof=1) / len(culture))
    unpaired = stats.t.interval(0.9, 2 * len(none) - 2, scale=welch_se)
    assert np.ptp(paired) < np.ptp(unpaired), (diff, none, culture)


BONUS = (
    "mechanisms=none",
    "mechanisms.vesting=true",
    "hazard.unvested=0",
    "hazard.base_annual=0.3",
    "company.headcount=4000",
    "lever.retention_bonus.target=all",
    "lever.retention_bonus.start=2025-10-01",
    "lever.retention_bonus.stay_days=120",
)


def _voluntary_between(res, lo, hi):
    d = res.departures
    return int(((d.cause == "voluntary") & (d.date >= lo) & (d.date < hi)).sum())


def test_retention_bonus_holds_targets_until_payout_then_releases_them(compose):
    start = dt.date(2025, 10, 1)
    payout = start + dt.timedelta(days=120)
    after = payout + dt.timedelta(days=60)
    before_gap, after_gap = [], []
    for seed in range(3):
        none = sim.simulate(compose(*BONUS, f"seed={seed}"))
        bonus = sim.simulate(compose(*BONUS, f"seed={seed}", "policy=retention_bonus"))
        before_gap.append(_voluntary_between(bonus, start, payout) - _voluntary_between(none, start, payout))
        after_gap.append(_voluntary_between(bonus, payout, after) - _voluntary_between(none, payout, after))
    assert all(g < 0 for g in before_gap), before_gap
    assert all(g > 0 for g in after_gap), after_gap


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_retention_bonus_cost_is_paid_to_those_still_there_at_payout(compose, seed):
    """The cost is the bonus of every target not in the departures table by the payout day (the day's departures
    come before the payout: a target who leaves on the payout day forfeits it; seed 3 has one)."""
    model = build_model(compose(*SMALL, f"seed={seed}", "policy=retention_bonus")).run()
    lever = model.levers[0]
    deps = collect(model).departures
    payout = model.start + dt.timedelta(days=lever.start_day + lever.cfg.stay_days)
    gone = set(deps.person[deps.date <= payout])
    paid = np.array([p for p in lever.targets.tolist() if p not in gone], dtype=np.int64)
    expected = lever.cfg.bonus_years_of_pay * model.workforce.pay[paid].sum()
    assert lever.cost == pytest.approx(expected)
    assert 0 < len(paid) < len(lever.targets)
    on_payout_day = set(deps.person[deps.date == payout]) & set(lever.targets.tolist())
    if seed == 3:
        assert on_payout_day, "seed 3 should exercise a target leaving on the payout day"


def test_practice_levers_cover_people_hired_after_their_start(compose):
    model = build_model(compose(*SMALL, "seed=3", "policy=sustainable_pace")).run()
    lever, wf = model.levers[0], model.workforce
    hired_later = np.flatnonzero(wf.hired[: wf.n] > lever.start_day)
    assert hired_later.size > 0
    slow = 1 - lever.cfg.burnout_slowdown
    assert np.allclose(wf.rise_scale[hired_later], slow)
    assert np.allclose(wf.rise_scale[lever.targets], slow)


def test_refresh_grants_cost_counts_only_what_vests_in_the_window(compose):
    model = build_model(compose(*SMALL, "seed=2", "policy=refresh_grants")).run()
    lever, wf = model.levers[0], model.workforce
    granted = wf.refresh[lever.targets].sum()
    assert 0 < lever.cost < granted
    months_in_window = (model.days - lever.start_day) / sim.model.equations.DAYS_PER_MONTH
    assert lever.cost <= granted * np.ceil(months_in_window) / (12 * lever.cfg.grant_years)
