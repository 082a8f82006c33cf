"""Calibration targets: the observed record reduced to a few summary statistics, and the same from a run.

The record (DESIGN.md section 1) is small: eleven announcements over 6-12 Feb 2026 (two
about departures weeks earlier), 6 of 12 founders gone by 11 Feb, and a headcount "over
1,000". The statistics keep what it says and drop what is noise:

- `ann_1`, `ann_2`, `ann_3`: announcements in three equal 4-day bins over 1-12 Feb (0, 2, 10
  observed). Twelve daily counts, mostly 0 or 1, would make any distance hinge on which day a
  post falls; equal bins keep the timing (quiet, then the wave) in three numbers, and fewer
  statistics keep ABC's acceptance rate workable. Bins are equal-width so they are not fitted
  to the data's shape;
- `late`: announcements in 1-12 Feb of departures 14 or more days earlier (2 observed: "a few
  weeks" and "Nov 2025"): it tells posting delays and the burst effect apart from quits;
- `founders`: founders still at the lab on 11 Feb (6 observed, the owner-founder included);
- `headcount_short`: how far the headcount on 11 Feb falls below the reported 1,000 ("over
  1,000" is a lower bound, so any headcount at or above it scores 0).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from . import observed

START = dt.date(2026, 2, 1)  # first day of the observed announcement window (issue 7)
END = dt.date(2026, 2, 12)  # last day: the TechCrunch timeline ends 12 Feb (DESIGN §1)
BINS = (
    (dt.date(2026, 2, 1), dt.date(2026, 2, 4)),
    (dt.date(2026, 2, 5), dt.date(2026, 2, 8)),
    (dt.date(2026, 2, 9), END),
)
FOUNDERS_DAY = dt.date(2026, 2, 11)  # DESIGN §1: by 11 Feb 2026, 6 of the 12 founders had left
HEADCOUNT_DAY = dt.date(2026, 2, 11)  # DESIGN §1: "over 1,000" in Feb 2026 (dated with the founders count)
LATE_DAYS = 14  # an announcement counts as late if the departure was this many days or more before it
STATS = ("ann_1", "ann_2", "ann_3", "late", "founders", "headcount_short")


def observed_daily() -> pd.Series:
    """Observed announcements per day over START..END (zeros included)."""
    return observed.announced_by_day(START, END)


def observed_late(departures: pd.DataFrame | None = None) -> int:
    """Observed announcements about departures weeks earlier: the rows whose note says the person 'had left'."""
    d = observed.load_departures() if departures is None else departures
    inside = (d["announced"] >= START) & (d["announced"] <= END)
    return int((inside & d["note"].str.lower().str.contains("had left")).sum())


def observed_headcount_floor() -> int:
    """The reported lower bound on headcount near HEADCOUNT_DAY."""
    h = observed.load_headcount()
    rows = h[(h["bound"] == "at_least") & (h["date"] == HEADCOUNT_DAY)]
    if rows.empty:
        raise observed.DataError("headcount.csv", None, f"no 'at_least' headcount dated {HEADCOUNT_DAY}")
    return int(rows["headcount"].iloc[0])


def observed_stats() -> dict[str, float]:
    """The summary statistics of the shipped observed record."""
    daily = observed_daily()
    out = {f"ann_{i + 1}": float(_window_sum(daily, a, b)) for i, (a, b) in enumerate(BINS)}
    out["late"] = float(observed_late())
    out["founders"] = float(observed.founders_remaining(FOUNDERS_DAY))
    out["headcount_short"] = 0.0  # the record is "over 1,000": at the bound by definition
    return out


def _window_sum(series: pd.Series, first: dt.date, last: dt.date) -> int:
    idx = np.array(series.index)
    return int(series[(idx >= first) & (idx <= last)].sum())


def simulated_daily(daily: pd.DataFrame) -> pd.Series:
    """Announcements per day over START..END from a run's daily table (the run must cover the window)."""
    d = daily.set_index("date")["announced"]
    days = pd.date_range(START, END, freq="D").date
    missing = [day for day in (days[0], days[-1]) if day not in d.index]
    if missing:
        raise ValueError(f"the run's window does not cover {START}..{END} (missing {missing[0]})")
    return d.loc[list(days)].rename_axis("date")


def simulated_stats(daily: pd.DataFrame, departures: pd.DataFrame, headcount_floor: int) -> dict[str, float]:
    """The summary statistics of one run, from its daily and departures tables."""
    series = simulated_daily(daily)
    out = {f"ann_{i + 1}": float(_window_sum(series, a, b)) for i, (a, b) in enumerate(BINS)}
    late = 0
    for announced, left in zip(departures["announced"], departures["date"], strict=True):
        if announced is not None and not pd.isna(announced) and START <= announced <= END:
            late += (announced - left).days >= LATE_DAYS
    out["late"] = float(late)
    on_day = daily.loc[daily["date"] == FOUNDERS_DAY]
    out["founders"] = float(on_day["founders_remaining"].iloc[0])
    hc = float(daily.loc[daily["date"] == HEADCOUNT_DAY, "headcount"].iloc[0])
    out["headcount_short"] = max(0.0, headcount_floor - hc)
    return out
