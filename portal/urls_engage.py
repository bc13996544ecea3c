"""Endorse, rate with a phone code, print the QR poster."""

from django.urls import path

from portal import views_engage

urlpatterns = [
    path("m/<str:code>/endorse/", views_engage.endorse, name="endorse"),
    path("m/<str:code>/rate/", views_engage.rate_dispatch, name="rate"),
    path("m/<str:code>/rate/code/", views_engage.rate_code, name="rate_code"),
    path("m/<str:code>/poster.png", views_engage.poster_png, name="poster_png"),
    path("m/<str:code>/poster.pdf", views_engage.poster_pdf, name="poster_pdf"),
]
