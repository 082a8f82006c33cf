"""The Solara app: Mesa's SolaraViz controls (sidebar) over `DashboardModel`, and the dashboard's views.

`solara run sim.dashboard.app` serves `Page`. The run starts on the shipped posterior's medians;
the Parameters menu switches to the conf/ defaults and back. Change a control, press Reset to build
the run with it, then Step (the render interval, 7 days by default) or play. The key-figures table
carries `data-key` attributes so that tests can read the numbers the plots show.
"""

from __future__ import annotations

import html
import math

import solara
from mesa.visualization import SolaraViz
from mesa.visualization.utils import update_counter

from sim.dashboard.plots import team_figure, timeline_figure
from sim.dashboard.state import BASES, DEFAULT_BASE, DashboardModel, controls, dashboard_class, key_figures

DAYS_PER_STEP = 7  # the Step button advances a week; Mesa's render-interval slider changes it

ROWS = (
    ("parameters", "Parameters"),
    ("date", "Date (last simulated day)"),
    ("days", "Days simulated"),
    ("policy", "Policy"),
    ("headcount", "Headcount"),
    ("departures", "Departures (all causes)"),
    ("departures_voluntary", "  voluntary"),
    ("departures_poached", "  poached"),
    ("departures_spinout", "  spin-out"),
    ("departures_forced", "  forced"),
    ("announced", "Announced to date (simulated)"),
    ("founders_remaining", "Co-founders at the lab (simulated)"),
    ("record_end", "The observed record ends"),
    ("compared_on", "Compared with it up to"),
    ("announced_to_record", "  announced (simulated)"),
    ("announced_observed", "  announced (observed)"),
    ("founders_to_record", "  co-founders at the lab (simulated)"),
    ("founders_observed", "  co-founders at the lab (observed)"),
    ("mean_burnout", "Mean burnout"),
    ("mean_autonomy", "Mean autonomy"),
    ("policy_cost", "Policy cost booked so far ($M; refresh grants settle on the last day)"),
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
def ParameterSwitch(base: solara.Reactive[str], model: solara.Reactive[DashboardModel]):
    """Which parameter set the run starts from: the calibrated posterior's medians (default) or conf/."""
    labels = {label: name for name, (label, _) in BASES.items()}

    def switch(label: str) -> None:
        name = labels[label]
        if name != base.value:
            # the default run of that set, as the controls will show; Reset rebuilds this class, so it stays there
            model.set(dashboard_class(name)())
            base.set(name)

    solara.Select(label="Parameters", value=BASES[base.value][0], values=list(labels), on_value=switch)


@solara.component
def Page():
    base = solara.use_reactive(DEFAULT_BASE)
    initial = solara.use_memo(DashboardModel, dependencies=[])
    model = solara.use_reactive(initial)
    # Keyed by the parameter set: switching gives SolaraViz a fresh record of changed controls (Mesa fills it
    # once, from the controls' values, when its controls first mount; they live in the sidebar and persist).
    SolaraViz(
        model,
        components=[],
        model_params=controls(base.value),
        name="exodus: talent attrition at a frontier AI lab",
        render_interval=DAYS_PER_STEP,
    ).key(f"viz-{base.value}")
    with solara.Column():
        ParameterSwitch(base, model)
        Timeline(model.value)
        with solara.Row(style={"align-items": "flex-start", "flex-wrap": "wrap"}):
            KeyFigures(model.value)
            Teams(model.value)
