from django.urls import path

from org import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
    path("units/<int:pk>/members/", views.team_member_add, name="team_member_add"),
    path("members/<int:pk>/remove/", views.team_member_remove, name="team_member_remove"),
    path("people/", views.person_list, name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("people/<int:pk>/phone/", views.person_phone, name="person_phone"),
    path("teams/", views.team_list, name="team_list"),
    path("contact-points/", views.contact_point_list, name="contact_point_list"),
    path("contact-points/new/", views.contact_point_create, name="contact_point_create"),
    path("contact-points/<int:pk>/delete/", views.contact_point_delete, name="contact_point_delete"),
]
