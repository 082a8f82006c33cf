"""The value and robustness tables of `exodus-compare`, as fixed-width text (printed beside the policy table)."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _money(x) -> str:
    if x is None or not np.isfinite(x):
        return "n/a"
    if x == 0:
        return "0"
    return f"{x / 1e6:+.1f}M" if abs(x) >= 1e5 else f"{x / 1e3:+.0f}k"


def _num(x, fmt: str) -> str:
    return "n/a" if x is None or not np.isfinite(x) else fmt.format(x)


def _fixed(cols, rows) -> str:
    cells = [[f(r) for _, _, f in cols] for r in rows]
    widths = [max([len(h), *(len(c[i]) for c in cells)]) for i, (h, _, _) in enumerate(cols)]
    line = lambda vals: "  ".join(f"{v:{a}{w}}" for v, (_, a, _), w in zip(vals, cols, widths, strict=True))  # noqa: E731
    return "\n".join([line([h for h, _, _ in cols]), "  ".join("-" * w for w in widths), *(line(c) for c in cells)])


def format_value_table(table: pd.DataFrame, baseline: str, pct: int) -> str:
    """Per policy, in the policy table's order: attrition cost, cost avoided, net value and ROI with their
    intervals, and the break-even effect size."""

    def interval(r, key, lo, hi, fmt):
        if r.policy == baseline:
            return "-"
        return f"{fmt(r[key])} [{fmt(r[lo])}, {fmt(r[hi])}]"

    roi = lambda x: _num(x, "{:+.2f}")  # noqa: E731
    cols = [
        ("policy", "<", lambda r: str(r.policy)),
        ("attrition $", ">", lambda r: _money(r.attrition_cost).lstrip("+")),
        (f"avoided $ [{pct} % CI]", ">", lambda r: interval(r, "avoided", "avoided_lo", "avoided_hi", _money)),
        (f"net value $ [{pct} % CI]", ">", lambda r: interval(r, "net_value", "net_lo", "net_hi", _money)),
        (f"ROI [{pct} % CI]", ">", lambda r: interval(r, "roi", "roi_lo", "roi_hi", roi)),
        ("break-even averted", ">", lambda r: "-" if r.policy == baseline else _num(r.breakeven_averted, "{:.1f}")),
        ("x effect", ">", lambda r: "-" if r.policy == baseline else _num(r.breakeven_x, "{:.2f}")),
    ]
    return _fixed(cols, [r for _, r in table.iterrows()])


def format_robustness(rob: pd.DataFrame, goal: float) -> str:
    """The robustness ranking: maximum regret of net value over the worlds, and the shares meeting the goals."""
    cols = [
        ("rank", ">", lambda r: str(int(r["rank"]))),
        ("policy", "<", lambda r: str(r.policy)),
        ("worlds", ">", lambda r: str(int(r.worlds))),
        ("net mean $", ">", lambda r: _money(r.net_mean)),
        ("net 5 % $", ">", lambda r: _money(r.net_q05)),
        ("max regret $", ">", lambda r: _money(r.max_regret).lstrip("+")),
        ("mean regret $", ">", lambda r: _money(r.mean_regret).lstrip("+")),
        (f"averts >= {goal:g}", ">", lambda r: f"{100 * r.share_goal:.0f} %"),
        ("net > 0", ">", lambda r: f"{100 * r.share_net_positive:.0f} %"),
    ]
    return _fixed(cols, [r for _, r in rob.iterrows()])


VALUE_NOTES = (
    "Value (conf/value/default.yaml, or --value FILE): a departure costs its replacement, the output lost while the "
    "post is empty (company.hire_fill_days) and while the successor ramps up, and for seniors lost knowledge, in "
    "years of the role's pay. avoided = paired attrition cost of {baseline} minus the policy's; net value = avoided "
    "- policy cost; {pct} % t-intervals over pairs. ROI = mean net / mean cost (delta-method interval). x effect = "
    "policy cost / avoided: how many times stronger the effect would have to be to pay for itself (below 1 it "
    "does); break-even averted = the departures it would then avert (n/a x: it avoids no cost on average)."
)
ROBUST_NOTES = (
    "Robustness over {worlds} worlds (a world: a scenario and seed every policy ran; in the default experiment a "
    "posterior draw, a lever-effect draw and a seed): "
    "regret = the best net value any policy ({baseline} included, at 0) reached in that world minus the policy's; "
    "ranked by maximum regret (minimax regret), ties by mean net value."
)
