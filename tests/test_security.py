"""Issue 22, case by case: no code, no file writes and no hangs from any input (design tables, config folders,
data folders, posteriors, valuations). Each input is data: a refusal is one line naming the field or the file.

`evil` is a folder outside the repository (pytest's tmp_path)."""

import argparse
import json
import os
import pickle
import sys
import threading
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import sim.config.posterior
from sim.calibration import posterior
from sim.cli.exodus import main
from sim.config import freeparams
from sim.config.confdir import package_dir
from sim.config.params import CompanyConfig, ConfigError, RunConfig, set_path
from sim.data.observed import DataError
from tests.cli_helpers import refused

ROOT = Path(__file__).resolve().parents[1]
SHORT = ("company.headcount=200", "events=none", "window.end=2025-10-31")


@pytest.fixture(autouse=True)
def _run_schema():
    """exodus-fit stores its own schema as `run_schema` in Hydra's process-wide ConfigStore: put exodus's back (and
    leave Hydra uninitialised, as a command finds it)."""
    yield
    from hydra.core.global_hydra import GlobalHydra

    from sim.config.compose import register_configs

    register_configs()
    GlobalHydra.instance().clear()


def plan_of(*argv: str, tmp_path: Path):
    """The guard's plan of an `exodus` command line (composed and checked, nothing run)."""
    from hydra._internal.utils import get_args_parser

    from sim.cli.exodus import check_or_refuse
    from sim.cli.guard import plan
    from sim.config.compose import CONF_DIR

    argv = sorted(argv, key=lambda a: a != "-m")
    args = get_args_parser().parse_args([*argv, f"hydra.sweep.dir={tmp_path}/sweep"])
    return plan(args, CONF_DIR, str(ROOT / "sim" / "cli" / "exodus.py"), check_or_refuse)


def finishes(fn, unblock: Path | None = None, seconds: float = 20.0):
    """Call `fn` in a thread; fail if it has not returned in `seconds` (a FIFO reader is then released by opening
    the FIFO for writing, so the test fails instead of hanging). Returns what `fn` raised or returned."""
    out = {}

    def target():
        try:
            out["value"] = fn()
        except BaseException as exc:  # noqa: BLE001 - handed to the test
            out["error"] = exc

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if unblock is not None:
            os.close(os.open(unblock, os.O_WRONLY | os.O_NONBLOCK))
        pytest.fail(f"still reading after {seconds} s")
    return out.get("error", out.get("value"))


# --------------------------------------------------------------------------- 1: design columns walk config only


CLIMBS = [
    "company.__init__.__globals__.fields.__globals__.sys.path.0",
    "company.__class__.__name__",
    "__class__.__name__",
    "policy.levers.append",
    "company.role_mix.__class__",
    "firms.-1.name",
]


@pytest.mark.parametrize("column", CLIMBS)
def test_a_design_column_reaches_config_values_only(column):
    run, path0, name = RunConfig(), sys.path[0], CompanyConfig.__name__
    with pytest.raises(ConfigError) as err:
        set_path(run, column, "/evil/mods")
    assert err.value.field == column
    assert sys.path[0] == path0 and CompanyConfig.__name__ == name


def test_a_design_table_cannot_put_a_folder_on_sys_path_end_to_end(capsys, tmp_path):
    (tmp_path / "mods").mkdir()
    (tmp_path / "mods" / "difflib.py").write_text(f"open({str(tmp_path / 'ran')!r}, 'w')\n")
    column = "company.__init__.__globals__.fields.__globals__.sys.path.0"
    pd.DataFrame({column: [str(tmp_path / "mods")]}).to_csv(tmp_path / "d.csv", index=False)
    err = refused(capsys, tmp_path, *SHORT, f"design.file={tmp_path / 'd.csv'}", "design.row=0")
    assert column in err and "__init__" in err
    assert str(tmp_path / "mods") not in sys.path and not (tmp_path / "ran").exists()


# --------------------------------------------------------------------------- 2: every entry point is guarded


def test_exodus_fit_runs_the_guard(tmp_path, monkeypatch, capsys):
    pytest.importorskip("hydra_plugins.hydra_optuna_sweeper")
    from sim.cli import fit

    victim = tmp_path / "v.txt"
    victim.write_text("keep me")
    argv = [
        "+hydra.callbacks.x._target_=builtins.open",
        f"+hydra.callbacks.x.file={victim}",
        "+hydra.callbacks.x.mode=w",
        "hydra.sweeper.n_trials=1",
        "fit.replicates=1",
        f"hydra.sweep.dir={tmp_path}/fit",
    ]
    monkeypatch.setattr(sys, "argv", ["exodus-fit", *argv])
    with pytest.raises(SystemExit) as stop:
        fit.main()
    assert stop.value.code == 2 and "hydra.callbacks.x._target_" in capsys.readouterr().err
    assert victim.read_text() == "keep me" and not (tmp_path / "fit").exists()


def _scripts() -> dict[str, str]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]


def _attempts(script: str, victim: Path) -> dict[str, list[str]]:
    """A code-from-config, a write-outside (Hydra's folders, or --out) and a dunder-path attempt, as Hydra overrides
    (the scripts that take none refuse them as arguments)."""
    return {
        "code": [
            "+hydra.callbacks.x._target_=builtins.open",
            f"+hydra.callbacks.x.file={victim}",
            "+hydra.callbacks.x.mode=w",
        ],
        "write": [str(package_dir() / "data" / "evil")]  # its output folder is an argument
        if script == "exodus-roster"
        else [f"hydra.run.dir={package_dir() / 'data'}", f"hydra.sweep.dir={package_dir() / 'data'}"]
        if "--out" not in OPTIONS.get(script, [])
        else ["--out", str(package_dir() / "data" / "evil")],
        "dunder": ["company.__class__.__name__=Evil"],
    }


OPTIONS = {  # what each command needs besides the attempt, so that only the attempt can stop it
    "exodus-compare": ["RESULTS", "--out", "OUT"],
    "exodus-data": ["departures"],
    "exodus-calibrate": ["--posterior", "xai", "--draws", "1", "--no-progress", "--out", "OUT"],
    "exodus-sensitivity": ["--n", "1", "--no-progress", "--out", "OUT"],
    "exodus-backtest": ["--cutoff", "2026-01-15", "--out", "OUT"],
    "exodus-explore": ["--out", "OUT"],
    "exodus-roster": ["record", "roster.csv"],
}


REFUSED = {  # what the refusal names: the attempt itself, not something else that happened to stop the command
    "code": ["hydra.callbacks.x"],
    "write": ["outside exodus's package", "unrecognized arguments: hydra."],
    "dunder": ["__class__"],
}


@pytest.mark.parametrize("script", sorted(_scripts()))
@pytest.mark.parametrize("attempt", ["code", "write", "dunder"])
def test_every_console_script_refuses_code_writes_and_dunder_paths(script, attempt, tmp_path, monkeypatch, capsys):
    import importlib

    victim = tmp_path / "v.txt"
    victim.write_text("keep me")
    data = package_dir() / "data"
    before = {p.name: p.stat().st_mtime_ns for p in data.iterdir()}
    module, func = _scripts()[script].split(":")
    options = [
        str(tmp_path / "out") if x == "OUT" else str(tmp_path) if x == "RESULTS" else x for x in OPTIONS.get(script, [])
    ]
    argv = [*options, *_attempts(script, victim)[attempt]]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "argv", [script, *argv])
    monkeypatch.setattr(os, "execve", lambda *a: pytest.fail("the dashboard server was started"))
    try:
        code = getattr(importlib.import_module(module), func)()
    except SystemExit as stop:
        code = stop.code
    err = capsys.readouterr().err
    assert code not in (0, None), f"{script} accepted {argv}"
    assert "Traceback" not in err and any(x in err for x in REFUSED[attempt]), err
    assert victim.read_text() == "keep me"
    assert {p.name: p.stat().st_mtime_ns for p in data.iterdir()} == before
    assert CompanyConfig.__name__ == "CompanyConfig"
    assert not (tmp_path / "out").exists()


# --------------------------------------------------------------------------- 3: logging classes


@pytest.mark.parametrize(
    "args, field",
    [
        (
            [
                "+hydra.job_logging.formatters.evil.class=logging.config.fileConfig",
                "+hydra.job_logging.formatters.evil.format=x.ini",
            ],
            "hydra.job_logging.formatters.evil.class",
        ),
        (["+hydra.job_logging.handlers.x={class: logging.config.dictConfig}"], "hydra.job_logging.handlers.x.class"),
        (["+hydra.hydra_logging.handlers.x={class: logging.makeLogRecord}"], "hydra.hydra_logging.handlers.x.class"),
    ],
)
def test_a_logging_class_is_a_handler_or_formatter_class(capsys, tmp_path, args, field):
    assert field in refused(capsys, tmp_path, *SHORT, *args)


def test_the_shipped_logging_config_passes():
    from sim.cli.guard import LOGGING_CLASSES, check_no_code

    check_no_code({"hydra": {"job_logging": {"handlers": {c: {"class": c} for c in LOGGING_CLASSES}}}})
    check_no_code(
        {"hydra": {"job_logging": {"handlers": {"f": {"filename": "${hydra.runtime.output_dir}/x.log", "mode": "a"}}}}}
    )


# --------------------------------------------------------------------------- 4: every swept value's Hydra settings


EVIL_POLICY = """# @package _global_
policy:
  name: evilpol
  levers: [retention_bonus]
hydra:
  job:
    env_set:
      LD_PRELOAD: {so}
  job_logging:
    handlers:
      file:
        filename: {victim}
        mode: w
"""


def test_a_swept_config_option_cannot_set_hydra_code_or_writes(capsys, tmp_path):
    victim = tmp_path / "v.txt"
    victim.write_text("keep me")
    (tmp_path / "conf" / "policy").mkdir(parents=True)
    (tmp_path / "conf" / "policy" / "evilpol.yaml").write_text(EVIL_POLICY.format(so=tmp_path / "x.so", victim=victim))
    err = refused(
        capsys,
        tmp_path,
        "-m",
        *SHORT,
        f"hydra.searchpath=[file://{tmp_path / 'conf'}]",
        "policy=none,evilpol",
    )
    assert "hydra.job" in err and "(in the sweep's value policy=evilpol)" in err
    assert victim.read_text() == "keep me"


# --------------------------------------------------------------------------- 5: writes where they belong


def test_a_log_file_stays_in_its_run_folder_and_is_appended_to(capsys, tmp_path):
    victim = tmp_path / "v.txt"
    victim.write_text("keep me")
    err = refused(capsys, tmp_path, *SHORT, f"hydra.job_logging.handlers.file.filename={victim}")
    assert "hydra.job_logging.handlers.file.filename" in err
    err = refused(capsys, tmp_path, *SHORT, "+hydra.job_logging.handlers.file.mode=w")
    assert "hydra.job_logging.handlers.file.mode='w'" in err and "a (" in err
    assert victim.read_text() == "keep me"


def test_a_run_never_writes_into_the_package_or_a_folder_exodus_did_not_make(capsys, tmp_path):
    from sim.cli.guard import check_output_dir

    with pytest.raises(ConfigError, match="outside exodus's package"):
        check_output_dir("hydra.run.dir", str(package_dir() / "data"))
    with pytest.raises(ConfigError, match="outside exodus's package"):
        check_output_dir("hydra.run.dir", str(package_dir() / "data" / "new"))
    home = tmp_path / "home"
    home.mkdir()
    (home / "thesis.tex").write_text("mine")
    with pytest.raises(ConfigError, match="a new or empty folder, or one exodus made"):
        check_output_dir("hydra.sweep.dir", str(home))
    (home / "multirun.yaml").write_text("{}")  # a sweep folder of exodus: resumed
    check_output_dir("hydra.sweep.dir", str(home))
    check_output_dir("hydra.run.dir", str(tmp_path / "new" / "run"))
    before = sorted(p.name for p in (package_dir() / "data").iterdir())
    with pytest.raises(SystemExit) as stop:
        main([*SHORT, f"hydra.run.dir={package_dir() / 'data'}"])
    assert stop.value.code == 2 and capsys.readouterr().err.startswith("exodus: error: hydra.run.dir=")
    assert sorted(p.name for p in (package_dir() / "data").iterdir()) == before


def _calibrate(argv, capsys) -> str:
    from sim.cli.calibrate import calibrate_main

    with pytest.raises(SystemExit) as stop:
        calibrate_main(argv)
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "Traceback" not in err
    return err


@pytest.mark.parametrize("name", ["../../x", "sim/data/departures.csv", "a.b", ""])
def test_a_posterior_name_is_a_name(name, tmp_path, capsys):
    err = _calibrate(["--posterior", "xai", "--install", "--name", name, "--out", str(tmp_path / "o")], capsys)
    assert "--name=" in err and "no path" in err
    assert not (tmp_path / "o").exists()


def test_an_incomplete_posterior_is_never_installed(tmp_path, capsys):
    shipped = posterior.resolve_path("xai")
    before = (shipped.read_bytes(), shipped.with_suffix(".json").read_bytes())
    one = tmp_path / "one.csv"
    pd.DataFrame({freeparams.NAMES[0]: [0.1, 0.12], "weight": [1, 1]}).to_csv(one, index=False)
    err = _calibrate(["--posterior", str(one), "--install", "--out", str(tmp_path / "o")], capsys)
    assert "--install=" in err and "missing" in err
    whole = tmp_path / "whole.csv"
    posterior.load("xai").samples.to_csv(whole, index=False)  # every parameter, but no sidecar
    err = _calibrate(["--posterior", str(whole), "--install", "--out", str(tmp_path / "o")], capsys)
    assert "sidecar" in err
    assert (shipped.read_bytes(), shipped.with_suffix(".json").read_bytes()) == before
    assert not (tmp_path / "o").exists()


def test_install_never_writes_into_an_installed_package(tmp_path, capsys, monkeypatch):
    fake = tmp_path / "lib" / "site-packages" / "sim" / "data"
    fake.mkdir(parents=True)
    monkeypatch.setattr(sim.config.posterior, "DATA", fake)
    err = _calibrate(["--posterior", "xai", "--install", "--out", str(tmp_path / "o")], capsys)
    assert "--install=" in err and "never writes into an installed package" in err
    assert not any(fake.iterdir())


def _compose_line(line: str):
    import shlex

    from hydra._internal.utils import get_args_parser
    from hydra.core.global_hydra import GlobalHydra

    from sim.cli.guard import Composer
    from sim.config.compose import CONF_DIR

    words = shlex.split(line)
    assert words[0] == "exodus"
    args = get_args_parser().parse_args(words[1:])
    try:
        return Composer(args, CONF_DIR, str(ROOT / "sim" / "cli" / "exodus.py")).compose(list(args.overrides), False)
    finally:
        GlobalHydra.instance().clear()


def test_the_printed_use_line_runs_the_calibrated_posterior(tmp_path):
    """issue 25 item 3: the line exodus-calibrate prints (and writes in the config) runs at this posterior's
    medians, for a new name (its config on a search path) and for a name conf/ already holds (its CSV)."""
    from sim.cli.calibrate import use_line
    from sim.config.compose import CONF_DIR
    from sim.run.simulate import as_run_config

    post = posterior.load("xai")
    post.samples[freeparams.NAMES[0]] *= 0.9  # not the shipped posterior
    out = tmp_path / "cal"
    posterior.write(post, out / "posterior.csv")
    line = use_line(out, "mine", CONF_DIR)
    (out / "posterior").mkdir()
    (out / "posterior" / "mine.yaml").write_text(posterior.posterior_yaml(post, "mine", "test", line))
    assert f"# Use: {line} " in (out / "posterior" / "mine.yaml").read_text()
    assert dict(_compose_line(line).free) == pytest.approx(post.median(), rel=1e-5)
    shipped = use_line(out, "xai", CONF_DIR)  # conf/posterior/xai.yaml would win a search: the CSV is named
    mine = as_run_config(_compose_line(shipped))
    assert mine.posterior_file == str((out / "posterior.csv").resolve())
    assert posterior.load(mine.posterior_file).median() == pytest.approx(post.median())


# --------------------------------------------------------------------------- 6: errors cross process boundaries


@pytest.mark.parametrize(
    "error", [ConfigError("seed", -1, "an integer >= 0"), DataError("/x/departures.csv", 3, "column announced")]
)
def test_input_errors_pickle_back_whole(error):
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is type(error) and str(back) == str(error) and vars(back) == vars(error)


def test_a_config_error_in_a_worker_ends_the_pool_with_its_message():
    from sim.run import parallel
    from sim.run.simulate import as_run_config

    def work():
        with parallel.pool(2) as pool:
            return list(pool.imap(as_run_config, [{"seed": -5}], chunksize=1))

    got = finishes(work, seconds=120)
    assert isinstance(got, ConfigError) and got.field == "seed"


# --------------------------------------------------------------------------- 7: FIFOs, devices, sizes


@pytest.fixture
def fifo(tmp_path):
    path = tmp_path / "pipe.csv"
    os.mkfifo(path)
    return path


def test_a_fifo_is_refused_at_once_wherever_a_file_is_read(fifo, tmp_path):
    from sim.analysis import value
    from sim.cli.sweeper import file_digest
    from sim.run.simulate import read_design

    got = finishes(lambda: read_design(str(fifo)), fifo)
    assert isinstance(got, ConfigError) and got.field == "design.file" and "regular file" in got.allowed
    got = finishes(lambda: posterior.load(fifo), fifo)
    assert isinstance(got, DataError) and "regular file" in str(got)
    got = finishes(lambda: value.load(fifo), fifo)
    assert isinstance(got, ConfigError) and got.field == "value" and "regular file" in got.allowed
    assert finishes(lambda: file_digest(str(fifo)), fifo) == "missing"
    got = finishes(lambda: read_design("/dev/zero"))
    assert isinstance(got, ConfigError) and "regular file" in got.allowed


def test_a_file_over_the_size_limit_is_refused(tmp_path):
    from sim.data.readfile import read_bytes

    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * 2001)
    with pytest.raises(OSError, match="larger than"):
        read_bytes(big, limit=2000)
    assert read_bytes(big, limit=2001) == b"x" * 2001


# --------------------------------------------------------------------------- 8: a sweep's size


def test_a_sweep_of_millions_of_jobs_is_refused_before_planning(capsys, tmp_path):
    import time

    from sim.cli.guard import MAX_JOBS

    tic = time.perf_counter()
    err = refused(capsys, tmp_path, "-m", *SHORT, "seed=range(2000000)")
    assert "seed='range(2000000)'" in err and f"at most {MAX_JOBS} jobs" in err
    assert time.perf_counter() - tic < 30


# --------------------------------------------------------------------------- 9: silent wrong results


def _departures(folder: Path, rows: list[tuple[str, str, str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["announced,person,role,co_founder,source"] + [f"{d},{p},engineer,{c},src" for d, p, c in rows]
    (folder / "departures.csv").write_text("\n".join(lines) + "\n")
    return folder


def test_a_record_dated_after_today_is_refused(tmp_path, capsys):
    from sim.cli.data import main as data_main

    folder = _departures(tmp_path / "r", [("2026-01-10", "A", "false"), ("2099-01-01", "B", "false")])
    assert data_main(["departures", str(folder / "departures.csv")]) == 2
    err = capsys.readouterr().err
    assert "line 3" in err and "column announced: 2099-01-01 is after today" in err


def test_a_founder_leaving_years_after_the_announcement_is_refused(tmp_path):
    from sim.data import record

    folder = _departures(tmp_path / "r", [("2025-01-10", "A", "true")])
    (folder / "founders.csv").write_text("person,left,source\nA,2026-11-01,src\nB,,src\n")
    with pytest.raises(DataError, match="column left: 2026-11-01 for A is more than 366 days"):
        record.load(folder)
    (folder / "founders.csv").write_text("person,left,source\nA,2025-01-20,src\nB,,src\n")
    assert record.load(folder).end.isoformat() == "2025-01-20"


def test_more_departures_than_the_lab_ever_had_staff_is_refused(tmp_path):
    from sim.data import record

    rows = [(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d}", f"p{i}", "false") for i in range(201)]
    folder = _departures(tmp_path / "r", rows)
    (folder / "headcount.csv").write_text("date,headcount,bound,source\n2025-06-01,100,about,src\n")
    with pytest.raises(DataError, match="201 announcements: at most 2 x the largest headcount reported"):
        record.load(folder)
    (folder / "headcount.csv").write_text("date,headcount,bound,source\n2025-06-01,101,about,src\n")
    assert len(record.load(folder).departures) == 201


def test_a_posterior_without_parameters_or_with_overflowing_weights_is_refused(tmp_path):
    only = tmp_path / "w.csv"
    pd.DataFrame({"weight": [1.0, 2.0]}).to_csv(only, index=False)
    with pytest.raises(DataError, match="no parameter column"):
        posterior.load(only)
    huge = tmp_path / "huge.csv"
    pd.DataFrame({freeparams.NAMES[0]: [0.1, 0.12], "weight": [1e308, 1e308]}).to_csv(huge, index=False)
    with pytest.raises(DataError, match="weights sum to inf"):
        posterior.load(huge)


@pytest.mark.parametrize("text, field", [("", "value"), ("ramp_days: ninety\n", "value.ramp_days"),
                                         ("ramp_days: [1]\n", "value.ramp_days")])  # fmt: skip
def test_a_valuation_file_must_hold_numbers(tmp_path, text, field):
    from sim.analysis import value

    path = tmp_path / "v.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        value.load(path)
    assert err.value.field == field


@pytest.mark.parametrize("goal", ["nan", "inf", "-inf"])
def test_a_goal_is_a_finite_number(goal):
    from sim.cli.argtypes import finite_float

    with pytest.raises(argparse.ArgumentTypeError, match="a finite number"):
        finite_float(goal)
    assert finite_float("12.5") == 12.5


def test_the_policy_none_has_no_lever(capsys, tmp_path):
    err = refused(capsys, tmp_path, *SHORT, "policy=none", "policy.levers=[retention_bonus]")
    assert "policy.levers=" in err and "'none'" in err


def test_a_design_row_cannot_set_the_design_itself(capsys, tmp_path):
    other = tmp_path / "other.csv"
    pd.DataFrame({"hazard.contagion": [1.0]}).to_csv(other, index=False)
    pd.DataFrame({"design.file": [str(other)], "hazard.contagion": [2.0]}).to_csv(tmp_path / "d.csv", index=False)
    err = refused(capsys, tmp_path, *SHORT, f"design.file={tmp_path / 'd.csv'}", "design.row=0")
    assert "design.file=" in err and "a design row cannot set" in err


def test_a_path_in_a_sweep_value_never_nests_job_folders(capsys, tmp_path):
    from sim.cli.guard import job_subdirs

    data = str(package_dir() / "data")
    the_plan = plan_of("-m", *SHORT, f"observed.dir={data}", "seed=0,1", tmp_path=tmp_path)
    subdirs = job_subdirs(the_plan.cfg, the_plan.jobs)
    assert len(subdirs) == 2 and not any("/" in x or "observed.dir" in x for x in subdirs)  # runs do not read it
    xai = str(posterior.resolve_path("xai"))
    err = refused(capsys, tmp_path, "-m", *SHORT, f"posterior_file={xai}", "seed=0,1")
    assert err.startswith("exodus: error: posterior_file=") and "exclude_keys" in err


# --------------------------------------------------------------------------- 10: a searchpath in a sweep


def test_a_sweep_finds_a_policy_on_its_searchpath(tmp_path):
    (tmp_path / "my_conf" / "policy").mkdir(parents=True)
    (tmp_path / "my_conf" / "policy" / "mine.yaml").write_text("name: mine\nlevers: [retention_bonus]\n")
    the_plan = plan_of(
        "-m",
        "company.headcount=200",
        "events=none",
        "window.end=2025-11-30",
        f"hydra.searchpath=[file://{tmp_path / 'my_conf'}]",
        "policy=none,mine",
        tmp_path=tmp_path,
    )
    assert [j[-1] for j in the_plan.jobs] == ["policy=none", "policy=mine"]


# --------------------------------------------------------------------------- 11: tracebacks and wrong names


@pytest.mark.parametrize("sidecar", ['{"settings": {"seed"', "[1, 2]", '{"settings": [1]}'])
def test_a_broken_posterior_sidecar_is_named(tmp_path, sidecar):
    path = tmp_path / "p.csv"
    posterior.load("xai").samples.to_csv(path, index=False)
    path.with_suffix(".json").write_text(sidecar)
    with pytest.raises(DataError) as err:
        posterior.load(path)
    assert str(err.value).startswith(str(path.with_suffix(".json")))


def test_a_missing_exodus_conf_is_named(tmp_path):
    import subprocess

    env = {**os.environ, "EXODUS_CONF": str(tmp_path / "nope")}
    res = subprocess.run(
        [sys.executable, "-m", "sim", *SHORT, f"hydra.run.dir={tmp_path}/run"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert res.returncode == 2 and res.stderr.startswith("exodus: error: EXODUS_CONF="), res.stderr


def test_a_legacy_run_whose_summary_is_not_an_object_is_run_again(tmp_path):
    from sim.run.files import COMPLETE, why_damaged

    for name in ("daily.csv", "departures.csv"):
        (tmp_path / name).write_text("x\n")
    (tmp_path / "summary.json").write_text(json.dumps([]))
    (tmp_path / COMPLETE).write_text("")
    assert "summary.json is a JSON list" in why_damaged(tmp_path)
    (tmp_path / "summary.json").write_text(json.dumps({"config_hash": "x"}))
    assert why_damaged(tmp_path) is None
