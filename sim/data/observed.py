"""The observed record (each row's `source` cites the reporting), shipped as CSV in `sim/data/`, validated on load.

A user's own timeline in the same format loads through the same functions; any
problem is reported with the file, the line and the reason.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from importlib import resources

import pandas as pd

from sim.data.readfile import read_text

DATA = resources.files("sim") / "data"


class DataError(ValueError):
    """A data file that cannot be used; the message names the file, line and reason."""

    def __init__(self, path, line: int | None, reason: str):
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{path}, line {line}" if line else str(path)
        super().__init__(f"{where}: {reason}")

    def __reduce__(self):
        """Pickled with its own arguments, so an error raised in a worker process reaches the parent intact."""
        return type(self), (self.path, self.line, self.reason)


def _read_rows(path, required: tuple[str, ...]) -> list[dict]:
    """Rows as dicts (line numbers kept), after checking encoding, header and emptiness."""
    try:
        text = read_text(path)
    except FileNotFoundError:
        raise DataError(path, None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise DataError(path, None, f"cannot read it ({exc.strerror or exc})") from None
    if "\x00" in text:
        raise DataError(path, text.count("\n", 0, text.index("\x00")) + 1, "a NUL byte (not a text CSV file)")
    reader = csv.reader(io.StringIO(text, newline=""))
    rows, header, last = [], None, 0
    try:
        for fields_ in reader:
            line, last = last + 1, reader.line_num  # the row's first line, whatever blank or quoted lines came before
            if not fields_:
                continue
            if header is None:
                header = [h.strip() for h in fields_]
                dup = sorted({h for h in header if header.count(h) > 1})
                if dup:
                    raise DataError(path, line, f"column(s) {', '.join(dup)} appear more than once")
                missing = [c for c in required if c not in header]
                if missing:
                    raise DataError(
                        path, line, f"missing column(s) {', '.join(missing)}; required: {', '.join(required)}"
                    )
                continue
            if len(fields_) != len(header):
                raise DataError(path, line, f"expected {len(header)} fields, found {len(fields_)}")
            row = dict(zip(header, fields_, strict=True))
            if "source" in required and not row["source"].strip():
                raise DataError(path, line, "column source: empty (every event needs a source)")
            row["_line"] = line
            rows.append(row)
    except csv.Error as exc:
        raise DataError(path, reader.line_num, f"not a readable CSV ({exc})") from None
    if header is None:
        raise DataError(path, None, "empty file (no header)")
    if not rows:
        raise DataError(path, None, "no data rows")
    return rows


def _date(value: str, path, line: int, column: str, optional: bool = False) -> dt.date | None:
    value = value.strip()
    if not value and optional:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise DataError(path, line, f"column {column}: {value!r} is not a date (YYYY-MM-DD)") from None
    if day > dt.date.today():
        raise DataError(
            path, line, f"column {column}: {day} is after today ({dt.date.today()}): a record reports the past"
        )
    return day


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
                "note": (r.get("note") or "").strip(),
                "source": r["source"].strip(),
                # optional: where the person went (a firm, `spinout-N`, `other_tech`, `out`), as reported
                "destination": (r.get("destination") or "").strip(),
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


COUNT_WHAT = {
    "departures": "people who left (true departure date in the range)",
    "key_departures": "people who left, operations staff (AI tutors) excepted",
    "announced": "departures announced in the range",
    "founders_left": "founders who left in the range",
}
COUNT_BOUNDS = ("lower", "upper", "exact")


def load_counts(path=None) -> pd.DataFrame:
    """Reported counts over a date range with a bound: `value` people (`what`) over `start`..`end`, as `bound`."""
    path = path or DATA / "counts.csv"
    rows = _read_rows(path, ("start", "end", "what", "bound", "value", "source"))
    _no_duplicates(rows, path, ("start", "end", "what", "bound"))
    out = []
    for r in rows:
        line = r["_line"]
        start, end = _date(r["start"], path, line, "start"), _date(r["end"], path, line, "end")
        if end < start:
            raise DataError(path, line, f"column end: {end} is before start {start}")
        what = r["what"].strip()
        if what not in COUNT_WHAT:
            raise DataError(path, line, f"column what: {what!r} is not one of {', '.join(COUNT_WHAT)}")
        bound = r["bound"].strip()
        if bound not in COUNT_BOUNDS:
            raise DataError(path, line, f"column bound: {bound!r} is not one of {', '.join(COUNT_BOUNDS)}")
        try:
            value = int(r["value"])
        except ValueError:
            raise DataError(path, line, f"column value: {r['value']!r} is not a whole number") from None
        if value < 0:
            raise DataError(path, line, f"column value: {value} is negative")
        if not r["source"].strip():
            raise DataError(path, line, "column source: empty (every count needs a source)")
        out.append(
            {
                "start": start,
                "end": end,
                "what": what,
                "bound": bound,
                "value": value,
                "note": (r.get("note") or "").strip(),
                "source": r["source"].strip(),
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
