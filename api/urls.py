"""/api/v1/: the API's own endpoints, and every app's collections as its plugin declares them (`Plugin.api`)."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from api import views, views_docs
from core.plugins import all_api_routes

router = DefaultRouter()
for route in all_api_routes():
    router.register(route.prefix, route.viewset, basename=route.basename)

app_name = "api"
urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("schema/", SpectacularAPIView.as_view(permission_classes=[AllowAny]), name="schema"),
    # Our own Swagger UI page: drf-spectacular's carries an inline script that the Content Security Policy refuses.
    path("docs/", views_docs.swagger_ui, name="docs"),
    path("", include(router.urls)),
    # Paths the routes do not match (a path parameter with a dot or a slash, say): JSON like the API's own 404s.
    re_path(r"^.*/$", views.not_found, name="not_found"),
]
