"""Every default in conf/ cites its source or says `assumption`, and the docs say where the model is described.

Read from the YAML text (comments are lost to a YAML parser): each `key: value` line carries a trailing
comment, or the line that opens its block does; the comment names a source (a study or report with its
year, a shipped file, docs/ODD.md) or says `assumption`. Labels (`name`, `kind`, `type`, `study`, a
policy's `levers`), the run's `seed` and Hydra's own blocks (`defaults`, `hydra`) are not parameters. The
posterior configs (conf/posterior/) are written by exodus-calibrate: their source is the posterior file
named in their header.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CONF = ROOT / "conf"
LABELS = {"name", "kind", "type", "study", "levers", "seed"}
HYDRA_BLOCKS = {"defaults", "hydra"}
KEY = re.compile(r"^(?P<key>[A-Za-z_][\w.]*)\s*:(?:\s+(?P<value>.*))?$")
# a source: `assumption`, a year (a study or report), a shipped file or folder, or the ODD
SOURCE = re.compile(r"assumption|\b(?:19|20)\d\d\b|docs/ODD\.md|sim/|conf/|results/", re.IGNORECASE)


def split_comment(line: str) -> tuple[str, str]:
    """The line's YAML and its trailing comment (a `#` after whitespace, outside quotes)."""
    quote = ""
    for i, ch in enumerate(line):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1].isspace()):
            return line[:i].rstrip(), line[i + 1 :].strip()
    return line.rstrip(), ""


def uncited(text: str) -> list[tuple[int, str, str]]:
    """(line number, dotted key, why) of every leaf default without a source."""
    out, stack, skipping = [], [], False  # stack: (indent, key, comment) of the open blocks
    for no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, comment = split_comment(raw)
        indent = len(body) - len(body.lstrip())
        s = body.strip()
        if s.startswith("- "):  # a list item: its key (if any) sits after the dash
            s, indent = s[2:].lstrip(), indent + 2
        m = KEY.match(s)
        if indent == 0:
            skipping = bool(m) and m["key"] in HYDRA_BLOCKS
        if skipping or not m:
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        key, value = m["key"], (m["value"] or "").strip()
        path = ".".join([k for _, k, _ in stack] + [key])
        if not value:  # opens a block
            stack.append((indent, key, comment))
            continue
        if key in LABELS:
            continue
        cited = comment or (stack[-1][2] if stack else "")
        if not cited:
            out.append((no, path, "no comment on the line or on its block"))
        elif not SOURCE.search(cited):
            out.append((no, path, f"comment names no source or `assumption`: {cited!r}"))
    return out


CONF_FILES = sorted(p for p in CONF.rglob("*.yaml") if p.parent.name != "posterior")


def test_the_parser_finds_uncited_defaults():
    text = (
        "defaults:\n  - company: xai\n"
        "a: 1  # assumption\n"
        "b: 2\n"
        "c:  # Smith 2020\n  d: 3\n"
        "e:\n  f: 4  # see elsewhere\n  g: '5 # not a comment'\n"
        'shocks:\n  - name: x\n    date: "2025-01-01"  # TechCrunch 2026-02-10\n    unit: ops\n'
        "hydra:\n  run:\n    dir: x\n"
    )
    assert [(n, k) for n, k, _ in uncited(text)] == [(4, "b"), (8, "e.f"), (9, "e.g"), (13, "shocks.unit")]


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


def test_the_odd_describes_every_conf_group_and_keeps_places_for_new_mechanisms():
    odd = (ROOT / "docs" / "ODD.md").read_text()
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
    for group in sorted(p.name for p in CONF.iterdir() if p.is_dir() and p.name not in ("experiment", "policy")):
        assert f"`conf/{group}/" in odd, group
