from django.urls import path

from enterprises import views

app_name = "enterprises"
urlpatterns = [
    path("", views.enterprise_list, name="list"),
    path("new/", views.enterprise_create, name="create"),
    path("<int:pk>/", views.enterprise_detail, name="detail"),
    path("<int:pk>/edit/", views.enterprise_edit, name="edit"),
    path("<int:pk>/contacts/", views.enterprise_contacts, name="contacts"),
    path("<int:pk>/contacts/new/", views.contact_add, name="contact_add"),
    path("policies/", views.policy_list, name="policy_list"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/<int:pk>/", views.policy_detail, name="policy_detail"),
    path("policies/<int:pk>/edit/", views.policy_edit, name="policy_edit"),
    path("deliveries/new/", views.delivery_create, name="delivery_create"),
    path("rate/<str:link>/", views.demand_rate, name="rate"),
    path("board/", views.service_board, name="board"),
    path("import/", views.ledger_import, name="import"),
    path("policies/import/", views.policy_import, name="policy_import"),
]
