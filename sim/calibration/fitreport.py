"""The calibration's fit report: posterior summaries, ABC diagnostics, a posterior predictive check, figures."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from sim.calibration import targets
from sim.calibration.posterior import IDENTIFIED, Posterior, not_identified  # noqa: E402
from sim.calibration.predictive import Predictive, bands, coverage, stat_checks  # noqa: E402
from sim.config import freeparams
from sim.config.params import RunConfig  # noqa: E402
from sim.data import observed  # noqa: E402
from sim.figures.shocklabels import mark_shocks, shock_groups, shock_key
from sim.model.shocks import kinds
from sim.run.files import csv_bytes, json_bytes, write_atomic  # noqa: E402

LEVEL = 0.9


def _save(fig, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp.png")
    fig.savefig(tmp, dpi=120, bbox_inches="tight")
    plt.close(fig)
    tmp.replace(path)


def _band(ax, b: pd.DataFrame, color: str, label: str, step: bool = False) -> None:
    x = list(b.index)
    kw = {"step": "mid"} if step else {}
    ax.fill_between(x, b["q05"], b["q95"], color=color, alpha=0.18, lw=0, label="90 % band", **kw)
    ax.fill_between(x, b["q25"], b["q75"], color=color, alpha=0.35, lw=0, label="50 % band", **kw)
    if step:
        ax.step(x, b["q50"], where="mid", color=color, lw=1.5, label=label)
    else:
        ax.plot(x, b["q50"], color=color, lw=1.5, label=label)


def fit_figure(pred: Predictive, run: RunConfig, path: Path, record=None) -> Path:
    """Observed vs simulated: daily and cumulative announcements over the targets' window (1-12 Feb 2026 for the
    shipped record), founders remaining, headcount. Observed lines end where the record ends."""
    _save(fit_fig(pred, run, record), path)
    return path


def fit_fig(pred: Predictive, run: RunConfig, record=None):
    """The figure of `fit_figure` (a pyplot figure: close it when done). Every axis counts people or posts, so
    ticks are whole numbers; legends sit where the curves are not (the headcount's low after the layoff is in
    the lower left). `record` (sim.data.record.Record): the observed data, default the shipped record."""
    from sim.data import record as rec_mod

    rec = rec_mod.load(None) if record is None else record
    fig, axes = plt.subplots(2, 2, figsize=(12, 8))
    span = sorted(pred.daily.date.unique())
    spec = targets.spec(rec, span[0])
    first, last = spec.start, spec.end
    obs = observed.announced_by_day(first, last, rec.departures)
    days = list(obs.index)
    d = pred.daily[(pred.daily.date >= first) & (pred.daily.date <= last)]
    groups = shock_groups(run.shocks, span[0], span[-1])

    ax = axes[0, 0]
    _band(ax, bands(d, "announced"), "C0", "simulated median", step=True)
    where = " (sim/data/departures.csv)" if record is None else ""  # a user's record: the report names its folder
    ax.plot(days, obs.values, "ko", ms=5, label=f"observed{where}")
    ax.set_title(f"Announced departures per day, {first} to {last}")
    ax.set_ylabel("announcements")
    ax.legend(fontsize=7, loc="center left")

    ax = axes[0, 1]
    cum = d.sort_values("date").assign(cum=lambda x: x.groupby("draw")["announced"].cumsum())
    _band(ax, bands(cum, "cum"), "C0", "simulated median", step=True)
    ax.plot(days, obs.cumsum().values, "k-o", ms=4, label="observed")
    ax.set_title(f"Cumulative announcements from {first}")
    ax.set_ylabel(f"announcements since {first}")
    ax.legend(fontsize=7, loc="center left")

    ax = axes[1, 0]
    _band(ax, bands(pred.daily, "founders_remaining"), "C2", "simulated median")
    if rec.founders is not None:
        seen = [x for x in span if x <= rec.end]  # the observed line ends where the record ends
        ax.step(seen, [observed.founders_remaining(x, rec.founders) for x in seen], "k", where="post", label="observed")
    ax.set_title("Founders at the lab (owner-founder included)")
    ax.set_ylabel("co-founders")
    ax.legend(fontsize=7, loc="lower left")

    ax = axes[1, 1]
    _band(ax, bands(pred.daily, "headcount"), "C1", "simulated median")
    for _, day, value, bound in spec.headcount:
        marker, label = ("k^", f"observed: over {value:,}") if bound == "at_least" else ("ko", f"observed: {value:,}")
        ax.plot([day], [value], marker, ms=8, label=label)
    ax.set_title("Headcount")
    ax.set_ylabel("people")
    ax.legend(fontsize=7, loc="lower right")
    for a in axes.flat:
        a.tick_params(axis="x", labelsize=7, rotation=30)
        a.yaxis.set_major_locator(MaxNLocator(integer=True))
        mark_shocks(a, groups)
        a.set_title(a.get_title(), pad=14)  # room for the shocks' letters
    fig.suptitle(f"Posterior predictive check ({pred.stats.shape[0]} posterior draws, one run each)")
    fig.text(0.01, 0.0, shock_key(groups, kinds), fontsize=7, color="0.3", wrap=True)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    return fig


def posterior_figure(post: Posterior, path: Path) -> Path:
    """Each parameter's weighted posterior histogram against its prior, with the 90 % interval."""
    names = post.names
    cols = 3
    rows = int(np.ceil(len(names) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(4 * cols, 2.8 * rows), squeeze=False)
    summ = post.summary(LEVEL).set_index("parameter")
    priors = freeparams.recorded(post.meta.get("priors"))
    for ax, n in zip(axes.flat, names, strict=False):
        p = priors[n]
        x = post.samples[n].to_numpy(float)
        s = summ.loc[n]
        # log-uniform priors are shown on a log10 axis, where they are flat
        f = np.log10 if p.log else (lambda v: v)
        lo, hi = f(p.low), f(p.high)
        ax.hist(f(x), bins=np.linspace(lo, hi, 25), weights=post.weights, density=True, color="C0", alpha=0.6,
                label="posterior")  # fmt: skip
        ax.plot([lo, hi], [1.0 / (hi - lo)] * 2, "k--", lw=1, label="prior")
        ax.axvspan(f(s["lo"]), f(s["hi"]), color="C0", alpha=0.1, label="90 % interval")
        ax.axvline(f(s["median"]), color="C0", lw=1.5)
        if p.log:
            ticks = [v for v in (0.1, 0.2, 0.25, 0.5, 1, 2, 4) if p.low <= v <= p.high]
            ax.set_xticks(np.log10(ticks), [f"{v:g}" for v in ticks])
            ax.set_xlabel("log scale", fontsize=7)
        tag = "" if s["shrinkage_var"] >= IDENTIFIED else ", not identified"
        ax.set_title(f"{n}: {s['median']:.3g} [{s['lo']:.3g}, {s['hi']:.3g}]\nshrinkage {s['shrinkage_var']:.2f}{tag}",
                     fontsize=9)  # fmt: skip
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(names) :]:
        ax.axis("off")
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("Posterior (bars) against prior (dashed); title: median [90 % interval], 1 - posterior/prior variance")
    fig.tight_layout()
    _save(fig, path)
    return path


def _md_table(df: pd.DataFrame, floatfmt: str = ".3g") -> str:
    cols = list(df.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for _, r in df.iterrows():
        cells = [format(v, floatfmt) if isinstance(v, float) else str(v) for v in r]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _prior_lines(post: Posterior) -> list[str]:
    """The fit report's lines on priors set from a user's roster (sim/calibration/priors.py); none otherwise."""
    own = {n: e for n, e in (post.meta.get("priors") or {}).items() if isinstance(e, dict) and "roster" in e}
    return [
        *(f"**Prior of {n} from the roster**: [{e['low']:.4g}, {e['high']:.4g}]{' log-uniform' if e['log'] else ''}, "
          f"{e['source']}." for n, e in own.items()),
        *([""] if own else []),
    ]  # fmt: skip


def _sbc_lines(sbc: dict | None) -> list[str]:
    """The fit report's lines on simulation-based calibration (experiments/sbc.py), if a result is attached."""
    if not sbc:
        return ["Simulation-based calibration: not attached (python experiments/sbc.py --install).", ""]
    rows = pd.DataFrame(
        [{"parameter": n, **{k: v for k, v in c.items() if k != "ranks"}} for n, c in sbc["parameters"].items()]
    )
    return [
        f"## Simulation-based calibration ({sbc['records']} synthetic records from the prior; {sbc['method']})",
        "",
        _md_table(rows),
        "",
    ]


def write_report(post: Posterior, pred: Predictive, run: RunConfig, out: Path, record=None) -> dict:
    """Write fit_report.md, fit_summary.csv, predictive tables and both figures into `out`; return the key numbers.
    `record` (sim.data.record.Record): the observed data the report compares with (default: the shipped record)."""
    out = Path(out)
    summ = post.summary(LEVEL)
    cov = coverage(pred, record)
    if record is None:
        obs_stats = targets.shipped_spec(min(pred.daily["date"])).observed
    else:
        obs_stats = targets.spec(record, min(pred.daily["date"])).observed
    checks = stat_checks(pred, obs_stats)
    gens = pd.DataFrame(post.meta.get("generations", []))
    write_atomic(out / "fit_summary.csv", csv_bytes(summ))
    write_atomic(out / "predictive_daily.csv", csv_bytes(pred.daily))
    write_atomic(out / "predictive_stats.csv", csv_bytes(pred.stats))
    write_atomic(out / "predictive_checks.csv", csv_bytes(checks))
    fit_figure(pred, run, out / "fit.png", record)
    posterior_figure(post, out / "posterior.png")
    ess = float(1.0 / np.sum(post.weights**2))
    unidentified = not_identified(summ)
    misfit = [str(x) for x in checks.loc[~checks["reproduced"], "statistic"]] if len(checks) else []
    numbers = {
        "coverage": cov,
        "ess": ess,
        "particles": len(post.samples),
        "simulations": post.meta.get("simulations"),
        "stop_reason": post.meta.get("stop_reason", ""),
        "shrinkage": {r.parameter: round(float(r.shrinkage_var), 4) for r in summ.itertuples()},
        "not_identified": unidentified,
        "not_reproduced": misfit,
        "predictive_p": {r.statistic: round(float(r.p_value), 4) for r in checks.itertuples()} if len(checks) else {},
    }
    write_atomic(out / "fit_report.json", json_bytes({**numbers, "summary": summ.to_dict(orient="records")}))
    s = post.meta.get("settings", {})
    lines = [
        "# Calibration fit report",
        "",
        f"Method: {post.meta.get('method', '?')}; seed {s.get('seed')}, "
        + (f"population {s.get('population')}, {len(gens[gens.t >= 0])} generations, " if len(gens) else "")
        + f"{post.meta.get('simulations')} simulations in {post.meta.get('seconds')} s; {len(post.samples)} "
        f"particles, effective sample size {ess:.0f}.",
        "",
        "## Posterior (median and 90 % interval; shrinkage = 1 - posterior width / prior width; shrinkage_var = "
        "1 - posterior variance / prior variance)",
        "",
        _md_table(summ[["parameter", "median", "lo", "hi", "prior_lo", "prior_hi", "shrinkage", "shrinkage_var"]]),
        "",
        f"**Not identified by the record** (variance shrinkage below {IDENTIFIED}; they keep their sourced prior): "
        f"{', '.join(unidentified) if unidentified else 'none'}.",
        "",
        *_prior_lines(post),
        *(
            [
                "## ABC generations (epsilon: distance threshold; acceptance: particles / simulations; ess: effective "
                "sample size of the generation's weights)",
                "",
                _md_table(gens),
                "",
            ]
            if len(gens)
            else []
        ),
        f"Stop: {post.meta.get('stop_reason', 'not recorded')}.",
        "",
        *(
            [
                f"The record lies outside the kept simulations in: {', '.join(post.meta['outside_the_table'])} (these "
                "enter the distance, not the regression adjustment).",
                "",
            ]
            if post.meta.get("outside_the_table")
            else []
        ),  # fmt: skip
        *_sbc_lines(post.meta.get("diagnostics", {}).get("sbc")),
        "## Posterior predictive check",
        "",
        f"Observed data: {record.where if record is not None else 'the shipped record (sim/data)'}.",
        "",
        f"Observed daily announcements over the targets' window inside the 90 % band: {cov['covered_90']} of "
        f"{cov['days']} days; inside the 50 % band: {cov['covered_50']} of {cov['days']} "
        f"({pred.stats.shape[0]} draws).",
        "",
        _md_table(checks),
        "",
        f"**Statistics the model cannot reproduce** (posterior predictive p-value below 0.05: a misspecification, "
        f"not a matter of more ABC generations): {', '.join(misfit) if misfit else 'none'}.",
        "",
        "Figures: `fit.png` (observed vs simulated), `posterior.png` (posterior vs prior).",
        "",
    ]
    write_atomic(out / "fit_report.md", "\n".join(lines).encode())
    return numbers
