"""Calibration: free parameters, the posterior hook of a run, the targets, ABC recovery and reproducibility.

The ABC tests need the calibrate extra (pyabc); they are skipped without it. Everything else
(posterior draws, posterior config, predictive check) needs only the core.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging

import numpy as np
import pandas as pd
import pytest

import sim
from sim.calibration import posterior, predictive, targets
from sim.config import freeparams
from sim.config.load import as_run_config
from sim.config.params import ConfigError
from sim.data import observed
from sim.data.observed import DataError

# a fast scenario for ABC tests: the xAI lab from 15 Jan 2026 (earlier events are history), runs cut at 12 Feb
FAST = ["window.start=2026-01-15"]
TINY = ["window.start=2026-01-25", "company.headcount=300"]  # for reproducibility checks: fastest
# recovery: the lab from 25 Jan 2026 with posting delays a fifth of the default (~6 days), so February's quits
# show in the targets' window
RECOVERY = ["window.start=2026-01-25"]
RECOVERY_FIXED = {"delay_scale": 0.2}
RECOVERY_TRUTHS = ({"shock_scale": 0.5, "announce_scale": 1.0}, {"shock_scale": 2.5, "announce_scale": 1.0})


@pytest.fixture(scope="module")
def base():
    return as_run_config(sim.compose([]))


@pytest.fixture(scope="module")
def shipped():
    return posterior.load("xai")


# --------------------------------------------------------------------------- free parameters


def test_scale_parameters_scale_the_scenario_and_leave_the_rest(base):
    run = freeparams.apply(base, {"shock_scale": 2.0, "poaching_scale": 0.5, "announce_scale": 2.0})
    assert [s.hazard_amp for s in run.shocks] == [2.0 * s.hazard_amp for s in base.shocks]
    assert [f.offers_per_year for f in run.firms] == [0.5 * f.offers_per_year for f in base.firms]
    for role, p in base.observation.announce_prob.items():
        expected = p if role == "co_founder" else min(1.0, 2.0 * p)
        assert run.observation.announce_prob[role] == pytest.approx(expected)
    assert run.hazard == base.hazard and run.company == base.company
    assert [s.hazard_amp for s in base.shocks] != [s.hazard_amp for s in run.shocks]  # the input was not mutated


def test_free_parameter_outside_its_prior_or_unknown_is_refused(base):
    with pytest.raises(ConfigError, match=r"free\.shock_scale=20.*\[0.25, 4.0\]"):
        freeparams.apply(base, {"shock_scale": 20.0})
    with pytest.raises(ConfigError, match=r"free\.nope.*one of base_annual"):
        freeparams.apply(base, {"nope": 1.0})


# --------------------------------------------------------------------------- posterior sample and draws


def _toy(weights) -> posterior.Posterior:
    n = len(weights)
    return posterior.Posterior(pd.DataFrame({"shock_scale": np.linspace(0.5, 2.0, n), "weight": weights}))


def test_draws_follow_the_weights_and_do_not_depend_on_how_many_are_taken():
    post = _toy([0.1, 0.0, 0.6, 0.3])
    many = post.draw_indices(20000)
    freq = np.bincount(many, minlength=4) / many.size
    assert freq[1] == 0.0
    np.testing.assert_allclose(freq, [0.1, 0.0, 0.6, 0.3], atol=0.015)
    assert list(post.draw_indices(7)) == list(many[:7])
    assert post.draw(5)["shock_scale"] == post.samples.shock_scale.iloc[many[5]]
    with pytest.raises(ConfigError, match="posterior_draw"):
        post.draw(-2)


def test_weighted_quantiles_match_quantiles_of_replicated_rows():
    rng = np.random.default_rng(3)
    x = rng.uniform(0.25, 4.0, 40)
    counts = rng.integers(1, 6, 40)
    post = posterior.Posterior(pd.DataFrame({"shock_scale": x, "weight": counts / counts.sum()}))
    expanded = np.repeat(x, counts)
    for q in (0.05, 0.5, 0.95):
        assert post.quantiles(q).iloc[0, 0] == pytest.approx(np.quantile(expanded, q, method="inverted_cdf"))


def test_shrinkage_is_zero_for_a_sample_of_the_prior_and_near_one_for_a_narrow_posterior():
    rng = np.random.default_rng(11)
    n = 20000
    prior_like = pd.DataFrame(
        {name: freeparams.BY_NAME[name].from_unit(rng.random(n)) for name in ("shock_scale", "base_annual")}
    )
    summ = posterior.Posterior(prior_like.assign(weight=1.0)).summary(0.9).set_index("parameter")
    assert summ.shrinkage.abs().max() < 0.03, summ  # log-uniform shock_scale included: widths on the log scale
    narrow = pd.DataFrame({"shock_scale": rng.uniform(0.99, 1.01, 500), "weight": 1.0})
    assert posterior.Posterior(narrow).summary(0.9).shrinkage.iloc[0] > 0.99


def test_a_run_gets_its_posterior_draw_and_free_values_last(base, shipped, tmp_path):
    k = 3
    run = as_run_config(sim.compose(["posterior_file=xai", f"posterior_draw={k}", "+free.burst_gain=0.05"]))
    values = shipped.draw(k)
    assert run.hazard.base_annual == pytest.approx(values["base_annual"])
    scale = values["shock_scale"]
    assert [s.hazard_amp for s in run.shocks] == pytest.approx([scale * s.hazard_amp for s in base.shocks])
    assert run.observation.burst_gain == 0.05  # `free` wins over the posterior draw
    median = as_run_config(sim.compose(["posterior_file=xai"]))  # posterior_draw=-1: the median
    assert median.hazard.contagion == pytest.approx(shipped.median()["contagion"])


def test_posterior_config_sets_the_medians_with_one_override(shipped):
    run = as_run_config(sim.compose(["+posterior=xai"]))
    for name, value in shipped.median().items():
        assert run.free[name] == pytest.approx(value, rel=1e-5)
    assert run.hazard.base_annual == pytest.approx(shipped.median()["base_annual"], rel=1e-5)


def test_bad_posterior_files_are_refused_with_the_file_and_reason(tmp_path):
    with pytest.raises(DataError, match="not found"):
        posterior.load(tmp_path / "missing.csv")
    (tmp_path / "a.csv").write_text("shock_scale,mass\n1.0,1\n")
    with pytest.raises(DataError, match=r"a\.csv.*missing column weight"):
        posterior.load(tmp_path / "a.csv")
    (tmp_path / "b.csv").write_text("shock_sclae,weight\n1.0,1\n")
    with pytest.raises(DataError, match="unknown parameter column.*shock_sclae"):
        posterior.load(tmp_path / "b.csv")
    (tmp_path / "c.csv").write_text("shock_scale,weight\n1.0,1\n2.0,-1\n")
    with pytest.raises(DataError, match="line 3"):
        posterior.load(tmp_path / "c.csv")


# --------------------------------------------------------------------------- targets


def test_observed_statistics_count_the_shipped_announcements():
    deps = observed.load_departures()
    spec = targets.shipped_spec()
    for i, (first, last) in enumerate(spec.bins):
        count = sum(first <= d <= last for d in deps["announced"])
        assert targets.observed_stats()[f"ann_w{i + 1}"] == count
    weekly = sum(targets.observed_stats()[f"ann_w{i + 1}"] for i in range(len(spec.bins)))
    assert weekly == (deps["announced"] >= spec.start).sum() == 12  # Greg Yang in Jan, then the eleven of 6-12 Feb
    assert targets.observed_stats()["founders"] == observed.founders_remaining(targets.FOUNDERS_DAY)


def test_simulated_statistics_agree_with_the_run_tables(base):
    run = dataclasses.replace(base, window=dataclasses.replace(base.window, start="2025-12-15", end="2026-02-12"))
    res = sim.simulate(run, seed=4)
    stats = targets.simulated_stats(res.daily, res.departures, 1000)
    first = targets.shipped_spec().start
    feb = res.daily[(res.daily.date >= first) & (res.daily.date <= targets.END)]
    assert sum(stats[f"ann_w{i}"] for i in range(1, targets.WEEKS + 1)) == feb.announced.sum()
    ann = res.departures.dropna(subset=["announced"])
    ann = ann[(ann.announced >= first) & (ann.announced <= targets.END)]
    assert len(ann) == feb.announced.sum()  # every announcement in the daily table has its leaver
    lag = np.array([(a - d).days for a, d in zip(ann.announced, ann.date, strict=True)])
    assert stats["late"] == (lag >= targets.LATE_DAYS).sum()
    hc = int(res.daily.loc[res.daily.date == targets.HEADCOUNT_DAY, "headcount"].iloc[0])
    assert stats["headcount_short"] == max(0, 1000 - hc)


def _prior_sample(names, n: int, seed: int) -> posterior.Posterior:
    """Equal-weight draws from the free parameters' priors, as a Posterior (what "no calibration" predicts)."""
    rng = np.random.default_rng(seed)
    return posterior.Posterior(
        pd.DataFrame({name: freeparams.BY_NAME[name].from_unit(rng.random(n)) for name in names}).assign(weight=1.0)
    )


def _mean_distance(pred: predictive.Predictive, scale: np.ndarray) -> float:
    """Mean over draws of the scaled L1 distance between a draw's summary statistics and the observed ones."""
    obs = np.array([targets.observed_stats()[s] for s in targets.STATS])
    return float((np.abs(pred.stats[list(targets.STATS)].to_numpy(float) - obs) / scale).sum(axis=1).mean())


def test_posterior_predictive_fits_the_record_better_than_the_prior_predictive(base, shipped):
    """The shipped posterior must predict the record better than its prior does: the mean scaled L1 distance of
    its predictive draws to the observed statistics (scales: the prior predictive's mean absolute deviations, as
    ABC's first generation weighs them) is below 0.8 of the prior predictive's, and its 90 % band of daily
    announcements is narrower. Measured (60 draws each, prior samples of seeds 0-2): ratio 0.66-0.72, band widths
    21 against 76-82 announcement-days; a second prior sample in the posterior's place gives ratios 0.85-1.04, so
    the test fails for a "posterior" that is the prior. (Coverage alone cannot tell them apart: the prior's wider
    bands cover all 12 observed days.) The 90 % band also holds at least 10 of the 12 observed daily
    counts (nominal 90 %; binomial slack) and the 50 % band at least 4 (nominal 6)."""
    end = targets.END.isoformat()
    post = predictive.simulate(base, shipped, draws=60, procs=1, window_end=end, progress=False)
    prior = predictive.simulate(base, _prior_sample(shipped.names, 400, seed=0), draws=60, window_end=end,
                                progress=False)  # fmt: skip
    x = prior.stats[list(targets.STATS)].to_numpy(float)
    scale = np.abs(x - np.median(x, axis=0)).mean(axis=0)
    scale = np.where(scale > 0, scale, 1.0)
    d_post, d_prior = _mean_distance(post, scale), _mean_distance(prior, scale)
    assert d_post < 0.8 * d_prior, (d_post, d_prior)

    def band_width(pred):
        b = predictive.bands(pred.daily, "announced").reindex(targets.observed_daily().index)
        return float((b["q95"] - b["q05"]).sum())

    assert band_width(post) < band_width(prior), (band_width(post), band_width(prior))
    cov = predictive.coverage(post)
    assert cov["days"] == 12
    assert cov["covered_90"] >= 10, cov
    assert cov["covered_50"] >= 4, cov


# --------------------------------------------------------------------------- ABC (pyabc)


NO_PYABC = "pyabc is not installed (pip install -e '.[calibrate]')"


def _abc(run, params, seed, procs, observed, population=12, generations=2):
    calibrate = pytest.importorskip("sim.calibration.abcsmc", reason=NO_PYABC)
    logging.getLogger("ABC").setLevel(logging.WARNING)
    s = calibrate.Settings(
        params=params, population=population, generations=generations, seed=seed, procs=procs, progress=False
    )
    return calibrate.run_abc(run, s, observed=observed, headcount_floor=1000)


@pytest.mark.slow
def test_abc_recovers_known_parameters():
    """On data simulated by the model at known values, the true values lie in the 90 % credible intervals; the
    data were informative: data made with a low and a high shock_scale give posterior medians in that order,
    and at the low value shock_scale's interval is clearly narrower than its prior's. (Over 8 synthetic data
    sets, experiments/calibration_recovery.py: 15 of 16 intervals held the truth, 94 % for a nominal 90 %;
    shrinkage 0.32-0.40 at the low value, 0.15-0.35 at the high one, where the upper tail stays open.)"""
    calibrate = pytest.importorskip("sim.calibration.abcsmc", reason=NO_PYABC)
    run = freeparams.apply(as_run_config(sim.compose(RECOVERY)), RECOVERY_FIXED)
    medians = []
    for k, truth in enumerate(RECOVERY_TRUTHS):
        obs = calibrate.synthetic_stats(run, truth, seed=1000 + k, headcount_floor=1000, window_end="2026-02-12")
        result = _abc(run, tuple(truth), seed=k, procs=1, observed=obs, population=40, generations=3)
        summ = result.posterior.summary(0.9).set_index("parameter")
        for name, value in truth.items():
            assert summ.loc[name, "lo"] <= value <= summ.loc[name, "hi"], (truth, name, summ.loc[name].to_dict())
        if k == 0:
            assert summ.loc["shock_scale", "shrinkage"] > 0.2, summ
        medians.append(summ.loc["shock_scale", "median"])
    assert medians[0] < medians[1], medians


@pytest.mark.slow
def test_abc_same_seed_same_posterior_on_any_number_of_processes():
    pytest.importorskip("sim.calibration.abcsmc", reason=NO_PYABC)
    run = as_run_config(sim.compose(TINY))
    obs = targets.shipped_spec(dt.date.fromisoformat(run.window.start)).observed
    before = np.random.get_state()[1].copy()  # noqa: NPY002 - checking pyabc's use of the global generator
    one = _abc(run, ("shock_scale", "announce_scale"), seed=7, procs=1, observed=obs).posterior.samples
    two = _abc(run, ("shock_scale", "announce_scale"), seed=7, procs=2, observed=obs).posterior.samples
    other = _abc(run, ("shock_scale", "announce_scale"), seed=8, procs=1, observed=obs).posterior.samples
    pd.testing.assert_frame_equal(one, two)
    assert not one.equals(other)
    np.testing.assert_array_equal(np.random.get_state()[1], before)  # noqa: NPY002 - restored after each run
