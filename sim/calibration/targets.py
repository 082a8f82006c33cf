"""Calibration targets: the observed record reduced to summary statistics, and the same from a run.

The record (sim/data/, sources in its `source` columns) holds dated announcements (the week of 6-12 Feb
2026 in full, Greg Yang's in January, earlier executive exits as history), the founders' exit dates, a
headcount "over 1,000" and a count "over 50 key employees". The statistics keep its timing, not only its
totals (docs/calibration.md says what each one identifies):

- `ann_w1` .. `ann_w6`: announcements per 7-day week over the record's last six weeks, the last week
  ending on its last day (shipped: 2 Jan - 12 Feb 2026; observed
  0, 0, 1, 0, 0, 11). Earlier public announcements are only the notable ones (executives, founders), so
  the record is read as complete over its last six weeks only; earlier rows are history (the backtest's
  reference forecasts use them). Weekly bins keep the wave's shape (quiet, then a burst) and how fast
  it builds;
- `late`: announcements in that window of departures 14 or more days earlier (2 observed: "a few
  weeks" and "Nov 2025"): posting delays and the burst effect apart from quits;
- `founder_1` .. `founder_k`: days from the simulated window's start to the k-th founder exit inside the
  window (shipped: Greg Yang 2026-01-20, Tony Wu 2026-02-09, Jimmy Ba 2026-02-10: 141, 161, 162 days from
  2025-09-01); a run with fewer exits scores the window's length + 1 for each missing one (censored).
  The gaps between them are the founders' cascade: how soon a fellow founder's exit pulls the next;
- `founders`: founders still at the lab on the record's last day (6 observed, the owner-founder included);
- `headcount_short` (and one statistic per dated headcount figure inside the window): how far the
  headcount on 11 Feb falls below the reported 1,000 ("over 1,000" is a lower bound, so any headcount
  at or above it scores 0); a figure given as `about` scores the simulated headcount itself;
- `key_departures_short`: how far the departures of key staff (all but operations) over 1-12 Feb
  fall below the reported "over 50" (sim/data/counts.csv; a lower bound, like the headcount).

A user's record (`sim.data.record`) gives its own statistics by the same rules (`spec`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.data import observed

START = dt.date(2026, 2, 1)  # first day of the observed announcement window (issue 7)
END = dt.date(2026, 2, 12)  # last day: TechCrunch's timeline ends 12 Feb 2026
FOUNDERS_DAY = (
    END  # 6 of the 12 founders had left by 11 Feb 2026, none more on 12 Feb, the record's end (sim/data/founders.csv)
)
HEADCOUNT_DAY = dt.date(2026, 2, 11)  # "over 1,000" in Feb 2026 (sim/data/headcount.csv; dated with the founders count)
LATE_DAYS = 14  # an announcement counts as late if the departure was this many days or more before it
WEEKS = 6  # assumption: the public record is read as complete over its last six weeks (1 Jan - 12 Feb 2026: NBC
# News counted the xAI staff announcing exits on X "since the start of the year"; earlier reports name executives)
STATS = (
    *(f"ann_w{i}" for i in range(1, WEEKS + 1)),
    "late",
    "founder_1",
    "founder_2",
    "founder_3",
    "founders",
    "headcount_short",
    "key_departures_short",
)
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
    window_start: dt.date | None = None  # day 0 of the founder-exit statistics (the simulated window's start)
    founder_exits: int = 0  # how many founder_k statistics (the record's founder exits inside the window)

    @property
    def stats(self) -> tuple[str, ...]:
        return tuple(self.observed)

    def with_floor(self, floor: int) -> Spec:
        """The same statistics with every 'at_least' headcount set to `floor` (calibration on synthetic data)."""
        rows = tuple((n, d, int(floor) if b == "at_least" else v, b) for n, d, v, b in self.headcount)
        return dataclasses.replace(self, headcount=rows)

    @property
    def censored_day(self) -> float:
        """The founder_k value of an exit that did not happen by the record's end: the window's length + 1."""
        return float((self.end - self.window_start).days + 1) if self.window_start else 0.0

    def simulated(self, daily: pd.DataFrame, departures: pd.DataFrame) -> dict[str, float]:
        """The statistics of one run (its window must cover start..end and every dated figure)."""
        d = daily.set_index("date")
        for day in (self.start, self.end):
            if day not in d.index:
                raise ValueError(f"the run's window does not cover {self.start}..{self.end} (missing {day})")
        ann = d["announced"]
        out = {}
        for i, (a, b) in enumerate(self.bins):
            out[f"ann_w{i + 1}"] = float(ann.loc[a:b].sum())
        late = 0
        for announced, left in zip(departures["announced"], departures["date"], strict=True):
            if announced is not None and not pd.isna(announced) and self.start <= announced <= self.end:
                late += (announced - left).days >= LATE_DAYS
        out["late"] = float(late)
        if self.founder_exits:
            days = founder_exit_days(departures, self.window_start, self.end)
            for k in range(self.founder_exits):
                out[f"founder_{k + 1}"] = float(days[k]) if k < len(days) else self.censored_day
        if self.founders_day is not None:
            out["founders"] = float(d.loc[self.founders_day, "founders_remaining"])
        for name, day, value, bound in self.headcount:
            hc = float(d.loc[day, "headcount"])
            out[name] = max(0.0, value - hc) if bound == "at_least" else hc
        for name, first, last, what, bound, value in self.counts:
            x = float(simulated_count(departures, what, first, last))
            out[name] = {"lower": max(0.0, value - x), "upper": max(0.0, x - value)}.get(bound, x)
        return out


def founder_exit_days(departures: pd.DataFrame, first: dt.date, last: dt.date) -> list[int]:
    """A run's founder exits over first..last, as days since `first`, in order."""
    f = departures[departures["founder"].astype(bool)]
    return sorted((x - first).days for x in f["date"] if first <= x <= last)


def weekly_bins(start: dt.date, end: dt.date) -> tuple[tuple[dt.date, dt.date], ...]:
    """7-day weeks over start..end, the last ending on `end`; a first stub shorter than a week joins the next."""
    edges, last = [], end
    while last >= start:
        first = max(start, last - dt.timedelta(days=6))
        edges.append((first, last))
        last = first - dt.timedelta(days=1)
    edges.reverse()
    if len(edges) > 1 and (edges[0][1] - edges[0][0]).days < 6:
        edges[:2] = [(edges[0][0], edges[1][1])]
    return tuple(edges)


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


def spec(record=None, first_day: dt.date | None = None, weeks: int = WEEKS) -> Spec:
    """The statistics of `record` (default: the shipped one). Announcements count over its last `weeks` weeks (not
    before the first of the month of its first announcement, nor before `first_day`, the simulated window's start,
    default HISTORY_BEFORE); figures dated before `first_day` are history, not targets (listed in `skipped`)."""
    from sim.data import record as rec_mod

    r = rec_mod.load(None) if record is None else record
    first_day = first_day or HISTORY_BEFORE
    end = r.end
    start = max((r.first or end).replace(day=1), first_day, end - dt.timedelta(days=7 * weeks - 1))
    if start > end:
        raise observed.DataError(r.where, None, f"the record ends {end}, before the simulated window ({first_day})")
    days = pd.date_range(start, end, freq="D").date
    bins = weekly_bins(start, end)
    daily = observed.announced_by_day(start, end, r.departures) if len(r.departures) else pd.Series(0, index=days)
    obs = {f"ann_w{i + 1}": float(_window_sum(daily, a, b)) for i, (a, b) in enumerate(bins)}
    obs["late"] = float(_late(r.departures, start, end))
    founders_day, exits = None, 0
    if r.founders is not None:
        founders_day = end
        gone = sorted(x for x in r.founders["left"] if x is not None and not pd.isna(x) and first_day <= x <= end)
        for k, day in enumerate(gone):
            obs[f"founder_{k + 1}"] = float((day - first_day).days)
        exits = len(gone)
        obs["founders"] = float(observed.founders_remaining(end, r.founders))
    skipped, heads, counts = [], [], []
    if r.first is not None and r.first < start:
        skipped.append(f"announcements before {start}: outside the last {weeks} weeks or before the simulated "
                       f"window ({first_day}); history for the reference forecasts")  # fmt: skip
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
    return Spec(start, end, bins, founders_day, tuple(heads), tuple(counts), obs, tuple(skipped), first_day, exits)


def _late(departures: pd.DataFrame, first: dt.date, last: dt.date) -> int:
    if not len(departures):
        return 0
    inside = (departures["announced"] >= first) & (departures["announced"] <= last)
    return int((inside & departures["note"].str.lower().str.contains("had left")).sum())


@functools.cache
def shipped_spec(first_day: dt.date | None = None) -> Spec:
    """The statistics of the shipped record for a window starting on `first_day` (default HISTORY_BEFORE; read once
    per process and day)."""
    return spec(None, first_day)
