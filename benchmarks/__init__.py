"""Benchmarks of stakegraph: a synthetic-province generator and load/validate/graph timings."""
