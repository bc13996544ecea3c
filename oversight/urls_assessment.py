"""The assessment area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
