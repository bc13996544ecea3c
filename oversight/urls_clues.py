"""The clues area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import clues as views

urlpatterns: list[URLPattern] = [
    path("clues/", views.clue_list, name="clue_list"),
    path("clues/new/", views.clue_create, name="clue_create"),
    path("clues/<int:pk>/", views.clue_detail, name="clue_detail"),
    path("clues/<int:pk>/named/", views.clue_link, name="clue_link"),
    path("clues/<int:pk>/dispose/", views.clue_dispose, name="clue_dispose"),
    path("clues/<int:pk>/reply/", views.clue_reply, name="clue_reply"),
    path("clues/<int:pk>/conclude/", views.clue_conclude, name="clue_conclude"),
    path("clues/<int:pk>/measures/new/", views.measure_add, name="clue_measure_add"),
    path("clues/files/<int:pk>/", views.clue_file, name="clue_file"),
]
