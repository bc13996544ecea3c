from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from api import views, views_docs, views_fieldwork, views_matters

router = DefaultRouter()
router.register("units", views.UnitViewSet, basename="unit")
router.register("people", views.PersonViewSet, basename="person")
router.register("campaigns", views.CampaignViewSet, basename="campaign")
router.register("phases", views.PhaseViewSet, basename="phase")
router.register("matters", views_matters.MatterViewSet, basename="matter")
router.register("visits", views_fieldwork.VisitViewSet, basename="visit")
router.register("duties", views_fieldwork.DutyViewSet, basename="duty")

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
