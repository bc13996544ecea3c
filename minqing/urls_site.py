from django.urls import path

from minqing import views

app_name = "site"
urlpatterns = [path("workbench/", views.workbench, name="workbench")]
