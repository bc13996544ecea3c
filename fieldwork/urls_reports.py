"""Field work URLs: the duty report (述职报告) and the visit sheet import."""

from django.urls import path

from fieldwork import views_reports

urlpatterns = [
    path("report/", views_reports.duty_report_page, name="duty_report"),
    path("report/statement/", views_reports.duty_statement_page, name="duty_statement"),
    path("report/unit/", views_reports.duty_report_unit, name="duty_report_unit"),
    path("visits/import/", views_reports.visit_import_page, name="visit_import"),
]
