from django.urls import path

from care import views_wall

app_name = "wishes"

urlpatterns = [
    path("", views_wall.wall, name="wall"),
    path("<int:pk>/claim/", views_wall.claim, name="claim"),
    path("confirm/<str:token>/", views_wall.confirm, name="confirm"),
]
