"""Small programs the benchmarks run in fresh interpreters."""
