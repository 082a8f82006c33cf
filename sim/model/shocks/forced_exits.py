"""A layoff or a forced reorganisation removes people by rule (in history: already out of the starting headcount)."""

import warnings

import numpy as np

from sim.model.shocks.base import Effect
from sim.schema import FORCED, FOUNDER, UNITS


def forced_exit_slots(model, shock) -> np.ndarray:
    """The people a forced exit removes, chosen by rule; ties broken by a per-person key drawn at hire."""
    wf, n = model.workforce, model.workforce.n
    eligible = wf.active[:n] & ~wf.immune[:n]
    if shock.unit:
        eligible &= model.staffing.team_unit[wf.team[:n]] == UNITS.index(shock.unit)
    if shock.forced_rule == "founders":
        eligible &= wf.role[:n] == FOUNDER
    idx = np.flatnonzero(eligible)
    if shock.forced_rule == "senior":
        order = np.lexsort((wf.key_forced[idx], -wf.seniority[idx]))
    else:
        order = np.argsort(wf.key_forced[idx], kind="stable")
    return idx[order[: shock.forced_exits]]


def too_big(label: str, shock, group: int, headcount: int) -> str:
    """The warning for a forced exit larger than the group it targets (sizes are absolute: they do not scale with
    `company.headcount`)."""
    where = f"unit {shock.unit!r}" if shock.unit else "the lab"
    rule = f", rule {shock.forced_rule!r}" if shock.forced_rule == "founders" else ""
    return (
        f"shock {label!r}: forced_exits={shock.forced_exits} exceeds its target group ({group} people of {where}{rule}"
        f" at company.headcount={headcount}); all {group} leave. Sizes are absolute: scale forced_exits with the"
        " headcount."
    )


def planned_group(model, shock) -> int:
    """The size of the group a forced exit targets as the lab is planned (its posts, or the founding team), not as
    attrition has left it: a group emptied by departures is no reason to warn, a lab too small for the shock is."""
    staffing = model.staffing
    if shock.forced_rule == "founders":
        return int(staffing.founders_start)
    if shock.unit:
        return int(staffing.team_posts[staffing.team_unit == UNITS.index(shock.unit)].sum())
    return int(staffing.team_posts.sum())


class ForcedExits(Effect):
    fields = ("forced_exits", "forced_rule", "unit", "backfill")
    label = "forced exits"

    def switched_on(self, shock):
        return bool(shock.forced_exits)

    def applies(self, model, shock, firing):
        return self.switched_on(shock) and not firing.history

    def fire(self, model, shock, firing):
        label = shock.name or f"shocks[{firing.index}]"  # an unnamed shock's departures name its place in the config
        slots = forced_exit_slots(model, shock)
        if slots.size < shock.forced_exits and planned_group(model, shock) < shock.forced_exits:
            warnings.warn(too_big(label, shock, slots.size, model.p.company.headcount), stacklevel=2)
        for slot in slots:
            model.leaving.depart(int(slot), FORCED, shock=label, backfill=shock.backfill)
