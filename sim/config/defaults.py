"""Where the configs live, and the default scenario read from them without Hydra.

`conf/` is the one source of every default (each cited there): `ModelParams()` takes its groups from
`default_group(name)`, so a lab built in Python without overrides is the lab `exodus` runs.
"""

from __future__ import annotations

import functools

from sim.config.confdir import conf_dir

CONF_DIR = conf_dir()  # the repository's conf/, the wheel's sim/conf/ or EXODUS_CONF (sim/config/confdir.py)
GLOBAL_PACKAGE = "# @package _global_"


@functools.cache
def _defaults() -> dict:
    """The default config as plain data: config.yaml's defaults list merged as Hydra would, without Hydra."""
    from omegaconf import OmegaConf

    top = OmegaConf.load(CONF_DIR / "config.yaml")
    merged: dict = {}
    for entry in top.get("defaults", []):
        if not isinstance(entry, dict) and not OmegaConf.is_dict(entry):
            continue  # the schema and _self_
        ((group, option),) = dict(entry).items()
        if group.startswith("override") or "/" in group:
            continue  # Hydra's own groups
        path = CONF_DIR / group / f"{option}.yaml"
        data = OmegaConf.to_container(OmegaConf.load(path), resolve=True)
        if path.read_text().lstrip().startswith(GLOBAL_PACKAGE):
            merged.update(data)
        else:
            merged[group] = data
    own = OmegaConf.to_container(top, resolve=False)
    merged.update({k: v for k, v in own.items() if k not in ("defaults", "hydra")})
    return merged


def default_group(name: str):
    """A fresh copy of group `name` of the default config (e.g. `company`, `firms`), as plain data."""
    import copy

    try:
        return copy.deepcopy(_defaults()[name])
    except KeyError:
        raise KeyError(f"conf/ ({CONF_DIR}) sets no default for {name!r}") from None


def shipped_policies() -> tuple[str, ...]:
    """The named policies of conf/policy/ (each lever alone, the bundles): 'none', the baseline, first, then by name."""
    names = sorted(path.stem for path in (CONF_DIR / "policy").glob("*.yaml"))
    return ("none", *(n for n in names if n != "none"))
