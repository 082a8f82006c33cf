"""The dashboard's matplotlib figures: the run so far against the observed timeline, and the teams.

Plain `matplotlib.figure.Figure`s (no pyplot state), drawn from a model at its current day;
the x axis always spans the whole window so the curves grow in place as the model steps.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from matplotlib.colors import Normalize
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from sim.config.params import UNITS
from sim.dashboard.state import observed_data, team_state
from sim.data import observed
from sim.figures import palette
from sim.figures.shocklabels import mark_shocks, shock_groups, shock_key
from sim.model.shocks import kinds
from sim.schema import CAUSES

CAUSE_COLOURS = {"voluntary": "tab:blue", "poached": "tab:orange", "spinout": "tab:green", "forced": "0.35"}
SIM, OBS = palette.SIMULATED, palette.OBSERVED  # as in every figure: simulated blue, the record red
DASHBOARD_DAYS = 10  # shocks this close share a letter: the dashboard's panels are small


def observed_week(departures: pd.DataFrame, model) -> tuple[dt.date | None, dt.date | None]:
    """First and last day of the record's last week of announcements inside the window (None, None if none are):
    earlier rows (2025's executive exits) are sparse history, not a count to draw a line through."""
    inside = departures.announced[(departures.announced >= model.start) & (departures.announced <= model.end)]
    inside = inside[inside >= inside.max() - dt.timedelta(days=6)] if len(inside) else inside
    return (inside.min(), inside.max()) if len(inside) else (None, None)


def timeline_figure(model, daily: pd.DataFrame) -> Figure:
    """Six panels: headcount, announced departures vs observed, departures by cause, founders, wellbeing, policy."""
    obs = observed_data()
    dates = pd.to_datetime(daily["date"])
    window = pd.date_range(model.start, model.end, freq="D")
    groups = shock_groups(model.p.shocks if model.mech.shocks else [], model.start, model.end, within=DASHBOARD_DAYS)
    fig = Figure(figsize=(13, 6.6))  # a fixed layout: a layout engine doubles the drawing time
    fig.subplots_adjust(left=0.06, right=0.99, top=0.93, bottom=0.13, wspace=0.24, hspace=0.22)
    axes = fig.subplots(2, 3, sharex=True)
    (ax_head, ax_ann, ax_cause), (ax_found, ax_well, ax_cost) = axes

    ax_head.plot(dates, daily.headcount, color=SIM, label="simulated")
    hc = obs["headcount"]
    hc = hc[(hc.date >= model.start) & (hc.date <= model.end)]
    marker = {"about": "o", "at_least": "^"}
    for bound, part in hc.groupby("bound"):
        label = "reported (at least)" if bound == "at_least" else "reported (about)"
        ax_head.scatter(
            pd.to_datetime(part.date), part.headcount, color=OBS, marker=marker[bound], zorder=3, label=label
        )
    ax_head.set_title("Headcount")
    ax_head.set_ylabel("people", fontsize=8)
    ax_head.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_ann.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_cost.yaxis.set_major_locator(MaxNLocator(integer=True))

    first, last = observed_week(obs["departures"], model)
    ann_sim = daily.announced.cumsum()
    if first is not None and len(daily) >= (first - model.start).days:
        # the record covers its week only: drawn there, from the simulated count of the day before (0 at the start)
        before = (first - model.start).days - 1
        anchor = int(ann_sim.iloc[before]) if before >= 0 else 0
        per_day = observed.announced_by_day(first, last, obs["departures"])
        ax_ann.step(
            pd.to_datetime([first - dt.timedelta(days=1), *per_day.index]),
            anchor + np.concatenate([[0], per_day.cumsum().to_numpy()]),
            where="post",
            color=OBS,
            label=f"observed {first:%-d}-{last:%-d %b %Y} (TechCrunch)",
        )
        ax_ann.plot(pd.Timestamp(last), anchor + per_day.sum(), "o", color=OBS, ms=3)
    ax_ann.plot(dates, ann_sim, color=SIM, label="simulated")
    ax_ann.set_title("Announced departures (cumulative)", pad=14)
    ax_ann.set_ylabel("announcements", fontsize=8)  # room for the shocks' letters

    for c in CAUSES:
        ax_cause.plot(dates, daily[f"departures_{c}"].cumsum(), color=CAUSE_COLOURS[c], label=c)
    ax_cause.set_yscale("symlog", linthresh=10)
    ax_cause.set_ylim(0, max(10, 1.5 * daily[[f"departures_{c}" for c in CAUSES]].sum().max()))
    ax_cause.set_title("Departures by cause (cumulative, symlog)")
    ax_cause.set_ylabel("people (symlog scale)", fontsize=8)

    record = window[window.date <= (last or model.start - dt.timedelta(days=1))]  # the record ends on its last post
    founders_obs = [observed.founders_remaining(d, obs["founders"]) for d in record.date]
    if len(record) and obs["founders"] is not None:
        ax_found.step(record, founders_obs, where="post", color=OBS, label=f"observed (to {record[-1]:%-d %b %Y})")
        ax_found.plot(record[-1], founders_obs[-1], "o", color=OBS, ms=3)
    ax_found.plot(dates, daily.founders_remaining, color=SIM, label="simulated")
    ax_found.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax_found.set_title("Co-founders remaining")
    ax_found.set_ylabel("co-founders", fontsize=8)

    ax_well.plot(dates, daily.mean_burnout, color="tab:brown", label="burnout")
    ax_well.plot(dates, daily.mean_autonomy, color="tab:purple", label="autonomy")
    ax_well.plot(dates, daily.mean_mission, color="tab:olive", label="mission")
    ax_well.set_ylim(0, 1)
    ax_well.set_title("Mean burnout, autonomy, mission")
    ax_well.set_ylabel("mean over staff (0-1)", fontsize=8)

    ax_cost.plot(dates, daily.departures.cumsum() - daily.departures_forced.cumsum(), color=SIM, label="chose to leave")
    ax_cost.plot(dates, daily.hires.cumsum(), color="tab:cyan", label="hires")
    ax_cost.set_ylim(bottom=0)
    ax_cost.set_title("Leavers by choice and hires (cumulative)")
    ax_cost.set_ylabel("people", fontsize=8)

    months = pd.date_range(model.start, model.end, freq="MS")
    axes[1, 0].set_xticks(months[::2], [f"{m:%b %y}" for m in months[::2]])  # fixed ticks: cheaper than a locator
    for ax in axes.flat:
        ax.set_xlim(window[0], window[-1])
        mark_shocks(ax, groups, letters=ax is ax_ann)
        ax.legend(fontsize=7, loc={ax_found: "lower left", ax_head: "lower right"}.get(ax, "upper left"))
        ax.tick_params(labelsize=7)
        ax.grid(alpha=0.3)
    if groups:
        note = shock_key(groups, kinds) + " (conf/events)"
        fig.text(0.01, 0.01, note, fontsize=7.5, color="dimgrey", va="bottom", wrap=True)
    return fig


def team_figure(model) -> Figure:
    """Teams as a grid, one block of rows per unit: share who chose to leave, and mean burnout."""
    teams = team_state(model)
    width = 16
    rows, labels, grids = [], [], {"left_share": [], "mean_burnout": []}
    for u in UNITS:
        part = teams[teams.unit == u]
        if part.empty:
            continue
        n_rows = int(np.ceil(len(part) / width))
        for key in grids:
            block = np.full(n_rows * width, np.nan)
            block[: len(part)] = part[key].to_numpy()
            grids[key].append(block.reshape(n_rows, width))
        labels.append((sum(rows) + (n_rows - 1) / 2, f"{u} ({len(part)})"))
        rows.append(n_rows)
    fig = Figure(figsize=(8.4, 3.6), layout="constrained")
    axes = fig.subplots(1, 2)
    specs = (
        ("left_share", "Share of each team who chose to leave", "Reds", Normalize(0, 0.5)),
        ("mean_burnout", "Mean burnout of each team", "magma_r", Normalize(0, 1)),
    )
    for ax, (key, title, cmap, norm) in zip(axes, specs, strict=True):
        grid = np.vstack(grids[key])
        image = ax.imshow(grid, cmap=cmap, norm=norm, aspect="auto", interpolation="nearest")
        for edge in np.cumsum(rows)[:-1]:
            ax.axhline(edge - 0.5, color="black", lw=1.2)
        ax.set_yticks([y for y, _ in labels], [t for _, t in labels], fontsize=8)
        ax.set_xticks([])
        ax.set_title(f"{title} (day {min(model.steps, model.days)})", fontsize=10)
        fig.colorbar(image, ax=ax, shrink=0.9, extend="max" if key == "left_share" else "neither")
    return fig
