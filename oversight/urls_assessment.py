"""The assessment area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import assessment as views

urlpatterns: list[URLPattern] = [
    path("assessment/", views.assessment_list, name="assessment_list"),
    path("assessment/schemes/new/", views.scheme_create, name="assessment_scheme_create"),
    path("assessment/schemes/<int:pk>/edit/", views.scheme_edit, name="assessment_scheme_edit"),
    path("assessment/open/", views.assessment_open, name="assessment_open"),
    path("assessment/appeals/", views.appeal_list, name="assessment_appeals"),
    path("assessment/appeals/<int:pk>/decide/", views.appeal_decide, name="assessment_appeal_decide"),
    path("assessment/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("assessment/<int:pk>/compute/", views.assessment_compute, name="assessment_compute"),
    path("assessment/<int:pk>/confirm/", views.assessment_confirm, name="assessment_confirm"),
    path("assessment/<int:pk>/manual/", views.manual_score, name="assessment_manual"),
    path("assessment/<int:pk>/ranking.xlsx", views.assessment_export, {"fmt": "xlsx"}, name="assessment_xlsx"),
    path("assessment/<int:pk>/ranking.docx", views.assessment_export, {"fmt": "docx"}, name="assessment_docx"),
    path("assessment/<int:pk>/subjects/<int:subject>/", views.subject_detail, name="assessment_subject"),
    path("assessment/<int:pk>/subjects/<int:subject>/appeal/", views.appeal_file, name="assessment_appeal"),
]
