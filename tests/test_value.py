"""Issue 15: lever priors and draws, the value of a departure, net value and ROI, the policy table's intervals,
star and order, and the robustness ranking, each against an independent computation."""

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from sim.analysis import value
from sim.analysis.compare import policy_table
from sim.analysis.netvalue import ratio_interval
from sim.analysis.robustness import robustness_table
from sim.analysis.sweep import arm_key
from sim.cli.compare import _cost_per
from sim.config import leverpriors
from sim.config.params import ROLES, ConfigError
from sim.run.simulate import _resolved, as_run_config

# --------------------------------------------------------------------------- lever priors


def test_every_prior_names_a_lever_field_inside_its_allowed_range_and_says_where_it_comes_from(compose):
    run = as_run_config(compose())
    for p in leverpriors.PRIORS:
        assert p.lever in run.lever and hasattr(run.lever[p.lever], p.field), p.path
        assert 0.0 <= p.low < p.high <= 1.0, p.path
        assert p.source and (p.literature or p.source.startswith("assumption")), p.path
    kinds = leverpriors.prior_table().set_index(["lever", "field"])["kind"]
    assert kinds["retention_bonus", "quit_cut"] == "literature"
    assert kinds["sustainable_pace", "burnout_slowdown"] == "literature"
    assert {p.lever for p in leverpriors.PRIORS} == set(run.lever)  # every lever's effect is uncertain


def test_lever_draws_are_reproducible_inside_their_priors_and_independent_of_the_number_drawn():
    draws = pd.DataFrame([leverpriors.draw(k) for k in range(400)])
    assert leverpriors.draw(7) == leverpriors.draw(7)
    for p in leverpriors.PRIORS:
        x = draws[p.path]
        assert x.between(p.low, p.high).all()
        # uniform on [low, high]: Kolmogorov-Smirnov does not reject at 1 %
        assert stats.kstest(x, stats.uniform(p.low, p.high - p.low).cdf).pvalue > 0.01, p.path
    assert draws.corr().abs().where(~np.eye(len(draws.columns), dtype=bool)).max().max() < 0.2


def test_a_lever_draw_sets_the_same_effects_under_every_policy_and_leaves_the_rest(compose):
    bundle = as_run_config(compose("policy=bundle_culture", "lever_draw=3"))
    single = as_run_config(compose("policy=sustainable_pace", "lever_draw=3"))
    plain = as_run_config(compose("policy=sustainable_pace"))
    values = leverpriors.draw(3)
    for p in leverpriors.PRIORS:
        assert getattr(bundle.lever[p.lever], p.field) == getattr(single.lever[p.lever], p.field) == values[p.path]
    assert single.lever["sustainable_pace"].throughput_cost == plain.lever["sustainable_pace"].throughput_cost
    assert plain.lever["sustainable_pace"].burnout_slowdown == 0.3  # lever_draw=-1 keeps conf/lever


def test_drawn_effects_are_the_world_not_the_arm(compose):
    def config(*o):
        return _resolved(as_run_config(compose("policy=retention_bonus", *o)))

    a, b = config("lever_draw=1"), config("lever_draw=2")
    assert a["lever"]["retention_bonus"]["quit_cut"] != b["lever"]["retention_bonus"]["quit_cut"]
    assert arm_key(a) == arm_key(b)  # one policy, whatever its drawn effect
    assert arm_key(config("lever_draw=1", "lever.retention_bonus.bonus_years_of_pay=1")) != arm_key(a)
    assert json.loads(json.dumps(a, default=str))["lever"]["retention_bonus"]["kind"] == "retention_bonus"


def test_a_bad_lever_draw_names_the_field(compose):
    with pytest.raises(ConfigError, match="lever_draw"):
        as_run_config(compose("lever_draw=-2"))


# --------------------------------------------------------------------------- value of a departure


def test_cost_per_departure_adds_its_parts():
    v = value.load()
    pay = dict.fromkeys(ROLES, 100_000.0)
    cost = value.cost_per_departure(v, pay, hire_fill_days=73)
    lost = (73 + v.ramp_days * (1 - v.ramp_productivity)) / 365
    for r in ROLES:
        assert cost[r] == pytest.approx(1e5 * (v.replacement[r] + v.output_multiple * lost + v.knowledge[r]))
    assert v.replacement["operations"] == 0.21  # Boushey & Glynn 2012
    assert cost["co_founder"] > cost["researcher"] > cost["operations"]


def test_attrition_cost_of_runs_matches_the_per_departure_costs():
    v = value.load()
    pay = {r: 1e5 * (i + 1) for i, r in enumerate(ROLES)}
    config = {"company": {"pay": pay, "hire_fill_days": 30}}
    roles = pd.Series(["researcher", "researcher", "co_founder", "operations"])
    runs = pd.DataFrame([value.run_record(config, roles)])
    per = value.cost_per_departure(v, pay, 30)
    expected = 2 * per["researcher"] + per["co_founder"] + per["operations"]
    assert value.attrition_cost(runs, v).iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ("replacement: {researcher: -1}", "value.replacement.researcher"),
        ("replacement: {intern: 1}", "value.replacement.intern"),
        ("ramp_productivity: 1.5", "value.ramp_productivity"),
        ("colour: 3", "value.colour"),
    ],
)
def test_a_bad_valuation_names_the_field(tmp_path, text, field):
    path = tmp_path / "v.yaml"
    path.write_text(text + "\n")
    with pytest.raises(ConfigError, match=field.replace(".", r"\.")):
        value.load(path)


# --------------------------------------------------------------------------- the policy table, independently


def synthetic_metrics(seed=0, n=12):
    """Runs of three policies and a baseline on n paired seeds, with known effects and costs."""
    rng = np.random.default_rng(seed)
    rows = []
    effects = {"none": (0, 0), "good": (-30, 2e6), "flat": (-3, 5e5), "bad": (8, 3e6)}
    base = rng.normal(500, 40, n)
    for arm, (eff, cost) in effects.items():
        dep = base + eff + rng.normal(0, 6, n) * (arm != "none")
        spent = cost * (1 + 0.1 * rng.standard_normal(n)) * (arm != "none")
        for s in range(n):
            rows.append(
                {
                    "arm": arm,
                    "policy": arm,
                    "scenario": "w",
                    "seed": s,
                    "run": f"{arm}-{s}",
                    "departures": dep[s],
                    "attrition_cost": 4e5 * dep[s] + rng.normal(0, 1e6),
                    "cost_total": spent[s],
                    **{m: 0.0 for m in ("departures_by_feb28", "founders_remaining", "announced_feb6_12")},
                    **{f"departures_{c}": 0.0 for c in ("voluntary", "poached", "spinout", "forced")},
                }
            )
    return pd.DataFrame(rows)


def test_policy_table_intervals_star_order_and_value_match_scipy_on_the_pairs():
    m = synthetic_metrics()
    table = policy_table(m, "none", 0.9).set_index("policy")
    base = m[m.arm == "none"].set_index("seed")
    averted = {}
    for arm in ("good", "flat", "bad"):
        g = m[m.arm == arm].set_index("seed")
        d = g.departures - base.departures
        ci = stats.ttest_1samp(d, 0).confidence_interval(0.9)
        row = table.loc[arm]
        assert row["diff"] == pytest.approx(d.mean())
        assert (row.diff_lo, row.diff_hi) == pytest.approx((ci.low, ci.high))
        assert (row.averted_lo, row.averted_hi) == pytest.approx((-ci.high, -ci.low))
        averted[arm] = -d.mean()
        # star on $/averted: the interval of departures averted includes 0
        if np.isfinite(row.cost_per_averted):
            assert _cost_per(row).endswith("*") == (not -ci.high > 0)
        # net value and ROI
        avoided = base.attrition_cost - g.attrition_cost
        net = avoided - g.cost_total
        nci = stats.ttest_1samp(net, 0).confidence_interval(0.9)
        assert (row.net_value, row.net_lo, row.net_hi) == pytest.approx((net.mean(), nci.low, nci.high))
        aci = stats.ttest_1samp(avoided, 0).confidence_interval(0.9)
        assert (row.avoided_lo, row.avoided_hi) == pytest.approx((aci.low, aci.high))
        assert row.roi == pytest.approx(net.mean() / g.cost_total.mean())
        # break-even: the effect's multiple at which avoided cost equals the money spent
        if avoided.mean() > 0:
            assert row.breakeven_x == pytest.approx(g.cost_total.mean() / avoided.mean())
            assert (row.breakeven_x < 1) == (row.net_value > 0)
    # order: the baseline first, then by departures averted, most first
    expected = ["none", *sorted(averted, key=lambda a: -averted[a])]
    assert list(policy_table(m, "none", 0.9).policy) == expected
    assert table.loc["good", "diff_hi"] < 0 and table.loc["bad", "diff_lo"] > 0
    # both cases of the star are exercised: averted for sure (good), averted on average only (flat)
    assert _cost_per(table.loc["flat"]).endswith("*") and not _cost_per(table.loc["good"]).endswith("*")


def test_ratio_interval_matches_the_delta_method_written_out():
    rng = np.random.default_rng(3)
    num, den = rng.normal(5, 2, 30), rng.normal(10, 1, 30)
    r, lo, hi = ratio_interval(num, den, 0.9)
    n = len(num)
    var = (np.var(num, ddof=1) - 2 * r * np.cov(num, den)[0, 1] + r**2 * np.var(den, ddof=1)) / (n * den.mean() ** 2)
    half = stats.t.ppf(0.95, n - 1) * np.sqrt(var)
    assert r == pytest.approx(num.mean() / den.mean())
    assert (lo, hi) == pytest.approx((r - half, r + half))


def test_ratio_interval_covers_the_true_ratio_about_90_percent_of_the_time():
    rng = np.random.default_rng(11)
    hits = 0
    for _ in range(400):
        num, den = rng.normal(2.0, 3.0, 40), rng.normal(4.0, 1.0, 40)
        _, lo, hi = ratio_interval(num, den, 0.9)
        hits += lo <= 0.5 <= hi
    assert 0.85 <= hits / 400 <= 0.95


def test_robustness_ranking_matches_regret_computed_by_hand():
    # two worlds; net value of each policy = avoided attrition cost - spent (none at 0)
    rows = []
    nets = {"a": (10.0, -5.0), "b": (4.0, 3.0)}  # a: best in world 0, worst in world 1; b: steady
    for w in range(2):
        rows.append(
            {
                "arm": "none",
                "scenario": "s",
                "seed": w,
                "run": f"n{w}",
                "departures": 100.0,
                "attrition_cost": 100.0,
                "cost_total": 0.0,
            }
        )
        for arm, net in nets.items():
            rows.append(
                {
                    "arm": arm,
                    "scenario": "s",
                    "seed": w,
                    "run": f"{arm}{w}",
                    "departures": 100.0 - (25 if arm == "a" else 5),
                    "attrition_cost": 100.0 - net[w] - 1.0,
                    "cost_total": 1.0,
                }
            )
    rob = robustness_table(pd.DataFrame(rows), "none", goal=20).set_index("policy")
    # regrets: world 0 best 10 -> a 0, b 6, none 10; world 1 best 3 -> a 8, b 0, none 3
    assert rob.loc["a", "max_regret"] == pytest.approx(8)
    assert rob.loc["b", "max_regret"] == pytest.approx(6)
    assert rob.loc["none", "max_regret"] == pytest.approx(10)
    assert list(rob.sort_values("rank").index) == ["b", "a", "none"]
    assert rob.loc["a", "share_goal"] == 1.0 and rob.loc["b", "share_goal"] == 0.0
    assert rob.loc["a", "share_net_positive"] == 0.5 and rob.loc["b", "share_net_positive"] == 1.0
