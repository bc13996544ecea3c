"""Field work URLs: visits, contact points and dual registration."""

from django.urls import path

from fieldwork import views_visits as views

urlpatterns = [
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_new, name="visit_new"),
    path("visits/<int:pk>/", views.visit_detail, name="visit_detail"),
    path("visits/<int:pk>/delete/", views.visit_delete, name="visit_delete"),
    path("visits/photos/<int:pk>/", views.visit_photo, name="visit_photo"),
    path("contact-points/", views.contact_points, name="contact_points"),
    path("registration/", views.registration, name="registration"),
    path("registrations/", views.registrations, name="registrations"),
]
