"""Open311 GeoReport v2: every document as `<name>.json` or `<name>.xml`; anything else is a 404 in the spec's form."""

from django.urls import re_path

from open311 import views

app_name = "open311"
FMT = r"\.(?P<fmt>[^./]+)$"
urlpatterns = [
    re_path(r"^$", views.root, name="root"),
    re_path(rf"^discovery{FMT}", views.discovery, name="discovery"),
    re_path(rf"^services{FMT}", views.services, name="services"),
    re_path(rf"^services/(?P<service_code>[^/]+?){FMT}", views.service_definition, name="service"),
    re_path(rf"^requests{FMT}", views.requests, name="requests"),
    re_path(rf"^requests/(?P<request_id>[^/]+?){FMT}", views.request_detail, name="request"),
    re_path(rf"^tokens/(?P<token>[^/]+?){FMT}", views.token, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found, name="not_found"),
]
