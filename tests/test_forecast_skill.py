"""Reference forecasts, their scores and the model's skill (sim.forecast), and the rolling-origin backtest (issue 24,
items 1 and 2)."""

from __future__ import annotations

import datetime as dt
import shutil

import numpy as np
import pandas as pd
import pytest
from scipy import special, stats

from sim.data import observed, record
from sim.forecast import compare, events, references, rolling, skill
from sim.forecast.references import Forecast, Hawkes

FEB = lambda d: dt.date(2026, 2, d)  # noqa: E731


def _folder(tmp_path, **extra_rows) -> str:
    """A copy of the shipped record with rows appended to some of its files."""
    for name in ("departures", "founders", "headcount", "counts"):
        shutil.copy(observed.DATA / f"{name}.csv", tmp_path / f"{name}.csv")
    for name, rows in extra_rows.items():
        with open(tmp_path / f"{name}.csv", "a") as f:
            f.write("".join(r + "\n" for r in rows))
    return str(tmp_path)


# --------------------------------------------------------------------------- scores against closed forms


@pytest.mark.parametrize(("mean", "y"), [(0.4, 0), (0.4, 2), (3.0, 1), (7.5, 11), (20.0, 12)])
def test_poisson_crps_matches_the_closed_form_and_the_kernel_sum(mean, y):
    """The exact count CRPS of a Poisson forecast equals the closed form of Wei & Held (2014),
    (y - m)(2 F(y) - 1) + 2 m f(y) - m exp(-2m) (I0(2m) + I1(2m)), and the kernel form E|X - y| - E|X - X'| / 2
    summed directly over the pmf."""
    got = skill.crps(Forecast.poisson(mean), y)
    m = mean
    closed = (y - m) * (2 * stats.poisson.cdf(y, m) - 1) + 2 * m * stats.poisson.pmf(y, m)
    closed -= m * (special.i0e(2 * m) + special.i1e(2 * m))  # i0e(x) = exp(-x) I0(x)
    assert got == pytest.approx(closed, rel=1e-6, abs=1e-9)
    k = np.arange(200)
    p = stats.poisson.pmf(k, mean)
    kernel = p @ np.abs(k - y) - 0.5 * p @ np.abs(k[:, None] - k[None, :]) @ p
    assert got == pytest.approx(kernel, rel=1e-6, abs=1e-9)


def test_persistence_crps_is_the_distance_to_the_level_at_the_cutoff():
    """Persistence forecasts no more events: its CRPS is |y - y0| in levels, i.e. the count after the cutoff."""
    fc = references.persistence([7])[7]
    for y0, y in ((6, 6), (6, 8), (0, 11)):
        assert skill.crps(fc, y - y0) == abs(y - y0)
    assert skill.row(fc, 0)["in_50"] and not skill.row(fc, 1)["in_90"]


def test_ensemble_crps_is_that_of_the_empirical_distribution():
    """The model's draws are scored as their empirical distribution: mean |x - y| - mean |x_i - x_j| / 2."""
    x = np.random.default_rng(3).poisson(4.0, size=37)
    for y in (0, 3, 9):
        want = np.abs(x - y).mean() - 0.5 * np.abs(x[:, None] - x[None, :]).mean()
        assert skill.crps(Forecast.from_samples(x), y) == pytest.approx(want, rel=1e-9)


def test_quantiles_and_coverage_of_a_poisson_forecast():
    fc = Forecast.poisson(5.0)
    for p in (0.05, 0.25, 0.5, 0.75, 0.95):
        assert fc.quantile(p) == stats.poisson.ppf(p, 5.0)
    r = skill.row(fc, 5)
    assert r["in_50"] and r["in_90"] and r["mean"] == pytest.approx(5.0)
    assert not skill.row(fc, 15)["in_90"]


# --------------------------------------------------------------------------- skill


def _windows(ys):
    return pd.DataFrame({"target": "announced", "horizon": 7, "start": FEB(6), "end": FEB(12), "observed": ys})


def test_skill_sign_on_cases_with_a_known_answer():
    """A model whose draws sit on the outcome beats references that miss it (skill > 0); a model far off loses to a
    reference on the outcome (skill < 0), and the verdict says the reference beats the model."""
    ys = [4, 6]
    refs = {"announced": {n: {7: Forecast.poisson(1.0)} for n in references.REFERENCES}}
    refs["announced"]["persistence"] = {7: Forecast(np.array([1.0]))}
    good = np.tile(np.array(ys, float), (20, 1))
    tab = skill.table(skill.score(_windows(ys), good, refs))
    pooled = tab[(tab.horizon == skill.ALL) & (tab.forecaster != skill.MODEL)]
    assert (pooled.model_skill > 0).all() and (pooled.model_skill <= 1).all()
    assert tab[(tab.forecaster == skill.MODEL)].crps.max() == 0
    refs["announced"]["rate_30d"] = {7: Forecast.poisson(5.0)}  # close to both outcomes
    bad = np.full((20, 2), 30.0)
    tab = skill.table(skill.score(_windows(ys), bad, refs))
    pooled = tab[(tab.horizon == skill.ALL)].set_index("forecaster")
    assert (pooled.drop(skill.MODEL).model_skill < 0).all()
    assert skill.winners(tab).winner.iloc[0] == "rate_30d"
    assert "A REFERENCE BEATS THE MODEL" in skill.lines(tab)[0] and "rate_30d" in skill.lines(tab)[0]
    # both perfect: undefined; only the reference perfect: -inf
    assert np.isnan(skill._skill(0.0, 0.0)) and skill._skill(0.5, 0.0) == -np.inf


# --------------------------------------------------------------------------- the record's series and the cutoff


def test_targets_and_windows_of_the_shipped_record_at_5_feb():
    rec = record.load()
    wins, skipped = events.windows(rec, FEB(5))
    assert set(wins.horizon) == {7}  # 14, 30 and 60 days pass the record's last day (12 Feb)
    got = wins.set_index("target").observed
    assert got["founders"] == 2 and got["announced"] == 11  # Wu and Ba; all eleven posts of 6-12 Feb
    assert got["role:co_founder"] == 2 and got["role:researcher"] == 1
    assert sum(got[k] for k in got.index if k.startswith("role:")) <= 11
    assert len(skipped) == 3 * len(wins) and all("after the record's last day" in s for s in skipped)


def test_roles_and_destinations_map_to_the_models_vocabulary():
    assert events.role_of("ML researcher") == "researcher"
    assert events.role_of("member of technical staff") == "engineer"
    assert events.role_of("co-founder, reasoning lead", co_founder=True) == "co_founder"
    assert events.role_of("Research Lead") == "research_lead" and events.role_of("operations") == "operations"
    assert events.role_of("Macrohard founding team") == ""
    firms = {"meta": "rival_lab", "startup_lab": "startup"}
    assert events.destination_kind_of("Meta", firms) == "rival_lab"
    assert events.destination_kind_of("spinout-3", firms) == "spinout"
    assert events.destination_kind_of("out", firms) == "out" and events.destination_kind_of("Acme", firms) == ""


def test_trailing_rates_of_the_founders_by_hand():
    """Founders gone by 5 Feb 2026: Szegedy (Feb 2025), Babuschkin (Aug 2025) and Yang (20 Jan 2026) in the trailing
    12 months, Yang alone in the trailing 30 days."""
    rec = record.load()
    days = events.event_days(rec, events.Target("founders"), FEB(5))
    first = events.span_start(rec, events.Target("founders"))
    assert first == dt.date(2024, 4, 1)
    assert references.trailing_rate(days, first, FEB(5), 365) == pytest.approx(3 / 365)
    assert references.trailing_rate(days, first, FEB(5), 30) == pytest.approx(1 / 30)


def test_a_reference_fitted_at_a_cutoff_never_sees_later_data(tmp_path):
    """Adding departures, founder exits and destinations after the cutoff changes the outcomes scored, never the
    references' fits or forecasts."""
    src = '"a test source"'
    later = record.load(_folder(
        tmp_path,
        departures=[f"2026-02-{d:02d},Person {i},ML researcher,false,,,{src}" for i, d in enumerate((6, 7, 7, 8))],
        founders=[f"Test founder,2026-02-07,,{src}"],
    ))  # fmt: skip
    shipped = record.load()
    a, b = compare.prepare(shipped, FEB(5), seed=1), compare.prepare(later, FEB(5), seed=1)
    pd.testing.assert_frame_equal(a.fitted, b.fitted)
    for t in a.references:
        for name in references.REFERENCES:
            np.testing.assert_array_equal(a.references[t][name][7].pmf, b.references[t][name][7].pmf)
    ya, yb = a.windows.set_index("target").observed, b.windows.set_index("target").observed
    assert yb["announced"] == ya["announced"] + 4 and yb["founders"] == ya["founders"] + 1
    # and the same holds for a cutoff with events before it: 20 Jan (Yang gone), Hawkes fitted on four exits
    c, d = compare.prepare(shipped, dt.date(2026, 1, 29), seed=2), compare.prepare(later, dt.date(2026, 1, 29), seed=2)
    pd.testing.assert_frame_equal(c.fitted, d.fitted)
    assert c.fitted.set_index("target").loc["founders", "events"] == 4


# --------------------------------------------------------------------------- Hawkes


def test_hawkes_mle_recovers_known_parameters_from_a_simulated_sequence():
    truth = Hawkes(mu=0.3, alpha=0.6, beta=0.5)
    t = references.simulate_hawkes(truth, np.array([]), 0.0, 1000.0, 1, np.random.default_rng(2))[0]
    assert 550 < t.size < 950  # mean mu T / (1 - alpha) = 750
    fit = references.fit_hawkes(t, 1000.0)
    assert fit.mu == pytest.approx(truth.mu, rel=0.25)
    assert fit.alpha == pytest.approx(truth.alpha, abs=0.1)
    assert fit.beta == pytest.approx(truth.beta, rel=0.4)
    # the likelihood is highest near the truth: a Poisson of the same mean count fits worse
    assert references.hawkes_loglik(t, 1000.0, fit.mu, fit.alpha, fit.beta) > references.hawkes_loglik(
        t, 1000.0, t.size / 1000.0, 0.0, 1.0
    )


def test_hawkes_forecast_means_match_their_expectations():
    """No excitation: a Poisson(mu h) count. With a past event's excitement still to come and no base rate: the
    expected count in (now, now + h] is alpha exp(-beta age) (1 - exp(-beta (1 - alpha) h)) / (1 - alpha)."""
    rng = np.random.default_rng(5)
    h = 30.0
    fut = references.simulate_hawkes(Hawkes(0.2, 0.0, 1.0), np.array([1.0, 2.0]), 10.0, h, 4000, rng)
    assert np.mean([f.size for f in fut]) == pytest.approx(0.2 * h, rel=0.05)
    a, b, age = 0.5, 0.2, 3.0
    fut = references.simulate_hawkes(Hawkes(0.0, a, b), np.array([10.0 - age]), 10.0, h, 20000, rng)
    want = a * np.exp(-b * age) * (1 - np.exp(-b * (1 - a) * h)) / (1 - a)
    assert np.mean([f.size for f in fut]) == pytest.approx(want, rel=0.05)
    assert all(((f > 10.0) & (f <= 10.0 + h)).all() for f in fut)


# --------------------------------------------------------------------------- rolling origin


def test_rolling_origins_are_monthly_then_weekly_up_to_the_last_scorable_day():
    cuts = rolling.origins(dt.date(2025, 9, 1), FEB(12))
    assert cuts[-1] == FEB(5) and cuts[0] == dt.date(2025, 9, 30)
    assert cuts == sorted(set(cuts)) and all(c > dt.date(2025, 9, 1) for c in cuts)
    weekly = [c for c in cuts if c >= FEB(5) - dt.timedelta(days=rolling.WEEKLY_DAYS)]
    assert len(weekly) == rolling.WEEKLY_DAYS // 7 + 1 and set(np.diff(weekly)) == {dt.timedelta(days=7)}
    monthly = [c for c in cuts if c not in weekly]
    assert monthly == [dt.date(2025, 9, 30), dt.date(2025, 10, 31), dt.date(2025, 11, 30)]
    assert rolling.origins(FEB(6), FEB(12)) == []


def test_rolling_backtest_on_a_users_folder_is_resumable(tmp_path, monkeypatch):
    """A tiny rolling backtest on a user's folder (the shipped CSVs copied) of a 200-person lab: two origins, each
    calibrated on the record up to it; a rerun skips both (no backtest runs) and returns the same scores."""
    abcsmc = pytest.importorskip("sim.calibration.abcsmc")
    pytest.importorskip("scoringrules")
    import sim
    from sim.run.simulate import as_run_config

    (tmp_path / "data").mkdir()
    rec = record.load(_folder(tmp_path / "data"))
    run = as_run_config(sim.compose(["window.start=2026-01-27", "company.headcount=200"]))
    settings = abcsmc.Settings(params=("shock_scale",), population=6, generations=1, max_simulations=60, procs=1,
                               progress=False)  # fmt: skip
    job = rolling.Job(run, rec, settings, 6, False, tmp_path / "out")
    cuts = rolling.origins(dt.date(2026, 1, 27), rec.end)
    assert cuts == [dt.date(2026, 1, 29), FEB(5)]
    said = []
    first = rolling.run_rolling(job, cuts, procs=1, say=said.append)
    assert len(said) == 2 and all("origin" in s for s in said)
    assert sorted(p.name for p in (tmp_path / "out" / "origins").iterdir()) == ["2026-01-29.json", "2026-02-05.json"]
    assert set(first.cutoff) == set(cuts) and (first.end <= rec.end).all() and (first.start > first.cutoff).all()
    po = rolling.per_origin(first)
    assert set(po.reference) == set(references.REFERENCES) and len(rolling.mean_skill(po)) == 4

    def boom(*_):
        raise AssertionError("a finished origin was run again")

    monkeypatch.setattr(rolling, "run_origin", boom)
    again = rolling.run_rolling(job, cuts, procs=1, say=said.append)
    assert "resuming: 2 of 2" in said[-1]
    pd.testing.assert_frame_equal(first, again)


def test_backtest_command_needs_exactly_one_of_cutoff_and_rolling(capsys):
    from sim.cli import backtest as cli

    for argv in ([], ["--cutoff", "2026-02-05", "--rolling"]):
        with pytest.raises(SystemExit) as exc:
            cli.main(argv)
        assert exc.value.code == 2 and "give either --cutoff DATE or --rolling" in capsys.readouterr().err
    assert "tiny" in cli.BACKTEST_PRESETS and "--rolling" in cli.parser().format_help()


def test_backtest_writes_the_skill_table_and_scores_persistence_by_its_closed_form(tmp_path):
    """A backtest at 5 Feb with the shipped posterior (no ABC): skill.csv and skill.parquet hold the same table;
    persistence's CRPS on each window is the count observed after the cutoff; the report names the winners."""
    pytest.importorskip("scoringrules")
    import sim
    from sim.calibration import backtest, backtest_report, posterior
    from sim.run.simulate import as_run_config

    run = as_run_config(sim.compose(["window.start=2026-01-15", "company.headcount=300"]))
    bt = backtest.run_backtest(run, record.load(), FEB(5), draws=6, posterior=posterior.load("xai"), progress=False,
                               later_events=False)  # fmt: skip
    sc = bt.skill.scores
    per = sc[sc.forecaster == "persistence"]
    assert (per.crps == per.observed).all() and set(per.target) >= {"founders", "announced"}
    backtest_report.write(bt, tmp_path)
    csv, pq = pd.read_csv(tmp_path / "skill.csv"), pd.read_parquet(tmp_path / "skill.parquet")
    assert len(csv) == len(pq) == len(bt.skill.table) and list(csv.columns) == list(pq.columns)
    assert (tmp_path / "skill.png").stat().st_size > 10_000
    text = (tmp_path / "report.md").read_text()
    assert "## Skill against reference forecasts" in text and "- founders:" in text


def test_destinations_become_targets_when_the_record_names_them(tmp_path):
    """A record whose departures name where people went gets a target per destination kind, counted alike in the
    record and in a run's departures table (by announcement date)."""
    deps = (observed.DATA / "departures.csv").read_text().splitlines()
    feb = [i for i, ln in enumerate(deps[1:]) if ln.startswith("2026-02-")]  # the record's February week, in order
    where = {feb[0]: ",Meta", feb[1]: ",Meta", feb[2]: ",spinout-1"}  # announced 6, 7 and 9 Feb
    rows = [deps[0] + ",destination"] + [ln + where.get(i, ",") for i, ln in enumerate(deps[1:])]
    (tmp_path / "departures.csv").write_text("\n".join(rows) + "\n")
    rec = record.load(tmp_path)
    names = [t.name for t in events.targets(rec, {"meta": "rival_lab"})]
    assert "destination:rival_lab" in names and "destination:spinout" in names and "founders" not in names
    t = events.Target("destination", "rival_lab")
    assert events.observed_count(rec, t, FEB(6), FEB(7), {"meta": "rival_lab"}) == 2
    run = pd.DataFrame(
        {
            "date": [FEB(1), FEB(2), FEB(3)],
            "founder": [False, True, False],
            "role": "engineer",
            "announced": [FEB(6), FEB(7), None],
            "destination_kind": ["rival_lab", "out", "rival_lab"],
        }
    )
    assert events.model_count(run, t, FEB(6), FEB(12)) == 1
    assert events.model_count(run, events.Target("founders"), FEB(1), FEB(12)) == 1
    assert events.model_count(run, events.Target("role", "engineer"), FEB(6), FEB(6)) == 1


def test_backtest_takes_the_record_from_observed_dir_when_observed_is_not_given(tmp_path):
    from types import SimpleNamespace

    from sim.cli import backtest as cli

    folder = _folder(tmp_path, departures=['2026-02-13,Someone,engineer,false,,,"a test source"'])
    shipped = record.load()
    run = SimpleNamespace(observed=SimpleNamespace(dir=folder))
    assert cli._own_record(SimpleNamespace(observed=""), run, shipped).end == FEB(13)
    assert cli._own_record(SimpleNamespace(observed="x"), run, shipped) is shipped  # --observed wins
    assert cli._own_record(SimpleNamespace(observed=""), SimpleNamespace(observed=SimpleNamespace(dir="")),
                           shipped) is shipped  # fmt: skip
