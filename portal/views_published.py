"""The published monthly lists (/published/): every month the committee published, each version as it was frozen.

The portal is a face above oversight: it reads the published versions through oversight's selectors and shows
them beside the live lists, which stay labelled as live.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from matters.selectors import parse_month
from oversight.models.publication import Publication
from oversight.selectors.publication import (
    diff_display,
    month_versions,
    publication_diff,
    publications_latest,
    snapshot_sections,
)


def published_list(request: HttpRequest) -> HttpResponse:
    """Every month published, newest first: its latest version, marked 更正 when corrected."""
    return render(request, "portal/published_list.html", {"publications": publications_latest()})


def _month(raw: str) -> Any:
    month = parse_month(raw[:7]) if len(raw) == 7 else None
    if month is None:
        raise Http404
    return month.replace(day=1)


def published_month(request: HttpRequest, month: str) -> HttpResponse:
    return _page(request, month, None)


def published_version(request: HttpRequest, month: str, version: int) -> HttpResponse:
    return _page(request, month, version)


def _page(request: HttpRequest, raw_month: str, version: int | None) -> HttpResponse:
    versions = list(month_versions(_month(raw_month)))
    if not versions:
        raise Http404
    latest = versions[0]
    shown: Publication | None = latest if version is None else next((v for v in versions if v.version == version), None)
    if shown is None:
        raise Http404
    corrections = [
        {"publication": v, "diff": diff_display(publication_diff(v.supersedes, v))}
        for v in reversed(versions)
        if v.supersedes is not None
    ]
    context = {
        "shown": shown,
        "latest": latest,
        "versions": versions,
        "is_latest": shown.pk == latest.pk,
        "corrections": corrections,
        "snapshot": shown.snapshot,
        "sections": snapshot_sections(shown.snapshot),
        "live_url": f"{reverse('portal:list', args=['problems'])}?month={shown.month_label}",
    }
    return render(request, "portal/published_month.html", context)
