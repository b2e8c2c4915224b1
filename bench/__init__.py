"""Benchmarks: speed goals are shown here, never in timed unit tests."""
