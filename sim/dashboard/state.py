"""The dashboard's model and what it shows: controls, key figures at the current day, the team grid.

`DashboardModel` is an `AttritionModel` built from keyword arguments (as Mesa's SolaraViz
re-creates models on Reset): each argument becomes a Hydra override of the default config,
so a dashboard run is the CLI run `exodus <overrides>` stepped day by day. It starts on the
shipped posterior's medians (`+posterior=xai`, what every other result uses); `base="conf"`
starts on the `conf/` defaults instead.
"""

from __future__ import annotations

import datetime as dt
import inspect
import os
import threading
from functools import cache

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

import sim
from sim.config import registry
from sim.config.compose import CONF_DIR
from sim.config.load import as_run_config
from sim.config.params import UNITS, model_params
from sim.data import observed
from sim.model.lab import AttritionModel
from sim.run.results import daily_table
from sim.schema import CAUSES, FOUNDER

# Hydra's compose uses one process-wide GlobalHydra: sessions resetting at once must take turns.
_COMPOSE_LOCK = threading.Lock()

HAZARD_WEIGHTS = ("burnout", "autonomy", "mission", "contagion", "wealth", "unvested")
# the main setting of each lever: the registry's lever settings with a slider (sim/config/registry.py), as
# keyword -> (lever in conf/lever, field, label, slider max)
LEVER_SETTINGS = {
    p.name: (*registry.lever_field(p), p.help, p.slider_max) for p in registry.LEVER if p.slider_max is not None
}


# the parameter sets a run can start from: name -> (label, the overrides that select it)
BASES = {
    "posterior": ("Calibrated: posterior medians (+posterior=xai)", ("+posterior=xai",)),
    "conf": ("conf/ defaults (uncalibrated)", ()),
}
DEFAULT_BASE = "posterior"


def compose(overrides: list[str]):
    with _COMPOSE_LOCK:
        return sim.compose(overrides)


def check_base(base: str) -> str:
    if base not in BASES:
        raise ValueError(f"base={base!r} is not allowed: one of {', '.join(BASES)}")
    return base


@cache
def defaults(base: str = DEFAULT_BASE) -> dict:
    """The values behind each control in the parameter set `base` (so the controls never restate conf/): the
    hazard weights as the run uses them, i.e. after the posterior's free parameters are applied."""
    cfg = compose(list(BASES[check_base(base)][1]))
    run = as_run_config(cfg)
    starts = sorted({str(cfg.lever[name].start) for name, *_ in LEVER_SETTINGS.values() if cfg.lever[name].start})
    return {
        "policies": policies(),
        "lever_starts": {name: str(cfg.lever[name].start) for name in cfg.lever},
        "window": (str(cfg.window.start), str(cfg.window.end)),
        "policy_start": starts[0] if starts else str(cfg.window.start),
        "headcount": int(cfg.company.headcount),
        "seed": int(cfg.seed),
        "free": tuple(cfg.get("free") or {}),  # free parameters the base sets (they override hazard.<name>)
        **{f"hazard_{w}": float(getattr(run.hazard, w)) for w in HAZARD_WEIGHTS},
        **{key: float(cfg.lever[lever][field]) for key, (lever, field, *_) in LEVER_SETTINGS.items()},
    }


def policies() -> list[str]:
    """Policy names from conf/policy, the baseline `none` first."""
    names = sorted(p.stem for p in (CONF_DIR / "policy").glob("*.yaml"))
    return sorted(names, key=lambda n: n != "none")


def start_dates(window: tuple[str, str], extra: str) -> list[str]:
    """First days of the months inside the window, plus the configured lever start."""
    start, end = (dt.date.fromisoformat(d) for d in window)
    months = pd.date_range(start, end, freq="MS").date
    return sorted({start.isoformat(), extra, *(d.isoformat() for d in months)})


def controls(base: str = DEFAULT_BASE) -> dict:
    """SolaraViz `model_params`: the policy, its start and main settings, size, seed, mechanism weights, each
    starting at its value in the parameter set `base` (the model class of `dashboard_class(base)` starts there)."""
    d = defaults(base)
    out = {
        "policy": {"type": "Select", "value": "none", "values": d["policies"], "label": "Policy"},
        "policy_start": {
            "type": "Select",
            "value": d["policy_start"],
            "values": start_dates(d["window"], d["policy_start"]),
            "label": "Policy start",
        },
        "headcount": {
            "type": "SliderInt",
            "value": d["headcount"],
            "min": 50,
            "max": max(3000, d["headcount"]),
            "step": 50 if d["headcount"] % 50 == 0 else 1,
        },
        "seed": {"type": "SliderInt", "value": d["seed"], "min": 0, "max": 99, "step": 1, "label": "Seed"},
        "shocks": {"type": "Checkbox", "value": True, "label": "Dated shocks (conf/events)"},
    }
    out["headcount"]["label"] = "Company size (headcount)"
    for w in HAZARD_WEIGHTS:
        value = d[f"hazard_{w}"]
        out[f"hazard_{w}"] = {
            "type": "SliderFloat",
            "value": value,
            "min": 0.0,
            "max": max(5.0, 2 * value),
            "step": slider_step(value, 0.1),
            "label": f"Weight: {w}",
        }
    for key, (_, _, label, top) in LEVER_SETTINGS.items():
        step = slider_step(d[key], 0.05)
        out[key] = {"type": "SliderFloat", "value": d[key], "min": 0.0, "max": top, "step": step, "label": label}
    return out


def slider_step(value: float, coarse: float) -> float:
    """The coarsest of coarse, coarse/10, ... that has `value` on its grid (a slider snaps to its grid)."""
    step = coarse
    while not np.isclose(value / step, round(value / step), rtol=0, atol=1e-6) and step > 1e-6:
        step /= 10
    return step


def overrides_for(
    policy: str,
    policy_start: str | None,
    headcount: int | None,
    seed: int,
    shocks: bool,
    settings: dict,
    base: str = DEFAULT_BASE,
) -> list[str]:
    """Hydra overrides for a dashboard run: the parameter set, the policy and seed, then only the values that differ
    from the parameter set. A hazard weight the posterior sets as a free parameter is freed first (`~free.NAME`),
    as the free parameter would otherwise override the slider."""
    d = defaults(base)
    out = [*BASES[base][1], f"policy={policy}", f"seed={int(seed)}"]
    if headcount is not None and int(headcount) != d["headcount"]:
        out.append(f"company.headcount={int(headcount)}")
    if not shocks:
        out.append("events=none")
    used = policy_levers(policy)  # settings of levers the policy does not use change nothing: left out
    if policy_start:
        out += [f"lever.{lever}.start={policy_start}" for lever in used if d["lever_starts"].get(lever) != policy_start]
    for key, value in settings.items():
        if value is None or np.isclose(float(value), d[key], rtol=0, atol=1e-9):
            continue
        if key.startswith("hazard_"):
            name = key.removeprefix("hazard_")
            if name in d["free"]:
                out.append(f"~free.{name}")
            out.append(f"hazard.{name}={float(value):g}")
        elif LEVER_SETTINGS[key][0] in used:
            lever, field, *_ = LEVER_SETTINGS[key]
            out.append(f"lever.{lever}.{field}={float(value):g}")
    return out


@cache
def policy_levers(policy: str) -> tuple[str, ...]:
    """Names of the library levers a policy in conf/policy uses (levers written inline have no name)."""
    path = CONF_DIR / "policy" / f"{policy}.yaml"
    if not path.exists():
        raise ValueError(f"policy={policy!r} is not allowed: one of {', '.join(policies())}")
    levers = OmegaConf.load(path).get("levers") or []
    return tuple(lev for lev in levers if isinstance(lev, str))


def _lever_keywords(init):
    """`init` shown (to `inspect.signature`, which Mesa's SolaraViz reads) with one keyword per lever slider in place
    of its `**levers`: Mesa passes only the keywords a model names, and adds a `scenario` to one taking `**kwargs`."""
    sig = inspect.signature(init)
    named = [p for p in sig.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    sliders = [inspect.Parameter(k, inspect.Parameter.KEYWORD_ONLY, default=None) for k in LEVER_SETTINGS]
    init.__signature__ = sig.replace(parameters=[*named, *sliders])
    return init


class DashboardModel(AttritionModel):
    """The attrition model built from the dashboard's controls; stops at the window's last day.

    `base` is the parameter set the controls' values are applied to; by default the class's `default_base`, so
    that SolaraViz's Reset, which rebuilds `type(model)(**changed controls)`, stays in the set the user chose."""

    default_base = DEFAULT_BASE

    @_lever_keywords
    def __init__(
        self,
        policy: str = "none",
        policy_start: str | None = None,
        headcount: int | None = None,
        seed: int = 0,
        shocks: bool = True,
        hazard_burnout: float | None = None,
        hazard_autonomy: float | None = None,
        hazard_mission: float | None = None,
        hazard_contagion: float | None = None,
        hazard_wealth: float | None = None,
        hazard_unvested: float | None = None,
        base: str | None = None,
        **levers: float | None,  # the lever sliders, by their registry names (LEVER_SETTINGS)
    ):
        unknown = sorted(set(levers) - set(LEVER_SETTINGS))
        if unknown:
            raise TypeError(f"DashboardModel got unknown lever settings {unknown}; known: {', '.join(LEVER_SETTINGS)}")
        settings = {k: v for k, v in locals().items() if k.startswith("hazard_")} | levers
        self.base = check_base(base or self.default_base)
        self.overrides = overrides_for(policy, policy_start, headcount, seed, shocks, settings, self.base)
        run = as_run_config(compose(self.overrides))
        super().__init__(model_params(run), seed=run.seed)
        self.policy_name = run.policy.name
        self.finished = False

    def step(self) -> None:
        if self.finished:  # Mesa's Step may ask for more days than the window has left
            self.running = False
            return
        super().step()  # the window's last step settles the levers' costs (AttritionModel.step)
        if self.day >= self.days - 1:
            self.finished = True
            self.running = False

    @property
    def days_run(self) -> int:
        """Days simulated so far (rows of the daily table filled)."""
        return min(self.steps, self.days)

    def series(self) -> pd.DataFrame:
        """The daily table up to the last simulated day."""
        return daily_table(self).iloc[: self.days_run]


OBSERVED_ENV = "EXODUS_OBSERVED"  # set by `exodus-dashboard --observed DIR`: the folder of observed data


@cache
def dashboard_class(base: str) -> type[DashboardModel]:
    """The dashboard's model class whose runs start from the parameter set `base` (one class per set)."""
    if check_base(base) == DashboardModel.default_base:
        return DashboardModel
    return type(f"DashboardModel_{base}", (DashboardModel,), {"default_base": base, "__module__": __name__})


@cache
def observed_data() -> dict:
    """Observed departures, founders (None if the folder has none), headcounts, and the record's last day (read once
    per process; read-only): the folder in $EXODUS_OBSERVED, else the shipped record."""
    from sim.data import record

    rec = record.load(os.environ.get(OBSERVED_ENV) or None)
    return {"departures": rec.departures, "founders": rec.founders, "headcount": rec.headcount, "end": rec.end}


def key_figures(model: DashboardModel) -> dict:
    """The numbers shown beside the plots, at the last simulated day.

    The simulated counts beside the observed ones (`*_to_record`) stop on the same day as the record, so the two
    are the same quantity: past the record's last day the simulated run goes on, the record does not."""
    obs = observed_data()
    daily = model.series()
    n = model.days_run
    last = model.start + dt.timedelta(days=max(n - 1, 0))
    seen = min(last, obs["end"])  # the record says nothing after its last day
    announced_obs = observed.announced_by_day(model.start, seen, obs["departures"]) if n else pd.Series(dtype=int)
    row = daily.iloc[-1] if n else None
    upto = daily[daily.date <= seen] if n else daily  # the simulated days the record also covers
    founders_now = int(row.founders_remaining) if n else int(_founders_now(model))
    return {
        "date": last.isoformat() if n else f"{model.start.isoformat()} (not started)",
        "days": n,
        "parameters": model.base,
        "policy": model.policy_name,
        "headcount": int(row.headcount) if n else int(model.workforce.active.sum()),
        "departures": int(daily.departures.sum()),
        **{f"departures_{c}": int(daily[f"departures_{c}"].sum()) for c in CAUSES},
        "announced": int(daily.announced.sum()),
        "founders_remaining": founders_now,
        "record_end": obs["end"].isoformat(),
        "compared_on": seen.isoformat() if n else "–",
        "announced_to_record": int(upto.announced.sum()),
        "announced_observed": int(announced_obs.sum()),
        "founders_to_record": int(upto.founders_remaining.iloc[-1]) if len(upto) else founders_now,
        "founders_observed": (
            observed.founders_remaining(seen, obs["founders"]) if obs["founders"] is not None else float("nan")
        ),
        "mean_burnout": float(row.mean_burnout) if n else float("nan"),
        "mean_autonomy": float(row.mean_autonomy) if n else float("nan"),
        "policy_cost": float(sum(lv.cost for lv in model.levers)),
    }


def _founders_now(model: AttritionModel) -> int:
    wf = model.workforce
    return int((wf.active[: wf.n] & (wf.role[: wf.n] == FOUNDER)).sum())


def team_state(model: AttritionModel) -> pd.DataFrame:
    """Per team: unit, people present at some point of the window so far, how many chose to leave, mean burnout."""
    wf, n = model.workforce, model.workforce.n
    last = min(model.steps, model.days) - 1
    team, left, cause = wf.team[:n], wf.left[:n], wf.cause[:n]
    present = (wf.hired[:n] <= max(last, 0)) & (left >= 0)  # hired by now and not gone before the window
    chose = (
        (left >= 0) & (left <= last) & np.isin(cause, [CAUSES.index(c) for c in ("voluntary", "poached", "spinout")])
    )
    active = wf.active[:n]
    k = model.n_teams
    members = np.bincount(team[present], minlength=k)
    leavers = np.bincount(team[chose], minlength=k)
    heads = np.bincount(team[active], minlength=k)
    burn = np.bincount(team[active], weights=wf.burnout[:n][active], minlength=k)
    return pd.DataFrame(
        {
            "team": np.arange(k),
            "unit": [UNITS[u] for u in model.team_unit],
            "members": members,
            "chose_to_leave": leavers,
            "left_share": leavers / np.maximum(members, 1),
            "headcount": heads,
            "mean_burnout": np.where(heads > 0, burn / np.maximum(heads, 1), np.nan),
        }
    )
