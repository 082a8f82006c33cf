"""Command-line entry points (the only modules that import Hydra).

`exodus` is the Hydra app: one run, or a sweep with `-m`. Each run writes its
folder atomically; a run whose folder is already complete with the same config
is skipped, so re-running an interrupted sweep finishes only what is missing.
A job with `replicates=N` runs N seeds into `seed=<k>/` sub-folders of its folder.
Bad input stops with one line naming the field (set EXODUS_DEBUG=1 for a traceback);
inside a sweep, a failed run is recorded in its folder (`FAILED`) and the sweep goes on.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import traceback
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.experimental.callback import Callback
from hydra.types import RunMode
from omegaconf import DictConfig, OmegaConf

from sim.analysis.sweep import adhoc_study
from sim.calibration.posterior import resolve_path as posterior_csv
from sim.cli import sweeper
from sim.cli.notice import if_slow
from sim.cli.sweeper import STATUS_ENV, report, sweep_summary
from sim.config.compose import CONF_DIR, check, register_configs
from sim.config.params import ConfigError, RunConfig
from sim.data.observed import DataError
from sim.roster.overrides import rewrite_overrides
from sim.run.files import is_complete, read_summary, why_damaged, write_atomic, write_run
from sim.run.simulate import config_hash, replicate, replicate_seeds, simulate

FAILED = "FAILED"
log = logging.getLogger("exodus")
INPUT_ERRORS = (ConfigError, DataError)


def debug() -> bool:
    return os.environ.get("EXODUS_DEBUG", "") not in ("", "0")


def fail(message: str, code: int = 2):
    """Stop with one readable line on stderr and a non-zero exit."""
    print(f"exodus: error: {message}", file=sys.stderr)
    raise SystemExit(code)


def check_or_refuse(cfg) -> RunConfig:
    """`check`, with any error a config can cause (a bug if not a ConfigError) reported as a ConfigError."""
    try:
        return check(cfg)
    except INPUT_ERRORS:
        raise
    except (TypeError, ValueError, OverflowError, KeyError, OSError) as exc:
        raise ConfigError("config", type(exc).__name__, f"a config the checks accept ({exc})") from exc


class ReplicatesFailed(RuntimeError):
    """Some replicates of a job failed; each is recorded in its own folder, the others are complete."""


def run_one(run: RunConfig, out_dir: Path) -> list[Path]:
    """Simulate and write the job's runs into `out_dir`, skipping those already complete with their config.

    `run` is the job's config, converted and checked once by the caller. With `replicates` = 1 the job folder
    is the run folder; with N > 1 it holds one run folder per seed, `out_dir/seed=<k>/` for k =
    seed..seed+N-1, each written as the single run `seed=k` would be (same tables, summary and config hash).
    A replicate that raises is recorded in its folder (`FAILED`) and the next one runs; ReplicatesFailed is
    raised at the end.
    """
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


def say(line: str) -> None:
    """A run's one-line report, printed; in a sweep that shows its progress line (on a terminal, or
    hydra.sweeper.progress=true), logged at debug level on logger `exodus` instead (hydra.verbose=exodus)."""
    if HydraConfig.initialized() and HydraConfig.get().mode == RunMode.MULTIRUN:
        progress = HydraConfig.get().sweeper.get("progress")
        if progress or (progress is None and sys.stderr.isatty()):
            log.debug(line)
            return
    print(line)


def run_into(run: RunConfig, out_dir: Path) -> Path:
    """Simulate and write one run into `out_dir` unless it is already complete with this config and its files
    match the checksums in its COMPLETE marker (a damaged or truncated run is run again)."""
    if is_complete(out_dir):
        why = why_damaged(out_dir)
        if why is None and read_summary(out_dir).get("config_hash") == config_hash(run):
            say(f"[exodus] skip (complete): {out_dir}")
            return out_dir
        if why is not None:
            print(f"[exodus] rerun ({why}): {out_dir}", file=sys.stderr)
    out_dir.mkdir(parents=True, exist_ok=True)  # visible as unfinished while it runs
    (out_dir / FAILED).unlink(missing_ok=True)
    with if_slow(
        f"[exodus] {run.policy.name} seed={run.seed}: still running (a process's first run also compiles the "
        "model's daily passes with numba, 10-20 s, cached for later runs)"
    ):  # on stderr: stdout keeps one line per finished run
        result = simulate(run)
    write_run(result, out_dir)
    f = result.summary["figures"]
    say(
        f"[exodus] {run.policy.name} seed={run.seed}: departures={f['departures']} "
        f"announced={f['announced']} founders_remaining={f['founders_remaining']} -> {out_dir}"
    )
    return out_dir


def record_failure(exc: Exception, out_dir: Path) -> str:
    """Write the reason into `out_dir/FAILED` (a traceback for unexpected errors); return a one-line message.

    If FAILED itself cannot be written (a read-only or immutable folder), the message says so instead."""
    expected = isinstance(exc, INPUT_ERRORS)
    detail = str(exc) if expected else "".join(traceback.format_exception(exc))
    message = str(exc) if expected else f"{type(exc).__name__}: {exc} (details in {out_dir / FAILED})"
    try:
        write_atomic(out_dir / FAILED, (detail + "\n").encode())
    except OSError as write_error:
        message = f"{type(exc).__name__}: {exc} (and {out_dir / FAILED} could not be written: {write_error})"
    return " ".join(message.split())


def print_failure(exc: Exception, out_dir: Path) -> None:
    print(f"[exodus] FAILED ({type(exc).__name__}: {exc}) -> {out_dir / FAILED}", file=sys.stderr)


class ValidateSweep(Callback):
    """Check the sweep's base config once, before any job starts, so a bad value costs no work."""

    def on_multirun_start(self, config: DictConfig, **kwargs) -> None:
        if os.environ.get(STATUS_ENV):  # main() has checked the base config and every swept value already
            return
        base = OmegaConf.to_container(config, resolve=False)
        base.pop("hydra", None)
        base["design"] = {"file": "", "row": -1}  # design rows are swept: each run checks its own
        try:
            check_or_refuse(OmegaConf.create(base))
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
    job = str(hc.job.get("num", 0)) if sweeping else "run"
    try:
        save_hydra_files(cfg, hc, out_dir)
        if sweeping:
            sweeper.forget(out_dir)
        run = check(cfg)
        folders = run_one(run, out_dir)
        if sweeping:  # the sweeper will not launch this job again while its inputs are unchanged (sim/cli/sweeper.py)
            key = sweeper.resume_key(list(hc.overrides.task), sweeper.config_dirs(hc))
            sweeper.record_done(
                out_dir,
                key,
                folders,
                [run.design.file, posterior_csv(run.posterior_file) if run.posterior_file else ""],
            )
        report(job, "ok")
    except ReplicatesFailed as exc:  # each failure is already recorded in its replicate's folder
        report(job, f"failed\t{exc}")
        if not sweeping:
            fail(str(exc))
    except Exception as exc:
        if debug():
            raise
        message = record_failure(exc, out_dir)
        report(job, f"failed\t{out_dir}: {message}")
        if not sweeping:
            fail(message)
        print(f"[exodus] FAILED ({message}) -> {out_dir}", file=sys.stderr)


def save_hydra_files(cfg: DictConfig, hc, out_dir: Path) -> None:
    """What Hydra's `.hydra/` would hold (config, hydra, overrides), written here so that a folder that cannot be
    written fails this job only (Hydra's own writing, switched off by `hydra.output_subdir: null`, would stop
    the whole sweep)."""
    hydra_dir = out_dir / ".hydra"
    write_atomic(hydra_dir / "config.yaml", OmegaConf.to_yaml(cfg).encode())
    write_atomic(hydra_dir / "hydra.yaml", OmegaConf.to_yaml(OmegaConf.create({"hydra": hc})).encode())
    write_atomic(hydra_dir / "overrides.yaml", OmegaConf.to_yaml(hc.overrides.task).encode())


def main(argv: list[str] | None = None) -> None:
    """`exodus`: check the whole command line (sim/cli/guard.py) before Hydra runs anything, run it, and for a sweep
    end with a one-line summary and a non-zero status if any job failed."""
    from hydra._internal.utils import get_args_parser  # hydra.main's parser: argv read exactly as Hydra will

    from sim.cli.guard import plan

    argv = rewrite_overrides(sys.argv[1:] if argv is None else list(argv))  # roster=PATH: roster.path=PATH
    args = get_args_parser().parse_args(argv)
    if args.experimental_rerun is not None:  # it unpickles a file: code from outside the config's checks
        fail("--experimental-rerun is not supported by exodus (run the same command line again to resume)")
    if args.help:
        sys.argv = [sys.argv[0], *argv]
        return print_help()
    if args.multirun and (study := adhoc_study(list(args.overrides))):  # an ad-hoc sweep: its own folder
        argv = [*argv, f"study='{study}'"]
        args = get_args_parser().parse_args(argv)
    if args.hydra_help or args.shell_completion or args.info or args.cfg:
        sys.argv = [sys.argv[0], *argv]
        return _app()
    try:
        the_plan = plan(args, CONF_DIR, __file__, check_or_refuse)
    except INPUT_ERRORS as exc:
        if debug():
            raise
        fail(str(exc))
    if not the_plan.multirun:
        sys.argv = [sys.argv[0], *argv]
        return _app()
    status_dir = make_status_dir(the_plan.sweep_dir)
    os.environ[STATUS_ENV] = str(status_dir)
    try:
        sys.argv = [sys.argv[0], *argv]
        _app()
        reported, failures = sweep_summary(status_dir, len(the_plan.jobs))
    finally:
        os.environ.pop(STATUS_ENV, None)
        shutil.rmtree(status_dir, ignore_errors=True)
    total = max(len(the_plan.jobs), reported)
    if failures:
        fail(
            f"sweep: {len(failures)} of {total} jobs failed (each recorded in its folder's FAILED file where it "
            f"could be written); the first: {failures[0]}",
            code=1,
        )
    print(f"[exodus] sweep: {total} of {total} jobs complete -> {the_plan.sweep_dir}")


# groups of conf/ that are not in the run's defaults: they are added with `+group=option`, or read by another command
ADDED_GROUPS = ("experiment", "posterior")
OTHER_COMMANDS = {"value": "exodus-compare --value FILE and exodus-explore read it; not an exodus override"}


def help_text(text: str) -> str:
    """Hydra's app help with the config groups written as overrides that work on `exodus`: groups that are added
    (`+experiment=NAME`) carry their `+`, and groups that another command reads are named as such."""
    out, in_groups = [], False
    for line in text.splitlines():
        if line.startswith("Config groups"):
            in_groups = True
        elif in_groups and not line.strip():
            in_groups = False
        group = line.split(":", 1)[0] if in_groups and ":" in line else None
        if group in ADDED_GROUPS:
            line = f"+{line}    (added: +{group}=NAME)"
        elif group in OTHER_COMMANDS:
            line = f"({group}/: {OTHER_COMMANDS[group]})"
        out.append(line)
    return "\n".join(out) + "\n"


def print_help() -> None:
    """`exodus --help`: Hydra's app help (conf/hydra/help/exodus.yaml), its config groups as working overrides."""
    import contextlib
    import io

    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            _app()
    except SystemExit as exc:  # Hydra exits 0 after printing the help
        if exc.code not in (0, None):
            sys.stdout.write(buf.getvalue())
            raise
    sys.stdout.write(help_text(buf.getvalue()))


def make_status_dir(sweep_dir: Path | None) -> Path:
    """A hidden folder inside the sweep folder (so jobs on a cluster can reach it), or in the system's temp."""
    if sweep_dir is not None:
        try:
            sweep_dir.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=".exodus-status-", dir=sweep_dir))
        except OSError:
            pass
    return Path(tempfile.mkdtemp(prefix="exodus-status-"))


if __name__ == "__main__":
    main()
