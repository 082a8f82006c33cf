"""A user's own roster (issue 26): its validation, the run it starts, its record, its survival prior, privacy."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from sim.data import record as records
from sim.data.observed import DataError
from sim.roster import load, prior
from sim.roster import record as roster_record
from tests.cli_helpers import exodus

HEADER = "id,hire_date,role,team,annual_pay,exit_date,exit_reason"


def small_roster(n: int = 40, seed: int = 0) -> pd.DataFrame:
    """A hand-made roster: n people hired over 2021-2024 in four teams, a fifth of them gone (voluntarily) by 2025."""
    rng = np.random.default_rng(seed)
    hire = pd.Timestamp("2021-01-01") + pd.to_timedelta(rng.integers(0, 4 * 365, n), unit="D")
    hire = hire.where(np.arange(n) > 0, pd.Timestamp("2020-06-01"))  # the manager of all others, there throughout
    gone = (rng.random(n) < 0.2) & (np.arange(n) > 0)
    exit_ = hire + pd.to_timedelta(rng.integers(30, 300, n), unit="D")
    roles = np.array(["researcher", "engineer", "product", "operations"])[np.arange(n) % 4]
    return pd.DataFrame(
        {
            "id": [f"EMP-SECRET-{i:03d}" for i in range(n)],
            "hire_date": hire.strftime("%Y-%m-%d"),
            "role": roles,
            "team": [f"t{i % 4}" for i in range(n)],
            "annual_pay": 100_000 + 1000 * np.arange(n),
            "exit_date": np.where(gone, exit_.strftime("%Y-%m-%d"), ""),
            "exit_reason": np.where(gone, "voluntary", ""),
            "manager_id": [""] + ["EMP-SECRET-000"] * (n - 1),
        }
    )


def write(tmp_path, frame: pd.DataFrame, name="roster.csv"):
    path = tmp_path / name
    frame.to_parquet(path, index=False) if path.suffix == ".parquet" else frame.to_csv(path, index=False)
    return path


def refusal(path) -> str:
    with pytest.raises(DataError) as err:
        load.load(path)
    return str(err.value)


# ------------------------------------------------------------------ 1. format and validation


def test_valid_roster_counts_the_people_present_by_hand(tmp_path):
    frame = small_roster()
    r = load.load(write(tmp_path, frame))
    on = dt.date(2023, 6, 30)
    hire, leave = pd.to_datetime(frame["hire_date"]), pd.to_datetime(frame["exit_date"].replace("", None))
    by_hand = int(((hire <= pd.Timestamp(on)) & ~(leave <= pd.Timestamp(on))).sum())
    assert len(r.present(on)) == by_hand
    assert r.last_event == max(hire.max(), leave.max()).date()
    assert any("equity_value" in w for w in r.warnings)  # the default equity is announced


def _damage(kind: str, frame: pd.DataFrame, tmp_path):
    """A damaged copy of the roster: (path, the row and column its refusal must name)."""
    f = frame.copy()
    if kind == "missing column":
        return write(tmp_path, f.drop(columns="annual_pay")), None, "annual_pay"
    if kind == "exit before hire":
        f.loc[6, ["exit_date", "exit_reason"]] = ["2020-01-01", "voluntary"]
        return write(tmp_path, f), 7, "exit_date"
    if kind == "duplicate id":
        f.loc[9, "id"] = f.loc[3, "id"]
        return write(tmp_path, f), 4, "id"
    if kind == "future date":
        f.loc[11, "hire_date"] = "2999-01-01"
        return write(tmp_path, f), 12, "hire_date"
    if kind == "unknown role":
        f.loc[2, "role"] = "wizard"
        return write(tmp_path, f), 3, "role"
    if kind == "bad reason":
        f.loc[5, ["exit_date", "exit_reason"]] = ["2024-12-01", "fired"]
        return write(tmp_path, f), 6, "exit_reason"
    if kind == "non-UTF-8":
        path = write(tmp_path, f)
        lines = path.read_bytes().split(b"\n")
        lines[8] = lines[8].replace(b"t0", b"t\xe9", 1).replace(b"t1", b"t\xe9", 1).replace(b"t2", b"t\xe9", 1)
        lines[8] = lines[8].replace(b"t3", b"t\xe9", 1)
        path.write_bytes(b"\n".join(lines))
        return path, 8, "team"
    raise AssertionError(kind)


@pytest.mark.parametrize(
    "kind",
    ["missing column", "exit before hire", "duplicate id", "future date", "unknown role", "bad reason", "non-UTF-8"],
)
def test_damaged_roster_is_refused_naming_row_and_column(tmp_path, kind):
    path, row, column = _damage(kind, small_roster(), tmp_path)
    message = refusal(path)
    assert f"column {column}" in message or f"missing column(s) {column}" in message, message
    if row is not None:
        assert f"row {row}," in message and f"line {row + 1}" in message, message
    assert "allowed" in message or "a roster has" in message, message


def test_parquet_roster_reads_as_the_csv_and_is_refused_alike(tmp_path):
    frame = small_roster()
    csv = load.load(write(tmp_path, frame))
    typed = frame.assign(hire_date=pd.to_datetime(frame["hire_date"]))
    pq = load.load(write(tmp_path, typed.assign(annual_pay=frame["annual_pay"].astype(float)), "r.parquet"))
    pd.testing.assert_frame_equal(csv.people, pq.people)
    bad = frame.copy()
    bad.loc[6, ["exit_date", "exit_reason"]] = ["2020-01-01", "voluntary"]
    bad.to_parquet(tmp_path / "bad.parquet")
    assert "row 7, column exit_date" in refusal(tmp_path / "bad.parquet")


# ------------------------------------------------------------------ 2. the run it starts, 5. privacy


def test_exodus_roster_writes_its_run_folder_from_the_people_present(tmp_path):
    frame = small_roster()
    write(tmp_path, frame)
    out = exodus("roster=roster.csv", "roster.as_of=2024-06-30", "roster.horizon_days=30", tmp=tmp_path)
    assert out.returncode == 0, out.stderr
    run = tmp_path / "run"
    assert (run / "COMPLETE").exists()
    summary = json.loads((run / "summary.json").read_text())
    r = load.load(tmp_path / "roster.csv")
    assert summary["figures"]["headcount_start"] == len(r.present(dt.date(2024, 6, 30)))
    assert summary["window"] == {"start": "2024-07-01", "end": "2024-07-30"}
    text = b"".join(p.read_bytes() for p in run.rglob("*") if p.is_file())
    assert b"EMP-SECRET" not in text  # names and ids never leave the run


def test_exit_before_hire_stops_exodus_naming_row_and_exit_date(tmp_path):
    frame = small_roster()
    frame.loc[6, ["exit_date", "exit_reason"]] = ["2020-01-01", "voluntary"]
    write(tmp_path, frame)
    out = exodus("roster=roster.csv", tmp=tmp_path)
    assert out.returncode != 0
    assert "row 7, column exit_date" in out.stderr, out.stderr
    assert not (tmp_path / "run").exists()  # nothing written


def test_model_starts_with_the_rosters_tenure_pay_and_manager_ties(tmp_path):
    from sim.config.compose import compose
    from sim.run.simulate import build_model

    frame = small_roster()
    path = write(tmp_path, frame)
    m = build_model(compose([f"roster={path}", "roster.as_of=2024-06-30", "roster.horizon_days=10"]))
    present = load.load(path).present(dt.date(2024, 6, 30)).reset_index(drop=True)
    wf, n = m.workforce, len(present)
    assert m.workforce.n == n
    tenure = (pd.Timestamp("2024-07-01") - present["hire_date"]).dt.days.to_numpy()
    np.testing.assert_array_equal(-wf.hired[:n], tenure)
    np.testing.assert_array_equal(wf.pay[:n], present["annual_pay"].to_numpy())
    boss = int(np.flatnonzero(present["id"] == "EMP-SECRET-000")[0])
    managed = np.flatnonzero(present["manager_id"] == "EMP-SECRET-000")
    assert managed.size == n - 1 and (wf.ties[managed, 0] == boss).all()


# ------------------------------------------------------------------ the record its exits make


def test_record_of_the_roster_loads_as_observed_data_with_hashed_ids(tmp_path):
    frame = small_roster()
    r = load.load(write(tmp_path, frame))
    on = dt.date(2024, 12, 31)
    folder = roster_record.write(r, on, "pepper", tmp_path / "rec")
    rec = records.load(folder)
    exits = pd.to_datetime(frame["exit_date"].replace("", None))
    assert len(rec.departures) == int((exits <= pd.Timestamp(on)).sum())
    assert int(rec.counts["value"].sum()) == len(rec.departures)
    assert b"EMP-SECRET" not in b"".join(p.read_bytes() for p in folder.iterdir())
    other = roster_record.tables(r, on, "salt2")["departures"]["person"]
    assert set(other).isdisjoint(set(rec.departures["person"]))  # the salt changes every hash


# ------------------------------------------------------------------ 3. the survival prior: recovery


def test_survival_prior_recovers_the_base_hazard_of_a_roster_drawn_from_the_model():
    """Rosters drawn from the model with only the base hazard on (base_annual known): the 90 % interval of the
    roster's fit covers the truth in at least 4 of 5 seeds (a 90 % interval misses all but 4 with chance 0.08)."""
    from sim.config.compose import compose
    from sim.roster.synthetic import from_model
    from sim.run.simulate import build_model

    truth = 0.2
    cfg = compose(
        [
            "mechanisms=none",
            "events=none",
            "company.headcount=3000",
            "company.founders=0",
            "company.owner_founders=0",
            "company.founders_left=[]",
            f"hazard.base_annual={truth}",
            "company.founded=2020-01-01",
            "window.start=2023-01-01",
            "window.end=2023-12-31",
        ]
    )
    covered = []
    for seed in range(5):
        m = build_model(cfg, seed=seed).run()
        frame = from_model(m)
        people = frame.assign(
            hire_date=pd.to_datetime(frame["hire_date"]),
            exit_date=pd.to_datetime(frame["exit_date"].replace("", None)),
            equity_value=np.nan,
            vesting_years=np.nan,
            vesting_cliff_months=np.nan,
        )
        r = load.Roster(people, "model", "x")
        hf = prior.fit(prior.survival_table(r, dt.date(2023, 12, 31)))
        covered.append(hf.overall[1] <= truth <= hf.overall[2])
    assert sum(covered) >= 4, covered


def test_roster_run_takes_its_base_hazard_from_the_survival_fit(tmp_path):
    from sim.config.compose import check, compose

    path = write(tmp_path, small_roster(200))
    run = check(compose([f"roster={path}"]))
    hf = prior.roster_fit(load.load(path), dt.date.fromisoformat(run.roster.as_of))
    assert run.hazard.base_annual == pytest.approx(hf.base_annual, abs=1e-6)
    off = check(compose([f"roster={path}", "roster.fit_hazard=false"]))
    assert off.hazard.base_annual == check(compose([])).hazard.base_annual


def test_roster_role_names_map_to_the_models_roles_and_a_bad_mapping_is_refused(tmp_path):
    frame = small_roster().replace({"role": {"researcher": "Scientist"}})
    path = write(tmp_path, frame)
    assert "column role: 'Scientist'" in refusal(path)
    r = load.load(path, {"Scientist": "researcher"})
    assert (r.people["role"] == "researcher").sum() == (small_roster()["role"] == "researcher").sum()
    with pytest.raises(DataError, match="roster.roles.Scientist: 'wizard' is not one of the model's roles"):
        load.load(path, {"Scientist": "wizard"})


def test_a_roster_run_from_python_is_set_up_once_and_repeats_byte_for_byte(tmp_path):
    from sim.config.params import RosterConfig, RunConfig
    from sim.run.simulate import as_run_config, simulate

    path = write(tmp_path, small_roster(120))
    run = as_run_config(RunConfig(roster=RosterConfig(path=str(path), horizon_days=30)))
    assert run.roster.digest and run.company.headcount == len(load.load(path).present(load.load(path).last_event))
    assert as_run_config(run) is run  # set up once: the digest marks it
    a, b = simulate(run, seed=3), simulate(run, seed=3)
    assert a.daily.to_csv().encode() == b.daily.to_csv().encode()


# ------------------------------------------------------------------ 3. the survival fit as the calibration's prior


def test_calibration_prior_of_the_base_hazard_comes_from_the_rosters_survival_fit(tmp_path):
    """With a roster, base_annual's ABC prior is log-uniform over the fit's 90 % interval widened WIDEN-fold each
    way (by hand from the fit), covers the fit, names its source, and its support is what posterior draws are checked
    against; without a roster (or with roster.fit_hazard=false) the registry's prior stands."""
    from sim.calibration import priors
    from sim.config import freeparams, registry
    from sim.config.compose import check, compose
    from sim.config.params import ConfigError, RunConfig

    path = write(tmp_path, small_roster(200))
    run = check(compose([f"roster={path}"]))
    until = run.roster.as_of
    hf = prior.roster_fit(load.load(path), dt.date.fromisoformat(until))
    own = priors.roster_priors(run, until)["base_annual"]
    _, lo, hi = hf.overall
    assert own["low"] == pytest.approx(lo / priors.WIDEN, abs=1e-6)
    assert own["high"] == pytest.approx(min(hi * priors.WIDEN, priors.TOP), abs=1e-6)
    assert own["low"] <= lo < hi <= own["high"] and own["log"]
    shipped = registry.BY_NAME["base_annual"].prior
    assert (own["low"], own["high"]) != (shipped.low, shipped.high)
    assert own["source"].startswith("roster survival fit") and own["roster"]["exits"] == hf.exits
    # the recorded prior is the support a posterior's draws are checked against; the registry's is unchanged
    p = freeparams.recorded({"base_annual": own})["base_annual"]
    assert (p.low, p.high, p.log) == (own["low"], own["high"], True)
    outside_shipped = own["high"] * 0.99
    assert outside_shipped > shipped.high
    set_run = freeparams.apply(run, {"base_annual": outside_shipped}, priors={"base_annual": own})
    assert set_run.hazard.base_annual == outside_shipped
    with pytest.raises(ConfigError, match="free.base_annual"):
        freeparams.apply(run, {"base_annual": outside_shipped})
    # a posterior file's draws are checked against the prior its JSON records; without the JSON, a hint
    from sim.config import posterior

    csv = tmp_path / "post.csv"
    pd.DataFrame({"base_annual": [outside_shipped], "weight": [1.0]}).to_csv(csv, index=False)
    (tmp_path / "post.json").write_text(json.dumps({"priors": {"base_annual": own}}))
    drawn = posterior.apply_to_run(dataclasses.replace(run, posterior_file=str(csv), posterior_draw=0))
    assert drawn.hazard.base_annual == pytest.approx(outside_shipped)
    (tmp_path / "post.json").unlink()
    with pytest.raises(ConfigError, match="keep its .json beside the CSV"):
        posterior.apply_to_run(dataclasses.replace(run, posterior_file=str(csv), posterior_draw=0))
    # no roster, or the fit switched off: the registry's priors, and a recorded shipped prior reads as the registry's
    assert priors.roster_priors(RunConfig(), "2026-02-12") == {}
    off = dataclasses.replace(run, roster=dataclasses.replace(run.roster, fit_hazard=False))
    assert priors.roster_priors(off, until) == {}
    plain = {"base_annual": {"low": 0.01, "high": 0.5, "log": False, "source": "x"}}  # no roster entry: ignored
    assert freeparams.recorded(plain) == freeparams.BY_NAME
    with pytest.raises(ConfigError, match="priors.base_annual"):
        freeparams.recorded({"base_annual": {**own, "high": 1.5}})  # outside hazard.base_annual's range


@pytest.mark.slow
def test_abc_calibration_on_a_roster_drawn_from_the_model_recovers_the_base_hazard(tmp_path):
    """Issue 26's recovery: a lab drawn from the model becomes a roster, the model (every mechanism on) runs a year
    from its people at a known base_annual, and that run's people and exits are the roster the calibration gets.
    ABC-SMC of base_annual, on the roster's prior from its survival fit, puts the truth inside its 90 % interval
    and learns (variance shrinkage); the prior's source is recorded. 8-22 s. Over seeds 1-6 at population 30 and 3
    generations the interval held the truth in 4 of 6 (docs/roster.md)."""
    import logging

    from sim.calibration import abcsmc
    from sim.config import registry
    from sim.config.compose import check, compose
    from sim.roster.synthetic import from_model
    from sim.run.simulate import build_model

    logging.getLogger("ABC").setLevel(logging.WARNING)
    truth, seed = 0.11, 3
    lab = build_model(
        compose(["events=none", "company.headcount=300", "company.founders=0", "company.owner_founders=0",
                 "company.founders_left=[]", "window.start=2025-01-01", "window.end=2025-01-02"]),
        seed=seed,
    )  # fmt: skip
    first = write(tmp_path, from_model(lab), "lab.csv")
    truth_run = check(compose([f"roster={first}", "roster.as_of=2024-12-31", f"hazard.base_annual={truth}",
                               "roster.fit_hazard=false"]))  # fmt: skip
    path = write(tmp_path, from_model(build_model(truth_run, seed=seed).run()))
    run = check(compose([f"roster={path}", "roster.as_of=2024-12-31"]))
    roster_record.write(load.load(path), dt.date(2025, 12, 31), "s", tmp_path / "record")
    rec = records.load(tmp_path / "record")
    settings = abcsmc.Settings(params=("base_annual",), population=20, generations=2, procs=1, progress=False)
    post = abcsmc.run_abc(run, settings, record=rec).posterior
    row = post.summary(0.9).set_index("parameter").loc["base_annual"]
    assert row["lo"] <= truth <= row["hi"], row
    assert row["shrinkage_var"] > 0.3
    used = post.meta["priors"]["base_annual"]
    fitted = used["roster"]["fit"]
    assert used["source"].startswith("roster survival fit") and used["low"] <= fitted[1] <= fitted[2] <= used["high"]
    shipped = registry.BY_NAME["base_annual"].prior
    assert (used["low"], used["high"]) != (shipped.low, shipped.high)
    assert row["prior_lo"] >= used["low"] and row["prior_hi"] <= used["high"]  # the summary reads the same prior
