"""`exodus-fit`: a quick point fit of the free parameters as a Hydra sweep driven by the Optuna sweeper.

Each trial is one job: it sets the free parameters (`free.*`, chosen by Optuna's TPE sampler),
runs `fit.replicates` seeds up to 12 Feb 2026 and returns the mean L1 distance of their
summary statistics (`sim.calibration.targets`) to the observed ones, each divided by `fit.scales`; the observed
record is the shipped one, or the folder given as `observed.dir=PATH`.
A point fit says nothing of equifinality; `exodus-calibrate` (ABC) gives the posterior.

    exodus-fit                                   # conf/fit.yaml: 60 trials, results/fit/
    exodus-fit hydra.sweeper.n_trials=200 fit.replicates=16
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from hydra.experimental.callback import Callback

from sim.cli.exodus import ValidateSweep  # registers the run schema first, which this app then extends
from sim.config.compose import CONF_DIR, check

EXTRA = "pip install -e '.[optuna]'"


@dataclass
class FitSettings:
    replicates: int = 8
    scales: dict[str, float] = field(default_factory=dict)


class ValidateFit(Callback):
    """`exodus`'s check of the sweep's base config before any trial, without the `fit` settings."""

    def on_multirun_start(self, config, **kwargs) -> None:
        from omegaconf import OmegaConf

        data = OmegaConf.to_container(config, resolve=False)
        data.pop("fit", None)
        ValidateSweep().on_multirun_start(OmegaConf.create(data), **kwargs)


def distance(stats: dict[str, float], observed: dict[str, float], scales: dict[str, float]) -> float:
    """L1 distance of summary statistics, each divided by its scale (1 if none given)."""
    return float(sum(abs(stats[k] - observed[k]) / float(scales.get(k, 1.0)) for k in observed))


def objective(run, settings: FitSettings) -> float:
    """Mean distance to the observed record over `settings.replicates` seeds (seed, seed+1, ...)."""
    import datetime as dt

    from sim.calibration import targets
    from sim.config.params import ConfigError
    from sim.data import record
    from sim.run.world import run_world

    if settings.replicates < 1:
        raise ConfigError("fit.replicates", settings.replicates, "an integer >= 1")
    # the targets of the record in observed.dir (default: the shipped one)
    rec = record.load(run.observed.dir or None)
    if dt.date.fromisoformat(run.window.end) < rec.end:
        raise ConfigError("window.end", run.window.end, f"a date on or after the record's last day, {rec.end}")
    spec = targets.spec(rec, dt.date.fromisoformat(run.window.start))
    unknown = [k for k in settings.scales if k not in spec.stats and k not in targets.STATS]
    if unknown:
        raise ConfigError(f"fit.scales.{unknown[0]}", unknown[0], f"one of {', '.join(spec.stats)}")
    obs = spec.observed
    total = 0.0
    for r in range(settings.replicates):
        res = run_world(run, seed=run.seed + r)
        total += distance(spec.simulated(res.daily, res.departures), obs, settings.scales)
    return total / settings.replicates


def main() -> None:
    if {"-h", "--help"} & set(sys.argv[1:]):  # this app's own help, with or without the optuna extra
        print(__doc__.strip() + f"\n\nNeeds the optuna extra ({EXTRA}). Hydra's own options: exodus-fit --hydra-help")
        return
    try:
        import hydra_plugins.hydra_optuna_sweeper  # noqa: F401
    except ImportError:
        print(f"exodus-fit: error: the Optuna sweeper is not installed: it comes with the optuna extra ({EXTRA})",
              file=sys.stderr)  # fmt: skip
        raise SystemExit(2) from None
    import dataclasses

    import hydra
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    from sim.config.params import RunConfig, schema

    @dataclass
    class FitConfig(RunConfig):
        fit: FitSettings = dataclasses.field(default_factory=FitSettings)

    # conf/config.yaml starts from `run_schema`: in this app it is the run schema plus the `fit` settings
    base = schema()  # placeholders: conf/ is read by the composition, not by the schema
    node = FitConfig(**{f.name: getattr(base, f.name) for f in dataclasses.fields(RunConfig)})
    ConfigStore.instance().store(name="run_schema", node=node)

    @hydra.main(config_path=str(CONF_DIR), config_name="fit", version_base="1.3")
    def _app(cfg) -> float:
        data = OmegaConf.to_container(cfg, resolve=True)
        settings = FitSettings(**data.pop("fit"))
        value = objective(check(data), settings)
        print(f"[exodus-fit] {dict(cfg.free)} -> distance {value:.3f}")
        return value

    guard(sys.argv[1:])
    _app()


def guard(argv: list[str]) -> None:
    """`exodus`'s checks of the whole command line (sim/cli/guard.py) before Hydra runs anything: no code named by
    the config (callbacks, samplers, logging classes), output folders new or exodus-made, the base config valid."""
    from hydra._internal.utils import get_args_parser

    from sim.cli.exodus import INPUT_ERRORS, check_or_refuse, fail
    from sim.cli.guard import plan

    args = get_args_parser().parse_args(argv)
    if args.experimental_rerun is not None:
        fail("--experimental-rerun is not supported by exodus-fit (it unpickles a file)")
    if args.help or args.hydra_help or args.shell_completion or args.info or args.cfg:
        return

    def check_run(data) -> object:
        from sim.config.params import ConfigError

        data = dict(data)
        fit = data.pop("fit", None) or {}
        if set(fit) - {"replicates", "scales"}:
            raise ConfigError("fit", sorted(fit), "fit.replicates and fit.scales only")
        return check_or_refuse(data)

    try:
        plan(args, CONF_DIR, __file__, check_run, config_name="fit")
    except INPUT_ERRORS as exc:
        fail(str(exc))


if __name__ == "__main__":
    main()
