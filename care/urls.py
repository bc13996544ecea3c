from django.urls import path

from care import views, views_figures

app_name = "care"

urlpatterns = [
    path("households/", views.household_list, name="household_list"),
    path("households/new/", views.household_new, name="household_new"),
    path("households/import/", views.ledger_import, name="ledger_import"),
    path("households/<int:pk>/", views.household_detail, name="household_detail"),
    path("households/<int:pk>/edit/", views.household_edit, name="household_edit"),
    path("households/<int:pk>/members/", views.member_add, name="member_add"),
    path("households/<int:pk>/wishes/", views.wish_new, name="wish_new"),
    path("households/<int:pk>/pairings/", views.pairing_new, name="pairing_new"),
    path("pairings/<int:pk>/help/", views.help_add, name="help_add"),
    path("wishes/<int:pk>/publish/", views.wish_publish, name="wish_publish"),
    path("wishes/<int:pk>/deliver/", views.wish_deliver, name="wish_deliver"),
    path("wishes/<int:pk>/confirm/", views.wish_confirm, name="wish_confirm"),
    path("figures/", views_figures.figures_page, name="figures"),
]
