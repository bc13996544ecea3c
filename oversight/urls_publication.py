"""The publication area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import publication

urlpatterns: list[URLPattern] = [
    path("publication/", publication.publish, name="publication"),
]
