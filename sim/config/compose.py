"""The configs in `conf/` composed with Hydra's API (no app, no `hydra.main`): for notebooks, tests and commands.

`conf/` is found beside the package (a source checkout) unless EXODUS_CONF names another folder.
"""

from __future__ import annotations

import os
import secrets

from omegaconf import DictConfig

from sim.config.defaults import CONF_DIR
from sim.config.load import as_run_config
from sim.config.params import RunConfig, model_params, schema, validate
from sim.roster.overrides import rewrite_overrides


def register_configs() -> None:
    """Register the structured schema that validates every composed config, the `exodus_uid` resolver and
    exodus's sweeper."""
    from hydra.core.config_store import ConfigStore
    from omegaconf import OmegaConf

    ConfigStore.instance().store(name="run_schema", node=schema())
    # a short random part of a single run's folder name, so runs started in the same second never share one;
    # cached, so the folder name is drawn once per config however often Hydra reads it
    OmegaConf.register_new_resolver("exodus_uid", lambda: secrets.token_hex(3), use_cache=True, replace=True)
    register_sweeper()


def register_sweeper() -> None:
    """Make exodus's sweeper known to Hydra even where its plugin scan misses it (an editable install maps the
    `hydra_plugins` namespace in a way pkgutil does not walk); an installed wheel is found either way."""
    from hydra.core.plugins import Plugins

    plugins = Plugins.instance()  # scan first: the scan re-executes the modules it finds, the sweeper's base too
    from hydra_plugins.exodus_sweeper.exodus_sweeper import ExodusSweeper

    plugins.register(ExodusSweeper)


def compose(overrides: list[str] | None = None) -> DictConfig:
    """Compose the config the command line would build from these overrides (for notebooks and tests)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    from sim.config.params import ConfigError

    if not (CONF_DIR / "config.yaml").is_file():
        from sim.config.confdir import ENV

        setting = ENV if os.environ.get(ENV) else "conf"
        raise ConfigError(setting, str(CONF_DIR), "a folder of exodus's configs holding config.yaml")
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    register_configs()
    try:
        with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
            return hydra_compose(config_name="config", overrides=rewrite_overrides(list(overrides or [])))
    except (HydraException, OmegaConfBaseException) as exc:  # one line naming the override, as `exodus` says it
        from sim.config.hydraerrors import culprit, one_line

        field_name, value = culprit(exc, list(overrides or []))
        raise ConfigError(field_name, value, one_line(exc)) from None


def scenario_only(overrides: list[str]) -> list[str]:
    """Refuse Hydra's own settings among a command's scenario overrides (only the `exodus` app applies them: the
    other commands compose the scenario, where they would be silently ignored)."""
    from sim.config.params import ConfigError

    for item in overrides:
        key = str(item).lstrip("+~").split("=", 1)[0]
        if key == "hydra" or key.startswith(("hydra.", "hydra/")):
            value = str(item).partition("=")[2]
            raise ConfigError(key, value, "a setting of the scenario: Hydra's own settings only apply to `exodus`")
    return list(overrides)


def check(cfg) -> RunConfig:
    """Convert and validate a composed config before any work."""
    run = as_run_config(cfg)
    validate(model_params(run))
    return run
