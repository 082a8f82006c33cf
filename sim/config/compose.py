"""The configs in `conf/` composed with Hydra's API (no app, no `hydra.main`): for notebooks, tests and commands.

`conf/` is found beside the package (a source checkout) unless EXODUS_CONF names another folder.
"""

from __future__ import annotations

from omegaconf import DictConfig

from sim.config.defaults import CONF_DIR
from sim.config.params import RunConfig, model_params, schema, validate
from sim.run.simulate import as_run_config


def register_configs() -> None:
    """Register the structured schema that validates every composed config."""
    from hydra.core.config_store import ConfigStore

    ConfigStore.instance().store(name="run_schema", node=schema())


def compose(overrides: list[str] | None = None) -> DictConfig:
    """Compose the config the command line would build from these overrides (for notebooks and tests)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    register_configs()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return hydra_compose(config_name="config", overrides=list(overrides or []))


def check(cfg) -> RunConfig:
    """Convert and validate a composed config before any work."""
    run = as_run_config(cfg)
    validate(model_params(run))
    return run
