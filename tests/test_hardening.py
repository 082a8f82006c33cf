"""Issue 18, case by case: refusals are one line naming the field, sweeps tell the truth, compare checks what it
averages, damaged runs heal, no code from config, folders stay where they belong."""

import json
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.cli.compare import main as compare_main
from sim.cli.data import main as data_main
from sim.cli.exodus import main, sweep_summary
from sim.config.compose import CONF_DIR
from sim.config.params import ConfigError
from tests.cli_helpers import completed, exodus, refused, tables

SHORT = ("company.headcount=150", "window.end=2025-11-30", "events=none")


def _chattr(flag: str, *paths: Path) -> bool:
    try:
        return all(subprocess.run(["chattr", flag, str(p)], capture_output=True).returncode == 0 for p in paths)
    except FileNotFoundError:
        return False


# --------------------------------------------------------------------------- 1, 6: no code from config


def test_a_callback_target_is_refused_before_hydra_runs_it_end_to_end(tmp_path):
    victim = tmp_path / "v.txt"
    victim.write_text("keep me")
    res = exodus(
        *SHORT,
        "+hydra.callbacks.e._target_=builtins.open",
        f"+hydra.callbacks.e.file={victim}",
        "+hydra.callbacks.e.mode=w",
        tmp=tmp_path,
    )
    assert res.returncode == 2 and "hydra.callbacks.e._target_='builtins.open'" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1
    assert victim.read_text() == "keep me" and not completed(tmp_path)


CODE = [
    (
        ["+hydra.callbacks.e._target_=pathlib.Path.mkdir", "+hydra.callbacks.e.self=/tmp/x"],
        "hydra.callbacks.e._target_",
    ),
    (["-m", "seed=0,1", "+hydra.callbacks.e._target_=os.system"], "hydra.callbacks.e._target_"),
    (["+hydra.callbacks.e={_target_: builtins.exec, _args_: ['1']}"], "hydra.callbacks.e._target_"),
    (["hydra.callbacks.validate_sweep._target_=builtins.print"], "hydra.callbacks.validate_sweep._target_"),
    (["-m", "seed=0,1", "hydra.launcher._target_=builtins.print"], "hydra.launcher._target_"),
    (["+hydra.job_logging.handlers.x={class: builtins.print}"], "hydra.job_logging.handlers.x.class"),
    (["+hydra.job_logging.handlers.x={class: logging.StreamHandler, stream: 'ext://os.system'}"], "stream"),
    (["+hydra.job.env_set.LD_PRELOAD=/tmp/x.so"], "hydra.job.env_set.LD_PRELOAD"),
]


@pytest.mark.parametrize("args, field", CODE, ids=[f for _, f in CODE])
def test_code_named_anywhere_in_the_config_is_refused(capsys, tmp_path, args, field):
    assert field in refused(capsys, tmp_path, *SHORT, *args)


def test_logging_factories_are_refused():
    from sim.cli.guard import check_no_code

    with pytest.raises(ConfigError, match=r"hydra.job_logging.filters.f.\(\)"):
        check_no_code({"hydra": {"job_logging": {"filters": {"f": {"()": "builtins.print"}}}}})
    check_no_code({"hydra": {"job_logging": {"handlers": {"h": {"class": "logging.StreamHandler"}}}}})


def test_code_in_a_config_file_of_an_extra_config_dir_is_refused(capsys, tmp_path):
    (tmp_path / "conf" / "evil").mkdir(parents=True)
    (tmp_path / "conf" / "evil" / "x.yaml").write_text(
        "# @package _global_\nhydra:\n  callbacks:\n    e:\n      _target_: builtins.open\n      file: /tmp/x\n"
    )
    err = refused(capsys, tmp_path, "--config-dir", str(tmp_path / "conf"), *SHORT, "+evil=x")
    assert "hydra.callbacks.e._target_" in err


# --------------------------------------------------------------------------- 9: folders


@pytest.mark.parametrize(
    "args, field",
    [
        (["study=../../escape"], "study"),
        (["-m", "study=../../escape", "seed=0,1"], "study"),
        (["study=/etc"], "study"),
        (["-m", "seed=0,1", "hydra.sweep.subdir=same"], "hydra.sweep.subdir"),
        (["-m", "seed=0,1", "hydra.sweep.subdir=../out"], "hydra.sweep.subdir"),
        (["-m", "seed=0", "design.file=a.csv,b.csv", "design.row=0"], "hydra.sweep.subdir"),  # excluded key
    ],
)
def test_folders_stay_under_the_results_root_and_apart(capsys, tmp_path, args, field):
    assert refused(capsys, tmp_path, *SHORT, *args).startswith(f"exodus: error: {field}=")


def test_an_unwritable_run_or_sweep_folder_is_one_line(capsys, tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    if not _chattr("+i", locked):
        pytest.skip("chattr +i is not permitted here")
    try:
        for args, field in (([f"hydra.run.dir={locked}/run"], "hydra.run.dir"), (["-m", "seed=0,1"], None)):
            with pytest.raises(SystemExit) as stop:
                if field:
                    main([*SHORT, *args])
                else:
                    main(["-m", *SHORT, "seed=0,1", f"hydra.sweep.dir={locked}/sweep"])
            err = capsys.readouterr().err.strip()
            assert stop.value.code == 2 and len(err.splitlines()) == 1
            assert (field or "hydra.sweep.dir") in err and "write" in err
    finally:
        _chattr("-i", locked)


# --------------------------------------------------------------------------- 3, 5, 6, 10: values


NONSENSE = [
    (["hazard.burnout=inf"], "hazard.burnout=inf"),
    (["events=xai", "shocks.3.hazard_amp=inf"], "shocks[3].hazard_amp=inf"),
    (["choice.intercept=nan"], "choice.intercept=nan"),
    (["company.founded=2030-01-01"], "company.founded='2030-01-01'"),
    (["company.hire_fill_days=inf"], "company.hire_fill_days=inf"),
    (["policy=retention_bonus", "policy.levers=[]"], "policy.levers=[]"),
    (["seed=-1"], "seed=-1"),
    (["vesting.years=inf"], "vesting.years=inf"),
    (["posterior_file=xai", "posterior_draw=1000000000"], "posterior_draw=1000000000"),
    (["company.headcount=5000000"], "company.headcount=5000000"),
    (["company.cross_ties=1e7"], "company.cross_ties"),
    (["hazard.contagion_window_days=100000"], "hazard.contagion_window_days=100000"),
    (["window.end=9999-12-31"], "window.end='9999-12-31'"),
    (["window.end=2045-01-01"], "window.end='2045-01-01'"),
    (["policy=nonexistent"], "policy='nonexistent'"),
    (["company.headcount=abc"], "company.headcount='abc'"),
    (["-m", "vesting.years=inf", "seed=0,1"], "vesting.years=inf"),
    (["-m", "seed=-1,0"], "seed=-1"),
    (["-m", "design.file=/no/such.csv", "design.row=0,1"], "design.file='/no/such.csv'"),
    (["-m", "posterior_file=/no/such.csv", "seed=0,1"], "/no/such.csv"),
    (["-m", "hazard.burnout=1,inf"], "hazard.burnout=inf"),
    (["-m", "policy=none,nonexistent"], "policy='nonexistent'"),
]


@pytest.mark.parametrize("args, text", NONSENSE, ids=[t for _, t in NONSENSE])
def test_nonsense_is_refused_in_one_line_naming_the_field(capsys, tmp_path, args, text):
    assert text in refused(capsys, tmp_path, *SHORT, *args)


def test_a_broken_policy_file_stops_a_sweep_in_one_line(capsys, tmp_path, monkeypatch):
    conf = tmp_path / "conf"
    shutil.copytree(CONF_DIR, conf)
    (conf / "policy" / "broken.yaml").write_text("name: broken\nlevers: [retention_bonus\n")
    monkeypatch.setattr("sim.cli.exodus.CONF_DIR", conf)
    assert "policy='broken'" in refused(capsys, tmp_path, "-m", *SHORT, "policy=none,broken")


@pytest.mark.parametrize(
    "cells, field",
    [
        ("hazard.contagion,_w\n,1\n", "hazard.contagion="),
        ("hazard.contagion\nlots\n", "hazard.contagion="),
        ("seed\n-1\n", "seed=-1"),
        ("company.headcount\n1e30\n", "company.headcount="),
        ("company.headcount,company.headcount\n5,6\n", "repeated"),
    ],
)
def test_bad_design_cells_are_refused_naming_column_and_row(capsys, tmp_path, cells, field):
    design = tmp_path / "d.csv"
    design.write_text(cells)
    err = refused(capsys, tmp_path, "-m", *SHORT, f"design.file={design}", "design.row=0")
    assert field in err and str(design) in err


@pytest.mark.parametrize(
    "config, field",
    [
        ({"company": {"headcount": "200"}}, "company.headcount='200'"),
        ({"company": {"headcount": True}}, "company.headcount=True"),
        ({"company": {"headcount": 2.5}}, "company.headcount=2.5"),
        ({"company": 5}, "company=5"),
        ({"firms": {"a": 1}}, "firms"),
        ({"hazard": {"burnout": "1"}}, "hazard.burnout='1'"),
        ({"mechanisms": {"hiring": 1}}, "mechanisms.hiring=1"),
        ({"policy": {"levers": [7]}}, "policy.levers[0]"),
        ({"seed": 1.5}, "seed=1.5"),
        ({"free": {"contagion": "x"}}, "free.contagion"),
    ],
)
def test_the_python_api_refuses_wrong_types_by_field(config, field):
    with pytest.raises(ConfigError) as err:
        sim.simulate(config)
    assert str(err.value).startswith(field)


# --------------------------------------------------------------------------- 8: exodus-data


DATA = [
    (
        "departures",
        "announced,person,role,co_founder,source\n2026-02-06,A,e,false,x\n\n2026-02-07,B,e,maybe,x\n",
        "line 4: column co_founder",
    ),
    (
        "departures",
        'announced,person,role,co_founder,source\n2026-02-06,A,"two\nlines",false,x\n2026-02-07,B,e,maybe,x\n',
        "line 4: column co_founder",
    ),
    (
        "departures",
        "announced,person,role,co_founder,source,person\n2026-02-06,A,e,false,x,B\n",
        "line 1: column(s) person",
    ),
    ("founders", "person,left,source\nA,2024-04-01,\n", "line 2: column source: empty"),
    ("headcount", "date,headcount,bound,source\n2026-02-11,1000,at_least, \n", "line 2: column source: empty"),
    ("headcount", "date,headcount,bound,source\n2026-02-11,1000,at_least,x\x00y\n", "line 2: a NUL byte"),
]


@pytest.mark.parametrize("kind, text, reason", DATA, ids=[r for _, _, r in DATA])
def test_exodus_data_lines_columns_sources_and_nul(tmp_path, capsys, kind, text, reason):
    path = tmp_path / "mine.csv"
    path.write_text(text)
    assert data_main([kind, str(path)]) == 2
    assert reason in capsys.readouterr().err


# --------------------------------------------------------------------------- 2, 4, 5, 7: sweeps and compare


SWEEP = ("-m", *SHORT, "policy=none,sustainable_pace", "seed=0,1", "hydra/launcher=basic")


@pytest.fixture(scope="module")
def sweep_dir(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    res = exodus(*SWEEP, tmp=tmp)
    assert res.returncode == 0, res.stderr
    assert "sweep: 4 of 4 jobs complete" in res.stdout
    return tmp / "sweep"


def _copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


def _run(root: Path, policy: str, seed: int) -> Path:
    return root / f"company.headcount=150,events=none,policy={policy},seed={seed},window.end=2025-11-30"


def _cut(folder: Path, last: str, fix_marker: bool) -> None:
    """Cut a run's daily and departures tables at `last`; with `fix_marker`, rewrite COMPLETE to match."""
    for name in ("daily.csv", "departures.csv"):
        df = pd.read_csv(folder / name)
        df[df.date <= last].to_csv(folder / name, index=False)
    if fix_marker:
        (folder / "COMPLETE").write_text("")  # a marker without checksums (as written before them)


def test_compare_skips_runs_whose_tables_are_cut_edited_or_empty(sweep_dir, tmp_path, capsys):
    root = _copy(sweep_dir, tmp_path / "sweep")
    _cut(_run(root, "none", 0), "2025-09-30", fix_marker=False)  # checksum catches it
    _cut(_run(root, "none", 1), "2025-09-30", fix_marker=True)  # the window check catches it
    daily = _run(root, "sustainable_pace", 0) / "daily.csv"
    daily.write_text(daily.read_text().splitlines()[0] + "\n")  # header only
    (_run(root, "sustainable_pace", 0) / "COMPLETE").write_text("")
    edited = _run(root, "sustainable_pace", 1)
    df = pd.read_csv(edited / "daily.csv")
    df.loc[3, "announced"] = 5000
    df.to_csv(edited / "daily.csv", index=False)
    (edited / "COMPLETE").write_text("")
    with pytest.raises(SystemExit) as stop:
        compare_main([str(root), "--no-plots", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "no complete runs to compare (4 run folder(s) skipped)" in err
    assert "Traceback" not in err
    for reason in ("checksum", "daily.csv has 30 rows", "daily.csv has 0 rows", "announced=5"):
        assert reason in err, err


def test_compare_with_one_damaged_run_averages_the_others(sweep_dir, tmp_path, capsys):
    root = _copy(sweep_dir, tmp_path / "sweep")
    _cut(_run(root, "sustainable_pace", 1), "2025-09-30", fix_marker=True)
    assert compare_main([str(root), "--no-plots", "--out", str(tmp_path / "out")]) == 0
    skipped = pd.read_csv(tmp_path / "out" / "skipped.csv")
    assert len(skipped) == 1 and "rows; the window" in skipped.reason[0]
    runs = pd.read_parquet(tmp_path / "out" / "runs.parquet")
    assert len(runs) == 3


def test_compare_output_problems_are_one_line(sweep_dir, tmp_path, capsys):
    a_file = tmp_path / "a_file"
    a_file.write_text("x")
    with pytest.raises(SystemExit) as stop:
        compare_main([str(sweep_dir), "--no-plots", "--out", str(a_file)])
    err = capsys.readouterr().err.strip()
    assert stop.value.code == 2 and len(err.splitlines()) == 1 and "is a file" in err
    root = _copy(sweep_dir, tmp_path / "sweep")
    if not _chattr("+i", root):
        pytest.skip("chattr +i is not permitted here")
    try:
        with pytest.raises(SystemExit) as stop:
            compare_main([str(root), "--no-plots"])
        err = capsys.readouterr().err.strip()
        assert stop.value.code == 2 and len(err.splitlines()) == 1 and "cannot write" in err
    finally:
        _chattr("-i", root)


def test_damaged_runs_heal_on_resume_and_an_unwritable_run_does_not_stop_the_sweep(sweep_dir, tmp_path):
    root = _copy(sweep_dir, tmp_path / "sweep")
    original = tables(root)
    (_run(root, "none", 0) / "summary.json").unlink()  # deleted, COMPLETE kept
    (_run(root, "none", 1) / "summary.json").write_text("{not json")  # corrupted
    _cut(_run(root, "sustainable_pace", 0), "2025-09-30", fix_marker=False)  # truncated, COMPLETE kept
    locked = _run(root, "sustainable_pace", 1)
    shutil.rmtree(locked)
    locked.mkdir()
    can_lock = _chattr("+i", locked)
    try:
        res = exodus(*SWEEP, tmp=tmp_path)
    finally:
        _chattr("-i", locked)
    assert "Traceback" not in res.stderr
    assert res.stderr.count("rerun (") == 3, res.stderr
    healed = {k: v for k, v in tables(root).items() if not k.startswith(locked.name)}
    assert healed == {k: v for k, v in original.items() if not k.startswith(locked.name)}
    if can_lock:
        assert res.returncode == 1
        last = res.stderr.strip().splitlines()[-1]
        assert last.startswith("exodus: error: sweep: 1 of 4 jobs failed") and locked.name in last
        assert len(completed(root)) == 3
    else:
        assert res.returncode == 0


def test_a_sweep_whose_jobs_did_not_report_counts_them_failed(tmp_path):
    (tmp_path / "0").write_text("ok\n")
    (tmp_path / "1").write_text("failed\tboom\n")
    assert sweep_summary(tmp_path, 3) == (
        2,
        ["boom", "1 job(s) ended without reporting (killed, or the launcher failed)"],
    )


def test_complete_lists_a_checksum_of_each_file(sweep_dir):
    import hashlib

    folder = _run(sweep_dir, "none", 0)
    lines = (folder / "COMPLETE").read_text().splitlines()
    listed = dict(reversed(line.split("  ")) for line in lines)
    assert set(listed) == {"daily.csv", "departures.csv", "offers.csv", "summary.json"}
    for name, digest in listed.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    assert json.loads((folder / "summary.json").read_text())["seed"] == 0


def test_a_pickled_rerun_is_refused(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        main(["--experimental-rerun", str(tmp_path / "config.pickle")])
    assert stop.value.code == 2 and "--experimental-rerun" in capsys.readouterr().err


def test_a_posterior_file_with_an_infinite_value_is_refused_by_line(capsys, tmp_path):
    from sim.calibration import posterior

    path = tmp_path / "post.csv"
    shipped = posterior.load("xai").samples
    bad = shipped.copy()
    bad.iloc[2, 0] = float("inf")
    bad.to_csv(path, index=False)
    err = refused(capsys, tmp_path, *SHORT, f"posterior_file={path}", "posterior_draw=0")
    assert "line 4" in err and "infinite" in err


def test_simulate_checks_a_seed_given_apart():
    with pytest.raises(ConfigError, match=r"^seed=-3 "):
        sim.simulate({"company": {"headcount": 20}}, seed=-3)


@pytest.mark.parametrize(
    "config, field",
    [
        ({"spinout": {"offers_per_day": 1.0}}, "spinout.offers_per_day=1.0"),  # an infinite daily hazard
        (  # more than one offer a day to the only person a firm targets: the hazard was NaN (no offers, silently)
            {
                "company": {"headcount": 2, "role_mix": {"researcher": 1.0}},
                "firms": [{"name": "a", "offers_per_year": 1000}],
            },
            "firms[0].offers_per_year=1000",
        ),
    ],
)
def test_rates_that_would_make_an_infinite_or_undefined_hazard_are_refused(config, field):
    with pytest.raises(ConfigError) as err:
        sim.simulate(config)
    assert str(err.value).startswith(field)
