"""The dashboard area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import dashboard

urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/<slug:key>.xlsx", dashboard.chart_download, name="dashboard_xlsx"),
]
