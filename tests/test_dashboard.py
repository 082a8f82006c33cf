"""The dashboard: its model against the plain model, and the app end to end in headless Chromium.

The browser test starts the server as `exodus-dashboard` does, on a free localhost port, loads
the page (which starts on the posterior's medians), steps the model, changes the policy and its
start, resets and steps again, switches to the conf/ defaults, and checks the numbers shown against
the model run directly (sim.compose + build_model), that the plots change, that the page fetched
nothing from outside this machine and that the server printed no warning.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest

import sim
from sim.dashboard import state
from sim.figures.shocklabels import shock_groups, shock_key
from sim.model.shocks import kinds
from sim.run.results import daily_table
from sim.run.simulate import build_model

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path(os.environ.get("EXODUS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def direct_run(overrides: list[str], days: int):
    """The plain model from the same overrides, stepped `days` days: the reference for the dashboard."""
    model = build_model(sim.compose(overrides))
    for _ in range(days):
        model.step()
    return model, daily_table(model).iloc[:days]


# --------------------------------------------------------------------------- the dashboard's model


def test_controls_build_the_same_run_as_the_cli_overrides():
    """Non-default controls give the run of the equivalent overrides, written here by hand."""
    model = state.DashboardModel(
        policy="retention_bonus",
        policy_start="2025-09-01",
        headcount=400,
        seed=3,
        hazard_contagion=6.0,
        bonus_quit_cut=0.3,
        base="conf",
    )
    for _ in range(60):
        model.step()
    _, expected = direct_run(
        [
            "policy=retention_bonus",
            "seed=3",
            "company.headcount=400",
            "hazard.contagion=6",
            "lever.retention_bonus.start=2025-09-01",
            "lever.retention_bonus.quit_cut=0.3",
        ],
        60,
    )
    got = model.series()
    assert len(got) == 60
    np.testing.assert_array_equal(got.drop(columns="date").to_numpy(), expected.drop(columns="date").to_numpy())
    assert model.levers and model.levers[0].cfg.quit_cut == 0.3 and model.levers[0].start_day == 0


def test_default_controls_sit_on_their_slider_grids_and_give_the_default_run():
    """A slider snaps its value to min + k*step: a default off the grid would silently change the run."""
    controls = state.controls()
    for name, c in {**controls, **{f"conf:{k}": v for k, v in state.controls("conf").items()}}.items():
        if c["type"].startswith("Slider"):
            k = (c["value"] - c["min"]) / c["step"]
            assert abs(k - round(k)) < 1e-6 and c["min"] <= c["value"] <= c["max"], name
    model = state.DashboardModel(**{name: c["value"] for name, c in controls.items()})
    assert model.overrides == ["+posterior=xai", "policy=none", "seed=0"]
    conf = state.controls("conf")
    model = state.dashboard_class("conf")(**{name: c["value"] for name, c in conf.items()})
    assert model.overrides == ["policy=none", "seed=0"]
    # Mesa's Reset rebuilds type(model)(**controls changed): the class keeps the parameter set
    assert state.dashboard_class("conf")(seed=4).overrides == ["policy=none", "seed=4"]
    assert state.dashboard_class("posterior") is state.DashboardModel


def test_the_dashboard_starts_on_the_posterior_medians_and_switches_to_conf():
    """The default run is `exodus +posterior=xai`; base="conf" is the plain `exodus` run; the hazard sliders start at
    the values each set gives, and a slider moved under the posterior overrides the free parameter it stands for."""
    posterior, conf = state.DashboardModel(headcount=300), state.DashboardModel(headcount=300, base="conf")
    for model, overrides in ((posterior, ["+posterior=xai"]), (conf, [])):
        _, expected = direct_run([*overrides, "policy=none", "seed=0", "company.headcount=300"], 40)
        for _ in range(40):
            model.step()
        np.testing.assert_array_equal(model.series().to_numpy(), expected.to_numpy())
        assert state.key_figures(model)["parameters"] == model.base
    medians = sim.compose(["+posterior=xai"]).free
    assert (
        state.controls()["hazard_contagion"]["value"]
        == medians.contagion
        != state.controls("conf")["hazard_contagion"]["value"]
    )
    moved = state.DashboardModel(hazard_contagion=6.0, hazard_burnout=medians.burnout)
    assert moved.overrides[-2:] == ["~free.contagion", "hazard.contagion=6"]  # burnout unchanged: not listed
    assert moved.p.hazard.contagion == 6.0 and moved.p.hazard.burnout == medians.burnout
    with pytest.raises(ValueError, match="base="):
        state.DashboardModel(base="prior")


def test_observed_lines_stop_where_the_record_ends():
    """Announcements are drawn over the observed week only, from the simulated count of the day before, once the run
    got there; co-founders up to the record's last day."""
    from sim.dashboard.plots import timeline_figure

    model = state.DashboardModel(headcount=300, base="conf")
    record_end = pd.Timestamp("2026-02-12")
    for days, drawn in ((100, False), (250, True)):
        while model.days_run < days:
            model.step()
        daily = model.series()
        fig = timeline_figure(model, daily)
        ann, found = fig.axes[1], fig.axes[3]
        obs = [line for line in ann.get_lines() if line.get_label().startswith("observed")]
        assert bool(obs) == drawn
        if drawn:
            x, y = pd.to_datetime(obs[0].get_xdata()), obs[0].get_ydata()
            before = int(daily.announced.cumsum()[daily.date == pd.Timestamp("2026-02-05").date()].iloc[0])
            assert x.min() == pd.Timestamp("2026-02-05") and x.max() == record_end
            assert y[0] == before and y[-1] == before + 11
        (founders,) = [line for line in found.get_lines() if line.get_label().startswith("observed")]
        assert pd.to_datetime(founders.get_xdata()).max() == record_end
        assert founders.get_ydata()[-1] == 6  # 6 of the 12 founders had left by 11 Feb 2026 (sim/data/founders.csv)


def test_shocks_off_removes_the_dated_events():
    with_shocks = state.DashboardModel(headcount=300)
    without = state.DashboardModel(headcount=300, shocks=False)
    assert with_shocks.p.shocks and not without.p.shocks
    assert "events=none" in without.overrides


def test_the_window_ends_cleanly_and_books_the_costs_of_a_full_run():
    """Stepping past the last day stops the model; the figures then equal those of `simulate`."""
    overrides = ["+posterior=xai", "policy=bundle_pay", "seed=1", "company.headcount=250"]
    model = state.DashboardModel(policy="bundle_pay", seed=1, headcount=250)
    while model.running:
        model.step()
    model.step()  # Mesa's Step may ask for days past the end
    assert model.days_run == model.days and not model.running
    result = sim.simulate(sim.compose(overrides))
    np.testing.assert_array_equal(
        model.series().drop(columns="date").to_numpy(), result.daily.drop(columns="date").to_numpy()
    )
    figures = state.key_figures(model)
    assert figures["departures"] == len(result.departures[result.departures.date >= model.start])
    assert math.isclose(figures["policy_cost"], result.summary["figures"]["policy_cost_total"], rel_tol=1e-12)


def test_team_view_adds_up_to_the_lab():
    model = state.DashboardModel(headcount=500, seed=2)
    for _ in range(200):
        model.step()
    teams = state.team_state(model)
    daily = model.series()
    chose = daily[["departures_voluntary", "departures_poached", "departures_spinout"]].to_numpy().sum()
    assert teams.chose_to_leave.sum() == chose
    assert teams.headcount.sum() == daily.headcount.iloc[-1]
    assert ((teams.left_share >= 0) & (teams.left_share <= 1)).all()
    active = model.workforce.active[: model.workforce.n]
    assert np.isclose(
        np.nansum(teams.mean_burnout * teams.headcount), model.workforce.burnout[: model.workforce.n][active].sum()
    )


def test_shock_groups_gather_nearby_dates():
    """The one shock-labelling helper (compare figures, fit report, dashboard): nearby dates share a letter."""
    import datetime as dt

    shocks = [
        {"date": "2025-09-12", "name": "a", "forced_exits": 5},
        {"date": "2026-02-02", "name": "b", "acquired": True},
        {"date": "2026-02-02", "name": "c", "autonomy_cut": 0.1},
        {"date": "2026-02-10", "name": "d", "burnout_bump": 0.1},
        {"date": "2026-03-01", "name": "e", "mission_drop": 0.1},
        {"date": "2027-01-01", "name": "late", "forced_exits": 5},
    ]
    groups = shock_groups(shocks, dt.date(2025, 9, 1), dt.date(2026, 8, 31), within=10)
    assert [g[0] for g in groups] == ["A", "B", "C"]
    assert [s["name"] for s in groups[1][1]] == ["b", "c", "d"]
    # each shock's kind is the effects its fields switch on
    assert "B  2 Feb 2026 / 10 Feb 2026: b (change of control), c (autonomy cut), d (burnout bump)" in shock_key(
        groups, kinds
    )
    assert [g[0] for g in shock_groups(shocks, dt.date(2025, 9, 1), dt.date(2026, 8, 31))] == ["A", "B", "C", "D"]


# --------------------------------------------------------------------------- the app in a browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


BROWSER_MODULES = ("solara", "playwright.sync_api")  # the dashboard extra


def browser_verdict(chromium: Path, explicit: bool, modules=BROWSER_MODULES) -> tuple[str, str]:
    """Whether the browser test runs here: ("run", ""), ("skip", why) or ("fail", why).

    Only a missing browser skips it, and only at the default path (where CI could not install it; `.ci/run`
    then says so in its last lines). Where the browser is installed, a missing dashboard extra fails the test,
    so a suite cannot pass quietly without it; so does an EXODUS_CHROMIUM that names no file.
    """
    if not chromium.exists():
        if explicit:
            return "fail", f"EXODUS_CHROMIUM={chromium} does not exist"
        return "skip", f"no browser at {chromium}: apt-get install chromium chromium-driver (or set EXODUS_CHROMIUM)"
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as exc:
            return (
                "fail",
                f"a browser is installed at {chromium} but {module} is not ({exc}): pip install -e '.[dashboard]'",
            )
    return "run", ""


def test_the_browser_test_skips_only_where_there_is_no_browser(tmp_path):
    installed = Path(sys.executable)  # any existing file stands in for the browser
    assert browser_verdict(tmp_path / "chromium", explicit=False)[0] == "skip"
    assert browser_verdict(tmp_path / "chromium", explicit=True)[0] == "fail"
    verdict, why = browser_verdict(installed, explicit=False, modules=("json", "no_such_module_for_exodus"))
    assert verdict == "fail" and "no_such_module_for_exodus" in why
    assert browser_verdict(installed, explicit=False, modules=("json",)) == ("run", "")


def test_ci_reports_a_missing_browser_in_its_last_lines_and_keeps_the_suite_result(tmp_path):
    """`.ci/run` with stand-ins for apt-get (the mirror is down) and make (the suite's result): it exits with the
    suite's status and its last lines say that the browser test was skipped, with apt's reason."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "apt-get").write_text("#!/bin/sh\necho 'E: could not reach the mirror'\nexit 100\n")
    for status in (0, 3):
        (tmp_path / "make-ran").unlink(missing_ok=True)
        (bin_dir / "make").write_text(f"#!/bin/sh\ntouch '{tmp_path}/make-ran'\nexit {status}\n")
        for f in bin_dir.iterdir():
            f.chmod(0o755)
        env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "EXODUS_CHROMIUM": str(tmp_path / "no-chromium")}
        res = subprocess.run(["bash", str(ROOT / ".ci" / "run")], env=env, capture_output=True, text=True, timeout=60)
        assert (tmp_path / "make-ran").exists(), res.stderr
        assert res.returncode == status, res.stdout + res.stderr
        last = res.stdout.strip().splitlines()[-5:]
        assert any("SKIPPED" in line and "test_dashboard_in_headless_chromium" in line for line in last), last
        assert "could not reach the mirror" in last[-1], last


@pytest.fixture
def server(tmp_path):
    """The dashboard served by `exodus-dashboard`'s command on a free local port; always stopped after."""
    verdict, why = browser_verdict(CHROMIUM, explicit="EXODUS_CHROMIUM" in os.environ)
    if verdict == "skip":
        pytest.skip(why)
    if verdict == "fail":
        pytest.fail(why)
    from sim.cli import dashboard as cli

    port = _free_port()
    log = tmp_path / "server.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cli.server_command(cli.DEFAULT_HOST, port),
            env=cli.server_env({**os.environ, **NO_INTERNET}),
            cwd=tmp_path,
            stdout=out,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
    url = f"http://{cli.DEFAULT_HOST}:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the dashboard server exited ({proc.returncode}):\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(url, timeout=5) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the dashboard server did not answer within 90 s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=15)


# the server's outbound HTTP(S) (requests honours these) goes to a closed local port, as if offline
NO_INTERNET = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "NO_PROXY": "127.0.0.1,localhost",
}
NO_INTERNET |= {k.lower(): v for k, v in NO_INTERNET.items()}

FIGURES_JS = "els => Object.fromEntries(els.map(e => [e.dataset.key, e.textContent]))"


def _expected(model, daily) -> dict[str, str]:
    """The key figures as the page formats them, from a directly run model."""
    return {
        "days": str(len(daily)),
        "date": daily.date.iloc[-1].isoformat(),
        "headcount": str(int(daily.headcount.iloc[-1])),
        "departures": str(int(daily.departures.sum())),
        "departures_voluntary": str(int(daily.departures_voluntary.sum())),
        "departures_forced": str(int(daily.departures_forced.sum())),
        "announced": str(int(daily.announced.sum())),
        "founders_remaining": str(int(daily.founders_remaining.iloc[-1])),
        "mean_burnout": f"{daily.mean_burnout.iloc[-1]:.4f}",
        "mean_autonomy": f"{daily.mean_autonomy.iloc[-1]:.4f}",
        "policy_cost": f"{sum(lv.cost for lv in model.levers) / 1e6:,.2f}",
    }


@pytest.mark.slow
def test_dashboard_in_headless_chromium(server, tmp_path):
    from playwright import sync_api  # the server fixture checked that it is installed

    url, log = server
    window_start = str(sim.compose([]).window.start)
    posterior = "+posterior=xai"
    paced_overrides = [posterior, "policy=sustainable_pace", "seed=0", f"lever.sustainable_pace.start={window_start}"]
    outside, errors = [], []

    with sync_api.sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=str(CHROMIUM),
            args=CHROMIUM_ARGS,
            viewport={"width": 1600, "height": 1400},
        )
        try:
            page = context.new_page()
            page.set_default_timeout(60_000)

            def on_request(request) -> None:
                local = urlparse(request.url).hostname in ("127.0.0.1", "localhost")
                if not request.url.startswith(("blob:", "data:")) and not local:
                    outside.append(request.url)

            page.on("request", on_request)
            page.on("response", lambda r: errors.append((r.status, r.url)) if r.status >= 400 else None)

            def figures() -> dict[str, str]:
                return page.eval_on_selector_all("#exodus-figures td[data-key]", FIGURES_JS)

            def wait_for(key: str, value: str) -> None:
                page.wait_for_function(
                    "([k, v]) => { const e = document.querySelector(`#exodus-figures td[data-key=${k}]`);"
                    " return e !== null && e.textContent === v; }",
                    arg=[key, value],
                )

            def plots() -> tuple[bytes, bytes]:
                return (
                    page.locator(".exodus-timeline img").screenshot(),
                    page.locator(".exodus-teams img").screenshot(),
                )

            def settled_plots() -> tuple[bytes, bytes]:
                """The plots once redrawn: two looks 0.3 s apart agree (an image may arrive after the table)."""
                last = plots()
                for _ in range(50):
                    page.wait_for_timeout(300)
                    now = plots()
                    if now == last:
                        return now
                    last = now
                raise AssertionError("the plots kept changing")

            def step() -> int:
                """Press Step; wait for the days shown to change and return them."""
                days = figures()["days"]
                page.get_by_role("button", name="Step").click()
                page.wait_for_function(
                    "d => document.querySelector('#exodus-figures td[data-key=days]').textContent !== d", arg=days
                )
                return int(figures()["days"])

            def choose(label: str, option: str) -> None:
                page.get_by_label(label, exact=True).click(force=True)
                page.locator(".menuable__content__active .v-list-item", has_text=option).click()

            def overrides_shown() -> list[str]:
                shown = page.locator("#exodus-overrides").text_content().replace("\\", " ").split()
                assert shown[0] == "exodus"
                return shown[1:]

            page.goto(url)
            wait_for("days", "0")
            assert figures()["policy"] == "none" and figures()["parameters"] == "posterior"
            assert overrides_shown() == [posterior, "policy=none", "seed=0"]  # the calibrated start
            before = settled_plots()

            assert step() == 7  # one press: the render interval, 7 days
            base = figures()
            model, daily = direct_run([posterior, "policy=none", "seed=0"], 7)
            assert {k: base[k] for k in _expected(model, daily)} == _expected(model, daily)
            stepped = settled_plots()
            assert stepped[0] != before[0] and stepped[1] != before[1], "the plots did not change after a step"

            choose("Policy", "sustainable_pace")
            choose("Policy start", window_start)
            page.get_by_role("button", name="Reset").click()
            wait_for("policy", "sustainable_pace")
            wait_for("days", "0")
            assert sorted(overrides_shown()) == sorted(paced_overrides)
            assert step() == 7
            paced = figures()
            model, daily = direct_run(paced_overrides, 7)
            assert {k: paced[k] for k in _expected(model, daily)} == _expected(model, daily)
            # common random numbers: a week in, the paced lab differs from the baseline by lower burnout and a cost
            assert float(paced["mean_burnout"]) < float(base["mean_burnout"])
            assert float(paced["policy_cost"]) > 0 == float(base["policy_cost"])
            assert settled_plots()[0] != stepped[0], "the timeline did not change with the policy"

            # through the February 2026 wave for the screenshot: the largest render interval, two presses
            page.locator(".v-input", has_text="Render Interval").get_by_role("slider").press("End")
            first = step()
            days = step()
            assert days - first == first - 7 > 50 and days < 365
            late = figures()
            model, daily = direct_run(paced_overrides, days)
            assert {k: late[k] for k in _expected(model, daily)} == _expected(model, daily)
            settled_plots()
            page.locator(".exodus-timeline").scroll_into_view_if_needed()
            shot = page.screenshot(full_page=True)

            # the switch back to conf/: a new run at that set's defaults, controls included, which Reset keeps
            choose("Parameters", state.BASES["conf"][0])
            wait_for("parameters", "conf")
            wait_for("days", "0")
            assert overrides_shown() == ["policy=none", "seed=0"] and figures()["policy"] == "none"
            page.get_by_role("button", name="Reset").click()
            wait_for("days", "0")
            assert figures()["parameters"] == "conf" and overrides_shown() == ["policy=none", "seed=0"]
            assert step() == 7
            model, daily = direct_run(["policy=none", "seed=0"], 7)
            conf = figures()
            assert {k: conf[k] for k in _expected(model, daily)} == _expected(model, daily)
            assert conf["parameters"] != base["parameters"]  # another parameter set (its run is checked above)
        finally:
            context.close()

    assert outside == [], f"the page fetched from outside this machine: {outside[:5]}"
    assert errors == [], f"failed requests: {errors[:5]}"
    server_log = log.read_text()
    assert "Could not load URL" not in server_log, "the server tried to fetch assets from a CDN"
    assert "Traceback" not in server_log, server_log[-3000:]
    assert "Warning" not in server_log, server_log[-3000:]  # Solara's cookie warning among others
    out = ROOT / "results" / "dashboard.png"
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(shot)
    reference = ROOT / "results" / "reference" / "dashboard.png"
    if os.environ.get("EXODUS_UPDATE_REFERENCE") or not reference.exists():
        reference.parent.mkdir(exist_ok=True)
        shutil.copyfile(out, reference)


def test_server_env_filters_solaras_cookie_warning_only():
    """Served on a name other than localhost over http, Solara warns at every page load; the server's environment
    filters that warning (by its message) and no other."""
    from sim.cli import dashboard as cli

    code = (
        "import warnings; warnings.warn('Cookies with samesite=none require https, but ...'); "
        "warnings.warn('another warning')"
    )
    env = cli.server_env({"PATH": os.environ.get("PATH", ""), "PYTHONWARNINGS": "default"})
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert "samesite" not in out.stderr and "another warning" in out.stderr
    assert cli.DEFAULT_HOST == "localhost"  # where Solara sets its cookie without a warning


def test_key_figures_compare_with_the_record_on_the_same_days():
    """Past the record's last day (12 Feb 2026) the simulated counts set beside the observed ones stop on that day:
    they equal a run of the same seed whose window ends on the record's last day."""
    model = state.DashboardModel(headcount=200, seed=1)
    end = state.observed_data()["end"]
    while model.running and model.start + dt.timedelta(days=model.days_run) <= end + dt.timedelta(days=20):
        model.step()
    figures = state.key_figures(model)
    assert figures["record_end"] == end.isoformat() == figures["compared_on"]
    assert dt.date.fromisoformat(figures["date"]) > end  # the run went on past the record
    cut = sim.simulate(sim.compose([*model.overrides, f"window.end={end.isoformat()}"]))
    assert figures["announced_to_record"] == int(cut.daily.announced.sum())
    assert figures["founders_to_record"] == int(cut.daily.founders_remaining.iloc[-1])
    assert figures["announced"] >= figures["announced_to_record"]


def test_the_model_names_each_lever_slider_as_a_keyword_mesa_can_see():
    """Mesa's Reset rebuilds the model with the keywords its signature names, and gives a model taking **kwargs a
    `scenario` too: the signature lists every slider and no **kwargs; a slider it does not know is refused."""
    import inspect

    params = inspect.signature(state.DashboardModel.__init__).parameters
    assert set(state.LEVER_SETTINGS) <= set(params)
    assert all(p.kind is not inspect.Parameter.VAR_KEYWORD for p in params.values())
    with pytest.raises(TypeError, match="unknown lever settings"):
        state.DashboardModel(scenario=None)
