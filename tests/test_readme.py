"""The README is a newcomer's guide: short, its links resolve, no process words, and its quick start only uses
what the Makefile defines."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))

LINK = re.compile(r"\]\(([^)\s]+)\)")
# words about how the project was made, which belong in git, not in a guide
PROCESS = [
    (re.compile(r"\bissues?\b", re.I), "issue"),
    (re.compile(r"\bwaves? of work|\bthis wave\b|\bafter this wave\b", re.I), "wave (of work)"),
    (re.compile(r"\bsessions?\b", re.I), "session"),
    (re.compile(r"(?<![\w&])#\d+\b"), "#NN reference"),
    (re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*\d)[0-9a-f]{7,40}\b"), "commit hash"),
    (re.compile(r"\bmerged main\b|\bcommit\b", re.I), "commit"),
]


def _anchors(text: str) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens."""
    out = set()
    for line in text.splitlines():
        if line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            out.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return out


def _links(path: Path) -> list[tuple[str, str]]:
    text = re.sub(r"```.*?```", "", path.read_text(), flags=re.S)  # no links inside code blocks
    return [(m, path.name) for m in LINK.findall(text) if not re.match(r"[a-z]+:", m)]


def test_readme_is_at_most_300_lines():
    n = len(README.read_text().splitlines())
    assert n <= 300, f"README.md has {n} lines; keep it a guide and move reference material to docs/"


@pytest.mark.parametrize("path", [README, *DOCS], ids=lambda p: p.name)
def test_every_relative_link_resolves(path):
    broken = []
    for link, _ in _links(path):
        target, _, anchor = link.partition("#")
        file = (path.parent / target).resolve() if target else path
        if not file.exists():
            broken.append(f"{link}: no file {file}")
        elif anchor and file.suffix == ".md" and anchor not in _anchors(file.read_text()):
            broken.append(f"{link}: no heading #{anchor} in {file.name}")
    assert not broken, f"{path.name}: " + "; ".join(broken)


def test_readme_has_no_process_words():
    text = README.read_text()
    found = [f"{name}: {m.group(0)!r}" for pattern, name in PROCESS for m in pattern.finditer(text)]
    assert not found, found


def test_the_process_word_check_catches_them():
    """The check above is not vacuous: each kind of process word is caught."""
    samples = ["see issue 25", "after this wave", "this session's start", "fixed in #18", "commit 93dd0a1"]
    for s in samples:
        assert any(p.search(s) for p, _ in PROCESS), s
    assert not any(p.search("the departure wave of February, 2026-02-12, 90 % interval") for p, _ in PROCESS)


def test_quick_start_commands_exist_in_the_makefile():
    text = README.read_text()
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    targets = set(re.findall(r"^([A-Za-z][\w-]*):", (ROOT / "Makefile").read_text(), flags=re.M))
    used = set(re.findall(r"\bmake ([a-z][\w-]*)", section))
    assert used, "the quick start names no make target"
    assert used <= targets, f"make targets in the quick start that the Makefile lacks: {sorted(used - targets)}"
    assert {"run", "test"} <= used


def test_every_command_in_the_readme_is_a_console_script():
    """Each `.venv/bin/NAME` the README runs is a command pyproject.toml installs."""
    scripts = set(re.findall(r"^(exodus[\w-]*) = ", (ROOT / "pyproject.toml").read_text(), flags=re.M))
    used = set(re.findall(r"\.venv/bin/(exodus[\w-]*)", README.read_text()))
    assert used and used <= scripts, sorted(used - scripts)
