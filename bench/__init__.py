"""Benchmark workloads and the benchmark runner (`python -m bench`)."""
