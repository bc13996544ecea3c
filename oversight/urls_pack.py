"""The pack area's pages under /oversight/ (joined in oversight.urls)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path

from oversight.views import pack

urlpatterns: list[URLPattern] = [
    path("pack/", pack.pack_page, name="pack"),
    re_path(r"^pack/(?P<pk>[0-9]{1,12})/(?P<file_format>docx|pdf)/$", pack.pack_download, name="pack_download"),
]
