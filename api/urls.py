from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from api import views, views_fieldwork, views_matters

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
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[AllowAny]), name="docs"),
    path("", include(router.urls)),
]
