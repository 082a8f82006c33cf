"""The protocol every component shares, in the spirit of Starsim's modules: declare what you own, then init, step,
react to hires and departures, finish."""

from __future__ import annotations

from sim.schema import CAUSES, ROLES


class Component:
    """One mechanism of the lab. `owns` names the state it holds (attributes of the component); the model calls
    `init()` once after every component exists, `step(day)` in the day's order, `on_hire(slots)` after new people get
    their state, `on_depart(slot, cause, backfill)` after a departure is booked, and `finish(day)` on the window's last
    day. Each hook does nothing unless the component needs it; the model calls a hook only on the components that
    `react` to it (worked out once: the day's dispatch is a list of bound methods)."""

    name = ""
    owns: tuple[str, ...] = ()
    # the departures `on_depart` hears of: their causes and the leaver's roles (indices into CAUSES, ROLES)
    depart_causes: tuple[int, ...] = tuple(range(len(CAUSES)))
    depart_roles: tuple[int, ...] = tuple(range(len(ROLES)))

    def __init__(self, model):
        self.model = model

    def reacts(self, hook: str) -> bool:
        """Whether `hook` does anything here: by default, whether the component's class overrides it."""
        return getattr(type(self), hook) is not getattr(Component, hook)

    def init(self) -> None:
        """Set up state that needs other components (they all exist by now)."""

    def step(self, day: int) -> None:
        """This component's part of day `day`."""

    def on_hire(self, slots) -> None:
        """New people took `slots` (their state is filled)."""

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        """`slot` left today for `cause` (one of `depart_causes`; the leaver's role is one of `depart_roles`);
        `backfill` false: the post is not refilled."""

    def finish(self, day: int) -> None:
        """The window's last day is done: settle what this component owes."""
