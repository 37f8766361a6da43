"""Hostile peers and inputs on loopback.

Each case ends in a named cause within its deadline, with a valid report, no traceback and nothing left behind.
"""
