"""Minqing's routes and the baselines the benchmarks compare them with (never mounted in production)."""

from django.urls import path

from bench import baselines
from minqing.urls import urlpatterns as minqing_urlpatterns

urlpatterns = [
    path("bench/baseline/lists/<str:list_kind>/", baselines.public_list),
    path("bench/baseline/m/<code:code>/", baselines.matter_page),
    path("bench/baseline/create/", baselines.create),
    *minqing_urlpatterns,
]
