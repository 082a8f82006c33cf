"""conf/fit.yaml's free-parameter blocks, generated from the registry (sim/config/registry.py): the starting values
(each parameter's conf/ default; scales 1) and the Optuna sweeper's search space (each prior's support, on a log
scale for log-uniform priors). `python -m sim.config.fitconf` rewrites them in place; tests/test_registry.py
checks that the committed file equals its regeneration.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sim.config import freeparams, registry
from sim.config.defaults import CONF_DIR
from sim.config.params import RunConfig

BEGIN = "# >>> generated from sim/config/registry.py by `python -m sim.config.fitconf`: do not edit by hand"
END = "# <<< end of generated block"


def starting_values() -> dict[str, float]:
    """Each free parameter's value in the default scenario (conf/; a scale factor is 1)."""
    return freeparams.current(RunConfig())


def free_block(indent: str) -> list[str]:
    return [f"{indent}{name}: {value!r}" for name, value in starting_values().items()]


def search_block(indent: str) -> list[str]:
    out = []
    for p in registry.FREE:
        interval = f"interval({p.prior.low!r}, {p.prior.high!r})"
        out.append(f"{indent}free.{p.name}: {f'tag(log, {interval})' if p.prior.log else interval}")
    return out


def render(text: str) -> str:
    """`text` (conf/fit.yaml) with each generated block rewritten: the block after a BEGIN line is the search space
    if the line above BEGIN opens `params:`, else the starting values; its indent is the BEGIN line's."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        out.append(line)
        i += 1
        if line.strip() != BEGIN:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        search = len(out) >= 2 and out[-2].strip().startswith("params:")
        out += search_block(indent) if search else free_block(indent)
        while i < len(lines) and lines[i].strip() != END:
            i += 1
        if i == len(lines):
            raise ValueError(f"conf/fit.yaml: a generated block without its end line ({END!r})")
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Rewrite conf/fit.yaml's generated blocks; with --check, exit 1 if they differ from the registry."""
    argv = sys.argv[1:] if argv is None else argv
    path = Path(CONF_DIR) / "fit.yaml"
    text = path.read_text()
    new = render(text)
    if "--check" in argv:
        if new != text:
            print(f"{path}: out of date with sim/config/registry.py (run: python -m sim.config.fitconf)")
            return 1
        return 0
    path.write_text(new)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
