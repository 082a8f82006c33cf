"""Global sensitivity analysis (SALib: Sobol or Morris) of a headline outcome to the free parameters.

The design samples each free parameter over its prior (through the inverse prior CDF of a
unit-cube design) and adds one more factor, `replication_seed`, that picks the run's seed.
So run-to-run noise is a factor like the others (what SALib's users ask for): its total Sobol index is the
share of the outcome's variance that is replication noise, and the parameters' indices are
not inflated by it, because a row that changes only a parameter keeps its base row's seed
(common random numbers). Outputs stay in the design's row order, as SALib requires.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from SALib.analyze import morris as morris_analyze  # noqa: E402
from SALib.analyze import sobol as sobol_analyze  # noqa: E402
from SALib.sample import morris as morris_sample  # noqa: E402
from SALib.sample import sobol as sobol_sample  # noqa: E402

from sim.config import freeparams
from sim.config.params import ConfigError, RunConfig  # noqa: E402
from sim.run.files import csv_bytes, json_bytes, write_atomic  # noqa: E402
from sim.run.parallel import fan_out  # noqa: E402
from sim.run.world import run_world  # noqa: E402

SEED_FACTOR = "replication_seed"
OUTCOMES = ("departures", "departures_voluntary", "departures_poached", "announced", "founders_remaining")
MORRIS_LEVELS = 4


@dataclass
class Sensitivity:
    """The design (unit cube, one row per run, in SALib's order), the outcome of each row, and the indices."""

    method: str
    outcome: str
    names: list[str]
    design: pd.DataFrame
    outputs: np.ndarray
    indices: pd.DataFrame
    settings: dict


def problem(names) -> dict:
    factors = [*names, SEED_FACTOR]
    return {"num_vars": len(factors), "names": factors, "bounds": [[0.0, 1.0]] * len(factors)}


def design(names, method: str, n: int, seed: int) -> np.ndarray:
    """The unit-cube design SALib makes for the parameters plus the seed factor."""
    if method == "sobol":
        if n < 2 or n & (n - 1):
            raise ConfigError("n", n, "a power of 2 >= 2 for a Sobol design")
        return sobol_sample.sample(problem(names), n, calc_second_order=False, seed=seed)
    if method == "morris":
        if n < 2:
            raise ConfigError("n", n, "an integer >= 2 (trajectories)")
        return morris_sample.sample(problem(names), n, num_levels=MORRIS_LEVELS, seed=seed)
    raise ConfigError("method", method, "one of sobol, morris")


def row_seeds(units: np.ndarray, method: str, seed: int) -> np.ndarray:
    """The run seed of each row from its seed-factor value. Sobol: the value itself (distinct per base row).
    Morris: the value (a grid level) and the trajectory, so trajectories are independent replications."""
    u = units[:, -1]
    group = np.zeros(len(u), dtype=np.int64) if method == "sobol" else np.arange(len(u)) // (units.shape[1] + 1)
    keys = np.round(u * 2**31).astype(np.int64)
    return np.array(
        [
            int(np.random.SeedSequence([seed, int(g), int(k)]).generate_state(1)[0])
            for g, k in zip(group, keys, strict=True)
        ]
    )


def _run(args) -> float:
    run, values, seed, outcome = args
    return float(run_world(run, values, seed=seed, where="sensitivity").summary[outcome])


def analyse(
    run: RunConfig,
    names,
    method: str = "sobol",
    n: int = 64,
    outcome: str = "departures",
    seed: int = 0,
    procs: int = 1,
    progress: bool = True,
) -> Sensitivity:
    """Run the design on the scenario `run` (over its whole window) and compute the indices."""
    params = freeparams.lookup(names, "params")
    if outcome not in OUTCOMES:
        raise ConfigError("outcome", outcome, f"one of {', '.join(OUTCOMES)}")
    base = dataclasses.replace(run, posterior_file="", posterior_draw=-1, free={})
    units = design(names, method, n, seed)
    values = np.column_stack([p.from_unit(units[:, j]) for j, p in enumerate(params)])
    seeds = row_seeds(units, method, seed)
    tasks = [
        (base, dict(zip(names, map(float, row), strict=True)), int(s), outcome)
        for row, s in zip(values, seeds, strict=True)
    ]
    y = np.array(fan_out(_run, tasks, procs, desc=f"{method} design", progress=progress, chunksize=4))
    prob = problem(names)
    if method == "sobol":
        si = sobol_analyze.analyze(prob, y, calc_second_order=False, seed=seed)
        idx = pd.DataFrame(
            {
                "factor": prob["names"],
                "S1": si["S1"],
                "S1_conf": si["S1_conf"],
                "ST": si["ST"],
                "ST_conf": si["ST_conf"],
            }
        )
    else:
        si = morris_analyze.analyze(prob, units, y, num_levels=MORRIS_LEVELS, seed=seed)
        idx = pd.DataFrame(
            {
                "factor": prob["names"],
                "mu_star": si["mu_star"],
                "mu_star_conf": si["mu_star_conf"],
                "sigma": si["sigma"],
                "mu": si["mu"],
            }
        )
    table = pd.DataFrame(units, columns=[f"u_{f}" for f in prob["names"]])
    for j, name in enumerate(names):
        table[name] = values[:, j]
    table["seed"] = seeds
    table[outcome] = y
    settings = {
        "method": method,
        "n": n,
        "outcome": outcome,
        "seed": seed,
        "runs": len(y),
        "window": dataclasses.asdict(base.window),
    }
    settings.update(outcome_mean=float(y.mean()), outcome_sd=float(y.std(ddof=1)))
    return Sensitivity(method, outcome, list(names), table, y, idx, settings)


def figure(res: Sensitivity, path: Path) -> Path:
    """Bar chart of the indices, replication noise in grey."""
    idx = res.indices
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(idx) + 1.5))
    y = np.arange(len(idx))
    colors = ["0.6" if f == SEED_FACTOR else "C0" for f in idx.factor]
    if res.method == "sobol":
        ax.barh(y + 0.2, idx.ST, 0.4, xerr=idx.ST_conf, color=colors, alpha=0.5, label="total index ST")
        ax.barh(y - 0.2, idx.S1, 0.4, xerr=idx.S1_conf, color=colors, label="first-order index S1")
        ax.set_xlabel(f"Sobol index: share of the variance of {res.outcome} (0-1; whiskers: 95 % bootstrap intervals)")
    else:
        ax.barh(y, idx.mu_star, 0.6, xerr=idx.mu_star_conf, color=colors, label="mu* (mean |elementary effect|)")
        step = MORRIS_LEVELS / (2 * (MORRIS_LEVELS - 1))  # SALib's Morris step, on the prior's quantile scale
        ax.set_xlabel(
            f"mu*: mean |change in {res.outcome}| per step of {step:.2f} of the prior's quantile range "
            "(whiskers: 95 % bootstrap intervals)"
        )
    labels = [f"{f} (replication noise)" if f == SEED_FACTOR else f for f in idx.factor]
    ax.set_yticks(y, labels)
    ax.invert_yaxis()
    ax.axvline(0, color="k", lw=0.5)
    ax.legend(fontsize=8, loc="lower right")
    s = res.settings
    ax.set_title(
        f"{res.method.capitalize()} sensitivity of {res.outcome} by {s['window']['end']}\n"
        f"over the priors; {s['runs']} runs, outcome mean {s['outcome_mean']:.0f}, sd {s['outcome_sd']:.1f}",
        fontsize=10,
    )
    fig.tight_layout()
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=120)
    plt.close(fig)
    tmp.replace(path)
    return path


def write(res: Sensitivity, out: Path) -> Path:
    """indices.csv, design.csv (rows in the design's order), sensitivity.json and sensitivity.png."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "indices.csv", csv_bytes(res.indices))
    write_atomic(out / "design.csv", csv_bytes(res.design))
    write_atomic(
        out / "sensitivity.json", json_bytes({**res.settings, "indices": res.indices.to_dict(orient="records")})
    )
    figure(res, out / "sensitivity.png")
    return out
