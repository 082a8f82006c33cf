"""Command-line entry points (the only modules that import Hydra).

`exodus` is the Hydra app: one run, or a sweep with `-m`. Each run writes its
folder atomically; a run whose folder is already complete with the same config
is skipped, so re-running an interrupted sweep finishes only what is missing.
A job with `replicates=N` runs N seeds into `seed=<k>/` sub-folders of its folder.
Bad input stops with one line naming the field (set EXODUS_DEBUG=1 for a traceback);
inside a sweep, a failed run is recorded in its folder (`FAILED`) and the sweep goes on.
"""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

import hydra
from hydra.core.config_store import ConfigStore
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from .io import is_complete, read_summary, write_atomic, write_run
from .observed import DataError
from .params import ConfigError, RunConfig, model_params, validate
from .run import as_run_config, config_hash, replicate, replicate_seeds, simulate

CONF_DIR = Path(os.environ.get("EXODUS_CONF", Path(__file__).resolve().parents[1] / "conf"))
FAILED = "FAILED"
INPUT_ERRORS = (ConfigError, DataError)


def debug() -> bool:
    return os.environ.get("EXODUS_DEBUG", "") not in ("", "0")


def fail(message: str, code: int = 2):
    """Stop with one readable line on stderr and a non-zero exit."""
    print(f"exodus: error: {message}", file=sys.stderr)
    raise SystemExit(code)


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


def check(cfg) -> RunConfig:
    """Convert and validate a composed config before any work."""
    run = as_run_config(cfg)
    validate(model_params(run))
    return run


class ReplicatesFailed(RuntimeError):
    """Some replicates of a job failed; each is recorded in its own folder, the others are complete."""


def run_one(cfg: DictConfig, out_dir: Path) -> list[Path]:
    """Simulate and write the job's runs into `out_dir`, skipping those already complete with their config.

    The config is converted and checked once per job. With `replicates` = 1 the job folder is the run folder;
    with N > 1 it holds one run folder per seed, `out_dir/seed=<k>/` for k = seed..seed+N-1, each written as
    the single run `seed=k` would be (same tables, summary and config hash). A replicate that raises is
    recorded in its folder (`FAILED`) and the next one runs; ReplicatesFailed is raised at the end.
    """
    run = check(cfg)
    if run.replicates == 1:
        return [run_into(run, out_dir)]
    (out_dir / FAILED).unlink(missing_ok=True)  # a job-level failure of an earlier attempt
    folders, failed = [], []
    for seed in replicate_seeds(run):
        folder = out_dir / f"seed={seed}"
        try:
            run_into(replicate(run, seed), folder)
        except Exception as exc:
            if debug():
                raise
            failed.append(f"seed={seed}: {record_failure(exc, folder)}")
            print_failure(exc, folder)
        folders.append(folder)
    if failed:
        raise ReplicatesFailed(
            f"{len(failed)} of {run.replicates} replicates failed in {out_dir} (each has a FAILED file); "
            f"the first: {failed[0]}"
        )
    return folders


def run_into(run: RunConfig, out_dir: Path) -> Path:
    """Simulate and write one run into `out_dir` unless it is already complete with this config."""
    if is_complete(out_dir) and read_summary(out_dir).get("config_hash") == config_hash(run):
        print(f"[exodus] skip (complete): {out_dir}")
        return out_dir
    out_dir.mkdir(parents=True, exist_ok=True)  # visible as unfinished while it runs
    (out_dir / FAILED).unlink(missing_ok=True)
    result = simulate(run)
    write_run(result, out_dir)
    f = result.summary["figures"]
    print(
        f"[exodus] {run.policy.name} seed={run.seed}: departures={f['departures']} "
        f"announced={f['announced']} founders_remaining={f['founders_remaining']} -> {out_dir}"
    )
    return out_dir


def record_failure(exc: Exception, out_dir: Path) -> str:
    """Write the reason into `out_dir/FAILED` (a traceback for unexpected errors); return a one-line message."""
    expected = isinstance(exc, INPUT_ERRORS)
    detail = str(exc) if expected else "".join(traceback.format_exception(exc))
    write_atomic(out_dir / FAILED, (detail + "\n").encode())
    return str(exc) if expected else f"{type(exc).__name__}: {exc} (details in {out_dir / FAILED})"


def print_failure(exc: Exception, out_dir: Path) -> None:
    print(f"[exodus] FAILED ({type(exc).__name__}: {exc}) -> {out_dir / FAILED}", file=sys.stderr)


class ValidateSweep(Callback):
    """Check the sweep's base config once, before any job starts, so a bad value costs no work."""

    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        base = OmegaConf.to_container(config, resolve=False)
        base.pop("hydra", None)
        base["design"] = {"file": "", "row": -1}  # design rows are swept: each run checks its own
        try:
            check(OmegaConf.create(base))
        except INPUT_ERRORS as exc:
            if debug():
                raise
            fail(str(exc))


register_configs()


@hydra.main(config_path=str(CONF_DIR), config_name="config", version_base="1.3")
def _app(cfg: DictConfig) -> None:
    hc = HydraConfig.get()
    out_dir = Path(hc.runtime.output_dir)
    sweeping = hc.mode == RunMode.MULTIRUN
    try:
        run_one(cfg, out_dir)
    except ReplicatesFailed as exc:  # each failure is already recorded in its replicate's folder
        if not sweeping:
            fail(str(exc))
    except Exception as exc:
        if debug():
            raise
        message = record_failure(exc, out_dir)
        if not sweeping:
            fail(message)
        print_failure(exc, out_dir)


def main() -> None:
    _app()


if __name__ == "__main__":
    main()
