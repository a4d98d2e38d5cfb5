"""Benchmarks: speed targets live here, with their own command (`make bench`), never in timed tests."""
