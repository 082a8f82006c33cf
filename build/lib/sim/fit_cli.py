"""`exodus-fit`: a quick point fit of the free parameters as a Hydra sweep driven by the Optuna sweeper.

Each trial is one job: it sets the free parameters (`free.*`, chosen by Optuna's TPE sampler),
runs `fit.replicates` seeds up to 12 Feb 2026 and returns the mean L1 distance of their
summary statistics (`sim.targets`) to the observed ones, each divided by `fit.scales`.
A point fit says nothing of equifinality; `exodus-calibrate` (ABC) gives the posterior.

    exodus-fit                                   # conf/fit.yaml: 60 trials, results/fit/
    exodus-fit hydra.sweeper.n_trials=200 fit.replicates=16
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field

from hydra.experimental.callback import Callback

from .cli import CONF_DIR, ValidateSweep, check  # registers the run schema first, which this app then extends

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
    from . import targets
    from .model import AttritionModel
    from .params import ConfigError, model_params
    from .results import collect

    if settings.replicates < 1:
        raise ConfigError("fit.replicates", settings.replicates, "an integer >= 1")
    unknown = [k for k in settings.scales if k not in targets.STATS]
    if unknown:
        raise ConfigError(f"fit.scales.{unknown[0]}", unknown[0], f"one of {', '.join(targets.STATS)}")
    obs = targets.observed_stats()
    floor = targets.observed_headcount_floor()
    total = 0.0
    for r in range(settings.replicates):
        res = collect(AttritionModel(model_params(run), seed=run.seed + r).run())
        total += distance(targets.simulated_stats(res.daily, res.departures, floor), obs, settings.scales)
    return total / settings.replicates


def main() -> None:
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

    from .params import RunConfig

    @dataclass
    class FitConfig(RunConfig):
        fit: FitSettings = dataclasses.field(default_factory=FitSettings)

    # conf/config.yaml starts from `run_schema`: in this app it is the run schema plus the `fit` settings
    ConfigStore.instance().store(name="run_schema", node=FitConfig)

    @hydra.main(config_path=str(CONF_DIR), config_name="fit", version_base="1.3")
    def _app(cfg) -> float:
        data = OmegaConf.to_container(cfg, resolve=True)
        settings = FitSettings(**data.pop("fit"))
        value = objective(check(data), settings)
        print(f"[exodus-fit] {dict(cfg.free)} -> distance {value:.3f}")
        return value

    _app()


if __name__ == "__main__":
    main()
