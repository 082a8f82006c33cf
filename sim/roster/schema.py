"""The roster format, declared once and checked with pandera: every refusal names the row, the column and what is
allowed. Values are checked as the text the file holds (so a refusal can quote it), then as dates and numbers."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pandera.pandas as pa

DATE = r"^\d{4}-\d{2}-\d{2}$"
REQUIRED = ("id", "hire_date", "role", "team", "annual_pay", "exit_date", "exit_reason")
OPTIONAL = ("manager_id", "equity_value", "vesting_years", "vesting_cliff_months", "destination")
COLUMNS = REQUIRED + OPTIONAL
EXIT_REASONS = ("voluntary", "forced", "unknown")

HELP = {
    "id": "a person's identifier, unique in the roster (kept inside the run: only salted hashes leave it)",
    "hire_date": "YYYY-MM-DD",
    "role": "one of the model's roles or a name mapped to one by roster.roles",
    "team": "any text naming the person's team",
    "annual_pay": "annual cash pay in dollars, a number > 0",
    "exit_date": "YYYY-MM-DD, or empty for people still there",
    "exit_reason": f"one of {', '.join(EXIT_REASONS)} (empty for people still there)",
    "manager_id": "the id of another person in the roster, or empty",
    "equity_value": "the equity grant's value in dollars, a number >= 0, or empty",
    "vesting_years": "years of the vesting schedule, a number > 0, or empty",
    "vesting_cliff_months": "months of the vesting cliff, a whole number >= 0, or empty",
    "destination": "where the person went (rival_lab, startup, other_tech, out or a firm's name), or empty",
}


# checks across columns: the column a refusal names -> what is allowed ("today" is filled in when checked)
FRAME_CHECKS = {
    "hire_date/exit_date": "a date on or before today",
    "exit_date": "a date on or after the person's hire_date",
    "exit_reason": f"one of {', '.join(EXIT_REASONS)}, given exactly when exit_date is given",
    "manager_id": HELP["manager_id"],
}
FRAME_COLUMN = {allowed: column for column, allowed in FRAME_CHECKS.items()}


def _blank(s: pd.Series) -> pd.Series:
    return s.str.strip() == ""


def _dates(s: pd.Series) -> pd.Series:
    return pd.to_datetime(s.where(~_blank(s)), format="%Y-%m-%d", errors="coerce")


def _is_date(s: pd.Series) -> pd.Series:
    return s.str.fullmatch(DATE) & _dates(s).notna()


def _is_number(s: pd.Series, low: float, strict: bool, whole: bool = False) -> pd.Series:
    x = pd.to_numeric(s, errors="coerce")
    ok = x.notna() & (x > low if strict else x >= low) & (x < float("inf"))
    return ok & (x == x.round()) if whole else ok


def _optional(check):
    return lambda s: _blank(s) | check(s)


def schema(roles: tuple[str, ...], today: dt.date) -> pa.DataFrameSchema:
    """The roster's schema: `roles` the role names allowed (the model's and the mapped ones), no date after `today`."""
    latest = pd.Timestamp(today)

    def col(name, fn, required=True, **kw):
        return pa.Column(str, pa.Check(fn, error=HELP[name]), required=required, nullable=False, **kw)

    def not_future(df: pd.DataFrame) -> pd.Series:
        return (_dates(df["hire_date"]).fillna(latest) <= latest) & (_dates(df["exit_date"]).fillna(latest) <= latest)

    def exit_after_hire(df: pd.DataFrame) -> pd.Series:
        hire, leave = _dates(df["hire_date"]), _dates(df["exit_date"])
        return leave.isna() | hire.isna() | (leave >= hire)

    def reason_with_exit(df: pd.DataFrame) -> pd.Series:
        return _blank(df["exit_date"]) == _blank(df["exit_reason"])

    def known_manager(df: pd.DataFrame) -> pd.Series:
        if "manager_id" not in df:
            return pd.Series(True, index=df.index)
        m = df["manager_id"].str.strip()
        return (m == "") | (m.isin(set(df["id"].str.strip())) & (m != df["id"].str.strip()))

    frame_checks = {
        "hire_date/exit_date": not_future,
        "exit_date": exit_after_hire,
        "exit_reason": reason_with_exit,
        "manager_id": known_manager,
    }
    return pa.DataFrameSchema(
        {
            "id": col("id", lambda s: ~_blank(s), unique=True),
            "hire_date": col("hire_date", _is_date),
            "role": col("role", lambda s: s.str.strip().isin(roles)),
            "team": col("team", lambda s: ~_blank(s)),
            "annual_pay": col("annual_pay", lambda s: _is_number(s, 0.0, True)),
            "exit_date": col("exit_date", _optional(_is_date)),
            "exit_reason": col("exit_reason", lambda s: _blank(s) | s.str.strip().isin(EXIT_REASONS)),
            "manager_id": col("manager_id", lambda s: pd.Series(True, index=s.index), required=False),
            "equity_value": col("equity_value", _optional(lambda s: _is_number(s, 0.0, False)), required=False),
            "vesting_years": col("vesting_years", _optional(lambda s: _is_number(s, 0.0, True)), required=False),
            "vesting_cliff_months": col(
                "vesting_cliff_months", _optional(lambda s: _is_number(s, 0.0, False, whole=True)), required=False
            ),
            "destination": col("destination", lambda s: pd.Series(True, index=s.index), required=False),
        },
        checks=[pa.Check(fn, name=column, error=FRAME_CHECKS[column]) for column, fn in frame_checks.items()],
        strict=False,
        ordered=False,
    )
