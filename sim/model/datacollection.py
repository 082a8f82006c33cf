"""Mesa's DataCollector on the model: the daily table's columns as model reporters, agents by type.

The model already writes one row per day into an array (its daily table), so model-level data are copied
from it in bulk when the collector is read, not gathered by calling reporters every day: the default run
pays nothing for them. Agent data cannot be rebuilt afterwards, so agent-type reporters are collected only
when asked for (`agent_every` days). Collection step s (Mesa's `Step`, the model's time after step s) holds
day s - 1 of the window, i.e. row s - 1 of the daily table.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import mesa
import numpy as np

from sim.model.agents import Employee, Firm, Spinout
from sim.schema import CAUSES

# Running totals beside the daily columns, so that a run's last row (Mesa's batch_run default) is its total: the count
# columns summed to date, and every lever's cost to date (the last day: the settled total of the summary).
CUMULATIVE = ("departures", *(f"departures_{c}" for c in CAUSES), "announced")
TO_DATE = (*(f"{c}_to_date" for c in CUMULATIVE), "policy_cost_to_date")

# Attributes of Employee (properties reading the workforce arrays) and of firms collected per agent.
EMPLOYEE_REPORTERS = ("role", "team", "unit", "tenure_days", "burnout", "autonomy", "mission", "pay", "wealth")
FIRM_REPORTERS = ("name", "offer_multiple", "culture")
SPINOUT_REPORTERS = (*FIRM_REPORTERS, "founder", "recruits_left")


def daily_value(model, column: str):
    """The value of a daily-table column on the model's last completed day (what `collect` records for it)."""
    return model.datacollector.row(model, model.steps - 1)[column]


def agenttype_reporters() -> dict[type, dict[str, str]]:
    """Reporters by agent type: Mesa's per-agent reporters would fail on the firms, which lack employees' fields."""
    return {
        Employee: {name: name for name in EMPLOYEE_REPORTERS},
        Firm: {name: name for name in FIRM_REPORTERS},
        Spinout: {name: name for name in SPINOUT_REPORTERS},
    }


class DailyCollector(mesa.DataCollector):
    """A `mesa.DataCollector` whose model variables are the daily table's columns, one record per simulated day.

    `collect(model)` brings the model variables up to the last completed day from the table (idempotent, so
    calling it again or after every step records each day once) and, when `agents` is true, records the
    agent-type reporters at the model's current time.
    """

    def __init__(self, columns: tuple[str, ...]):
        self._table_columns = tuple(columns)  # the columns of the model's daily array, in order
        self._counts = frozenset(c for c in columns if not c.startswith("mean_"))
        self.columns = ("date", "seed", *columns, *TO_DATE)
        super().__init__(
            model_reporters={c: partial(daily_value, column=c) for c in self.columns},
            agenttype_reporters=agenttype_reporters(),
        )
        self._validated = True  # the reporters read the same table `collect` copies from
        self._synced = 0  # days already copied into model_vars

    def to_date(self, model, days: int) -> np.ndarray:
        """The `TO_DATE` columns over the first `days` days (rows by day)."""
        index = [self._table_columns.index(c) for c in CUMULATIVE]
        counts = np.cumsum(model._daily_table[:days, index], axis=0)
        return np.column_stack([counts, model.policy_cost_to_date(days)])

    def row(self, model, day: int, to_date: np.ndarray | None = None) -> dict:
        """Day `day` of the model's daily table as a dict with the table's types (counts int, means and costs float),
        with the running totals `TO_DATE` (`to_date`: their rows, if already computed)."""
        out = {"date": model.start + dt.timedelta(days=day), "seed": model.seed}
        for name, value in zip(self._table_columns, model._daily_table[day].tolist(), strict=True):
            out[name] = int(value) if name in self._counts else value
        totals = (self.to_date(model, day + 1) if to_date is None else to_date)[day].tolist()
        for name, value in zip(TO_DATE, totals, strict=True):
            out[name] = value if name == "policy_cost_to_date" else int(value)
        return out

    def collect(self, model, agents: bool = False) -> None:
        done = min(model.steps, model.days)  # days completed (a model may be asked to step past its window)
        to_date = self.to_date(model, done) if done > self._synced else None
        for day in range(self._synced, done):
            row = self.row(model, day, to_date)
            for c in self.columns:
                self.model_vars[c].append(row[c])
            self._collection_steps.append(float(day + 1))
        self._synced = max(self._synced, done)
        if agents:
            records = {kind: list(self._record_agenttype(model, kind)) for kind in self.agenttype_reporters}
            self._agenttype_records[model.time] = records


def _override_value(value) -> str:
    """A Python value as Hydra's override grammar writes it."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, list | tuple):
        return "[" + ",".join(_override_value(v) for v in value) + "]"
    return str(value)


def compose_params(overrides=(), settings: dict | None = None):
    """ModelParams composed from `conf/` with Hydra-style `overrides` (["policy=retention_bonus", ...]) and
    keyword `settings`, a dotted path spelt with `__` (company__headcount=400, policy="none").

    What `AttritionModel(overrides=..., **settings)` builds, so `mesa.batch_run` can vary plain keyword
    parameters. The seed is the model's `seed` argument (batch_run's `rng`), never an override."""
    from sim.config.compose import compose
    from sim.config.load import as_run_config
    from sim.config.params import model_params

    if isinstance(overrides, str):
        overrides = [overrides]
    items = [*overrides, *(f"{k.replace('__', '.')}={_override_value(v)}" for k, v in (settings or {}).items())]
    for item in items:
        if item.split("=", 1)[0].lstrip("+~") == "seed":
            raise ValueError(f"{item!r}: set the seed with the model's seed argument (batch_run: rng=[...])")
    return model_params(as_run_config(compose(items)))
