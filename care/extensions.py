"""What care adds to other apps: the micro-wish kind of matter, and the household linked to a household visit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fieldwork.extensions import VisitExtension
from matters.kinds import KindColumn, KindSpec


def _wish_api(matter: Any, wish: Any, user: Any) -> dict[str, Any]:
    """What the matters API says of a wish: never its household."""
    return {"wish": wish.code, "value": str(wish.value), "state": wish.state, "community": wish.community_id}


MICRO_WISH = KindSpec(
    code="micro_wish",
    label=_("Micro-wish"),
    app="care",
    detail_model="care.Wish",
    panel_template="care/_wish_panel.html",
    columns=[
        KindColumn(_("Estimated value (yuan)"), lambda wish: wish.value if wish else ""),
        KindColumn(_("Wish state"), lambda wish: wish.get_state_display() if wish else ""),
    ],
    never_public=True,  # the public side is the wall (/wishes/), which never names the household
    api_data=_wish_api,
)


class HouseholdVisitForm(forms.Form):
    """Which paired household the visit reached: it counts as a help given under that pairing."""

    household = forms.ChoiceField(label=_("Paired household"), required=False)

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from care.models import Pairing

        self.person = person
        pairings = Pairing.objects.filter(cadre=person, ended_on__isnull=True).select_related("household__community")
        field = self.fields["household"]
        field.choices = [("", "—")] + [  # type: ignore[attr-defined]
            (str(p.household_id), f"{p.household.code} · {p.household.community.name}") for p in pairings
        ]


def household_visit_saved(visit: Any, data: dict[str, Any], actor: Any) -> None:
    """Inside visit_create's transaction: record the visit as a help given under the cadre's pairing."""
    from care.models import HelpKind, Pairing
    from care.services import help_add

    if not data.get("household"):
        return
    pairing = Pairing.objects.filter(cadre=visit.person, household_id=data["household"], ended_on__isnull=True).first()
    if pairing is None:
        raise ValidationError({"household": gettext("You are not paired with this household.")})
    help_add(actor=actor, pairing=pairing, kind=HelpKind.VISIT, date=visit.date, visit=visit)


HOUSEHOLD_VISIT = VisitExtension(
    key="care.household",
    label=_("Paired household"),
    visit_kinds=frozenset({"household"}),
    form=HouseholdVisitForm,
    save=household_visit_saved,
    panel_template="care/_visit_panel.html",
)
