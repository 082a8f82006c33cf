"""Typed parameters of the model: plain dataclasses, also used as Hydra structured configs.

Defaults here are neutral placeholders; the cited defaults live in `conf/` YAML.
Nothing in this module imports Hydra; `validate` checks values against their meaning.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

ROLES = ("co_founder", "research_lead", "researcher", "engineer", "product", "operations")
UNITS = ("research", "engineering", "product", "operations")
SHOCK_TYPES = (
    "reorganisation",
    "acquisition",
    "layoff",
    "controversy",
    "leadership_change",
    "tender",
)
FORCED_RULES = ("founders", "senior", "random")
TARGETS = ("all", "founders", "senior", "research", "safety_minded", *ROLES)


class ConfigError(ValueError):
    """A config value outside its allowed range; the message names the field."""

    def __init__(self, field_name: str, value: object, allowed: str):
        self.field = field_name
        super().__init__(f"{field_name}={value!r} is not allowed: {allowed}")


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
    """One dated event. Which fields apply depends on `type`; the rest must stay at 0."""

    type: str = "reorganisation"
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


@dataclass
class ObservationConfig:
    announce_prob: dict[str, float] = field(default_factory=lambda: _role_table(**dict.fromkeys(ROLES, 1.0)))
    delay_mean_days: dict[str, float] = field(default_factory=lambda: _role_table())
    burst_gain: float = 0.0
    burst_window_days: int = 7
    lookback_days: int = 120


@dataclass
class LeverConfig:
    """One retention lever. `kind` picks the lever; unused fields are ignored by it."""

    kind: str = "retention_bonus"
    start: str = ""
    target: str = "all"
    # retention_bonus
    bonus_years_of_pay: float = 0.0
    stay_days: int = 180
    quit_cut: float = 0.0
    # refresh_grants
    grant_years_of_pay: float = 0.0
    grant_years: float = 4.0
    grant_cliff_months: int = 0
    perceived_value: float = 1.0  # share of the refresher's dollars that staff count as held equity (its effect)
    # autonomy_charter
    autonomy_gain: float = 0.0
    reorg_protection: float = 0.0
    # sustainable_pace
    burnout_slowdown: float = 0.0
    throughput_cost: float = 0.0
    # transparent_leadership
    shock_reduction: float = 0.0
    # counter_offers
    match_prob: float = 0.0
    match_cap: float = 1.0
    # safety_governance
    mission_floor: float = 0.0
    # cost of running the lever, dollars per targeted person per year (fixed costs)
    cost_per_head_year: float = 0.0


LEVER_KINDS = (
    "retention_bonus",
    "refresh_grants",
    "autonomy_charter",
    "sustainable_pace",
    "transparent_leadership",
    "counter_offers",
    "safety_governance",
)


@dataclass
class PolicyConfig:
    """A named policy: its levers, each a LeverConfig or the name of one in `RunConfig.lever`."""

    name: str = "none"
    levers: list[Any] = field(default_factory=list)


@dataclass
class ModelParams:
    """Everything one run needs, besides the seed."""

    window: WindowConfig = field(default_factory=WindowConfig)
    company: CompanyConfig = field(default_factory=CompanyConfig)
    vesting: VestingConfig = field(default_factory=VestingConfig)
    hazard: HazardConfig = field(default_factory=HazardConfig)
    dynamics: DynamicsConfig = field(default_factory=DynamicsConfig)
    mechanisms: MechanismsConfig = field(default_factory=MechanismsConfig)
    choice: ChoiceConfig = field(default_factory=ChoiceConfig)
    firms: list[FirmConfig] = field(default_factory=list)
    spinout: SpinoutConfig = field(default_factory=SpinoutConfig)
    shocks: list[ShockConfig] = field(default_factory=list)
    observation: ObservationConfig = field(default_factory=ObservationConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)


# --------------------------------------------------------------------------- validation


def parse_date(value: str, where: str) -> dt.date:
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(where, value, "a date as YYYY-MM-DD") from None


def _check(cond: bool, where: str, value: object, allowed: str) -> None:
    if not cond:
        raise ConfigError(where, value, allowed)


def _prob(value: float, where: str) -> None:
    _check(0.0 <= value <= 1.0, where, value, "a probability in [0, 1]")


def _nonneg(value: float, where: str) -> None:
    _check(value >= 0.0, where, value, "a number >= 0")


def _role_dict(d: dict[str, float], where: str, check=None) -> None:
    for key, v in d.items():
        _check(key in ROLES, f"{where}.{key}", key, f"one of {', '.join(ROLES)}")
        (check or _nonneg)(v, f"{where}.{key}")


def validate(p: ModelParams) -> ModelParams:
    """Check every value against its meaning; raise ConfigError naming the first bad field."""
    start = parse_date(p.window.start, "window.start")
    end = parse_date(p.window.end, "window.end")
    _check(start < end, "window.end", p.window.end, f"a date after window.start ({start})")

    c = p.company
    _check(c.headcount > 0, "company.headcount", c.headcount, "an integer > 0")
    _check(0 <= c.founders <= c.headcount, "company.founders", c.founders, "0..company.headcount")
    _check(0 <= c.owner_founders <= c.founders, "company.owner_founders", c.owner_founders, "0..company.founders")
    _check(c.team_size >= 1, "company.team_size", c.team_size, "an integer >= 1")
    _check(c.cross_ties >= 0, "company.cross_ties", c.cross_ties, "an integer >= 0")
    _role_dict(c.role_mix, "company.role_mix")
    _check(
        sum(v for k, v in c.role_mix.items() if k != "co_founder") > 0,
        "company.role_mix",
        dict(c.role_mix),
        "at least one non-founder role with a share > 0",
    )
    _role_dict(c.pay, "company.pay", lambda v, w: _check(v > 0, w, v, "a pay > 0"))
    _role_dict(c.grant_years_of_pay, "company.grant_years_of_pay")
    _role_dict(c.safety_minded_share, "company.safety_minded_share", _prob)
    _prob(c.high_performer_share, "company.high_performer_share")
    _check(c.hire_fill_days >= 1, "company.hire_fill_days", c.hire_fill_days, "a number of days >= 1")
    parse_date(c.founded, "company.founded")

    v = p.vesting
    _check(v.years > 0, "vesting.years", v.years, "a number of years > 0")
    _check(
        0 <= v.cliff_months <= round(12 * v.years),
        "vesting.cliff_months",
        v.cliff_months,
        f"0..{round(12 * v.years)} (no longer than the vesting schedule)",
    )
    _check(v.bump >= 1.0, "vesting.bump", v.bump, "a hazard multiplier >= 1")
    _check(v.bump_days >= 0, "vesting.bump_days", v.bump_days, "an integer >= 0")

    h = p.hazard
    _check(0 <= h.base_annual < 1, "hazard.base_annual", h.base_annual, "an annual rate in [0, 1)")
    for name in ("burnout", "autonomy", "mission", "contagion", "wealth", "unvested"):
        _nonneg(getattr(h, name), f"hazard.{name}")
    _check(h.contagion_window_days >= 1, "hazard.contagion_window_days", h.contagion_window_days, "an integer >= 1")

    d = p.dynamics
    for name in ("burnout_rise", "burnout_recovery", "autonomy_drift", "mission_recovery"):
        _prob(getattr(d, name), f"dynamics.{name}")
    _nonneg(d.shortstaff_load, "dynamics.shortstaff_load")
    _prob(d.initial_burnout, "dynamics.initial_burnout")
    _prob(d.mission_baseline, "dynamics.mission_baseline")
    _role_dict(d.base_load, "dynamics.base_load")
    _role_dict(d.autonomy_baseline, "dynamics.autonomy_baseline", _prob)

    ch = p.choice
    for name in ("pay", "unvested", "autonomy", "mission", "burnout"):
        _nonneg(getattr(ch, name), f"choice.{name}")

    names = set()
    for i, f in enumerate(p.firms):
        w = f"firms[{i}]"
        _check(bool(f.name) and f.name not in names, f"{w}.name", f.name, "a unique, non-empty firm name")
        names.add(f.name)
        _nonneg(f.offers_per_year, f"{w}.offers_per_year")
        _check(f.offer_multiple > 0, f"{w}.offer_multiple", f.offer_multiple, "a pay multiple > 0")
        _role_dict(f.role_weights, f"{w}.role_weights")

    s = p.spinout
    _prob(s.founder_prob, "spinout.founder_prob")
    for r in s.founder_roles:
        _check(r in ROLES, "spinout.founder_roles", r, f"roles among {', '.join(ROLES)}")
    _check(s.recruit_days >= 1, "spinout.recruit_days", s.recruit_days, "an integer >= 1")
    _check(2 <= s.group_min <= s.group_max, "spinout.group_min", s.group_min, "2 <= group_min <= group_max")
    _prob(s.offers_per_day, "spinout.offers_per_day")
    _check(s.offer_multiple > 0, "spinout.offer_multiple", s.offer_multiple, "a pay multiple > 0")

    for i, sh in enumerate(p.shocks):
        w = f"shocks[{i}]"
        _check(sh.type in SHOCK_TYPES, f"{w}.type", sh.type, f"one of {', '.join(SHOCK_TYPES)}")
        day = parse_date(sh.date, f"{w}.date")
        _check(day <= end, f"{w}.date", sh.date, f"a date no later than window.end ({end})")
        for name in ("autonomy_cut", "burnout_bump", "liquidity", "mission_drop"):
            _prob(getattr(sh, name), f"{w}.{name}")
        _nonneg(sh.hazard_amp, f"{w}.hazard_amp")
        _check(sh.hazard_tau_days > 0, f"{w}.hazard_tau_days", sh.hazard_tau_days, "a number of days > 0")
        _check(sh.forced_exits >= 0, f"{w}.forced_exits", sh.forced_exits, "an integer >= 0")
        _check(sh.forced_rule in FORCED_RULES, f"{w}.forced_rule", sh.forced_rule, f"one of {', '.join(FORCED_RULES)}")
        _check(sh.unit in ("", *UNITS), f"{w}.unit", sh.unit, f"empty (whole lab) or one of {', '.join(UNITS)}")
        _check(sh.acquired_ratio >= 1, f"{w}.acquired_ratio", sh.acquired_ratio, "a hazard ratio >= 1")
        _check(sh.survivor_ratio >= 1, f"{w}.survivor_ratio", sh.survivor_ratio, "a hazard ratio >= 1")
        _nonneg(sh.senior_extra, f"{w}.senior_extra")
        _nonneg(sh.safety_extra, f"{w}.safety_extra")
        _check(sh.acquired_days >= 0 and sh.survivor_days >= 0, f"{w}.acquired_days", sh.acquired_days, ">= 0")

    o = p.observation
    _role_dict(o.announce_prob, "observation.announce_prob", _prob)
    _role_dict(o.delay_mean_days, "observation.delay_mean_days")
    _nonneg(o.burst_gain, "observation.burst_gain")
    _check(o.burst_window_days >= 1, "observation.burst_window_days", o.burst_window_days, "an integer >= 1")
    _check(o.lookback_days >= 0, "observation.lookback_days", o.lookback_days, "an integer >= 0")

    for i, lev in enumerate(p.policy.levers):
        w = f"policy.levers[{i}]"
        _check(
            isinstance(lev, LeverConfig), w, lev, "a lever's settings (LeverConfig); names are resolved by model_params"
        )
        _check(lev.kind in LEVER_KINDS, f"{w}.kind", lev.kind, f"one of {', '.join(LEVER_KINDS)}")
        if lev.start:
            day = parse_date(lev.start, f"{w}.start")
            _check(start <= day <= end, f"{w}.start", lev.start, f"a date inside the window {start}..{end}")
        _check(lev.target in TARGETS, f"{w}.target", lev.target, f"one of {', '.join(TARGETS)}")
        for name in (
            "quit_cut",
            "autonomy_gain",
            "reorg_protection",
            "burnout_slowdown",
            "throughput_cost",
            "shock_reduction",
            "match_prob",
            "mission_floor",
            "perceived_value",
        ):
            _prob(getattr(lev, name), f"{w}.{name}")
        for name in ("bonus_years_of_pay", "grant_years_of_pay", "cost_per_head_year"):
            _nonneg(getattr(lev, name), f"{w}.{name}")
        _check(lev.stay_days >= 1, f"{w}.stay_days", lev.stay_days, "an integer >= 1")
        _check(lev.grant_years > 0, f"{w}.grant_years", lev.grant_years, "a number of years > 0")
        _check(
            0 <= lev.grant_cliff_months <= round(12 * lev.grant_years),
            f"{w}.grant_cliff_months",
            lev.grant_cliff_months,
            "0..12*grant_years",
        )
        _check(lev.match_cap >= 1, f"{w}.match_cap", lev.match_cap, "a pay multiple >= 1")
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
    known = {f.name: f for f in fields(cls)}
    kwargs = {}
    for key, value in dict(data).items():
        path = f"{where}.{key}" if where else key
        if key not in known:
            raise ConfigError(path, key, f"a known field of {cls.__name__}: {', '.join(known)}")
        kwargs[key] = _convert(known[key].type, value, path)
    return cls(**kwargs)


_NESTED = {}


def _convert(type_str, value, path):
    sub = _NESTED.get(type_str)
    if sub is not None:
        return from_mapping(sub, value, path)
    if type_str.startswith("list[") and type_str[5:-1] in _NESTED:
        item = _NESTED[type_str[5:-1]]
        return [from_mapping(item, v, f"{path}[{i}]") for i, v in enumerate(value)]
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
    SpinoutConfig,
    ShockConfig,
    ObservationConfig,
    LeverConfig,
    PolicyConfig,
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
class RunConfig(ModelParams):
    """A run as the command line sees it: the model's parameters plus seed and bookkeeping.

    `lever` is a library of lever settings that the `policy/` configs pick from, so a
    sweep can vary one lever's setting across every policy that uses it.
    """

    seed: int = 0
    replicates: int = 1  # seeds per job: seed, seed+1, ..., seed+replicates-1, each a complete run (sim/cli.py)
    study: str = "adhoc"
    lever: dict[str, LeverConfig] = field(default_factory=dict)
    design: DesignConfig = field(default_factory=DesignConfig)
    # free parameters (sim/freeparams.py), applied at the edge by sim.run.as_run_config (sim/posterior.py):
    posterior_file: str = ""  # a posterior sample: a name ("xai": sim/data/posterior_xai.csv) or a CSV path
    posterior_draw: int = -1  # k >= 0: draw k of its fixed weighted resample; -1: the posterior median
    free: dict[str, float] = field(default_factory=dict)  # values set last, e.g. free.shock_scale=2
    lever_draw: int = -1  # k >= 0: lever effect sizes from draw k of their priors (sim/leverpriors.py); -1: conf/lever


def validate_run(run: RunConfig) -> RunConfig:
    """Check the run-level values that are not the model's (`validate` checks those); raise ConfigError by field."""
    n = run.replicates
    allowed = "an integer >= 1 (a job runs seeds seed, seed+1, ..., seed+replicates-1)"
    _check(isinstance(n, int) and not isinstance(n, bool) and n >= 1, "replicates", n, allowed)
    return run


def resolve_levers(levers: list, library: dict[str, LeverConfig]) -> list[LeverConfig]:
    """Lever names become their settings from the library; mappings become LeverConfig."""
    out = []
    for i, lev in enumerate(levers):
        where = f"policy.levers[{i}]"
        if isinstance(lev, str):
            if lev not in library:
                raise ConfigError(where, lev, f"a lever name, one of {', '.join(library) or '(none defined)'}")
            lev = library[lev]
        if not isinstance(lev, LeverConfig):
            lev = from_mapping(LeverConfig, lev, where)
        out.append(lev)
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


def set_path(config, path: str, value) -> None:
    """Set a dotted path (`firms.0.offers_per_year`) on nested dataclasses, lists and dicts, keeping types."""
    *parents, last = path.split(".")
    obj = config
    try:
        for part in parents:
            obj = (
                obj[int(part)] if isinstance(obj, list) else obj[part] if isinstance(obj, dict) else getattr(obj, part)
            )
        if isinstance(obj, list):
            old = obj[int(last)]
        elif isinstance(obj, dict):
            old = obj[last]
        else:
            old = getattr(obj, last)
    except (AttributeError, KeyError, IndexError, ValueError, TypeError):
        raise ConfigError(path, value, "a path to an existing config value (e.g. hazard.contagion)") from None
    if is_dataclass(old) or isinstance(old, (list, dict)):
        raise ConfigError(path, value, "a path to a single value, not a group")
    if isinstance(old, bool):
        new = str(value).strip().lower() in ("1", "true", "yes")
    elif isinstance(old, int):
        new = int(round(float(value)))  # designs sample integers as reals
    else:
        new = type(old)(value)
    if isinstance(obj, list):
        obj[int(last)] = new
    elif isinstance(obj, dict):
        obj[last] = new
    else:
        setattr(obj, last, new)
