"""Interactive dashboard: explore a scenario and a retention policy in the browser (Mesa SolaraViz).

`exodus-dashboard` starts it (`sim.dashboard.cli`); the Solara app itself is `sim.dashboard.app`
(`solara run sim.dashboard.app`). Needs the `dashboard` extra. This package is an entry point:
it composes Hydra configs, which the simulating code in `sim/` never does.
"""
