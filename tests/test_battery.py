"""A property-based battery over the whole config schema (hypothesis): for every numeric field, values drawn from
outside its declared range (sim/config/bounds.py) are refused with the field named; values drawn from inside run (a tiny
lab over a six-month window with every mechanism, shock type and lever on) or are refused cleanly (a ConfigError,
e.g. a cross-field rule), never with another exception and never past a time limit.

The default profile keeps the battery small (a few examples a field); `pytest --battery-full` (or
EXODUS_BATTERY=full) runs the big one. EXODUS_BATTERY_REPORT=PATH writes the number of cases and fields run.
"""

import copy
import json
import math
import os
import signal
from collections import Counter
from dataclasses import fields, is_dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.config import params
from sim.config.bounds import BOOL, BOUNDS, Range, field_bound
from sim.config.params import ConfigError
from sim.levers import COMMON, KINDS
from sim.levers import SETTINGS as LEVER_SETTINGS

pytestmark = pytest.mark.filterwarnings("error::RuntimeWarning")  # an overflow inside the range is a finding
FULL = os.environ.get("EXODUS_BATTERY", "") == "full"
OUTSIDE_EXAMPLES, INSIDE_EXAMPLES = (60, 25) if FULL else (3, 1)
TIME_LIMIT = 60 if FULL else 30  # seconds per case: a hang fails the case


def SETTINGS(max_examples: int):  # noqa: N802
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=not FULL,
        database=None,
        suppress_health_check=list(HealthCheck),
        print_blob=True,
    )


COUNTS: Counter = Counter()
REFUSED_INSIDE: dict[str, str] = {}  # inside a field's own range, refused by a rule relating it to another

# the base: a tiny lab over six months with the xAI shocks (history and inside the window), rivals, spin-outs and
# every lever on from 2025-11-01
LEVERS = list(KINDS)
OVERRIDES = ["company.headcount=40", "company.founders=3", "window.end=2026-02-28", "events=xai"]
# where each class's fields live in the base config (shock and lever fields in an event or lever that uses them)
SHOCK_OF = {
    "autonomy_cut": 6,
    "burnout_bump": 6,
    "hazard_amp": 6,
    "hazard_tau_days": 6,
    "forced_exits": 6,
    "liquidity": 3,
    "acquired": 3,
    "acquired_ratio": 3,
    "acquired_days": 3,
    "senior_extra": 3,
    "survivor_ratio": 2,
    "survivor_days": 2,
    "backfill": 2,
    "mission_drop": 5,
    "safety_extra": 5,
    "founder_push": 6,
    "founder_push_days": 6,
    "conversion": 3,
    "acceleration": 3,
    "acceleration_target": 3,
    "ipo_date": 3,
    "ipo_liquidity": 3,
}


# each lever's settings class (sim/levers/) by name -> its kind; the fields every lever has are tried on the first
KIND_OF = {cls.__name__: kind for kind, cls in LEVER_SETTINGS.items()} | {"LeverConfig": KINDS[0]}


LEVER_TABLE = {"LeverConfig": {n: field_bound(LEVER_SETTINGS[KINDS[0]], n) for n in COMMON}} | {
    cls.__name__: {f.name: field_bound(cls, f.name) for f in fields(cls) if f.name not in COMMON}
    for cls in LEVER_SETTINGS.values()
}
PREFIX = {
    "WindowConfig": "window",
    "CompanyConfig": "company",
    "VestingConfig": "vesting",
    "HazardConfig": "hazard",
    "DynamicsConfig": "dynamics",
    "MechanismsConfig": "mechanisms",
    "FirmConfig": "firms.0",
    "ChoiceConfig": "choice",
    "SpinoutConfig": "spinout",
    "ObservationConfig": "observation",
    "DestinationsConfig": "destinations",
    "ObservedConfig": "observed",
    "DesignConfig": "design",
    "RosterConfig": "roster",
    "RunConfig": "",
}
DICTS = {("CompanyConfig", n) for n in ("role_mix", "pay", "grant_years_of_pay", "safety_minded_share")} | {
    ("DynamicsConfig", "base_load"),
    ("DynamicsConfig", "autonomy_baseline"),
    ("FirmConfig", "role_weights"),
    ("ObservationConfig", "announce_prob"),
    ("ObservationConfig", "delay_mean_days"),
    ("DestinationsConfig", "startup"),
    ("DestinationsConfig", "other_tech"),
    ("DestinationsConfig", "out"),
}


def field_path(cls: str, name: str) -> tuple[str, str]:
    """(dotted path in the base config, the name a refusal must give) of a schema field."""
    if cls == "ShockConfig":
        i = SHOCK_OF.get(name, 6)
        return f"shocks.{i}.{name}", f"shocks[{i}].{name}"
    if cls in KIND_OF:
        path = f"lever.{KIND_OF[cls]}.{name}"
        return path, path
    path = f"{PREFIX[cls]}.{name}" if PREFIX[cls] else name
    if (cls, name) in DICTS:
        path += ".researcher"  # a table by role: one of its entries
    return path, path.replace("firms.0.", "firms[0].")


CASES = sorted(
    (cls, name, bound)
    for cls, table in (BOUNDS | LEVER_TABLE).items()
    for name, bound in table.items()
    if isinstance(bound, Range) or bound is BOOL
)
IDS = [f"{cls}.{name}" for cls, name, _ in CASES]


@pytest.fixture(scope="module")
def base():
    cfg = sim.compose(OVERRIDES)
    from omegaconf import OmegaConf

    data = OmegaConf.to_container(cfg, resolve=True)
    data["policy"] = {"name": "everything", "levers": list(LEVERS)}
    return data


@pytest.fixture(scope="module", autouse=True)
def report():
    yield
    path = os.environ.get("EXODUS_BATTERY_REPORT")
    if path:
        fields_run = sorted({k.split(":")[0] for k in COUNTS})
        data = {"cases": sum(COUNTS.values()), "fields": len(fields_run), "by_kind": _by_kind(), "full": FULL}
        data["refused_inside"] = REFUSED_INSIDE
        with open(path, "w") as fh:
            json.dump(data, fh, indent=2)


def _by_kind() -> dict:
    out = Counter()
    for key, n in COUNTS.items():
        out[key.split(":")[1]] += n
    return dict(out)


def set_path(data: dict, path: str, value) -> None:
    *parents, last = path.split(".")
    obj = data
    for part in parents:
        obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    obj[int(last) if isinstance(obj, list) else last] = value


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang(f"no answer within {TIME_LIMIT} s")


def run_case(config: dict):
    """sim.simulate under a time limit; returns the Result or raises what it raised."""
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIME_LIMIT)
    try:
        return sim.simulate(config)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


# --------------------------------------------------------------------------- value strategies


def outside(bound) -> st.SearchStrategy:
    """Values a field with this bound must refuse: beyond either end, non-finite, of the wrong type."""
    wrong_type = st.one_of(st.text(max_size=5), st.none(), st.lists(st.integers(), max_size=2))
    if bound is BOOL:
        return st.one_of(wrong_type, st.integers(), st.floats(allow_nan=True))
    lo, hi = bound.lo, bound.hi
    if bound.integer:
        return st.one_of(
            st.integers(max_value=int(lo) - 1),
            st.integers(min_value=int(hi) + 1),
            st.floats(allow_nan=True).filter(lambda x: not (math.isfinite(x) and x.is_integer())),
            st.booleans(),
            wrong_type,
        )
    below = st.floats(max_value=lo, exclude_max=not bound.lo_open)
    above = st.floats(min_value=hi, exclude_min=not bound.hi_open)
    return st.one_of(below, above, st.sampled_from([math.nan, math.inf, -math.inf]), st.booleans(), wrong_type)


def inside(bound) -> st.SearchStrategy:
    if bound is BOOL:
        return st.booleans()
    if bound.integer:
        return st.integers(int(bound.lo), int(bound.hi))
    values = st.floats(
        bound.lo, bound.hi, exclude_min=bound.lo_open, exclude_max=bound.hi_open, allow_nan=False, allow_infinity=False
    )
    return st.one_of(values, st.sampled_from([bound.lo, bound.hi]).filter(bound.contains))


# --------------------------------------------------------------------------- the battery


def test_every_numeric_field_of_the_schema_declares_its_range():
    """Each int, float, bool or table-of-numbers field of every config dataclass has a bound, and no bound
    names a field that does not exist."""
    missing, unknown = [], []
    for cls in vars(params).values():
        if not (isinstance(cls, type) and is_dataclass(cls)) or cls.__module__ != params.__name__:
            continue
        declared = {**BOUNDS.get("ModelParams", {}), **BOUNDS.get(cls.__name__, {})}
        for f in fields(cls):
            numeric = f.type in ("int", "float", "bool") or f.type in ("dict[str, float]", "list[str]", "str")
            if numeric and f.name not in declared and not (cls.__name__ == "RunConfig" and f.name in ("free",)):
                if not any(f.name in BOUNDS.get(b.__name__, {}) for b in cls.__mro__):
                    missing.append(f"{cls.__name__}.{f.name}")
        names = {f.name for f in fields(cls)}
        unknown += [f"{cls.__name__}.{n}" for n in BOUNDS.get(cls.__name__, {}) if n not in names]
    for cls in LEVER_SETTINGS.values():  # a lever's settings declare theirs on the field (sim/config/declare.setting)
        missing += [f"{cls.__name__}.{f.name}" for f in fields(cls) if field_bound(cls, f.name) is None]
    assert not missing, f"fields without a declared range: {missing}"
    assert not unknown, f"bounds of fields that do not exist: {unknown}"


@pytest.mark.parametrize("cls, name, bound", CASES, ids=IDS)
def test_outside_the_range_is_refused_naming_the_field(base, cls, name, bound):
    path, shown = field_path(cls, name)

    @SETTINGS(OUTSIDE_EXAMPLES)
    @given(value=outside(bound))
    def check(value):
        config = copy.deepcopy(base)
        set_path(config, path, value)
        COUNTS[f"{cls}.{name}:outside"] += 1
        with pytest.raises(ConfigError) as err:
            run_case(config)
        assert str(err.value).startswith(f"{shown}="), (str(err.value), value)

    check()


@pytest.mark.parametrize("cls, name, bound", CASES, ids=IDS)
def test_inside_the_range_runs_or_is_refused_cleanly(base, cls, name, bound):
    path, _ = field_path(cls, name)

    @SETTINGS(INSIDE_EXAMPLES)
    @given(value=inside(bound))
    def check(value):
        config = copy.deepcopy(base)
        set_path(config, path, value)
        COUNTS[f"{cls}.{name}:inside"] += 1
        try:
            result = run_case(config)
        except ConfigError as exc:
            COUNTS[f"{cls}.{name}:inside_refused"] += 1
            REFUSED_INSIDE.setdefault(f"{cls}.{name}", str(exc))
            return
        daily, deps = result.daily, result.departures
        assert len(daily) == 181 and (daily.headcount >= 0).all()
        assert (deps.tenure_days >= 0).all() and deps.date.between(daily.date.iloc[0], daily.date.iloc[-1]).all()

    check()
