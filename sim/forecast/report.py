"""The skill outputs: skill.csv and skill.parquet (one table), skill.png (one figure), and a markdown section."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from sim.forecast import skill  # noqa: E402
from sim.forecast.references import REFERENCES  # noqa: E402
from sim.run.files import csv_bytes, parquet_bytes, write_atomic  # noqa: E402

NOTE = (
    "Skill = 1 - CRPS(model) / CRPS(reference), CRPS averaged over the windows pooled: > 0 the model adds something, "
    "< 0 the reference is better; -inf: the reference was perfect and the model was not; n/a: both perfect."
)


def _plain(tab: pd.DataFrame) -> pd.DataFrame:
    out = tab.copy()
    for c in ("cutoff", "start", "end"):
        if c in out:
            out[c] = out[c].astype(str)
    out["horizon"] = out["horizon"].astype(str)
    return out


def write_table(tab: pd.DataFrame, out: Path, name: str = "skill") -> list[Path]:
    """`name`.csv and `name`.parquet in `out`, each written atomically."""
    out = Path(out)
    plain = _plain(tab)
    write_atomic(out / f"{name}.csv", csv_bytes(plain))
    write_atomic(out / f"{name}.parquet", parquet_bytes(plain))
    return [out / f"{name}.csv", out / f"{name}.parquet"]


def figure(tab: pd.DataFrame, path: Path, title: str, per_origin: pd.DataFrame | None = None) -> Path:
    """Left: mean CRPS per target and forecaster (pooled over horizons). Right: the model's skill against each
    reference, per target (or, with `per_origin`, per origin pooled over targets)."""
    pooled = tab[tab["horizon"] == skill.ALL]
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if pooled.empty:  # nothing to score (no window ends inside the record): say so, as the table does
        fig, ax = plt.subplots(figsize=(8, 2.5))
        ax.text(0.5, 0.5, "no window of 7-60 days after the cutoff ends inside the record: nothing scored",
                ha="center", va="center", transform=ax.transAxes)  # fmt: skip
        ax.set_axis_off()
        fig.suptitle(title, fontsize=10)
        fig.savefig(path, dpi=110)
        plt.close(fig)
        return path
    mean = pooled.groupby(["target", "forecaster"], sort=False)["crps"].mean().unstack()
    mean = mean[[f for f in skill.FORECASTERS if f in mean]]
    fig, (a, b) = plt.subplots(1, 2, figsize=(13, max(3.5, 0.6 * len(mean) + 2)))
    y = np.arange(len(mean))
    h = 0.8 / max(1, mean.shape[1])
    for i, f in enumerate(mean.columns):
        a.barh(y + i * h, mean[f], h, label=f, color="k" if f == skill.MODEL else f"C{i}")
    a.set_yticks(y + 0.4 - h / 2, mean.index, fontsize=8)
    a.invert_yaxis()
    a.set_xlabel("mean CRPS (events; lower is better)")
    a.legend(fontsize=7)
    a.set_title("CRPS per target, pooled over horizons")
    if per_origin is not None and len(per_origin):
        for i, ref in enumerate(REFERENCES):
            s = per_origin[per_origin.reference == ref].sort_values("cutoff")
            v = s["skill"].clip(lower=-2)
            b.plot(pd.to_datetime(s["cutoff"]), v, "o-", color=f"C{i + 1}", label=ref)
        b.set_xlabel("origin (cutoff)")
        b.set_ylabel("model's skill (clipped at -2)")
        b.set_title("Skill per origin, pooled over targets")
        b.tick_params(axis="x", labelsize=7, rotation=30)
    else:
        sk = pooled[pooled.forecaster != skill.MODEL].groupby(["target", "forecaster"], sort=False)["model_skill"]
        sk = sk.mean().unstack()[[r for r in REFERENCES]]
        for i, ref in enumerate(sk.columns):
            b.barh(y + i * h, sk[ref].clip(lower=-2).fillna(0), h, label=ref, color=f"C{i + 1}")
        b.set_yticks(y + 0.4 - h / 2, sk.index, fontsize=8)
        b.invert_yaxis()
        b.set_xlabel("model's skill (clipped at -2; > 0: the model is better)")
        b.set_title("Skill against each reference")
    b.axhline(0, color="k", lw=0.8) if per_origin is not None and len(per_origin) else b.axvline(0, color="k", lw=0.8)
    b.legend(fontsize=7)
    fig.suptitle(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _fmt(v) -> str:
    if isinstance(v, float):
        return "n/a" if np.isnan(v) else ("-inf" if np.isinf(v) else f"{v:.3g}")
    return str(v)


def md_table(df: pd.DataFrame) -> str:
    cols = list(df.columns)
    rows = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    rows += ["| " + " | ".join(_fmt(v) for v in r) + " |" for r in df.itertuples(index=False)]
    return "\n".join(rows)


def skill_matrix(tab: pd.DataFrame) -> pd.DataFrame:
    """Per target (pooled over horizons): the model's CRPS and its skill against each reference, and the winner."""
    pooled = tab[tab["horizon"] == skill.ALL]
    crps = pooled.groupby(["target", "forecaster"], sort=False)["crps"].mean().unstack()
    wins = pooled.groupby("target", sort=False)["windows"].max()
    rows = []
    for target, c in crps.iterrows():
        m = float(c[skill.MODEL])
        r = {"target": target, "windows": int(wins[target]), "model CRPS": m}
        r.update({f"skill vs {ref}": skill._skill(m, float(c[ref])) for ref in REFERENCES})
        low = float(c.min())
        r["winner"] = skill.MODEL if low >= m else ", ".join(n for n, v in c.items() if v == low)
        rows.append(r)
    return pd.DataFrame(rows)


def bullets(tab: pd.DataFrame) -> list[str]:
    """skill.lines as a markdown list."""
    return ["- " + line.strip() for line in skill.lines(tab)]


def markdown(sk) -> str:
    """The report's section on skill at one cutoff."""
    lines = [
        "## Skill against reference forecasts",
        "",
        f"Targets: events in the 7, 14, 30 and 60 days after the cutoff ({sk.cutoff}), where the record covers them. "
        + NOTE,
        "",
        md_table(skill_matrix(sk.table)) if len(sk.table) else "(no window to score)",
        "",
        *bullets(sk.table),
        "",
        "Every window scored (forecast quantiles of the count of events in the window):",
        "",
        md_table(sk.scores.drop(columns=["cutoff"], errors="ignore")) if len(sk.scores) else "(none)",
        "",
        "References fitted on the record up to the cutoff:",
        "",
        md_table(sk.fitted) if len(sk.fitted) else "(none)",
        "",
        f"Windows not scored: {len(sk.skipped)}" + (" (e.g. " + "; ".join(sk.skipped[:3]) + ")" if sk.skipped else ""),
        "",
    ]
    return "\n".join(lines)
