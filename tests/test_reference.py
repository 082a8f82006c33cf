"""The fast model against the per-agent reference (benchmarks/reference.py): same seed, same departures."""

import numpy as np
import pytest

import sim
from benchmarks.reference import ReferenceModel
from sim.model import CAUSES, COL, AttritionModel
from sim.params import model_params
from sim.run import as_run_config
from sim.workforce import NEVER

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


@pytest.mark.parametrize("name", ["bundle_culture", "busy", "founders"])
def test_numba_kernel_gives_the_numpy_results(name):
    """The compiled daily loop, hiring and end of day (extra `fast`) and the numpy path give identical tables."""
    pytest.importorskip("numba")
    overrides, _ = CONFIGS[name]
    params = model_params(as_run_config(sim.compose([*overrides, "company.headcount=300"])))
    numpy_run = AttritionModel(params, seed=5, engine="numpy").run()
    numba_run = AttritionModel(params, seed=5, engine="numba").run()
    wf = numba_run.workforce
    assert (wf.burst_clock[: wf.n] > wf.burst_key[: wf.n]).any()  # bursts brought announcements forward
    assert numba_run._daily_table[:, COL["announced_founders"]].sum() > 0
    assert fast_departures(numba_run) == fast_departures(numpy_run)
    assert np.array_equal(numba_run._daily_table, numpy_run._daily_table)
    assert numba_run._offers_log == numpy_run._offers_log
    assert [lv.cost for lv in numba_run.levers] == [lv.cost for lv in numpy_run.levers]


def test_unknown_engine_is_refused_by_name():
    params = model_params(as_run_config(sim.compose(list(SMALL))))
    with pytest.raises(ValueError, match="engine='gpu'"):
        AttritionModel(params, engine="gpu")
