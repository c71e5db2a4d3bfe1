"""Property tests that feed the command line generated and hostile input.

Every test here runs the real CLI and asserts the same four things: no traceback,
errors that say where (a file, row, field or the option), nothing written when a
command fails, and lossless round trips between the three formats. The run time is
bounded by the Hypothesis profiles in :mod:`tests.fuzz.strategies`.
"""
