"""The protocol every component shares, in the spirit of Starsim's modules: declare what you own, then init, step,
react to hires and departures, finish."""

from __future__ import annotations


class Component:
    """One mechanism of the lab. `owns` names the state it holds (attributes of the component); the model calls
    `init()` once after every component exists, `step(day)` in the day's order, `on_hire(slots)` after new people get
    their state, `on_depart(slot, cause, backfill)` after a departure is booked, and `finish(day)` on the window's last
    day. Each hook does nothing unless the component needs it."""

    name = ""
    owns: tuple[str, ...] = ()

    def __init__(self, model):
        self.model = model

    def init(self) -> None:
        """Set up state that needs other components (they all exist by now)."""

    def step(self, day: int) -> None:
        """This component's part of day `day`."""

    def on_hire(self, slots) -> None:
        """New people took `slots` (their state is filled)."""

    def on_depart(self, slot: int, cause: int, backfill: bool) -> None:
        """`slot` left today for `cause`; `backfill` false: the post is not refilled."""

    def finish(self, day: int) -> None:
        """The window's last day is done: settle what this component owes."""
