"""Every default in conf/ cites its source or says `assumption`; docs/ODD.md describes the model and tables the
defaults with their sources from conf/ itself; nothing points to the design brief, which a clone does not have.

conf/ is read as text (sim.config.conftext; a YAML parser drops comments): each `key: value` line carries a trailing
comment, or the line that opens its block does; the comment names a source (a study or report with its year,
a shipped file, docs/ODD.md) or says `assumption`. Labels (`name`, `kind`, `type`, `study`, a policy's
`levers`), the run's `seed` and Hydra's own blocks (`defaults`, `hydra`) are not parameters. The posterior
configs (conf/posterior/) are written by exodus-calibrate: their source is the posterior file in their header.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.config.conftext import CONF, leaves, tables, uncited, with_tables

ROOT = Path(__file__).resolve().parents[1]
ODD = ROOT / "docs" / "ODD.md"
CONF_FILES = sorted(
    p for p in CONF.rglob("*.yaml") if p.parent.name != "posterior" and "hydra" not in p.relative_to(CONF).parts
)


def test_the_parser_finds_uncited_defaults():
    text = (
        "defaults:\n  - company: xai\n"
        "a: 1  # assumption\n"
        "b: 2\n"
        "c:  # Smith 2020\n  d: 3\n"
        "e:\n  f: 4  # see elsewhere\n  g: '5 # not a comment'\n"
        'shocks:\n  - name: x\n    date: "2025-01-01"  # TechCrunch 2026-02-10\n    unit: ops\n'
        "  - name: y\n    unit: a  # assumption\n"
        "hydra:\n  run:\n    dir: x\n"
    )
    assert [(n, k) for n, k, _ in uncited(text)] == [(4, "b"), (8, "e.f"), (9, "e.g"), (13, "shocks[x].unit")]
    paths = [leaf.path for leaf in leaves(text)]
    assert paths == ["a", "b", "c.d", "e.f", "e.g", "shocks[x].name", "shocks[x].date", "shocks[x].unit",
                     "shocks[y].name", "shocks[y].unit"]  # fmt: skip


@pytest.mark.parametrize("path", CONF_FILES, ids=[str(p.relative_to(CONF)) for p in CONF_FILES])
def test_every_default_in_conf_cites_a_source_or_says_assumption(path):
    missing = uncited(path.read_text())
    assert not missing, "\n".join(f"{path.relative_to(ROOT)}:{no}: {key}: {why}" for no, key, why in missing)


def test_posterior_configs_name_the_posterior_they_come_from():
    for path in sorted((CONF / "posterior").glob("*.yaml")):
        header = [line for line in path.read_text().splitlines() if line.startswith("#")]
        assert any(re.search(r"sim/data/posterior_\w+\.csv|results/\S+\.csv", line) for line in header), path


def test_no_pointer_to_the_design_brief_outside_the_repo():
    """The brief (../shared/DESIGN.md) is not in a clone: code, config, data and docs point to docs/ODD.md or to
    the original sources instead."""
    hits = []
    for folder in ("sim", "conf", "tests", "experiments", "benchmarks", "docs"):
        for p in sorted((ROOT / folder).rglob("*")):
            if p.suffix not in (".py", ".yaml", ".csv", ".json", ".md") or p == Path(__file__):
                continue
            for no, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"DESIGN(\.md| §| section|\\u00a7)", line):
                    hits.append(f"{p.relative_to(ROOT)}:{no}: {line.strip()[:100]}")
    assert not hits, "\n".join(hits)


def test_the_odd_has_the_protocol_sections_and_places_for_new_mechanisms():
    odd = ODD.read_text()
    for heading in (
        "Purpose and patterns",
        "Entities, state variables and scales",
        "Process overview and scheduling",
        "Design concepts",
        "Initialization",
        "Input data",
        "Submodels",
        "Destinations",
        "Founding team",
        "Value of a departure",
        "Lever priors",
    ):
        assert re.search(rf"^#+ .*{re.escape(heading)}", odd, flags=re.M | re.IGNORECASE), heading
    for concept in ("basic principles", "emergence", "adaptation", "objectives", "learning", "prediction",
                    "sensing", "interaction", "stochasticity", "collectives", "observation"):  # fmt: skip
        assert re.search(rf"^\*\*{concept}", odd, flags=re.M | re.IGNORECASE), concept
    for group in sorted(p.name for p in CONF.iterdir() if p.is_dir() and p.name not in ("experiment", "policy")):
        assert f"`conf/{group}/" in odd, group


def test_the_odd_parameter_tables_are_those_of_conf():
    """The tables are written from conf/ (`python -m sim.config.conftext docs/ODD.md`): a default or source changed in
    conf/ without rewriting them fails here."""
    odd = ODD.read_text()
    assert with_tables(odd) == odd, (
        "docs/ODD.md's parameter tables are stale: python -m sim.config.conftext docs/ODD.md"
    )
    assert "| `hazard.base_annual`" not in tables()  # paths are relative to their file, as in the conf group
    assert "| `base_annual` | `0.11` |" in odd


def test_the_named_policies_are_the_shipped_policy_configs():
    """The named policies are conf/policy/'s files, the baseline first, and every lever kind has one alone."""
    from sim.config.defaults import shipped_policies
    from sim.levers import KINDS

    policies = shipped_policies()
    assert sorted(policies) == sorted(p.stem for p in (CONF / "policy").glob("*.yaml")) and policies[0] == "none"
    assert set(KINDS) < set(policies)
