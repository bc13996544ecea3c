"""Field work under /fieldwork/: each part keeps its own URL list; all share the `fieldwork` namespace."""

from fieldwork.urls_duties import urlpatterns as duty_urls
from fieldwork.urls_reports import urlpatterns as report_urls
from fieldwork.urls_visits import urlpatterns as visit_urls

app_name = "fieldwork"
urlpatterns = [*visit_urls, *duty_urls, *report_urls]
