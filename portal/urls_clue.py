"""Send a problem clue on cadres' conduct, follow it by its tracking code."""

from django.urls import path

import core.converters  # noqa: F401  (registers the "code" converter)
from portal import views_clue

urlpatterns = [
    path("clue/", views_clue.clue_report, name="clue"),
    path("clue/sent/", views_clue.clue_done, name="clue_done"),
    path("clue/track/", views_clue.clue_track_form, name="clue_track_form"),
    path("clue/track/<code:tracking_code>/", views_clue.clue_track, name="clue_track"),
]
