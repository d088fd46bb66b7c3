"""Benchmarks for the speed budget in DESIGN.md (run with ``make bench``)."""
