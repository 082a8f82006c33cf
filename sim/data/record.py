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
    end = _last_date(tables)
    if end is None:
        raise DataError(folder, None, "no dated observation in any file")
    return Record(where=where, end=end, **tables)


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
