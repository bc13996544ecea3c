"""The public side: no login. Each part of the portal keeps its own URL list; all share the `portal` namespace."""

from django.urls import path

import core.converters  # noqa: F401  (registers the "code" converter)
from portal import views
from portal.urls_clue import urlpatterns as clue_urls
from portal.urls_engage import urlpatterns as engage_urls
from portal.urls_published import urlpatterns as published_urls
from portal.urls_raise import urlpatterns as raise_urls

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("elder/", views.elder_toggle, name="elder"),
    path("lists/<str:list_kind>/", views.public_list, name="list"),
    path("m/<code:code>/", views.matter_page, name="matter"),
    # By the file's random token: sequential ids would let anyone count and fetch every file.
    path("m/<code:code>/evidence/<slug:token>/", views.evidence_file, name="evidence"),
    *raise_urls,
    *engage_urls,
    *published_urls,
    *clue_urls,
]
