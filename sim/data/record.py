"""The observed record as user data: a folder of CSVs in the shipped schema, loaded and validated as a whole.

`load(None)` is the shipped record (sim/data/); `load("my_data/")` reads a user's folder with the
same files: departures.csv (required), founders.csv, headcount.csv and counts.csv (each optional).
Every file is checked by the loaders of `sim.data.observed` (file, line, reason). `cut(record, day)`
keeps what was known on a day: the backtest calibrates on it and scores the rest.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.data import observed
from sim.data.observed import DataError

LOADERS = {
    "departures": observed.load_departures,
    "founders": observed.load_founders,
    "headcount": observed.load_headcount,
    "counts": observed.load_counts,
}
REQUIRED = ("departures",)
COLUMNS = {
    "departures": ["announced", "person", "role", "co_founder", "note", "source", "destination"],
    "founders": ["person", "left", "source"],
    "headcount": ["date", "headcount", "bound", "what", "source"],
    "counts": ["start", "end", "what", "bound", "value", "note", "source"],
}


@dataclass(frozen=True)
class Record:
    """What the public record holds, and `end`: the last day it speaks for (later days are unknown, not zero)."""

    departures: pd.DataFrame
    founders: pd.DataFrame | None  # None: the folder has no founders.csv (no founders target)
    headcount: pd.DataFrame
    counts: pd.DataFrame
    where: str
    end: dt.date

    @property
    def first(self) -> dt.date | None:
        """The first announcement (None if there is none)."""
        return min(self.departures["announced"]) if len(self.departures) else None


def _empty(kind: str) -> pd.DataFrame:
    return pd.DataFrame(columns=COLUMNS[kind])


def _last_date(tables: dict[str, pd.DataFrame | None]) -> dt.date | None:
    dates = list(tables["departures"]["announced"])
    if tables["founders"] is not None:
        dates += [d for d in tables["founders"]["left"] if d is not None and not pd.isna(d)]
    dates += list(tables["headcount"]["date"]) + list(tables["counts"]["end"])
    return max(dates) if dates else None


def load(directory: str | Path | None = None) -> Record:
    """The record in `directory` (None or "": the shipped one), every file validated; DataError names the problem."""
    if directory in (None, ""):
        folder, where = observed.DATA, "the shipped record (sim/data)"
    else:
        folder, where = Path(directory), str(directory)
        if not folder.is_dir():
            raise DataError(directory, None, "not a folder (expected a folder holding departures.csv, and optionally "
                                             "founders.csv, headcount.csv, counts.csv)")  # fmt: skip
    tables: dict[str, pd.DataFrame | None] = {}
    for kind, loader in LOADERS.items():
        path = folder / f"{kind}.csv"
        if not path.is_file():
            if kind in REQUIRED:
                raise DataError(path, None, f"file not found (an observed-data folder needs {kind}.csv)")
            tables[kind] = None if kind == "founders" else _empty(kind)
            continue
        tables[kind] = loader(path)
    _plausible(tables, folder)
    end = _last_date(tables)
    if end is None:
        raise DataError(folder, None, "no dated observation in any file")
    return Record(where=where, end=end, **tables)


HEADCOUNT_MULTIPLE = 2  # assumption: a record never counts more departures than twice the largest staff it reports
MAX_EVENTS = 100_000  # assumption: without a headcount, more announcements than this is not a lab's record
LATE_LEFT_DAYS = 366  # assumption: a founder leaves within a year of the announcement of it


def _plausible(tables: dict[str, pd.DataFrame | None], folder: Path) -> None:
    """Refuse a record that cannot be one: a founder leaving more than a year after the announcement of it, more
    departures than the lab ever had staff (a date after today is refused by each file's loader)."""
    deps, founders = tables["departures"], tables["founders"]
    if founders is not None and len(deps):
        co = deps[deps["co_founder"]]
        announced = dict(zip(co["person"], co["announced"], strict=True))
        for person, left in zip(founders["person"], founders["left"], strict=True):
            said = announced.get(person)
            if said is not None and left is not None and not pd.isna(left) and (left - said).days > LATE_LEFT_DAYS:
                reason = f"column left: {left} for {person} is more than {LATE_LEFT_DAYS} days after its announcement"
                raise DataError(folder / "founders.csv", None, f"{reason} ({said}, departures.csv)")
    staff = max(tables["headcount"]["headcount"]) if len(tables["headcount"]) else 0
    limit = HEADCOUNT_MULTIPLE * staff if staff else MAX_EVENTS
    what = f"{HEADCOUNT_MULTIPLE} x the largest headcount reported ({staff})" if staff else f"{MAX_EVENTS}"
    if len(deps) > limit:
        raise DataError(folder / "departures.csv", None, f"{len(deps)} announcements: at most {what}")
    counts = tables["counts"]
    for i, value in enumerate(counts["value"] if len(counts) else ()):
        if value > limit:
            raise DataError(folder / "counts.csv", None, f"column value: {value} (row {i + 1}) is more than {what}")


def cut(record: Record, day: dt.date) -> Record:
    """The record as it stood on `day`: observations dated up to `day` (a founder who left later is still there,
    a count whose range ends later is not yet known), and `end` = `day`."""
    d = record.departures
    founders = None
    if record.founders is not None:
        founders = record.founders.copy()
        founders["left"] = [x if x is not None and not pd.isna(x) and x <= day else None for x in founders["left"]]
    return dataclasses.replace(
        record,
        departures=d[d["announced"] <= day].reset_index(drop=True),
        founders=founders,
        headcount=record.headcount[record.headcount["date"] <= day].reset_index(drop=True),
        counts=record.counts[record.counts["end"] <= day].reset_index(drop=True),
        where=f"{record.where}, cut at {day}",
        end=min(record.end, day),
    )
