from django.urls import include, path

from matters import views

app_name = "matters"
urlpatterns = [
    path("", views.matter_list, name="list"),
    path("new/", views.matter_create, name="create"),
    path("figures/", views.figures_page, name="figures"),
    path("bulk-assign/", views.bulk_assign, name="bulk_assign"),
    path("<int:pk>/", views.matter_detail, name="detail"),
    path("<int:pk>/act/<str:action>/", views.matter_act, name="act"),
    path("<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("<int:pk>/site/", views.matter_site, name="site"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("attachments/<int:pk>/", views.attachment_file, name="attachment"),
    path("lists/", include("matters.urls_lists")),
]
