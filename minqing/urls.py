"""The site's URL conf: every app's routes, as each app's plugin declares them (`Plugin.urls`)."""

from django.urls import include, path

from core.plugins import all_url_includes

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    *(path(prefix, include(module)) for prefix, module in all_url_includes()),
]
