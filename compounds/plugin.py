"""What the compounds app adds: compounds with their linkage meetings, owners' votes, civilized compound scoring
and policy talks (a visit extension on visits of kind policy_talk)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from compounds import indicators
from compounds.capabilities import GRANTS, CompoundCap
from core.plugins import ApiRoute, DemoOptions, MenuItem, Plugin, access
from fieldwork.extensions import VisitExtension


def _demo(options: DemoOptions) -> str:
    from compounds import demo

    return demo.load(shift_months=options.shift_months, full=options.full)


def _work(user: Any) -> list[Any]:
    from compounds.selectors import compound_work

    return compound_work(user)


def _api() -> list[ApiRoute]:
    from compounds import api

    return [
        ApiRoute("compounds", api.CompoundViewSet, "compound"),
        ApiRoute("linkage-meetings", api.MeetingViewSet, "linkage-meeting"),
        ApiRoute("compound-scores", api.AssessmentViewSet, "compound-score"),
    ]


def _talk_saved(visit: Any, data: dict[str, Any], actor: Any) -> None:
    from compounds.services import policy_talk_save

    policy_talk_save(visit, data, actor)


class _LazyTalkForm:
    """The talk's form class, imported when the visit form is built (the plugin imports no models)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        from compounds.forms import PolicyTalkForm

        return PolicyTalkForm(*args, **kwargs)


POLICY_TALK = VisitExtension(
    key="compounds.talk",
    label=_("Policy talk: place, speaker, topic, audience"),
    visit_kinds=frozenset({"policy_talk"}),
    form=_LazyTalkForm(),  # type: ignore[arg-type]
    save=_talk_saved,
    panel_template="compounds/_talk_panel.html",
)

C = CompoundCap
PLUGIN = Plugin(
    grants=GRANTS,
    menu=[
        MenuItem(_("Compounds"), "compounds:list", C.VIEW, 66, group=_("Compounds")),
        MenuItem(_("Civilized compound ranking"), "compounds:ranking", C.VIEW, 67, group=_("Compounds")),
    ],
    work=_work,
    demo=_demo,
    urls=[("compounds/", "compounds.urls")],
    api=_api,
    area="Compounds",
    extensions={
        "assessment.indicators": indicators.INDICATORS,
        "fieldwork.visit": [POLICY_TALK],
        "oversight.sections": [
            {
                "key": "compounds",
                "title": _("Civilized compounds"),
                "order": 40,
                "build": "compounds.selectors:review_section",
            }
        ],
    },
    routes=[
        *access("compounds:list", C.VIEW),
        *access("compounds:ranking", C.VIEW),
        *access("compounds:detail", C.VIEW, pk="{compound}"),
        *access("compounds:meeting_create", C.EDIT, "GET POST", pk="{compound}"),
        *access("compounds:assess", C.ASSESS, "GET POST", pk="{compound}", checklist="{checklist}"),
        *access("compounds:edit", C.EDIT, "GET POST", pk="{compound}"),
        *access("compounds:member_add", C.EDIT, "GET POST", pk="{compound}"),
        *access("compounds:ratings_add", C.EDIT, "GET POST", pk="{compound}"),
        *access("compounds:title_award", C.ASSESS, "GET POST", pk="{compound}", checklist="{checklist}"),
        *access("compounds:checklist_create", C.ASSESS, "GET POST"),
        *access("compounds:item_add", C.ASSESS, "GET POST", pk="{checklist}"),
        *access("compounds:meeting", C.VIEW, pk="{linkage_meeting}"),
        *access("compounds:minutes", C.VIEW, pk="{linkage_meeting}"),
        *access("compounds:decision_matter", C.EDIT, "GET POST", pk="{decision}"),
        *access("compounds:vote", C.EDIT, "GET POST", pk="{decision}"),
        *access("api:compound-list", C.VIEW),
        *access("api:compound-detail", C.VIEW, pk="{compound}"),
        *access("api:linkage-meeting-list", C.VIEW),
        *access("api:linkage-meeting-detail", C.VIEW, pk="{linkage_meeting}"),
        *access("api:compound-score-list", C.VIEW),
        *access("api:compound-score-detail", C.VIEW, pk="{compound_score}"),
    ],
)
