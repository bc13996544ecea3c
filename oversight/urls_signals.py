"""The signals area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path

from oversight.views import signals as views

urlpatterns: list[URLPattern] = [
    path("signals/", views.signal_list, name="signal_list"),
    path("signals/refresh/", views.signal_refresh, name="signal_refresh"),
    path("signals/<int:pk>/", views.signal_detail, name="signal_detail"),
    path("signals/<int:pk>/seen/", views.signal_seen, name="signal_seen"),
    path("signals/<int:pk>/dismiss/", views.signal_dismiss, name="signal_dismiss"),
    path("signals/<int:pk>/clue/", views.signal_clue, name="signal_clue"),
    path("signals/<int:pk>/photos/<int:n>/", views.signal_photo, name="signal_photo"),
]
