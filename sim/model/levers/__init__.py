"""Retention levers, one kind per module (docs/ODD.md, retention levers); `LEVERS` maps each conf `kind` to its class.

A new lever: a module `sim/model/levers/<kind>.py` with a `Lever` subclass (its `kind`, `fields`, effect and cost),
its kind added to `sim.schema.LEVER_KINDS` (the one registration line), a policy in conf/policy/<kind>.yaml, a test."""

import importlib

from sim.model.levers.base import Lever, target_mask
from sim.model.levers.refresh_grants import refresh_schedule
from sim.schema import LEVER_KINDS


def _lever_class(kind: str) -> type[Lever]:
    """The one `Lever` subclass of module `sim.model.levers.<kind>` whose `kind` is `kind`."""
    module = importlib.import_module(f"sim.model.levers.{kind}")
    (cls,) = (v for v in vars(module).values() if isinstance(v, type) and issubclass(v, Lever) and v.kind == kind)
    return cls


LEVERS: dict[str, type[Lever]] = {kind: _lever_class(kind) for kind in LEVER_KINDS}

__all__ = ["LEVERS", "Lever", "refresh_schedule", "target_mask"]
