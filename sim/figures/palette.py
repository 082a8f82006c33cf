"""One colour per policy, the same in every figure (compare, explore, dashboard), and the colours of what is not
a policy (the observed record, simulated bands).

Named policies have fixed colours; any other arm (a policy run with other lever settings, a bundle made on the
command line) gets one from a second palette chosen by a hash of its name, so it too keeps its colour from figure
to figure and run to run. Red is kept for the observed record."""

from __future__ import annotations

import hashlib

OBSERVED = "tab:red"  # the record, in every figure
SIMULATED = "tab:blue"  # simulated medians and bands
BASELINE_LINE = "0.35"  # the baseline's median drawn for reference in other panels

POLICY_COLORS = {
    "none": "black",
    "retention_bonus": "#ff7f0e",  # orange
    "refresh_grants": "#8c564b",  # brown
    "autonomy_charter": "#2ca02c",  # green
    "sustainable_pace": "#bcbd22",  # olive
    "transparent_leadership": "#17becf",  # cyan
    "counter_offers": "#e377c2",  # pink
    "safety_governance": "#9467bd",  # purple
    "bundle_pay": "#b8860b",  # dark gold
    "bundle_culture": "#1f3a93",  # navy
}
# for other arms: tab20's lighter shades and greys, none of them red or a named policy's colour
OTHER_COLORS = ("#aec7e8", "#ffbb78", "#98df8a", "#c5b0d5", "#c49c94", "#f7b6d2", "#c7c7c7", "#dbdb8d", "#9edae5")


def policy_color(name: str) -> str:
    """The colour of a policy (or of any arm label) in every figure."""
    if name in POLICY_COLORS:
        return POLICY_COLORS[name]
    h = int(hashlib.sha256(str(name).encode()).hexdigest(), 16)
    return OTHER_COLORS[h % len(OTHER_COLORS)]


def policy_colors(names) -> dict[str, str]:
    """`policy_color` of each name."""
    return {n: policy_color(n) for n in names}
