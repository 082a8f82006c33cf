"""The employees' numeric state, held as arrays indexed by slot (one slot per person ever hired)."""

from __future__ import annotations

import numpy as np

NEVER = np.iinfo(np.int32).max // 2  # a day index past any window

# name -> (dtype, fill value for a new slot)
FIELDS: dict[str, tuple[type, object]] = {
    "active": (np.bool_, False),
    "immune": (np.bool_, False),  # an owner-founder: never leaves, never poached
    "role": (np.int8, 0),
    "team": (np.int32, 0),
    "hired": (np.int32, 0),  # day index, negative before the window
    "left": (np.int32, NEVER),
    "cause": (np.int8, -1),
    "seniority": (np.float64, 0.0),
    "pay": (np.float64, 1.0),
    "burnout": (np.float64, 0.0),
    "load": (np.float64, 1.0),
    "rise_scale": (np.float64, 1.0),
    "autonomy": (np.float64, 0.0),
    "autonomy0": (np.float64, 0.0),
    "reorg_protection": (np.float64, 0.0),
    "mission": (np.float64, 1.0),
    "mission_floor": (np.float64, 0.0),
    "safety": (np.bool_, False),
    "high_performer": (np.bool_, False),
    "grant": (np.float64, 0.0),
    "grant_start": (np.int32, 0),
    "refresh": (np.float64, 0.0),
    "refresh_start": (np.int32, NEVER),
    "bonus": (np.float64, 0.0),
    "bonus_day": (np.int32, NEVER),
    "quit_mult": (np.float64, 1.0),
    "shock_damping": (np.float64, 0.0),
    "match_prob": (np.float64, 0.0),
    "match_cap": (np.float64, 1.0),
    "wealth": (np.float64, 0.0),
    "liquidated": (np.float64, 0.0),
    "acq_mult": (np.float64, 1.0),
    "acq_until": (np.int32, -NEVER),
    "surv_mult": (np.float64, 1.0),
    "surv_until": (np.int32, -NEVER),
    "announce_day": (np.int32, NEVER),
    # per-person draws made once at hire, so that discrete choices use common random numbers
    "key_forced": (np.float64, 0.0),
    "key_announce": (np.float64, 0.0),
    "key_delay": (np.float64, 0.0),
    "key_spinout": (np.float64, 0.0),
    "key_group": (np.float64, 0.0),
}


class Workforce:
    """Struct of arrays with amortised growth; `n` slots are in use, views are `[:n]`."""

    def __init__(self, capacity: int, n_ties: int):
        self.n = 0
        self.n_ties = n_ties
        self._capacity = max(capacity, 1)
        for name, (dtype, fill) in FIELDS.items():
            setattr(self, name, np.full(self._capacity, fill, dtype=dtype))
        self.ties = np.full((self._capacity, n_ties), -1, dtype=np.int64)
        self.milestones = np.full((self._capacity, 5), NEVER, dtype=np.int32)

    def add(self, count: int) -> slice:
        """Reserve `count` new slots, filled with defaults; return their slice."""
        need = self.n + count
        if need > self._capacity:
            self._grow(max(need, 2 * self._capacity))
        sl = slice(self.n, need)
        self.n = need
        return sl

    def _grow(self, capacity: int) -> None:
        for name, (dtype, fill) in FIELDS.items():
            old = getattr(self, name)
            new = np.full(capacity, fill, dtype=dtype)
            new[: old.size] = old
            setattr(self, name, new)
        for name, fill in (("ties", -1), ("milestones", NEVER)):
            old = getattr(self, name)
            new = np.full((capacity, old.shape[1]), fill, dtype=old.dtype)
            new[: old.shape[0]] = old
            setattr(self, name, new)
        self._capacity = capacity
