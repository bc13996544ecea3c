"""Top-level URLs: the front door, the back office per app, the API."""

from django.urls import include, path

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("org/", include("org.urls")),
    path("campaigns/", include("campaigns.urls")),
    path("audit/", include("audit.urls")),
    path("matters/", include("matters.urls")),
    path("inbox/", include("notifications.urls")),
    path("fieldwork/", include("fieldwork.urls")),
    path("api/v1/", include("api.urls")),
    path("open311/v2/", include("open311.urls")),
]
