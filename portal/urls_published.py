"""The published monthly lists: /published/, /published/2026-11/ (the latest version), /published/2026-11/v1/."""

from django.urls import path

from portal import views_published

urlpatterns = [
    path("published/", views_published.published_list, name="published_list"),
    path("published/<str:month>/", views_published.published_month, name="published_month"),
    path("published/<str:month>/v<int:version>/", views_published.published_version, name="published_version"),
]
