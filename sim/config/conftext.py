"""conf/*.yaml read as text, so that each default keeps its source comment (a YAML parser drops comments).

Used to check that every default cites a source or says `assumption`, and to write docs/ODD.md's parameter
tables from conf/ itself (`python -m sim.config.conftext docs/ODD.md`), so the two cannot drift apart.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from sim.config.defaults import CONF_DIR

CONF = CONF_DIR
LABELS = {"name", "kind", "study", "levers", "seed"}  # labels and run settings, not parameters
HYDRA_BLOCKS = {"defaults", "hydra"}
KEY = re.compile(r"^(?P<key>[A-Za-z_][\w.]*)\s*:(?:\s+(?P<value>.*))?$")
# a source: `assumption`, a year (a study or report), a shipped file or folder, or the ODD
SOURCE = re.compile(r"assumption|\b(?:19|20)\d\d\b|docs/ODD\.md|sim/|conf/|results/", re.IGNORECASE)
# the conf files whose defaults make the default scenario, in the ODD's order (the alternatives are not tabled)
TABLED = (
    "config.yaml",
    "company/xai.yaml",
    "mechanisms/all.yaml",
    "hazard/default.yaml",
    "dynamics/default.yaml",
    "vesting/default.yaml",
    "choice/default.yaml",
    "rivals/frontier.yaml",
    "destinations/default.yaml",
    "spinout/default.yaml",
    "events/xai.yaml",
    "observation/default.yaml",
    "lever/default.yaml",
    "value/default.yaml",
)
BEGIN, END = (
    "<!-- parameter tables: begin (python -m sim.config.conftext docs/ODD.md) -->",
    "<!-- parameter tables: end -->",
)


@dataclass(frozen=True)
class Leaf:
    """One `key: value` line: its dotted path (list items by their `name`), value, and the comment that cites it
    (its own, else the one on the line opening its block)."""

    line: int
    path: str
    value: str
    comment: str
    label: bool


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


def leaves(text: str) -> list[Leaf]:
    """Every leaf `key: value` of a conf file's text, outside Hydra's own blocks."""
    out, stack, skipping = [], [], False  # stack: [indent, key, comment, items] of the open blocks and list items
    for no, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        body, comment = split_comment(raw)
        indent = len(body) - len(body.lstrip())
        s = body.strip()
        item = s.startswith("- ")
        if item:  # a list item: its key (if any) sits after the dash
            s, indent = s[2:].lstrip(), indent + 2
        m = KEY.match(s)
        if indent == 0:
            skipping = bool(m) and m["key"] in HYDRA_BLOCKS
        if skipping or not m:
            continue
        while stack and stack[-1][0] >= (indent - 1 if item else indent):
            stack.pop()
        if item:  # the item is a block of its own, named by its `name` if it has one
            number = stack[-1][3] if stack else 0
            if stack:
                stack[-1][3] += 1
            stack.append([indent - 1, f"[{number}]", "", 0])
        key, value = m["key"], (m["value"] or "").strip()
        if item and key == "name":
            stack[-1][1] = f"[{value}]"
        path = ".".join([e[1] for e in stack] + [key]).replace(".[", "[")
        if not value:  # opens a block
            stack.append([indent, key, comment, 0])
            continue
        cited = comment or (stack[-1][2] if stack else "")
        out.append(Leaf(no, path, value, cited, key in LABELS))
    return out


def uncited(text: str) -> list[tuple[int, str, str]]:
    """(line, dotted key, why) of every parameter default without a source."""
    out = []
    for leaf in leaves(text):
        if leaf.label:
            continue
        if not leaf.comment:
            out.append((leaf.line, leaf.path, "no comment on the line or on its block"))
        elif not SOURCE.search(leaf.comment):
            out.append((leaf.line, leaf.path, f"comment names no source or `assumption`: {leaf.comment!r}"))
    return out


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;")


def tables(conf: Path = CONF) -> str:
    """Markdown: one table per default conf file, each parameter with its default and its source comment."""
    parts = []
    for rel in TABLED:
        rows = [leaf for leaf in leaves((conf / rel).read_text()) if not leaf.label]
        parts.append(f"#### `conf/{rel}`\n")
        parts.append("| parameter | default | source |\n|---|---|---|")
        parts += [f"| `{r.path}` | `{_cell(r.value)}` | {_cell(r.comment)} |" for r in rows]
        parts.append("")
    return "\n".join(parts)


PRIORS_BEGIN, PRIORS_END = (
    "<!-- lever priors: begin (python -m sim.config.conftext docs/ODD.md) -->",
    "<!-- lever priors: end -->",
)


def prior_rows() -> str:
    """Markdown: the levers' effect-size priors as their settings declare them (sim/levers/)."""
    from sim.config.leverpriors import PRIORS

    rows = ["| lever | effect (`lever.<lever>.<field>`) | prior | kind | source |", "|---|---|---|---|---|"]
    for p in PRIORS:
        kind = "literature" if p.literature else "assumption"
        source = p.source.removeprefix("assumption: ")
        rows.append(f"| `{p.lever}` | `{p.field}` | {p.low:g}-{p.high:g} | {kind} | {_cell(source)} |")
    return "\n".join(rows) + "\n"


def _between(document: str, begin: str, end: str, text: str) -> str:
    head, sep, rest = document.partition(begin)
    if not sep or end not in rest:
        raise ValueError(f"the document has no {begin!r} ... {end!r} markers")
    return f"{head}{begin}\n\n{text}\n{end}{rest.split(end, 1)[1]}"


def with_tables(document: str, conf: Path = CONF) -> str:
    """`document` with the text between each pair of markers replaced by the current tables (the lever priors'
    markers are optional)."""
    document = _between(document, BEGIN, END, tables(conf))
    if PRIORS_BEGIN in document:
        document = _between(document, PRIORS_BEGIN, PRIORS_END, prior_rows())
    return document


def main(argv: list[str] | None = None) -> int:
    """Rewrite the parameter tables of the Markdown files given (docs/ODD.md) from conf/."""
    for name in argv if argv is not None else sys.argv[1:]:
        path = Path(name)
        path.write_text(with_tables(path.read_text()))
        print(f"parameter tables written into {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
