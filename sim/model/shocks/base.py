"""What every kind of shock effect shares: the context of one firing, and the protocol (`applies`, `fire`)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config.params import ShockConfig


@dataclass
class Firing:
    """One shock firing: shock number `index` dated `day` (negative: history, `elapsed` days before the window)."""

    index: int
    day: int
    n: int
    act: np.ndarray  # who is present (a view of workforce.active[:n])

    @property
    def history(self) -> bool:
        return self.day < 0

    @property
    def elapsed(self) -> int:
        return -self.day if self.day < 0 else 0


class Effect:
    """One kind of effect a dated shock can have, with the `ShockConfig` fields it reads; a shock's effects are the
    kinds its fields switch on (`switched_on`: its kind, as figures label it) that `apply` in this run (a mechanism
    switched off, or history, may rule one out), fired in `sim.model.shocks.EFFECTS` order."""

    fields: tuple[str, ...] = ()
    label = ""  # the kind's name in figures' shock keys

    def switched_on(self, shock: ShockConfig) -> bool:
        """Whether the shock's fields give it this effect (its fields alone: no model)."""
        raise NotImplementedError

    def applies(self, model, shock: ShockConfig, firing: Firing) -> bool:
        return self.switched_on(shock)

    def fire(self, model, shock: ShockConfig, firing: Firing) -> None:
        raise NotImplementedError
