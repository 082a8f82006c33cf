"""Checks of an `exodus` command line made before Hydra runs anything (it instantiates callbacks and launchers
from the config, so a check inside the app would come too late).

The command line is composed once as Hydra would compose it, and refused, with one line naming the setting, when:
- the config names code to run: a `_target_` outside ALLOWED_TARGETS (this package's callbacks and the launchers
  and sweepers this project supports), anywhere, `hydra.*` included; a logging factory (`()`), a logging class
  outside LOGGING_CLASSES (handler and formatter classes) or an `ext://` reference outside `sys` in Hydra's logging
  configs; an environment variable that loads code (`LD_*`, `PYTHON*`) in `hydra.job.env_set`;
- a log file outside the run's folder, or opened other than for appending;
- an output folder (`hydra.run.dir`, `hydra.sweep.dir`) lies in exodus's package or configs, holds files exodus
  did not write, or cannot be written;
- a sweep has more than MAX_JOBS jobs (counted before they are listed);
- two jobs of a sweep would share a folder (`hydra.sweep.subdir`, e.g. `same`, or a swept key that the folder
  name leaves out), or a job folder would lie outside the sweep folder;
- the config, or any value a sweep takes, is refused by the model's checks (sim/config/bounds.py, sim/config/params.py),
  including the files it names (`design.file` rows the sweep uses, `posterior_file` draws) and every option of a
  swept config group (a broken `conf/policy/*.yaml` is found before any job).

A sweep's values are checked one swept key at a time (the others at their first value), each composed value with
its Hydra settings, so the cost grows with the number of values, not of jobs. docs/security.md has the whole model.
"""

from __future__ import annotations

import copy
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from omegaconf import OmegaConf

from sim.config.hydraerrors import culprit, one_line
from sim.config.params import ConfigError

ALLOWED_TARGETS = frozenset(
    {
        "sim.cli.exodus.ValidateSweep",
        "sim.cli.fit.ValidateFit",
        # Hydra's built-in launcher and sweeper, named as a config's _target_ names them (strings, not imports)
        "hydra._internal.core_plugins.basic_launcher.BasicLauncher",
        "hydra._internal.core_plugins.basic_sweeper.BasicSweeper",
        "hydra_plugins.exodus_sweeper.exodus_sweeper.ExodusSweeper",
        "hydra_plugins.hydra_joblib_launcher.joblib_launcher.JoblibLauncher",
        "hydra_plugins.hydra_submitit_launcher.submitit_launcher.LocalLauncher",
        "hydra_plugins.hydra_submitit_launcher.submitit_launcher.SlurmLauncher",
        # exodus-fit (conf/fit.yaml): the Optuna sweeper and its samplers
        "hydra_plugins.hydra_optuna_sweeper.optuna_sweeper.OptunaSweeper",
        "optuna.samplers.TPESampler",
        "optuna.samplers.RandomSampler",
        "optuna.samplers.CmaEsSampler",
        "optuna.samplers.NSGAIISampler",
        "optuna.samplers.MOTPESampler",
        "optuna.samplers.GridSampler",
    }
)
LOGGING = ("job_logging", "hydra_logging")
# logging.config.dictConfig calls whatever a `class` names: only these handler and formatter classes (a function
# such as logging.config.fileConfig would evaluate the file it is given)
LOGGING_CLASSES = frozenset(
    {
        "logging.StreamHandler",
        "logging.FileHandler",
        "logging.NullHandler",
        "logging.handlers.RotatingFileHandler",
        "logging.handlers.TimedRotatingFileHandler",
        "logging.handlers.WatchedFileHandler",
        "logging.Formatter",
    }
)
LOG_DIR = "${hydra.runtime.output_dir}/"  # a log file lies in the run's own folder
CODE_ENV = ("LD_", "PYTHON", "PATH")
OVERRIDE_DIRNAME = "${hydra.job.override_dirname}"
MAX_JOBS = 100_000  # assumption: a sweep of more jobs is a mistake (seed=range(2000000)); planning it takes minutes


@dataclass
class Plan:
    """What the command line will do: its mode, its composed config and (sweeps) each job's overrides."""

    multirun: bool
    cfg: object
    jobs: list[list[str]] = field(default_factory=list)
    sweep_dir: Path | None = None


# --------------------------------------------------------------------------- code named by the config


def check_no_code(container, path: str = "") -> None:
    """Refuse any `_target_` outside the allowlist (and code hooks in Hydra's logging and environment settings)."""
    if isinstance(container, dict):
        in_logging = path.startswith(tuple(f"hydra.{x}" for x in LOGGING))
        for key, value in container.items():
            where = f"{path}.{key}" if path else str(key)
            if key == "_target_" and (not isinstance(value, str) or value not in ALLOWED_TARGETS):
                raise ConfigError(where, value, "no code from config: one of " + ", ".join(sorted(ALLOWED_TARGETS)))
            if in_logging and key == "()":
                raise ConfigError(where, value, "no code from config: logging factories ('()') are not allowed")
            if in_logging and key == "class" and value not in LOGGING_CLASSES:
                raise ConfigError(where, value, "no code from config: one of " + ", ".join(sorted(LOGGING_CLASSES)))
            if in_logging and key == "filename" and not _in_run_folder(value):
                raise ConfigError(where, value, f"a log file in the run's folder: {LOG_DIR}<name> (no '..')")
            if in_logging and key == "mode" and value != "a":
                raise ConfigError(where, value, "a (a log file is appended to, never emptied)")
            if (
                in_logging
                and isinstance(value, str)
                and value.startswith("ext://")
                and not value.startswith("ext://sys.")
            ):
                raise ConfigError(where, value, "no code from config: ext://sys.* only")
            if path == "hydra.job.env_set" and str(key).upper().startswith(CODE_ENV):
                raise ConfigError(where, value, "no variable that loads code (LD_*, PYTHON*, PATH)")
            check_no_code(value, where)
    elif isinstance(container, list):
        for i, value in enumerate(container):
            check_no_code(value, f"{path}[{i}]")


def _in_run_folder(filename) -> bool:
    return isinstance(filename, str) and filename.startswith(LOG_DIR) and ".." not in filename.split("/")


# --------------------------------------------------------------------------- folders


# what a run folder or a sweep folder of exodus holds (and `.exodus-status-*`, left by a sweep that was killed)
EXODUS_MADE = (".hydra", "multirun.yaml", "COMPLETE")


def check_outside_package(setting: str, folder: str | Path) -> Path:
    """The folder, resolved; refused if it lies in exodus's own package or configs (the shipped record, conf/)."""
    from sim.config.confdir import package_dir
    from sim.config.defaults import CONF_DIR

    path = Path(folder).absolute().resolve()
    for own in (package_dir(), Path(CONF_DIR).resolve()):
        if path == own or own in path.parents:
            raise ConfigError(setting, str(folder), f"a folder outside exodus's package and configs ({own})")
    return path


def check_output_dir(setting: str, folder: str) -> None:
    """An output folder is new, empty or made by exodus (a run or sweep folder), and outside exodus's own package
    and configs: a run never writes over the shipped record, a config or a folder of the user's files."""
    path = check_outside_package(setting, folder)
    names = [p.name for p in path.iterdir()] if path.is_dir() else []
    if names and not any(n in EXODUS_MADE or n.startswith(".exodus-") for n in names):
        raise ConfigError(setting, folder, "a new or empty folder, or one exodus made (a run or sweep folder)")
    check_writable(setting, folder)


def check_writable(setting: str, folder: str) -> None:
    """Refuse a folder that cannot be created or written, testing in its nearest existing ancestor."""
    path = Path(folder).absolute()
    probe = path
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    try:
        if not probe.is_dir():
            raise NotADirectoryError(f"{probe} is not a folder")
        with tempfile.TemporaryDirectory(dir=probe, prefix=".exodus-probe-"):
            pass
    except OSError as exc:
        raise ConfigError(setting, folder, f"a folder exodus can write into ({exc})") from None


def _resolve(cfg, key: str) -> str | None:
    try:
        value = OmegaConf.select(cfg, key, throw_on_resolution_failure=True)
    except Exception:  # an interpolation that needs the job (e.g. ${hydra.job.num}): checked per job below
        return None
    return None if value is None else str(value)


def job_subdirs(cfg, jobs: list[list[str]]) -> list[str]:
    """The folder (relative to hydra.sweep.dir) of each job, as Hydra will name it."""
    from hydra._internal.config_loader_impl import get_overrides_dirname  # no public API names a job's folder
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parser = OverridesParser.create()
    od = cfg.hydra.job.config.override_dirname
    exclude = list(od.exclude_keys)
    raw = OmegaConf.to_container(cfg.hydra.sweep, resolve=False)["subdir"]
    out, parsed = [], {}  # each distinct override is parsed once (a sweep repeats them across its jobs)
    for num, job in enumerate(jobs):
        for x in job:
            if x not in parsed:
                parsed[x] = parser.parse_override(x)
        dirname = get_overrides_dirname([parsed[x] for x in job], exclude, od.item_sep, od.kv_sep)
        if str(raw).strip() == OVERRIDE_DIRNAME:
            out.append(dirname)
            continue
        probe = OmegaConf.create({"hydra": {"job": {"override_dirname": dirname, "num": num, "id": f"job{num}"}}})
        view = OmegaConf.merge(OmegaConf.to_container(cfg, resolve=False), probe)
        for item in job:
            key, _, value = item.partition("=")
            if not key.startswith(("+", "~")) and OmegaConf.select(view, key, default=None) is not None:
                OmegaConf.update(view, key, value, merge=False)
        out.append(_resolve(view, "hydra.sweep.subdir") or f"<job {num}>")
    return out


def check_subdirs(cfg, jobs: list[list[str]]) -> None:
    """Every job gets its own folder, inside the sweep folder."""
    subdirs = job_subdirs(cfg, jobs)
    by_name = str(OmegaConf.to_container(cfg.hydra.sweep, resolve=False)["subdir"]).strip() == OVERRIDE_DIRNAME
    seen: dict[str, int] = {}
    for num, sub in enumerate(subdirs):
        parts = Path(sub).parts
        if Path(sub).is_absolute() or ".." in parts:
            raise ConfigError("hydra.sweep.subdir", sub, "a folder inside hydra.sweep.dir (no absolute path, no '..')")
        if by_name and "/" in sub:  # a path in a value would nest the job folders, where exodus-compare looks for none
            key, _, value = next((x for x in jobs[num] if "/" in x.partition("=")[2]), sub).partition("=")
            raise ConfigError(
                key.lstrip("+~"),
                value,
                "a value without '/' in a sweep (it names the job folders): a name, or add the key to "
                "hydra.job.config.override_dirname.exclude_keys if it is the same for every job",
            )
        key = os.path.normpath(sub)
        if key in seen:
            raise ConfigError(
                "hydra.sweep.subdir",
                sub,
                f"a different folder for each job (jobs {seen[key]} and {num} would share it: "
                f"{' '.join(jobs[seen[key]])} / {' '.join(jobs[num])}); e.g. ${{hydra.job.override_dirname}}, "
                "and no swept key left out of it (hydra.job.config.override_dirname.exclude_keys)",
            )
        seen[key] = num


# --------------------------------------------------------------------------- composing as Hydra does


class Composer:
    """Hydra's config loader for the `exodus` app, as `hydra.main` would set it up from the same arguments."""

    def __init__(self, args, conf_dir: Path, calling_file: str, config_name: str = "config"):
        # hydra.main's own loader, built from argv: the public compose API cannot read an app's command line
        from hydra._internal.hydra import Hydra
        from hydra._internal.utils import create_automatic_config_search_path
        from hydra.core.config_search_path import SearchPathQuery

        self.config_name = args.config_name or config_name
        if args.config_path is None and not Path(conf_dir).is_dir():
            from sim.config.confdir import ENV

            setting = ENV if os.environ.get(ENV) else "conf"
            raise ConfigError(setting, str(conf_dir), "an existing folder of exodus's configs (a copy of conf/)")
        config_path = args.config_path if args.config_path is not None else str(conf_dir)
        search_path = create_automatic_config_search_path(calling_file, None, config_path)
        if args.config_dir is not None:
            extra = os.path.abspath(args.config_dir)
            if not os.path.isdir(extra):
                raise ConfigError("--config-dir", args.config_dir, "an existing folder of configs")
            search_path.prepend("command-line", f"file://{extra}", anchor=SearchPathQuery(provider="schema"))
        self.hydra = Hydra.create_main_hydra2(task_name="cli", config_search_path=search_path)

    def mode_is_multirun(self, overrides: list[str], multirun_flag: bool) -> bool:
        from hydra.types import RunMode

        return multirun_flag or self.hydra.get_mode(self.config_name, list(overrides)) == RunMode.MULTIRUN

    def compose(self, overrides: list[str], multirun: bool):
        from hydra.types import RunMode

        mode = RunMode.MULTIRUN if multirun else RunMode.RUN
        return self.hydra.compose_config(self.config_name, list(overrides), run_mode=mode)

    def is_group(self, key: str) -> bool:
        return self.hydra.config_loader.repository.group_exists(key.lstrip("+~"))


def _get_dotted(data, key: str):
    obj = data
    try:
        for part in key.split("."):
            obj = obj[int(part)] if isinstance(obj, list) else obj[part]
    except (KeyError, IndexError, ValueError, TypeError):
        return None
    return obj


def _set_dotted(data: dict, key: str, value) -> bool:
    """Set `a.b.0.c` in plain nested data; False if the path does not exist there."""
    *parents, last = key.split(".")
    obj = data
    try:
        for part in parents:
            obj = obj[int(part)] if isinstance(obj, list) else obj[part]
        if isinstance(obj, list):
            obj[int(last)] = value
        elif isinstance(obj, dict) and last in obj:
            obj[last] = value
        else:
            return False
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    return True


def plan(args, conf_dir: Path, calling_file: str, check_run, config_name: str = "config") -> Plan:
    """Compose and check the command line; raise ConfigError (one line) for anything refused above.

    `check_run(config)` is the app's own check of one run's config (sim.cli.check)."""
    from hydra.core.global_hydra import GlobalHydra
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from sim.data.observed import DataError

    overrides = list(args.overrides)
    try:
        composer = Composer(args, conf_dir, calling_file, config_name)
        multirun = composer.mode_is_multirun(overrides, args.multirun)
        cfg = composer.compose(overrides, multirun)
        container = OmegaConf.to_container(cfg, resolve=False)
        check_no_code(container)
        if not multirun:
            check_output_dir("hydra.run.dir", _resolve(cfg, "hydra.run.dir") or "results")
            check_run(_without_hydra(cfg))
            return Plan(False, cfg)

        sweep_dir = _resolve(cfg, "hydra.sweep.dir")
        check_output_dir("hydra.sweep.dir", sweep_dir or "results")
        from hydra._internal.core_plugins.basic_sweeper import BasicSweeper  # its grid expansion: no public API

        parser = OverridesParser.create(config_loader=composer.hydra.config_loader)
        params = OmegaConf.to_container(cfg.hydra.sweeper, resolve=False).get("params") or {}
        task = [f"{k}={v}" for k, v in params.items()] + list(cfg.hydra.overrides.task)
        parsed = parser.parse_overrides(task)
        sweeps = [o for o in parsed if o.is_sweep_override()]
        if any(not o.is_discrete_sweep() for o in sweeps):
            return Plan(True, cfg, [], Path(sweep_dir) if sweep_dir else None)  # another sweeper's (e.g. Optuna)
        count_jobs(sweeps)
        jobs = [job for batch in BasicSweeper.split_arguments(parsed, None) for job in batch]
        check_subdirs(cfg, jobs)
        hydra_fixed = [x for x in cfg.hydra.overrides.hydra if not x.startswith(("hydra.run.", "hydra.sweep."))]
        _check_sweep_values(composer, parsed, sweeps, check_run, list(hydra_fixed))
        return Plan(True, cfg, jobs, Path(sweep_dir) if sweep_dir else None)
    except (ConfigError, DataError):
        raise
    except (HydraException, OmegaConfBaseException, yaml.YAMLError, ValueError, OSError) as exc:
        field_name, value = culprit(exc, overrides)
        raise ConfigError(field_name, value, one_line(exc)) from None
    finally:
        GlobalHydra.instance().clear()


def count_jobs(sweeps) -> int:
    """The number of jobs of a grid sweep, counted without listing them; refused above MAX_JOBS."""
    from hydra.core.override_parser.types import RangeSweep

    total = 1
    for o in sweeps:
        v = o.value()
        if isinstance(v, RangeSweep) and all(isinstance(x, int) for x in (v.start, v.stop, v.step)):
            n = len(range(v.start, v.stop, v.step))
        else:
            n = sum(1 for _ in o.sweep_string_iterator())
        total *= max(n, 1)
        if total > MAX_JOBS:
            key, _, value = o.input_line.partition("=")
            raise ConfigError(key, value, f"a sweep of at most {MAX_JOBS} jobs (this one has {total} or more)")
    return total


def _without_hydra(cfg) -> dict:
    """The run's config as plain data, resolved, without the `hydra` node (which resolves only inside a job)."""
    out = {}
    for key in cfg:
        if key != "hydra":
            value = cfg[key]
            out[key] = OmegaConf.to_container(value, resolve=True) if OmegaConf.is_config(value) else value
    return out


def _check_sweep_values(composer: Composer, parsed, sweeps, check_run, hydra_fixed=()) -> None:
    """Each value of each swept key, with the other swept keys at their first value, composes and is accepted,
    its Hydra settings included (a swept config group can set any of them)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    from sim.config.bounds import BOUNDS, check_value

    parser = OverridesParser.create()
    fixed = list(hydra_fixed) + [o.input_line for o in parsed if not o.is_sweep_override()]
    values = {o.get_key_element(): list(dict.fromkeys(o.sweep_string_iterator())) for o in sweeps}
    first = {k: v[0] for k, v in values.items()}

    def overrides(key=None, value=None) -> list[str]:
        chosen = dict(first)
        if key is not None:
            chosen[key] = value
        return fixed + [f"{k}={v}" for k, v in chosen.items()]

    base_cfg = composer.compose(overrides(), multirun=False)
    check_no_code(OmegaConf.to_container(base_cfg, resolve=False))
    base = _without_hydra(base_cfg)
    check_run(copy.deepcopy(base))
    for key, vals in values.items():
        for value in vals[1:]:
            plain_key = key.lstrip("+~")
            if plain_key == "seed":
                parsed_value = parser.parse_override(f"seed={value}").value()
                check_value("seed", parsed_value, BOUNDS["RunConfig"]["seed"])
                continue
            try:
                _check_one(composer, parser, base, overrides, key, value, check_run)
            except ConfigError as exc:
                if "(in the sweep's value" in exc.allowed:
                    raise
                raise ConfigError(exc.field, exc.value, f"{exc.allowed} (in the sweep's value {key}={value})") from None
            except (HydraException, OmegaConfBaseException, yaml.YAMLError) as exc:
                raise ConfigError(key.lstrip("+~"), value, one_line(exc)) from None


def _check_one(composer, parser, base, overrides, key, value, check_run) -> None:
    """Compose (or, for a plain value, set) one swept value over the base and run the app's check on it."""
    data = copy.deepcopy(base)
    parsed_value = parser.parse_override(f"{key}={value}").value()
    old = _get_dotted(base, key)
    if isinstance(old, str) and isinstance(parsed_value, int | float | bool):
        parsed_value = str(value)  # Hydra turns a number into the text a text field holds
    if (
        key.startswith(("+", "~"))
        or composer.is_group(key)
        or key.startswith("hydra.")
        or not _set_dotted(data, key, parsed_value)
    ):
        cfg = composer.compose(overrides(key, value), multirun=False)
        check_no_code(OmegaConf.to_container(cfg, resolve=False))  # this value's own Hydra settings
        data = _without_hydra(cfg)
    check_run(data)
