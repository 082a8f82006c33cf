"""experiments/forecast.py counts destinations by what means the same in every draw: kinds, and rival labs by name.
A spin-out's id (`spinout-1`) names a firm of one run, so the `spinout-1` of two draws must not be added up as one."""

from __future__ import annotations

import pandas as pd

from experiments.forecast import destinations, table


def _draw(dests: list[tuple[str, str]]) -> dict:
    deps = pd.DataFrame({"destination": [d for d, _ in dests], "destination_kind": [k for _, k in dests]})
    deps["cause"], deps["firm"] = "voluntary", ""
    out = {"researchers and engineers leaving 1 Feb - 14 May": len(deps)}
    for dest, n in destinations(deps).value_counts().items():
        out[f"to: {dest}"] = int(n)
    return out


def test_spin_outs_of_different_draws_are_pooled_by_kind_and_rivals_keep_their_names():
    draws = [
        _draw([("spinout-1", "spinout"), ("spinout-1", "spinout"), ("meta", "rival_lab")]),
        _draw([("spinout-2", "spinout"), ("spinout-3", "spinout"), ("spinout-3", "spinout"), ("out", "out")]),
        _draw([("meta", "rival_lab"), ("openai", "rival_lab")]),
    ]
    t = table(draws).set_index("quantity")
    assert not any("spinout-" in q for q in t.index)  # no per-run firm id survives into the table
    # spin-out leavers per draw: 2, 3, 0 -> mean 5/3, median 2 (an absent kind counts 0 in its draw)
    assert t.loc["to: spinout", "mean"] == 5 / 3 and t.loc["to: spinout", "median"] == 2
    assert t.loc["to: rival_lab: meta", "mean"] == 2 / 3 and t.loc["to: out", "mean"] == 1 / 3
    # the destinations of each draw add up to its leavers
    for d in draws:
        assert (
            sum(v for k, v in d.items() if k.startswith("to: "))
            == d["researchers and engineers leaving 1 Feb - 14 May"]
        )
