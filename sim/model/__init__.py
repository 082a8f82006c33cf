"""The model: the lab (`lab.AttritionModel`, the day's order), its agents and array state, and one module per
mechanism of the brief (equations, shocks, levers, the compiled daily pass)."""

import importlib

_LAZY = {
    "AttritionModel": "sim.model.lab",
    "Employee": "sim.model.agents",
    "Firm": "sim.model.agents",
    "Spinout": "sim.model.agents",
}


def __getattr__(name: str):
    """Mesa and numba are imported on first use."""
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'sim.model' has no attribute {name!r}")
