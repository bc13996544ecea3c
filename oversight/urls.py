"""Oversight's pages under /oversight/: one URL module per area, joined here."""

from __future__ import annotations

app_name = "oversight"
urlpatterns: list = []
