"""Raise a problem, follow it by its tracking code, find similar open matters."""

from django.urls import path

import core.converters  # noqa: F401  (registers the "code" converter)
from portal import views_raise

urlpatterns = [
    path("report/", views_raise.raise_problem, name="raise"),
    path("report/sent/", views_raise.raise_done, name="raise_done"),
    path("report/similar/", views_raise.similar, name="similar"),
    path("track/", views_raise.track_form, name="track_form"),
    path("track/<code:tracking_code>/", views_raise.track, name="track"),
]
