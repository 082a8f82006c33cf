"""The sabbatical lever (sim/levers/sabbatical.py): paid leave once eligible; burnout cut on return."""

import datetime as dt

import numpy as np
import pytest

import sim
from sim.run.simulate import build_model

BASE = ("company.headcount=400", "seed=4", "lever.sabbatical.start=2025-11-01", "lever.sabbatical.eligible_years=1")
LEVER = (*BASE, "policy=sabbatical")


def test_the_leave_changes_nothing_until_people_return_and_then_cuts_their_burnout_by_the_relief(compose):
    """Up to the day the first leave ends the runs are the same person by person; that evening the returners'
    burnout is (1 - relief) of what it is without the lever, and no one else's differs."""
    relief, weeks = 0.4, 3
    cfg = compose(*LEVER, f"lever.sabbatical.burnout_relief={relief}", f"lever.sabbatical.leave_weeks={weeks}")
    start = (dt.date(2025, 11, 1) - dt.date.fromisoformat(str(cfg.window.start))).days
    back = start + 7 * weeks
    none = build_model(compose(*BASE))
    lever = build_model(cfg)
    for _ in range(back + 1):  # days 0..back
        none.step()
        lever.step()
    wf0, wf1 = none.workforce, lever.workforce
    n = wf0.n
    assert wf1.n == n and np.array_equal(wf0.active[:n], wf1.active[:n])
    took = lever.levers[0].targets[lever.levers[0].leave == start]  # eligible at the start: back today
    assert took.size > 20
    returned = np.zeros(n, dtype=bool)
    returned[took[wf1.active[took]]] = True
    np.testing.assert_allclose(wf1.burnout[:n][returned], (1 - relief) * wf0.burnout[:n][returned], rtol=1e-12)
    assert np.array_equal(wf1.burnout[:n][~returned], wf0.burnout[:n][~returned])


def test_the_cost_is_the_pay_of_the_days_on_leave_worked_out_from_hire_dates(compose):
    """With no relief the leave changes no one's path, and its cost is, summed over people, a day's pay for each day
    of their leave (from the later of the start and their eligibility) that falls in the window while they stay."""
    weeks, years = 6, 1.5
    cfg = compose(*LEVER, "lever.sabbatical.burnout_relief=0", f"lever.sabbatical.leave_weeks={weeks}",
                  f"lever.sabbatical.eligible_years={years}")  # fmt: skip
    model = build_model(cfg).run()
    base = sim.simulate(compose(*BASE))
    run = sim.simulate(cfg)
    assert run.departures.equals(base.departures)
    wf, days = model.workforce, model.days
    start = (dt.date(2025, 11, 1) - model.start).days
    slots = model.levers[0].targets
    first = np.maximum(wf.hired[slots] + round(365 * years), start)
    last = np.minimum(np.minimum(first + 7 * weeks, wf.left[slots]), days)  # leave ends, they leave, or the window
    expected = float((wf.pay[slots] * np.clip(last - first, 0, None)).sum() / 365)
    assert expected > 0
    assert model.levers[0].cost == pytest.approx(expected, rel=1e-9)
    assert run.summary["figures"]["policy_cost_total"] == pytest.approx(expected, rel=1e-9)


def test_people_hired_later_take_theirs_when_they_qualify(compose):
    """A practice: a hire made after the start is a target, and their leave starts on their eligibility day."""
    model = build_model(compose(*LEVER, "lever.sabbatical.eligible_years=0.25", "lever.sabbatical.leave_weeks=2"))
    model.run()
    lever, wf = model.levers[0], model.workforce
    later = wf.hired[lever.targets] > (dt.date(2025, 11, 1) - model.start).days
    assert later.any()
    assert np.array_equal(lever.leave[later], wf.hired[lever.targets][later] + round(365 * 0.25))
