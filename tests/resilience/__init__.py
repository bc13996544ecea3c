"""Resilience tests: real servers, separate client processes, fresh databases (see harness.py)."""
