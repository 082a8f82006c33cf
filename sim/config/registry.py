"""The named parameters, declared once: what each sets, its unit, its help text, its prior (with source) and how
the dashboard shows it. Every list of parameters elsewhere is read from here or generated from it:

- the free parameters of calibration, sensitivity and exploration (sim/config/freeparams.py adds how each is set);
- the priors of the levers' effect sizes (sim/config/leverpriors.py, `lever_draw=K`);
- conf/fit.yaml's starting values and search space (sim/config/fitconf.py writes them; a test compares);
- the dashboard's lever sliders (sim/dashboard/state.py: label and range).

The allowed range of every config value stays in the validation table (sim/config/bounds.py, by dataclass field);
`bound(path)` reads it, and tests/test_registry.py checks that every prior lies inside its field's bound.
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.config.bounds import BOUNDS, Range


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

# the lever settings: effect sizes with a prior (drawn by `lever_draw=K` in this order, on which the draws depend)
# and the dashboard's sliders (in this order)
LEVER: tuple[Param, ...] = (
    Param(
        "bonus_quit_cut",
        "lever.retention_bonus.quit_cut",
        "share of targeted quits",
        "Bonus: cut in targeted quits",
        Prior(
            0.0,
            0.17,
            False,
            "Clotfelter et al. 2008: bonuses cut targeted quits 12-17 % (upper end); Springer et al. 2016: no effect "
            "(0)",
            literature=True,
        ),
        slider_max=0.5,
    ),
    Param(
        "refresh_grant",
        "lever.refresh_grants.grant_years_of_pay",
        "years of pay",
        "Refresh grant (years of pay)",
        slider_max=4.0,
    ),
    Param(
        "refresh_perceived_value",
        "lever.refresh_grants.perceived_value",
        "share of the dollar value",
        "Refresh grant: share of its value staff count as held equity",
        Prior(
            0.5, 1.0, False, "assumption: staff count between half and all of a refresher's dollar value as held equity"
        ),
    ),
    Param(
        "autonomy_gain",
        "lever.autonomy_charter.autonomy_gain",
        "autonomy (0-1)",
        "Charter: autonomy gain",
        Prior(0.0, 0.2, False, "assumption: up to twice the default 0.1"),
        slider_max=0.5,
    ),
    Param(
        "reorg_protection",
        "lever.autonomy_charter.reorg_protection",
        "share",
        "Charter: share of a reorganisation's autonomy cut avoided",
        Prior(0.25, 0.75, False, "assumption: reorganisations cut 25-75 % less"),
    ),
    Param(
        "burnout_slowdown",
        "lever.sustainable_pace.burnout_slowdown",
        "share",
        "Pace: burnout slowdown",
        Prior(
            0.0,
            0.57,
            False,
            "2023 four-day-week pilot (non-randomised): leaving cut by up to 57 %, read as an upper bound; 0 below",
            literature=True,
        ),
        slider_max=1.0,
    ),
    Param(
        "shock_reduction",
        "lever.transparent_leadership.shock_reduction",
        "share",
        "Transparency: shock reduction",
        Prior(0.0, 0.5, False, "assumption: shocks' excess cut by 0-50 %"),
        slider_max=1.0,
    ),
    Param(
        "match_prob",
        "lever.counter_offers.match_prob",
        "probability",
        "Counter-offers: match probability",
        Prior(0.25, 0.75, False, "assumption: the lab matches a quarter to 3/4"),
        slider_max=1.0,
    ),
    Param(
        "mission_floor",
        "lever.safety_governance.mission_floor",
        "mission (0-1)",
        "Safety governance: mission floor",
        Prior(0.6, 0.9, False, "assumption: around the default 0.8"),
        slider_max=1.0,
    ),
    Param(
        "key_grant_years_of_pay",
        "lever.key_person_grant.key_grant_years_of_pay",
        "years of pay",
        "Key-person grant on a change of control (years of pay)",
        Prior(
            0.3,
            1.0,
            False,
            "WTW M&A Retention Studies: median awards 31 % of salary (other staff, 2017) to 75-100 % (C-suite, 2024)",
            literature=True,
        ),
    ),  # no dashboard slider: the grant acts only on an acquisition, which the dashboard's window may not hold
)

BY_NAME: dict[str, Param] = {p.name: p for p in (*FREE, *LEVER)}

# the dataclass whose field a path's first part names (the validation table is keyed by class)
_CLASS_OF = {
    "hazard": "HazardConfig",
    "observation": "ObservationConfig",
    "destinations": "DestinationsConfig",
    "shocks": "ShockConfig",
    "lever": "LeverConfig",
}


def bound(path: str) -> Range:
    """The validation table's range of the field a path names (sim/config/bounds.py)."""
    head, *_, field = path.split(".")
    return BOUNDS[_CLASS_OF[head]][field]


def lever_field(p: Param) -> tuple[str, str]:
    """(lever, field) of a lever setting's path `lever.<lever>.<field>`."""
    _, lever, field = p.path.split(".")
    return lever, field
