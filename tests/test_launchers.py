"""Sweeps through Hydra launchers: local parallel (joblib) and the cluster engine's local mode (submitit)."""

import importlib.util

import pytest

from tests.cli_helpers import completed, exodus, tables

SWEEP = ("-m", "company.headcount=150", "seed=0,1", "policy=none,counter_offers")


@pytest.mark.skipif(
    importlib.util.find_spec("hydra_plugins.hydra_submitit_launcher") is None,
    reason="hydra-submitit-launcher not installed (pip install -e '.[cluster]')",
)
@pytest.mark.slow
def test_submitit_local_sweep_gives_the_same_tables_as_joblib(tmp_path):
    sub, job = tmp_path / "submitit", tmp_path / "joblib"
    sub.mkdir(), job.mkdir()
    res = exodus(*SWEEP, "hydra/launcher=submitit_local", "hydra.launcher.timeout_min=5", tmp=sub)
    assert res.returncode == 0, res.stderr
    assert exodus(*SWEEP, "hydra/launcher=joblib", tmp=job).returncode == 0
    assert len(completed(sub)) == 4
    assert tables(sub / "sweep") == tables(job / "sweep")
