"""The mutation score per module from a finished (or interrupted) `make mutation` run: killed / tested, survivors,
mutants no selected test reaches, and those not run yet, read from mutmut's own records (mutants/**/*.meta).

    python benchmarks/mutation_score.py [mutants]
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# mutmut 3's exit codes: 0 survived, 33 no test reaches the mutant, 24/-24/152 timeout, None not run yet
NAMES = {0: "survived", 33: "no_tests", 24: "timeout", -24: "timeout", 152: "timeout", None: "not_run"}


def scores(root: Path) -> dict[str, Counter]:
    out = {}
    for meta in sorted(root.rglob("*.py.meta")):
        codes = json.loads(meta.read_text()).get("exit_code_by_key", {})
        out[str(meta.relative_to(root)).removesuffix(".meta")] = Counter(NAMES.get(c, "killed") for c in codes.values())
    return out


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "mutants")
    total = Counter()
    print(f"{'module':44} {'killed':>7} {'tested':>7} {'score':>6} {'survived':>8} {'no_tests':>8} {'not_run':>7}")
    for module, c in scores(root).items():
        total += c
        tested = c["killed"] + c["survived"] + c["timeout"]
        score = f"{c['killed'] / tested:.0%}" if tested else "-"
        print(f"{module:44} {c['killed']:7} {tested:7} {score:>6} {c['survived']:8} {c['no_tests']:8} {c['not_run']:7}")
    tested = total["killed"] + total["survived"] + total["timeout"]
    print(f"{'all':44} {total['killed']:7} {tested:7} {total['killed'] / max(tested, 1):6.0%} {total['survived']:8}")


if __name__ == "__main__":
    main()
