"""The named parameters, declared once: what each sets, its unit, its help text, its prior (with source) and how
the dashboard shows it. Every list of parameters elsewhere is read from here or generated from it:

- the free parameters of calibration, sensitivity and exploration (sim/config/freeparams.py adds how each is set);
- the priors of the levers' effect sizes (declared on each lever's settings, sim/levers/; drawn by
  sim/config/leverpriors.py, `lever_draw=K`);
- conf/fit.yaml's starting values and search space (sim/config/fitconf.py writes them; a test compares);
- the dashboard's lever sliders (sim/dashboard/state.py: label and range).

The allowed range of every config value is declared in the validation table (sim/config/bounds.py, by dataclass
field) or, for a lever's own settings, on the field itself; `bound(path)` reads either, and tests/test_registry.py
checks that every prior lies inside its field's bound.
"""

from __future__ import annotations

from dataclasses import fields

from sim.config.bounds import BOUNDS, Range, field_bound
from sim.config.declare import Param, Prior
from sim.levers import SETTINGS

# the free parameters, in the order of calibration's columns (the shipped posterior's CSV names them)
FREE: tuple[Param, ...] = (
    Param(
        "base_annual",
        "hazard.base_annual",
        "per year",
        "hazard.base_annual: annual quit rate of h0 alone",
        Prior(
            0.08,
            0.135,
            False,
            "11-18 %/yr in calm conditions (LinkedIn 2018; SignalFire 2025); the other terms raise the realised rate "
            "~1.35x, so 0.08-0.135",
        ),
    ),
    Param(
        "burnout",
        "hazard.burnout",
        "log hazard ratio per unit of burnout",
        "hazard.burnout: weight of burnout in the quit hazard",
        Prior(
            0.0,
            2.0,
            False,
            "assumption around the default 1.0 (burnout-leaving correlation ~0.2-0.33: Swider & Zimmerman 2010)",
        ),
    ),
    Param(
        "contagion",
        "hazard.contagion",
        "log hazard ratio per share of ties gone",
        "hazard.contagion: weight of the share of ties who left in the last 30 days",
        Prior(0.0, 8.0, False, "assumption (a weight to calibrate; Felps et al. 2009 show the effect exists, so >= 0)"),
    ),
    Param(
        "shock_scale",
        "",
        "factor",
        "factor on every shock's hazard_amp (conf/events)",
        Prior(
            0.25,
            4.0,
            True,
            "assumption (every shock's hazard_amp is an assumption): log-uniform, a factor 4 either way",
        ),
    ),
    Param(
        "acquired_ratio",
        "shocks.acquired_ratio",
        "hazard multiple",
        "acquired_ratio of the acquisition that acquires the lab (SpaceX, 2026-02-02)",
        Prior(
            1.5,
            4.0,
            False,
            "acquired-firm staff leave at ~x2.75 in year one (Kim, Strategy Science); +-1.25 an assumption",
        ),
    ),
    Param(
        "poaching_scale",
        "",
        "factor",
        "factor on every rival firm's offers_per_year (conf/rivals)",
        Prior(0.25, 4.0, True, "assumption (rival offer rates are assumptions): log-uniform, a factor 4 either way"),
    ),
    Param(
        "announce_scale",
        "",
        "factor",
        "factor on observation.announce_prob of every role but co-founders (clipped to 1)",
        Prior(0.5, 2.0, True, "assumption (co-founders post with probability ~1, kept; others' rates are assumptions)"),
    ),
    Param(
        "burst_gain",
        "observation.burst_gain",
        "per announcement per day",
        "observation.burst_gain: daily posting hazard per announcement of the last week, for waiting leavers",
        Prior(
            0.0,
            0.1,
            False,
            "assumption (a burst makes earlier leavers post now: 2 of the 11 posts of 6-12 Feb 2026; default 0.02)",
        ),
    ),
    Param(
        "delay_scale",
        "",
        "factor",
        "factor on observation.delay_mean_days of every role but co-founders",
        Prior(
            0.2,
            2.0,
            True,
            "assumption (posting delays are assumptions; 2 of the 11 posts of 6-12 Feb 2026 were weeks late)",
        ),
    ),
    Param(
        "destination_pull",
        "destinations.rival_pull",
        "odds per offer a year",
        "destinations.rival_pull: odds of a rival lab per offer it makes a year to one person of the role",
        Prior(
            0.25,
            16.0,
            True,
            "assumption (rivals' pull on leavers, to calibrate; default 2): log-uniform, x8 either way",
        ),
    ),
    Param(
        "founder_contagion",
        "hazard.founder_contagion",
        "log hazard ratio per share of fellows gone",
        "hazard.founder_contagion: weight of the decayed share of fellow co-founders who chose to leave",
        Prior(
            0.0,
            12.0,
            False,
            "assumption (co-founders' exits cluster: 6 of 12 gone by Feb 2026, TechCrunch 2026-02-10; default 3: "
            "one exit among 8 fellows, hazard x1.45; >= 0)",
        ),
    ),
    Param(
        "early_stage_push",
        "shocks.founder_push",
        "hazard factor",
        "founder_push of the reorganisation that forces co-founders out: remaining co-founders' hazard factor",
        Prior(
            1.0,
            4.0,
            True,
            "assumption (the 2026-02-10 reorg calling co-founders 'better suited to the early stage' pushes the rest; "
            "1.5)",
        ),
    ),
    Param(
        "founder_acceleration",
        "shocks.acceleration",
        "share",
        "acceleration of the acquisition that acquires the lab: share of co-founders' months to vest that vest at once",
        Prior(0.0, 1.0, False, "assumption (change of control, 'acceleration or not'; default 0.25)"),
    ),
    Param(
        "founder_decay",
        "hazard.founder_decay_days",
        "days",
        "hazard.founder_decay_days: e-folding time of a fellow co-founder's pull after their exit (Hawkes decay)",
        Prior(
            7.0,
            365.0,
            True,
            "assumption (no published estimate of how fast a co-founder's exit stops pulling the others: from a news "
            "cycle, a week, to a vesting year; log-uniform; default 60)",
        ),
    ),
)


def _lever_params() -> tuple[Param, ...]:
    """The lever settings that declare a name (an effect size with a prior, or a dashboard slider), read from each
    lever's settings class (sim/levers/), in the levers' order and then their fields' order."""
    out = []
    for kind, cls in SETTINGS.items():
        for f in fields(cls):
            m = f.metadata
            if m.get("name"):
                out.append(
                    Param(m["name"], f"lever.{kind}.{f.name}", m["unit"], m["help"], m["prior"], m["slider_max"])
                )
    return tuple(out)


# the lever settings with a name: effect sizes with a prior (drawn by `lever_draw=K`) and the dashboard's sliders
LEVER: tuple[Param, ...] = _lever_params()

BY_NAME: dict[str, Param] = {p.name: p for p in (*FREE, *LEVER)}

# the dataclass whose field a path's first part names (the validation table is keyed by class)
_CLASS_OF = {
    "hazard": "HazardConfig",
    "observation": "ObservationConfig",
    "destinations": "DestinationsConfig",
    "shocks": "ShockConfig",
}


def bound(path: str) -> Range:
    """The validation table's range of the field a path names (sim/config/bounds.py)."""
    head, *middle, name = path.split(".")
    if head == "lever":  # lever.<kind>.<field>: declared on the field of the kind's settings
        return field_bound(SETTINGS[middle[0]], name)
    return BOUNDS[_CLASS_OF[head]][name]


def lever_field(p: Param) -> tuple[str, str]:
    """(lever, field) of a lever setting's path `lever.<lever>.<field>`."""
    _, lever, name = p.path.split(".")
    return lever, name
