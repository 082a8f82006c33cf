"""The model beside the references at one cutoff: the windows to score, the references fitted on the record cut at
the cutoff, and the skill table once the model's draws have been counted (sim.calibration.backtest calls both)."""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.data.record import Record, cut
from sim.forecast import events, references, skill


@dataclass
class Setup:
    """What is known at the cutoff: the windows to score (with their Target), the references' forecasts and fits."""

    cutoff: dt.date
    windows: pd.DataFrame
    targets: list  # (events.Target, first, last) per row of `windows`
    references: dict  # target name -> reference name -> horizon -> Forecast
    fitted: pd.DataFrame
    skipped: list[str] = field(default_factory=list)


@dataclass
class Skill:
    """`scores`: one row per window and forecaster; `table`: skill.table of them; `fitted`: each reference's fit."""

    cutoff: dt.date
    scores: pd.DataFrame
    table: pd.DataFrame
    fitted: pd.DataFrame
    skipped: list[str]


def prepare(record: Record, cutoff: dt.date, firms: dict | None = None, seed: int = 0,
            horizons=events.HORIZONS) -> Setup:  # fmt: skip
    """The windows after `cutoff` the record can score, and every reference fitted on `cut(record, cutoff)` only
    (a reference never sees a later row; its seed: SeedSequence(seed, crc32 of the target's name))."""
    wins, skipped = events.windows(record, cutoff, horizons, firms)
    seen = cut(record, cutoff)
    refs, fits = {}, []
    names = events.by_name(record, firms)
    for name in dict.fromkeys(wins["target"]):
        t = names[name]
        first = events.span_start(record, t, firms)  # the series' span: its start is known on the cutoff day
        days = events.event_days(seen, t, cutoff, firms)
        rng_seed = np.random.SeedSequence([int(seed), zlib.crc32(name.encode())])
        refs[name], fitted = references.fit_all(days, first, cutoff, horizons, rng_seed)
        fits.append({"target": name, "since": first, **fitted})
    targets = [(names[w.target], w.start, w.end) for w in wins.itertuples()]
    return Setup(cutoff, wins, targets, refs, pd.DataFrame(fits), skipped)


def finish(setup: Setup, model_counts: np.ndarray) -> Skill:
    """Score the model's counts (draws, windows) and the references on every window."""
    scores = skill.score(setup.windows, model_counts, setup.references)
    if not scores.empty:
        scores.insert(0, "cutoff", setup.cutoff)
    return Skill(setup.cutoff, scores, skill.table(scores), setup.fitted, list(setup.skipped))
