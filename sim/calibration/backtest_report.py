"""The backtest's outputs: scores.csv, report.md and forecast.png (forecast bands against what happened)."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from sim.calibration import targets  # noqa: E402
from sim.calibration.backtest import Backtest  # noqa: E402
from sim.calibration.fitreport import _band, _md_table, _save  # noqa: E402
from sim.calibration.predictive import bands  # noqa: E402
from sim.data import observed  # noqa: E402
from sim.forecast import report as skill_report  # noqa: E402
from sim.run.files import csv_bytes, json_bytes, write_atomic  # noqa: E402


def figure(bt: Backtest, path: Path) -> Path:
    """Daily and cumulative-after-cutoff announcements, founders remaining, and the scored bounds and counts."""
    rec, cutoff = bt.record, bt.cutoff
    first = targets.spec(rec, min(bt.daily.date)).start
    last = rec.end
    d = bt.daily[(bt.daily.date >= first) & (bt.daily.date <= last)]
    obs = observed.announced_by_day(first, last, rec.departures)
    days = np.array(obs.index)
    after = days > cutoff
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))

    ax = axes[0, 0]
    _band(ax, bands(d, "announced"), "C0", "forecast median", step=True)
    ax.plot(days[~after], obs.values[~after], "o", color="0.6", ms=5, label="observed, used to calibrate")
    ax.plot(days[after], obs.values[after], "ko", ms=5, label="observed, scored")
    ax.set_title("Announced departures per day")

    ax = axes[0, 1]
    post = d[d.date > cutoff].sort_values("date")
    post = post.assign(cum=post.groupby("draw")["announced"].cumsum())
    if len(post):
        _band(ax, bands(post, "cum"), "C0", "forecast median", step=True)
        ax.plot(days[after], obs.values[after].cumsum(), "k-o", ms=4, label="observed")
    ax.set_title(f"Announcements after the cutoff ({cutoff}), cumulative")

    ax = axes[1, 0]
    _band(ax, bands(d, "founders_remaining"), "C2", "forecast median", step=True)
    if rec.founders is not None:  # the observed line ends where the record ends
        ax.step(days, [observed.founders_remaining(x, rec.founders) for x in days], "k", where="mid", label="observed")
    ax.set_title("Founders at the lab")

    ax = axes[1, 1]
    other = bt.scores[bt.scores.kind.isin(["headcount", "count"])].reset_index(drop=True)
    if len(other):
        y = np.arange(len(other))
        scale = other.observed.replace(0, 1).astype(float)  # each item relative to its observed value
        ax.hlines(y, other.q05 / scale, other.q95 / scale, color="C1", lw=6, alpha=0.35, label="90 % interval")
        ax.hlines(y, other.q25 / scale, other.q75 / scale, color="C1", lw=6, alpha=0.7, label="50 % interval")
        ax.plot(other.q50 / scale, y, "|", color="C1", ms=14, label="median")
        ax.axvline(1.0, color="k", lw=1.2, label="observed (> lower bound, < upper)")
        for i, r in other.iterrows():
            ax.annotate({"lower": ">", "upper": "<", "exact": "="}.get(r.bound, ""), (1.0, i), fontsize=12,
                        ha="left", va="center")  # fmt: skip
        labels = [f"{r.what[:28]}\n{r.start}..{r.end}: {r.bound} {r.observed:,}" for r in other.itertuples()]
        ax.set_yticks(y, labels, fontsize=7)
        ax.set_ylim(-0.8, len(other) - 0.2)
        ax.set_xlabel("forecast / observed value")
        ax.legend(fontsize=7, loc="upper right")
        ax.set_title("Counts and headcounts scored (relative to the observed value)")
    else:
        ax.text(0.5, 0.5, "no counts or headcounts after the cutoff", ha="center", va="center", transform=ax.transAxes)
        ax.set_axis_off()
    for a in (axes[0, 0], axes[0, 1], axes[1, 0]):  # counts of people and posts: whole-number ticks
        a.axvline(cutoff, color="C3", lw=1, ls="--", label="cutoff")
        a.legend(fontsize=7, loc="lower left" if a is axes[1, 0] else "upper left")  # founders fall to the right
        a.yaxis.set_major_locator(MaxNLocator(integer=True))
        a.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=8))
        a.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))
        a.tick_params(axis="x", labelsize=7, rotation=30)
    s = bt.summary
    fig.suptitle(
        f"Backtest: calibrated on the record up to {cutoff}, {s['draws']} posterior draws forward to {last} "
        f"(90 % coverage {s['coverage_90']:.0%}, mean CRPS {s['mean_crps']:.2f})"
    )
    fig.tight_layout()
    _save(fig, path)
    return path


def _fmt(x, spec=".2f") -> str:
    return "n/a" if x is None or (isinstance(x, float) and not np.isfinite(x)) else format(x, spec)


def report(bt: Backtest, seconds: float) -> str:
    s = bt.summary
    post = bt.posterior.summary(0.9)
    rows = [{"kind": k, **r} for k, r in s["by_kind"].items()]  # per kind of point observation
    table = bt.scores.copy()
    for c in ("in_50", "in_90", "pit_in_50", "pit_in_90"):
        table[c] = table[c].map(lambda v: "" if pd.isna(v) else ("yes" if v else "no"))
    lines = [
        f"# Backtest: cutoff {bt.cutoff}",
        "",
        f"Observed data: {s['record']} (last day {s['record_end']}). Calibrated (ABC) on the observations dated up "
        f"to {bt.cutoff} only; {s['draws']} posterior draws run forward; every later observation scored. "
        f"Run time {seconds:.0f} s. The scenario's events dated after the cutoff were "
        f"{'kept (a forecast conditional on them)' if s.get('later_events', True) else 'left out'}.",
        "",
        "## Scores",
        "",
        f"- point observations: {s['points']}; inside the 50 % interval: {_fmt(s['coverage_50'], '.0%')}, inside the "
        f"90 % interval: {_fmt(s['coverage_90'], '.0%')} (inclusive central intervals of integer draws: these "
        "over-cover by construction);",
        f"- randomised PIT coverage (exactly nominal for a calibrated forecast): 50 %: "
        f"{_fmt(s['pit_coverage_50'], '.0%')}, 90 %: {_fmt(s['pit_coverage_90'], '.0%')};",
        f"- mean CRPS (scoringrules' crps_ensemble; lower is better, in the observations' units): "
        f"{_fmt(s['mean_crps'])};",
        f"- bounds scored: {s['bounds']}; 90 % interval reaching the bound: {s['bounds_reached_90']}; mean forecast "
        f"probability of meeting a bound: {_fmt(s['mean_p_bound'])}.",
        *[f"- not scored: {reason}" for reason in s.get("not_scored", [])],
        "",
        _md_table(pd.DataFrame(rows)) if rows else "(no point observations)",
        "",
        "## Every later observation",
        "",
        _md_table(table, ".3g"),
        "",
        f"## Posterior fitted up to {bt.cutoff} (median, 90 % interval, shrinkage)",
        "",
        _md_table(post[["parameter", "median", "lo", "hi", "shrinkage"]]),
        "",
        "Figure: `forecast.png` (forecast bands against what happened; the dashed line is the cutoff).",
        "",
    ]
    if bt.skill is not None:
        lines += [skill_report.markdown(bt.skill), "Figure: `skill.png`; table: `skill.csv` / `skill.parquet`.", ""]
    return "\n".join(lines)


def write(bt: Backtest, out: Path, seconds: float = 0.0) -> list[Path]:
    """Write scores.csv, summary.json, posterior.csv, forecast.png and report.md into `out` (each atomically)."""
    from sim.calibration.posterior import write as write_posterior

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    write_atomic(out / "scores.csv", csv_bytes(bt.scores))
    write_atomic(out / "summary.json", json_bytes(bt.summary))
    write_posterior(bt.posterior, out / "posterior.csv")
    figure(bt, out / "forecast.png")
    names = ["report.md", "scores.csv", "forecast.png", "summary.json", "posterior.csv"]
    if bt.skill is not None:
        skill_report.write_table(bt.skill.table, out)
        skill_report.figure(bt.skill.table, out / "skill.png", f"The model beside reference forecasts, cutoff "
                            f"{bt.cutoff} ({bt.summary['draws']} posterior draws)")  # fmt: skip
        names += ["skill.csv", "skill.parquet", "skill.png"]
    write_atomic(out / "report.md", report(bt, seconds).encode())
    return [out / n for n in names]
