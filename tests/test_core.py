"""The core model: reproducibility, analytic survival, the vesting cliff, contagion, Mesa idioms."""

import datetime as dt
import subprocess
import sys

import numpy as np
import pytest
from mesa import DataCollector

import sim
from sim.config.params import ConfigError
from sim.model import equations as eq
from sim.model.workforce import NEVER
from sim.run.files import write_run
from sim.run.simulate import build_model

NO_FOUNDERS = ("company.founders=0", "company.owner_founders=0", "company.founders_left=[]")


def test_same_config_and_seed_give_identical_bytes(compose, tmp_path):
    cfg = compose("seed=11", "company.headcount=400")
    for name in ("a", "b"):
        write_run(sim.simulate(cfg), tmp_path / name)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert {"daily.csv", "departures.csv", "offers.csv", "summary.json", "COMPLETE"} <= set(files)
    for f in files:
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f


def test_different_seeds_differ(compose):
    a = sim.simulate(compose("seed=1", "company.headcount=400"))
    b = sim.simulate(compose("seed=2", "company.headcount=400"))
    assert not a.departures[["date", "person"]].equals(b.departures[["date", "person"]])


@pytest.mark.parametrize("rate", [0.13, 0.4])
def test_constant_hazard_gives_exponential_survival(compose, rate):
    """With only the base hazard, the starting staff's survival is exp(-h t), h = -ln(1-rate)/365."""
    n = 6000
    cfg = compose("mechanisms=none", f"company.headcount={n}", *NO_FOUNDERS, f"hazard.base_annual={rate}")
    res = sim.simulate(cfg)
    h = float(eq.annual_to_daily(rate))
    gone_by = res.daily.departures.cumsum().to_numpy()
    for day in (30, 120, 240, len(gone_by) - 1):
        expected = np.exp(-h * (day + 1))
        observed = 1 - gone_by[day] / n
        se = np.sqrt(expected * (1 - expected) / n)
        assert abs(observed - expected) < 4 * se, (day, observed, expected)
    assert (res.departures.cause == "voluntary").all()
    assert res.daily.hires.sum() == 0


def test_vesting_cliff_raises_quits_just_after_it(compose):
    """Hazard in the bump window after each person's cliff is about `vesting.bump` times the hazard outside it."""
    cfg = compose(
        "mechanisms=none",
        "mechanisms.vesting=true",
        "hazard.unvested=0",
        "hazard.base_annual=0.3",
        "company.headcount=8000",
        *NO_FOUNDERS,
        "company.founded=2024-09-01",
        "vesting.bump=2.5",
    )
    model = build_model(cfg).run()
    wf, n = model.workforce, model.workforce.n
    cliff = wf.milestones[:n, 0].astype(np.int64)
    left = np.minimum(wf.left[:n], model.days).astype(np.int64)  # exposure ends at the departure or window end
    bump_days = model.p.vesting.bump_days
    lo = np.clip(cliff, 0, left)
    hi = np.clip(cliff + bump_days, 0, left)
    exposure_in = (hi - lo).sum()
    exposure_out = left.sum() - exposure_in
    quit = wf.left[:n] < NEVER
    in_bump = quit & (wf.left[:n] >= cliff) & (wf.left[:n] < cliff + bump_days)
    ratio = (in_bump.sum() / exposure_in) / ((quit & ~in_bump).sum() / exposure_out)
    assert 2.0 < ratio < 3.1, ratio


def _team_followers(res, window=30):
    """Share of voluntary leavers followed within `window` days by a teammate's voluntary departure."""
    d = res.departures[res.departures.cause == "voluntary"]
    days = np.array([(x - d.date.iloc[0]).days for x in d.date])
    team = d.team.to_numpy()
    followed = [((team == team[i]) & (days > days[i]) & (days <= days[i] + window)).any() for i in range(len(d))]
    return float(np.mean(followed))


def test_contagion_clusters_departures_in_teams(compose):
    common = (
        "mechanisms=none",
        "company.headcount=3000",
        *NO_FOUNDERS,
        "hazard.base_annual=0.15",
        "company.cross_ties=0",
        "hazard.contagion=25",
    )
    off = [_team_followers(sim.simulate(compose(*common, f"seed={s}"))) for s in range(3)]
    on = [_team_followers(sim.simulate(compose(*common, "mechanisms.contagion=true", f"seed={s}"))) for s in range(3)]
    assert min(on) > max(off), (on, off)


def test_backfill_hiring_refills_vacancies(compose):
    res = sim.simulate(
        compose("mechanisms=none", "mechanisms.hiring=true", "company.headcount=1000", "hazard.base_annual=0.3")
    )
    assert res.daily.hires.sum() > 0.7 * len(res.departures)
    assert res.daily.headcount.iloc[-1] > 950


def test_vacancies_fill_after_geometric_delays(compose):
    """Each vacancy is filled on a given day with probability q = 1/hire_fill_days, from the day it opens:
    fill delays are geometric on {0, 1, ...}, with mean (1 - q) / q and P(delay <= k) = 1 - (1 - q)^(k+1)."""
    q, cut, delays = 1 / 20, dt.date(2025, 10, 1), []
    for seed in range(3):
        res = sim.simulate(
            compose(
                "mechanisms=none",
                "mechanisms.shocks=true",
                "mechanisms.hiring=true",
                "hazard.base_annual=1e-9",  # no other departure: 300 vacancies open on one day
                *NO_FOUNDERS,
                "company.headcount=1000",
                "company.hire_fill_days=20",
                f"seed={seed}",
                "shocks=[{date: '2025-10-01', forced_exits: 300, name: cut, backfill: true}]",
            )
        )
        assert len(res.departures) == 300 and res.daily.hires.sum() == 300
        day = (res.daily.date - cut).map(lambda d: d.days).to_numpy()
        delays += np.repeat(day, res.daily.hires.to_numpy()).tolist()
    delays = np.array(delays)
    assert delays.min() >= 0
    sd_mean = np.sqrt(1 - q) / q / np.sqrt(delays.size)
    assert abs(delays.mean() - (1 - q) / q) < 4 * sd_mean
    for k in (0, 9, 29):
        p = 1 - (1 - q) ** (k + 1)
        assert abs((delays <= k).mean() - p) < 4 * np.sqrt(p * (1 - p) / delays.size), k


def test_submodules_are_reachable_from_the_package_in_a_fresh_interpreter():
    """`sim` imports its model lazily; `import sim; sim.model` still works (and a wrong name says so)."""
    code = "import sim; assert sim.model.AttritionModel is sim.AttritionModel; sim.no_such_thing"
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert res.returncode == 1 and "AttributeError: module 'sim' has no attribute 'no_such_thing'" in res.stderr


def test_employees_are_mesa_agents(compose):
    model = build_model(compose("company.headcount=300", "seed=4"))
    assert len(model.agents_by_type[sim.model.agents.Employee]) == 300
    employee = sim.model.agents.Employee
    collector = DataCollector(agenttype_reporters={employee: {"burnout": "burnout", "role": "role"}})
    collector.collect(model)
    frame = collector.get_agenttype_vars_dataframe(employee)
    assert len(frame) >= 300 and frame.burnout.between(0, 1).all()
    for _ in range(60):
        model.step()
    gone = [s for s in range(model.workforce.n) if not model.workforce.active[s]]
    alive_ids = {a.slot for a in model.agents if isinstance(a, sim.model.agents.Employee)}
    assert gone and not alive_ids & set(gone)
    some = next(a for a in model.agents if isinstance(a, sim.model.agents.Employee))
    assert some.burnout == model.workforce.burnout[some.slot]
    assert some.role in sim.config.params.ROLES and some.tenure_days >= 0


def test_daily_and_departure_tables_agree(compose):
    res = sim.simulate(compose("seed=5", "company.headcount=600"))
    d = res.daily
    assert list(d.columns[:2]) == ["date", "seed"]
    assert d.departures.sum() == len(res.departures)
    for cause in ("voluntary", "poached", "spinout", "forced"):
        assert d[f"departures_{cause}"].sum() == (res.departures.cause == cause).sum()
    hc = d.headcount.to_numpy()
    assert (np.diff(hc) == (d.hires - d.departures).to_numpy()[1:]).all()
    s = res.summary
    assert s["seed"] == 5 and s["config"]["company"]["headcount"] == 600 and "mesa" in s["versions"]


@pytest.mark.parametrize(
    "override, field",
    [
        ("company.headcount=0", "company.headcount"),
        ("window.end=2025-01-01", "window.end"),
        ("hazard.base_annual=1.5", "hazard.base_annual"),
        ("vesting.cliff_months=60", "vesting.cliff_months"),
        ("company.team_size=0", "company.team_size"),
        ("observation.burst_gain=-1", "observation.burst_gain"),
        ("+company.role_mix.intern=0.1", "company.role_mix.intern"),
        ("dynamics.burnout_rise=2", "dynamics.burnout_rise"),
        ("company.hire_fill_days=0.5", "company.hire_fill_days"),  # a daily fill probability above 1
    ],
)
def test_invalid_values_are_rejected_naming_the_field(compose, override, field):
    with pytest.raises(ConfigError) as err:
        sim.simulate(compose(override))
    assert err.value.field == field and field in str(err.value)


def test_model_params_defaults_are_the_conf_defaults():
    """`ModelParams()` is the lab `exodus` runs with no overrides (conf/ is the one source of defaults)."""
    from sim.config.compose import check
    from sim.config.params import as_plain, model_params

    assert as_plain(sim.ModelParams()) == as_plain(model_params(check(sim.compose([]))))


def test_summary_records_levers_as_plain_json():
    """Lever settings in summary.json are JSON objects, not Python reprs of config objects."""
    import json

    overrides = ["company.headcount=100", "window.end=2025-11-10", "events=none", "policy=bundle_pay"]
    res = sim.simulate(sim.compose(overrides))
    levers = json.loads(json.dumps(res.summary["config"]))["lever"]
    assert isinstance(levers["counter_offers"], dict) and levers["counter_offers"]["kind"] == "counter_offers"
    assert all(isinstance(lev, str | dict) for lev in res.summary["config"]["policy"]["levers"])  # names or settings
