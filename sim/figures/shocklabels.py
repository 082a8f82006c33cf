"""How every figure marks the dated shocks: a dotted line on each date, a letter per group of nearby shocks, and a
key that spells each group out. One helper for the compare figures, the fit report and the dashboard."""

from __future__ import annotations

import datetime as dt

import matplotlib.dates as mdates
import pandas as pd

GROUP_DAYS = 3  # shocks this close to a group's first date share its letter


def _field(shock, name: str):
    return shock[name] if isinstance(shock, dict) else getattr(shock, name)


def _day(shock) -> dt.date:
    return dt.date.fromisoformat(str(_field(shock, "date")))


def shock_groups(shocks, start: dt.date, end: dt.date, within: int = GROUP_DAYS) -> list[tuple[str, list]]:
    """Shocks (mappings or ShockConfigs) dated inside [start, end], grouped when within `within` days of their
    group's first date, in date order, lettered A, B, ..."""
    inside = sorted((s for s in shocks if start <= _day(s) <= end), key=_day)
    groups: list[list] = []
    for s in inside:
        if groups and (_day(s) - _day(groups[-1][0])).days <= within:
            groups[-1].append(s)
        else:
            groups.append([s])
    return [(chr(ord("A") + i), g) for i, g in enumerate(groups)]


def mark_shocks(ax, groups, letters: bool = True) -> None:
    """Dotted line at each shock; its group's letter above the axes, raised when close to the previous letter."""
    x0, x1 = ax.get_xlim()
    width_pt = ax.get_position().width * ax.get_figure().get_figwidth() * 72
    close = 10.0 / max(width_pt, 1.0)  # letters nearer than 10 pt are stacked
    last_x, level = -1.0, 0
    for letter, group in groups:
        dates = sorted({pd.Timestamp(_day(s)) for s in group})
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


def _label(shock, kinds) -> str:
    """A shock's name, and its kind (the effects its fields switch on) when `kinds` tells it."""
    name = _field(shock, "name") or "unnamed"
    if kinds is None:
        return name
    return f"{name} ({', '.join(kinds(shock)) or 'no modelled effect'})"


def shock_key(groups, kinds=None) -> str:
    """One entry per lettered group: its dates and each shock's name (kind). `kinds(shock)` gives a shock's kind
    (`sim.model.shocks.kinds`: the effects its fields switch on; passed in, as this layer sits below the model)."""
    parts = []
    for letter, group in groups:
        items = ", ".join(_label(s, kinds) for s in group)
        dates = [f"{d.day} {d:%b %Y}" for d in sorted({_day(s) for s in group})]
        parts.append(f"{letter}  {' / '.join(dates)}: {items}")
    return "Shocks (dotted lines): " + ("; ".join(parts) if parts else "none inside the window")
