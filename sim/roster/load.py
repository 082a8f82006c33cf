"""Read a roster (CSV or Parquet) and check it against `sim.roster.schema`; a refusal is a DataError naming the file,
the row, the column and what is allowed. Nothing is written here: a refused roster leaves no trace."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from sim.data.observed import DataError
from sim.roster import schema as rs
from sim.schema import ROLES


@dataclass(frozen=True, eq=False)  # hashed by identity: one object per file read (the cache below)
class Roster:
    """A checked roster: `people` typed (dates as datetime64, `role` as the model's role name), the file's digest
    (a changed file is a changed run), and the warnings of the defaults it took."""

    people: pd.DataFrame
    path: str
    digest: str
    warnings: tuple[str, ...] = field(default=())

    @property
    def last_event(self) -> dt.date:
        """The roster's last dated event (a hire or an exit): the default start of a run."""
        return max(self.people["hire_date"].max(), self.people["exit_date"].max()).date()

    def present(self, on: dt.date) -> pd.DataFrame:
        """The people on the roster at the end of day `on`: hired by then, not gone by then."""
        p, day = self.people, pd.Timestamp(on)
        return p[(p["hire_date"] <= day) & ~(p["exit_date"] <= day)]


def read_table(path: str | Path) -> tuple[pd.DataFrame, bytes]:
    """The file's cells as text (CSV: UTF-8; Parquet: any column types) and its bytes."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DataError(path, None, "file not found (a roster: a .csv or .parquet file)") from None
    except OSError as exc:
        raise DataError(path, None, f"cannot read it ({exc.strerror or exc})") from None
    if path.suffix.lower() in (".parquet", ".pq"):
        try:
            frame = pd.read_parquet(io.BytesIO(data))
        except Exception as exc:  # pyarrow raises many kinds for a damaged file
            raise DataError(path, None, f"not a readable Parquet file ({type(exc).__name__}: {exc})") from None
        text = frame.astype(object).where(frame.notna(), "")
        for c in text.columns:
            if pd.api.types.is_datetime64_any_dtype(frame[c]):
                text[c] = frame[c].dt.strftime("%Y-%m-%d").fillna("")
        return text.astype(str), data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        header = data.split(b"\n", 1)[0].decode("utf-8", "replace").strip().split(",")
        k = data[line_start : exc.start].count(b",")
        column = header[k].strip() if k < len(header) else f"field {k + 1}"
        raise DataError(
            path,
            line,
            f"row {line - 1}, column {column}: not UTF-8 text ({exc.reason} at byte {exc.start}); "
            "allowed: UTF-8 text (save the roster as UTF-8)",
        ) from None
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError(path, None, f"not a readable CSV ({' '.join(str(exc).split())})") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in rs.REQUIRED if c not in frame.columns]
    if missing:
        columns = f"{', '.join(rs.REQUIRED)} (optional: {', '.join(rs.OPTIONAL)})"
        raise DataError(path, 1, f"missing column(s) {', '.join(missing)}; a roster has {columns}")
    if frame.empty:
        raise DataError(path, None, "no data rows")
    return frame, data


def _where(path, is_csv: bool, index) -> tuple[int | None, str]:
    row = int(index) + 1
    return (row + 1 if is_csv else None), f"row {row}"


def refusal(path, frame: pd.DataFrame, failures: pd.DataFrame, roles: tuple[str, ...], today: dt.date) -> DataError:
    """The first failure (by row) of the pandera checks as one readable DataError."""
    is_csv = Path(path).suffix.lower() not in (".parquet", ".pq")
    if (failures["check"] == "column_in_dataframe").any():
        names = [c for c in rs.REQUIRED if c not in frame.columns]
        columns = f"{', '.join(rs.REQUIRED)} (optional: {', '.join(rs.OPTIONAL)})"
        return DataError(path, 1 if is_csv else None, f"missing column(s) {', '.join(names)}; a roster has {columns}")
    failures = failures.assign(_row=pd.to_numeric(failures["index"], errors="coerce"))
    f = failures.sort_values(["_row", "schema_context"], kind="stable").iloc[0]
    index = int(f["_row"])
    line, row = _where(path, is_csv, index)
    framewide = f["schema_context"] == "DataFrameSchema"
    column = rs.FRAME_COLUMN[str(f["check"])] if framewide else str(f["column"])
    allowed = str(f["check"])
    if f["check"] == "field_uniqueness":
        value = frame.loc[index, column]
        rows = [str(i + 1) for i in frame.index[frame[column] == value]]
        return DataError(path, line, f"{row}, column {column}: {value!r} appears more than once (rows "
                                     f"{', '.join(rows)}); allowed: {rs.HELP[column]}")  # fmt: skip
    if column == "hire_date/exit_date":
        r = frame.loc[index]
        column = "exit_date" if r["exit_date"].strip() > str(today) else "hire_date"
        allowed = f"{allowed} ({today})"
    elif column == "role":
        allowed = f"{allowed}: {', '.join(roles)}"
    return DataError(
        path, line, f"{row}, column {column}: {frame.loc[index, column]!r} is not allowed; allowed: {allowed}"
    )


def validate(frame: pd.DataFrame, path, roles: Mapping[str, str], today: dt.date) -> pd.DataFrame:
    """The roster's cells checked (lazily: every failure found, the first by row reported)."""
    allowed = (*ROLES, *roles)
    try:
        rs.schema(allowed, today).validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        raise refusal(path, frame, exc.failure_cases, allowed, today) from None
    return frame


def _typed(frame: pd.DataFrame, roles: Mapping[str, str]) -> pd.DataFrame:
    def num(name):
        if name not in frame:
            return pd.Series(np.nan, index=frame.index)
        return pd.to_numeric(frame[name].str.strip().replace("", np.nan), errors="coerce").astype(float)

    def text(name):
        return frame[name].str.strip() if name in frame else pd.Series("", index=frame.index)

    role = text("role")
    return pd.DataFrame(
        {
            "id": text("id"),
            "hire_date": rs._dates(frame["hire_date"]),
            "role": role.map(lambda r: roles.get(r, r)),
            "team": text("team"),
            "manager_id": text("manager_id"),
            "annual_pay": num("annual_pay"),
            "equity_value": num("equity_value"),
            "vesting_years": num("vesting_years"),
            "vesting_cliff_months": num("vesting_cliff_months"),
            "exit_date": rs._dates(frame["exit_date"]),
            "exit_reason": text("exit_reason"),
            "destination": text("destination"),
        }
    ).reset_index(drop=True)


def load(path: str | Path, roles: Mapping[str, str] | None = None, today: dt.date | None = None) -> Roster:
    """Read and check a roster; `roles` maps the roster's role names to the model's; no date may pass `today`."""
    roles = dict(roles or {})
    bad = {k: v for k, v in roles.items() if v not in ROLES}
    if bad:
        k, v = next(iter(bad.items()))
        raise DataError(path, None, f"roster.roles.{k}: {v!r} is not one of the model's roles ({', '.join(ROLES)})")
    return _load(str(path), tuple(sorted(roles.items())), today or dt.date.today())


@functools.lru_cache(maxsize=4)
def _cached(path: str, mtime: float, size: int, roles: tuple, today: dt.date) -> Roster:
    frame, data = read_table(path)
    validate(frame, path, dict(roles), today)
    people = _typed(frame, dict(roles))
    warnings = []
    defaults = {
        "equity_value": "the role's company.grant_years_of_pay x pay",
        "vesting_years": "vesting.years",
        "vesting_cliff_months": "vesting.cliff_months",
    }
    for name, what in defaults.items():
        blank = int(people[name].isna().sum())
        if blank:
            warnings.append(f"{blank} of {len(people)} rows have no {name}: {what} is used for them")
    return Roster(people, path, hashlib.sha256(data).hexdigest()[:16], tuple(warnings))


def _load(path: str, roles: tuple, today: dt.date) -> Roster:
    p = Path(path)
    try:
        st = p.stat()
    except FileNotFoundError:
        raise DataError(path, None, "file not found (a roster: a .csv or .parquet file)") from None
    return _cached(path, st.st_mtime, st.st_size, roles, today)
