"""Endorse (anonymously, or with a phone code), rate with a phone code, print the QR poster."""

from django.urls import path

import core.converters  # noqa: F401  (registers the "code" converter)
from portal import views_engage

urlpatterns = [
    path("m/<code:code>/endorse/", views_engage.endorse, name="endorse"),
    path("m/<code:code>/endorse/phone/", views_engage.endorse_phone, name="endorse_phone"),
    path("m/<code:code>/endorse/code/", views_engage.endorse_code, name="endorse_code"),
    path("m/<code:code>/rate/", views_engage.rate_dispatch, name="rate"),
    path("m/<code:code>/rate/code/", views_engage.rate_code, name="rate_code"),
    path("m/<code:code>/poster.png", views_engage.poster_png, name="poster_png"),
    path("m/<code:code>/poster.pdf", views_engage.poster_pdf, name="poster_pdf"),
]
