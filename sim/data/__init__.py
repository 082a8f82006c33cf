"""The observed record shipped as CSV (`departures.csv`, `founders.csv`, `headcount.csv`), its loader (`observed`)
and the shipped posterior."""
