"""One run's outputs as tables: daily, departures, offers, and a summary of key figures."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from .model import CAUSES, DAILY_COLUMNS, FOUNDER, AttritionModel
from .params import ROLES, UNITS
from .workforce import NEVER

COUNT_COLUMNS = [c for c in DAILY_COLUMNS if not c.startswith("mean_")]


@dataclass
class Result:
    """Tables of one run. Dates are `datetime.date` in a `date` column; every row carries the seed."""

    daily: pd.DataFrame
    departures: pd.DataFrame
    offers: pd.DataFrame
    summary: dict = field(default_factory=dict)


def _dates(model: AttritionModel, days) -> np.ndarray:
    """`datetime.date` objects of day indices (numpy converts day-resolution datetimes to dates)."""
    return (np.datetime64(model.start, "D") + np.asarray(days, dtype=np.int64)).astype(object)


def _names(names: tuple[str, ...], codes) -> np.ndarray:
    return np.array(names, dtype=object)[codes]


def daily_table(model: AttritionModel) -> pd.DataFrame:
    df = pd.DataFrame(model._daily_table, columns=list(DAILY_COLUMNS))
    df[COUNT_COLUMNS] = df[COUNT_COLUMNS].astype(np.int64)
    df.insert(0, "date", _dates(model, range(model.days)))
    df.insert(1, "seed", model.seed)
    return df


def departures_table(model: AttritionModel) -> pd.DataFrame:
    wf, n = model.workforce, model.workforce.n
    slots = np.flatnonzero(wf.left[:n] < NEVER)
    notes = [model.departure_notes[s] for s in slots.tolist()]
    ann = wf.announce_day[slots]
    ann_dates = np.where(ann < model.days, _dates(model, np.minimum(ann, model.days)), None)
    df = pd.DataFrame(
        {
            "date": _dates(model, wf.left[slots]),
            "seed": model.seed,
            "person": slots,
            "role": _names(ROLES, wf.role[slots]),
            "team": wf.team[slots],
            "unit": _names(UNITS, model.team_unit[wf.team[slots]]),
            "founder": wf.role[slots] == FOUNDER,
            "hired": _dates(model, wf.hired[slots]),
            "tenure_days": wf.left[slots] - wf.hired[slots],
            "cause": _names(CAUSES, wf.cause[slots]),
            "firm": [x[0] for x in notes],
            "shock": [x[1] for x in notes],
            "shock_share": np.round([x[2] for x in notes], 6),
            "announced": ann_dates,
        }
    )
    return df.sort_values(["date", "person"], kind="stable").reset_index(drop=True)


def offers_table(model: AttritionModel) -> pd.DataFrame:
    rows = model._offers_log
    df = pd.DataFrame(rows, columns=["day", "firm", "offers", "accepted"])
    df.insert(0, "date", _dates(model, df.pop("day")))
    df.insert(1, "seed", model.seed)
    return df


def key_figures(model: AttritionModel, daily: pd.DataFrame, deps: pd.DataFrame) -> dict:
    """Headline numbers of a run (the compare step recomputes its own from the tables)."""
    vol = deps[deps.cause == "voluntary"]
    figures = {
        "headcount_start": int(daily.headcount.iloc[0] + daily.departures.iloc[0] - daily.hires.iloc[0]),
        "headcount_end": int(daily.headcount.iloc[-1]),
        "departures": int(len(deps)),
        **{f"departures_{c}": int((deps.cause == c).sum()) for c in CAUSES},
        "announced": int(daily.announced.sum()),
        "founders_start": model.founders_start,
        "founders_remaining": int(daily.founders_remaining.iloc[-1]),
        "hires": int(daily.hires.sum()),
        "offers_made": int(daily.offers_made.sum()),
        "offers_accepted": int(daily.offers_accepted.sum()),
        "spinouts_founded": model.spinouts_founded,
        "shock_triggered_share_of_voluntary": float(vol.shock_share.mean()) if len(vol) else 0.0,
        "policy_cost": {f"{lv.cfg.kind}#{i}": float(lv.cost) for i, lv in enumerate(model.levers)},
    }
    figures["policy_cost_total"] = float(sum(figures["policy_cost"].values()))
    return figures


def collect(model: AttritionModel) -> Result:
    daily = daily_table(model)
    deps = departures_table(model)
    return Result(daily, deps, offers_table(model), key_figures(model, daily, deps))
