"""The record as user data (folders of CSVs, cut at a date) and the backtest (calibrate up to a cutoff, score the rest).

The backtests need the calibrate extra (pyabc, scoringrules); they are skipped without it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import shutil
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.calibration import posterior, targets
from sim.config import freeparams
from sim.config.load import as_run_config
from sim.config.params import ConfigError
from sim.data import observed, record
from sim.data.observed import DataError

FEB = lambda d: dt.date(2026, 2, d)  # noqa: E731
SHIPPED = observed.DATA


def _folder(tmp_path, **files) -> str:
    """A copy of the shipped record's CSVs with some files replaced (text) or removed (None)."""
    for name in ("departures", "founders", "headcount", "counts"):
        shutil.copy(SHIPPED / f"{name}.csv", tmp_path / f"{name}.csv")
    for name, text in files.items():
        if text is None:
            (tmp_path / f"{name}.csv").unlink()
        else:
            (tmp_path / f"{name}.csv").write_text(text)
    return str(tmp_path)


# --------------------------------------------------------------------------- the record as data


def test_a_folder_in_the_shipped_schema_loads_as_the_shipped_record(tmp_path):
    mine, shipped = record.load(_folder(tmp_path)), record.load()
    for kind in ("departures", "founders", "headcount", "counts"):
        pd.testing.assert_frame_equal(getattr(mine, kind), getattr(shipped, kind))
    assert mine.end == shipped.end == FEB(12)
    assert targets.spec(mine).observed == targets.observed_stats()


def test_counts_rows_are_validated_with_file_line_and_reason(tmp_path):
    head = "start,end,what,bound,value,source\n"
    cases = {
        "2026-02-12,2026-02-01,departures,lower,5,x\n": r"line 2: column end: 2026-02-01 is before start",
        "2026-02-01,2026-02-12,key people,lower,5,x\n": r"line 2: column what: 'key people' is not one of departures",
        "2026-02-01,2026-02-12,departures,at_least,5,x\n": r"line 2: column bound: 'at_least' is not one of lower",
        "2026-02-01,2026-02-12,departures,lower,many,x\n": r"line 2: column value: 'many' is not a whole number",
        "2026-02-01,2026-02-12,departures,lower,5,\n": r"line 2: column source: empty",
    }
    for row, message in cases.items():
        folder = _folder(tmp_path, counts=head + row)
        with pytest.raises(DataError, match=r"counts\.csv, " + message):
            record.load(folder)
    with pytest.raises(DataError, match=r"departures\.csv: file not found"):
        record.load(_folder(tmp_path, departures=None))
    with pytest.raises(DataError, match="not a folder"):
        record.load(tmp_path / "nope")


def test_optional_files_and_the_destination_column(tmp_path):
    deps = (SHIPPED / "departures.csv").read_text().splitlines()
    with_dest = [deps[0] + ",destination"] + [line + (",Meta" if i == 0 else ",") for i, line in enumerate(deps[1:])]
    rec = record.load(_folder(tmp_path, departures="\n".join(with_dest) + "\n", founders=None, counts=None))
    assert rec.founders is None and rec.counts.empty
    assert list(rec.departures.destination[:2]) == ["Meta", ""]
    spec = targets.spec(rec)
    assert "founders" not in spec.observed and "key_departures_short" not in spec.observed
    assert rec.end == FEB(12)  # the headcount figure (11 Feb) and the last announcement (12 Feb)


def test_cut_keeps_what_was_known_on_the_day():
    rec = record.load()
    seen = record.cut(rec, FEB(9))
    assert max(seen.departures.announced) == FEB(9) and (seen.departures.announced >= FEB(6)).sum() == 4
    assert seen.end == FEB(9)
    assert observed.founders_remaining(FEB(12), seen.founders) == 7  # Jimmy Ba (10 Feb) not yet gone
    assert seen.counts.empty and list(seen.headcount.date) == [dt.date(2025, 3, 15)]
    stats = targets.spec(seen).observed
    weekly = sum(v for k, v in stats.items() if k.startswith("ann_w"))
    assert stats["founders"] == 7 and weekly == 5  # Greg Yang (20 Jan) and four of 6-9 Feb
    assert "headcount_short" not in stats and "key_departures_short" not in stats


def test_the_key_departures_bound_scores_zero_at_or_above_fifty(base_run):
    """The shipped count "over 50 key employees" (1-12 Feb 2026) is a target; a run's statistic is its shortfall."""
    spec = targets.shipped_spec(dt.date(2026, 1, 15))  # base_run's window start
    assert spec.observed["key_departures_short"] == 0
    assert spec.counts == (("key_departures_short", FEB(1), FEB(12), "key_departures", "lower", 50),)
    res = sim.simulate(base_run, seed=2)
    deps = res.departures
    feb = deps[(deps.date >= FEB(1)) & (deps.date <= FEB(12))]
    key = int((feb.role != "operations").sum())
    assert spec.simulated(res.daily, deps)["key_departures_short"] == max(0, 50 - key)
    # more key departures than the bound: zero; fewer: the shortfall
    extra = pd.concat([deps] + [feb[feb.role != "operations"]] * 3, ignore_index=True)
    assert spec.simulated(res.daily, extra)["key_departures_short"] == 0
    few = deps[~deps.index.isin(feb.index[feb.role != "operations"][3:])]
    assert spec.simulated(res.daily, few)["key_departures_short"] == 47


@pytest.fixture(scope="module")
def base_run():
    return as_run_config(sim.compose(["window.start=2026-01-15", "window.end=2026-02-20"]))


# --------------------------------------------------------------------------- scoring


def test_crps_matches_analytic_values():
    backtest = pytest.importorskip("sim.calibration.backtest")
    pytest.importorskip("scoringrules")
    assert backtest.crps(3.0, [5.0] * 10) == pytest.approx(2.0)  # point mass: |y - x|
    x = np.random.default_rng(0).normal(0.0, 2.0, 40000)
    z = 0.7 / 2.0  # CRPS of N(0, 2^2) at y = 0.7 (Gneiting & Raftery 2007)
    exact = 2.0 * (z * (2 * stats.norm.cdf(z) - 1) + 2 * stats.norm.pdf(z) - 1 / np.sqrt(np.pi))
    assert backtest.crps(0.7, x) == pytest.approx(exact, rel=0.02)
    many = backtest.crps(np.array([3.0, 0.7]), np.vstack([np.full(x.size, 5.0), x]))
    np.testing.assert_allclose(many, [2.0, backtest.crps(0.7, x)])


def test_randomised_pit_coverage_is_nominal_for_a_calibrated_count_forecast():
    """Poisson observations scored against draws from the same Poisson: randomised-PIT coverage is nominal, while
    inclusive intervals of integer draws over-cover; bounds get the probability of being met."""
    from sim.calibration import backtest

    rng = np.random.default_rng(5)
    n, draws = 2000, 400
    obs = pd.DataFrame({"kind": "announced", "what": "x", "start": FEB(1), "end": FEB(1), "bound": "exact",
                        "value": rng.poisson(1.5, n)})  # fmt: skip
    sims = rng.poisson(1.5, (draws, n))
    scores = backtest.score(obs, sims.astype(float), seed=1)
    assert scores.pit_in_90.mean() == pytest.approx(0.9, abs=0.025)
    assert scores.pit_in_50.mean() == pytest.approx(0.5, abs=0.035)
    assert scores.in_90.mean() > 0.95  # inclusive integer intervals over-cover
    bound = pd.DataFrame([{"kind": "count", "what": "departures", "start": FEB(1), "end": FEB(12), "bound": "lower",
                           "value": 2}])  # fmt: skip
    b = backtest.score(bound, sims[:, :1].astype(float))
    assert b.p_bound.iloc[0] == pytest.approx((sims[:, 0] >= 2).mean())
    assert np.isnan(b.crps.iloc[0])


# --------------------------------------------------------------------------- backtests (pyabc)


def _settings(seed: int, population: int = 16):
    calibrate = pytest.importorskip(
        "sim.calibration.abcsmc", reason="pyabc is not installed (pip install -e '.[calibrate]')"
    )
    pytest.importorskip("scoringrules")
    logging.getLogger("ABC").setLevel(logging.WARNING)
    return calibrate.Settings(
        params=("shock_scale", "announce_scale"),
        population=population,
        generations=2,
        seed=seed,
        procs=1,
        progress=False,
    )


def test_backtest_of_the_shipped_record_at_9_feb_scores_10_to_12_feb():
    settings = _settings(0, population=12)
    from sim.calibration import backtest

    run = as_run_config(sim.compose(["window.start=2026-01-15"]))
    bt = backtest.run_backtest(run, record.load(), FEB(9), settings, draws=20, procs=1, progress=False)
    sc = bt.scores
    days = sc[sc.kind == "announced"]
    assert list(days.end) == [FEB(10), FEB(11), FEB(12)]
    assert list(days.observed) == [5, 1, 1]  # the shipped announcements of 10, 11 and 12 Feb
    assert min(sc.end) > FEB(9)  # nothing the calibration saw is scored
    assert list(sc[sc.kind == "founders_remaining"].observed) == [6, 6, 6]
    bounds = sc[sc.bound == "lower"].set_index("kind")
    assert bounds.loc["headcount", "observed"] == 1000 and bounds.loc["count", "observed"] == 50
    assert bt.posterior.meta["observed"]["founders"] == 7  # calibrated on 9 Feb's record: Ba still there
    assert bt.posterior.meta["settings"]["window_end"] == "2026-02-09"
    assert ((0 <= sc.crps.dropna()) & (sc.crps.dropna() < 20)).all()


def test_backtest_intervals_cover_later_points_of_simulated_records_at_the_nominal_rate():
    """Records simulated by the model at known parameters (a 300-person lab from 25 Jan 2026), each cut at 9 Feb and
    backtested with a tiny ABC: pooled over 4 records (92 later points: daily announcements and founders remaining
    10-20 Feb, and a headcount), randomised-PIT coverage is close to nominal (measured 0.89 for 90 %, 0.55 for
    50 %), and the inclusive 90 % intervals cover at least nominally."""
    from sim.calibration import backtest

    run = as_run_config(sim.compose(["window.start=2026-01-25", "company.headcount=300"]))
    truth = {"shock_scale": 1.0, "announce_scale": 1.0}
    scores = []
    for k in range(4):
        res = sim.simulate(freeparams.apply(run, truth), seed=500 + k)
        rec = backtest.synthetic_record(res.daily, res.departures, FEB(20))
        on_day = res.daily.set_index("date").founders_remaining
        assert [observed.founders_remaining(d, rec.founders) for d in (FEB(1), FEB(20))] == [
            on_day[FEB(1)],
            on_day[FEB(20)],
        ]
        bt = backtest.run_backtest(run, rec, FEB(9), _settings(k), draws=40, procs=1, progress=False)
        scores.append(bt.scores)
    pts = pd.concat(scores)
    pts = pts[pts.bound == "exact"]
    assert len(pts) == 4 * 23
    assert 0.8 <= pts.pit_in_90.mean() <= 0.97, pts.pit_in_90.mean()
    assert 0.35 <= pts.pit_in_50.mean() <= 0.65, pts.pit_in_50.mean()
    assert pts.in_90.mean() >= 0.88, pts.in_90.mean()


def test_backtest_refuses_a_cutoff_with_nothing_after_it():
    from sim.calibration import backtest

    run = as_run_config(sim.compose(["window.start=2026-01-15"]))
    with pytest.raises(ConfigError, match=r"cutoff='2026-02-12'.*before the record's end 2026-02-12"):
        backtest.run_backtest(run, record.load(), FEB(12), draws=5)
    with pytest.raises(ConfigError, match=r"cutoff='2026-01-01'.*from the window's start 2026-01-15"):
        backtest.run_backtest(run, record.load(), dt.date(2026, 1, 1), draws=5)


def test_backtest_command_help_and_bad_input(tmp_path):
    cmd = [sys.executable, "-m", "sim.cli.backtest"]
    out = subprocess.run([*cmd, "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0 and "--cutoff" in out.stdout and "--observed" in out.stdout
    bad = subprocess.run([*cmd, "--cutoff", "9 Feb"], capture_output=True, text=True, timeout=60)
    assert bad.returncode == 2 and "'9 Feb' is not a date" in bad.stderr
    pytest.importorskip("pyabc")
    pytest.importorskip("scoringrules")
    missing = subprocess.run([*cmd, "--cutoff", "2026-02-09", "--observed", str(tmp_path)], capture_output=True,
                             text=True, timeout=120, cwd=tmp_path)  # fmt: skip
    assert missing.returncode == 2 and "departures.csv: file not found" in missing.stderr
    assert not (tmp_path / "results").exists()


# --------------------------------------------------------------------------- experiments/forecast.py


def test_forecast_destinations_use_the_destination_column_when_the_model_has_one():
    from experiments.forecast import destinations

    deps = pd.DataFrame({"cause": ["poached", "voluntary", "forced", "poached"], "firm": ["meta", "", "", None]})
    assert list(destinations(deps)) == ["meta", "voluntary", "forced", "poached"]
    with_dest = deps.assign(
        destination=["meta", "other_tech", "four_unit_reorg", "spinout-1"],
        destination_kind=["rival_lab", "other_tech", "forced", "spinout"],
    )
    assert list(destinations(with_dest)) == ["rival_lab: meta", "other_tech", "forced", "spinout"]


def test_forecast_table_counts_agree_with_the_runs(tmp_path, capsys):
    """Three draws: the markdown table is printed and written; founders gone never decrease with the date, and the
    destinations add up to the researchers and engineers who left (checked on the draws' own rows)."""
    from experiments import forecast

    post = posterior.load("xai")
    run = as_run_config(sim.compose(["window.end=2026-05-14"]))
    rows = [forecast.one((run, post.draw(k), k, 12)) for k in range(3)]
    for r in rows:
        gone = [r[f"founders gone by {d:%d %b}"] for d in forecast.FOUNDER_DAYS]
        assert gone == sorted(gone) and 0 <= gone[0] <= 12
        assert (
            sum(v for k, v in r.items() if k.startswith("to: "))
            == r["researchers and engineers leaving 1 Feb - 14 May"]
        )
    assert forecast.main(["--draws", "2", "--procs", "1", "--out", str(tmp_path), "window.end=2026-05-14"]) == 0
    text = (tmp_path / "forecast.md").read_text()
    assert capsys.readouterr().out.strip() == text.strip()
    assert "| founders gone by 28 Feb |" in text and "| researchers and engineers leaving 1 Feb - 14 May |" in text


# --------------------------------------------------------------------------- observed.dir (Hydra)


def test_observed_dir_sets_the_fit_targets_and_leaves_the_run_hash_alone(tmp_path):
    from sim.cli.fit import FitSettings, objective
    from sim.run.simulate import config_hash

    folder = _folder(tmp_path, counts=None)
    short = ["window.start=2026-01-25", "window.end=2026-02-12", "company.headcount=300"]
    mine = as_run_config(sim.compose([*short, f"observed.dir={folder}"]))
    shipped = as_run_config(sim.compose(short))
    assert mine.observed.dir == folder and shipped.observed.dir == ""
    assert config_hash(mine, 0) == config_hash(shipped, 0)  # data to compare with does not change a run
    res = sim.simulate(shipped, seed=0)
    spec = targets.spec(record.load(folder), FEB(1) - dt.timedelta(days=7))
    stats = spec.simulated(res.daily, res.departures)
    assert "key_departures_short" not in stats  # that folder has no counts.csv
    expected = sum(abs(stats[k] - spec.observed[k]) for k in spec.observed)
    assert objective(mine, FitSettings(replicates=1)) == pytest.approx(expected)
    with pytest.raises(ConfigError, match=r"fit\.scales\.ann_9"):
        objective(mine, FitSettings(replicates=1, scales={"ann_9": 1.0}))
    early = as_run_config(sim.compose([*short[:2], "window.end=2026-02-10", f"observed.dir={folder}"]))
    with pytest.raises(ConfigError, match=r"window\.end='2026-02-10'.*record's last day, 2026-02-12"):
        objective(early, FitSettings(replicates=1))
    with pytest.raises(DataError, match=r"none: not a folder"):
        objective(as_run_config(sim.compose([*short, f"observed.dir={tmp_path / 'none'}"])), FitSettings())


# --------------------------------------------------------------------------- fit report and plots on a user's record


def test_fit_report_of_a_users_record_draws_its_observed_lines_to_its_end(tmp_path, monkeypatch):
    """exodus-calibrate --posterior xai --observed DIR: the report and checks are the folder's (no founders.csv: no
    founders target), and the figure's observed lines end on the folder's last day (9 Feb), not the window's."""
    from sim.calibration import fitreport
    from sim.cli import calibrate as calibrate_cli

    deps = (SHIPPED / "departures.csv").read_text().splitlines()
    early = [deps[0]] + [line for line in deps[1:] if line[:10] <= "2026-02-09"]
    (tmp_path / "rec").mkdir()
    folder = _folder(tmp_path / "rec", founders=None, counts=None,
                     departures="\n".join(early) + "\n", headcount="date,headcount,bound,what,source\n"
                     "2026-02-05,990,about,staff,test\n")  # fmt: skip
    figures = []
    keep = fitreport._save
    monkeypatch.setattr(fitreport, "_save", lambda fig, path: (figures.append(fig), keep(fig, path)))
    out = tmp_path / "out"
    calibrate_cli.calibrate_main(["--posterior", "xai", "--observed", folder, "--draws", "3", "--procs", "1",
                                  "--out", str(out), "--no-progress"])  # fmt: skip
    report = (out / "fit_report.md").read_text()
    assert f"Observed data: {folder}." in report
    checks = pd.read_csv(out / "predictive_checks.csv")
    assert list(checks.statistic)[-2:] == ["late", "headcount"]  # no founders.csv, no counts.csv
    assert [s for s in checks.statistic if s.startswith("ann_w")] == [f"ann_w{i}" for i in range(1, 7)]
    assert checks.set_index("statistic").observed.to_dict()["headcount"] == 990
    ann = figures[0].axes[0]  # daily announcements: observed points from 1 to 9 Feb only
    points = [ln for ln in ann.get_lines() if ln.get_label() == "observed"][0]
    assert max(points.get_xdata()) == FEB(9)
    founders_panel = figures[0].axes[2]
    assert not [ln for ln in founders_panel.get_lines() if ln.get_label() == "observed"]  # no founders.csv


def test_compare_plots_end_the_observed_line_with_the_record():
    from sim.analysis import plots

    rec = record.cut(record.load(), FEB(9))
    first, last, n = plots._observed_week(rec)
    assert (first, last, n) == (FEB(6), FEB(9), 4)
    line = plots._observed_cumulative(first, last, record=rec)
    assert line.index[-1] == pd.Timestamp(FEB(9)) and line.iloc[-1] == 4  # from 6 Feb: the week, not 2025's exits


def test_backtest_with_a_given_posterior_is_reproducible_and_lists_what_it_cannot_score(tmp_path):
    """No ABC (the shipped posterior): the same inputs give the same scores and files; a count that starts before
    the simulated window is listed as not scored, not silently dropped."""
    pytest.importorskip("scoringrules")
    from sim.calibration import backtest, backtest_report

    counts = (SHIPPED / "counts.csv").read_text() + "2025-02-01,2026-02-12,key_departures,lower,50,,test\n"
    rec = record.load(_folder(tmp_path, counts=counts))
    run = as_run_config(sim.compose(["window.start=2026-01-15"]))
    post = posterior.load("xai")
    one, two = (backtest.run_backtest(run, rec, FEB(10), draws=8, posterior=post, progress=False) for _ in range(2))
    pd.testing.assert_frame_equal(one.scores, two.scores)
    assert list(one.scores[one.scores.kind == "announced"].end) == [FEB(11), FEB(12)]
    assert one.summary["not_scored"] == ["count key_departures 2025-02-01..2026-02-12: starts before the window "
                                         "(2026-01-15)"]  # fmt: skip
    files = [backtest_report.write(bt, tmp_path / name) for bt, name in ((one, "a"), (two, "b"))]
    for a, b in zip(*files, strict=True):
        if a.suffix in (".csv", ".json"):
            assert a.read_bytes() == b.read_bytes(), a.name
    assert "- not scored: count key_departures 2025-02-01" in (tmp_path / "a" / "report.md").read_text()


def test_dashboard_reads_the_folder_in_exodus_observed(tmp_path, monkeypatch):
    """exodus-dashboard --observed DIR passes the folder as $EXODUS_OBSERVED; the key figures count observed
    announcements only up to the record's last day and show no founders without founders.csv."""
    from sim.dashboard import state
    from sim.dashboard.plots import timeline_figure

    deps = (SHIPPED / "departures.csv").read_text().splitlines()
    early = [deps[0]] + [line for line in deps[1:] if line[:10] <= "2026-02-09"]
    folder = _folder(tmp_path, departures="\n".join(early) + "\n", founders=None, counts=None, headcount=None)
    monkeypatch.setenv(state.OBSERVED_ENV, folder)
    state.observed_data.cache_clear()
    try:
        model = state.DashboardModel(seed=1, headcount=200)
        while model.running:
            model.step()
        figures = state.key_figures(model)
        # Mike Liberatore (reported 13 Sep 2025), Greg Yang (20 Jan 2026) and four of 6-9 Feb, inside the window
        assert figures["announced_observed"] == 6 and math.isnan(figures["founders_observed"])
        fig = timeline_figure(model, model.series())
        ann = [ln for ln in fig.axes[1].get_lines() if ln.get_label().startswith("observed")][0]
        assert pd.Timestamp(max(ann.get_xdata())) == pd.Timestamp(FEB(9))  # the line ends with the record
    finally:
        state.observed_data.cache_clear()


def test_dropping_later_events_forecasts_as_of_the_cutoff_day():
    """later_events=False leaves out the 10 Feb reorganisation, whose forced exits take two co-founders: on the same
    seeds, the forecast keeps about two more founders on 12 Feb."""
    pytest.importorskip("scoringrules")
    from sim.calibration import backtest

    run = as_run_config(sim.compose(["window.start=2026-01-15"]))
    post, rec = posterior.load("xai"), record.load()
    kept, dropped = (
        backtest.run_backtest(run, rec, FEB(9), draws=8, posterior=post, progress=False, later_events=flag)
        for flag in (True, False)
    )
    on = lambda bt: bt.daily[bt.daily.date == FEB(12)].set_index("draw").founders_remaining  # noqa: E731
    assert (on(dropped) - on(kept)).mean() >= 1.5
    assert dropped.summary["later_events"] is False
