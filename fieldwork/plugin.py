"""What field work adds: visits, contact points, dual registration, the weekly duties and 述职 reports."""

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, DemoOptions, MenuItem, Plugin, access
from fieldwork import indicators
from fieldwork.capabilities import GRANTS, FieldworkCap

FIELDWORK = _("Field work")
_REPORT_QUERY = "format=docx&person={own_person}&start=2022-06-01&end=2022-06-30"


def _demo(options: DemoOptions) -> str:
    if not options.full:
        return ""
    from fieldwork import demo

    counts = demo.load(shift_months=options.shift_months)
    return f"Demo visits: {counts['visits']} new, {counts['enterprises']} demo enterprises."


def _work(user):  # type: ignore[no-untyped-def]
    from fieldwork.workbench import duty_work

    return duty_work(user)


def _api() -> list[ApiRoute]:
    from fieldwork.api.views import DutyViewSet, VisitViewSet

    return [ApiRoute("visits", VisitViewSet, "visit"), ApiRoute("duties", DutyViewSet, "duty")]


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Log a visit"), "fieldwork:visit_new", FieldworkCap.VISIT_LOG, 40, FIELDWORK),
        MenuItem(_("Visits"), "fieldwork:visit_list", FieldworkCap.VISIT_LOG, 41, FIELDWORK),
        MenuItem(_("My week"), "fieldwork:my_week", FieldworkCap.VISIT_LOG, 42, FIELDWORK),
        MenuItem(_("Duty grid"), "fieldwork:week_grid", FieldworkCap.DUTY_GRID, 43, FIELDWORK),
        MenuItem(
            _("Contact points and last visits"), "fieldwork:contact_points", FieldworkCap.VISIT_LOG, 44, FIELDWORK
        ),
        MenuItem(_("Dual registration"), "fieldwork:registration", FieldworkCap.VISIT_LOG, 45, FIELDWORK),
        MenuItem(_("Registered cadres"), "fieldwork:registrations", FieldworkCap.REGISTRATIONS_VIEW, 46, FIELDWORK),
        MenuItem(_("Duty report"), "fieldwork:duty_report", FieldworkCap.VISIT_LOG, 47, FIELDWORK),
        MenuItem(_("Import visits"), "fieldwork:visit_import", FieldworkCap.VISITS_IMPORT, 48, FIELDWORK),
    ],
    demo=_demo,
    work=_work,
    urls=[("fieldwork/", "fieldwork.urls")],
    api=_api,
    extensions={"assessment.indicators": indicators.INDICATORS},
    area="Field work and weekly duties",
    routes=[
        *access("fieldwork:visit_list", FieldworkCap.VISIT_LOG),
        *access("fieldwork:visit_new", FieldworkCap.VISIT_LOG, "GET POST"),
        *access("fieldwork:visit_detail", FieldworkCap.VISIT_LOG, pk="{own_visit}"),
        *access("fieldwork:visit_delete", FieldworkCap.VISIT_LOG, "POST", pk="{own_visit}"),
        *access("fieldwork:visit_photo", FieldworkCap.VISIT_LOG, pk="{own_photo}", note="download"),
        *access("fieldwork:contact_points", FieldworkCap.VISIT_LOG),
        *access("fieldwork:registration", FieldworkCap.VISIT_LOG, "GET POST"),
        *access("fieldwork:registrations", FieldworkCap.REGISTRATIONS_VIEW),
        *access("fieldwork:my_week", FieldworkCap.VISIT_LOG),
        *access("fieldwork:week_grid", FieldworkCap.DUTY_GRID),
        *access("fieldwork:week_grid", FieldworkCap.DUTY_GRID, query="format=xlsx", note="xlsx"),
        *access("fieldwork:duty_report", FieldworkCap.VISIT_LOG),
        *access("fieldwork:duty_report", FieldworkCap.VISIT_LOG, query=_REPORT_QUERY, note="docx"),
        *access("fieldwork:duty_statement", FieldworkCap.VISIT_LOG, "GET POST"),
        *access("fieldwork:duty_report_unit", FieldworkCap.VISITS_ALL, "POST"),
        *access("fieldwork:visit_import", FieldworkCap.VISITS_IMPORT, "GET POST"),
        *access("api:visit-list", FieldworkCap.VISIT_LOG, "GET POST"),
        *access("api:visit-detail", FieldworkCap.VISIT_LOG, pk="{own_visit}"),
        *access("api:duty-list", FieldworkCap.VISIT_LOG),
    ],
)
