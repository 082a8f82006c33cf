"""Ad-hoc sweeps (no study name): each scenario gets its own folder under results/adhoc/, named by the overrides
that set it, so `exodus-compare` on one folder never mixes scenarios; the same command finds its folder again."""

from __future__ import annotations

from pathlib import Path

from sim.analysis.sweep import adhoc_study, load, run_sweep

SHORT = ["events=none", "window.end=2025-10-31", "hydra/launcher=basic"]


def test_the_folder_is_named_by_the_scenario_not_by_policies_seeds_or_draws():
    base = adhoc_study(["company.headcount=200", "policy=none,retention_bonus", "seed=range(4)"])
    assert base == "adhoc/company.headcount=200"
    # more policies, seeds, replicates, lever settings or posterior draws: the same scenario, the same folder
    same = ["seed=5", "policy=counter_offers", "replicates=3", "lever.retention_bonus.stay_days=90", "posterior_draw=1"]
    assert adhoc_study(["company.headcount=200", *same]) == base
    assert adhoc_study(["policy=none", "company.headcount=200"]) == base  # order does not matter
    assert adhoc_study(["company.headcount=400", "policy=none"]) != base  # another scenario, another folder
    assert adhoc_study(["policy=none,x", "seed=0"]) == "adhoc/default"
    for named in (["study=mine"], ["+experiment=default"], ["hydra.sweep.dir=/tmp/x"]):
        assert adhoc_study([*named, "company.headcount=200"]) is None  # the command names its folder
    letters = "abcdefghijklmnopqrstuvwxyz"
    long = adhoc_study([f"free.{k}=1" for k in letters])
    assert len(long.split("/", 1)[1]) <= 96 and long != adhoc_study([f"free.{k}=2" for k in letters])


def test_two_ad_hoc_sweeps_of_different_scenarios_land_in_their_own_folders(tmp_path):
    a = run_sweep(["company.headcount=60", "policy=none", "seed=0", *SHORT], cwd=tmp_path)
    b = run_sweep(["company.headcount=80", "policy=none", "seed=0", *SHORT], cwd=tmp_path)
    assert a != b and a.parent == b.parent == (tmp_path / "results" / "adhoc").resolve()
    assert Path(a).name.startswith("company.headcount=60") and Path(b).name.startswith("company.headcount=80")
    for folder, heads in ((a, 60), (b, 80)):
        runs = load(folder).runs
        assert len(runs) == 1 and (runs.overrides.str.contains(f"company.headcount={heads}")).all()
