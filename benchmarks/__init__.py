"""Benchmarks and the per-agent reference model (an oracle for tests, not an engine)."""

import os


def load_average() -> str:
    """The machine's load average over 1, 5 and 15 minutes: every benchmark prints it, as timings depend on it."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
