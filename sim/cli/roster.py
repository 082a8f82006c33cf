"""`exodus-roster`: check a roster, write its past as an observed record, report its survival fit.

exodus-roster check ROSTER            validate (row, column and what is allowed on refusal); exit 2 if refused
exodus-roster record ROSTER OUT       the observed record of its exits up to --as-of (for --observed OUT)
exodus-roster prior ROSTER OUT        base hazard by role (lifelines) and the Kaplan-Meier vs model figure
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from sim.cli.guard import check_outside_package
from sim.config.params import ConfigError
from sim.data.observed import DataError
from sim.run.files import write_atomic


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="exodus-roster", description=__doc__.split("\n\n")[0])
    p.add_argument("command", choices=("check", "record", "prior"))
    p.add_argument("roster", help="a CSV or Parquet roster (docs/roster.md)")
    p.add_argument("out", nargs="?", default="", help="output folder (record, prior)")
    p.add_argument("--as-of", default="", help="the roster's date (YYYY-MM-DD; default: its last dated event)")
    p.add_argument("--role", action="append", default=[], metavar="NAME=ROLE", help="map a roster role to a model role")
    p.add_argument("--salt", default="exodus", help="salt of the hashes that stand for ids (default: exodus)")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    from sim.roster import config, load, prior, record

    try:
        if args.command != "check" and not args.out:
            raise ConfigError("out", "", f"an output folder (exodus-roster {args.command} ROSTER OUT)")
        if "=" in args.out:
            raise ConfigError("out", args.out, "a folder: exodus-roster takes no overrides (exodus roster=PATH does)")
        if args.out:
            check_outside_package("out", args.out)
        roles = dict(r.split("=", 1) for r in args.role if "=" in r)
        roster = load.load(args.roster, roles)
        on = config.as_of(roster, args.as_of)
    except (ConfigError, DataError) as exc:
        print(f"exodus-roster: error: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    for w in roster.warnings:
        print(f"[exodus-roster] warning: {w}", file=sys.stderr)
    p = roster.people
    present = roster.present(on)
    if args.command == "check":
        print(
            f"[exodus-roster] {args.roster}: valid; {len(p)} people, {int(p['exit_date'].notna().sum())} exits, "
            f"{len(present)} present on {on} in {present['team'].nunique()} teams"
        )
    elif args.command == "record":
        folder = record.write(roster, on, args.salt, args.out)
        print(
            f"[exodus-roster] wrote {folder}/ (the roster's exits to {on}, ids as salted hashes): --observed {folder}"
        )
    else:
        out = Path(args.out)
        out.mkdir(parents=True, exist_ok=True)
        hf, weibull = prior.report(roster, on, out / "survival.png")
        numbers = {
            "as_of": on.isoformat(),
            "voluntary_exits": hf.exits,
            "person_years": round(hf.person_years, 1),
            "base_annual": {"median": hf.overall[0], "lo90": hf.overall[1], "hi90": hf.overall[2]},
            "by_role": {
                r: dict(zip(("median", "lo90", "hi90", "exits"), v, strict=True)) for r, v in hf.by_role.items()
            },
            "cliff_hazard_ratio": hf.cliff_ratio,
            "weibull": weibull.to_dict("records"),
        }
        write_atomic(out / "prior.json", (json.dumps(numbers, indent=1) + "\n").encode())
        lo, mid, hi = hf.overall[1], hf.overall[0], hf.overall[2]
        print(f"[exodus-roster] {hf.exits} voluntary exits in {hf.person_years:.0f} person-years to {on}")
        print(f"  base_annual {mid:.4f}  90 % [{lo:.4f}, {hi:.4f}]  (hazard.base_annual with roster.fit_hazard=true)")
        for role, (m, a, b, n) in hf.by_role.items():
            print(f"  {role:14s} {m:.4f}  90 % [{a:.4f}, {b:.4f}]  ({n} exits)")
        if hf.cliff_ratio is not None:
            print(f"  hazard in the year after the vesting cliff / the year before: {hf.cliff_ratio:.2f}")
        print(f"[exodus-roster] wrote {out}/survival.png (Kaplan-Meier vs the fits) and prior.json")


if __name__ == "__main__":
    main()
