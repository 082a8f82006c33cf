"""The model's vocabulary, declared once: roles, units, causes of leaving, the daily table's columns and the
vesting milestones each person carries. Codes are positions in these tuples."""

from __future__ import annotations

ROLES = ("co_founder", "research_lead", "researcher", "engineer", "product", "operations")
UNITS = ("research", "engineering", "product", "operations")
FOUNDER, RESEARCH_LEAD = ROLES.index("co_founder"), ROLES.index("research_lead")
SENIOR_ROLES = (FOUNDER, RESEARCH_LEAD)
ROLE_UNIT = tuple(UNITS.index(u) for u in ("research", "research", "research", "engineering", "product", "operations"))

CAUSES = ("voluntary", "poached", "spinout", "forced")
VOLUNTARY, POACHED, SPINOUT, FORCED = range(len(CAUSES))
# where leavers go (sim/model/destinations.py): a kind per departure
DEST_KINDS = ("rival_lab", "startup", "spinout", "other_tech", "out", "forced")

DAILY_COLUMNS = (
    "headcount",
    "hires",
    "departures",
    *(f"departures_{c}" for c in CAUSES),
    "announced",
    "announced_founders",
    "founders_remaining",
    "mean_burnout",
    "mean_autonomy",
    "mean_mission",
    "offers_made",
    "offers_accepted",
    "offers_countered",
    *(f"dest_{kind}" for kind in DEST_KINDS),
)
COL = {name: i for i, name in enumerate(DAILY_COLUMNS)}
CAUSE_COL = tuple(COL[f"departures_{cause}"] for cause in CAUSES)
DEST_COL = {kind: COL[f"dest_{kind}"] for kind in DEST_KINDS}

# a person's vesting milestones (day numbers; the 60 days after each carry the post-vesting hazard bump)
MILESTONES = ("cliff", "last_vest", "refresh_cliff", "refresh_end", "bonus_payout")
CLIFF, LAST_VEST, REFRESH_CLIFF, REFRESH_END, BONUS_PAYOUT = range(len(MILESTONES))
