"""The calibration's summary statistics (issue 24, item 3): what the record says, and that each statistic moves when
the parameter it is meant to identify moves (two values of the parameter, the same seeds, small runs)."""

from __future__ import annotations

import datetime as dt
import functools

import numpy as np
import pytest

from sim.calibration import abcsmc, targets
from sim.config import freeparams
from sim.config.compose import check, compose
from sim.data import observed, record

SEEDS = range(6)


@functools.cache
def _simulator(name: str) -> abcsmc.Simulator:
    run = check(compose(["company.headcount=200"]))
    return abcsmc.Simulator(abcsmc.calibration_base(run, targets.END.isoformat()), (name,), 1000)


@functools.cache
def _mean_stats(name: str, value: float) -> dict[str, float]:
    sim = _simulator(name)
    rows = []
    for seed in SEEDS:
        res = sim.run({name: value}, seed)
        rows.append(sim.spec.simulated(res.daily, res.departures))
    return {k: float(np.mean([r[k] for r in rows])) for k in rows[0]}


def _weekly(stats: dict) -> float:
    return sum(v for k, v in stats.items() if k.startswith("ann_w"))


# parameter, what the statistic is, +1 if it rises with the parameter (-1 if it falls)
IDENTIFIES = [
    ("announce_scale", "announcements by week", _weekly, +1),
    ("burst_gain", "announcements in the wave's week", lambda s: s["ann_w6"], +1),
    ("delay_scale", "late announcements", lambda s: s["late"], +1),
    ("founder_contagion", "day of the third founder exit", lambda s: s["founder_3"], -1),
    ("founder_contagion", "founders left", lambda s: s["founders"], -1),
    ("founder_acceleration", "days of the 2nd and 3rd founder exits", lambda s: s["founder_2"] + s["founder_3"], -1),
    ("early_stage_push", "founders left", lambda s: s["founders"], -1),
    ("founder_decay", "day of the first founder exit", lambda s: s["founder_1"], -1),
    ("founder_decay", "founders left", lambda s: s["founders"], -1),
    ("base_annual", "day of the first founder exit", lambda s: s["founder_1"], -1),
    ("base_annual", "headcount shortfall", lambda s: s["headcount_short"], +1),
    ("shock_scale", "key-departures shortfall", lambda s: s["key_departures_short"], -1),
]


@pytest.mark.parametrize(("name", "what", "stat", "sign"), IDENTIFIES, ids=[f"{n}-{w}" for n, w, *_ in IDENTIFIES])
def test_each_statistic_moves_with_the_parameter_it_identifies(name, what, stat, sign):
    """Mean over 6 seeds at the prior's low and high ends (same seeds): the statistic moves the stated way."""
    p = freeparams.BY_NAME[name]
    lo, hi = stat(_mean_stats(name, p.low)), stat(_mean_stats(name, p.high))
    assert sign * (hi - lo) > 0, (what, lo, hi)


def test_a_statistic_no_parameter_touches_stays_put():
    """announce_scale changes when departures are posted, not who leaves: the founders' dates do not move (so the
    test above is not passing on noise alone)."""
    p = freeparams.BY_NAME["announce_scale"]
    lo, hi = _mean_stats("announce_scale", p.low), _mean_stats("announce_scale", p.high)
    for k in ("founder_1", "founder_2", "founder_3", "founders"):
        assert lo[k] == hi[k]


def test_shipped_statistics_by_hand():
    """The shipped record's statistics, counted by hand from sim/data: weeks ending 12 Feb 2026 back to 2 Jan (Greg
    Yang's post ~20 Jan, the eleven of 6-12 Feb), founder exits 141, 161, 162 days after 2025-09-01."""
    s = targets.shipped_spec()
    assert s.bins[0] == (dt.date(2026, 1, 2), dt.date(2026, 1, 8)) and s.bins[-1] == (FEB6, targets.END)
    assert [s.observed[f"ann_w{i}"] for i in range(1, 7)] == [0, 0, 1, 0, 0, 11]
    assert [s.observed[f"founder_{k}"] for k in (1, 2, 3)] == [141, 161, 162]
    assert s.observed["founders"] == 6 and s.observed["late"] == 2
    assert tuple(s.observed) == targets.STATS
    deps = observed.load_departures()
    assert (deps.announced < dt.date(2026, 1, 2)).sum() == 3  # executives' exits of 2025: history, not targets


FEB6 = dt.date(2026, 2, 6)


def test_weekly_bins_cover_the_span_without_gaps():
    for days in (1, 6, 7, 8, 13, 14, 15, 43):
        start = dt.date(2026, 1, 1)
        end = start + dt.timedelta(days=days - 1)
        bins = targets.weekly_bins(start, end)
        assert bins[0][0] == start and bins[-1][1] == end
        for (_, b), (c, _) in zip(bins, bins[1:], strict=False):
            assert c == b + dt.timedelta(days=1)
        assert all(6 <= (b - a).days <= 12 for a, b in bins) or days < 7
        assert len(bins) == max(1, days // 7)


def test_founder_statistics_censor_exits_that_did_not_happen():
    """A run without founder exits scores the window's length + 1 for each of the record's."""
    import pandas as pd

    s = targets.shipped_spec()
    days = pd.date_range(dt.date(2025, 9, 1), targets.END, freq="D").date
    daily = pd.DataFrame({"date": days, "announced": 0, "founders_remaining": 9, "headcount": 1000})
    deps = pd.DataFrame({"date": [], "announced": [], "founder": [], "role": []})
    out = s.simulated(daily, deps)
    assert out["founder_1"] == out["founder_3"] == (targets.END - dt.date(2025, 9, 1)).days + 1
    one = pd.DataFrame({"date": [dt.date(2025, 10, 1)], "announced": [None], "founder": [True], "role": ["research"]})
    out = s.simulated(daily, one)
    assert out["founder_1"] == 30 and out["founder_2"] == (targets.END - dt.date(2025, 9, 1)).days + 1


def test_a_cut_record_has_the_founder_exits_it_knew():
    seen = targets.spec(record.cut(record.load(), dt.date(2026, 2, 9)))
    assert [k for k in seen.observed if k.startswith("founder_")] == ["founder_1", "founder_2"]
