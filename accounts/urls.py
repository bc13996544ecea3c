from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_new, name="account_new"),
    path("accounts/<int:pk>/toggle/", views.account_toggle, name="account_toggle"),
    path("security/", views.security, name="security"),
    path("security/<int:pk>/roles/", views.roles_edit, name="roles_edit"),
    path("security/unlock/", views.unlock, name="unlock"),
]
