"""Observation: public announcements of departures (with bursts), today's row and the daily table."""

from __future__ import annotations

import numpy as np

from sim.model import kernel
from sim.model.components.base import Component
from sim.model.workforce import role_vector
from sim.schema import CAUSE_COL, COL, DAILY_COLUMNS, FOUNDER

DOT_CHUNK = 8192  # below OpenBLAS's switch to threads for a dot product (n > ~10,000)


def _dot(x: np.ndarray, y: np.ndarray) -> float:
    """x @ y in chunks of DOT_CHUNK, each a one-thread BLAS call: above ~10,000 slots OpenBLAS splits one dot
    product over threads, which cost 12 ms a call on a loaded 2-core machine (the 10,000-person roster year: 13 s of
    14 s) and whose sum order depends on the thread count. Up to DOT_CHUNK slots it is the one call it was."""
    if x.size <= DOT_CHUNK:
        return x @ y
    return sum(x[i : i + DOT_CHUNK] @ y[i : i + DOT_CHUNK] for i in range(0, x.size, DOT_CHUNK))


class Observation(Component):
    """Interface: `today` (today's row: components add their counts to it), `table` (one row per day, `COL`)."""

    name = "observation"
    owns = ("today", "table", "waiting")

    def __init__(self, model):
        super().__init__(model)
        p = model.p
        self.announce_by_role = role_vector(p.observation.announce_prob)
        self.delay_by_role = role_vector(p.observation.delay_mean_days)
        self.table = np.zeros((model.days, len(DAILY_COLUMNS)))
        self.today = np.zeros(len(DAILY_COLUMNS))
        self.waiting = np.zeros(0, dtype=np.int64)  # leavers whose announcement is still to come
        self._new_waiting: list[int] = []
        o = p.observation
        self._burst = kernel.pack(
            kernel.Burst, gain=float(o.burst_gain), window=int(o.burst_window_days), lookback=int(o.lookback_days)
        )
        self._table_cols = kernel.pack(
            kernel.TableCols,
            headcount=COL["headcount"],
            hires=COL["hires"],
            departures=COL["departures"],
            first_cause=CAUSE_COL[0],
            last_cause=CAUSE_COL[-1],
            announced=COL["announced"],
            founders=COL["announced_founders"],
            remaining=COL["founders_remaining"],
        )

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        """The departure counts today; the leaver may post about it after a delay."""
        m = self.model
        wf, t, role = m.workforce, m.day, m.workforce.role[slot]
        self.today[CAUSE_COL[cause]] += 1
        if wf.key_announce[slot] < self.announce_by_role[role]:
            wf.announce_day[slot] = t + int(np.ceil(self.delay_by_role[role] * wf.key_delay[slot]))
            self._new_waiting.append(slot)

    def init(self) -> None:
        self._counts = self.model.staffing.team_counts()  # the team tables never move

    def step(self, day: int) -> None:
        """Today's means over the people present (burnout, autonomy, mission), announcements and row of the table
        (`kernel.close_day`)."""
        m = self.model
        if self._new_waiting:
            self.waiting = np.concatenate([self.waiting, self._new_waiting])
            self._new_waiting = []
        wf, n, row = m.workforce, m.workforce.n, self.today
        headcount = m.staffing.team_active.sum()
        if headcount:
            act = wf.active[:n].astype(np.float64)
            row[COL["mean_burnout"]] = _dot(wf.burnout[:n], act) / headcount
            row[COL["mean_autonomy"]] = _dot(wf.autonomy[:n], act) / headcount
            row[COL["mean_mission"]] = _dot(wf.mission[:n], act) / headcount
        still = kernel.close_day(
            day,
            m.staffing.hires_today,
            self.waiting,
            self._burst,
            m.daily.packed[kernel.ClosePeople],
            self._counts,
            FOUNDER,
            self._table_cols,
            row,
            self.table,
        )
        self.waiting = self.waiting[:still]
