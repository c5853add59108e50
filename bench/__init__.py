"""Benchmarks of genai-blueprints: synth cost, scaling, test time, Lambda cold start and throughput.

`make bench` (or `python -m bench`) measures everything against floors taken in the same run, prints
a table and writes docs/benchmarks.md. Performance is measured here, never asserted in tests.
"""
