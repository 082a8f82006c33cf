"""Calibration targets: the observed record reduced to a few summary statistics, and the same from a run.

The record (sim/data/, sources in its `source` columns) is small: eleven announcements over 6-12 Feb 2026 (two
about departures weeks earlier), 6 of 12 founders gone by 11 Feb, and a headcount "over
1,000". The statistics keep what it says and drop what is noise:

- `ann_1`, `ann_2`, `ann_3`: announcements in three equal 4-day bins over 1-12 Feb (0, 2, 9
  observed). Twelve daily counts, mostly 0 or 1, would make any distance hinge on which day a
  post falls; equal bins keep the timing (quiet, then the wave) in three numbers, and fewer
  statistics keep ABC's acceptance rate workable. Bins are equal-width so they are not fitted
  to the data's shape;
- `late`: announcements in 1-12 Feb of departures 14 or more days earlier (2 observed: "a few
  weeks" and "Nov 2025"): it tells posting delays and the burst effect apart from quits;
- `founders`: founders still at the lab on 12 Feb, the record's last day (6 observed, the owner-founder included);
- `headcount_short`: how far the headcount on 11 Feb falls below the reported 1,000 ("over
  1,000" is a lower bound, so any headcount at or above it scores 0);
- `key_departures_short`: how far the departures of key staff (all but operations) over 1-12 Feb
  fall below the reported "over 50" (sim/data/counts.csv; a lower bound, like the headcount).

A user's record (`sim.data.record`) gives its own statistics by the same rules (`spec`): three equal
bins of announcements from the first of the month of its first announcement to its last day,
late announcements, founders left on its last day, one statistic per headcount figure and per
count inside the simulated window (bounds score their shortfall or excess, 0 when met).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.data import observed

START = dt.date(2026, 2, 1)  # first day of the observed announcement window (issue 7)
END = dt.date(2026, 2, 12)  # last day: TechCrunch's timeline ends 12 Feb 2026
BINS = (
    (dt.date(2026, 2, 1), dt.date(2026, 2, 4)),
    (dt.date(2026, 2, 5), dt.date(2026, 2, 8)),
    (dt.date(2026, 2, 9), END),
)
FOUNDERS_DAY = (
    END  # 6 of the 12 founders had left by 11 Feb 2026, none more on 12 Feb, the record's end (sim/data/founders.csv)
)
HEADCOUNT_DAY = dt.date(2026, 2, 11)  # "over 1,000" in Feb 2026 (sim/data/headcount.csv; dated with the founders count)
LATE_DAYS = 14  # an announcement counts as late if the departure was this many days or more before it
STATS = ("ann_1", "ann_2", "ann_3", "late", "founders", "headcount_short", "key_departures_short")
HISTORY_BEFORE = dt.date(2025, 9, 1)  # the default window start (conf/config.yaml): earlier figures are history


def observed_daily() -> pd.Series:
    """Observed announcements per day over START..END (zeros included)."""
    return observed.announced_by_day(START, END)


def observed_headcount_floor() -> int:
    """The reported lower bound on headcount near HEADCOUNT_DAY."""
    h = observed.load_headcount()
    rows = h[(h["bound"] == "at_least") & (h["date"] == HEADCOUNT_DAY)]
    if rows.empty:
        raise observed.DataError("headcount.csv", None, f"no 'at_least' headcount dated {HEADCOUNT_DAY}")
    return int(rows["headcount"].iloc[0])


def observed_stats() -> dict[str, float]:
    """The summary statistics of the shipped observed record."""
    return dict(shipped_spec().observed)


def _window_sum(series: pd.Series, first: dt.date, last: dt.date) -> int:
    idx = np.array(series.index)
    return int(series[(idx >= first) & (idx <= last)].sum())


def simulated_stats(daily: pd.DataFrame, departures: pd.DataFrame, headcount_floor: int) -> dict[str, float]:
    """The summary statistics of one run against the shipped record (its 'over 1,000' set to `headcount_floor`)."""
    return shipped_spec().with_floor(headcount_floor).simulated(daily, departures)


# --------------------------------------------------------------------------- any record (sim.data.record)


@dataclass(frozen=True)
class Spec:
    """The statistics of one record: their definitions (dates, bounds) and observed values.

    `headcount`: (name, date, value, bound) per figure; `counts`: (name, start, end, what, bound, value);
    `skipped`: rows of the record that are not targets, with the reason."""

    start: dt.date
    end: dt.date
    bins: tuple[tuple[dt.date, dt.date], ...]
    founders_day: dt.date | None
    headcount: tuple = ()
    counts: tuple = ()
    observed: dict = field(default_factory=dict)
    skipped: tuple[str, ...] = ()

    @property
    def stats(self) -> tuple[str, ...]:
        return tuple(self.observed)

    def with_floor(self, floor: int) -> Spec:
        """The same statistics with every 'at_least' headcount set to `floor` (calibration on synthetic data)."""
        rows = tuple((n, d, int(floor) if b == "at_least" else v, b) for n, d, v, b in self.headcount)
        return Spec(self.start, self.end, self.bins, self.founders_day, rows, self.counts, self.observed, self.skipped)

    def simulated(self, daily: pd.DataFrame, departures: pd.DataFrame) -> dict[str, float]:
        """The statistics of one run (its window must cover start..end and every dated figure)."""
        d = daily.set_index("date")
        for day in (self.start, self.end):
            if day not in d.index:
                raise ValueError(f"the run's window does not cover {self.start}..{self.end} (missing {day})")
        ann = d["announced"]
        out = {}
        for i, (a, b) in enumerate(self.bins):
            out[f"ann_{i + 1}"] = float(ann.loc[a:b].sum())
        late = 0
        for announced, left in zip(departures["announced"], departures["date"], strict=True):
            if announced is not None and not pd.isna(announced) and self.start <= announced <= self.end:
                late += (announced - left).days >= LATE_DAYS
        out["late"] = float(late)
        if self.founders_day is not None:
            out["founders"] = float(d.loc[self.founders_day, "founders_remaining"])
        for name, day, value, bound in self.headcount:
            hc = float(d.loc[day, "headcount"])
            out[name] = max(0.0, value - hc) if bound == "at_least" else hc
        for name, first, last, what, bound, value in self.counts:
            x = float(simulated_count(departures, what, first, last))
            out[name] = {"lower": max(0.0, value - x), "upper": max(0.0, x - value)}.get(bound, x)
        return out


def simulated_count(departures: pd.DataFrame, what: str, first: dt.date, last: dt.date) -> int:
    """A run's count of `what` (observed.COUNT_WHAT) over first..last, from its departures table."""
    if what == "announced":
        a = departures["announced"]
        return int(sum(1 for x in a if x is not None and not pd.isna(x) and first <= x <= last))
    inside = (departures["date"] >= first) & (departures["date"] <= last)
    if what == "key_departures":
        inside &= departures["role"] != "operations"
    elif what == "founders_left":
        inside &= departures["founder"].astype(bool)
    return int(inside.sum())


def _unique(name: str, taken: dict, suffix: str) -> str:
    return name if name not in taken else f"{name}_{suffix}"


def spec(record=None, first_day: dt.date | None = None) -> Spec:
    """The statistics of `record` (default: the shipped one); figures dated before `first_day` (default: the
    default window's start) are history, not targets (listed in `skipped`)."""
    from sim.data import record as rec_mod

    r = rec_mod.load(None) if record is None else record
    first_day = first_day or HISTORY_BEFORE
    end = r.end
    start = max((r.first or end).replace(day=1), first_day)
    if start > end:
        raise observed.DataError(r.where, None, f"the record ends {end}, before the simulated window ({first_day})")
    days = pd.date_range(start, end, freq="D").date
    bins = tuple((chunk[0], chunk[-1]) for chunk in np.array_split(np.array(days, dtype=object), 3) if len(chunk))
    daily = observed.announced_by_day(start, end, r.departures) if len(r.departures) else pd.Series(0, index=days)
    obs = {f"ann_{i + 1}": float(_window_sum(daily, a, b)) for i, (a, b) in enumerate(bins)}
    obs["late"] = float(_late(r.departures, start, end))
    founders_day = None
    if r.founders is not None:
        founders_day = end
        obs["founders"] = float(observed.founders_remaining(end, r.founders))
    skipped, heads, counts = [], [], []
    if r.first is not None and r.first < start:
        skipped.append(f"announcements before {start}: before the simulated window ({first_day})")
    for row in r.headcount.itertuples():
        if row.date < first_day:
            skipped.append(f"headcount {row.headcount} on {row.date}: before the simulated window ({first_day})")
            continue
        name = _unique("headcount_short" if row.bound == "at_least" else "headcount", obs, row.date.isoformat())
        obs[name] = 0.0 if row.bound == "at_least" else float(row.headcount)
        heads.append((name, row.date, int(row.headcount), row.bound))
    for row in r.counts.itertuples():
        if row.start < first_day:
            skipped.append(f"count {row.what} {row.start}..{row.end}: starts before the simulated window ({first_day})")
            continue
        tail = {"lower": "_short", "upper": "_excess"}.get(row.bound, "")
        name = _unique(f"{row.what}{tail}", obs, f"{row.start}_{row.end}")
        obs[name] = float(row.value) if row.bound == "exact" else 0.0
        counts.append((name, row.start, row.end, row.what, row.bound, int(row.value)))
    return Spec(start, end, bins, founders_day, tuple(heads), tuple(counts), obs, tuple(skipped))


def _late(departures: pd.DataFrame, first: dt.date, last: dt.date) -> int:
    if not len(departures):
        return 0
    inside = (departures["announced"] >= first) & (departures["announced"] <= last)
    return int((inside & departures["note"].str.lower().str.contains("had left")).sum())


@functools.cache
def shipped_spec() -> Spec:
    """The statistics of the shipped record (read once per process)."""
    return spec(None)
