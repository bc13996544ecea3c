from django.urls import path

from petitions import views

app_name = "petitions"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("board/", views.board, name="board"),
    path("mine/", views.my_cases, name="my_cases"),
    path("new/", views.case_new, name="case_new"),
    path("<int:pk>/", views.case_detail, name="case_detail"),
    path("<int:pk>/dispositions/", views.disposition_add, name="disposition_add"),
    path("<int:pk>/documents/", views.document_add, name="document_add"),
    path("<int:pk>/close/", views.case_close, name="case_close"),
    path("<int:pk>/petitioned-again/", views.case_reopen, name="case_reopen"),
    path("<int:pk>/extend/", views.limit_extend_view, name="limit_extend"),
    path("<int:pk>/review/", views.review_add, name="review_add"),
    path("<int:pk>/refuse/", views.case_refuse, name="case_refuse"),
    path("<int:pk>/five-ones/", views.five_ones, name="five_ones"),
    path("<int:pk>/home-visits/", views.home_visit_add, name="home_visit_add"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
