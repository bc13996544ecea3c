"""Field work URLs: duties (a person's own week, the grid of everyone's weeks)."""

from django.urls import path

from fieldwork import views_duties

urlpatterns = [
    path("my-week/", views_duties.my_week, name="my_week"),
    path("duties/", views_duties.week_grid, name="week_grid"),
]
