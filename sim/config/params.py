"""Typed parameters of the model: plain dataclasses, also used as Hydra structured configs.

Defaults here are neutral placeholders; the cited defaults live in `conf/` YAML.
Nothing in this module imports Hydra; `validate` checks values against their meaning.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

from sim.config.errors import ConfigError
from sim.levers import KINDS, SETTINGS, TARGETS, LeverConfig
from sim.schema import ROLES, UNITS

FORCED_RULES = ("founders", "senior", "random")
FIRM_KINDS = ("rival_lab", "startup")  # a firm's destination kind (sim/destinations.py)
LeverSettings = Any  # a lever's settings: the `LeverConfig` subclass its `kind` names (sim/levers/), built by
# `lever_settings`; Any to Hydra, which checks conf against a schema that cannot know the kinds' own fields


# fields that were removed, with what replaces them: a config that still sets one is told so by name
REMOVED = {
    ("ShockConfig", "type"): (
        "the shock field `type` was removed (a label that changed nothing): a shock's kind is now decided by the"
        " effect fields it sets (autonomy_cut, hazard_amp, forced_exits, acquired, liquidity, ...: sim/model/shocks,"
        " docs/reference.md); delete the line, and label the shock with `name`"
    ),
}


def _role_table(**values: float) -> dict[str, float]:
    return {r: float(values.get(r, 0.0)) for r in ROLES}


@dataclass
class WindowConfig:
    start: str = "2025-09-01"
    end: str = "2026-08-31"


@dataclass
class CompanyConfig:
    name: str = "lab"
    founded: str = "2023-07-12"
    headcount: int = 1000
    founders: int = 0
    owner_founders: int = 0
    founders_left: list[str] = field(
        default_factory=list
    )  # co-founders' exits before the window (the clique's history)
    role_mix: dict[str, float] = field(default_factory=lambda: _role_table(researcher=0.5, engineer=0.5))
    team_size: int = 8
    cross_ties: int = 3
    pay: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 0.3)))
    grant_years_of_pay: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 2.0)))
    safety_minded_share: dict[str, float] = field(default_factory=lambda: _role_table())
    high_performer_share: float = 0.2
    hire_fill_days: float = 45.0


@dataclass
class VestingConfig:
    years: float = 4.0
    cliff_months: int = 12
    bump: float = 1.0
    bump_days: int = 60


@dataclass
class HazardConfig:
    base_annual: float = 0.13
    burnout: float = 0.0
    autonomy: float = 0.0
    mission: float = 0.0
    contagion: float = 0.0
    wealth: float = 0.0
    unvested: float = 0.0
    contagion_window_days: int = 30
    founder_contagion: float = 0.0  # weight of the decayed share of fellow co-founders who chose to leave (the clique)
    founder_decay_days: float = 60.0  # e-folding time of a fellow co-founder's pull (the Hawkes kernel's decay)


@dataclass
class DynamicsConfig:
    burnout_rise: float = 0.01
    burnout_recovery: float = 0.02
    base_load: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))
    shortstaff_load: float = 1.0
    initial_burnout: float = 0.3
    autonomy_baseline: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 0.5)))
    autonomy_drift: float = 0.01
    mission_baseline: float = 0.8
    mission_recovery: float = 0.005


@dataclass
class MechanismsConfig:
    burnout: bool = True
    autonomy: bool = True
    mission: bool = True
    vesting: bool = True
    wealth: bool = True
    contagion: bool = True
    hiring: bool = True
    poaching: bool = True
    spinouts: bool = True
    shocks: bool = True


@dataclass
class FirmConfig:
    name: str = "firm"
    offers_per_year: float = 0.0
    role_weights: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))
    offer_multiple: float = 1.5
    culture: float = 0.0
    kind: str = "rival_lab"  # destination kind of its hires: rival_lab or startup


@dataclass
class ChoiceConfig:
    """Logit weights of an offer against staying."""

    intercept: float = -1.5
    pay: float = 1.0
    unvested: float = 0.5
    autonomy: float = 1.0
    mission: float = 1.0
    burnout: float = 1.0


@dataclass
class DestinationsConfig:
    """Where a voluntary leaver goes: a multinomial logit over rival labs, startups, other tech and out of the field
    (sim/destinations.py). Odds are relative to other tech; appeals and pay enter on the logit scale."""

    rival_pull: float = 1.0  # odds of a rival lab per offer it makes a year to one person of the role
    pay: float = 1.0  # weight of ln(offer multiple) of a firm
    startup_appeal: float = 0.0
    other_tech_appeal: float = 0.0
    join_spinout: float = 1.0  # odds of joining a spin-out that courts the leaver (times exp(culture) * pay)
    startup: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))
    other_tech: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))
    out: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))


@dataclass
class SpinoutConfig:
    founder_prob: float = 0.0
    founder_roles: list[str] = field(default_factory=lambda: ["co_founder", "research_lead"])
    recruit_days: int = 42
    group_min: int = 2
    group_max: int = 4
    offers_per_day: float = 0.05
    offer_multiple: float = 1.0
    culture: float = 1.0


@dataclass
class ShockConfig:
    """One dated event: its date, a `name` (a label), and the fields of each effect it has. Its kind is the effects
    its fields switch on (sim/model/shocks: one class per effect kind); a field left at its default is no effect."""

    date: str = "2026-01-01"
    name: str = ""
    autonomy_cut: float = 0.0
    burnout_bump: float = 0.0
    hazard_amp: float = 0.0
    hazard_tau_days: float = 30.0
    forced_exits: int = 0
    forced_rule: str = "random"
    unit: str = ""
    backfill: bool = True
    liquidity: float = 0.0
    acquired: bool = False
    acquired_ratio: float = 1.0
    acquired_days: int = 365
    senior_extra: float = 0.0
    survivor_ratio: float = 1.0
    survivor_days: int = 0
    mission_drop: float = 0.0
    safety_extra: float = 0.0
    # the founding team (docs/ODD.md): remaining co-founders' hazard x founder_push for founder_push_days
    founder_push: float = 1.0
    founder_push_days: int = 0
    # change of control (acquisitions that acquire the lab): equity converted, accelerated, the planned IPO
    conversion: float = 1.0  # value factor on everyone's equity on conversion into the acquirer's stock
    acceleration: float = 0.0  # share of the months still to vest that vest at once, for acceleration_target
    acceleration_target: str = "founders"
    ipo_date: str = ""  # the acquirer's planned IPO: a liquidity event on that date
    ipo_liquidity: float = 0.0  # share of vested, unsold equity turned into wealth at the IPO


@dataclass
class ObservationConfig:
    announce_prob: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))
    delay_mean_days: dict[str, float] = field(default_factory=lambda: _role_table())
    burst_gain: float = 0.0
    burst_window_days: int = 7
    lookback_days: int = 120


@dataclass
class PolicyConfig:
    """A named policy: its levers, each a lever's settings (sim/levers/) or the name of one in `RunConfig.lever`."""

    name: str = "none"
    levers: list[Any] = field(default_factory=list)


def _conf(name: str, cls):
    """A default factory: group `name` of conf/'s default config, as `cls` (or a list of `cls`), merged over the
    dataclass's own fields as Hydra merges a config over its schema."""

    def make():
        from sim.config.defaults import default_group

        data = default_group(name)
        if isinstance(data, list):
            return [from_mapping(cls, _over(cls(), item), f"{name}[{i}]") for i, item in enumerate(data)]
        return from_mapping(cls, _over(cls(), data), name)

    return field(default_factory=make, metadata={"conf_group": name})


def _over(schema_value, data):
    """`data` merged over a schema value (dataclass fields and dict entries it does not set keep the schema's)."""
    base = as_plain(schema_value)
    if not isinstance(base, dict) or not isinstance(data, dict):
        return data
    return {**base, **{k: _over(base[k], v) if k in base else v for k, v in data.items()}}


@dataclass
class RosterConfig:
    """A user's own roster (sim/roster): its people start the run instead of a drawn lab. "" path: no roster."""

    path: str = ""  # a CSV or Parquet roster, relative to the folder `exodus` runs in
    as_of: str = ""  # the roster's date the run starts after (YYYY-MM-DD); "": its last dated event
    horizon_days: int = 365  # the run's window: the days after as_of
    roles: dict[str, str] = field(default_factory=dict)  # the roster's role names -> the model's roles
    fit_hazard: bool = True  # hazard.base_annual from the roster's voluntary exits (sim/roster/prior.py)
    salt: str = "exodus"  # salts the hashes that stand for ids outside the run
    digest: str = ""  # set when the roster is read: its file's hash (a changed file is a changed run)


@dataclass
class ModelParams:
    """Everything one run needs, besides the seed. Its defaults are conf/'s (`ModelParams()` is the default lab
    `exodus` runs); the group dataclasses alone hold neutral placeholders."""

    window: WindowConfig = _conf("window", WindowConfig)
    company: CompanyConfig = _conf("company", CompanyConfig)
    vesting: VestingConfig = _conf("vesting", VestingConfig)
    hazard: HazardConfig = _conf("hazard", HazardConfig)
    dynamics: DynamicsConfig = _conf("dynamics", DynamicsConfig)
    mechanisms: MechanismsConfig = _conf("mechanisms", MechanismsConfig)
    choice: ChoiceConfig = _conf("choice", ChoiceConfig)
    firms: list[FirmConfig] = _conf("firms", FirmConfig)
    spinout: SpinoutConfig = _conf("spinout", SpinoutConfig)
    shocks: list[ShockConfig] = _conf("shocks", ShockConfig)
    observation: ObservationConfig = _conf("observation", ObservationConfig)
    policy: PolicyConfig = _conf("policy", PolicyConfig)
    destinations: DestinationsConfig = _conf("destinations", DestinationsConfig)
    roster: RosterConfig = field(default_factory=RosterConfig)  # a user's roster (sim/roster); "" path: none


# --------------------------------------------------------------------------- validation


def parse_date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(where, value, "a date as YYYY-MM-DD") from None


def _check(cond: bool, where: str, value: object, allowed: str) -> None:
    if not cond:
        raise ConfigError(where, value, allowed)


def _role_dict(d: dict[str, float], where: str) -> None:
    """The keys of a table by role are roles (its values' range is declared in sim/config/bounds.py)."""
    for key in d:
        _check(key in ROLES, f"{where}.{key}", key, f"one of {', '.join(ROLES)}")


def validate(p: ModelParams) -> ModelParams:
    """Check every value against its meaning; raise ConfigError naming the first bad field.

    Types and ranges of single values are declared once in sim/config/bounds.py and checked first; the checks
    below are those that relate fields to each other (and the names of roles, units, kinds)."""
    from sim.config.bounds import MAX_WINDOW_DAYS, check_fields

    check_fields(p)
    start = parse_date(p.window.start, "window.start")
    end = parse_date(p.window.end, "window.end")
    _check(start < end, "window.end", p.window.end, f"a date after window.start ({start})")
    last = start + dt.timedelta(days=MAX_WINDOW_DAYS - 1)
    _check(end <= last, "window.end", p.window.end, f"a date at most 10 years after window.start (<= {last})")

    c = p.company
    _check(c.founders <= c.headcount, "company.founders", c.founders, "0..company.headcount")
    _check(c.owner_founders <= c.founders, "company.owner_founders", c.owner_founders, "0..company.founders")
    _role_dict(c.role_mix, "company.role_mix")
    _check(
        sum(v for k, v in c.role_mix.items() if k != "co_founder") > 0,
        "company.role_mix",
        dict(c.role_mix),
        "at least one non-founder role with a share > 0",
    )
    _role_dict(c.pay, "company.pay")
    _role_dict(c.grant_years_of_pay, "company.grant_years_of_pay")
    _role_dict(c.safety_minded_share, "company.safety_minded_share")
    founded = parse_date(c.founded, "company.founded")
    _check(founded <= start, "company.founded", c.founded, f"a date no later than window.start ({start})")
    for i, left in enumerate(c.founders_left):
        day = parse_date(left, f"company.founders_left[{i}]")
        _check(
            founded <= day < start,
            f"company.founders_left[{i}]",
            left,
            f"a date from company.founded ({founded}) to the day before window.start ({start})",
        )

    v = p.vesting
    _check(
        0 <= v.cliff_months <= round(12 * v.years),
        "vesting.cliff_months",
        v.cliff_months,
        f"0..{round(12 * v.years)} (no longer than the vesting schedule)",
    )
    d = p.dynamics
    _role_dict(d.base_load, "dynamics.base_load")
    _role_dict(d.autonomy_baseline, "dynamics.autonomy_baseline")

    names = set()
    for i, f in enumerate(p.firms):
        w = f"firms[{i}]"
        _check(bool(f.name) and f.name not in names, f"{w}.name", f.name, "a unique, non-empty firm name")
        names.add(f.name)
        _role_dict(f.role_weights, f"{w}.role_weights")
        _check(f.kind in FIRM_KINDS, f"{w}.kind", f.kind, f"one of {', '.join(FIRM_KINDS)}")

    de = p.destinations
    for name in ("startup", "other_tech", "out"):
        _role_dict(getattr(de, name), f"destinations.{name}")

    s = p.spinout
    for r in s.founder_roles:
        _check(r in ROLES, "spinout.founder_roles", r, f"roles among {', '.join(ROLES)}")
    _check(s.group_min <= s.group_max, "spinout.group_min", s.group_min, "2 <= group_min <= group_max")

    for i, sh in enumerate(p.shocks):
        w = f"shocks[{i}]"
        day = parse_date(sh.date, f"{w}.date")
        _check(day <= end, f"{w}.date", sh.date, f"a date no later than window.end ({end})")
        _check(sh.forced_rule in FORCED_RULES, f"{w}.forced_rule", sh.forced_rule, f"one of {', '.join(FORCED_RULES)}")
        _check(sh.unit in ("", *UNITS), f"{w}.unit", sh.unit, f"empty (whole lab) or one of {', '.join(UNITS)}")
        _check(
            sh.acceleration_target in TARGETS,
            f"{w}.acceleration_target",
            sh.acceleration_target,
            f"one of {', '.join(TARGETS)}",
        )
        if sh.ipo_date:
            ipo = parse_date(sh.ipo_date, f"{w}.ipo_date")
            _check(ipo >= day, f"{w}.ipo_date", sh.ipo_date, f"a date on or after the shock's date ({day})")

    o = p.observation
    _role_dict(o.announce_prob, "observation.announce_prob")
    _role_dict(o.delay_mean_days, "observation.delay_mean_days")

    _check(
        not p.policy.levers or p.policy.name != "none",
        "policy.levers",
        p.policy.levers,
        "no lever for the policy 'none' (the baseline); name a policy that has levers (policy.name)",
    )
    _check(
        bool(p.policy.levers) or p.policy.name == "none",
        "policy.levers",
        p.policy.levers,
        f"at least one lever for policy {p.policy.name!r} (only the policy 'none' has no lever)",
    )

    for i, lev in enumerate(p.policy.levers):
        w = f"policy.levers[{i}]"
        _check(
            isinstance(lev, LeverConfig), w, lev, "a lever's settings (LeverConfig); names are resolved by model_params"
        )
        _check(lev.kind in KINDS, f"{w}.kind", lev.kind, f"one of {', '.join(KINDS)}")
        _check(
            type(lev) is SETTINGS[lev.kind], w, type(lev).__name__, f"{SETTINGS[lev.kind].__name__} for kind {lev.kind}"
        )
        if lev.start:
            day = parse_date(lev.start, f"{w}.start")
            _check(start <= day <= end, f"{w}.start", lev.start, f"a date inside the window {start}..{end}")
        _check(lev.target in TARGETS, f"{w}.target", lev.target, f"one of {', '.join(TARGETS)}")
        for condition in lev.check(w):
            _check(*condition)
    return p


def as_plain(obj):
    """A config as plain dicts and lists (what `dataclasses.asdict` gives, without its deep copy of every value)."""
    if is_dataclass(obj):
        return {f.name: as_plain(getattr(obj, f.name)) for f in fields(obj)}
    if isinstance(obj, list | tuple):
        return type(obj)(as_plain(x) for x in obj)
    if isinstance(obj, dict):
        return {k: as_plain(v) for k, v in obj.items()}
    return obj


def from_mapping(cls, data, where: str = ""):
    """Build dataclass `cls` from a nested mapping, refusing unknown keys by name."""
    if not is_dataclass(cls):
        return data
    if not isinstance(data, Mapping):
        raise ConfigError(where or cls.__name__, data, f"a mapping of {cls.__name__} settings")
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in dict(data).items():
        path = f"{where}.{key}" if where else key
        if (cls.__name__, key) in REMOVED:
            raise ConfigError(path, value, REMOVED[cls.__name__, key])
        if key not in known:
            raise ConfigError(path, key, f"a known field of {cls.__name__}: {', '.join(known)}")
        kwargs[key] = _convert(known[key].type, value, path)
    return cls(**kwargs)


_NESTED = {}


def _convert(type_str, value, path):
    if type_str == "dict[str, LeverSettings]":  # the lever library: each entry its kind's settings
        if not isinstance(value, Mapping):
            raise ConfigError(path, value, "a mapping of lever names to their settings")
        return {k: lever_settings(v, f"{path}.{k}", k) for k, v in dict(value).items()}
    sub = _NESTED.get(type_str)
    if sub is not None:
        return from_mapping(sub, value, path)
    if type_str.startswith("list[") and (not isinstance(value, Sequence) or isinstance(value, str | bytes)):
        raise ConfigError(path, value, "a list")
    if type_str.startswith("dict[") and not isinstance(value, Mapping):
        raise ConfigError(path, value, "a mapping")
    if type_str.startswith("list[") and type_str[5:-1] in _NESTED:
        item = _NESTED[type_str[5:-1]]
        return [from_mapping(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
    nested = type_str.removesuffix("]").rsplit(", ", 1)[-1]
    if type_str.startswith("dict[") and nested in _NESTED:
        return {
            k: from_mapping(_NESTED[nested], v, f"{path}.{k}") if isinstance(v, Mapping) else v
            for k, v in dict(value).items()
        }
    if type_str.startswith("dict["):
        return dict(value)
    if type_str.startswith("list["):
        return list(value)
    return value


for _cls in (
    WindowConfig,
    CompanyConfig,
    VestingConfig,
    HazardConfig,
    DynamicsConfig,
    MechanismsConfig,
    FirmConfig,
    ChoiceConfig,
    DestinationsConfig,
    SpinoutConfig,
    ShockConfig,
    ObservationConfig,
    PolicyConfig,
    RosterConfig,
    ModelParams,
):
    _NESTED[_cls.__name__] = _cls


@dataclass
class DesignConfig:
    """One row of a table of parameter sets (a Latin hypercube, a Sobol sample, a posterior draw).

    Columns are dotted config paths (`hazard.contagion`, `firms.0.offers_per_year`);
    a `seed` column sets the seed; columns starting with `_` (e.g. `_weight`) are ignored.
    """

    file: str = ""
    row: int = -1


@dataclass
class ObservedConfig:
    """Where the observed record is: a folder of CSVs in the shipped schema (sim/data/record.py); "": the shipped
    one."""

    dir: str = ""


@dataclass
class RunConfig(ModelParams):
    """A run as the command line sees it: the model's parameters plus seed and bookkeeping.

    `lever` is a library of lever settings that the `policy/` configs pick from, so a
    sweep can vary one lever's setting across every policy that uses it.
    """

    seed: int = 0
    replicates: int = 1  # seeds per job: seed, seed+1, ..., seed+replicates-1, each a complete run (sim/cli/exodus.py)
    study: str = "adhoc"
    lever: dict[str, LeverSettings] = field(default_factory=dict)
    design: DesignConfig = field(default_factory=DesignConfig)
    observed: ObservedConfig = field(default_factory=ObservedConfig)  # the data compared with (not the model's)
    # free parameters (sim/config/freeparams.py), applied at the edge by sim.run.simulate.as_run_config:
    posterior_file: str = ""  # a posterior sample: a name ("xai": sim/data/posterior_xai.csv) or a CSV path
    posterior_draw: int = -1  # k >= 0: draw k of its fixed weighted resample; -1: the posterior median
    free: dict[str, float] = field(default_factory=dict)  # values set last, e.g. free.shock_scale=2
    lever_draw: int = (
        -1
    )  # k >= 0: lever effect sizes from draw k of their priors (sim/config/leverpriors.py); -1: conf/lever


def schema() -> RunConfig:
    """The run schema with neutral placeholders for conf/'s groups (nothing read from conf/): the structured config
    Hydra checks composed values against, before conf/ is read."""
    values = {}
    for f in fields(RunConfig):
        if "conf_group" in f.metadata:
            kind = f.type.removeprefix("list[").removesuffix("]")
            values[f.name] = [] if f.type.startswith("list[") else _NESTED[kind]()
    return RunConfig(**values)


def validate_run(run: RunConfig) -> RunConfig:
    """Check the run-level values that are not the model's (`validate` checks those); raise ConfigError by field."""
    from sim.config.bounds import check_fields

    check_fields(run, only=RUN_FIELDS)
    parts = str(run.study).split("/")
    _check(
        all(STUDY_PART.fullmatch(x) and x not in (".", "..") for x in parts),
        "study",
        run.study,
        "a folder name under results/ (letters, digits, . _ - = , +; sub-folders with /; no '..', not absolute)",
    )
    return run


STUDY_PART = re.compile(r"[A-Za-z0-9_.=,+-]+")


RUN_FIELDS = (
    "seed",
    "replicates",
    "study",
    "lever",
    "design",
    "posterior_file",
    "posterior_draw",
    "free",
    "lever_draw",
    "observed",
)


def lever_settings(data, where: str, name: str = "") -> LeverConfig:
    """A lever's settings from a mapping: the settings class of its `kind` (sim/levers/), unknown fields refused. A
    library entry named after a kind (`lever.retention_bonus`) is of that kind unless it says otherwise."""
    if isinstance(data, LeverConfig):
        return data
    if not isinstance(data, Mapping):
        raise ConfigError(where, data, "a lever's settings: a mapping with its kind and fields")
    kind = data.get("kind", name if name in SETTINGS else None)
    if kind not in SETTINGS:
        raise ConfigError(f"{where}.kind", kind, f"one of {', '.join(KINDS)}")
    return from_mapping(SETTINGS[kind], {**data, "kind": kind}, where)


def resolve_levers(levers: list, library: dict[str, LeverConfig]) -> list[LeverConfig]:
    """Lever names become their settings from the library; mappings become their kind's settings."""
    out = []
    for i, lev in enumerate(levers):
        where = f"policy.levers[{i}]"
        if isinstance(lev, str):
            if lev not in library:
                raise ConfigError(where, lev, f"a lever name, one of {', '.join(library) or '(none defined)'}")
            lev = library[lev]
        out.append(lever_settings(lev, where))
    return out


def model_params(run: RunConfig | ModelParams) -> ModelParams:
    """The model's own parameters out of a run config, with the policy's levers resolved."""
    names = [f.name for f in fields(ModelParams)]
    params = ModelParams(**{k: getattr(run, k) for k in names})
    library = getattr(run, "lever", {})
    params.policy = replace(run.policy, levers=resolve_levers(run.policy.levers, library))
    return params


_NESTED["RunConfig"] = RunConfig
_NESTED["DesignConfig"] = DesignConfig
_NESTED["ObservedConfig"] = ObservedConfig


def _like(old, value, path: str):
    """`value` (a design-table cell) as the type of `old`; a ConfigError naming `path` if it is not one."""
    text = str(value).strip()
    if isinstance(old, bool):
        if text.lower() in ("1", "true", "yes", "1.0"):
            return True
        if text.lower() in ("0", "false", "no", "0.0"):
            return False
        raise ConfigError(path, value, "true or false")
    if isinstance(old, int | float):
        try:
            x = float(text)
        except ValueError:
            x = float("nan")
        if not math.isfinite(x):
            raise ConfigError(path, value, "a finite number (an empty or text cell is not one)")
        if isinstance(old, int):
            if abs(x) > 2**63 - 1:
                raise ConfigError(path, value, "an integer")
            return int(round(x))  # designs sample integers as reals
        return x
    if isinstance(old, str):
        return text
    raise ConfigError(path, value, "a single value")


def _step(obj, part: str, path: str, value):
    """One part of a dotted path: a declared field of a config dataclass, a key of a config dict or an index of a
    config list; anything else (an attribute such as `__class__`, a method, a missing key) is refused by name."""
    if is_dataclass(obj) and not isinstance(obj, type):
        names = [f.name for f in fields(obj)]
        if part in names:
            return getattr(obj, part)
        allowed = f"a field of {type(obj).__name__}: {', '.join(names)}"
    elif isinstance(obj, dict):
        if part in obj:
            return obj[part]
        allowed = f"a key of this table: {', '.join(map(str, obj)) or '(none)'}"
    elif isinstance(obj, list):
        if part.isdigit() and int(part) < len(obj):
            return obj[int(part)]
        allowed = f"an index 0..{len(obj) - 1} of this list" if obj else "an index of a list (this one is empty)"
    else:
        allowed = "a dotted path through config fields, table keys and list indices (e.g. hazard.contagion)"
    raise ConfigError(path, value, f"{part!r} is not {allowed}")


def set_path(config, path: str, value) -> None:
    """Set a dotted path (`firms.0.offers_per_year`) on nested dataclasses, lists and dicts, keeping types.

    Only declared dataclass fields, dict keys and list indices are walked (never `getattr` on an arbitrary
    name), so a column of a shared design table can reach config values and nothing else."""
    *parents, last = str(path).split(".")
    obj = config
    for part in parents:
        obj = _step(obj, part, path, value)
    old = _step(obj, last, path, value)
    if is_dataclass(old) or isinstance(old, (list, dict)):
        raise ConfigError(path, value, "a path to a single value, not a group")
    new = _like(old, value, path)
    if isinstance(obj, list):
        obj[int(last)] = new
    elif isinstance(obj, dict):
        obj[last] = new
    else:
        setattr(obj, last, new)
