"""The production settings, plus the baselines' routes (bench/urls.py). Only the benchmark server uses this."""

from minqing.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
