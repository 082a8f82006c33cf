"""Where leavers go (sim/destinations.py): the logit's law, its limits, the tables, and counter-offers to leavers."""

import numpy as np
import pytest
from scipy import stats

import sim
from sim.config.params import ROLES, DestinationsConfig, FirmConfig
from sim.model import destinations as dst
from sim.run.results import collect
from sim.run.simulate import build_model

RESEARCHER = ROLES.index("researcher")
BIG = ("mechanisms=none", "mechanisms.poaching=true", "company.headcount=5000", "hazard.base_annual=0.5")


def _table(**kw) -> dst.DestinationTable:
    firms = [
        FirmConfig("a", 10.0, {"researcher": 1.0, "engineer": 1.0}, 2.0, 0.5),
        FirmConfig("b", 5.0, {"researcher": 2.0}, 1.2, -0.3, kind="startup"),
    ]
    per_role = [0, 0, 100, 100, 0, 0]
    return dst.DestinationTable(firms, per_role, DestinationsConfig(**kw))


def test_choice_probabilities_are_the_logit_weights():
    """Weights by hand: rival = pull * demand * exp(culture + pay ln multiple); generic = odds * exp(appeal)."""
    d = dict(rival_pull=3.0, pay=0.7, startup_appeal=-0.4, other_tech_appeal=-1.0)
    table = _table(**d)
    demand_a = 10.0 * 1.0 / (100 + 100)  # firm a: weights 1 for researchers and engineers, 100 of each
    demand_b = 5.0 * 2.0 / (2.0 * 100)
    w = {
        "a": 3.0 * demand_a * np.exp(0.5 + 0.7 * np.log(2.0)),
        "b": 3.0 * demand_b * np.exp(-0.3 + 0.7 * np.log(1.2)),
        "startup": np.exp(-0.4),
        "other_tech": np.exp(-1.0),
        "out": 1.0,
    }
    total = sum(w.values())
    probs = table.probabilities(RESEARCHER)
    assert probs == pytest.approx({k: v / total for k, v in w.items()}, rel=1e-12)
    assert "b" not in table.probabilities(ROLES.index("engineer"))  # no demand for the role: not an option
    # inverse-CDF picks over a fine grid of uniforms reproduce the probabilities
    n = 20000
    picks = [table.pick(RESEARCHER, (k + 0.5) / n).name for k in range(n)]
    for name, p in probs.items():
        assert abs(picks.count(name) / n - p) <= 1.0 / n + 1e-12
    kinds = {o.name: o.kind for o in table.options(RESEARCHER)[0]}
    assert kinds == {"a": "rival_lab", "b": "startup", "startup": "startup", "other_tech": "other_tech", "out": "out"}


def test_courting_spinouts_join_the_options():
    class Sp:
        name, offer_multiple, culture = "spinout-1", 1.0, 1.5

    table = _table(join_spinout=2.0)
    base = table.probabilities(RESEARCHER)
    probs = table.probabilities(RESEARCHER, [Sp()])
    w = 2.0 * np.exp(1.5)
    total = w / probs["spinout-1"]
    assert sum(probs.values()) == pytest.approx(1.0)
    assert probs["a"] / base["a"] == pytest.approx((total - w) / total)


def test_model_leavers_follow_the_logit_probabilities(compose):
    """Over thousands of voluntary leavers, each role's destinations match the table's probabilities (chi-square)."""
    model = build_model(compose(*BIG, "seed=3")).run()
    res = collect(model)
    vol = res.departures[res.departures.cause == "voluntary"]
    checked = 0
    for role in ("researcher", "engineer", "operations"):
        got = vol[vol.role == role].destination.value_counts()
        probs = model.destinations.probabilities(ROLES.index(role))
        assert set(got.index) <= set(probs)
        names = list(probs)
        observed = np.array([got.get(n, 0) for n in names])
        expected = observed.sum() * np.array([probs[n] for n in names])
        assert observed.sum() > 300
        assert stats.chisquare(observed, expected).pvalue > 1e-3, (role, observed, expected)
        checked += 1
    assert checked == 3 and {"rival_lab", "startup", "other_tech", "out"} <= set(vol.destination_kind)


def test_with_no_rival_demand_nobody_goes_to_a_rival(compose):
    zero = [f"firms.{i}.offers_per_year=0" for i in range(5)]
    res = sim.simulate(compose(*BIG, *zero, "seed=1"))
    assert len(res.departures) > 1000
    assert not res.departures.destination_kind.eq("rival_lab").any()
    assert res.departures.destination_kind.eq("startup").any()


def test_one_overwhelming_rival_takes_every_rival_move(compose):
    res = sim.simulate(compose(*BIG, "firms.2.culture=25", "seed=1"))
    d = res.departures[res.departures.cause == "voluntary"]
    rivals = d[d.destination_kind == "rival_lab"]
    assert len(rivals) > 500 and (rivals.destination == "anthropic").all()
    # the poached still go to whoever made the offer
    assert res.departures[res.departures.cause == "poached"].destination.nunique() > 1


def test_tables_count_every_leaver_by_destination(compose):
    res = sim.simulate(compose("seed=2", "company.headcount=400"))
    d, daily = res.departures, res.daily
    assert d.destination.ne("").all() and d.destination_kind.isin(dst.DEST_KINDS).all()
    for kind in dst.DEST_KINDS:
        assert daily[f"dest_{kind}"].sum() == (d.destination_kind == kind).sum()
    assert daily[[f"dest_{k}" for k in dst.DEST_KINDS]].sum(axis=1).eq(daily.departures).all()
    forced = d[d.cause == "forced"]
    assert (forced.destination == forced.shock).all() and (forced.destination_kind == "forced").all()
    poached = d[d.cause == "poached"]
    assert (poached.destination == poached.firm).all()
    spun = d[d.destination_kind == "spinout"]
    assert spun.destination.str.match(r"spinout-\d+$").all()
    assert res.summary["figures"]["destinations"] == {k: int((d.destination_kind == k).sum()) for k in dst.DEST_KINDS}


def test_counter_keep_probability():
    assert dst.counter_keep_probability(0.3, 0.3) == 0.0
    assert dst.counter_keep_probability(-1.0, -1.0 - np.log(2.0)) == pytest.approx(
        1 - dst.logistic(-1 - np.log(2)) / dst.logistic(-1)
    )
    assert dst.counter_keep_probability(2.0, -30.0) > 0.999


def test_counter_offers_keep_leavers_who_hold_an_offer(compose):
    """Counter-offers now act on leavers whose destination is a firm: more departures averted than when no leaver
    holds an offer (rival_pull=0), on the same seeds."""
    common = ("company.headcount=600", "policy=counter_offers", "lever.counter_offers.target=all")
    kept, kept_without, averted, averted_without = [], [], [], []
    for seed in range(2):
        for pull, k, a in (("2", kept, averted), ("0", kept_without, averted_without)):
            base = sim.simulate(compose(f"seed={seed}", "company.headcount=600", f"destinations.rival_pull={pull}"))
            res = sim.simulate(compose(f"seed={seed}", *common, f"destinations.rival_pull={pull}"))
            k.append(res.summary["figures"]["leavers_kept_by_counter"])
            a.append(len(base.departures) - len(res.departures))
    assert min(kept) > 0 and max(kept_without) == 0
    assert sum(averted) > sum(averted_without)


def test_bad_destination_values_are_refused_by_name(compose):
    from sim.config.params import ConfigError

    for override, field in (
        ("destinations.rival_pull=-1", "destinations.rival_pull"),
        ("destinations.out.researcher=-2", "destinations.out.researcher"),
        ("firms.0.kind=bank", "firms[0].kind"),
        ("hazard.founder_contagion=-1", "hazard.founder_contagion"),
        ("shocks.3.acceleration=2", "shocks[3].acceleration"),
        ("shocks.3.acceleration_target=interns", "shocks[3].acceleration_target"),
        ("shocks.3.ipo_date=2026-01-01", "shocks[3].ipo_date"),
        ("shocks.6.founder_push=0.5", "shocks[6].founder_push"),
    ):
        with pytest.raises(ConfigError) as err:
            sim.simulate(compose(override))
        assert err.value.field == field
