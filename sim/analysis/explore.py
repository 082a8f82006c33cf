"""Exploratory analysis with EMA Workbench (the `explore` extra): the model as an EMA model, experiments over
uncertain worlds x policies, scenario discovery (PRIM and CART) and a robustness ranking.

Uncertainties: the free parameters that decide who leaves (sim/config/freeparams.py; the three observation
parameters change only what is announced, so they are left out), each over its prior (or the posterior's central
interval), and every lever's effect size over its prior (sim/config/leverpriors.py); `seed` is an uncertainty too
(replication noise), kept out of scenario discovery. The money settings (bonus and refresh grant in years of pay,
counter-offer cap: sim.analysis.worlds.SETTINGS) are sampled like the lever effects, over their ranges, the same for
every policy in a world, so scenario discovery can name them too. Levers: the policy (a categorical,
`retention_policy`), one EMA policy per named policy.
Outcomes: departures, co-founders remaining, policy cost and attrition cost per world; net value against `none` in
the same world is derived after the runs (every policy runs every world: common random numbers).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from sim.analysis import worlds
from sim.analysis.robustness import robustness_table
from sim.calibration import posterior
from sim.config import freeparams, leverpriors
from sim.config.defaults import shipped_policies

OBSERVATION_ONLY = ("announce_scale", "burst_gain", "delay_scale")  # change what is seen, not who leaves
SEED_MAX = 2**31 - 1
QP_ALPHA = 0.05  # a box's restriction is kept only if one of its quasi-p-values is at most this
MIN_CASES = 5  # scenario discovery needs this many cases of interest (and of the rest) to describe them


@dataclass
class ExploreSettings:
    scenarios: int = 100
    processes: int = 2
    seed: int = 0  # of EMA's Latin hypercube over the uncertainties
    ranges: str = "prior"  # free parameters over their prior's support, or `posterior`: its central interval
    level: float = 0.9  # the central posterior interval, with ranges="posterior"
    goal: float = 20.0  # departures the best policy must avert (question 1)
    prim_dims: int = 4  # PRIM looks at the uncertainties with the highest extra-trees feature scores only
    density: float = 0.8  # PRIM: the box on the peeling trajectory with the most coverage at this density or more
    overrides: tuple[str, ...] = ()
    valuation: str = ""
    policies: tuple[str, ...] = field(default_factory=shipped_policies)  # conf/policy/, read when made
    evaluator: str = "multiprocessing"  # or "sequential"
    notes: dict = field(default_factory=dict)


def exodus_model(
    retention_policy: str = "none", seed: int = 0, overrides: tuple = (), valuation: str = "", **uncertain
) -> dict[str, float]:
    """The EMA model's function: one world (free parameters and lever effects by name, a seed) under one policy."""
    free = {k: v for k, v in uncertain.items() if k in freeparams.BY_NAME}
    levers = {k: v for k, v in uncertain.items() if k in worlds.FIELD_PRIORS or k in worlds.SETTINGS}
    unknown = set(uncertain) - set(free) - set(levers)
    if unknown:
        raise ValueError(f"unknown uncertainties: {', '.join(sorted(unknown))}")
    run = worlds.world_config(retention_policy, int(seed), free, levers, tuple(overrides))
    return worlds.outcomes(run, valuation)


def uncertainty_ranges(level: float = 0.9, ranges: str = "prior") -> dict[str, tuple[float, float]]:
    """Range of each uncertainty: for the free parameters their prior's support (`prior`) or the shipped
    posterior's central interval at `level` (`posterior`); for the lever effects their priors."""
    if ranges == "posterior":
        q = posterior.load("xai").quantiles([(1 - level) / 2, (1 + level) / 2])
        out = {n: (float(q.iloc[0][n]), float(q.iloc[1][n])) for n in q.columns if n not in OBSERVATION_ONLY}
    elif ranges == "prior":
        out = {p.name: (p.low, p.high) for p in freeparams.FREE_PARAMS if p.name not in OBSERVATION_ONLY}
    else:
        raise ValueError(f"ranges={ranges!r}: one of prior, posterior")
    out.update({p.field: (p.low, p.high) for p in leverpriors.PRIORS})
    out.update({n: (lo, hi) for n, (_, lo, hi) in worlds.SETTINGS.items()})  # the money levers, sampled alike
    return out


def build_model(settings: ExploreSettings):
    """The EMA model: uncertainties, levers, constants and outcomes around `exodus_model`."""
    from ema_workbench import CategoricalParameter, Constant, IntegerParameter, Model, RealParameter, ScalarOutcome

    model = Model("exodus", function=exodus_model)
    bounds = uncertainty_ranges(settings.level, settings.ranges)
    model.uncertainties = [RealParameter(n, lo, hi) for n, (lo, hi) in bounds.items()]
    model.uncertainties += [IntegerParameter("seed", 0, SEED_MAX)]
    model.levers = [CategoricalParameter("retention_policy", list(settings.policies))]  # EMA names its own `policy`
    model.constants = [Constant("overrides", tuple(settings.overrides)), Constant("valuation", settings.valuation)]
    model.outcomes = [ScalarOutcome(n) for n in worlds.OUTCOMES]
    return model


def run_experiments(settings: ExploreSettings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """EMA's Latin hypercube over the uncertainties x every policy; (experiments, outcomes) aligned on rows."""
    from ema_workbench import MultiprocessingEvaluator, Sample, SequentialEvaluator, perform_experiments

    model = build_model(settings)
    policies = [Sample(name=p, retention_policy=p) for p in settings.policies]
    if settings.evaluator == "sequential":
        evaluator = SequentialEvaluator(model)
    else:
        evaluator = MultiprocessingEvaluator(model, n_processes=settings.processes)
    with evaluator:
        experiments, outcomes = perform_experiments(
            model,
            scenarios=settings.scenarios,
            policies=policies,
            evaluator=evaluator,
            uncertainty_sampling_kwargs={"rng": settings.seed},
        )
    return pd.DataFrame(experiments), pd.DataFrame(outcomes)


def save_ema(df: pd.DataFrame, path) -> None:
    """The tidy runs as EMA Workbench's results file (`save_results`: a tar.gz of experiments and outcomes), which
    `ema_workbench.load_results` reads back: experiments (uncertainties, `policy`, `world`), outcomes by name."""
    from ema_workbench import save_results

    names = [o for o in worlds.OUTCOMES if o in df.columns]
    experiments = df.drop(columns=names).reset_index(drop=True)
    save_results((experiments, {o: df[o].to_numpy(dtype=float) for o in names}), str(path))


def tidy(experiments: pd.DataFrame, outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per (world, policy): the world's uncertainties, the policy and the outcomes."""
    keep = [c for c in experiments.columns if c not in ("model", "overrides", "valuation", "retention_policy")]
    df = pd.concat([experiments[keep].reset_index(drop=True), outcomes.reset_index(drop=True)], axis=1)
    df["policy"] = df["policy"].astype(str)
    df["world"] = df["scenario"].astype(str)
    return df.drop(columns=["scenario"])


def as_metrics(df: pd.DataFrame) -> pd.DataFrame:
    """The tidy runs in the shape sim.robustness reads (arm, scenario, seed, run, departures, costs)."""
    return pd.DataFrame(
        {
            "arm": df["policy"],
            "scenario": df["world"],
            "seed": 0,
            "run": df["world"] + "/" + df["policy"],
            "departures": df["departures"],
            "attrition_cost": df["attrition_cost"],
            "cost_total": df["policy_cost"],
        }
    )


def per_world(df: pd.DataFrame, outcome: str) -> pd.DataFrame:
    """A (world x policy) table of one outcome."""
    return df.pivot(index="world", columns="policy", values=outcome)


def world_inputs(df: pd.DataFrame) -> pd.DataFrame:
    """The uncertainties of each world (seed left out: noise is not a scenario), one row per world."""
    names = [c for c in uncertainty_ranges() if c in df.columns]
    return df.drop_duplicates("world").set_index("world")[names]


def questions(df: pd.DataFrame, goal: float) -> tuple[dict[str, pd.Series], dict]:
    """The cases of interest per world for each question, and what they were asked about.

    best_fails: the best-ranked policy (most departures averted on average, the policy table's top row) averts
    fewer than `goal`; runner_up_fails: the same for the second-ranked policy; pay_beats_culture: bundle_pay ends with
    fewer departures than bundle_culture; best_not_top: the best-ranked policy is not the one with the highest
    net value in that world (where choosing it would be regretted)."""
    dep = per_world(df, "departures")
    averted = dep.rsub(dep["none"], axis=0)
    ranked = averted.drop(columns="none").mean().sort_values(ascending=False, kind="stable").index
    best = ranked[0]
    out = {"best_fails": averted[best] < goal}
    about = {"best_fails": f"{best} (best-ranked by mean departures averted) averts fewer than {goal:g} departures"}
    if len(ranked) > 1:  # the runner-up: where the second choice would fail
        nxt = ranked[1]
        out["runner_up_fails"] = averted[nxt] < goal
        about["runner_up_fails"] = f"{nxt} (second-ranked) averts fewer than {goal:g} departures"
    if {"bundle_pay", "bundle_culture"} <= set(dep.columns):
        out["pay_beats_culture"] = dep["bundle_pay"] < dep["bundle_culture"]
        about["pay_beats_culture"] = "bundle_pay ends with fewer departures than bundle_culture"
    cost = per_world(df, "attrition_cost")
    net = cost.rsub(cost["none"], axis=0) - per_world(df, "policy_cost")
    top = net.idxmax(axis=1)
    out["best_not_top"] = top != best
    rivals = ", ".join(sorted(set(top) - {best})) or "none"
    about["best_not_top"] = f"another policy ({rivals}) has a higher net value than {best}"
    return out, about


def choose_box(trajectory: pd.DataFrame, density: float) -> int:
    """The box on PRIM's peeling trajectory with the most coverage among those with at least `density` (else the
    densest); never the first box, which restricts nothing."""
    t = trajectory.iloc[1:] if len(trajectory) > 1 else trajectory
    dense = t[t["density"] >= density]
    if len(dense):
        return int(dense["coverage"].idxmax())
    return int(t["density"].idxmax())


def discover(x: pd.DataFrame, y: pd.Series, settings: ExploreSettings, question: str = "") -> dict:
    """PRIM (one box, its trade-off and limits) and CART (its leaves) on one question."""
    from ema_workbench.analysis import cart, prim
    from ema_workbench.analysis import scenario_discovery_util as sdutil

    from sim.analysis.discovery_plots import box_figure, tradeoff_figure

    x = x.reset_index(drop=True).astype(float)
    yv = np.asarray(y, dtype=bool)
    out = {"cases": int(yv.sum()), "worlds": int(yv.size)}
    if min(yv.sum(), (~yv).sum()) < MIN_CASES:
        out["note"] = (
            f"fewer than {MIN_CASES} worlds are (or are not) cases of interest: too few to describe by a box; "
            "run more worlds (--scenarios) to look further"
        )
        return out
    scores = feature_scores(x, yv)
    dims = list(scores.index[: settings.prim_dims])  # PRIM on the most informative dimensions only
    out["feature_scores"] = scores
    p = prim.Prim(x[dims], yv.astype(int), peel_alpha=0.1, paste_alpha=0.05, mass_min=0.05)  # 0.05 stalled here
    box = p.find_box()
    i = choose_box(box.peeling_trajectory, settings.density)
    box.select(i)
    chosen = box.peeling_trajectory.loc[i, ["coverage", "density", "res_dim"]].to_dict()
    peeled_limits = _limits(box.box_lims[i], p.box_init)
    i = prune(box, i, p.box_init)
    traj = box.peeling_trajectory.copy()
    restricted = list(sdutil._determine_restricted_dims(box.box_lims[i], p.box_init))
    limits = _limits(box.box_lims[i], p.box_init)
    out.update(
        peeled={k: float(v) for k, v in chosen.items()},
        peeled_limits=peeled_limits,
        prim_box=i,
        coverage=float(traj.loc[i, "coverage"]),
        density=float(traj.loc[i, "density"]),
        mass=float(traj.loc[i, "mass"]),
        base_rate=float(yv.mean()),
        limits=limits,
        trajectory=traj,
        tradeoff_fig=tradeoff_figure(traj, i, question),
        box_fig=(box_figure(limits, question, traj.loc[i, "coverage"], traj.loc[i, "density"]) if restricted else None),
    )
    tree = cart.CART(x, yv.astype(int), mass_min=max(0.05, 2.0 / len(x)))  # a leaf holds 2 worlds at least
    np.random.seed(0)  # noqa: NPY002 EMA's CART leaves sklearn's random_state unset: its global state breaks ties
    tree.build_tree()
    leaves = []
    box_init = sdutil._make_box(x)
    for k, (b, s) in enumerate(zip(tree.boxes, tree.stats, strict=True)):
        dims = list(sdutil._determine_restricted_dims(b, box_init))
        rule = " & ".join(f"{d} in [{b[d].iloc[0]:.3g}, {b[d].iloc[1]:.3g}]" for d in dims) or "(all)"
        leaves.append({"leaf": k, **{kk: float(v) for kk, v in s.items() if np.isscalar(v)}, "rule": rule})
    out["cart"] = pd.DataFrame(leaves)
    return out


def _limits(box_lim: pd.DataFrame, box_init: pd.DataFrame) -> pd.DataFrame:
    """A box's restricted dimensions: low, high, and the range explored (prior_low, prior_high)."""
    from ema_workbench.analysis import scenario_discovery_util as sdutil

    restricted = list(sdutil._determine_restricted_dims(box_lim, box_init))
    limits = box_lim[restricted].T.rename(columns={0: "low", 1: "high"})
    limits["prior_low"] = box_init[restricted].iloc[0].to_numpy()
    limits["prior_high"] = box_init[restricted].iloc[1].to_numpy()
    return limits


def feature_scores(x: pd.DataFrame, y: np.ndarray) -> pd.Series:
    """EMA's extra-trees feature scores of each uncertainty for the cases of interest, highest first (seeded)."""
    from ema_workbench.analysis import feature_scoring

    scores, _ = feature_scoring.get_ex_feature_scores(x, y.astype(int), nr_trees=200, random_state=0)
    return scores.iloc[:, 0].rename("score")


def prune(box, i: int, box_init: pd.DataFrame, alpha: float = QP_ALPHA) -> int:
    """Drop, one at a time (least significant first), the restrictions of box i whose quasi-p-values (EMA's
    binomial test of each limit) are all above `alpha`; each drop adds a box to the trajectory. Return the last."""
    from ema_workbench.analysis import scenario_discovery_util as sdutil

    while True:
        restricted = list(sdutil._determine_restricted_dims(box.box_lims[i], box_init))
        qp = {u: [v for v in box.p_values[i][u] if v >= 0] for u in restricted}
        weak = {u: min(v) for u, v in qp.items() if v and min(v) > alpha}
        if not weak or len(restricted) <= 1:
            return i
        box.drop_restriction(max(weak, key=weak.get), i)
        i = len(box.peeling_trajectory) - 1


def robustness(df: pd.DataFrame, goal: float) -> pd.DataFrame:
    """Maximum regret and satisficing shares of each policy over the worlds (sim.robustness)."""
    return robustness_table(as_metrics(df), "none", goal)
