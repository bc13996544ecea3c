from django.urls import path

from petitions import views, views_disputes

app_name = "petitions"

urlpatterns = [
    path("", views.case_list, name="case_list"),
    path("board/", views.board, name="board"),
    path("mine/", views.my_cases, name="my_cases"),
    path("import/", views.ledger_import, name="ledger_import"),
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
    path("disputes/", views_disputes.dispute_list, name="dispute_list"),
    path("disputes/new/", views_disputes.dispute_new, name="dispute_new"),
    path("disputes/rounds/", views_disputes.screening, name="screening"),
    path("disputes/<int:pk>/", views_disputes.dispute_detail, name="dispute_detail"),
    path("disputes/<int:pk>/colour/", views_disputes.dispute_recolour, name="dispute_recolour"),
    path("disputes/<int:pk>/follow-up/", views_disputes.dispute_follow_up, name="dispute_follow_up"),
    path("disputes/<int:pk>/resolve/", views_disputes.dispute_resolve, name="dispute_resolve"),
    path("disputes/<int:pk>/escalate/", views_disputes.dispute_escalate, name="dispute_escalate"),
    path("documents/<int:pk>/", views.document_download, name="document"),
]
