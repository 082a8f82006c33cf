"""`exodus-data`: check an observed-data file (the shipped one or your own) before using it."""

from __future__ import annotations

import argparse
import sys

from sim.data import observed
from sim.data.observed import DataError

LOADERS = {
    "departures": observed.load_departures,
    "founders": observed.load_founders,
    "headcount": observed.load_headcount,
    "counts": observed.load_counts,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exodus-data", description=__doc__)
    parser.add_argument(
        "kind", choices=[*sorted(LOADERS), "folder"], help="which table the file holds, or `folder`: a whole record"
    )
    parser.add_argument("path", nargs="?", help="the CSV file or folder (default: the shipped one)")
    args = parser.parse_args(argv)
    try:
        if args.kind == "folder":
            return _folder(args.path)
        table = LOADERS[args.kind](args.path)
    except DataError as exc:
        print(f"exodus-data: error: {exc}", file=sys.stderr)
        return 2
    print(f"ok: {len(table)} rows of {args.kind} in {args.path or 'the shipped data'}")
    print(table.to_string(index=False, max_colwidth=40))
    return 0


def _folder(path: str | None) -> int:
    """Check a whole observed-data folder (as --observed and observed.dir read it) and list what it holds."""
    from sim.calibration import targets
    from sim.data import record

    rec = record.load(path)
    spec = targets.spec(rec)
    founders = "none" if rec.founders is None else f"{len(rec.founders)} founders"
    print(f"ok: {rec.where}: {len(rec.departures)} announcements, {founders}, {len(rec.headcount)} headcount "
          f"figure(s), {len(rec.counts)} count(s); the record ends {rec.end}")  # fmt: skip
    print("calibration targets: " + ", ".join(f"{k}={v:g}" for k, v in spec.observed.items()))
    for reason in spec.skipped:
        print(f"  not a target: {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
