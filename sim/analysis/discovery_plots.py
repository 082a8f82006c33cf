"""The scenario-discovery figures of exodus-explore, drawn like exodus-compare's (titles, labelled axes with their
units, a footnote saying how to read them) instead of EMA Workbench's raw defaults: PRIM's peeling trade-off and the
chosen box's limits within the ranges explored."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from sim.analysis.plots import _footer
from sim.figures import palette


def tradeoff_figure(trajectory: pd.DataFrame, chosen: int, question: str) -> Figure:
    """PRIM's peeling trajectory: coverage against density of each box, coloured by how many uncertainties it
    restricts; the chosen box ringed."""
    t = trajectory
    fig = Figure(figsize=(7.5, 5.2), layout="constrained")
    ax = fig.subplots()
    dims = t["res_dim"].astype(int)
    sc = ax.scatter(t["coverage"], t["density"], c=dims, cmap="viridis", s=28, zorder=3)
    ax.plot(t["coverage"], t["density"], color="0.6", lw=0.8, zorder=2)
    ax.scatter(
        [t.loc[chosen, "coverage"]], [t.loc[chosen, "density"]], s=160, facecolors="none",
        edgecolors=palette.OBSERVED, lw=1.8, zorder=4, label=f"chosen box ({chosen})",
    )  # fmt: skip
    cbar = fig.colorbar(sc, ax=ax)
    cbar.set_label("uncertainties restricted by the box")
    cbar.set_ticks(sorted(set(dims)))
    ax.set_xlabel("coverage: share of the cases of interest inside the box")
    ax.set_ylabel("density: share of the worlds in the box that are cases")
    ax.set_xlim(0, 1.02)
    ax.set_ylim(0, 1.02)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower left", fontsize=8)
    fig.suptitle("PRIM peeling trajectory")
    ax.set_title(question, fontsize=9, loc="left")
    _footer(
        fig,
        "Each dot is a box on PRIM's peeling trajectory, from the whole space (coverage 1, density = the base rate) "
        "to ever smaller boxes. Higher density: the box describes the cases more purely; higher coverage: it holds "
        "more of them. The ringed box is the one reported (the most coverage at the chosen density, then pruned of "
        "restrictions that are not significant).",
    )
    return fig


def box_figure(limits: pd.DataFrame, question: str, coverage: float, density: float) -> Figure:
    """The chosen box: for each restricted uncertainty, its [low, high] drawn within the range explored (0 = the low
    end, 1 = the high end), with the values at both ends."""
    n = len(limits)
    fig = Figure(figsize=(8, 1.6 + 0.55 * max(n, 1)), layout="constrained")
    ax = fig.subplots()
    span = (limits["prior_high"] - limits["prior_low"]).replace(0, np.nan)
    lo = ((limits["low"] - limits["prior_low"]) / span).to_numpy(float)
    hi = ((limits["high"] - limits["prior_low"]) / span).to_numpy(float)
    y = np.arange(n)
    ax.barh(y, np.ones(n), color="0.9", height=0.5, label="range explored")
    ax.barh(y, hi - lo, left=lo, color=palette.SIMULATED, height=0.5, label="the box")
    for yi, (_, r) in zip(y, limits.iterrows(), strict=True):
        ax.annotate(f"{r.low:.3g}", (lo[yi], yi), xytext=(-3, 0), textcoords="offset points", ha="right",
                    va="center", fontsize=8)  # fmt: skip
        ax.annotate(f"{r.high:.3g}", (hi[yi], yi), xytext=(3, 0), textcoords="offset points", ha="left",
                    va="center", fontsize=8)  # fmt: skip
    ax.set_yticks(y, [f"{name}\n[{r.prior_low:.3g}, {r.prior_high:.3g}]" for name, r in limits.iterrows()])
    ax.invert_yaxis()
    ax.set_xlim(-0.12, 1.12)
    ax.set_xlabel("position within the range explored (0 = its low end, 1 = its high end)")
    ax.legend(loc="lower right", fontsize=8, ncols=2)
    ax.grid(axis="x", alpha=0.3)
    fig.suptitle(f"PRIM box: coverage {coverage:.2f}, density {density:.2f}")
    ax.set_title(question, fontsize=9, loc="left")
    _footer(
        fig,
        "Worlds inside the box (every uncertainty inside its blue bar) are where the question's answer is mostly "
        "yes; the grey bar and the bracket under each name give the range explored (the prior's, or the "
        "posterior's interval).",
    )
    return fig
