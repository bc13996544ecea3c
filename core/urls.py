from django.urls import path

from core import views
from core.jobs import views as job_views

app_name = "core"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("workbench/", views.workbench, name="workbench"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/toggle/", views.account_toggle, name="account_toggle"),
    path("security/", views.security, name="security"),
    path("security/<int:pk>/roles/", views.roles_edit, name="roles_edit"),
    path("security/unlock/", views.unlock, name="unlock"),
    path("jobs/<uuid:pk>/", job_views.job_page, name="job"),
    path("jobs/<uuid:pk>/progress/", job_views.job_progress, name="job_progress"),
    path("jobs/<uuid:pk>/download/", job_views.job_download, name="job_download"),
]
