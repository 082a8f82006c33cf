"""The allowed range of every value of the config schema (sim/config/params.py), declared once, and its one check.

Bounds come from meaning: shares and probabilities in [0, 1], counts as integers, every number finite (no field
has a use for infinity or NaN), and sizes bounded so that one run stays within a stated budget:

- BUDGET: one run in about 1 GB of memory and a few minutes per simulated year. At most 200,000 staff
  (`company.headcount`), a window of at most 10 years (3,653 days), at most 20 cross-team ties a person and a
  contagion window of at most 120 days. Measured at the worst corner (200,000 staff in teams of one, 20 ties,
  120-day window): 1.0 GB peak, 184 s for one simulated year on the shared 2-core machine (README fragment of
  issue 18); with 100 ties it took 1.6 GB and 341 s, hence 20.
- Durations in days are at most 3,653 (10 years); rates, multiples and weights are capped far above anything
  reported, and low enough that no sum of them overflows (a hazard weight multiplies a driver that is a share
  or log years of pay: 50 x 11 < 709, where exp overflows; the calibration priors reach 8).

`check_fields` walks a config (dataclasses, lists, dicts) and refuses the first value of the wrong type or
outside its range with a ConfigError naming the field, the value and what is allowed. `validate` and
`validate_run` (sim/config/params.py) call it before their cross-field checks, so the command line, sweeps, design
files, posterior files and the Python API are checked alike.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass

from sim.config.errors import ConfigError

MAX_HEADCOUNT = 200_000
MAX_WINDOW_DAYS = 3653  # 10 years
MAX_DAYS = 3653
DATE_RANGE = ("1900-01-01", "2100-12-31")  # dates a config may name (history before the window included)


@dataclass(frozen=True)
class Range:
    """The allowed values of a number: [lo, hi] (ends excluded when `lo_open`/`hi_open`), integers if `integer`."""

    lo: float
    hi: float
    integer: bool = False
    lo_open: bool = False
    hi_open: bool = False
    why: str = ""

    def contains(self, v: float) -> bool:
        above = v > self.lo if self.lo_open else v >= self.lo
        below = v < self.hi if self.hi_open else v <= self.hi
        return above and below

    def describe(self) -> str:
        def num(x):
            if isinstance(x, int) or (float(x).is_integer() and abs(x) < 1e15):
                return f"{int(x):,}"
            return f"{x:g}"

        if self.integer:
            text = f"an integer in {num(self.lo)}..{num(self.hi)}"
        else:
            left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
            text = f"a finite number in {left}{num(self.lo)}, {num(self.hi)}{right}"
        return f"{text} ({self.why})" if self.why else text


def prob(why: str = "a probability or share") -> Range:
    return Range(0.0, 1.0, why=why)


def days(lo: int = 0, why: str = "days, at most 10 years") -> Range:
    return Range(lo, MAX_DAYS, integer=True, why=why)


def count(hi: int, lo: int = 0, why: str = "") -> Range:
    return Range(lo, hi, integer=True, why=why)


def real(lo: float, hi: float, why: str = "", lo_open: bool = False, hi_open: bool = False) -> Range:
    return Range(lo, hi, lo_open=lo_open, hi_open=hi_open, why=why)


BOOL = "bool"
TEXT = "text"
DATE = "date"

PEOPLE = count(MAX_HEADCOUNT, why="people; budget: at most 200,000 staff")
WEIGHT = real(0, 50, "a log hazard ratio per unit of its driver, a share or log years of pay")
LOGIT = real(0, 50, "a logit weight")
CULTURE = real(-50, 50, "a logit term")
MULTIPLE = real(0.1, 100, "a pay multiple")
YEARS_OF_PAY = real(0, 1000, "years of pay")
DOLLARS = real(0, 1e9, "dollars a year", lo_open=True)
SHARE_WEIGHT = real(0, 1e6, "a relative weight")

# class name -> field -> Range (numbers; dict fields: each value), BOOL, TEXT or DATE. Lists and nested
# dataclasses are walked; every numeric field must appear here (tests/test_battery.py checks it).
BOUNDS: dict[str, dict[str, object]] = {
    "WindowConfig": {"start": DATE, "end": DATE},
    "CompanyConfig": {
        "name": TEXT,
        "founded": DATE,
        "headcount": count(MAX_HEADCOUNT, lo=1, why="budget: at most 200,000 staff"),
        "founders": PEOPLE,
        "owner_founders": PEOPLE,
        "founders_left": DATE,
        "role_mix": SHARE_WEIGHT,
        "team_size": count(10_000, lo=1, why="people a team"),
        "cross_ties": count(20, why='cross-team ties a person ("a few", docs/ODD.md); budget'),
        "pay": DOLLARS,
        "grant_years_of_pay": YEARS_OF_PAY,
        "safety_minded_share": prob(),
        "high_performer_share": prob(),
        "hire_fill_days": real(1, MAX_DAYS, "mean days to fill a vacancy"),
    },
    "VestingConfig": {
        "years": real(1 / 12, 10, "years of a vesting schedule, at least a month"),
        "cliff_months": count(120, why="months"),
        "bump": real(1, 100, "a hazard multiplier"),
        "bump_days": days(),
    },
    "HazardConfig": {
        "base_annual": real(0, 1, "an annual rate", hi_open=True),
        "burnout": WEIGHT,
        "autonomy": WEIGHT,
        "mission": WEIGHT,
        "contagion": WEIGHT,
        "wealth": WEIGHT,
        "unvested": WEIGHT,
        "contagion_window_days": count(120, lo=1, why="days; budget"),
        "founder_contagion": WEIGHT,
        "founder_decay_days": real(1, MAX_DAYS, "days: the e-folding time of a fellow co-founder's pull"),
    },
    "DynamicsConfig": {
        "burnout_rise": prob("a daily rate"),
        "burnout_recovery": prob("a daily rate"),
        "base_load": real(0, 100, "a workload"),
        "shortstaff_load": real(0, 100, "a workload gain"),
        "initial_burnout": prob(),
        "autonomy_baseline": prob(),
        "autonomy_drift": prob("a daily rate"),
        "mission_baseline": prob(),
        "mission_recovery": prob("a daily rate"),
    },
    "MechanismsConfig": dict.fromkeys(
        (
            "burnout",
            "autonomy",
            "mission",
            "vesting",
            "wealth",
            "contagion",
            "hiring",
            "poaching",
            "spinouts",
            "shocks",
        ),
        BOOL,
    ),
    "FirmConfig": {
        "name": TEXT,
        "offers_per_year": real(0, 1000, "offers a year"),
        "role_weights": SHARE_WEIGHT,
        "offer_multiple": MULTIPLE,
        "culture": CULTURE,
        "kind": TEXT,
    },
    "DestinationsConfig": {
        "rival_pull": real(0, 1e6, "odds per offer a year"),
        "pay": LOGIT,
        "startup_appeal": CULTURE,
        "other_tech_appeal": CULTURE,
        "join_spinout": real(0, 1e6, "odds"),
        "startup": real(0, 1e6, "odds by role"),
        "other_tech": real(0, 1e6, "odds by role"),
        "out": real(0, 1e6, "odds by role"),
    },
    "ChoiceConfig": {
        "intercept": real(-50, 50, "a logit intercept"),
        "pay": LOGIT,
        "unvested": LOGIT,
        "autonomy": LOGIT,
        "mission": LOGIT,
        "burnout": LOGIT,
    },
    "SpinoutConfig": {
        "founder_prob": prob(),
        "founder_roles": TEXT,
        "recruit_days": days(1),
        "group_min": count(1000, lo=2, why="people"),
        "group_max": count(1000, lo=2, why="people"),
        "offers_per_day": Range(0, 1, hi_open=True, why="a daily chance, below 1 (1 is an infinite hazard)"),
        "offer_multiple": MULTIPLE,
        "culture": CULTURE,
    },
    "ShockConfig": {
        "date": DATE,
        "name": TEXT,
        "autonomy_cut": prob(),
        "burnout_bump": prob(),
        "hazard_amp": real(0, 100, "an excess hazard multiplier"),
        "hazard_tau_days": real(1, MAX_DAYS, "days: the model steps a day at a time"),
        "forced_exits": PEOPLE,
        "forced_rule": TEXT,
        "unit": TEXT,
        "backfill": BOOL,
        "liquidity": prob(),
        "acquired": BOOL,
        "acquired_ratio": real(1, 100, "a hazard ratio"),
        "acquired_days": days(),
        "senior_extra": real(0, 100, "a relative increase"),
        "survivor_ratio": real(1, 100, "a hazard ratio"),
        "survivor_days": days(),
        "mission_drop": prob(),
        "safety_extra": real(0, 100, "a relative increase"),
        "founder_push": real(1, 100, "a hazard ratio"),
        "founder_push_days": days(),
        "conversion": real(0, 100, "a value factor", lo_open=True),
        "acceleration": prob("a share of the months still to vest"),
        "acceleration_target": TEXT,
        "ipo_date": TEXT,  # a date or empty (no IPO); parsed by validate
        "ipo_liquidity": prob(),
    },
    "ObservationConfig": {
        "announce_prob": prob(),
        "delay_mean_days": real(0, MAX_DAYS, "days"),
        "burst_gain": real(0, 10, "a daily hazard per recent announcement"),
        "burst_window_days": count(365, lo=1, why="days"),
        "lookback_days": days(),
    },
    "PolicyConfig": {"name": TEXT},  # levers: names or settings (sim/levers/, their fields declare bounds)
    "ObservedConfig": {"dir": TEXT},
    "RosterConfig": {
        "path": TEXT,
        "as_of": TEXT,
        "horizon_days": count(36_500, lo=1, why="days after roster.as_of"),
        "roles": TEXT,
        "fit_hazard": BOOL,
        "salt": TEXT,
        "digest": TEXT,
    },
    "DesignConfig": {"file": TEXT, "row": count(10_000_000, lo=-1, why="-1 for none, else a row of design.file")},
    "RunConfig": {
        "seed": count(2**63 - 1, why="a root seed"),
        "replicates": count(100_000, lo=1, why="seeds a job runs"),
        "study": TEXT,
        "posterior_file": TEXT,
        "posterior_draw": count(999_999, lo=-1, why="-1 for the posterior median, else a draw"),
        "lever_draw": count(999_999, lo=-1, why="-1 for conf/lever's effect sizes, else a draw of their priors"),
    },
}


def bound_of(cls_name: str, name: str):
    """The declared bound of a field (searching the class's bases by name), or None."""
    return BOUNDS.get(cls_name, {}).get(name)


def _is_int(v) -> bool:
    return isinstance(v, numbers.Integral) and not isinstance(v, bool) and type(v).__name__ != "bool_"


def _is_real(v) -> bool:
    return isinstance(v, numbers.Real) and not isinstance(v, bool) and type(v).__name__ != "bool_"


def check_value(where: str, v, bound) -> None:
    """Refuse `v` unless it is of the bound's type and inside it."""
    if _plainly_inside(v, bound):  # the common case, without the ABC checks
        return
    if bound is BOOL:
        if not isinstance(v, bool):
            raise ConfigError(where, v, "true or false")
        return
    if bound in (TEXT, DATE):
        if not isinstance(v, str):
            raise ConfigError(where, v, "a date as YYYY-MM-DD" if bound is DATE else "a text value")
        if bound is DATE and not (DATE_RANGE[0] <= v.strip() <= DATE_RANGE[1]):
            raise ConfigError(where, v, f"a date as YYYY-MM-DD from {DATE_RANGE[0]} to {DATE_RANGE[1]}")
        return
    assert isinstance(bound, Range)
    if bound.integer:
        if not _is_int(v):
            raise ConfigError(where, v, bound.describe())
    elif not _is_real(v) or not math.isfinite(float(v)):
        raise ConfigError(where, v, bound.describe())
    if not bound.contains(v):
        raise ConfigError(where, v, bound.describe())


def check_fields(obj, where: str = "", only: tuple[str, ...] | None = None) -> None:
    """Check every field of dataclass `obj` against its declared bound, walking nested configs, lists and dicts.

    `only` limits the check to these top-level fields (run-level fields of a RunConfig)."""
    for name, bound, is_list, is_dict in _plan(type(obj)):
        if only is not None and name not in only:
            continue
        v = getattr(obj, name)
        if _plainly_inside(v, bound):
            continue
        path = f"{where}.{name}" if where else name
        if isinstance(v, list) and not is_list:
            raise ConfigError(path, v, _single(bound))
        if isinstance(v, dict) and not is_dict:
            raise ConfigError(path, v, _single(bound))
        _check_any(path, v, bound, name)


def _plainly_inside(v, bound) -> bool:
    """The common case, decided without building the field's path: a plain number inside its range, a text or a
    true/false where one is declared. Anything else goes through the full check (and its message)."""
    kind = type(v)
    if kind is float or kind is int:
        plain = kind is int or (not bound.integer and math.isfinite(v)) if isinstance(bound, Range) else False
        return plain and bound.contains(v)
    return (kind is str and bound is TEXT) or (kind is bool and bound is BOOL)


@functools.cache
def _plan(cls: type) -> tuple[tuple[str, object, bool, bool], ...]:
    """(field, its bound, declared a list, declared a dict) for each field of a schema class, worked out once."""
    out = []
    for f in fields(cls):
        bound = field_bound(cls, f.name) or bound_of(cls.__name__, f.name)  # declared on the field or in the table
        if bound is None and cls.__name__ == "RunConfig":
            bound = bound_of("ModelParams", f.name)
        declared = str(f.type)
        out.append((f.name, bound, declared.startswith("list["), declared.startswith("dict[")))
    return tuple(out)


def field_bound(cls: type, name: str):
    """The bound declared on field `name` of `cls` or, where a subclass redeclares it (a new default), of a base."""
    for base in cls.__mro__:
        f = getattr(base, "__dataclass_fields__", {}).get(name)
        if f is not None and "bound" in f.metadata:
            return f.metadata["bound"]
    return None


def _single(bound) -> str:
    """What a single-valued field allows, for a value that is a list or mapping instead."""
    if isinstance(bound, Range):
        return bound.describe()
    return {BOOL: "true or false", DATE: "a date as YYYY-MM-DD"}.get(bound, "a single value, not a group")


def _check_any(path: str, v, bound, name: str) -> None:
    if is_dataclass(v):
        check_fields(v, path)
    elif isinstance(v, list):
        for i, item in enumerate(v):
            item_path = f"{path}[{i}]"
            if is_dataclass(item):
                check_fields(item, item_path)
            elif name == "levers":  # a name or a mapping: resolve_levers makes it a LeverConfig, checked then
                if not isinstance(item, str | Mapping):
                    raise ConfigError(item_path, item, "a lever name or a lever's settings")
            elif bound is not None:
                check_value(item_path, item, bound)
            else:
                raise ConfigError(item_path, item, "a config group")
    elif isinstance(v, dict):
        for key, item in v.items():
            if type(key) is str and _plainly_inside(item, bound):
                continue
            item_path = f"{path}.{key}"
            if not isinstance(key, str):
                raise ConfigError(item_path, key, "a name")
            if is_dataclass(item):
                check_fields(item, item_path)
            elif name == "free":
                if not _is_real(item) or not math.isfinite(float(item)):
                    raise ConfigError(item_path, item, "a finite number")
            elif bound is not None:
                check_value(item_path, item, bound)
            else:
                raise ConfigError(item_path, item, "a config group")
    elif bound is not None:
        check_value(path, v, bound)
    else:
        raise ConfigError(path, v, "a known config field")  # a field without a declared bound: a schema bug


def table() -> list[tuple[str, str]]:
    """(class.field, what is allowed) for every declared bound: the table `python -m sim.config.bounds` prints."""
    rows = []
    for cls, entries in BOUNDS.items():
        for name, bound in entries.items():
            what = bound.describe() if isinstance(bound, Range) else _single(bound) if bound is not TEXT else "text"
            rows.append((f"{cls}.{name}", what))
    return rows


if __name__ == "__main__":
    for name, what in table():
        print(f"{name:42} {what}")
