"""The effective sample size of a weighted posterior, and the line every calibration prints about it.

Kish's effective sample size, (sum w)^2 / sum w^2: the number of equally weighted particles that would carry as
much information. Below a quarter of the population a few particles carry most of the weight, so medians and
intervals are rough; the calibrating commands say so rather than print the numbers plainly."""

from __future__ import annotations

import numpy as np

LOW_SHARE = 0.25  # below this share of the population the posterior is flagged


def effective_sample_size(weights) -> float:
    """Kish's effective sample size of these (not necessarily normalised, non-negative) weights."""
    w = np.asarray(weights, dtype=float)
    if w.size == 0 or not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
        raise ValueError("weights must be finite, non-negative and not all zero")
    return float(w.sum() ** 2 / (w**2).sum())


def ess_lines(weights, population: int | None = None) -> list[str]:
    """What a calibration prints: the effective sample size of `population` particles (default: as many as
    weights), and a warning when it is below a quarter of it."""
    n = int(population or len(weights))
    ess = effective_sample_size(weights)
    lines = [f"  effective sample size: {ess:.1f} of {n} particles"]
    if ess < LOW_SHARE * n:
        lines.append(
            f"  warning: the effective sample size ({ess:.1f}) is below a quarter of the population ({n}): a few "
            "particles carry most of the weight, so the medians and intervals are rough (a larger --population or "
            "more --generations may help)"
        )
    return lines
