"""Sweeps over time and over scenarios: a rerun after a config change reruns exactly the changed runs, and
exodus-compare pairs each policy run with the baseline of the same scenario and seed, never across scenarios."""

import pandas as pd
import pytest

import sim
from sim.cli.compare import main as compare_main
from sim.run.files import csv_bytes, read_summary
from tests.cli_helpers import completed, exodus

# a small lab over three months without dated events: each run takes a few hundredths of a second
SHORT = ("company.headcount=150", "window.end=2025-11-30", "events=none")


def test_a_rerun_after_a_config_change_reruns_the_changed_runs_and_skips_the_others(tmp_path):
    """The design table is not part of the folder names (design.file is excluded from them), so editing one of
    its rows changes that run's config under the same folder: the rerun must redo it and skip the others."""
    table = tmp_path / "design.csv"
    table.write_text("hazard.contagion\n1.0\n2.0\n3.0\n")
    args = ("-m", *SHORT, f"design.file={table}", "design.row=0,1,2", "seed=0", "hydra/launcher=basic")
    first = exodus(*args, tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    folders = {read_summary(p.parent)["config"]["design"]["row"]: p.parent for p in completed(tmp_path)}
    assert sorted(folders) == [0, 1, 2]
    before = {row: (f / "daily.csv").stat().st_mtime_ns for row, f in folders.items()}
    old_hash = read_summary(folders[1])["config_hash"]

    table.write_text("hazard.contagion\n1.0\n8.0\n3.0\n")  # row 1 changed
    again = exodus(*args, tmp=tmp_path)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("skip (complete)") == 2, again.stdout
    for row in (0, 2):
        assert f"skip (complete): {folders[row]}" in again.stdout
        assert (folders[row] / "daily.csv").stat().st_mtime_ns == before[row]
    assert f"skip (complete): {folders[1]}" not in again.stdout
    assert (folders[1] / "daily.csv").stat().st_mtime_ns > before[1]
    changed = read_summary(folders[1])
    assert changed["config"]["hazard"]["contagion"] == 8.0 and changed["config_hash"] != old_hash
    # the rerun's tables are those of the changed run made directly, with no design table
    direct = sim.simulate(sim.compose([*SHORT, "hazard.contagion=8", "seed=0"]))
    for name in ("daily", "departures", "offers"):
        assert (folders[1] / f"{name}.csv").read_bytes() == csv_bytes(getattr(direct, name)), name
    assert sorted(completed(tmp_path)) == sorted(f / "COMPLETE" for f in folders.values())


def test_compare_pairs_within_each_scenario_across_several_scenarios(tmp_path, capsys):
    """Two scenarios (base quit rates 10 % and 40 % a year) x two seeds x two policies: four pairs, each a policy
    run with the baseline of its own scenario and seed; the table's mean difference is their mean by hand (--pool).
    Without --pool the folder is refused, naming the key that differs; --split compares each scenario apart."""
    res = exodus("-m", *SHORT, "policy=none,retention_bonus", "hazard.base_annual=0.1,0.4", "seed=0,1",
                 "lever.retention_bonus.start=2025-09-15", "hydra/launcher=basic", tmp=tmp_path)  # fmt: skip
    assert res.returncode == 0, res.stderr
    runs = {}
    for marker in completed(tmp_path):
        s = read_summary(marker.parent)
        key = (s["policy"], s["config"]["hazard"]["base_annual"], s["seed"])
        runs[key] = len(pd.read_csv(marker.parent / "departures.csv"))
    assert len(runs) == 8
    by_hand = {
        (c, seed): runs[("retention_bonus", c, seed)] - runs[("none", c, seed)] for c in (0.1, 0.4) for seed in (0, 1)
    }
    # the scenarios differ, so pairing across them would give other differences
    assert all(runs[("none", 0.1, seed)] < runs[("none", 0.4, seed)] for seed in (0, 1)), runs

    out = tmp_path / "compare"
    assert compare_main([str(tmp_path / "sweep"), "--out", str(out), "--no-plots", "--pool"]) in (0, None)
    pairs = pd.read_parquet(out / "pairs.parquet")
    assert len(pairs) == 4 and set(pairs.arm) == {"retention_bonus"}
    assert pairs.groupby("scenario").seed.apply(sorted).tolist() == [[0, 1], [0, 1]]
    got = {}
    for row in pairs.itertuples():
        rate = 0.1 if "hazard.base_annual=0.1," in row.run else 0.4
        assert f"seed={row.seed}" in row.run
        got[(rate, row.seed)] = row.difference
    assert got == by_hand
    table = pd.read_csv(out / "policies.csv").set_index("policy")
    assert table.loc["retention_bonus", "n_pairs"] == 4
    assert table.loc["retention_bonus", "diff"] == pytest.approx(sum(by_hand.values()) / 4)

    # without --pool: refused, naming the differing key and its values, nothing written
    refused = tmp_path / "refused"
    with pytest.raises(SystemExit) as stop:
        compare_main([str(tmp_path / "sweep"), "--out", str(refused), "--no-plots"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "hazard.base_annual: 0.1, 0.4" in err and "--split" in err, err
    assert not (refused / "policies.csv").exists()
    # --split: one comparison per scenario, each the mean of its own two pairs
    split = tmp_path / "split"
    assert compare_main([str(tmp_path / "sweep"), "--out", str(split), "--no-plots", "--split"]) == 0
    for rate in (0.1, 0.4):
        part = pd.read_csv(split / f"hazard.base_annual={rate}" / "policies.csv").set_index("policy")
        assert part.loc["retention_bonus", "n_pairs"] == 2
        assert part.loc["retention_bonus", "diff"] == pytest.approx((by_hand[(rate, 0)] + by_hand[(rate, 1)]) / 2)
