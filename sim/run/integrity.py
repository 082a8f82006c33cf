"""Checks of a finished run's tables before they are averaged (`exodus-compare`, sim/sweep.py).

A run folder is used only if its files match the checksums in its COMPLETE marker, its daily table has one row
per day of the window (no day missing, none extra), its departures fall inside the window, and its tables agree
with each other and with the figures of its summary.json. Each check raises RunDamaged with a plain reason.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

DAILY_REQUIRED = (
    "date",
    "headcount",
    "departures",
    "hires",
    "announced",
    "founders_remaining",
    "departures_voluntary",
    "departures_poached",
    "departures_spinout",
    "departures_forced",
)
CAUSES = ("voluntary", "poached", "spinout", "forced")


class RunDamaged(ValueError):
    """A run folder whose tables cannot be trusted; the message says why."""


def check_run_tables(summary: dict, daily: pd.DataFrame, departures: pd.DataFrame) -> None:
    """Refuse tables that do not cover the run's window or disagree with its summary."""
    window = summary.get("window") or {}
    try:
        start = dt.date.fromisoformat(str(window["start"]))
        end = dt.date.fromisoformat(str(window["end"]))
    except (KeyError, ValueError, TypeError):
        raise RunDamaged(f"summary.json has no valid window ({window!r})") from None
    missing = [c for c in DAILY_REQUIRED if c not in daily.columns]
    if missing:
        raise RunDamaged(f"daily.csv lacks column(s) {', '.join(missing)}")
    days = (end - start).days + 1
    if len(daily) != days:
        raise RunDamaged(f"daily.csv has {len(daily)} rows; the window {start}..{end} has {days} days")
    dates = pd.to_datetime(daily["date"], errors="coerce")
    expected = pd.date_range(start, end, freq="D")
    if dates.isna().any() or not (dates.to_numpy() == expected.to_numpy()).all():
        raise RunDamaged(f"daily.csv does not list each day of {start}..{end} once, in order")
    counts = daily[[c for c in DAILY_REQUIRED if c != "date"]]
    values = counts.to_numpy(dtype=float, na_value=np.nan)
    if not np.isfinite(values).all() or (values < 0).any() or (values != np.round(values)).any():
        raise RunDamaged("daily.csv holds a count that is missing, negative or not a whole number")
    by_cause = sum(daily[f"departures_{c}"] for c in CAUSES)
    if not (by_cause == daily["departures"]).all():
        raise RunDamaged("daily.csv: departures by cause do not add up to departures")
    left = pd.to_datetime(departures["date"], errors="coerce")
    if left.isna().any() or (left < expected[0]).any() or (left > expected[-1]).any():
        raise RunDamaged(f"departures.csv has a date outside the window {start}..{end}")
    if len(departures) != int(daily["departures"].sum()):
        raise RunDamaged(
            f"departures.csv has {len(departures)} rows, daily.csv counts {int(daily['departures'].sum())}"
        )
    figures = summary.get("figures") or {}
    table = {
        "departures": int(daily["departures"].sum()),
        "announced": int(daily["announced"].sum()),
        "founders_remaining": int(daily["founders_remaining"].iloc[-1]),
        "headcount_end": int(daily["headcount"].iloc[-1]),
        "hires": int(daily["hires"].sum()),
        **{f"departures_{c}": int(daily[f"departures_{c}"].sum()) for c in CAUSES},
    }
    for key, value in table.items():
        if key in figures and figures[key] != value:
            raise RunDamaged(f"daily.csv gives {key}={value}, summary.json {figures[key]!r}")
