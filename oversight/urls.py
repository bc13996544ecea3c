"""Oversight's pages under /oversight/: one URL module per area, joined here."""

from __future__ import annotations

from oversight import (
    urls_assessment,
    urls_circulars,
    urls_clues,
    urls_dashboard,
    urls_pack,
    urls_publication,
    urls_reviews,
    urls_signals,
)

app_name = "oversight"
urlpatterns = [
    *urls_reviews.urlpatterns,
    *urls_publication.urlpatterns,
    *urls_dashboard.urlpatterns,
    *urls_pack.urlpatterns,
    *urls_assessment.urlpatterns,
    *urls_signals.urlpatterns,
    *urls_clues.urlpatterns,
    *urls_circulars.urlpatterns,
]
