"""The core's own pages: a background job's progress and result, for the user who started it; the health check."""

from django.urls import path

from core.health import healthz
from core.jobs import views as job_views

app_name = "core"
urlpatterns = [
    path("jobs/<uuid:pk>/", job_views.job_page, name="job"),
    path("jobs/<uuid:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/download/", job_views.job_download, name="job_download"),
    path("healthz", healthz, name="healthz"),
]
