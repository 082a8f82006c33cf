"""Inference that says what it learned (issue 24, item 4): the amortised ABC behind simulation-based calibration
against a conjugate model with a known posterior, SBC's coverage on it, and the diagnostics' definitions."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sim.calibration import posterior, predictive

sbc = pytest.importorskip("sim.calibration.sbc", reason="pyabc is not installed (pip install -e '.[calibrate]')")


def _toy_table(n: int, seed: int, noise: float = 0.5) -> sbc.Table:
    """theta ~ N(0, 1); statistics: theta + N(0, noise^2), and a second one of pure noise (which tells nothing)."""
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=(n, 1))
    stats = pd.DataFrame({"s": theta[:, 0] + noise * rng.normal(size=n), "junk": rng.normal(size=n)})
    return sbc.Table(("theta",), theta, stats)


def test_regression_adjusted_abc_matches_the_conjugate_posterior():
    """Normal prior, normal noise (sd 0.5): the posterior given s = 1 is N(0.8, 0.2) in closed form."""
    t = _toy_table(20000, seed=1)
    s = t.stats.to_numpy(float)
    post, w = sbc.abc_posterior(t.z, s, np.array([1.0, 0.0]), sbc.mad_scale(s), accept=0.05)
    mean = float(np.sum(w * post[:, 0]))
    var = float(np.sum(w * (post[:, 0] - mean) ** 2))
    assert mean == pytest.approx(0.8, abs=0.05)
    assert var == pytest.approx(0.2, rel=0.2)


def test_sbc_on_the_conjugate_model_covers_at_the_nominal_rates():
    """200 synthetic records: the 50 % / 90 % intervals hold the truth 50 % / 90 % of the time (within about three
    binomial standard deviations) and the ranks pass a chi-square test of uniformity."""
    t = _toy_table(6000, seed=2)
    res = sbc.run_sbc(t, n_test=200, accept=0.1)
    row = res.summary.iloc[0]
    assert 0.4 <= row.coverage_50 <= 0.6, row
    assert 0.83 <= row.coverage_90 <= 0.96, row
    assert row.rank_uniformity_p > 0.001, row


def test_sbc_catches_an_overconfident_posterior():
    """The same records fitted with a posterior that ignores the noise (the rejection step alone on a tiny share,
    then the regression on too few rows) must show coverage below nominal: SBC can fail."""
    t = _toy_table(3000, seed=3, noise=0.5)
    s = t.stats.to_numpy(float)
    scale = sbc.mad_scale(s)
    covered = []
    for i in range(200):
        post, w = sbc.abc_posterior(t.z[200:], s[200:], s[i], scale, accept=0.0)  # the minimum: 30 rows
        lo, hi = sbc.weighted_quantile(post[:, 0], w, [0.05, 0.95])
        covered.append(lo <= t.z[i, 0] <= hi)
        post = post * 0.3 + float(np.sum(w * post[:, 0])) * 0.7  # shrink the spread: an overconfident fit
        lo, hi = sbc.weighted_quantile(post[:, 0], w, [0.05, 0.95])
        covered[-1] = (covered[-1], lo <= t.z[i, 0] <= hi)
    honest, shrunk = (np.mean([c[k] for c in covered]) for k in (0, 1))
    assert shrunk < 0.6 < 0.8 < honest


def test_variance_shrinkage_is_zero_on_the_prior_and_names_the_unidentified():
    rng = np.random.default_rng(0)
    n = 20000
    df = pd.DataFrame({"shock_scale": np.exp(rng.uniform(np.log(0.25), np.log(4.0), n)),  # log-uniform prior
                       "contagion": rng.uniform(0.0, 8.0, n), "weight": 1.0})  # fmt: skip
    df.loc[:, "contagion"] = np.where(np.arange(n) % 2 == 0, 4.0, 4.1)  # pinned down
    summ = posterior.Posterior(df).summary(0.9).set_index("parameter")
    assert abs(summ.loc["shock_scale", "shrinkage_var"]) < 0.03
    assert summ.loc["contagion", "shrinkage_var"] > 0.99
    assert posterior.not_identified(summ.reset_index()) == ["shock_scale"]


def test_predictive_p_value_names_what_the_model_cannot_reproduce():
    draws = pd.DataFrame({"a": np.arange(100.0), "b": np.zeros(100)})
    checks = predictive.stat_checks(predictive.Predictive(pd.DataFrame(), draws), {"a": 30.0, "b": 3.0})
    p = checks.set_index("statistic")
    assert p.loc["a", "p_value"] == pytest.approx(2 * 0.31)  # 31 of 100 draws at or below 30, 70 at or above
    assert p.loc["b", "p_value"] == 0.0 and not p.loc["b", "reproduced"] and p.loc["a", "reproduced"]


def test_effective_sample_size_and_stop_reason():
    abcsmc = pytest.importorskip("sim.calibration.abcsmc")
    assert abcsmc.effective_sample_size(np.ones(200)) == pytest.approx(200)
    assert abcsmc.effective_sample_size([1.0, 0, 0, 0]) == pytest.approx(1)
    gens = pd.DataFrame({"t": [-1, 0, 1], "epsilon": [np.inf, 4.0, 3.0], "samples": [10, 100, 5000],
                         "particles": [10, 100, 100]}).assign(acceptance=lambda g: g.particles / g.samples)  # fmt: skip
    s = abcsmc.Settings(generations=8, min_acceptance=0.05)
    assert abcsmc.stop_reason(gens, s, 10.0) == (
        "stopped on the acceptance rate 0.020 fell below 0.05; the threshold fell 25.0 % in the last generation"
    )
    assert "generation budget (2)" in abcsmc.stop_reason(gens, abcsmc.Settings(generations=2), 10.0)


def test_defensive_proposal_is_a_density_and_bounds_the_importance_weights():
    """The proposal mixed with the standard logistic prior integrates to 1 (1-D, by quadrature), equals pyabc's kernel
    at prior_share 0, and no prior / proposal ratio exceeds 1 / prior_share."""
    abcsmc = pytest.importorskip("sim.calibration.abcsmc")
    from scipy import integrate

    x = pd.DataFrame({"a": np.random.default_rng(0).normal(size=40) * 0.3})
    w = np.full(40, 1 / 40)
    mixed, plain = abcsmc.DefensiveTransition(2.0, 0.1), abcsmc.DefensiveTransition(2.0, 0.0)
    for t in (mixed, plain):
        t.fit(x, w)
    total, _ = integrate.quad(lambda v: mixed.pdf(pd.DataFrame({"a": [v]}))[0], -40, 40, points=[0.0], limit=200)
    assert total == pytest.approx(1.0, abs=1e-4)
    import pyabc

    ref = pyabc.MultivariateNormalTransition(scaling=2.0)
    ref.fit(x, w)
    grid = pd.DataFrame({"a": np.linspace(-3, 3, 7)})
    np.testing.assert_allclose(plain.pdf(grid), ref.pdf(grid))
    z = pd.DataFrame({"a": np.linspace(-15, 15, 301)})
    prior = np.exp(-z.a - 2 * np.log1p(np.exp(-z.a))).to_numpy()
    assert (prior / mixed.pdf(z)).max() <= 10.0 + 1e-9
    with np.errstate(divide="ignore", over="ignore"):
        assert (prior / plain.pdf(z)).max() > 1e6  # without the prior's share a tail particle carries the population


def test_the_regression_is_not_extrapolated_past_the_simulations():
    """An observed value beyond every simulation of one statistic: that statistic is named and left out of the
    regression, so the adjusted draws equal a regression on the other statistic alone, worked out here by lstsq."""
    t = _toy_table(4000, seed=4)
    s = t.stats.to_numpy(float)
    obs = np.array([0.5, s[:, 1].max() + 5.0])  # `junk` far above every simulation
    scale = sbc.mad_scale(s)
    assert sbc.outside_statistics(["s", "junk"], s, obs, scale, 0.1) == ["junk"]
    post, w = sbc.abc_posterior(t.z, s, obs, scale, accept=0.1)
    x = (s - obs) / scale
    d = np.sqrt((x**2).sum(axis=1))
    idx = np.argpartition(d, 399)[:400]
    kern = 1 - (d[idx] / (d[idx].max() * 1.0001)) ** 2
    design = np.column_stack([np.ones(400), x[idx, :1]]) * np.sqrt(kern)[:, None]
    beta = np.linalg.lstsq(design, t.z[idx] * np.sqrt(kern)[:, None], rcond=None)[0]
    order = np.argsort(idx)
    expected = t.z[idx] - x[idx, :1] @ beta[1:]
    assert np.allclose(post[order], expected[order]) and np.allclose(w[order], (kern / kern.sum())[order])
    inside = np.array([0.5, 0.0])
    assert sbc.outside_statistics(["s", "junk"], s, inside, scale, 0.1) == []


def test_the_shipped_posterior_records_what_it_learned():
    """The shipped posterior's JSON: Kish's effective sample size of its own weights, each parameter's shrinkage,
    and the SBC of the estimator that made it over at least 100 synthetic records, for every parameter."""
    post = posterior.load("xai")
    w = post.samples["weight"].to_numpy()
    assert post.meta["ess"] == pytest.approx(w.sum() ** 2 / (w**2).sum(), abs=0.1)
    diag = post.meta["diagnostics"]
    assert set(diag["shrinkage"]) == set(post.names)
    assert set(diag["not_identified"]) == {n for n, v in diag["shrinkage"].items() if v < 0.1}
    assert diag["sbc"]["records"] >= 100 and set(diag["sbc"]["parameters"]) == set(post.names)
    for c in diag["sbc"]["parameters"].values():
        assert 0 <= c["coverage_50"] <= c["coverage_90"] <= 1
