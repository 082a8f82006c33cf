"""Issue 15: the EMA Workbench model behind exodus-explore, scenario discovery on a planted box, the questions it
asks, its command line; and the variance split of experiments/lever_variance.py."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from experiments.lever_variance import anova_shares
from sim.analysis import worlds
from sim.config.params import ConfigError

ROOT = Path(__file__).resolve().parents[1]


def test_anova_shares_of_an_additive_table_are_its_row_and_column_variances():
    rows, cols = np.array([0.0, 2.0, 4.0, 6.0]), np.array([1.0, -1.0, 3.0])
    table = pd.DataFrame(rows[:, None] + cols[None, :])
    shares = anova_shares(table)
    ss_rows, ss_cols = 3 * ((rows - rows.mean()) ** 2).sum(), 4 * ((cols - cols.mean()) ** 2).sum()
    assert shares["posterior"] == pytest.approx(ss_rows / (ss_rows + ss_cols))
    assert shares["lever_prior"] == pytest.approx(ss_cols / (ss_rows + ss_cols))
    assert shares["interaction_noise"] == pytest.approx(0, abs=1e-12)


def test_a_world_under_a_policy_is_the_run_the_command_line_would_make():
    overrides = ("company.headcount=200",)
    mine = worlds.outcomes(worlds.world_config("retention_bonus", 3, {"contagion": 1.5}, {"quit_cut": 0.1}, overrides))
    direct = sim.simulate(
        sim.compose(
            [
                *overrides,
                "policy=retention_bonus",
                "seed=3",
                "+free.contagion=1.5",
                "lever.retention_bonus.quit_cut=0.1",
            ]
        )
    )
    assert mine["departures"] == len(direct.departures)
    assert mine["policy_cost"] == direct.summary["figures"]["policy_cost_total"]
    assert mine["founders_remaining"] == direct.summary["figures"]["founders_remaining"]


def test_a_world_sets_policy_settings_on_their_lever():
    run = worlds.world_config("bundle_pay", 0, {}, {"bonus_years_of_pay": 0.25, "match_cap": 1.5})
    assert run.lever["retention_bonus"].bonus_years_of_pay == 0.25 and run.lever["counter_offers"].match_cap == 1.5
    assert worlds.base_run("bundle_pay").lever["retention_bonus"].bonus_years_of_pay == 0.5  # the cached one untouched


def test_an_unknown_lever_effect_names_itself():
    with pytest.raises(ConfigError, match="levers.quit_rate"):
        worlds.world_config("none", 0, {}, {"quit_rate": 0.1})


ema = pytest.importorskip("ema_workbench", reason="the explore extra: pip install -e '.[explore]'")
from sim.analysis import explore  # noqa: E402


def test_prim_finds_a_planted_box_and_its_coverage_and_density_are_what_the_data_say():
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.random((600, 4)), columns=["a", "b", "c", "d"])
    y = (x.a > 0.7) & (x.b < 0.4)
    res = explore.discover(x, y, explore.ExploreSettings(density=0.9))
    lim = res["limits"]
    assert set(lim.index) >= {"a", "b"}
    assert lim.loc["a", "low"] == pytest.approx(0.7, abs=0.08) and lim.loc["b", "high"] == pytest.approx(0.4, abs=0.08)
    inside = np.ones(len(x), dtype=bool)
    for unc, row in lim.iterrows():
        inside &= (x[unc] >= row.low) & (x[unc] <= row.high)
    assert res["coverage"] == pytest.approx((inside & y).sum() / y.sum())
    assert res["density"] == pytest.approx((inside & y).sum() / inside.sum())
    assert res["density"] >= 0.9 and res["coverage"] > 0.7
    assert len(res["cart"]) >= 2 and res["cart"]["density"].max() > 0.9
    # its figures are drawn like exodus-compare's: titled, every axis labelled, the box's values on its bars
    for fig in (res["tradeoff_fig"], res["box_fig"]):
        ax = fig.axes[0]
        assert fig.get_suptitle() and ax.get_xlabel() and (ax.get_ylabel() or ax.get_yticklabels())
    assert "coverage" in res["tradeoff_fig"].axes[0].get_xlabel()
    shown = {t.get_text() for t in res["box_fig"].axes[0].texts}
    assert f"{lim.loc['a', 'low']:.3g}" in shown and f"{lim.loc['b', 'high']:.3g}" in shown


def test_questions_flag_the_worlds_by_hand():
    dep = {
        "none": [100, 100, 100],
        "bundle_culture": [70, 95, 60],
        "bundle_pay": [90, 90, 50],
        "retention_bonus": [99, 99, 99],
    }
    df = pd.DataFrame([{"world": str(w), "policy": p, "departures": v[w]} for p, v in dep.items() for w in range(3)])
    df["attrition_cost"] = 1e6 * df["departures"]
    df["policy_cost"] = df["policy"].map({"none": 0, "bundle_culture": 1e7, "bundle_pay": 0, "retention_bonus": 0})
    cases, about = explore.questions(df, goal=20)
    assert "bundle_culture" in about["best_fails"]  # most averted on average
    assert list(cases["best_fails"]) == [False, True, False]
    assert "bundle_pay" in about["runner_up_fails"] and list(cases["runner_up_fails"]) == [True, True, False]
    assert list(cases["pay_beats_culture"]) == [False, True, True]
    # net values: culture 30-10=20, 5-10=-5, 40-10=30; pay 10, 10, 50; bonus 1, 1, 1
    assert list(cases["best_not_top"]) == [False, True, True]


@pytest.mark.slow
def test_explore_command_writes_its_folder(tmp_path):
    out = tmp_path / "explore"
    cmd = [
        str(Path(sys.executable).with_name("exodus-explore")),
        "--scenarios", "10", "--evaluator", "sequential", "--out", str(out), "company.headcount=120",
    ]  # fmt: skip
    proc = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    df = pd.read_csv(out / "experiments.csv")
    POLICIES = explore.ExploreSettings().policies  # noqa: N806 - every shipped policy by default
    assert len(df) == 10 * len(POLICIES) and df.groupby("world").policy.nunique().eq(len(POLICIES)).all()
    # common random numbers: every policy runs a world with the same seed and uncertainties
    assert df.groupby("world")[["seed", "contagion", "quit_cut"]].nunique().eq(1).all().all()
    # the money levers are sampled like the lever effects: one value per world over their ranges, every policy alike
    for name, (_, lo, hi) in worlds.SETTINGS.items():
        assert df.groupby("world")[name].nunique().eq(1).all() and df[name].nunique() == 10, name
        assert df[name].between(lo, hi).all(), name
    # EMA's own results file: load_results reads the same experiments and outcomes
    experiments, outcomes = ema.load_results(str(out / "results.tar.gz"))
    assert len(experiments) == len(df) and list(experiments["policy"].astype(str)) == list(df["policy"])
    for name in worlds.OUTCOMES:
        np.testing.assert_allclose(outcomes[name], df[name].to_numpy(float), rtol=1e-9)  # the CSV keeps 10 digits
    np.testing.assert_allclose(experiments["contagion"].to_numpy(float), df["contagion"].to_numpy(float))
    rob = pd.read_csv(out / "robustness.csv")
    assert sorted(rob.policy) == sorted(POLICIES) and list(rob["rank"]) == list(range(1, len(POLICIES) + 1))
    assert (out / "report.md").exists() and (out / "explore.json").exists()
    assert not list(tmp_path.glob(".explore.*"))  # nothing half-written left beside it


@pytest.mark.parametrize(("args", "field"), [(["--scenarios", "5"], "--scenarios"), (["--density", "2"], "--density")])
def test_explore_command_refuses_bad_input_by_name(args, field):
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("exodus-explore")), *args], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and field in proc.stderr
