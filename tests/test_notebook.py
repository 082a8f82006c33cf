"""experiments/own_analysis.ipynb runs top to bottom (nbclient, a fresh kernel) and computes what it says."""

from pathlib import Path

import pandas as pd
import pytest

from sim.sweep import load

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_the_own_analysis_notebook_runs_and_its_numbers_are_the_sweeps(tmp_path):
    nbformat = pytest.importorskip("nbformat", reason="the dev extra runs the notebook")
    nbclient = pytest.importorskip("nbclient", reason="the dev extra runs the notebook")
    nb = nbformat.read(ROOT / "experiments" / "own_analysis.ipynb", as_version=4)
    nbclient.NotebookClient(
        nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    ).execute()
    root = tmp_path / "results" / "own_analysis"
    sweep = load(root)
    assert len(sweep.runs) == 8 and sweep.skipped.empty
    # the notebook's table, recomputed here from the run folders' own totals
    averted = pd.read_parquet(root / "averted_by_month.parquet")
    totals = sweep.runs.pivot(index="seed", columns="policy", values="departures")
    per_seed = averted.drop(columns="mean").sum()
    assert per_seed.to_dict() == {str(s): v for s, v in (totals["none"] - totals["sustainable_pace"]).items()}
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", []))
    assert f"averted {averted['mean'].sum():.1f} departures" in printed
    assert any("image/png" in o.get("data", {}) for c in nb.cells for o in c.get("outputs", []))
