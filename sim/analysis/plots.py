"""Figures of a sweep, written as PNG and SVG: envelopes over replications (median, 50 % and 90 % bands)
against the observed record, departures averted and cost per policy, and Kaplan-Meier retention curves.

Figures are built on `matplotlib.figure.Figure` (no pyplot, no global state) and written atomically.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import textwrap
from pathlib import Path

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from lifelines import KaplanMeierFitter
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from sim.data import observed
from sim.figures import palette
from sim.figures.shocklabels import mark_shocks, shock_groups, shock_key
from sim.model.shocks import kinds
from sim.run.files import write_atomic

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BAND_COLOR = palette.SIMULATED
OBS_COLOR = palette.OBSERVED
BASE_COLOR = palette.BASELINE_LINE


def save(fig: Figure, out: Path, name: str) -> list[Path]:
    """Write `name.png` and `name.svg` into `out`, each atomically."""
    paths = []
    for ext, kw in (("png", {"dpi": 150}), ("svg", {})):
        buf = io.BytesIO()
        fig.savefig(buf, format=ext, **kw)
        path = Path(out) / f"{name}.{ext}"
        write_atomic(path, buf.getvalue())
        paths.append(path)
    return paths


def envelope(daily: pd.DataFrame, column: str, cumulative: bool = False, since=None) -> pd.DataFrame:
    """Per date, the 5/25/50/75/95 % quantiles of `column` over runs (columns q05..q95, and `runs`).
    cumulative: cumulative sum per run, counted from `since` (a date; rows before it are dropped)."""
    wide = daily.pivot(index="date", columns="run", values=column).sort_index()
    if since is not None:
        wide = wide[wide.index >= pd.Timestamp(since)]
    if cumulative:
        wide = wide.cumsum()
    qs = np.nanquantile(wide.to_numpy(dtype=float), QUANTILES, axis=1)
    out = pd.DataFrame({f"q{round(q * 100):02d}": v for q, v in zip(QUANTILES, qs, strict=True)}, index=wide.index)
    out["runs"] = wide.notna().sum(axis=1)
    return out


def _draw_envelope(ax, env: pd.DataFrame, label: str = "simulated median", color=BAND_COLOR) -> None:
    x = env.index
    ax.fill_between(x, env.q05, env.q95, step="post", color=color, alpha=0.15, lw=0, label="90 % of runs")
    ax.fill_between(x, env.q25, env.q75, step="post", color=color, alpha=0.35, lw=0, label="50 % of runs")
    ax.step(x, env.q50, where="post", color=color, lw=1.8, label=label)


def _fmt_date(value) -> str:
    d = dt.date.fromisoformat(str(value))
    return f"{d.day} {d:%b %Y}"


def _date_axis(ax) -> None:
    loc = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(loc)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(loc))


def _footer(fig: Figure, text: str) -> None:
    """Notes under the figure, wrapped to its width (about 17 characters of 7.5 pt text per inch)."""
    width = int(fig.get_figwidth() * 17)
    wrapped = "\n".join(textwrap.fill(p, width) for p in text.split("\n"))
    fig.supxlabel(wrapped, fontsize=7.5, x=0.01, ha="left", color="0.25")


def _grid(n: int, panel=(3.6, 2.7), extra_h: float = 1.3):
    ncols = n if n <= 3 else (4 if n <= 8 else 5)
    nrows = math.ceil(n / ncols)
    fig = Figure(figsize=(panel[0] * ncols, panel[1] * nrows + extra_h), layout="constrained")
    axes = fig.subplots(nrows, ncols, sharex=True, sharey=True, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def _integer_ticks(ax, axis: str = "y") -> None:
    """Ticks at whole numbers only, for axes that count people or announcements."""
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_locator(MaxNLocator(integer=True))


def _ylabels(axes, label: str) -> None:
    """Label the y axis of the first panel of each row."""
    for ax in axes:
        if ax.get_subplotspec().is_first_col():
            ax.set_ylabel(label)


def _window(runs: pd.DataFrame) -> tuple[dt.date, dt.date]:
    return (
        dt.date.fromisoformat(str(runs.window_start.min())),
        dt.date.fromisoformat(str(runs.window_end.max())),
    )


def _observed_cumulative(first: dt.date, last: dt.date, anchor: float = 0.0, record=None) -> pd.Series:
    """Observed announcements counted from the day before `first` (value `anchor`) through `last`."""
    deps = None if record is None else record.departures
    per_day = observed.announced_by_day(first - dt.timedelta(days=1), last, deps)
    per_day.iloc[0] = 0
    s = per_day.cumsum() + anchor
    s.index = pd.to_datetime(s.index)
    return s


def _anchor(env: pd.DataFrame, first: dt.date) -> float:
    """The simulated median on the day before the observed record starts (0 if that day was not simulated)."""
    value = env.q50.reindex([pd.Timestamp(first - dt.timedelta(days=1))]).iloc[0]
    return float(value) if np.isfinite(value) else 0.0


def _observed_week(record=None) -> tuple[dt.date, dt.date, int]:
    """The record's last week (default: the shipped one): its first announcement in the 7 days to the record's end,
    that end (for the shipped record its last announcement) and the count; earlier rows (2025's executive exits)
    are history, not the wave."""
    dep = observed.load_departures() if record is None else record.departures
    last = record.end if record is not None and len(dep) else dep.announced.max()
    week = dep.announced[dep.announced >= last - dt.timedelta(days=6)]
    return week.min(), last, len(week)


def _record_name(record) -> str:
    return "sim/data/departures.csv: TechCrunch's timeline" if record is None else record.where


def _arms(table: pd.DataFrame) -> list[str]:
    return list(table.policy)


def plot_announced(daily, runs, shocks, baseline: str, out: Path, record=None) -> list[Path]:
    """Baseline: cumulative announced departures over the window, and over the observed week from a common zero."""
    start, end = _window(runs)
    first, last, n_obs = _observed_week(record)
    d = daily[daily.arm == baseline]
    n = d.run.nunique()
    groups = shock_groups(shocks, start, end)
    week_inside = start < first and last <= end
    fig = Figure(figsize=(13, 5.6), layout="constrained")
    axes = fig.subplots(1, 2 if week_inside else 1, squeeze=False, width_ratios=[1.6, 1] if week_inside else None)[0]

    ax = axes[0]
    env = envelope(d, "announced", cumulative=True)
    _draw_envelope(ax, env)
    if week_inside:
        obs = _observed_cumulative(first, last, _anchor(env, first), record)
        label = f"observed {n_obs} (from sim. median)"
        ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=2, label=label)
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    mark_shocks(ax, groups)
    _date_axis(ax)
    ax.set_ylabel(f"announced departures since {_fmt_date(start)}")
    _integer_ticks(ax)
    ax.set_title(f"Whole window: cumulative from {_fmt_date(start)}", fontsize=10, loc="left", pad=22)
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)

    if week_inside:
        ax = axes[1]
        lo = max(start, first - dt.timedelta(days=10))
        hi = min(end, last + dt.timedelta(days=16))
        env = envelope(d, "announced", cumulative=True, since=first)
        env.loc[pd.Timestamp(first - dt.timedelta(days=1))] = 0.0
        env = env.sort_index()
        env = env[env.index <= pd.Timestamp(hi)]
        _draw_envelope(ax, env)
        obs = _observed_cumulative(first, last, record=record)
        ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=2, label="observed (record ends here)")
        ax.plot(obs.index[-1], obs.values[-1], "o", color=OBS_COLOR)
        ax.set_xlim(pd.Timestamp(lo), pd.Timestamp(hi))
        mark_shocks(ax, groups)
        _date_axis(ax)
        ax.set_ylabel(f"announced since {_fmt_date(first)}")
        _integer_ticks(ax)
        ax.set_title(f"Observed week: both counted from {_fmt_date(first)}", fontsize=10, loc="left", pad=22)
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)

    fig.suptitle(f"Announced departures: simulated (policy {baseline}, {n} runs) against the observed record")
    _footer(
        fig,
        "Bands: 50 % and 90 % of runs per day; line: median over runs. Observed: the "
        f"{n_obs} departures announced {_fmt_date(first)} to {_fmt_date(last)} ({_record_name(record)}); there is "
        "no observed record outside that week, so the observed line is drawn only there: on the "
        "left it starts from the simulated median of the day before, on the right both count from the same day.\n"
        + shock_key(groups, kinds),
    )
    return save(fig, out, "announced")


def _week_inset(ax, d: pd.DataFrame, first: dt.date, last: dt.date, end: dt.date, bounds, record=None) -> None:
    """An inset zoomed on the observed week: simulated and observed announcements both counted from `first`."""
    hi = min(end, last + dt.timedelta(days=6))
    ins = ax.inset_axes(bounds)
    env = envelope(d, "announced", cumulative=True, since=first)
    env.loc[pd.Timestamp(first - dt.timedelta(days=1))] = 0.0
    env = env.sort_index()
    _draw_envelope(ins, env[env.index <= pd.Timestamp(hi)])
    obs = _observed_cumulative(first, last, record=record)
    ins.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=1.8)
    ins.plot(obs.index[-1], obs.values[-1], "o", color=OBS_COLOR, ms=3)
    ins.set_xlim(pd.Timestamp(first - dt.timedelta(days=2)), pd.Timestamp(hi))
    ins.set_ylim(bottom=0)
    ins.set_xticks([pd.Timestamp(first), pd.Timestamp(last)], [f"{first.day} {first:%b}", f"{last.day} {last:%b}"])
    _integer_ticks(ins)
    ins.tick_params(labelsize=6, length=2, pad=1)
    ins.set_title(f"zoom: counted from {first.day} {first:%b}", fontsize=6, pad=2)
    ins.grid(alpha=0.3)
    ax.axvspan(pd.Timestamp(first), pd.Timestamp(last), color=OBS_COLOR, alpha=0.15, lw=0)


INSET = (0.08, 0.5, 0.36, 0.42)  # the observed-week inset, in axes fraction: top left, where the window is quiet


def announced_by_policy_figure(daily, runs, shocks, table, baseline: str, record=None) -> Figure:
    """One panel per policy: cumulative announced departures, the baseline's median for reference, and an inset
    zoomed on the observed week (too short to see at the scale of the whole window)."""
    start, end = _window(runs)
    first, last, n_obs = _observed_week(record)
    groups = shock_groups(shocks, start, end)
    arms = _arms(table)
    fig, axes = _grid(len(arms), extra_h=1.7)
    base = envelope(daily[daily.arm == baseline], "announced", cumulative=True)
    week_inside = start < first and last <= end
    for ax, arm in zip(axes, arms, strict=True):
        d = daily[daily.arm == arm]
        env = envelope(d, "announced", cumulative=True)
        _draw_envelope(ax, env)
        if arm != baseline:
            ax.plot(base.index, base.q50, color=BASE_COLOR, lw=1, ls="--", label=f"{baseline}: median")
        if week_inside:
            obs = _observed_cumulative(first, last, _anchor(env, first), record)
            ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=1.8, label="observed week")
        ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
        ax.set_ylim(bottom=0)
        _integer_ticks(ax)
        mark_shocks(ax, groups)
        _date_axis(ax)
        ax.set_title(f"{arm} ({d.run.nunique()} runs)", fontsize=9, pad=28)
        ax.grid(alpha=0.3)
        if week_inside:
            _week_inset(ax, d, first, last, end, INSET, record)
    handles, labels = axes[min(1, len(axes) - 1)].get_legend_handles_labels()
    fig.legend(  # the title as the legend's: constrained layout stacks a suptitle and an outside legend badly
        handles,
        labels,
        loc="outside upper center",
        ncols=len(labels),
        fontsize=8,
        frameon=False,
        title="Cumulative announced departures by policy (median and 50 %/90 % bands over runs)",
        title_fontsize=11,
    )
    _ylabels(axes, f"announced since {_fmt_date(start)}")
    _footer(
        fig,
        f"Dashed grey: median of policy {baseline}. Red: the {n_obs} observed announcements of "
        f"{_fmt_date(first)} to {_fmt_date(last)} (shaded), drawn from each panel's simulated median on the day "
        "before (no observed record outside that week); the inset zooms on that week, simulated and observed both "
        f"counted from {_fmt_date(first)}.\n" + shock_key(groups, kinds),
    )
    return fig


def plot_announced_by_policy(daily, runs, shocks, table, baseline: str, out: Path, record=None) -> list[Path]:
    """One panel per policy: cumulative announced departures, with the baseline's median for reference."""
    return save(announced_by_policy_figure(daily, runs, shocks, table, baseline, record), out, "announced_by_policy")


def plot_founders(daily, runs, shocks, table, baseline: str, out: Path, record=None) -> list[Path]:
    """One panel per policy: co-founders still at the lab, simulated against the observed record."""
    start, end = _window(runs)
    _, last, _ = _observed_week(record)
    groups = shock_groups(shocks, start, end)
    arms = _arms(table)
    founders = observed.load_founders() if record is None else record.founders
    if founders is None:  # a user's record without founders.csv: nothing observed to draw
        founders = pd.DataFrame({"person": [], "left": []})
        last = start - dt.timedelta(days=1)
    obs_end = min(end, last)
    days = pd.date_range(start, obs_end, freq="D")
    obs = pd.Series([observed.founders_remaining(x.date(), founders) for x in days], index=days)
    fig, axes = _grid(len(arms))
    base = envelope(daily[daily.arm == baseline], "founders_remaining")
    for ax, arm in zip(axes, arms, strict=True):
        d = daily[daily.arm == arm]
        env = envelope(d, "founders_remaining")
        _draw_envelope(ax, env)
        if arm != baseline:
            ax.plot(base.index, base.q50, color=BASE_COLOR, lw=1, ls="--", label=f"{baseline}: median")
        ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=1.8, label="observed")
        ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
        mark_shocks(ax, groups)
        _date_axis(ax)
        ax.set_title(f"{arm} ({d.run.nunique()} runs)", fontsize=9, pad=28)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.3)
    axes[min(1, len(axes) - 1)].legend(loc="lower left", fontsize=7)
    _ylabels(axes, "co-founders at the lab")
    fig.suptitle("Co-founders remaining by policy (median and 50 %/90 % bands over runs) against the observed record")
    _footer(
        fig,
        f"Red: co-founders remaining per the observed record (12 founders of July 2023, the owner-founder included; "
        f"sim/data/founders.csv), drawn up to {_fmt_date(obs_end)}, the last day the record covers. "
        f"Dashed grey: median of policy {baseline}.\n" + shock_key(groups, kinds),
    )
    return save(fig, out, "founders")


def _money(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    for unit, div in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= div:
            return f"${x / div:.3g}{unit}"
    return f"${x:.0f}"


def _labelled_bars(ax, y, values, labels, err=None, color="tab:orange", alpha=0.6) -> None:
    """Horizontal bars of `values`, each labelled just past its end (or its interval's) with its own label;
    the axis runs from 0 to the longest bar or interval plus room for the labels."""
    values = np.asarray(values, dtype=float)
    shown = np.nan_to_num(values)
    ax.barh(y, shown, color=color, alpha=alpha)
    ends = shown.copy()
    if err is not None:
        ax.errorbar(shown, y, xerr=np.nan_to_num(err), fmt="none", ecolor="0.2", capsize=3)
        ends = ends + np.nan_to_num(err[1])
    for yi, x, label in zip(y, ends, labels, strict=True):
        ax.annotate(label, xy=(x, yi), xytext=(5, 0), textcoords="offset points", fontsize=8, va="center")
    right = float(np.max(ends)) if len(ends) and np.max(ends) > 0 else 1.0
    ax.set_xlim(0, right * 1.3)  # 30 % for the labels: the longest is about "$123M *"
    ax.grid(axis="x", alpha=0.3)


def averted_figure(table: pd.DataFrame, baseline: str, level: float) -> Figure:
    """Per policy: departures averted with its paired interval; mean total cost with its interval, labelled with
    that cost; and the cost per averted departure, labelled with its value (the bar's length in every panel is
    the number its label gives)."""
    t = table[table.policy != baseline].iloc[::-1]
    y = np.arange(len(t))
    valued = "net_value" in t
    panels = 4 if valued else 3
    fig = Figure(figsize=(20 if valued else 15, 1.0 + 0.45 * max(len(t), 3) + 1.0), layout="constrained")
    ax1, ax2, ax3, *ax4 = fig.subplots(1, panels, sharey=True, width_ratios=[1.2, 1, 1, 1][:panels])
    pct = round(level * 100)
    err = np.vstack([t.averted - t.averted_lo, t.averted_hi - t.averted])
    colors = [palette.policy_color(p) for p in t.policy]  # each policy's colour in every figure
    for i, c in enumerate(colors):
        ax1.errorbar(t.averted.iloc[i], y[i], xerr=err[:, i : i + 1], fmt="o", color=c, ecolor=c, capsize=3)
    ax1.axvline(0, color="0.3", lw=0.8)
    ax1.set_yticks(y, t.policy)
    _integer_ticks(ax1, "x")
    ax1.set_xlabel(f"departures averted by window end vs {baseline}\n(mean, {pct} % interval)")
    ax1.set_title("Departures averted (paired by seed)", fontsize=10, loc="left")
    ax1.grid(axis="x", alpha=0.3)

    cost = t.cost_total.to_numpy(float) / 1e6
    cerr = np.vstack([(t.cost_total - t.cost_lo) / 1e6, (t.cost_hi - t.cost_total) / 1e6])
    _labelled_bars(ax2, y, cost, [_money(c * 1e6) for c in cost], err=cerr, color=colors)
    ax2.set_xlabel(f"total policy cost per run, $ millions\n(mean, {pct} % interval)")
    ax2.set_title("Cost", fontsize=10, loc="left")

    cpa = t.cost_per_averted.to_numpy(float) / 1e6
    labels = []
    for c, lo in zip(cpa, t.averted_lo, strict=True):
        if not np.isfinite(c):
            labels.append("n/a: none averted on average")
        else:
            labels.append(_money(c * 1e6) + (" *" if not lo > 0 else ""))
    _labelled_bars(ax3, y, np.where(np.isfinite(cpa), cpa, 0.0), labels, color=colors, alpha=0.45)
    ax3.set_xlabel("cost per averted departure, $ millions\n(mean cost / mean averted)")
    ax3.set_title("Cost per averted departure", fontsize=10, loc="left")
    if valued:
        _plot_net_value(ax4[0], t, y, pct)
    fig.suptitle(f"Retention policies against {baseline}: departures averted, cost" + (" and net value" * valued))
    _footer(
        fig,
        f"Averted = minus the mean paired difference in all departures by the window's end (policy minus {baseline}, "
        f"same seed and scenario); {pct} % t-interval over pairs. Cost per averted = mean cost / mean averted over "
        "the same pairs, n/a when nothing is averted on average; * when the interval of averted departures includes "
        "0 (the ratio is then unreliable)."
        + (
            " Net value = attrition cost avoided (conf/value) minus policy cost, per pair; ROI = net / cost."
            if valued
            else ""
        ),
    )
    return fig


def plot_averted(table: pd.DataFrame, baseline: str, level: float, out: Path) -> list[Path]:
    """Per policy: departures averted with its paired interval, mean cost, and cost per averted departure."""
    return save(averted_figure(table, baseline, level), out, "averted")


def _plot_net_value(ax, t: pd.DataFrame, y: np.ndarray, pct: int) -> None:
    """Net value (attrition cost avoided minus policy cost) with its paired interval, ROI and break-even noted."""
    net = t.net_value / 1e6
    err = np.vstack([(t.net_value - t.net_lo) / 1e6, (t.net_hi - t.net_value) / 1e6])
    sign = zip(t.net_lo, t.net_hi, strict=True)
    colors = ["tab:green" if lo > 0 else "tab:red" if hi < 0 else "0.5" for lo, hi in sign]
    ax.scatter(net, y, c=colors, zorder=3)
    ax.errorbar(net, y, xerr=np.nan_to_num(err), fmt="none", ecolor="0.3", capsize=3)
    ax.axvline(0, color="0.3", lw=0.8)
    for yi, x, roi, be in zip(y, np.fmax(net, t.net_hi / 1e6), t.roi, t.breakeven_x, strict=True):
        note = f"ROI {roi:+.2f}" if np.isfinite(roi) else "ROI n/a"
        if np.isfinite(be):
            note += f", break-even x{be:.2g}"
        ax.annotate(note, xy=(x, yi), xytext=(6, 0), textcoords="offset points", fontsize=8, va="center")
    ax.set_xlabel(f"net value per run, $ millions (mean, {pct} % interval)")
    ax.set_title("Net value: attrition cost avoided minus cost", fontsize=10, loc="left")
    lo, hi = float(np.nanmin(t.net_lo / 1e6)), float(np.nanmax(t.net_hi / 1e6))
    if np.isfinite(lo) and np.isfinite(hi):
        ax.set_xlim(min(lo, 0) - 0.05 * (hi - lo + 1), hi + 0.6 * (hi - min(lo, 0) + 1))
    ax.grid(axis="x", alpha=0.3)


def km_curves(tenure: pd.DataFrame, cohort: str) -> dict[str, KaplanMeierFitter]:
    """A Kaplan-Meier fit per arm for one cohort, people pooled over runs (counts as weights)."""
    fits = {}
    for arm, g in tenure[tenure.cohort == cohort].groupby("arm", sort=False):
        kmf = KaplanMeierFitter(label=str(arm))
        kmf.fit(g.duration, event_observed=g.event.astype(bool), weights=g["count"])
        fits[arm] = kmf
    return fits


MIN_AT_RISK = 10  # a Kaplan-Meier curve is drawn solid while at least this many people are at risk


def reliable_until(kmf: KaplanMeierFitter, min_at_risk: int = MIN_AT_RISK) -> float:
    """The last time at which at least `min_at_risk` people are at risk (-inf if never): past it each event moves the
    curve by a large step, so the figure draws the tail dotted."""
    at_risk = kmf.event_table["at_risk"]
    enough = at_risk[at_risk >= min_at_risk]
    return float(enough.index.max()) if len(enough) else float("-inf")


def plot_tenure(tenure: pd.DataFrame, runs, shocks, table, baseline: str, out: Path) -> list[Path]:
    """Kaplan-Meier: share of the starting staff still at the lab, and of the window's hires by days since hire."""
    return save(tenure_figure(tenure, runs, shocks, table, baseline), out, "tenure_km")


def tenure_figure(tenure: pd.DataFrame, runs, shocks, table, baseline: str) -> Figure:
    """The Kaplan-Meier figure: both panels on the whole 0-100 % range."""
    start, end = _window(runs)
    arms = _arms(table)
    colors = palette.policy_colors(arms)  # the same colour per policy in every figure
    fig = Figure(figsize=(13, 5.4), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    for ax, cohort in ((ax1, "start"), (ax2, "hired")):
        fits = km_curves(tenure, cohort)
        for arm in arms:
            if arm not in fits:
                continue
            kmf = fits[arm]
            sf = kmf.survival_function_.iloc[:, 0]
            x = pd.to_datetime(start) + pd.to_timedelta(sf.index, unit="D") if cohort == "start" else sf.index
            is_base = arm == baseline
            solid = sf.index <= reliable_until(kmf)  # the tail with fewer than MIN_AT_RISK at risk is dotted
            tail = sf.index >= sf.index[solid][-1] if solid.any() else np.ones(len(sf), dtype=bool)
            lw = 2.2 if is_base else 1.1
            ax.step(x[solid], sf.values[solid], where="post", color=colors[arm], lw=lw, label=arm)
            if tail.sum() > 1:
                ax.step(x[tail], sf.values[tail], where="post", color=colors[arm], lw=lw * 0.7, ls=":")
            if is_base:
                ci = kmf.confidence_interval_survival_function_
                ax.fill_between(
                    x[solid], ci.iloc[:, 0][solid], ci.iloc[:, 1][solid], step="post", color="black", alpha=0.12, lw=0
                )
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.set_ylim(0, 1.02)  # the whole range: a share of people, not zoomed onto the curves
        ax.grid(alpha=0.3)
    n0 = tenure[(tenure.cohort == "start") & (tenure.arm == baseline)]
    ax1.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    groups = shock_groups(shocks, start, end)
    mark_shocks(ax1, groups)
    _date_axis(ax1)
    ax1.set_ylabel("share of starting staff still at the lab")
    ax1.set_title(f"Staff present on {_fmt_date(start)} (time since window start)", fontsize=10, loc="left", pad=22)
    ax2.set_xlim(left=0)
    ax2.set_xlabel("days since hire")
    ax2.set_ylabel("share of hires still at the lab")
    ax2.set_title("Hired during the window (time since hire)", fontsize=10, loc="left", pad=22)
    ax2.legend(loc="lower left", fontsize=8, ncols=2)
    per_run = n0["count"].sum() / max(1, n0.run.nunique())
    fig.suptitle("Kaplan-Meier retention by policy (all causes of leaving, forced exits included)")
    _footer(
        fig,
        f"People pooled over each policy's runs ({per_run:.0f} starting staff per run); censored at the window's end; "
        f"dotted: fewer than {MIN_AT_RISK} people still at risk, where one leaver moves the curve by a large step. "
        f"Grey band: 95 % Greenwood interval for {baseline}, which treats people as independent and so understates "
        "run-to-run variation. Starting staff's hire dates are not in the run folders, so their curve is retention "
        "from the window start, not tenure since hire.\n" + shock_key(groups, kinds),
    )
    return fig


DEST_ORDER = ("rival_lab", "startup", "spinout", "other_tech", "out")
DEST_LABELS = {  # what each kind means, on the figure itself
    "rival_lab": "rival AI lab",
    "startup": "existing startup",
    "spinout": "spin-out (founded by a leaver)",
    "other_tech": "other tech",
    "out": "out (left the field)",
}


def plot_destinations(dest: pd.DataFrame, table: pd.DataFrame, baseline: str, level: float, out: Path) -> list[Path]:
    """Where people went, by policy: leavers per run by destination kind (forced exits left out), and the rival
    labs one by one, means with their intervals over runs."""
    arms = _arms(table)
    kinds = dest[(dest.level == "kind") & dest.destination_kind.isin(DEST_ORDER)]
    firms = dest[(dest.level == "destination") & (dest.destination_kind == "rival_lab")]
    names = sorted(firms.destination.unique())
    fig = Figure(figsize=(12, 1.8 + 0.25 * max(len(arms), 2) * 5), layout="constrained")
    ax1, ax2 = fig.subplots(1, 2)
    colors = palette.policy_colors(arms)
    pct = round(level * 100)
    for ax, data, cats, title in (
        (ax1, kinds, [k for k in DEST_ORDER if k in set(kinds.destination_kind)], "By destination kind"),
        (ax2, firms, names, "Rival labs"),
    ):
        step = 0.8 / max(len(arms), 1)
        for i, arm in enumerate(arms):
            d = data[data.policy == arm].set_index("destination")
            means = np.array([d["mean"].get(c, 0.0) for c in cats], dtype=float)
            lo = np.maximum(np.array([d["lo"].get(c, np.nan) for c in cats], dtype=float), 0)  # counts: >= 0
            hi = np.array([d["hi"].get(c, np.nan) for c in cats], dtype=float)
            y = np.arange(len(cats)) + (i - (len(arms) - 1) / 2) * step
            err = np.nan_to_num(np.vstack([means - lo, hi - means]))
            ax.barh(y, means, height=step, color=colors[arm], label=arm)
            ax.errorbar(means, y, xerr=err, fmt="none", ecolor="0.2", capsize=2, lw=0.8)
        ax.set_yticks(np.arange(len(cats)), [DEST_LABELS.get(c, c) for c in cats])
        ax.set_xlim(left=0)
        ax.set_xlabel(f"leavers per run (mean, {pct} % interval over runs)")
        ax.set_title(title, fontsize=10, loc="left")
        ax.grid(axis="x", alpha=0.3)
        ax.invert_yaxis()
    ax2.legend(fontsize=8, loc="lower right")
    fig.suptitle("Where leavers went, by policy")
    _footer(
        fig,
        f"Departures by destination over the window (forced exits left out; intervals cut at 0); baseline {baseline}. "
        "Rival AI lab: a "
        "frontier lab hired them (by name on the right); existing startup: a startup that existed before; spin-out: "
        "a startup a leaver founded in the run; other tech: a tech job outside AI labs; out: left the tech field.",
    )
    return save(fig, out, "destinations")


def plot_all(
    sweep,
    table: pd.DataFrame,
    baseline: str,
    level: float,
    out: Path,
    destinations: pd.DataFrame | None = None,
    record=None,
) -> list[Path]:
    """Every figure of a compared sweep (with `destinations`, `sim.analysis.compare.destination_table`'s, where leavers
    went; `record`, sim.data.record.Record: the observed data drawn, default the shipped record); returns the
    files written."""
    out = Path(out)
    args = (sweep.daily, sweep.runs, sweep.shocks)
    paths = plot_announced(*args, baseline, out, record)
    paths += plot_announced_by_policy(*args, table, baseline, out, record)
    paths += plot_founders(*args, table, baseline, out, record)
    if (table.policy != baseline).any():
        paths += plot_averted(table, baseline, level, out)
    paths += plot_tenure(sweep.tenure, sweep.runs, sweep.shocks, table, baseline, out)
    if destinations is not None and not destinations.empty:
        paths += plot_destinations(destinations, table, baseline, level, out)
    return paths
