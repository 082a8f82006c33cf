"""Retention levers (docs/ODD.md, retention levers): what each does to its targets, and what it costs.

A lever starts on its date for the targeted people present then. Levers that are
practices (autonomy charter, sustainable pace, transparent leadership, counter-offers,
safety governance) also cover targeted people hired later; one-off awards (bonus,
refresh grant) do not. Costs are dollars spent inside the window.
"""

from __future__ import annotations

import numpy as np

from sim.config.params import ConfigError, LeverConfig
from sim.model import equations as eq
from sim.schema import BONUS_PAYOUT, FOUNDER, REFRESH_CLIFF, REFRESH_END, ROLES, SENIOR_ROLES, UNITS


def target_mask(model, target: str, slots: np.ndarray) -> np.ndarray:
    """Which of `slots` belong to a lever's target group."""
    wf = model.workforce
    role = wf.role[slots]
    if target == "all":
        return np.ones(slots.size, dtype=bool)
    if target == "founders":
        return role == FOUNDER
    if target == "senior":
        return np.isin(role, SENIOR_ROLES)
    if target == "research":
        return model.staffing.team_unit[wf.team[slots]] == UNITS.index("research")
    if target == "safety_minded":
        return wf.safety[slots]
    return role == ROLES.index(target)


class Lever:
    """Base lever: targets chosen at its start; a fixed running cost per targeted head and year."""

    practice = False

    def __init__(self, cfg: LeverConfig, start_day: int, index: int = 0):
        self.cfg = cfg
        self.start_day = start_day
        self.index = index  # place in the policy's levers (`policy.levers[index]`)
        self.cost = 0.0
        self.targets = np.zeros(0, dtype=np.int64)
        self.active = False

    def activate(self, model) -> None:
        wf = model.workforce
        slots = np.flatnonzero(wf.active[: wf.n] & ~wf.immune[: wf.n])
        self.targets = slots[target_mask(model, self.cfg.target, slots)]
        self.active = True
        self.apply(model, self.targets)

    def on_hire(self, model, slots: np.ndarray) -> None:
        if self.active and self.practice:
            new = slots[target_mask(model, self.cfg.target, slots)]
            self.targets = np.concatenate([self.targets, new])
            self.apply(model, new)

    def apply(self, model, slots: np.ndarray) -> None:
        """Change the targets' state; the base lever changes nothing."""

    def daily(self, model, day: int) -> None:
        if self.active and self.cfg.cost_per_head_year:
            self.cost += self.cfg.cost_per_head_year / 365.0 * model.workforce.active[self.targets].sum()

    def finish(self, model, last_day: int) -> None:
        """Costs settled at the end of the window."""

    def costs_to_date(self, model, booked: np.ndarray) -> np.ndarray:
        """The cost to the end of each day, given `booked`, `cost` as it stood at the end of each day."""
        return booked


class RetentionBonus(Lever):
    """Cash after `stay_days`, forfeited on leaving earlier; cuts targeted quits until payout."""

    def apply(self, model, slots):
        wf = model.workforce
        payout = self.start_day + self.cfg.stay_days
        wf.bonus[slots] = self.cfg.bonus_years_of_pay * wf.pay[slots]
        wf.bonus_day[slots] = payout
        wf.quit_mult[slots] = 1.0 - self.cfg.quit_cut
        if self.cfg.bonus_years_of_pay > 0:  # no payout, no post-payout bump: a $0 bonus is no bonus
            wf.milestones[slots, BONUS_PAYOUT] = payout

    def daily(self, model, day):
        super().daily(model, day)
        if self.active and day == self.start_day + self.cfg.stay_days:
            wf = model.workforce
            stayers = self.targets[wf.active[self.targets]]
            self.cost += wf.bonus[stayers].sum()
            wf.bonus[self.targets] = 0.0


class RefreshGrants(Lever):
    """A new equity grant on its own vesting schedule; cost is the part that vests in the window."""

    granted = np.zeros(0)  # dollars granted to each target (set on activation)

    def apply(self, model, slots):
        wf = model.workforce
        self.granted = self.cfg.grant_years_of_pay * wf.pay[slots]  # dollars, what the lab pays as it vests
        wf.refresh[slots] = self.granted * self.cfg.perceived_value  # what holds people (their valuation)
        wf.refresh_start[slots] = self.start_day
        if self.cfg.grant_years_of_pay <= 0:  # no grant, no vesting dates (and no post-vesting bump)
            return
        cliff, final = model.equity.milestone_days(self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        if self.cfg.grant_cliff_months:
            wf.milestones[slots, REFRESH_CLIFF] = cliff
        wf.milestones[slots, REFRESH_END] = final

    def finish(self, model, last_day):
        wf = model.workforce
        until = np.minimum(wf.left[self.targets], last_day + 1)
        frac = eq.vested_fraction(until - self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        self.cost += float((self.granted * frac).sum())

    def costs_to_date(self, model, booked):
        """Before the window's last day (when `finish` books the grant) the part vested to date is added."""
        days = np.arange(booked.size)
        until = np.minimum(model.workforce.left[self.targets][:, None], days[None, :] + 1)
        frac = eq.vested_fraction(until - self.start_day, self.cfg.grant_years, self.cfg.grant_cliff_months)
        out = booked + (self.granted[:, None] * frac).sum(0) if self.targets.size else booked.copy()
        if model.settled and booked.size == model.days:
            out[-1] = booked[-1]  # settled: `finish` booked exactly this
        return out


class AutonomyCharter(Lever):
    """Small teams with more say: more autonomy now and as the baseline it drifts back to; reorganisations cut less.

    Autonomy rises with its baseline on the day the charter covers someone: raising the baseline alone would open a
    gap (baseline - autonomy) that the quit hazard reads as autonomy lost, so the charter would first raise quits
    (issue 15: its sign test caught this)."""

    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.autonomy0[slots] = np.minimum(1.0, wf.autonomy0[slots] + self.cfg.autonomy_gain)
        wf.autonomy[slots] = np.minimum(1.0, wf.autonomy[slots] + self.cfg.autonomy_gain)
        wf.reorg_protection[slots] = self.cfg.reorg_protection


class SustainablePace(Lever):
    """A workload cap: burnout rises more slowly; the lab pays in lost throughput (a share of pay)."""

    practice = True

    def apply(self, model, slots):
        model.workforce.rise_scale[slots] = 1.0 - self.cfg.burnout_slowdown

    def daily(self, model, day):
        super().daily(model, day)
        if self.active and self.cfg.throughput_cost:
            wf = model.workforce
            on = self.targets[wf.active[self.targets]]
            self.cost += self.cfg.throughput_cost * wf.pay[on].sum() / 365.0


class TransparentLeadership(Lever):
    """Clear communication: shocks' hazard excess is damped for the targets."""

    practice = True

    def apply(self, model, slots):
        model.workforce.shock_damping[slots] = self.cfg.shock_reduction


class CounterOffers(Lever):
    """Match some poaching offers (pay raised up to a cap); cost is the raise paid inside the window."""

    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.match_prob[slots] = self.cfg.match_prob
        wf.match_cap[slots] = self.cfg.match_cap
        wf.match_lever[slots] = self.index  # its counter-offers' raises are booked to this lever

    def book(self, model, slot: int, raise_to: float, day: int) -> None:
        """A counter-offer raised `slot`'s pay to `raise_to` times: the raise paid to the window's end is this
        lever's cost."""
        wf = model.workforce
        extra = wf.pay[slot] * (raise_to - 1.0)
        self.cost += extra * (model.days - day) / 365.0
        wf.pay[slot] += extra


class SafetyGovernance(Lever):
    """A mission floor for safety-minded staff: controversies cannot push them below it."""

    practice = True

    def apply(self, model, slots):
        wf = model.workforce
        wf.mission_floor[slots] = self.cfg.mission_floor
        wf.mission[slots] = np.maximum(wf.mission[slots], self.cfg.mission_floor)


def refresh_schedule(levers: list[Lever]) -> tuple[float, int]:
    """The run's one vesting schedule of refresh grants (the compiled pass holds one table for it): every refresh
    grants lever of a policy must share it (a second one with another schedule would re-date the first's grants)."""
    grants = [lv for lv in levers if isinstance(lv, RefreshGrants)]
    if not grants:
        return (4.0, 0)
    first = (grants[0].cfg.grant_years, grants[0].cfg.grant_cliff_months)
    for lever in grants[1:]:
        for name, value, want in zip(
            ("grant_years", "grant_cliff_months"),
            (lever.cfg.grant_years, lever.cfg.grant_cliff_months),
            first,
            strict=True,
        ):
            if value != want:
                raise ConfigError(
                    f"policy.levers[{lever.index}].{name}",
                    value,
                    f"{want!r}, as policy.levers[{grants[0].index}] (one refresh-grant vesting schedule per run)",
                )
    return first


LEVERS: dict[str, type[Lever]] = {
    "retention_bonus": RetentionBonus,
    "refresh_grants": RefreshGrants,
    "autonomy_charter": AutonomyCharter,
    "sustainable_pace": SustainablePace,
    "transparent_leadership": TransparentLeadership,
    "counter_offers": CounterOffers,
    "safety_governance": SafetyGovernance,
}
