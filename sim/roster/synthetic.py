"""A roster drawn from the model itself (known parameters): for the recovery test and the 50,000-person benchmark."""

from __future__ import annotations

import pandas as pd

from sim.schema import CAUSES, ROLES


def from_model(model, first_id: int = 0) -> pd.DataFrame:
    """Everyone the run `model` employed as roster rows (hire and exit dates, role, team, pay, equity; the cause
    of leaving as exit_reason: forced, or voluntary for quits, poaching and spin-outs)."""
    wf, n = model.workforce, model.workforce.n
    start = pd.Timestamp(model.start)
    left = wf.left[:n]
    gone = left < model.days
    hire = start + pd.to_timedelta(wf.hired[:n], unit="D")
    exit_ = (start + pd.to_timedelta(left.clip(max=model.days - 1), unit="D")).where(gone)
    cause = pd.Series(wf.cause[:n]).map(lambda c: CAUSES[c] if c >= 0 else "")
    reason = cause.map(lambda c: "" if not c else "forced" if c == "forced" else "voluntary")
    return pd.DataFrame(
        {
            "id": [f"P{first_id + i:07d}" for i in range(n)],
            "hire_date": hire.strftime("%Y-%m-%d"),
            "role": [ROLES[r] for r in wf.role[:n]],
            "team": [f"team-{t}" for t in wf.team[:n]],
            "annual_pay": wf.pay[:n].round(0),
            "equity_value": wf.grant[:n].round(0),
            "exit_date": pd.Series(exit_).dt.strftime("%Y-%m-%d").fillna(""),
            "exit_reason": reason,
        }
    )
