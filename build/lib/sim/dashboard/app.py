"""The Solara app: Mesa's SolaraViz controls (sidebar) over `DashboardModel`, and the dashboard's views.

`solara run sim.dashboard.app` serves `Page`. Change a control, press Reset to build the run
with it, then Step (the render interval, 7 days by default) or play. The key-figures table
carries `data-key` attributes so that tests can read the numbers the plots show.
"""

from __future__ import annotations

import html
import math

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from .plots import team_figure, timeline_figure
from .state import DashboardModel, controls, key_figures

DAYS_PER_STEP = 7  # the Step button advances a week; Mesa's render-interval slider changes it

ROWS = (
    ("date", "Date (last simulated day)"),
    ("days", "Days simulated"),
    ("policy", "Policy"),
    ("headcount", "Headcount"),
    ("departures", "Departures (all causes)"),
    ("departures_voluntary", "  voluntary"),
    ("departures_poached", "  poached"),
    ("departures_spinout", "  spin-out"),
    ("departures_forced", "  forced"),
    ("announced", "Announced (simulated)"),
    ("announced_observed", "Announced (observed)"),
    ("founders_remaining", "Co-founders remaining (simulated)"),
    ("founders_observed", "Co-founders remaining (observed)"),
    ("mean_burnout", "Mean burnout"),
    ("mean_autonomy", "Mean autonomy"),
    ("policy_cost", "Policy cost booked so far ($M)"),
)


def _fmt(key: str, value) -> str:
    if isinstance(value, float):
        if math.isnan(value):
            return "–"
        return f"{value / 1e6:,.2f}" if key == "policy_cost" else f"{value:.4f}"
    return str(value)


def figures_html(figures: dict) -> str:
    """The key figures as table rows, each value in a cell with `data-key` naming it."""
    return "".join(
        f'<tr><th style="text-align:left;padding-right:1em;white-space:pre">{html.escape(label)}</th>'
        f'<td data-key="{key}" style="text-align:right">{html.escape(_fmt(key, figures[key]))}</td></tr>'
        for key, label in ROWS
    )


@solara.component
def KeyFigures(model: DashboardModel):
    update_counter.get()
    figures = key_figures(model)
    with solara.Card("Key figures", style={"min-width": "330px"}):
        solara.HTML(tag="table", unsafe_innerHTML=figures_html(figures), attributes={"id": "exodus-figures"})
        solara.Text("Reproduce on the command line:", style={"font-size": "80%"})
        solara.HTML(
            tag="pre",
            unsafe_innerHTML=html.escape("exodus " + " \\\n  ".join(model.overrides)),
            style="font-size: 75%; white-space: pre-wrap; max-width: 330px",
            attributes={"id": "exodus-overrides"},
        )


@solara.component
def Timeline(model: DashboardModel):
    update_counter.get()
    fig = timeline_figure(model, model.series())
    with solara.Column(classes=["exodus-timeline"]):
        solara.FigureMatplotlib(fig, format="png", dpi=90, dependencies=[update_counter.value, id(model)])


@solara.component
def Teams(model: DashboardModel):
    update_counter.get()
    fig = team_figure(model)
    with solara.Column(classes=["exodus-teams"]):
        solara.FigureMatplotlib(fig, format="png", dpi=90, dependencies=[update_counter.value, id(model)])


@solara.component
def Page():
    initial = solara.use_memo(DashboardModel, dependencies=[])
    model = solara.use_reactive(initial)
    SolaraViz(
        model,
        components=[],
        model_params=controls(),
        name="exodus: talent attrition at a frontier AI lab",
        render_interval=DAYS_PER_STEP,
    )
    with solara.Column():
        Timeline(model.value)
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
            KeyFigures(model.value)
            Teams(model.value)
