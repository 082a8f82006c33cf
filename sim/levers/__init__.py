"""Retention levers, one module per kind (docs/ODD.md, retention levers), found by listing this package.

A new lever is one module `sim/levers/<kind>.py` holding its settings (a `LeverConfig` subclass whose default
`kind` is `<kind>`, its fields declared with `sim.config.declare.setting`: range, meaning, prior) and its effect (a
`Lever` subclass with `config = <that class>`), plus its conf (an entry in conf/lever/default.yaml and a policy
conf/policy/<kind>.yaml) and its test. The validation, the registry of named parameters, the lever draws, the
dashboard's sliders and the ODD tables read it from here."""

import importlib
import pkgutil

from sim.levers.base import COMMON, TARGETS, Lever, LeverConfig, target_mask


def _lever_classes() -> dict[str, type[Lever]]:
    """Each module's one `Lever` subclass, by its kind (= the module's name), in the modules' alphabetical order."""
    out = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name == "base":
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found = [v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Lever) and v is not Lever]
        (cls,) = (v for v in found if v.__module__ == module.__name__)
        out[_check_kind(cls, info.name)] = cls
    return out


def _check_kind(cls: type[Lever], module: str) -> str:
    """The lever's kind, which must be its module's name (so a conf `kind` finds its code)."""
    if cls.kind != module:
        raise TypeError(f"sim.levers.{module}: its lever's kind is {cls.kind!r}; a lever's kind is its module's name")
    return cls.kind


LEVERS: dict[str, type[Lever]] = _lever_classes()
KINDS: tuple[str, ...] = tuple(LEVERS)
SETTINGS: dict[str, type[LeverConfig]] = {kind: cls.config for kind, cls in LEVERS.items()}

__all__ = ["COMMON", "KINDS", "LEVERS", "SETTINGS", "TARGETS", "Lever", "LeverConfig", "target_mask"]
