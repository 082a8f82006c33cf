"""`exodus-data`: check an observed-data file (the shipped one or your own) before using it."""

from __future__ import annotations

import argparse
import sys

from . import observed
from .observed import DataError

LOADERS = {
    "departures": observed.load_departures,
    "founders": observed.load_founders,
    "headcount": observed.load_headcount,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="exodus-data", description=__doc__)
    parser.add_argument("kind", choices=sorted(LOADERS), help="which table the file holds")
    parser.add_argument("path", nargs="?", help="the CSV file (default: the shipped one)")
    args = parser.parse_args(argv)
    try:
        table = LOADERS[args.kind](args.path)
    except DataError as exc:
        print(f"exodus-data: error: {exc}", file=sys.stderr)
        return 2
    print(f"ok: {len(table)} rows of {args.kind} in {args.path or 'the shipped data'}")
    print(table.to_string(index=False, max_colwidth=40))
    return 0


if __name__ == "__main__":
    sys.exit(main())
