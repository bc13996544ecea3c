"""What the matters app adds: the closed loop, its queues and figures, the three lists, the seed's 17 matters."""

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, DemoOptions, MenuItem, Plugin, access
from matters import indicators
from matters.capabilities import GRANTS, MatterCap


def _demo(options: DemoOptions) -> str:
    from matters import demo

    demo.reference_categories()
    if not options.full:
        return ""
    counts = demo.load(shift_months=options.shift_months)
    return f"Demo matters: {counts['imported'] + counts['extras']} new, {counts['rescheduled']} rescheduled."


def _work(user):  # type: ignore[no-untyped-def]
    from matters.workbench import matter_work

    return matter_work(user)


def _api() -> list[ApiRoute]:
    from matters.api.views import MatterViewSet

    return [ApiRoute("matters", MatterViewSet, "matter")]


_LIST_QUERY = "list=tasks&format={fmt}"

PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Matters"), "matters:list", MatterCap.VIEW, 30),
        MenuItem(_("Figures"), "matters:figures", MatterCap.FIGURES_VIEW, 31),
        MenuItem(_("Lists"), "matters:lists", MatterCap.LISTS_VIEW, 32),
    ],
    work=_work,
    demo=_demo,
    urls=[("matters/", "matters.urls")],
    api=_api,
    extensions={"assessment.indicators": indicators.INDICATORS},
    area="Matters and the three lists",
    routes=[
        *access("matters:list", MatterCap.VIEW),
        *access("matters:create", MatterCap.CREATE, "GET POST"),
        *access("matters:figures", MatterCap.FIGURES_VIEW),
        *access("matters:figures", MatterCap.FIGURES_VIEW, query="format=csv", note="csv"),
        *access("matters:bulk_assign", MatterCap.TRIAGE, "POST"),
        *access("matters:detail", MatterCap.VIEW, pk="{matter}"),
        # Publishing the work site's location is the service's own check (the coordination team or a handler of a
        # responsible unit), like a workflow step.
        *access("matters:site", MatterCap.VIEW, "POST", pk="{matter}"),
        # Taking an action needs to see the matter; whether this user may take *this* action on *this* matter is
        # the workflow's own check (matters.workflow.TRANSITIONS), tested with the workflow.
        *access("matters:act", MatterCap.VIEW, "POST", pk="{matter}", action="accept"),
        *access("matters:extension_request", MatterCap.VIEW, "POST", pk="{matter}"),
        *access("matters:extension_decide", MatterCap.VIEW, "POST", pk="{extension}"),
        *access("matters:attachment", MatterCap.VIEW, pk="{attachment}", note="download"),
        *access("matters:lists", MatterCap.LISTS_VIEW),
        # Each export in the formats that render in milliseconds; PDF takes seconds per file and is chosen by the
        # same query parameter after the same check.
        *[
            route
            for fmt in ("xlsx", "docx", "csv")
            for route in access(
                "matters:lists_download", MatterCap.LISTS_VIEW, query=_LIST_QUERY.replace("{fmt}", fmt), note=fmt
            )
        ],
        *access("matters:lists_import", MatterCap.LISTS_IMPORT, "GET POST"),
        *access("api:matter-list", MatterCap.VIEW),
        *access("api:matter-list", MatterCap.CREATE, "POST"),
        *access("api:matter-detail", MatterCap.VIEW, pk="{matter}"),
        *access("api:matter-figures", MatterCap.FIGURES_VIEW),
        *access("api:matter-transitions", MatterCap.VIEW, "POST", pk="{matter}"),
    ],
)
