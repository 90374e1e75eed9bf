"""Simulated sessions for the built-in demo, tests and benchmarks (pure Python)."""
