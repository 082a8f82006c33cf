"""Calibration by regression ABC on one table of prior simulations, checked by SBC on that same table.

The free parameters are drawn from the prior (on z = logit(prior CDF)), each draw is run once to the record's
end and scored by the statistics of `sim.calibration.targets`; the posterior is the nearest share of the table
to the record, with Epanechnikov weights, moved along a local-linear regression of z on the statistics
(Beaumont, Zhang & Balding 2002; `sim.calibration.sbc.abc_posterior`). The first `sbc_records` rows of the
table are then held out as synthetic records and fitted the same way on the rest (Talts et al. 2018), so the
shipped posterior carries the coverage of the very estimator that made it.

Why it ships rather than ABC-SMC (`sim.calibration.abcsmc`): with 13-14 weakly identified parameters ABC-SMC's
importance weights stayed uneven (effective sample size 23 of 200 after 9,043 runs) and one SBC of it would take
100 fits of minutes each; this estimator's weights are even by construction and its SBC costs seconds.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim.calibration import sbc
from sim.calibration.abcsmc import Calibration, effective_sample_size, fit_targets, from_z
from sim.calibration.posterior import Posterior
from sim.config import freeparams
from sim.config.params import ConfigError, RunConfig
from sim.model.version import model_fingerprint
from sim.run.simulate import config_hash, package_versions


@dataclass
class Settings:
    """How large a table, how much of it to keep, how many of its rows to hold out for SBC."""

    params: tuple[str, ...] = freeparams.NAMES
    table: int = 4000
    accept: float = 0.075  # the nearest share of the table kept (at least 10 rows per regression coefficient)
    sbc_records: int = 100  # rows held out as synthetic records (0: no SBC)
    seed: int = 0
    procs: int = 2
    progress: bool = True
    window_end: str = "2026-02-12"

    def check(self) -> Settings:
        freeparams.lookup(self.params, "params")
        if self.table < 20 * (len(self.params) + 1):
            raise ConfigError(
                "table", self.table, f"an integer >= {20 * (len(self.params) + 1)} (20 rows a coefficient)"
            )
        if not 0 < self.accept <= 1:
            raise ConfigError("accept", self.accept, "a share in (0, 1]")
        if not 0 <= self.sbc_records <= self.table // 4:
            raise ConfigError(
                "sbc_records", self.sbc_records, f"an integer in 0..{self.table // 4} (a quarter of the table)"
            )
        if self.procs < 1:
            raise ConfigError("procs", self.procs, "an integer >= 1")
        return self


def run_regression(run: RunConfig, settings: Settings, record=None, headcount_floor: int | None = None) -> Calibration:
    """Regression ABC of `settings.params` to the shipped record (or `record`), with its SBC in the diagnostics."""
    s = settings.check()
    names = tuple(s.params)
    fit = fit_targets(run, s.window_end, record, headcount_floor)
    s = dataclasses.replace(s, window_end=fit.window_end)
    started = time.perf_counter()
    table = sbc.reference_table(run, names, s.table, s.seed, s.procs, s.window_end, s.progress, fit=fit)
    obs = fit.spec.observed
    stats = table.stats[list(obs)].to_numpy(float)
    s_obs = np.array([float(obs[k]) for k in obs])
    z, w = sbc.abc_posterior(table.z, stats, s_obs, sbc.mad_scale(stats), s.accept)
    samples = pd.DataFrame([from_z(dict(zip(names, row, strict=True))) for row in z], columns=list(names))
    samples["weight"] = w
    outside = sbc.outside_statistics(list(obs), stats, s_obs, sbc.mad_scale(stats), s.accept)
    diagnostics = {}
    if s.sbc_records:
        checked = sbc.Table(names, table.z, table.stats[list(obs)])
        res = sbc.run_sbc(checked, s.sbc_records, s.accept)
        shrink = sbc.observed_shrinkage(checked, obs, s.accept)
        method = sbc.method_text(s.accept, s.table - s.sbc_records)
        diagnostics["sbc"] = sbc.summary_dict(res, shrink, method=method, table=s.table, seconds=0.0)
        diagnostics["sbc_ranks"] = res
    seconds = time.perf_counter() - started
    if "sbc" in diagnostics:
        diagnostics["sbc"]["seconds"] = round(seconds, 1)
    meta = {
        "method": sbc.method_text(s.accept, s.table),
        "settings": {k: v for k, v in dataclasses.asdict(s).items() if k != "progress"},
        "observed": obs,
        "headcount_floor": fit.floor,
        "statistics": list(obs),
        "record": record.where if record is not None else "the shipped record (sim/data)",
        "simulations": s.table,
        "seconds": round(seconds, 1),
        "ess": round(effective_sample_size(w), 1),
        "stop_reason": f"one table of {s.table} prior simulations, the nearest {s.accept:.1%} kept (no stopping rule)",
        "outside_the_table": outside,  # statistics whose observed value no kept simulation brackets (not regressed on)
        "scenario_hash": config_hash(fit.base, 0),
        "model_fingerprint": model_fingerprint(),
        "versions": package_versions(),
        "priors": {n: {"low": p.low, "high": p.high, "log": p.log, "source": p.source} for n, p in _named(names)},
    }
    if "sbc" in diagnostics:
        meta["diagnostics"] = {"sbc": diagnostics["sbc"]}
    return Calibration(Posterior(samples, meta), pd.DataFrame(), obs, sbc=diagnostics.get("sbc_ranks"))


def _named(names):
    return [(n, freeparams.BY_NAME[n]) for n in names]
