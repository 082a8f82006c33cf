"""The fast model against the per-agent reference (tests/reference.py): same seed, same departures."""

import numpy as np
import pytest

import sim
from sim.config.load import as_run_config
from sim.config.params import model_params
from sim.model.lab import AttritionModel
from sim.model.workforce import NEVER
from sim.schema import CAUSES, COL
from tests.reference import ReferenceModel

SMALL = ("company.headcount=100",)
BUSY = (  # more offers, spin-outs and announcement bursts than a small lab sees by default
    *(f"firms.{i}.offers_per_year=60" for i in range(5)),
    "spinout.founder_prob=1",
    "spinout.offers_per_day=0.3",
    "observation.burst_gain=0.3",
)
# name -> (overrides, what the run must contain so that agreement means something)
CONFIGS = {
    "default": ((*SMALL, "seed=1"), {"causes": {"voluntary", "poached", "forced"}}),
    "bundle_pay": ((*SMALL, "seed=2", "policy=bundle_pay"), {"countered": True, "levers": 3}),
    "bundle_culture": ((*SMALL, "seed=3", "policy=bundle_culture", *BUSY), {"levers": 4}),
    "busy": ((*SMALL, "seed=4", *BUSY), {"causes": set(CAUSES), "kinds": {"rival_lab", "startup", "spinout"}}),
    # the founding team and counter-offers to leavers who hold an offer
    "founders": (
        (
            *SMALL,
            "seed=6",
            "hazard.founder_contagion=40",
            "hazard.base_annual=0.3",
            "shocks.6.founder_push=4",
            "shocks.3.acceleration=1",
            "policy=counter_offers",
            "lever.counter_offers.target=all",
            "lever.counter_offers.match_prob=1",
            "destinations.rival_pull=20",
        ),
        {"levers": 1, "founders_by_choice": 2, "kept_by_counter": True, "kinds": {"rival_lab", "out", "forced"}},
    ),
}
COUNTS = [c for c in COL if not c.startswith("mean_") and c != "departures"]


def fast_departures(model: AttritionModel) -> list[tuple]:
    wf = model.workforce
    rows = []
    for s in np.flatnonzero(wf.left[: wf.n] < NEVER):
        ann = int(wf.announce_day[s]) if wf.announce_day[s] < model.days else None
        firm, shock, _, dest, kind = model.departure_notes[s]
        rows.append((int(wf.left[s]), int(s), CAUSES[wf.cause[s]], firm, shock, ann, dest, kind))
    return sorted(rows)


@pytest.mark.parametrize("name", sorted(CONFIGS))
def test_fast_model_and_reference_make_the_same_departures(name):
    overrides, needs = CONFIGS[name]
    params = model_params(as_run_config(sim.compose(list(overrides))))
    seed = int(overrides[1].split("=")[1])
    fast, ref = AttritionModel(params, seed=seed).run(), ReferenceModel(params, seed=seed).run()

    departures = fast_departures(fast)
    assert departures == ref.departures()
    for col in COUNTS:
        assert fast._daily_table[:, COL[col]].tolist() == [row[col] for row in ref.rows], col
    burnout = [row["mean_burnout"] for row in ref.rows]
    assert np.allclose(fast._daily_table[:, COL["mean_burnout"]], burnout, rtol=1e-12)
    assert [lv.cost for lv in fast.levers] == pytest.approx([lv.cost for lv in ref.levers], rel=1e-9)

    # the run exercised what this config is for (agreement on an empty run would prove little)
    assert needs.get("causes", set()) <= {row[2] for row in departures}
    assert len(fast.levers) == needs.get("levers", 0) and all(lv.cost > 0 for lv in fast.levers)
    if needs.get("countered"):
        assert fast._daily_table[:, COL["offers_countered"]].sum() > 0
    assert needs.get("kinds", set()) <= {row[7] for row in departures}
    chose = [r for r in departures if r[2] != "forced" and fast.workforce.role[r[1]] == 0]
    assert len(chose) >= needs.get("founders_by_choice", 0)
    assert fast.kept_by_counter == ref.kept_by_counter
    if needs.get("kept_by_counter"):
        assert fast.kept_by_counter > 0


def test_fast_model_and_reference_agree_at_the_default_size_with_every_mechanism_on():
    """The default lab (1,100 staff, xAI's shocks), busy rivals, spin-outs and bursts, and the pay bundle: the
    compiled passes and the per-agent reference make the same departures, daily counts, offers and costs."""
    overrides = ["seed=5", "policy=bundle_pay", *BUSY]
    params = model_params(as_run_config(sim.compose(overrides)))
    fast, ref = AttritionModel(params, seed=5).run(), ReferenceModel(params, seed=5).run()
    assert all(vars(params.mechanisms).values())
    wf = fast.workforce
    assert (wf.burst_clock[: wf.n] > wf.burst_key[: wf.n]).any()  # bursts brought announcements forward
    assert fast._daily_table[:, COL["announced_founders"]].sum() > 0
    departures = fast_departures(fast)
    assert {row[2] for row in departures} == set(CAUSES)
    assert departures == ref.departures()
    for col in COUNTS:
        assert fast._daily_table[:, COL[col]].tolist() == [row[col] for row in ref.rows], col
    assert [lv.cost for lv in fast.levers] == pytest.approx([lv.cost for lv in ref.levers], rel=1e-9)
