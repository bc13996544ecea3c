"""The trial kind: a detail record, the lead may complete as well as the handler, completion needs households."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from core.plugins import Plugin
from fieldwork.extensions import VisitExtension
from matters.kinds import KindColumn, KindSpec
from matters.workflow import Action, Capacity


class TrialForm(forms.ModelForm):
    class Meta:
        from tests.kindapp.models import TrialDetail

        model = TrialDetail
        fields = ["site", "households"]


def _before(matter: Any, action: Action, actor: Any, fields: dict[str, Any]) -> dict[str, Any] | None:
    detail = matter.kind_detail
    if action == Action.COMPLETE:
        if detail is None or detail.households == 0:
            raise ValidationError({"households": "A trial is completed only for at least one household."})
        return {"households": detail.households}
    return None


def _after(matter: Any, action: Action, actor: Any, fields: dict[str, Any]) -> None:
    detail = matter.kind_detail
    if detail is not None:
        detail.steps_seen += 1
        detail.save(update_fields=["steps_seen"])


TRIAL = KindSpec(
    code="trial",
    label="Trial",
    app="kindapp",
    detail_model="kindapp.TrialDetail",
    detail_form=TrialForm,
    detail_required=True,
    panel_template="kindapp/panel.html",
    columns=[KindColumn("Site", lambda d: d.site if d else ""), KindColumn("Households", lambda d: d.households if d else "")],
    capacities={Action.COMPLETE: frozenset({Capacity.HANDLER, Capacity.LEAD})},
    before_transition=_before,
    after_transition=_after,
)

class TrialVisitForm(forms.Form):
    site = forms.CharField(max_length=100)
    households = forms.IntegerField(min_value=1)

    def __init__(self, *args: Any, person: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person


def _visit_saved(visit: Any, data: dict[str, Any], actor: Any) -> None:
    from tests.kindapp.models import TrialVisit

    if data["site"] == "refused":
        raise ValidationError({"site": "This site refuses visits."})
    TrialVisit.objects.create(visit=visit, site=data["site"], households=data["households"])


TRIAL_VISIT = VisitExtension(
    key="kindapp.trial_visit",
    label="Trial households reached",
    visit_kinds=frozenset({"household"}),
    form=TrialVisitForm,
    save=_visit_saved,
    panel_template="kindapp/visit_panel.html",
)

PLUGIN = Plugin(kinds=[TRIAL], extensions={"fieldwork.visit": [TRIAL_VISIT]})
