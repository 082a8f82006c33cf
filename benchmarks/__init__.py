"""Benchmarks and the per-agent reference model (an oracle for tests, not an engine)."""
