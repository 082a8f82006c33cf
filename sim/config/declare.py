"""How a named parameter is declared: its prior (with source), its registry entry, and a config field that carries
both with its allowed range, so that a class owning a parameter declares everything about it in one place."""

from __future__ import annotations

from dataclasses import dataclass, field

from sim.config.bounds import Range


@dataclass(frozen=True)
class Prior:
    """Uniform on [low, high], or on the log scale if `log`; `literature`: from a study (else an assumption)."""

    low: float
    high: float
    log: bool
    source: str
    literature: bool = False


@dataclass(frozen=True)
class Param:
    """One named parameter. `path` is the config value it sets (a dotted path; `lever.<lever>.<field>` for a lever
    setting); a scale factor on several values has no path and says what it multiplies in `help`."""

    name: str
    path: str
    unit: str
    help: str
    prior: Prior | None = None
    slider_max: float | None = None  # the dashboard's slider runs 0..slider_max (lever settings)


def setting(
    default,
    bound: Range | object,
    help: str,
    *,
    name: str = "",
    unit: str = "",
    prior: Prior | None = None,
    slider_max: float | None = None,
):
    """A dataclass field that declares its allowed values (`bound`: a Range or a bounds marker), what it means, and,
    for a named parameter (`name`), its unit, prior and dashboard slider: read by the validation, the registry,
    the lever draws and the dashboard."""
    meta = {"bound": bound, "help": help, "name": name, "unit": unit, "prior": prior, "slider_max": slider_max}
    return field(default=default, metadata=meta)
