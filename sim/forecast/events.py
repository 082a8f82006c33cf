"""The record's event series that a forecast is scored on, read generically from whatever rows the record holds.

A target is a count of events in a window (cutoff, cutoff + h]: co-founders gone (founders.csv's `left` dates),
departures announced (departures.csv), announced departures by the model's role, and by destination kind where the
record names destinations. The same count is read from a model run (its departures table), so the model and the
references are scored on one number. Counting what happens after the cutoff (not the level) gives every forecaster
the record's level at the cutoff for free: persistence forecasts 0 more events, and its CRPS is |y - y0| in levels.

Each series is observed from its `span_start`: founders from the first of the month of the first founder exit (the
founders file lists the whole team, so later founder windows are always known); announcements from the first of the
month of the first announcement (as `sim.calibration.targets.spec` reads them; earlier days are unrecorded, not
zero); destinations from the first of the month of the first announcement that names one. A window is scored only
when it lies inside the series' span and ends by the record's last day.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.schema import DEST_KINDS, ROLES

HORIZONS = (7, 14, 30, 60)  # days after the cutoff (issue 24)
# assumption: keyword rules from the record's free-text role to the model's roles, first match wins
ROLE_WORDS = (
    ("operations", ("tutor", "operations", "data annotation")),
    ("research_lead", ("lead", "head of", "director", "vp ", "chief")),
    ("researcher", ("research", "scientist")),
    ("engineer", ("engineer", "infrastructure", "systems", "technical staff", "developer")),
    ("product", ("product", "design")),
)


@dataclass(frozen=True)
class Target:
    """One event series: `kind` is founders, announced, role or destination; `value` the role or destination kind."""

    kind: str
    value: str = ""

    @property
    def name(self) -> str:
        return self.kind if not self.value else f"{self.kind}:{self.value}"


def _norm(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", str(text or "").strip().lower())


def role_of(text: str, co_founder: bool = False) -> str:
    """The model's role (sim.schema.ROLES) of a record row: co-founders by their flag, an exact role name as given,
    else the first keyword rule of ROLE_WORDS that matches; "" when none does (counted in `announced` only)."""
    if co_founder:
        return "co_founder"
    if _norm(text) in ROLES:
        return _norm(text)
    low = f"{str(text or '').lower()} "
    return next((role for role, words in ROLE_WORDS if any(w in low for w in words)), "")


def destination_kind_of(text: str, firms: dict[str, str] | None = None) -> str:
    """The destination kind (sim.schema.DEST_KINDS) of a record's `destination` text: a kind by name, `spinout-N`,
    or a firm of the scenario (`firms`: name -> kind, e.g. {"meta": "rival_lab"}); "" for blanks and unknown names."""
    t = _norm(text)
    if not t:
        return ""
    if t in DEST_KINDS:
        return t
    if t.startswith("spinout"):
        return "spinout"
    for name, kind in (firms or {}).items():
        if _norm(name) == t or _norm(name).replace("_", "") == t.replace("_", ""):
            return kind
    return ""


def _announced(record, firms=None) -> pd.DataFrame:
    d = record.departures
    dest = d["destination"] if "destination" in d else pd.Series([""] * len(d), index=d.index)
    return pd.DataFrame(
        {
            "day": list(d["announced"]),
            "role": [role_of(r, bool(c)) for r, c in zip(d["role"], d["co_founder"], strict=True)],
            "destination": [destination_kind_of(x, firms) for x in dest],
        }
    )


def targets(record, firms: dict[str, str] | None = None) -> list[Target]:
    """The targets the record can score: founders (if it has founders.csv), announced departures, each model role
    that some announced row maps to, each destination kind that some row names."""
    out = [Target("founders")] if record.founders is not None else []
    if len(record.departures):
        ann = _announced(record, firms)
        out.append(Target("announced"))
        out += [Target("role", r) for r in ROLES if (ann["role"] == r).any()]
        out += [Target("destination", k) for k in DEST_KINDS if (ann["destination"] == k).any()]
    return out


def _all_days(record, target: Target, firms=None) -> list[dt.date]:
    if target.kind == "founders":
        f = record.founders
        return sorted(x for x in f["left"] if x is not None and not pd.isna(x)) if f is not None else []
    ann = _announced(record, firms)
    if target.kind == "role":
        ann = ann[ann["role"] == target.value]
    elif target.kind == "destination":
        ann = ann[ann["destination"] == target.value]
    return sorted(ann["day"])


def span_start(record, target: Target, firms=None) -> dt.date | None:
    """First day the series is observed (see the module's docstring); None if the record has no such event."""
    if target.kind in ("role", "announced"):
        days = list(record.departures["announced"])
    elif target.kind == "destination":
        ann = _announced(record, firms)
        days = list(ann.loc[ann["destination"] != "", "day"])
    else:
        days = _all_days(record, target, firms)
    return min(days).replace(day=1) if days else None


def event_days(record, target: Target, cutoff: dt.date, firms=None) -> list[dt.date]:
    """The series' events dated on or before `cutoff`: all that a reference fitted at the cutoff may see."""
    return [d for d in _all_days(record, target, firms) if d <= cutoff]


def observed_count(record, target: Target, first: dt.date, last: dt.date, firms=None) -> int:
    """Events of the series dated first..last (inclusive) in the record."""
    return sum(1 for d in _all_days(record, target, firms) if first <= d <= last)


def model_count(departures: pd.DataFrame, target: Target, first: dt.date, last: dt.date) -> int:
    """A run's events of the series dated first..last: founders by their leaving date, the rest by announcement."""
    if target.kind == "founders":
        d = departures["date"]
        return int((departures["founder"].astype(bool) & (d >= first) & (d <= last)).sum())
    a = departures["announced"]
    inside = np.array([x is not None and not pd.isna(x) and first <= x <= last for x in a], dtype=bool)
    if target.kind == "role":
        inside &= (departures["role"] == target.value).to_numpy()
    elif target.kind == "destination":
        inside &= (departures["destination_kind"] == target.value).to_numpy()
    return int(inside.sum())


def windows(record, cutoff: dt.date, horizons=HORIZONS, firms=None) -> tuple[pd.DataFrame, list[str]]:
    """The windows to score at `cutoff`: target, horizon, start (cutoff + 1), end (cutoff + h), observed count; and
    what cannot be scored, with the reason (the window passes the record's end, or starts before the series)."""
    rows, skipped = [], []
    start = cutoff + dt.timedelta(days=1)
    for t in targets(record, firms):
        first = span_start(record, t, firms)
        for h in horizons:
            end = cutoff + dt.timedelta(days=int(h))
            if end > record.end:
                skipped.append(f"{t.name} {h} d: ends {end}, after the record's last day {record.end}")
            elif first is None or start < first:
                skipped.append(f"{t.name} {h} d: the series is not recorded before {first}")
            else:
                rows.append((t.name, int(h), start, end, observed_count(record, t, start, end, firms)))
    return pd.DataFrame(rows, columns=["target", "horizon", "start", "end", "observed"]), skipped


def by_name(record, firms=None) -> dict[str, Target]:
    return {t.name: t for t in targets(record, firms)}


def firm_kinds(run) -> dict[str, str]:
    """The scenario's firms as name -> destination kind (rival_lab unless the firm says otherwise)."""
    return {f.name: (getattr(f, "kind", "") or "rival_lab") for f in getattr(run, "firms", [])}
