"""Command-line entry points (the only modules that import Hydra).

`exodus` is the Hydra app: one run, or a sweep with `-m`. Each run writes its
folder atomically; a run whose folder is already complete with the same config
is skipped, so re-running an interrupted sweep finishes only what is missing.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from omegaconf import DictConfig

from .io import is_complete, read_summary, write_run
from .params import RunConfig
from .run import as_run_config, config_hash, simulate

CONF_DIR = Path(os.environ.get("EXODUS_CONF", Path(__file__).resolve().parents[1] / "conf"))


def register_configs() -> None:
    """Register the structured schema that validates every composed config."""
    ConfigStore.instance().store(name="run_schema", node=RunConfig)


def compose(overrides: list[str] | None = None) -> DictConfig:
    """Compose the config the command line would build from these overrides (for notebooks and tests)."""
    from hydra import compose as hydra_compose
    from hydra import initialize_config_dir

    register_configs()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        return hydra_compose(config_name="config", overrides=list(overrides or []))


def run_one(cfg: DictConfig, out_dir: Path) -> Path:
    """Simulate and write one run into `out_dir` unless it is already complete with this config."""
    run = as_run_config(cfg)
    if is_complete(out_dir) and read_summary(out_dir).get("config_hash") == config_hash(run):
        print(f"[exodus] skip (complete): {out_dir}")
        return out_dir
    result = simulate(run)
    write_run(result, out_dir)
    f = result.summary["figures"]
    print(
        f"[exodus] {run.policy.name} seed={run.seed}: departures={f['departures']} "
        f"announced={f['announced']} founders_remaining={f['founders_remaining']} -> {out_dir}"
    )
    return out_dir


register_configs()


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    out_dir = Path(HydraConfig.get().runtime.output_dir)
    run_one(cfg, out_dir)


def main() -> None:
    _app()


if __name__ == "__main__":
    sys.exit(main())
