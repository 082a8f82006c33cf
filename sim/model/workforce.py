"""The employees' numeric state, held as arrays indexed by slot (one slot per person ever hired)."""

from __future__ import annotations

import numpy as np

from sim.schema import ROLE_UNIT, ROLES

SENIORITY = np.array([1.0, 0.8, 0.5, 0.4, 0.4, 0.1])  # assumption: co-founder .. operations (by role code)
ROLE_UNIT = np.array(ROLE_UNIT)  # unit code of each role
NEVER = np.iinfo(np.int32).max // 2  # a day index past any window
# per-person uniforms drawn at hire, in this column order (then one per cross-team tie)
HIRE_KEYS = ("safety", "high_performer", "forced", "announce", "delay", "spinout", "group", "quit", "offer", "burst")
K = {name: i for i, name in enumerate(HIRE_KEYS)}
CLOCK_KEYS = np.array([K["delay"], K["quit"], K["offer"], K["burst"]])  # uniforms that become Exp(1) clock keys

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
    "match_lever": (np.int16, -1),  # the counter-offers lever (its index in the policy) that covers this person
    "wealth": (np.float64, 0.0),
    "liquidated": (np.float64, 0.0),
    "acq_mult": (np.float64, 1.0),
    "acq_until": (np.int32, -NEVER),
    "surv_mult": (np.float64, 1.0),
    "surv_until": (np.int32, -NEVER),
    "announce_day": (np.int32, NEVER),
    "chose_left": (np.int32, -NEVER),  # day of leaving by choice (voluntary, poached, spin-out), for contagion
    "courted": (np.int32, 0),  # how many recruiting spin-outs court this person
    # clocks: cumulative hazard since hire (or since the last offer); the event happens when it passes its key
    "quit_clock": (np.float64, 0.0),
    "offer_clock": (np.float64, 0.0),
    "burst_clock": (np.float64, 0.0),
    # per-person draws made once at hire, so that discrete choices use common random numbers
    "key_forced": (np.float64, 0.0),
    "key_announce": (np.float64, 0.0),
    "key_delay": (np.float64, 0.0),
    "key_spinout": (np.float64, 0.0),
    "key_group": (np.float64, 0.0),
    "quit_key": (np.float64, np.inf),  # Exp(1) keys of the clocks above
    "offer_key": (np.float64, np.inf),
    "burst_key": (np.float64, np.inf),
}


# per-person tables: name -> (dtype, fill, columns). Stored column by column, so that a day's
# reduction over a person's columns runs along contiguous rows; `name` is the (slot, column) view.
TABLES: dict[str, tuple[type, object, str]] = {
    "ties": (np.int64, -1, "n_ties"),  # slots of cross-team ties
    "milestones": (np.int32, NEVER, "5"),  # vesting dates: cliff, last vest, refresh cliff, refresh end, bonus payout
}


class Workforce:
    """Struct of arrays with amortised growth; `n` slots are in use, views are `[:n]`.

    `ties` and `milestones` are (slot, column) views of `ties_by_column` and `milestones_by_column`.
    """

    def __init__(self, capacity: int, n_ties: int):
        self.n = 0
        self.n_ties = n_ties
        self._capacity = max(capacity, 1)
        for name, (dtype, fill) in FIELDS.items():
            setattr(self, name, np.full(self._capacity, fill, dtype=dtype))
        for name, (dtype, fill, cols) in TABLES.items():
            by_column = np.full((self._columns(cols), self._capacity), fill, dtype=dtype)
            setattr(self, f"{name}_by_column", by_column)
            setattr(self, name, by_column.T)

    def _columns(self, cols: str) -> int:
        return getattr(self, cols) if not cols.isdigit() else int(cols)

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
        for name, (dtype, fill, _) in TABLES.items():
            old = getattr(self, f"{name}_by_column")
            new = np.full((old.shape[0], capacity), fill, dtype=dtype)
            new[:, : old.shape[1]] = old
            setattr(self, f"{name}_by_column", new)
            setattr(self, name, new.T)
        self._capacity = capacity


def role_vector(table: dict[str, float]) -> np.ndarray:
    return np.array([float(table.get(r, 0.0)) for r in ROLES])


def apportion(total: int, shares: np.ndarray) -> np.ndarray:
    """Split an integer total by shares, largest remainders first (deterministic)."""
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(int)
    out[np.argsort(-(raw - out), kind="stable")[: total - out.sum()]] += 1
    return out
