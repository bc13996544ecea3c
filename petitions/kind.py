"""The `petition` kind: the case data on a matter, never public, completed only with an evidenced disposition."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matters.kinds import KindColumn, KindSpec
from matters.workflow import Action
from petitions.forms import CaseForm

_PUBLIC_FIELDS = ("focus", "received_on", "first_petition_on", "petition_count", "level", "channel", "risk")


def _before(matter: Any, action: Action, actor: Any, fields: dict[str, Any]) -> dict[str, Any] | None:
    case = matter.kind_detail
    if case is None:
        return None
    if action == Action.COMPLETE:
        evidenced = case.dispositions.filter(evidence__isnull=False).distinct()
        if not evidenced.exists():
            raise ValidationError(
                {"dispositions": _("A case is completed only with at least one disposition term that has evidence.")}
            )
        return {"dispositions": sorted(set(evidenced.values_list("term", flat=True)))}
    if action == Action.DECLINE and not case.refusal_ground:
        raise ValidationError(
            {
                "reason": _(
                    "Refuse a petition from its case page, with the ground served in the notice (不予受理告知书)."
                )
            }
        )
    if action == Action.CLOSE and not case.closings.filter(reopened_on__isnull=True).exists():
        raise ValidationError(
            {"way": _("Close a petition case from its page: say how it ends (息诉罢访 or 终结) and on what basis.")}
        )
    return None


def _after(matter: Any, action: Action, actor: Any, fields: dict[str, Any]) -> None:
    from petitions.limits import on_step

    case = matter.kind_detail
    stamp = {"accept": matter.accepted_at, "decline": matter.declined_at, "complete": matter.completed_at}.get(action)
    if case is not None and stamp is not None:
        on_step(case, action, timezone.localdate(stamp))


def _created(matter: Any, case: Any, actor: Any) -> None:
    from petitions.limits import limit_start
    from petitions.models import LimitCode

    if case is not None:
        limit_start(case, LimitCode.ACCEPT, case.received_on)


def _api_data(matter: Any, case: Any, user: Any) -> dict[str, Any]:
    """What the matters API shows of a case: never the petitioners; the summary only to those who may see it."""
    from petitions.access import can_see_personal

    data: dict[str, Any] = {"case_number": case.case_number}
    for name in _PUBLIC_FIELDS:
        value = getattr(case, name)
        data[name] = value.pk if hasattr(value, "pk") else (value.isoformat() if hasattr(value, "isoformat") else value)
    data["owners"] = sorted(case.owners.values_list("pk", flat=True))
    data["handling_units"] = sorted(case.handling_units.values_list("pk", flat=True))
    data["summary"] = case.summary if can_see_personal(user, case) else None
    return data


PETITION_KIND = KindSpec(
    code="petition",
    label=gettext_lazy("Petition backlog"),
    app="petitions",
    detail_model="petitions.PetitionCase",
    detail_form=CaseForm,
    detail_required=True,
    panel_template="petitions/_panel.html",
    columns=[
        KindColumn(gettext_lazy("Case number"), lambda case: case.case_number if case else ""),
        KindColumn(gettext_lazy("Risk"), lambda case: case.get_risk_display() if case else ""),
        KindColumn(gettext_lazy("Focus area"), lambda case: case.focus.name if case else ""),
    ],
    never_public=True,
    before_transition=_before,
    after_transition=_after,
    after_create=_created,
    api_data=_api_data,
)
