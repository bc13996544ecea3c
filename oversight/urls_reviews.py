"""The reviews area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import reviews as views

urlpatterns: list[URLPattern] = [
    path("reviews/", views.review_list, name="review_list"),
    path("reviews/new/", views.review_create, name="review_create"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:pk>/prepare/", views.review_prepare, name="review_prepare"),
    path("reviews/<int:pk>/hold/", views.review_hold, name="review_hold"),
    path("reviews/<int:pk>/decisions/new/", views.decision_add, name="review_decision_add"),
    path("reviews/<int:pk>/minutes/", views.review_minutes, name="review_minutes"),
    path("reviews/<int:pk>/minutes.docx", views.review_minutes_docx, name="review_minutes_docx"),
    path("reviews/<int:pk>/close/", views.review_close, name="review_close"),
    path("reviews/<int:pk>/cancel/", views.review_cancel, name="review_cancel"),
]
