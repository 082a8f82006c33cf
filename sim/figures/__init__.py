"""Figure helpers shared by analysis, calibration and the dashboard (matplotlib only, no other sim import)."""
