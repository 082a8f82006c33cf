"""The founding team as a team: clique contagion, the early-stage push, change of control on acquisition."""

import numpy as np
import pytest

import sim
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
)


def _founders(model):
    return model.founder_slots[model.workforce.active[model.founder_slots]]


def test_a_founders_exit_raises_the_remaining_founders_hazard_by_the_clique_term(compose):
    """Paired models differing only in founder_contagion: after one co-founder chooses to leave, the others' daily
    hazard is exp(weight * 1/5) times higher (5 = the 4 still there plus the one who left), everyone else's equal."""
    a = build_model(compose(*LAB, "hazard.founder_contagion=8", "seed=1"))
    b = build_model(compose(*LAB, "hazard.founder_contagion=0", "seed=1"))
    for m in (a, b):
        m.step()
        m.depart(int(m.founder_slots[0]), VOLUNTARY, destination=("out", "out"))
    assert a.founder_terms(1)[0] == pytest.approx(8 * 1 / 5) and b.founder_terms(1)[0] == 0.0
    before = [m.workforce.quit_clock.copy() for m in (a, b)]
    for m in (a, b):
        m.step()
    inc_a, inc_b = (m.workforce.quit_clock - x for m, x in zip((a, b), before, strict=True))
    f = _founders(a)
    assert f.size == 5 and np.array_equal(f, _founders(b))
    assert inc_a[f] / inc_b[f] == pytest.approx(np.full(f.size, np.exp(8 / 5)), rel=1e-9)
    others = np.flatnonzero(a.workforce.active[: a.workforce.n] & (a.workforce.role[: a.workforce.n] != 0))
    assert np.array_equal(inc_a[others], inc_b[others])


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
