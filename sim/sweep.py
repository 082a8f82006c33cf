"""Sweeps from Python: run one (`run_sweep`, as `exodus -m ...` would, resuming what is done) and load its tidy
tables (`load`: runs with their figures, daily tables stacked, tenure, skipped folders). Implemented in
`sim.analysis.sweep`; this module is the stable public name."""

from sim.analysis.sweep import Sweep, SweepError, find_runs, load, read_sweep, run_sweep, sweep_folder, write_tables

__all__ = ["Sweep", "SweepError", "find_runs", "load", "read_sweep", "run_sweep", "sweep_folder", "write_tables"]
