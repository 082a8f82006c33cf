"""The observed record (DESIGN.md section 1), shipped as CSV in `sim/data/` and validated on load.

A user's own timeline in the same format loads through the same functions; any
problem is reported with the file, the line and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
from importlib import resources
from pathlib import Path

import pandas as pd

DATA = resources.files("sim") / "data"


class DataError(ValueError):
    """A data file that cannot be used; the message names the file, line and reason."""

    def __init__(self, path, line: int | None, reason: str):
        self.path, self.line = str(path), line
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


def _read_rows(path, required: tuple[str, ...]) -> list[dict]:
    """Rows as dicts (line numbers kept), after checking encoding, header and emptiness."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    reader = csv.DictReader(text.splitlines())
    if not reader.fieldnames:
        raise DataError(path, None, "empty file (no header)")
    missing = [c for c in required if c not in reader.fieldnames]
    if missing:
        raise DataError(path, 1, f"missing column(s) {', '.join(missing)}; required: {', '.join(required)}")
    rows = []
    for i, row in enumerate(reader, start=2):
        if None in row or any(v is None for v in row.values()):
            raise DataError(path, i, f"expected {len(reader.fieldnames)} fields")
        row["_line"] = i
        rows.append(row)
    if not rows:
        raise DataError(path, None, "no data rows")
    return rows


def _date(value: str, path, line: int, column: str, optional: bool = False) -> dt.date | None:
    value = value.strip()
    if not value and optional:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(path, line, f"column {column}: {value!r} is not a date (YYYY-MM-DD)") from None


def _no_duplicates(rows, path, key_columns) -> None:
    seen = {}
    for row in rows:
        key = tuple(row[c].strip() for c in key_columns)
        if key in seen:
            raise DataError(path, row["_line"], f"duplicate of line {seen[key]} ({', '.join(key_columns)})")
        seen[key] = row["_line"]


def load_departures(path=None) -> pd.DataFrame:
    """Announced departures: one row per person, `announced` as dates, `co_founder` as bool."""
    path = path or DATA / "departures.csv"
    rows = _read_rows(path, ("announced", "person", "role", "co_founder", "source"))
    _no_duplicates(rows, path, ("announced", "person"))
    out = []
    for r in rows:
        flag = r["co_founder"].strip().lower()
        if flag not in ("true", "false"):
            raise DataError(path, r["_line"], f"column co_founder: {r['co_founder']!r} is not true/false")
        if not r["source"].strip():
            raise DataError(path, r["_line"], "column source: empty (every event needs a source)")
        out.append(
            {
                "announced": _date(r["announced"], path, r["_line"], "announced"),
                "person": r["person"].strip(),
                "role": r["role"].strip(),
                "co_founder": flag == "true",
                "note": r.get("note", "").strip(),
                "source": r["source"].strip(),
            }
        )
    return pd.DataFrame(out).sort_values("announced", kind="stable").reset_index(drop=True)


def load_founders(path=None) -> pd.DataFrame:
    """The founding team: `left` is a date, or missing for those still there."""
    path = path or DATA / "founders.csv"
    rows = _read_rows(path, ("person", "left", "source"))
    _no_duplicates(rows, path, ("person",))
    out = [
        {
            "person": r["person"].strip(),
            "left": _date(r["left"], path, r["_line"], "left", optional=True),
            "source": r["source"].strip(),
        }
        for r in rows
    ]
    return pd.DataFrame(out)


def load_headcount(path=None) -> pd.DataFrame:
    """Reported headcounts: `bound` says whether a figure is approximate or a lower bound."""
    path = path or DATA / "headcount.csv"
    rows = _read_rows(path, ("date", "headcount", "bound", "source"))
    _no_duplicates(rows, path, ("date", "headcount"))
    out = []
    for r in rows:
        try:
            count = int(r["headcount"])
        except ValueError:
            raise DataError(path, r["_line"], f"column headcount: {r['headcount']!r} is not a whole number") from None
        if count < 0:
            raise DataError(path, r["_line"], f"column headcount: {count} is negative")
        if r["bound"] not in ("about", "at_least"):
            raise DataError(path, r["_line"], f"column bound: {r['bound']!r} is not one of about, at_least")
        out.append(
            {
                "date": _date(r["date"], path, r["_line"], "date"),
                "headcount": count,
                "bound": r["bound"],
                "what": r.get("what", ""),
                "source": r["source"],
            }
        )
    return pd.DataFrame(out)


def founders_remaining(on: dt.date, founders: pd.DataFrame | None = None) -> int:
    """Founders still at the lab on a date (those who left that day or before are gone)."""
    f = load_founders() if founders is None else founders
    return int(sum(1 for left in f["left"] if left is None or pd.isna(left) or left > on))


def announced_by_day(start: dt.date, end: dt.date, departures: pd.DataFrame | None = None) -> pd.Series:
    """Observed announcements per calendar day over [start, end], zeros included."""
    d = load_departures() if departures is None else departures
    days = pd.date_range(start, end, freq="D").date
    counts = d["announced"].value_counts()
    return pd.Series([int(counts.get(day, 0)) for day in days], index=pd.Index(days, name="date"), name="announced")
