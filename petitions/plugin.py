"""What the petition line adds: the `petition` kind, its pages, its grants, its menu and its demo."""

from django.utils.translation import gettext_lazy as _

from core.plugins import ApiRoute, DemoOptions, MenuItem, Plugin, User, WorkItem, access
from petitions import indicators
from petitions.capabilities import GRANTS, PetitionCap
from petitions.kind import PETITION_KIND
from petitions.ownership import HOME_VISIT
from petitions.visit_dispute import FOUND_DISPUTE

PETITIONS = _("Petition backlog")


def _demo(options: DemoOptions) -> str:
    if not options.full:
        return ""
    from petitions import demo

    return f"Demo petition cases: {demo.load(shift_months=options.shift_months)} new."


def _work(user: User) -> list[WorkItem]:
    from django.urls import reverse
    from django.utils import timezone

    from core.roles import user_can
    from petitions.ownership import owned_cases, visits_overdue

    if not user_can(user, PetitionCap.MINE):
        return []
    person = getattr(user, "person", None)
    overdue = visits_overdue(person, timezone.localdate())
    mine = reverse("petitions:my_cases")
    return [
        WorkItem(_("My petition cases"), owned_cases(person).count(), mine),
        WorkItem(_("Home visits overdue on my petition cases"), len(overdue), mine, urgent=True),
    ]


def _api() -> list[ApiRoute]:
    from petitions.api.disputes import DisputeViewSet
    from petitions.api.views import PetitionCaseViewSet

    return [ApiRoute("petitions", PetitionCaseViewSet, "petition"), ApiRoute("disputes", DisputeViewSet, "dispute")]


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("My petition cases"), "petitions:my_cases", PetitionCap.MINE, 50, PETITIONS),
        MenuItem(_("Petition backlog cases"), "petitions:case_list", PetitionCap.VIEW, 51, PETITIONS),
        MenuItem(_("Backlog board"), "petitions:board", PetitionCap.BOARD, 52, PETITIONS),
        MenuItem(_("Import the backlog ledger"), "petitions:ledger_import", PetitionCap.EDIT, 54, PETITIONS),
        MenuItem(_("Dispute screening"), "petitions:dispute_list", PetitionCap.DISPUTES, 53, PETITIONS),
    ],
    work=_work,
    extensions={
        "assessment.indicators": indicators.INDICATORS,
        "fieldwork.visit": [HOME_VISIT, FOUND_DISPUTE],
        "oversight.charts": [
            {
                "key": "petition_closed",
                "title": _("Petition cases closed toward the goal"),
                "order": 10,
                "build": "petitions.selectors:closed_chart",
            }
        ],
        "oversight.sections": [
            {
                "key": "petitions",
                "title": _("Petition backlog and disputes"),
                "order": 10,
                "build": "petitions.selectors:review_section",
            }
        ],
    },
    demo=_demo,
    urls=[("petitions/", "petitions.urls")],
    api=_api,
    area="Petition backlog",
    kinds=[PETITION_KIND],
    routes=[
        *access("petitions:case_list", PetitionCap.VIEW),
        *access("petitions:case_new", PetitionCap.EDIT, "GET POST"),
        *access("petitions:case_detail", PetitionCap.VIEW, pk="{petition_case}"),
        *access("petitions:disposition_add", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:document_add", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:case_close", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:case_reopen", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:limit_extend", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:review_add", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:case_refuse", PetitionCap.EDIT, "POST", pk="{petition_case}"),
        *access("petitions:five_ones", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:home_visit_add", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("petitions:my_cases", PetitionCap.MINE),
        *access("petitions:ledger_import", PetitionCap.EDIT, "GET POST"),
        *access("petitions:board", PetitionCap.BOARD),
        *access("petitions:board", PetitionCap.BOARD, query="format=xlsx", note="xlsx"),
        *access("petitions:board", PetitionCap.BOARD, query="format=docx", note="docx"),
        *access("petitions:dispute_list", PetitionCap.DISPUTES),
        *access("petitions:dispute_new", PetitionCap.DISPUTES_WORK, "GET POST"),
        *access("petitions:screening", PetitionCap.DISPUTES),
        *access("petitions:screening", PetitionCap.DISPUTES_WORK, "POST"),
        *access("petitions:dispute_detail", PetitionCap.DISPUTES, pk="{petition_dispute}"),
        *access("petitions:dispute_recolour", PetitionCap.DISPUTES_WORK, "POST", pk="{petition_dispute}"),
        *access("petitions:dispute_follow_up", PetitionCap.DISPUTES_WORK, "POST", pk="{petition_dispute}"),
        *access("petitions:dispute_resolve", PetitionCap.DISPUTES_WORK, "POST", pk="{petition_dispute}"),
        *access("petitions:dispute_escalate", PetitionCap.DISPUTES_WORK, "POST", pk="{petition_dispute}"),
        *access("api:petition-list", PetitionCap.VIEW),
        *access("api:petition-list", PetitionCap.EDIT, "POST"),
        *access("api:petition-detail", PetitionCap.VIEW, pk="{petition_case}"),
        *access("api:petition-detail", PetitionCap.EDIT, "PUT PATCH", pk="{petition_case}"),
        *access("api:petition-dispositions", PetitionCap.VIEW, pk="{petition_case}"),
        *access("api:petition-dispositions", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("api:petition-visits", PetitionCap.VIEW, pk="{petition_case}"),
        *access("api:petition-visits", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("api:petition-close", PetitionCap.WORK, "POST", pk="{petition_case}"),
        *access("api:dispute-list", PetitionCap.DISPUTES),
        *access("api:dispute-list", PetitionCap.DISPUTES_WORK, "POST"),
        *access("api:dispute-escalate", PetitionCap.DISPUTES_WORK, "POST", pk="{petition_dispute}"),
        *access("petitions:document", PetitionCap.PERSONAL, pk="{petition_document}", note="download"),
    ],
)
