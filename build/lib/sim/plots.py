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

from . import observed
from .io import write_atomic

QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BAND_COLOR = "tab:blue"
OBS_COLOR = "tab:red"
BASE_COLOR = "0.35"
SHOCK_GROUP_DAYS = 3  # shocks this close share one letter on the plots


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


def shock_groups(shocks: list[dict], start: dt.date, end: dt.date) -> list[tuple[str, list[dict]]]:
    """Shocks inside [start, end] grouped when within SHOCK_GROUP_DAYS of the group's first; lettered A, B, ..."""
    inside = sorted(
        (s for s in shocks if start <= dt.date.fromisoformat(str(s["date"])) <= end), key=lambda s: str(s["date"])
    )
    groups: list[list[dict]] = []
    for s in inside:
        d = dt.date.fromisoformat(str(s["date"]))
        if groups and (d - dt.date.fromisoformat(str(groups[-1][0]["date"]))).days <= SHOCK_GROUP_DAYS:
            groups[-1].append(s)
        else:
            groups.append([s])
    return [(chr(ord("A") + i), g) for i, g in enumerate(groups)]


def _mark_shocks(ax, groups, letters: bool = True) -> None:
    """Dotted line at each shock; its group's letter above the axes, raised when close to the previous letter."""
    x0, x1 = ax.get_xlim()
    width_pt = ax.get_position().width * ax.get_figure().get_figwidth() * 72
    close = 10.0 / max(width_pt, 1.0)  # letters nearer than 10 pt are stacked
    last_x, level = -1.0, 0
    for letter, group in groups:
        dates = sorted({pd.Timestamp(str(s["date"])) for s in group})
        for d in dates:
            if x0 <= mdates.date2num(d) <= x1:
                ax.axvline(d, color="0.3", lw=0.8, ls=":", zorder=0)
        where = (mdates.date2num(dates[0]) - x0) / (x1 - x0)
        if letters and 0 <= where <= 1:
            level = level + 1 if where - last_x < close else 0
            last_x = where
            ax.annotate(
                letter,
                xy=(dates[0], 1.0),
                xycoords=("data", "axes fraction"),
                xytext=(0, 2 + 9 * level),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=8,
                fontweight="bold",
                color="0.2",
            )


def shock_key(groups) -> str:
    """One line per lettered group: date, name (type)."""
    lines = []
    for letter, group in groups:
        items = ", ".join(f"{s['name']} ({str(s['type']).replace('_', ' ')})" for s in group)
        dates = sorted({_fmt_date(s["date"]) for s in group})
        lines.append(f"{letter}  {' / '.join(dates)}: {items}")
    return "Shocks (dotted lines): " + ("; ".join(lines) if lines else "none inside the window")


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


def _observed_cumulative(first: dt.date, last: dt.date, anchor: float = 0.0) -> pd.Series:
    """Observed announcements counted from the day before `first` (value `anchor`) through `last`."""
    per_day = observed.announced_by_day(first - dt.timedelta(days=1), last)
    per_day.iloc[0] = 0
    s = per_day.cumsum() + anchor
    s.index = pd.to_datetime(s.index)
    return s


def _anchor(env: pd.DataFrame, first: dt.date) -> float:
    """The simulated median on the day before the observed record starts (0 if that day was not simulated)."""
    value = env.q50.reindex([pd.Timestamp(first - dt.timedelta(days=1))]).iloc[0]
    return float(value) if np.isfinite(value) else 0.0


def _observed_week() -> tuple[dt.date, dt.date, int]:
    dep = observed.load_departures()
    return dep.announced.min(), dep.announced.max(), len(dep)


def _arms(table: pd.DataFrame) -> list[str]:
    return list(table.policy)


def plot_announced(daily, runs, shocks, baseline: str, out: Path) -> list[Path]:
    """Baseline: cumulative announced departures over the window, and over the observed week from a common zero."""
    start, end = _window(runs)
    first, last, n_obs = _observed_week()
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
        obs = _observed_cumulative(first, last, _anchor(env, first))
        label = f"observed {n_obs} (from sim. median)"
        ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=2, label=label)
    ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    _mark_shocks(ax, groups)
    _date_axis(ax)
    ax.set_ylabel(f"announced departures since {_fmt_date(start)}")
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
        obs = _observed_cumulative(first, last)
        ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=2, label="observed (record ends here)")
        ax.plot(obs.index[-1], obs.values[-1], "o", color=OBS_COLOR)
        ax.set_xlim(pd.Timestamp(lo), pd.Timestamp(hi))
        _mark_shocks(ax, groups)
        _date_axis(ax)
        ax.set_ylabel(f"announced since {_fmt_date(first)}")
        ax.set_title(f"Observed week: both counted from {_fmt_date(first)}", fontsize=10, loc="left", pad=22)
        ax.legend(loc="upper left", fontsize=8)
        ax.grid(alpha=0.3)

    fig.suptitle(f"Announced departures: simulated (policy {baseline}, {n} runs) against the observed record")
    _footer(
        fig,
        "Bands: 50 % and 90 % of runs per day; line: median over runs. Observed: the "
        f"{n_obs} departures announced {_fmt_date(first)} to {_fmt_date(last)} (TechCrunch timeline, DESIGN.md "
        "section 1); there is no observed record outside that week, so the observed line is drawn only there: on the "
        "left it starts from the simulated median of the day before, on the right both count from the same day.\n"
        + shock_key(groups),
    )
    return save(fig, out, "announced")


def plot_announced_by_policy(daily, runs, shocks, table, baseline: str, out: Path) -> list[Path]:
    """One panel per policy: cumulative announced departures, with the baseline's median for reference."""
    start, end = _window(runs)
    first, last, n_obs = _observed_week()
    groups = shock_groups(shocks, start, end)
    arms = _arms(table)
    fig, axes = _grid(len(arms))
    base = envelope(daily[daily.arm == baseline], "announced", cumulative=True)
    for ax, arm in zip(axes, arms, strict=True):
        d = daily[daily.arm == arm]
        env = envelope(d, "announced", cumulative=True)
        _draw_envelope(ax, env)
        if arm != baseline:
            ax.plot(base.index, base.q50, color=BASE_COLOR, lw=1, ls="--", label=f"{baseline}: median")
        if start < first and last <= end:
            obs = _observed_cumulative(first, last, _anchor(env, first))
            ax.step(obs.index, obs.values, where="post", color=OBS_COLOR, lw=1.8, label="observed week")
        ax.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
        _mark_shocks(ax, groups)
        _date_axis(ax)
        ax.set_title(f"{arm} ({d.run.nunique()} runs)", fontsize=9, pad=28)
        ax.grid(alpha=0.3)
    axes[min(1, len(axes) - 1)].legend(loc="upper left", fontsize=7)
    _ylabels(axes, f"announced since {_fmt_date(start)}")
    fig.suptitle("Cumulative announced departures by policy (median and 50 %/90 % bands over runs)")
    _footer(
        fig,
        f"Dashed grey: median of policy {baseline}. Red: the {n_obs} observed announcements of "
        f"{_fmt_date(first)} to {_fmt_date(last)}, drawn from each panel's simulated median on the day before "
        "(no observed record outside that week).\n" + shock_key(groups),
    )
    return save(fig, out, "announced_by_policy")


def plot_founders(daily, runs, shocks, table, baseline: str, out: Path) -> list[Path]:
    """One panel per policy: co-founders still at the lab, simulated against the observed record."""
    start, end = _window(runs)
    _, last, _ = _observed_week()
    groups = shock_groups(shocks, start, end)
    arms = _arms(table)
    founders = observed.load_founders()
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
        _mark_shocks(ax, groups)
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
        f"Dashed grey: median of policy {baseline}.\n" + shock_key(groups),
    )
    return save(fig, out, "founders")


def _money(x: float) -> str:
    if not np.isfinite(x):
        return "n/a"
    for unit, div in (("B", 1e9), ("M", 1e6), ("k", 1e3)):
        if abs(x) >= div:
            return f"${x / div:.3g}{unit}"
    return f"${x:.0f}"


def plot_averted(table: pd.DataFrame, baseline: str, level: float, out: Path) -> list[Path]:
    """Per policy: departures averted with its paired interval, and mean cost with its interval."""
    t = table[table.policy != baseline].iloc[::-1]
    y = np.arange(len(t))
    valued = "net_value" in t
    fig = Figure(figsize=(18 if valued else 12, 1.0 + 0.45 * max(len(t), 3) + 1.0), layout="constrained")
    ax1, ax2, *ax3 = fig.subplots(1, 3 if valued else 2, sharey=True)
    pct = round(level * 100)
    err = np.vstack([t.averted - t.averted_lo, t.averted_hi - t.averted])
    ax1.errorbar(t.averted, y, xerr=err, fmt="o", color=BAND_COLOR, ecolor=BAND_COLOR, capsize=3)
    ax1.axvline(0, color="0.3", lw=0.8)
    ax1.set_yticks(y, t.policy)
    ax1.set_xlabel(f"departures averted by window end vs {baseline} (mean, {pct} % interval)")
    ax1.set_title("Departures averted (paired by seed)", fontsize=10, loc="left")
    ax1.grid(axis="x", alpha=0.3)

    cost = t.cost_total / 1e6
    cerr = np.vstack([(t.cost_total - t.cost_lo) / 1e6, (t.cost_hi - t.cost_total) / 1e6])
    ax2.barh(y, cost, color="tab:orange", alpha=0.6)
    ax2.errorbar(cost, y, xerr=np.nan_to_num(cerr), fmt="none", ecolor="0.2", capsize=3)
    right = np.fmax(cost, t.cost_hi / 1e6)
    for yi, c, cpa, lo in zip(y, right, t.cost_per_averted, t.averted_lo, strict=True):
        note = f"{_money(cpa)} per averted" if np.isfinite(cpa) else "none averted on average"
        if np.isfinite(cpa) and not lo > 0:
            note += " (interval spans 0)"
        ax2.annotate(note, xy=(c, yi), xytext=(6, 0), textcoords="offset points", fontsize=8, va="center")
    ax2.set_xlabel(f"total policy cost per run, $ millions (mean, {pct} % interval)")
    ax2.set_title("Cost, and cost per averted departure", fontsize=10, loc="left")
    ax2.set_xlim(0, max(1.0, float(np.nanmax(right)) if len(t) else 1.0) * 2.1)
    ax2.grid(axis="x", alpha=0.3)
    if valued:
        _plot_net_value(ax3[0], t, y, pct)
    fig.suptitle(f"Retention policies against {baseline}: departures averted, cost" + (" and net value" * valued))
    _footer(
        fig,
        f"Averted = minus the mean paired difference in all departures by the window's end (policy minus {baseline}, "
        f"same seed and scenario); {pct} % t-interval over pairs. Cost per averted = mean cost / mean averted over "
        "the same pairs (not shown when nothing is averted)."
        + (
            " Net value = attrition cost avoided (conf/value) minus policy cost, per pair; ROI = net / cost."
            if valued
            else ""
        ),
    )
    return save(fig, out, "averted")


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


def plot_tenure(tenure: pd.DataFrame, runs, shocks, table, baseline: str, out: Path) -> list[Path]:
    """Kaplan-Meier: share of the starting staff still at the lab, and of the window's hires by days since hire."""
    start, end = _window(runs)
    arms = _arms(table)
    colors = {a: c for a, c in zip([a for a in arms if a != baseline], _palette(len(arms) - 1), strict=True)}
    colors[baseline] = "black"
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
            ax.step(x, sf.values, where="post", color=colors[arm], lw=2.2 if is_base else 1.1, label=arm)
            if is_base:
                ci = kmf.confidence_interval_survival_function_
                ax.fill_between(x, ci.iloc[:, 0], ci.iloc[:, 1], step="post", color="black", alpha=0.12, lw=0)
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0%}"))
        ax.grid(alpha=0.3)
    n0 = tenure[(tenure.cohort == "start") & (tenure.arm == baseline)]
    ax1.set_xlim(pd.Timestamp(start), pd.Timestamp(end))
    groups = shock_groups(shocks, start, end)
    _mark_shocks(ax1, groups)
    _date_axis(ax1)
    ax1.set_ylabel("share still at the lab")
    ax1.set_title(f"Staff present on {_fmt_date(start)} (time since window start)", fontsize=10, loc="left", pad=22)
    ax2.set_xlabel("days since hire")
    ax2.set_title("Hired during the window (time since hire)", fontsize=10, loc="left", pad=22)
    ax2.legend(loc="lower left", fontsize=8, ncols=2)
    per_run = n0["count"].sum() / max(1, n0.run.nunique())
    fig.suptitle("Kaplan-Meier retention by policy (all causes of leaving, forced exits included)")
    _footer(
        fig,
        f"People pooled over each policy's runs ({per_run:.0f} starting staff per run); censored at the window's end. "
        f"Grey band: 95 % Greenwood interval for {baseline}, which treats people as independent and so understates "
        "run-to-run variation. Starting staff's hire dates are not in the run folders, so their curve is retention "
        "from the window start, not tenure since hire.\n" + shock_key(groups),
    )
    return save(fig, out, "tenure_km")


def _palette(n: int) -> list:
    from matplotlib import colormaps

    cmap = colormaps["tab10" if n <= 10 else "tab20"]
    return [cmap(i % cmap.N) for i in range(n)]


def plot_all(sweep, table: pd.DataFrame, baseline: str, level: float, out: Path) -> list[Path]:
    """Every figure of a compared sweep; returns the files written."""
    out = Path(out)
    args = (sweep.daily, sweep.runs, sweep.shocks)
    paths = plot_announced(*args, baseline, out)
    paths += plot_announced_by_policy(*args, table, baseline, out)
    paths += plot_founders(*args, table, baseline, out)
    if (table.policy != baseline).any():
        paths += plot_averted(table, baseline, level, out)
    paths += plot_tenure(sweep.tenure, sweep.runs, sweep.shocks, table, baseline, out)
    return paths
