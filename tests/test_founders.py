"""The founding team as a team: clique contagion, the early-stage push, change of control on acquisition."""

import numpy as np
import pytest

import sim
from sim.config.errors import ConfigError
from sim.model import equations as eq
from sim.model.workforce import NEVER
from sim.run.simulate import build_model

VOLUNTARY = 0
LAB = (
    "mechanisms=none",
    "mechanisms.contagion=true",
    "company.headcount=200",
    "company.founders=6",
    "company.owner_founders=0",
    "company.cross_ties=0",
    "company.founders_left=[]",
)


def _founders(model):
    return model.founder_slots[model.workforce.active[model.founder_slots]]


def _pull(days_since, tau):
    return sum(np.exp(-d / tau) for d in days_since)


def test_a_founders_exit_raises_the_remaining_founders_hazard_by_the_clique_term(compose):
    """Paired models differing only in founder_contagion: a day after one co-founder chooses to leave, the others'
    daily hazard is exp(8 L / (4 + L)) times higher, L = exp(-1/40) the exit's decayed pull (4 still there plus the
    one who left), everyone else's equal."""
    a = build_model(compose(*LAB, "hazard.founder_contagion=8", "hazard.founder_decay_days=40", "seed=1"))
    b = build_model(compose(*LAB, "hazard.founder_contagion=0", "hazard.founder_decay_days=40", "seed=1"))
    for m in (a, b):
        m.step()
        m.depart(int(m.founder_slots[0]), VOLUNTARY, destination=("out", "out"))
    left = a.day
    pull = np.exp(-(2 - left) / 40)
    assert a.founder_terms(2)[0] == pytest.approx(8 * pull / (4 + pull), rel=1e-12) and b.founder_terms(2)[0] == 0.0
    before = [m.workforce.quit_clock.copy() for m in (a, b)]
    for m in (a, b):
        m.step()
    t = a.day
    pull = np.exp(-(t - left) / 40)
    inc_a, inc_b = (m.workforce.quit_clock - x for m, x in zip((a, b), before, strict=True))
    f = _founders(a)
    assert f.size == 5 and np.array_equal(f, _founders(b))
    assert inc_a[f] / inc_b[f] == pytest.approx(np.full(f.size, np.exp(8 * pull / (4 + pull))), rel=1e-9)
    others = np.flatnonzero(a.workforce.active[: a.workforce.n] & (a.workforce.role[: a.workforce.n] != 0))
    assert np.array_equal(inc_a[others], inc_b[others])


@pytest.mark.parametrize("tau", [7.0, 60.0, 365.0])
def test_the_clique_term_is_a_hawkes_sum_of_decayed_pulls_from_every_exit(compose, tau):
    """Exits before the window (company.founders_left) and two inside it: on every later day the term is
    weight x L / (P - 1 + L), L = sum of exp(-(t - t_j) / tau) over all of them, worked out here from the dates."""
    history = "company.founders_left=[2025-08-13,2025-02-15]"  # 19 and 198 days before the window's 2025-09-01
    m = build_model(compose(*LAB, "hazard.founder_contagion=5", f"hazard.founder_decay_days={tau}", history, "seed=3"))
    exits = [-19, -198]
    assert m.founder_terms(0)[0] == pytest.approx(5 * _pull([19, 198], tau) / (5 + _pull([19, 198], tau)), rel=1e-12)
    for leaver in (0, 1):
        for _ in range(10):
            m.step()
        m.depart(int(m.founder_slots[leaver]), VOLUNTARY, destination=("out", "out"))
        exits.append(m.day)
    present = 6 - 2
    for t in range(m.day + 1, m.day + 200, 37):
        pull = _pull([t - d for d in exits], tau)
        assert m.founder_terms(t)[0] == pytest.approx(5 * pull / (present - 1 + pull), rel=1e-12)


def test_a_founder_exit_before_the_window_must_be_dated_before_it(compose):
    with pytest.raises(ConfigError, match=r"company\.founders_left\[0\].*day before window\.start"):
        build_model(compose(*LAB, "company.founders_left=[2025-09-01]"))


def test_the_early_stage_push_multiplies_remaining_founders_hazard(compose):
    reorg = "shocks=[{date: '2025-09-05', name: reorg, founder_push: %s, founder_push_days: 30}]"
    base = (*LAB, "mechanisms.shocks=true", "seed=2")
    a = build_model(compose(*base, reorg % 3.0))
    b = build_model(compose(*base, reorg % 1.0))
    ratios = []
    for _ in range(40):
        before = [m.workforce.quit_clock.copy() for m in (a, b)]
        for m in (a, b):
            m.step()
        inc_a, inc_b = (m.workforce.quit_clock - x for m, x in zip((a, b), before, strict=True))
        f = _founders(a)
        assert np.allclose(inc_a[f] / inc_b[f], inc_a[f[0]] / inc_b[f[0]], rtol=1e-12)
        ratios.append(inc_a[f[0]] / inc_b[f[0]])
        others = np.flatnonzero(a.workforce.active[: a.workforce.n] & (a.workforce.role[: a.workforce.n] != 0))
        assert np.array_equal(inc_a[others], inc_b[others])
    # the shock on day 4 makes the remaining founders' hazard x3 for 30 days (days 4-33)
    assert ratios[:4] == [1.0] * 4  # identical clocks before the shock
    assert ratios[4:34] == pytest.approx([3.0] * 30, rel=1e-9) and ratios[34:] == pytest.approx([1.0] * 6, rel=1e-9)
    assert a.founder_push[3] == 1.0 and a.founder_push[4:34].tolist() == [3.0] * 30 and a.founder_push[34] == 1.0


def _founder_exits(overrides, seeds):
    out = []
    for seed in seeds:
        d = sim.simulate(sim.compose([*overrides, f"seed={seed}"])).departures
        out.append(int(((d.role == "co_founder") & (d.cause != "forced")).sum()))
    return np.array(out)


def test_founder_contagion_and_the_push_raise_founders_exits_on_paired_seeds():
    """The xAI scenario: stronger clique contagion, or a stronger early-stage push, makes more co-founders leave
    by choice over the same seeds (common random numbers)."""
    seeds = range(4)
    base = ["company.headcount=600", "window.end=2026-05-31"]
    off = _founder_exits([*base, "hazard.founder_contagion=0", "shocks.6.founder_push=1"], seeds)
    clique = _founder_exits([*base, "hazard.founder_contagion=12", "shocks.6.founder_push=1"], seeds)
    push = _founder_exits([*base, "hazard.founder_contagion=0", "shocks.6.founder_push=4"], seeds)
    assert clique.sum() > off.sum() and push.sum() > off.sum(), (off, clique, push)
    assert (clique >= off).all() and (push >= off).all()


DEAL = (
    "shocks=[{date: '2025-10-01', name: deal, acquired: true, acceleration: %s, liquidity: 1.0,"
    " conversion: %s, ipo_date: '2025-12-01', ipo_liquidity: 0.5}]"
)
EQUITY = (
    "mechanisms=none",
    "mechanisms.shocks=true",
    "mechanisms.vesting=true",
    "mechanisms.wealth=true",
    "hazard.base_annual=0.001",
    "hazard.unvested=0",
    "hazard.wealth=0",
    "company.headcount=100",
    "company.founders=4",
    "company.owner_founders=0",
)


def _run_to(model, day):
    while model.day < day:
        model.step()
    return model


def test_change_of_control_acceleration_turns_unvested_founder_equity_into_wealth(compose):
    full = _run_to(build_model(compose(*EQUITY, DEAL % (1.0, 1.0), "seed=3")), 40)
    none = _run_to(build_model(compose(*EQUITY, DEAL % (0.0, 1.0), "seed=3")), 40)
    f = full.founder_slots
    assert (full.workforce.left[f] == NEVER).all()
    assert np.allclose(full.unvested_value(f), 0.0)
    # liquidity 1 at the deal: the accelerated founders hold their whole grant as wealth, the others what had vested
    assert full.workforce.wealth[f] == pytest.approx(full.workforce.grant[f], rel=1e-12)
    assert (none.workforce.wealth[f] < 0.7 * none.workforce.grant[f]).all()
    gain = full.workforce.wealth[f] - none.workforce.wealth[f]  # what was still to vest on the deal's day (30)
    assert gain == pytest.approx(none.workforce.grant[f] - none.vested_value(f, at_day=30), rel=1e-12)
    staff = np.flatnonzero(full.workforce.role[: full.workforce.n] != 0)  # not the target: unchanged
    assert np.array_equal(full.workforce.grant_start[staff], none.workforce.grant_start[staff])


def test_partial_acceleration_conversion_and_the_ipo(compose):
    half = build_model(compose(*EQUITY, DEAL % (0.5, 2.0), "seed=4"))
    f = half.founder_slots
    grant0 = half.workforce.grant[f].copy()
    day = 30  # 2025-10-01
    months = np.floor((day - half.workforce.grant_start[f]) / eq.DAYS_PER_MONTH)
    _run_to(half, 40)
    assert half.workforce.grant[f] == pytest.approx(2.0 * grant0)  # converted at twice the value
    left_before = 48 - months
    vested_after = np.floor((day - half.workforce.grant_start[f]) / eq.DAYS_PER_MONTH)
    assert (vested_after == months + np.round(0.5 * left_before)).all()
    wealth = half.workforce.wealth[f].copy()
    _run_to(half, 93)  # the IPO on 2025-12-01 (day 91) turns half of the vested, unsold equity into wealth
    vested = half.vested_value(f, at_day=91)
    assert half.workforce.wealth[f] - wealth == pytest.approx(0.5 * (vested - wealth), rel=1e-9)
