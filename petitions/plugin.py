"""What the petition line adds: the `petition` kind, its pages, its grants, its menu and its demo."""

from django.utils.translation import gettext_lazy as _

from core.plugins import DemoOptions, MenuItem, Plugin, access
from petitions.capabilities import GRANTS, PetitionCap
from petitions.kind import PETITION_KIND

PETITIONS = _("Petition backlog")


def _demo(options: DemoOptions) -> str:
    if not options.full:
        return ""
    from petitions import demo

    return f"Demo petition cases: {demo.load(shift_months=options.shift_months)} new."


PLUGIN = Plugin(
    grants=GRANTS,
    menu=[MenuItem(_("Petition backlog cases"), "petitions:case_list", PetitionCap.VIEW, 50, PETITIONS)],
    demo=_demo,
    urls=[("petitions/", "petitions.urls")],
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
        *access("petitions:document", PetitionCap.PERSONAL, pk="{petition_document}", note="download"),
    ],
)
