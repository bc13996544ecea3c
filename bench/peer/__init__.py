"""The django-helpdesk peer of the benchmark suite: see README.md and harness.py."""
