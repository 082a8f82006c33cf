"""The effective sample size every calibration prints (Kish), and its warning below a quarter of the population."""

from __future__ import annotations

import numpy as np
import pytest

from sim.calibration.ess import effective_sample_size, ess_lines


def test_equal_weights_count_every_particle_and_one_dominant_weight_counts_one():
    assert effective_sample_size(np.full(60, 0.3)) == pytest.approx(60)
    assert effective_sample_size([1, 1, 0, 0]) == pytest.approx(2)  # zero weights carry nothing
    assert effective_sample_size([1e9, 1, 1, 1]) == pytest.approx(1, rel=1e-6)
    # two groups: 4 particles of weight 3 and 4 of weight 1: (16)^2 / (4*9 + 4*1) = 256 / 40
    assert effective_sample_size([3] * 4 + [1] * 4) == pytest.approx(6.4)


def test_a_warning_below_a_quarter_of_the_population_only():
    low = ess_lines([1.0] * 4 + [0.0] * 56)  # 4 of 60, as the quick calibration once gave
    assert low[0] == "  effective sample size: 4.0 of 60 particles" and "warning" in low[1] and "(60)" in low[1]
    assert len(ess_lines([1.0] * 15 + [0.0] * 45)) == 1  # exactly a quarter: no warning
    assert len(ess_lines([1.0] * 14 + [0.0] * 46)) == 2


@pytest.mark.parametrize("bad", [[], [0, 0], [1, -1], [1, np.nan]])
def test_weights_that_say_nothing_are_refused(bad):
    with pytest.raises(ValueError, match="weights"):
        effective_sample_size(bad)
