"""The roster's past as an observed record, in the format `observed.dir` reads (sim/data/record.py): departures
(each exit, by a salted hash, on its date), headcount at each month's end, departures per quarter, founders."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pandas as pd

from sim.roster.load import Roster
from sim.roster.privacy import pseudonym


def tables(roster: Roster, as_of: dt.date, salt: str) -> dict[str, pd.DataFrame]:
    """The record's tables from the roster's history up to `as_of` (later exits are the future: left out)."""
    p, end = roster.people, pd.Timestamp(as_of)
    source = f"roster {roster.digest} (ids as salted hashes)"
    gone = p[p["exit_date"] <= end].sort_values("exit_date", kind="stable")
    person = pseudonym(gone["id"], salt)
    departures = pd.DataFrame(
        {
            "announced": gone["exit_date"].dt.strftime("%Y-%m-%d"),
            "person": person,
            "role": gone["role"],
            "co_founder": (gone["role"] == "co_founder").map({True: "true", False: "false"}),
            "note": gone["exit_reason"],
            "source": source,
            "destination": gone["destination"],
        }
    )
    first = p["hire_date"].min()
    months = pd.date_range(first, end, freq="ME")
    headcount = pd.DataFrame(
        {
            "date": months.strftime("%Y-%m-%d"),
            "headcount": [int(((p["hire_date"] <= m) & ~(p["exit_date"] <= m)).sum()) for m in months],
            "bound": "about",
            "what": "people on the roster at the month's end",
            "source": source,
        }
    )
    quarters = pd.period_range(gone["exit_date"].min(), end, freq="Q") if len(gone) else []
    rows = []
    for q in quarters:
        a, b = max(q.start_time.normalize(), gone["exit_date"].min()), min(q.end_time.normalize(), end)
        n = int(((gone["exit_date"] >= a) & (gone["exit_date"] <= b)).sum())
        rows.append([a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d"), "departures", "exact", n, "", source])
    counts = pd.DataFrame(rows, columns=["start", "end", "what", "bound", "value", "note", "source"])
    out = {"departures": departures, "headcount": headcount, "counts": counts}
    founders = p[p["role"] == "co_founder"]
    if len(founders):
        left = founders["exit_date"].where(founders["exit_date"] <= end)
        out["founders"] = pd.DataFrame(
            {
                "person": pseudonym(founders["id"], salt),
                "left": left.dt.strftime("%Y-%m-%d").fillna(""),
                "source": source,
            }
        )
    return out


def write(roster: Roster, as_of: dt.date, salt: str, folder: str | Path) -> Path:
    """Write the record folder whole or not at all (built beside it, then renamed into place)."""
    folder = Path(folder)
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}-", dir=folder.parent))
    try:
        for name, table in tables(roster, as_of, salt).items():
            table.to_csv(tmp / f"{name}.csv", index=False)
        if folder.exists():
            shutil.rmtree(folder)
        os.replace(tmp, folder)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return folder
