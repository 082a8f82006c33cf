"""The model's own random numbers, beyond the per-person keys drawn at hire: Exp(1) keys by inverse transform, and
counter-based uniforms indexed by (person, day), so an event's draws depend on nothing else (common random numbers
across policies)."""

from __future__ import annotations

import numpy as np


def exponential_key(u):
    """An Exp(1) key from a uniform (inverse transform)."""
    return -np.log1p(-u)


class OfferDraws:
    """Counter-based uniforms for offers: the four draws of (person, day) depend on nothing else."""

    def __init__(self, rng: np.random.Generator):
        self._bits = np.random.Philox(key=rng.integers(0, 2**64, size=2, dtype=np.uint64))
        self._gen = np.random.Generator(self._bits)
        self._state = self._bits.state

    def __call__(self, slot: int, day: int) -> np.ndarray:
        self._state["state"]["counter"][:] = (0, 0, slot, day)
        self._state["buffer_pos"] = 4  # empty buffer: the next draw starts at this counter
        self._bits.state = self._state
        return self._gen.random(4)
