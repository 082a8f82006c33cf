"""The model's components (docs/ODD.md, Components): each owns part of the lab's state and shares one lifecycle.

`AttritionModel` (sim/model/lab.py) builds them in `BUILD` order and runs the day through `DAY`; a component reads
another's state only through that component's named attributes and methods (its docstring lists them)."""

from sim.model.components.base import Component

__all__ = ["Component"]
