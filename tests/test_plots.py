"""The figures of exodus-compare: files written, envelopes and Kaplan-Meier curves against direct computations."""

import datetime as dt
import xml.etree.ElementTree as ET

import numpy as np
import pandas as pd
import pytest

import sim
from sim.analysis.compare import per_run, policy_table
from sim.analysis.plots import _observed_cumulative, envelope, km_curves, plot_all
from sim.analysis.sweep import read_sweep, tenure_rows
from sim.data.observed import load_departures
from sim.figures.shocklabels import shock_groups
from sim.run.files import read_summary, write_atomic, write_run

POLICIES = ("none", "transparent_leadership")
SEEDS = (0, 1)
FIGURES = ("announced", "announced_by_policy", "founders", "averted", "tenure_km")


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A small sweep written the way the Hydra app writes it: folder per run, `.hydra/overrides.yaml`."""
    root = tmp_path_factory.mktemp("plots") / "sweep"
    for policy in POLICIES:
        for seed in SEEDS:
            overrides = [f"policy={policy}", f"seed={seed}", "company.headcount=300"]
            folder = root / ",".join(sorted(overrides))
            write_run(sim.simulate(sim.compose(overrides)), folder)
            write_atomic(folder / ".hydra" / "overrides.yaml", "".join(f"- {o}\n" for o in overrides).encode())
    return read_sweep(root, progress=False)


def test_every_figure_is_written_as_png_and_svg(sweep, tmp_path):
    table = policy_table(per_run(sweep.runs, sweep.daily))
    paths = plot_all(sweep, table, "none", 0.9, tmp_path)
    assert sorted(p.name for p in paths) == sorted(f"{f}.{e}" for f in FIGURES for e in ("png", "svg"))
    for p in paths:
        data = p.read_bytes()
        if p.suffix == ".png":
            assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
        else:
            root = ET.fromstring(data)
            assert root.tag.endswith("svg")
            # every policy is named on the figures that show policies
            if p.stem in ("announced_by_policy", "founders", "tenure_km"):
                assert all(policy.encode() in data for policy in POLICIES), p.name
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temporary files


def test_envelope_is_the_quantile_over_runs_of_cumulative_announcements(sweep):
    d = sweep.daily[sweep.daily.arm == "none"]
    env = envelope(d, "announced", cumulative=True)
    for day in ("2025-10-15", "2026-02-12", "2026-08-31"):
        counts = []
        for run in d.run.unique():
            deps = pd.read_csv(sweep.root / run / "departures.csv", parse_dates=["announced"])
            counts.append(int((deps.announced <= day).sum()))
        got = env.loc[pd.Timestamp(day)]
        assert got.q50 == pytest.approx(np.median(counts))
        assert got.q05 == pytest.approx(np.quantile(counts, 0.05))
        assert got.q95 == pytest.approx(np.quantile(counts, 0.95))
        assert got.runs == len(SEEDS)
    since = envelope(d, "announced", cumulative=True, since="2026-02-06")
    assert since.index.min() == pd.Timestamp("2026-02-06")
    assert (since.q50.diff().dropna() >= 0).all()


def test_tenure_data_accounts_for_every_person(sweep):
    for run in sweep.runs.run:
        t = sweep.tenure[sweep.tenure.run == run]
        daily = pd.read_csv(sweep.root / run / "daily.csv")
        deps = pd.read_csv(sweep.root / run / "departures.csv", parse_dates=["hired"])
        figures = read_summary(sweep.root / run)["figures"]
        start = t[t.cohort == "start"]
        hired = t[t.cohort == "hired"]
        assert start["count"].sum() == figures["headcount_start"]
        assert hired["count"].sum() == daily.hires.sum() == figures["hires"]
        assert start[start.event]["count"].sum() + hired[hired.event]["count"].sum() == len(deps)
        assert hired[hired.event]["count"].sum() == int((deps.hired >= "2025-09-01").sum())
        # everyone still at the lab is censored at the window's end: the headcount on the last day
        censored = start[~start.event]["count"].sum() + hired[~hired.event]["count"].sum()
        assert censored == daily.headcount.iloc[-1]


def test_tenure_rows_of_a_five_day_lab_by_hand():
    """3 starting staff (A leaves on day 1); X hired on day 0 leaves on day 3; Y and Z hired on day 2 stay."""
    daily = pd.DataFrame(
        {
            "date": pd.date_range("2025-09-01", periods=5).date,
            "headcount": [4, 3, 5, 4, 4],
            "hires": [1, 0, 2, 0, 0],
            "departures": [0, 1, 0, 1, 0],
        }
    )
    deps = pd.DataFrame({"date": ["2025-09-02", "2025-09-04"], "hired": ["2024-01-01", "2025-09-01"]})
    got = tenure_rows(daily, deps, dt.date(2025, 9, 1))
    want = [("hired", 3, False, 2), ("hired", 3, True, 1), ("start", 1, True, 1), ("start", 5, False, 2)]
    assert list(got.itertuples(index=False, name=None)) == want


def test_kaplan_meier_of_starting_staff_is_the_share_remaining(sweep):
    """No starting staff are censored before the window ends, so KM equals the plain share still there."""
    fits = km_curves(sweep.tenure, "start")
    runs = sweep.runs[sweep.runs.arm == "none"].run
    n0, left_by = 0, np.zeros(400)
    for run in runs:
        deps = pd.read_csv(sweep.root / run / "departures.csv", parse_dates=["date", "hired"])
        n0 += read_summary(sweep.root / run)["figures"]["headcount_start"]
        old = deps[deps.hired < "2025-09-01"]
        np.add.at(left_by, (old.date - pd.Timestamp("2025-09-01")).dt.days.to_numpy(), 1)
    share = 1 - np.cumsum(left_by) / n0
    sf = fits["none"]
    for day in (5, 11, 60, 160, 364):
        assert float(sf.survival_function_at_times(day).iloc[0]) == pytest.approx(share[day])


def test_kaplan_meier_of_hires_matches_a_product_limit_by_hand(sweep):
    t = sweep.tenure[(sweep.tenure.cohort == "hired") & (sweep.tenure.arm == "transparent_leadership")]
    surv, s = {}, 1.0
    for time in sorted(t.duration.unique()):
        at_risk = t.loc[t.duration >= time, "count"].sum()
        events = t.loc[(t.duration == time) & t.event, "count"].sum()
        s *= 1 - events / at_risk
        surv[time] = s
    kmf = km_curves(sweep.tenure, "hired")["transparent_leadership"]
    for time in list(surv)[:: max(1, len(surv) // 12)]:
        assert float(kmf.survival_function_at_times(time).iloc[0]) == pytest.approx(surv[time])


def _week(dep: pd.DataFrame) -> pd.DataFrame:
    """The record's last week of announcements (6-12 Feb 2026: the eleven of TechCrunch's timeline)."""
    return dep[dep.announced >= dep.announced.max() - dt.timedelta(days=6)]


def test_observed_line_counts_the_eleven_announcements_from_its_anchor():
    dep = _week(load_departures())
    assert len(dep) == 11
    first, last = dep.announced.min(), dep.announced.max()
    s = _observed_cumulative(first, last, anchor=20.0)
    assert s.iloc[0] == 20.0 and s.index[0] == pd.Timestamp(first - dt.timedelta(days=1))
    assert s.iloc[-1] == 20.0 + len(dep) and s.index[-1] == pd.Timestamp(last)
    on_10_feb = (dep.announced == dt.date(2026, 2, 10)).sum()
    assert s.loc[pd.Timestamp("2026-02-10")] - s.loc[pd.Timestamp("2026-02-09")] == on_10_feb


def test_shocks_close_in_time_share_a_letter_and_outside_ones_are_left_out():
    shocks = [
        {"name": "a", "date": "2025-08-01"},
        {"name": "b", "date": "2025-09-12"},
        {"name": "c", "date": "2026-02-02"},
        {"name": "d", "date": "2026-02-04"},
        {"name": "e", "date": "2026-02-10"},
    ]
    groups = shock_groups(shocks, dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert [(letter, [s["name"] for s in g]) for letter, g in groups] == [("A", ["b"]), ("B", ["c", "d"]), ("C", ["e"])]


def _integer_ticks(ax, axis="y") -> bool:
    """Whether every tick inside the axis' view is a whole number."""
    lo, hi = sorted(ax.get_ylim() if axis == "y" else ax.get_xlim())
    ticks = ax.get_yticks() if axis == "y" else ax.get_xticks()
    inside = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]
    return bool(inside) and all(float(t).is_integer() for t in inside)


def test_count_axes_have_whole_number_ticks(sweep):
    from sim.analysis.plots import announced_by_policy_figure

    table = policy_table(per_run(sweep.runs, sweep.daily))
    fig = announced_by_policy_figure(sweep.daily, sweep.runs, sweep.shocks, table, "none")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    insets = [child for ax in panels for child in ax.child_axes]
    assert len(insets) == len(POLICIES)  # every panel zooms on the observed week
    for ax in panels + insets:
        assert _integer_ticks(ax), ax.get_yticks()


def test_observed_week_inset_shows_the_eleven_announcements(sweep):
    from sim.analysis.plots import announced_by_policy_figure

    table = policy_table(per_run(sweep.runs, sweep.daily))
    fig = announced_by_policy_figure(sweep.daily, sweep.runs, sweep.shocks, table, "none")
    inset = fig.axes[0].child_axes[0]
    lo, hi = inset.get_xlim()
    dep = _week(load_departures())
    first, last = (pd.Timestamp(d).to_datetime64() for d in (dep.announced.min(), dep.announced.max()))
    import matplotlib.dates as mdates

    assert lo < mdates.date2num(first) and mdates.date2num(last) < hi and hi - lo <= 21  # the week fills the inset
    red = [line for line in inset.get_lines() if line.get_color() == "tab:red" and len(line.get_ydata()) > 1]
    assert red and red[0].get_ydata()[-1] == len(dep) and red[0].get_ydata()[0] == 0


def _money_value(label: str) -> float:
    text = label.split()[0].lstrip("$")
    scale = {"B": 1e9, "M": 1e6, "k": 1e3}.get(text[-1], 1.0)
    return float(text.rstrip("BMk")) * scale


def test_averted_bars_are_as_long_as_their_labels_say():
    from sim.analysis.plots import averted_figure

    table = pd.DataFrame(
        {
            "policy": ["none", "cheap", "dear", "useless"],
            "averted": [0.0, 20.0, 4.0, -3.0],
            "averted_lo": [np.nan, 10.0, -1.0, -8.0],
            "averted_hi": [np.nan, 30.0, 9.0, 2.0],
            "cost_total": [0.0, 2e6, 145e6, 30e6],
            "cost_lo": [0.0, 1.5e6, 140e6, 28e6],
            "cost_hi": [0.0, 2.5e6, 150e6, 32e6],
            "cost_per_averted": [np.nan, 1e5, 36.25e6, np.nan],
        }
    )
    fig = averted_figure(table, "none", 0.9)
    _, cost_ax, per_ax = fig.axes
    for ax, unit in ((cost_ax, 1e6), (per_ax, 1e6)):
        widths = [p.get_width() for p in ax.patches]
        labels = [t.get_text() for t in ax.texts]
        assert len(widths) == len(labels) == 3
        for width, label in zip(widths, labels, strict=True):
            if label.startswith("n/a"):
                assert width == 0
            else:
                assert _money_value(label) == pytest.approx(width * unit, rel=5e-3), (label, width)
        # the axis fits its bars: the longest bar (or interval) and room for its label, not twice that
        longest = max(widths) if ax is per_ax else max(max(widths), table.cost_hi.max() / 1e6)
        assert longest < ax.get_xlim()[1] <= 1.35 * longest
    rows = dict(zip(table.policy[::-1][:-1], [t.get_text() for t in per_ax.texts], strict=True))
    assert rows["cheap"] == "$100k" and rows["dear"].endswith("*") and rows["useless"].startswith("n/a")
    assert _integer_ticks(fig.axes[0], "x")


def test_kaplan_meier_panels_run_from_0_to_1_and_are_labelled(sweep):
    from sim.analysis.plots import tenure_figure

    table = policy_table(per_run(sweep.runs, sweep.daily))
    fig = tenure_figure(sweep.tenure, sweep.runs, sweep.shocks, table, "none")
    for ax in fig.axes:
        lo, hi = ax.get_ylim()
        assert lo == 0 and 1 <= hi <= 1.05
        assert ax.get_ylabel()


def test_fit_figure_has_whole_number_ticks_and_a_legend_clear_of_the_headcount_low(compose):
    """A posterior predictive table shaped like the real one: a layoff halves the staff on 12 Sep 2025."""
    import matplotlib.pyplot as plt

    from sim.calibration.fitreport import fit_fig
    from sim.calibration.predictive import Predictive
    from sim.config.load import as_run_config

    days = pd.date_range("2025-09-01", "2026-02-12").date
    rng = np.random.default_rng(0)
    frames = []
    for draw in range(8):
        k = np.arange(len(days))
        headcount = np.where(k < 11, 1100, 1060 - 450 * np.exp(-(k - 11) / 40.0)).round() + rng.integers(-5, 5)
        frames.append(
            pd.DataFrame(
                {
                    "draw": draw,
                    "date": days,
                    "announced": rng.poisson(0.3, len(days)),
                    "founders_remaining": 9 - (k > 120 + 10 * draw) - (k > 160),
                    "headcount": headcount.astype(int),
                    "departures": rng.poisson(2, len(days)),
                }
            )
        )
    pred = Predictive(pd.concat(frames, ignore_index=True), pd.DataFrame({"draw": range(8)}))
    fig = fit_fig(pred, as_run_config(compose()))
    try:
        fig.canvas.draw()
        for ax in fig.axes:
            assert _integer_ticks(ax), (ax.get_title(), ax.get_yticks())
        ax = fig.axes[3]  # headcount
        box = ax.get_legend().get_window_extent()
        median = next(line for line in ax.get_lines() if line.get_label() == "simulated median")
        xy = ax.transData.transform(np.column_stack([mdates_num(median.get_xdata()), median.get_ydata()]))
        under = (xy[:, 0] >= box.x0) & (xy[:, 0] <= box.x1) & (xy[:, 1] >= box.y0) & (xy[:, 1] <= box.y1)
        assert not under.any()  # the low after the layoff is not under the legend
    finally:
        plt.close(fig)


def mdates_num(x):
    import matplotlib.dates as mdates

    return mdates.date2num(list(x))


def _figures(sweep, tmp_path, monkeypatch) -> dict:
    """Every figure `plot_all` draws, by name (caught as it is saved)."""
    from sim.analysis import plots
    from sim.analysis.compare import destination_table

    figs, save = {}, plots.save

    def grab(fig, out, name):
        figs[name] = fig
        return save(fig, out, name)

    monkeypatch.setattr(plots, "save", grab)
    table = policy_table(per_run(sweep.runs, sweep.daily))
    plot_all(sweep, table, "none", 0.9, tmp_path, destination_table(sweep.runs, sweep.destinations))
    return figs


def test_a_policy_has_the_same_colour_in_every_figure(sweep, tmp_path, monkeypatch):
    """The Kaplan-Meier lines and the destination bars of a policy share its palette colour (none: black)."""
    from matplotlib.colors import to_rgba

    from sim.figures.palette import policy_color

    figs = _figures(sweep, tmp_path, monkeypatch)
    assert {"tenure_km", "destinations"} <= set(figs)
    for policy in POLICIES:
        want = to_rgba(policy_color(policy))
        lines = [ln for ax in figs["tenure_km"].axes for ln in ax.get_lines() if ln.get_label() == policy]
        bars = [c for ax in figs["destinations"].axes for c in ax.containers if c.get_label() == policy]
        assert lines and bars, policy
        assert all(to_rgba(ln.get_color()) == want for ln in lines), policy
        assert all(to_rgba(p.get_facecolor()) == pytest.approx(want) for c in bars for p in c.patches), policy
    assert policy_color("none") == "black" and policy_color("a_bundle_of_mine") == policy_color("a_bundle_of_mine")
    from sim.config.defaults import shipped_policies

    named = [policy_color(p) for p in shipped_policies()]
    assert len(set(named)) == len(named)  # every named policy its own colour


def test_every_numeric_axis_of_every_figure_is_labelled(sweep, tmp_path, monkeypatch):
    """A numeric axis carries a label (its own, or that of the panel it shares); date axes and axes of named
    categories (policies, destinations) label themselves."""
    import matplotlib.dates as mdates

    figs = _figures(sweep, tmp_path, monkeypatch)
    missing = []
    for name, fig in figs.items():
        fig.draw_without_rendering()  # tick labels are set when a figure is drawn
        for ax in fig.axes:
            if ax.get_label() == "<colorbar>" or not ax.get_visible():
                continue
            for which in ("x", "y"):
                axis = ax.xaxis if which == "x" else ax.yaxis
                ticks = [t.get_text() for t in axis.get_ticklabels()]
                if isinstance(axis.get_major_formatter(), mdates.ConciseDateFormatter | mdates.DateFormatter):
                    continue  # dates
                if any(t and not t.replace("−", "-").replace("%", "").replace(",", "").replace(".", "").lstrip(
                        "-$").rstrip("Mk").isdigit() for t in ticks):  # fmt: skip
                    continue  # categories named on the ticks
                if not ticks or not any(ticks) or ax.bbox.width < 0.3 * fig.bbox.width / 3:
                    continue  # no tick labels (an inset, or a panel that shares them)
                shared = (ax.get_shared_x_axes() if which == "x" else ax.get_shared_y_axes()).get_siblings(ax)
                labels = [a.get_xlabel() if which == "x" else a.get_ylabel() for a in shared]
                if not any(labels):  # (the figures' supxlabel is their footnote, not a label)
                    missing.append(f"{name}: {which} axis of {ax.get_title() or ax}")
    assert not missing, missing


def test_kaplan_meier_tails_with_fewer_than_10_at_risk_are_dotted(sweep):
    """reliable_until: 20 people leaving one a day, none censored, have 21 - t at risk on day t, so at least 10
    until day 11; the figure draws the tail after it dotted."""
    from lifelines import KaplanMeierFitter

    from sim.analysis.plots import MIN_AT_RISK, reliable_until, tenure_figure

    kmf = KaplanMeierFitter().fit(np.arange(1, 21), np.ones(20, dtype=bool))
    assert MIN_AT_RISK == 10 and reliable_until(kmf) == 11
    table = policy_table(per_run(sweep.runs, sweep.daily))
    fig = tenure_figure(sweep.tenure, sweep.runs, sweep.shocks, table, "none")
    hired = fig.axes[1]
    for policy in POLICIES:
        fit = km_curves(sweep.tenure, "hired")[policy]
        cut = reliable_until(fit)
        solid = [ln for ln in hired.get_lines() if ln.get_label() == policy][0]
        assert max(solid.get_xdata()) <= cut
        if fit.event_table.index.max() > cut:  # a tail exists: drawn dotted, from the cut on
            dotted = [
                ln for ln in hired.get_lines() if ln.get_linestyle() == ":" and ln.get_color() == solid.get_color()
            ]
            assert dotted and min(dotted[0].get_xdata()) == max(solid.get_xdata())
