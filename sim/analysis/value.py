"""The value of a retained person (docs/ODD.md): the cost of a departure by role, and of each run's departures.

A departure costs a successor's hiring and training (a multiple of pay), the output lost while the post is empty
(the run's `company.hire_fill_days`) and while the successor ramps up, and for seniors lost knowledge. Costs are
read after the runs (exodus-compare, exodus-explore) from each run's departures by role and its pay table, so a
new valuation needs no rerun.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from sim.config.defaults import CONF_DIR
from sim.config.params import ROLES, ConfigError, from_mapping
from sim.data.readfile import read_text

DEFAULT_FILE = CONF_DIR / "value" / "default.yaml"


def _zero_roles() -> dict[str, float]:
    return dict.fromkeys(ROLES, 0.0)


@dataclass
class ValueConfig:
    """What a departure costs, in years of the leaver's pay (conf/value/default.yaml cites each default)."""

    replacement: dict[str, float] = field(default_factory=_zero_roles)
    output_multiple: float = 1.0
    ramp_days: float = 0.0
    ramp_productivity: float = 1.0
    knowledge: dict[str, float] = field(default_factory=_zero_roles)


def _number(x, where: str, allowed: str, lo: float = 0.0, hi: float = float("inf")) -> float:
    """`x` as a finite number in [lo, hi], or a ConfigError naming `where` (a text or a list is not one)."""
    try:
        y = float(x) if not isinstance(x, bool) else float("nan")
    except (TypeError, ValueError):
        y = float("nan")
    if not (np.isfinite(y) and lo <= y <= hi):
        raise ConfigError(where, x, allowed)
    return y


def validate(v: ValueConfig) -> ValueConfig:
    """Check every value; raise ConfigError naming the first bad field (`value.<field>`)."""
    for name in ("replacement", "knowledge"):
        table = getattr(v, name)
        for role, x in table.items():
            if role not in ROLES:
                raise ConfigError(f"value.{name}.{role}", role, f"one of {', '.join(ROLES)}")
            _number(x, f"value.{name}.{role}", "a multiple of annual pay >= 0")
        setattr(v, name, {**_zero_roles(), **{r: float(x) for r, x in table.items()}})
    v.output_multiple = _number(v.output_multiple, "value.output_multiple", "a multiple of pay >= 0")
    v.ramp_days = _number(v.ramp_days, "value.ramp_days", "a number of days >= 0")
    v.ramp_productivity = _number(v.ramp_productivity, "value.ramp_productivity", "a share in [0, 1]", hi=1.0)
    return v


def load(path: str | Path | None = None) -> ValueConfig:
    """The valuation in a YAML file (default conf/value/default.yaml), validated."""
    path = Path(path) if path else DEFAULT_FILE
    try:
        data = yaml.safe_load(read_text(path))
    except FileNotFoundError:
        raise ConfigError("value", str(path), "an existing YAML file (e.g. conf/value/default.yaml)") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            "value", str(path), f"a readable YAML file ({getattr(exc, 'strerror', None) or exc})"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError("value", str(path), f"a readable YAML file ({exc})") from None
    if not isinstance(data, dict):
        raise ConfigError("value", str(path), "a mapping of the ValueConfig fields (an empty file is not one)")
    return validate(from_mapping(ValueConfig, data, "value"))


def cost_per_departure(v: ValueConfig, pay: dict[str, float], hire_fill_days: float) -> dict[str, float]:
    """Dollars one departure costs, by role."""
    lost_days = float(hire_fill_days) + float(v.ramp_days) * (1.0 - float(v.ramp_productivity))
    return {
        r: float(pay[r]) * (v.replacement[r] + float(v.output_multiple) * lost_days / 365.0 + v.knowledge[r])
        for r in ROLES
    }


def run_record(config: dict, roles: pd.Series) -> dict:
    """What a run's valuation needs, from its resolved config and its leavers' roles: departures, pay by role and
    the backfill wait (columns `left_<role>`, `pay_<role>`, `hire_fill_days`)."""
    counts = roles.value_counts()
    company = config.get("company", {})
    out = {f"left_{r}": int(counts.get(r, 0)) for r in ROLES}
    out.update({f"pay_{r}": float(company.get("pay", {}).get(r, np.nan)) for r in ROLES})
    out["hire_fill_days"] = float(company.get("hire_fill_days", np.nan))
    return out


def attrition_cost(runs: pd.DataFrame, v: ValueConfig) -> pd.Series:
    """Each run's cost of departures (dollars), from the columns `run_record` wrote."""
    lost_days = runs["hire_fill_days"].astype(float) + float(v.ramp_days) * (1.0 - float(v.ramp_productivity))
    total = pd.Series(0.0, index=runs.index)
    for r in ROLES:
        per = runs[f"pay_{r}"] * (v.replacement[r] + float(v.output_multiple) * lost_days / 365.0 + v.knowledge[r])
        total = total + runs[f"left_{r}"] * per
    return total
