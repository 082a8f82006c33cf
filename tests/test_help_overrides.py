"""Every override `exodus --help` shows works: parsed from the help text itself, each composes, passes the checks and
runs a tiny lab (Hydra's own `hydra.*` keys compose). A help that suggested `experiment=` (it needs `+experiment=`)
or `value=` (not an exodus group) fails here."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

import sim
from sim.cli.exodus import help_text
from sim.config.compose import check

ENV = {k: v for k, v in os.environ.items() if k not in ("EXODUS_DEBUG", "HYDRA_FULL_ERROR", "EXODUS_CONF")}
TINY = ["company.headcount=60"]  # a year of a 60-person lab: milliseconds
TOKEN = re.compile(r"(?<![\w/.$-])(\+?[a-z][\w.]*=\S+)")


def _help() -> str:
    code = "import sys; sys.argv = ['exodus', '--help']; from sim.cli.exodus import main; main()"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def _values(value: str) -> list[str]:
    """The single values a swept or alternative value stands for: `a,b` -> a, b; `range(N)` -> 0; `x|y` -> x, y."""
    value = value.strip("'\"")
    if value.startswith("["):
        return [value]
    if value.startswith("range("):
        return ["0"]
    return [v for part in value.split(",") for v in part.split("|")]


def overrides_shown(text: str, tmp_path) -> list[str]:
    """Every `key=value` the help text shows, as single overrides, placeholders filled."""
    shown: list[str] = []
    lines = text.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("Config groups"))
    end = next(i for i in range(start + 1, len(lines)) if not lines[i].strip())
    for line in lines[start + 1 : end]:  # `group: a, b` (or `+group: ...`) is `group=a`, `group=b`
        if line.startswith("("):
            continue  # a group that another command reads, said so
        group, options = line.split(":", 1)
        shown += [f"{group}={opt.strip().split()[0]}" for opt in options.split("(")[0].split(",") if opt.strip()]
    for line in lines[:start] + lines[end:]:
        for token in TOKEN.findall(line):
            key, value = token.rstrip(";).").split("=", 1)
            if key.isupper() or value in ("VALUE", "A,B", "ROSTER"):
                continue  # `KEY=VALUE`, `KEY=A,B`: the usage line's shape, not an override
            for v in _values(value):
                if v == "NAME":
                    v = {"+posterior": "xai", "+experiment": "default", "policy": "none"}.get(key, "mine")
                if key == "roster":  # the example's file: a small roster of our own
                    from tests.test_roster import small_roster

                    small_roster().to_csv(tmp_path / v, index=False)
                    v = str(tmp_path / v)
                if key == "hydra.searchpath":
                    (tmp_path / "my_conf" / "policy").mkdir(parents=True, exist_ok=True)
                    v = f"[file://{tmp_path / 'my_conf'}]"
                shown.append(f"{key}={v}")
    return sorted(set(shown))


def _sweep_job(overrides: list[str]) -> list[str]:
    """The overrides of the first job of the sweep a named experiment sets (its `hydra.sweeper.params`)."""
    from hydra import compose, initialize_config_dir

    from sim.config.compose import CONF_DIR, register_configs

    register_configs()
    with initialize_config_dir(config_dir=str(CONF_DIR), version_base="1.3"):
        cfg = compose(config_name="config", overrides=overrides, return_hydra_config=True)
    params = cfg.hydra.sweeper.params or {}
    return [f"{k}={_first(CONF_DIR, k, str(v))}" for k, v in params.items()]


def _first(conf, key: str, value: str) -> str:
    """The first value a sweep parameter stands for; `glob(*)` over a config group: its first option by name."""
    if value.startswith("glob("):
        return sorted(p.stem for p in (conf / key).glob("*.yaml"))[0]
    return _values(value)[0]


def _runs(overrides: list[str]) -> None:
    """Compose these overrides as `exodus` would, check them, and run the tiny lab (a sweep: its first job)."""
    job = _sweep_job([*TINY, *overrides]) if any(o.startswith("+experiment=") for o in overrides) else []
    cfg = sim.compose([*TINY, *overrides, *job])
    res = sim.simulate(check(cfg))
    assert len(res.daily) > 0


def test_every_override_the_help_shows_runs(tmp_path):
    text = _help()
    overrides = overrides_shown(text, tmp_path)
    keys = {o.split("=", 1)[0] for o in overrides}
    # the help's examples and groups are all there: policies, experiments, lever settings, sweeps, hydra keys
    assert {"policy", "+experiment", "+posterior", "seed", "replicates", "study", "events"} <= keys, keys
    assert {"lever.retention_bonus.stay_days", "policy.levers", "hydra.searchpath"} <= keys, keys
    assert "experiment" not in keys and "value" not in keys and "posterior" not in keys
    # rounds: each takes one value of every key (so ~10 compositions, not one per override); a round that fails is
    # retried one override at a time to name the culprit
    by_key: dict[str, list[str]] = {}
    for o in overrides:
        by_key.setdefault(o.split("=", 1)[0], []).append(o)
    alone = by_key.pop("roster", [])  # a roster sets the company and the window itself: run on its own
    groups = sorted(by_key, key=lambda k: ("." in k, k))  # group choices first, then dotted keys
    failures = []
    for o in alone:
        try:
            _runs([o])
        except Exception as exc:  # noqa: BLE001
            failures.append(f"{o}: {type(exc).__name__}: {str(exc)[:200]}")
    for r in range(max(len(v) for v in by_key.values())):
        chosen = [by_key[k][r % len(by_key[k])] for k in groups]
        try:
            _runs(chosen)
        except Exception:  # noqa: BLE001 - find which override of the round fails
            for o in chosen:
                try:
                    _runs([o])
                except Exception as exc:  # noqa: BLE001
                    failures.append(f"{o}: {type(exc).__name__}: {str(exc)[:200]}")
    assert not failures, sorted(set(failures))


def test_help_text_marks_added_groups_and_other_commands_groups():
    hydra_text = (
        "Config groups (group=option)\nevents: none, xai\nexperiment: default\nposterior: xai\nvalue: default\n\nx"
    )
    out = help_text(hydra_text).splitlines()
    assert out[1] == "events: none, xai"
    assert out[2].startswith("+experiment: default") and out[3].startswith("+posterior: xai")
    assert out[4].startswith("(value/:") and "exodus-compare" in out[4]


@pytest.mark.parametrize("bad", ["experiment=default", "value=default"])
def test_the_forms_the_help_no_longer_shows_do_fail(bad):
    """Why the help must not show them: these overrides are refused."""
    with pytest.raises(Exception, match="Could not override"):
        sim.compose([*TINY, bad])
