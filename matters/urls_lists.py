"""The three lists and the table import (back office), under /matters/lists/."""

from django.urls import path

from matters import views_lists

urlpatterns = [
    path("", views_lists.list_page, name="lists"),
    path("download/", views_lists.list_download, name="lists_download"),
    path("import/", views_lists.import_page, name="lists_import"),
]
