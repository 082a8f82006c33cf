"""Firms, spin-outs, shocks and the observation model."""

import datetime as dt

import numpy as np
import pytest

import sim
from sim.config.params import ConfigError
from sim.model.agents import Spinout
from sim.model.workforce import FIELDS
from sim.run.simulate import build_model

NO_FOUNDERS = ("company.founders=0", "company.owner_founders=0")
FIRMS_ONLY = ("mechanisms=none", "mechanisms.poaching=true", "company.headcount=800")


def _firm_overrides(field, value):
    return [f"firms.{i}.{field}={value}" for i in range(5)]


def test_firms_without_offers_poach_nobody(compose):
    res = sim.simulate(compose(*FIRMS_ONLY, *_firm_overrides("offers_per_year", 0)))
    assert (res.departures.cause != "poached").all()
    assert res.daily.offers_made.sum() == 0 and res.offers.empty


def test_poached_leavers_name_their_firm(compose):
    res = sim.simulate(compose(*FIRMS_ONLY, *_firm_overrides("offers_per_year", 400)))
    poached = res.departures[res.departures.cause == "poached"]
    assert len(poached) > 10
    assert set(poached.firm) <= {"meta", "openai", "anthropic", "google_deepmind", "startup_lab"}
    per_firm = res.offers.groupby("firm").accepted.sum()
    assert per_firm.sum() == len(poached) == res.daily.offers_accepted.sum()


def test_bigger_offers_are_accepted_more_often(compose):
    def acceptance(multiple):
        made = taken = 0
        for seed in range(3):
            res = sim.simulate(
                compose(
                    *FIRMS_ONLY,
                    *_firm_overrides("offers_per_year", 300),
                    *_firm_overrides("offer_multiple", multiple),
                    f"seed={seed}",
                )
            )
            made += res.daily.offers_made.sum()
            taken += res.daily.offers_accepted.sum()
        return taken / made

    low, high = acceptance(1.0), acceptance(8.0)
    assert high > 1.5 * low, (low, high)


def test_forced_exit_shock_removes_exactly_its_number_on_its_date(compose):
    cfg = compose(
        "mechanisms=none",
        "mechanisms.shocks=true",
        "company.headcount=700",
        "shocks=[{date: '2025-12-01', forced_exits: 37, unit: engineering, name: cut}]",
    )
    res = sim.simulate(cfg)
    forced = res.departures[res.departures.cause == "forced"]
    assert len(forced) == 37 and set(forced.date) == {dt.date(2025, 12, 1)}
    assert set(forced.unit) == {"engineering"} and set(forced.shock) == {"cut"}
    day = res.daily[res.daily.date == dt.date(2025, 12, 1)]
    assert int(day.departures_forced.iloc[0]) == 37


def test_reorganisation_can_force_out_founders(compose):
    cfg = compose(
        "mechanisms=none",
        "mechanisms.shocks=true",
        "shocks=[{date: '2026-02-10', forced_exits: 2, forced_rule: founders}]",
    )
    res = sim.simulate(cfg)
    forced = res.departures[res.departures.cause == "forced"]
    assert len(forced) == 2 and forced.founder.all()
    assert res.daily.founders_remaining.iloc[-1] <= 9 - 2


@pytest.mark.parametrize(
    "shock, field",
    [
        ("{date: '2027-01-01', forced_exits: 1}", "shocks[0].date"),
        ("{date: '2026-01-01', forced_rule: oldest}", "shocks[0].forced_rule"),
        ("{date: 'next tuesday'}", "shocks[0].date"),
        ("{date: '2026-01-01', unit: marketing}", "shocks[0].unit"),
        ("{date: '2026-01-01', mission_drop: 1.5}", "shocks[0].mission_drop"),
    ],
)
def test_bad_shocks_are_rejected(compose, shock, field):
    with pytest.raises(ConfigError) as err:
        sim.simulate(compose(f"shocks=[{shock}]"))
    assert err.value.field == field


def test_history_event_sets_starting_state_and_nothing_else(compose):
    plain = ("company.headcount=500", "events=none", "seed=3")
    tender = "shocks=[{date: '2025-06-15', liquidity: 0.5}]"
    a, b = build_model(compose(*plain)), build_model(compose(*plain, tender))
    wa, wb = a.workforce, b.workforce
    assert wa.n == wb.n and (wb.wealth[: wb.n] >= wa.wealth[: wa.n]).all() and wb.wealth.sum() > 0
    for name in FIELDS:
        if name not in ("wealth", "liquidated"):
            assert np.array_equal(getattr(wa, name), getattr(wb, name)), name
    assert np.array_equal(a.shock_excess, b.shock_excess)


def test_full_announcement_with_no_delay_sees_every_departure(compose):
    roles = ("co_founder", "research_lead", "researcher", "engineer", "product", "operations")
    cfg = compose(
        "company.headcount=600",
        "observation.burst_gain=0",
        *(f"observation.announce_prob.{r}=1" for r in roles),
        *(f"observation.delay_mean_days.{r}=0" for r in roles),
    )
    res = sim.simulate(cfg)
    assert (res.daily.announced == res.daily.departures).all()
    assert (res.departures.announced == res.departures.date).all()


def test_announcements_lag_departures(compose):
    res = sim.simulate(compose("company.headcount=800", "seed=2"))
    d = res.departures.dropna(subset=["announced"])
    assert (d.announced >= d.date).all() and (d.announced > d.date).any()
    assert res.daily.announced.sum() == len(d)


def test_spinout_recruits_come_from_the_founders_team_or_ties(compose):
    cfg = compose("company.headcount=1000", "spinout.founder_prob=1", "spinout.offers_per_day=0.3", "seed=1")
    model = build_model(cfg).run()
    spinouts = [f for f in model.firms if isinstance(f, Spinout)]
    wf = model.workforce
    recruited = 0
    for firm in spinouts:
        members = np.flatnonzero((wf.cause[: wf.n] == 2) & np.isin(np.arange(wf.n), firm.targets))
        mine = [s for s in members if model.departure_notes[s][0] == firm.name]
        recruited += len(mine)
        assert len(mine) <= model.p.spinout.group_max - 1
        for s in mine:
            assert wf.team[s] == wf.team[firm.founder] or s in wf.ties[firm.founder]
    assert recruited >= 5


def test_default_run_shows_a_february_wave(compose):
    """Not a fit (that is calibration's job): announcements in 6-12 Feb 2026 are of the observed order (11)."""
    feb, dec = [], []
    for seed in range(4):
        d = sim.simulate(compose(f"seed={seed}")).daily
        feb.append(d[(d.date >= dt.date(2026, 2, 6)) & (d.date <= dt.date(2026, 2, 12))].announced.sum())
        dec.append(d[(d.date >= dt.date(2025, 12, 1)) & (d.date <= dt.date(2025, 12, 7))].announced.sum())
    assert 3 <= np.mean(feb) <= 40 and np.mean(feb) > 3 * max(np.mean(dec), 0.5), (feb, dec)
