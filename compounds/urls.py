from django.urls import path

from compounds import views

app_name = "compounds"
urlpatterns = [
    path("", views.compound_list, name="list"),
    path("ranking/", views.ranking, name="ranking"),
    path("<int:pk>/", views.compound_detail, name="detail"),
    path("<int:pk>/meetings/new/", views.meeting_create, name="meeting_create"),
    path("<int:pk>/assess/<int:checklist>/", views.assessment_create, name="assess"),
    path("<int:pk>/edit/", views.profile_edit, name="edit"),
    path("<int:pk>/committee/new/", views.member_add, name="member_add"),
    path("<int:pk>/ratings/new/", views.ratings_add, name="ratings_add"),
    path("<int:pk>/titles/<int:checklist>/new/", views.title_award, name="title_award"),
    path("checklists/new/", views.checklist_create, name="checklist_create"),
    path("checklists/<int:pk>/items/new/", views.item_add, name="item_add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.docx", views.meeting_minutes, name="minutes"),
    path("decisions/<int:pk>/matter/", views.decision_matter, name="decision_matter"),
    path("decisions/<int:pk>/vote/", views.vote_record, name="vote"),
]
