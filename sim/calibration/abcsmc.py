"""Calibration by approximate Bayesian computation (ABC-SMC, pyabc) of the free parameters to the observed record.

Targets and distance: the summary statistics of `sim.calibration.targets` (announcements in three 4-day
bins over 1-12 Feb 2026, late announcements, founders left on 11 Feb, headcount shortfall
below 1,000), compared by pyabc's adaptive L1 distance (Prangle 2017): each statistic is
divided by its mean absolute deviation over the last generation's simulations, so counts of
a few announcements and a headcount shortfall of tens of people weigh alike, and a statistic
that every simulation matches drops out. Priors: `sim.config.freeparams`.

Parallel and reproducible: pyabc's own parallel samplers reseed each worker from the OS, so
their results differ between runs (pyabc issues #392, #400). The default sampler here is
pyabc's MappingSampler over a local process pool, with each task seeded from
SeedSequence(seed, call, task): the same seed gives the same posterior on any number of
processes. pyabc's MulticoreEvalParallelSampler (dynamic scheduling, not reproducible), its
Dask sampler and its Redis sampler (a cluster: `abc-redis-manager` and `abc-redis-worker` on
the nodes) are options.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyabc
from pyabc.distance.scale import mean_absolute_deviation
from pyabc.sampler import MappingSampler
from scipy import special

from sim.calibration import targets
from sim.calibration.posterior import Posterior
from sim.calibration.priors import roster_priors
from sim.config import freeparams
from sim.config.params import ConfigError, RunConfig
from sim.model.version import model_fingerprint
from sim.run import parallel
from sim.run.simulate import config_hash, package_versions
from sim.run.world import run_world

SAMPLERS = ("seeded", "multicore", "dask", "redis")


@dataclass
class Settings:
    """How to run ABC-SMC. `window_end`: runs stop there (the targets end on 12 Feb 2026), to save time."""

    params: tuple[str, ...] = freeparams.NAMES
    population: int = 200
    generations: int = 8
    min_acceptance: float = 0.02
    max_simulations: int = 20000
    seed: int = 0
    procs: int = 2
    sampler: str = "seeded"
    address: str = ""
    window_end: str = targets.END.isoformat()
    kernel_scaling: float = 2.0
    max_minutes: float = 0.0  # stop starting generations after this wall time (0: no limit)
    eps_quantile: float = 0.5  # each threshold: this quantile of the last generation's distances (pyabc: median)
    prior_share: float = 0.0  # share of proposals drawn from the prior (defensive mixture; 0: pyabc's kernel alone)
    progress: bool = True

    def check(self) -> Settings:
        freeparams.lookup(self.params, "params")
        for name in ("population", "generations", "max_simulations", "procs"):
            if int(getattr(self, name)) < 1:
                raise ConfigError(name, getattr(self, name), "an integer >= 1")
        if not 0 <= self.min_acceptance < 1:
            raise ConfigError("min_acceptance", self.min_acceptance, "a rate in [0, 1)")
        if not 0 < self.eps_quantile < 1:
            raise ConfigError("eps_quantile", self.eps_quantile, "a quantile in (0, 1)")
        if not 0 <= self.prior_share < 1:
            raise ConfigError("prior_share", self.prior_share, "a share in [0, 1)")
        if self.max_minutes < 0:
            raise ConfigError("max_minutes", self.max_minutes, "minutes >= 0 (0: no limit)")
        if self.sampler not in SAMPLERS:
            raise ConfigError("sampler", self.sampler, f"one of {', '.join(SAMPLERS)}")
        return self


@dataclass
class Calibration:
    """The result: the posterior, pyabc's generation table, and the observed statistics it was fitted to."""

    posterior: Posterior
    generations: pd.DataFrame
    observed: dict[str, float]
    distances: pd.DataFrame = field(default_factory=pd.DataFrame)
    sbc: object = None  # the SBC of the estimator that made the posterior, where it ran one (sbc.SBCResult)


class Simulator:
    """pyabc's model: free-parameter values in, summary statistics out; the run's seed comes from numpy's global
    generator, which pyabc's samplers (and the seeded sampler below) set per worker or task."""

    def __init__(self, base: RunConfig, names: tuple[str, ...], headcount_floor: int, spec: targets.Spec | None = None,
                 priors: dict | None = None):  # fmt: skip
        self.base, self.names, self.floor = base, tuple(names), int(headcount_floor)
        self.priors = priors or None  # a roster's recorded priors (sim/calibration/priors.py); None: the registry's
        if spec is None:
            spec = targets.shipped_spec(dt.date.fromisoformat(base.window.start)).with_floor(self.floor)
        self.spec = spec

    def run(self, theta, seed: int):
        """One simulation at `theta` (a mapping of free-parameter values) with `seed`: the Result."""
        return run_world(self.base, {n: float(theta[n]) for n in self.names}, seed=seed, priors=self.priors)

    def __call__(self, z) -> dict[str, float]:
        """pyabc's call: `z` holds each parameter on the unbounded scale (see `from_z`)."""
        seed = int(np.random.randint(0, 2**31 - 1))  # noqa: NPY002 - pyabc seeds the global generator per task
        res = self.run(from_z({n: z[n] for n in self.names}, self.priors), seed)
        return self.spec.simulated(res.daily, res.departures)


def from_z(z: dict[str, float], priors: dict | None = None) -> dict[str, float]:
    """Parameter values from their unbounded form z = logit(F(value)), F the prior's CDF (the registry's, or a
    roster's recorded prior in `priors`: sim.config.freeparams.recorded).

    ABC works on z, whose prior is the standard logistic: the Gaussian proposals of pyabc's
    transition then never fall outside a prior's support, so a particle near a bound does not
    get an outsized importance weight (on the bounded scale, one particle of a 9-parameter run
    carried 68 % of the weight)."""
    known = freeparams.recorded(priors) if priors else freeparams.BY_NAME
    out = {}
    for name, v in z.items():
        u = float(np.clip(special.expit(v), 1e-12, 1 - 1e-12))
        out[name] = float(known[name].from_unit(u))
    return out


class DefensiveTransition(pyabc.MultivariateNormalTransition):
    """pyabc's Gaussian kernel proposal mixed with the prior (defensive importance sampling, Hesterberg 1995).

    A share `prior_share` of the proposals come from the prior (standard logistic on the z scale), so the
    proposal density is at least that share of the prior's and no particle's importance weight (prior /
    proposal) exceeds 1 / prior_share: one particle in a proposal's thin tail can no longer carry the
    population, which is how the effective sample size collapsed (13 of 200). With prior_share 0 it is pyabc's
    MultivariateNormalTransition, draw for draw."""

    def __init__(self, scaling: float = 1.0, prior_share: float = 0.0):
        super().__init__(scaling=scaling)
        self.prior_share = float(prior_share)

    def rvs_single(self):
        if self.prior_share > 0 and np.random.random() < self.prior_share:  # noqa: NPY002 - pyabc's generator
            return pyabc.Parameter(dict(zip(self.X.columns, np.random.logistic(size=len(self.X.columns)), strict=True)))  # noqa: NPY002
        return super().rvs_single()

    def pdf(self, x):
        kde = super().pdf(x)
        if self.prior_share <= 0:
            return kde
        if isinstance(x, pyabc.Parameter | pd.Series):
            arr = np.array([x[key] for key in self.X.columns], dtype=float)
        else:
            arr = x[self.X.columns].to_numpy(float)
        prior_pdf = np.exp(np.sum(-arr - 2 * np.log1p(np.exp(-arr)), axis=-1))  # standard logistic, per dimension
        out = (1 - self.prior_share) * kde + self.prior_share * prior_pdf
        return float(out) if np.ndim(out) == 0 else out


class SeededMappingSampler(MappingSampler):
    """pyabc's MappingSampler with each task seeded from SeedSequence(seed, call, task), not from the OS.

    Each task samples until it has one accepted particle; tasks are mapped in order over a
    process pool (or in this process), so the populations depend on the seed only. If the
    generation took more than pyabc's `max_eval` simulations (its acceptance rate fell below
    `min_acceptance_rate`), the sample is marked not ok and pyabc stops, as that setting means;
    a task gives up after `max_eval` simulations, so a generation stays bounded.
    """

    def __init__(self, seed: int, procs: int = 1, progress: bool = True):
        super().__init__(map_=map)
        self.root_seed, self.procs, self.progress = int(seed), int(procs), progress
        self.calls = 0
        self._pool = None

    def map_function(self, simulate_one, task):
        simulate_one = self.unpickle(simulate_one)
        task_seed, cap = task
        np.random.seed(task_seed)  # noqa: NPY002 - pyabc's proposals use numpy's global generator
        random.seed(task_seed)
        n = 0
        sample = self._create_empty_sample()
        while cap is None or n < cap:
            new_sim = simulate_one()
            n += 1
            sample.append(new_sim)
            if new_sim.accepted:
                break
        return sample, n

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None):
        self.calls += 1
        seq = np.random.SeedSequence([self.root_seed, self.calls])
        seeds = [int(s.generate_state(1)[0]) for s in seq.spawn(n)]
        cap = int(max_eval) if np.isfinite(max_eval) else None
        fn = functools.partial(self.map_function, self.pickle(simulate_one))
        tasks = [(s, cap) for s in seeds]
        if self.procs > 1 and self._pool is None:
            self._pool = parallel.pool(self.procs)  # kept open across generations
        label = "ABC calibration sample" if t < 0 else f"ABC generation {t}"
        states = np.random.get_state(), random.getstate()  # noqa: NPY002 - tasks in this process reseed them
        results = parallel.fan_out(fn, tasks, desc=label, unit="particle", progress=self.progress, workers=self._pool)
        np.random.set_state(states[0])  # noqa: NPY002 - so the main process's draws do not depend on `procs`
        random.setstate(states[1])
        self.nr_evaluations_ = sum(r[1] for r in results)
        sample = self._create_empty_sample()
        for r in results:
            sample += r[0]
        if sample.n_accepted < n or self.nr_evaluations_ > max_eval:
            sample.ok = False
        return sample

    def close(self) -> None:
        """Stop the workers (after a finished run they are idle; after an error they must not run on)."""
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None


def prior(names) -> pyabc.Distribution:
    """pyabc prior of the named free parameters on the unbounded scale z (`from_z`): standard logistic, which is
    exactly the uniform or log-uniform prior of `sim.config.freeparams` mapped through logit(F(value))."""
    return pyabc.Distribution(**{p.name: pyabc.RV("logistic", 0, 1) for p in freeparams.lookup(names, "params")})


def make_sampler(s: Settings):
    """The pyabc sampler the settings name."""
    if s.sampler == "seeded":
        return SeededMappingSampler(s.seed, s.procs, s.progress)
    if s.sampler == "multicore":
        sampler = pyabc.sampler.MulticoreEvalParallelSampler(n_procs=s.procs)
    elif s.sampler == "dask":
        from distributed import Client, LocalCluster

        client = Client(s.address) if s.address else Client(LocalCluster(n_workers=s.procs, threads_per_worker=1))
        sampler = pyabc.sampler.DaskDistributedSampler(dask_client=client)
    else:
        host, _, port = (s.address or "localhost:6379").partition(":")
        sampler = pyabc.sampler.RedisEvalParallelSampler(host=host, port=int(port or 6379))
    sampler.show_progress = s.progress
    return sampler


def calibration_base(run: RunConfig, window_end: str) -> RunConfig:
    """The run config ABC simulates: `run` stopped at `window_end`, without posterior or free settings; shocks dated
    after `window_end` cannot act before it and are left out (a backtest's runs stop at its cutoff)."""
    base = dataclasses.replace(run, posterior_file="", posterior_draw=-1, free={})
    base.window = dataclasses.replace(run.window, end=window_end)
    base.shocks = [s for s in run.shocks if s.date <= window_end]
    return base


@dataclass(frozen=True)
class FitTargets:
    """What a calibration fits: the runs' config (`base`, stopping on `window_end`), the statistics (`spec`, with
    the observed ones) and the headcount floor of the shortfall statistic (-1: none)."""

    base: RunConfig
    spec: targets.Spec
    floor: int
    window_end: str


def fit_targets(run: RunConfig, window_end: str, record=None, headcount_floor: int | None = None) -> FitTargets:
    """The targets of the shipped record (to `window_end`), or of `record` (a user's, to its last day)."""
    if record is not None:
        window_end = record.end.isoformat()
        base = calibration_base(run, window_end)
        return FitTargets(base, targets.spec(record, dt.date.fromisoformat(base.window.start)), -1, window_end)
    base = calibration_base(run, window_end)
    floor = targets.observed_headcount_floor() if headcount_floor is None else int(headcount_floor)
    spec = targets.shipped_spec(dt.date.fromisoformat(base.window.start)).with_floor(floor)
    return FitTargets(base, spec, floor, window_end)


def synthetic_stats(run: RunConfig, values: dict[str, float], seed: int, headcount_floor: int, window_end: str) -> dict:
    """Summary statistics of one run at known free-parameter values: 'observed' data for a recovery check."""
    sim = Simulator(calibration_base(run, window_end), tuple(values), headcount_floor)
    res = sim.run(values, seed)
    return sim.spec.simulated(res.daily, res.departures)


def run_abc(
    run: RunConfig,
    settings: Settings,
    observed: dict[str, float] | None = None,
    db_dir: Path | None = None,
    headcount_floor: int | None = None,
    record=None,
) -> Calibration:
    """ABC-SMC of `settings.params` for the scenario `run`, fitted to `observed` (default: the shipped record;
    `headcount_floor` defaults to its reported headcount bound). With `record` (sim.data.record.Record), the targets
    are that record's statistics and runs stop on its last day. A run with a roster draws base_annual from the
    roster's survival fit to that day (sim/calibration/priors.py), recorded with its source in the posterior's meta.
    numpy's and Python's global generators are seeded for pyabc and restored afterwards."""
    s = settings.check()
    names = tuple(s.params)
    fit = fit_targets(run, s.window_end, record, headcount_floor)
    s = dataclasses.replace(s, window_end=fit.window_end)
    base, spec, floor = fit.base, fit.spec, fit.floor
    obs = spec.observed if observed is None else dict(observed)
    own = {n: e for n, e in roster_priors(run, s.window_end).items() if n in names}  # {}: the registry's priors
    sim = Simulator(base, names, floor, spec, own)
    distance = pyabc.AdaptivePNormDistance(p=1, scale_function=mean_absolute_deviation)
    sampler = make_sampler(s)
    np_state, py_state = np.random.get_state(), random.getstate()  # noqa: NPY002
    np.random.seed(s.seed)  # noqa: NPY002 - pyabc draws from numpy's global generator in the main process
    random.seed(s.seed)
    started = time.perf_counter()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Path(db_dir or tmp) / "abc.db"
            db.unlink(missing_ok=True)
            # kernels twice Silverman's width: with 9 weakly identified parameters and 200 particles, the default
            # width leaves a lumpy proposal and a few particles carry most of the weight (ESS 8 of 200 in 5
            # generations); wider kernels cost some acceptance and keep the weights even
            transition = DefensiveTransition(scaling=s.kernel_scaling, prior_share=s.prior_share)
            # a higher quantile lowers the threshold more slowly: each proposal stays closer to its target, so the
            # importance weights stay even (a higher ESS) at the cost of more generations
            eps = pyabc.QuantileEpsilon(alpha=s.eps_quantile)
            abc = pyabc.ABCSMC(
                sim, prior(names), distance, population_size=s.population, transitions=transition, sampler=sampler,
                eps=eps,
            )  # fmt: skip
            abc.new(f"sqlite:///{db}", obs)
            history = abc.run(
                max_nr_populations=s.generations,
                min_acceptance_rate=s.min_acceptance,
                max_total_nr_simulations=s.max_simulations,
                max_walltime=dt.timedelta(minutes=s.max_minutes) if s.max_minutes > 0 else None,
            )
            df, w = history.get_distribution(m=0, t=history.max_t)
            gens = history.get_all_populations()
            dist = history.get_weighted_distances(t=history.max_t)
            ess = {t: effective_sample_size(history.get_distribution(m=0, t=t)[1]) for t in range(history.max_t + 1)}
    finally:
        if isinstance(sampler, SeededMappingSampler):
            sampler.close()
        elif s.sampler == "dask":
            cluster = sampler.client.cluster
            sampler.shutdown()
            if cluster is not None and not s.address:
                cluster.close()
        np.random.set_state(np_state)  # noqa: NPY002
        random.setstate(py_state)
    seconds = time.perf_counter() - started
    z = df[list(names)].reset_index(drop=True)
    samples = pd.DataFrame([from_z(row, own) for row in z.to_dict(orient="records")], columns=list(names))
    samples["weight"] = np.asarray(w, dtype=float)
    gens = gens[["t", "epsilon", "samples", "particles"]].reset_index(drop=True)
    gens["acceptance"] = gens["particles"] / gens["samples"]
    gens["ess"] = [ess.get(int(t), float("nan")) for t in gens["t"]]
    reason = stop_reason(gens, s, seconds)
    meta = {
        "method": "ABC-SMC (pyabc) on logit(prior CDF) scale, adaptive L1 distance scaled by mean absolute deviation",
        "settings": {k: v for k, v in dataclasses.asdict(s).items() if k != "progress"},
        "observed": obs,
        "headcount_floor": floor,
        "statistics": list(obs),
        "record": record.where if record is not None else "the shipped record (sim/data)",
        "generations": gens.to_dict(orient="records"),
        "simulations": int(gens["samples"].sum()),
        "seconds": round(seconds, 1),
        "ess": round(float(effective_sample_size(samples["weight"])), 1),
        "stop_reason": reason,
        "scenario_hash": config_hash(base, 0),
        "model_fingerprint": model_fingerprint(),
        "versions": {**package_versions(), "pyabc": pyabc.__version__},
        "priors": {
            n: own.get(n) or {"low": p.low, "high": p.high, "log": p.log, "source": p.source} for n, p in _named(names)
        },  # fmt: skip
    }
    return Calibration(Posterior(samples, meta), gens, obs, dist.reset_index(drop=True))


def effective_sample_size(weights) -> float:
    """Kish's effective sample size of importance weights: (sum w)^2 / sum w^2 (n for equal weights, 1 for one)."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2)) if w.size and np.sum(w**2) > 0 else 0.0


def stop_reason(gens: pd.DataFrame, s: Settings, seconds: float) -> str:
    """Why ABC-SMC stopped, in words, from its generation table and settings (pyabc's own stopping rules: the
    generation budget, the acceptance rate, the simulation budget, the wall time) and whether the threshold was
    still falling (so that a stall is told apart from a budget)."""
    g = gens[gens.t >= 0]
    eps = list(g["epsilon"])
    drop = (eps[-2] - eps[-1]) / eps[-2] if len(eps) > 1 and eps[-2] > 0 else float("nan")
    trend = f"the threshold fell {100 * drop:.1f} % in the last generation" if np.isfinite(drop) else "one generation"
    if len(g) >= s.generations:
        why = f"the generation budget ({s.generations})"
    elif len(g) and g["acceptance"].iloc[-1] < s.min_acceptance:
        why = f"the acceptance rate {g['acceptance'].iloc[-1]:.3f} fell below {s.min_acceptance}"
    elif int(gens["samples"].sum()) >= s.max_simulations:
        why = f"the simulation budget ({s.max_simulations})"
    elif s.max_minutes and seconds >= 60 * s.max_minutes:
        why = f"the wall-time budget ({s.max_minutes} min)"
    else:
        why = "pyabc's stopping rule"
    return f"stopped on {why}; {trend}"


def _named(names):
    return [(n, freeparams.BY_NAME[n]) for n in names]


def cli_settings(args, preset: dict, **extra) -> Settings:
    """Settings from the commands' shared options (--params, --seed, --procs, --no-progress) and a preset, checked."""
    params = tuple(x.strip() for x in args.params.split(",") if x.strip())
    return Settings(
        params=params, seed=args.seed, procs=args.procs, progress=not args.no_progress, **extra, **preset
    ).check()
