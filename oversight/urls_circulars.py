"""The circulars area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import circulars as views

urlpatterns: list[URLPattern] = [
    path("circulars/", views.circular_list, name="circular_list"),
    path("circulars/new/", views.circular_create, name="circular_create"),
    path("circulars/received/", views.circulars_received, name="circulars_received"),
    path("circulars/<int:pk>/", views.circular_detail, name="circular_detail"),
    path("circulars/<int:pk>/edit/", views.circular_edit, name="circular_edit"),
    path("circulars/<int:pk>/issue/", views.circular_issue, name="circular_issue"),
    path("circulars/<int:pk>/circular.docx", views.circular_docx, name="circular_docx"),
    path("calendar/", views.calendar_days, name="calendar_days"),
]
