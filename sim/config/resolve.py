"""The config resolved once, at the edge: validated parameters with every date turned into a day number.

`resolve(params)` is the one place that checks values and parses dates; the model takes its `ResolvedParams` and never
parses or validates. Day numbers count from the window's first day (day 0); days before it are negative.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sim.config.params import ModelParams, parse_date, validate


@dataclass(frozen=True)
class ResolvedParams:
    """Validated parameters of one run and their calendar as day numbers."""

    params: ModelParams
    start: dt.date  # the window's first day (day 0)
    end: dt.date  # its last day
    founded_day: int  # the company's founding (negative: before the window)
    founders_left_days: tuple[int, ...]  # co-founders' exits before the window (negative days)
    shock_days: tuple[int, ...]  # each shock's date, in `params.shocks` order
    ipo_days: tuple[int | None, ...]  # each shock's planned IPO (None: none), in `params.shocks` order
    lever_days: tuple[int, ...]  # each lever's start (0 when it has none), in `params.policy.levers` order

    @property
    def days(self) -> int:
        """Number of simulated days, both ends included."""
        return (self.end - self.start).days + 1


def resolve(params: ModelParams | ResolvedParams) -> ResolvedParams:
    """Check `params` (ConfigError names the first bad field) and resolve its dates to day numbers."""
    if isinstance(params, ResolvedParams):
        return params
    if not isinstance(params, ModelParams):
        raise TypeError(f"expected ModelParams or ResolvedParams, got {type(params).__name__}")
    p = validate(params)
    start = parse_date(p.window.start, "window.start")

    def day(value: str, where: str) -> int:
        return (parse_date(value, where) - start).days

    return ResolvedParams(
        params=p,
        start=start,
        end=parse_date(p.window.end, "window.end"),
        founded_day=day(p.company.founded, "company.founded"),
        founders_left_days=tuple(
            sorted(day(d, f"company.founders_left[{i}]") for i, d in enumerate(p.company.founders_left))
        ),
        shock_days=tuple(day(s.date, f"shocks[{i}].date") for i, s in enumerate(p.shocks)),
        ipo_days=tuple(
            day(s.ipo_date, f"shocks[{i}].ipo_date") if s.ipo_date else None for i, s in enumerate(p.shocks)
        ),
        lever_days=tuple(
            day(lev.start, f"policy.levers[{i}].start") if lev.start else 0 for i, lev in enumerate(p.policy.levers)
        ),
    )
