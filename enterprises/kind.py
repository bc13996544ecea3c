"""The matter kind `enterprise` (企业诉求) and the enterprise visit's extension, declared for the plugin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from fieldwork.extensions import VisitExtension
from matters.kinds import KindColumn, KindSpec


def _created(matter: Any, detail: Any, actor: Any) -> None:
    from enterprises.services.demands import demand_created

    demand_created(matter, detail, actor)


def _api_data(matter: Any, detail: Any, user: Any) -> dict[str, Any]:
    """The demand as the API shows it: never the rating link's token."""
    return {
        "enterprise": detail.enterprise_id,
        "enterprise_name": str(detail.enterprise),
        "demand_type": detail.demand_type,
        "amount": str(detail.amount) if detail.amount is not None else None,
        "confidential": detail.confidential,
        "rating": detail.rating,
    }


def _visit_saved(visit: Any, data: dict[str, Any], actor: Any) -> None:
    from enterprises.services.demands import demand_visit_found

    demand_visit_found(visit, data, actor)


def _form() -> Any:
    from enterprises.forms import DemandForm

    return DemandForm


def _visit_form() -> Any:
    from enterprises.forms import EnterpriseVisitForm

    return EnterpriseVisitForm


def build() -> tuple[KindSpec, VisitExtension]:
    kind = KindSpec(
        code="enterprise",
        label=_("Enterprise demand"),
        app="enterprises",
        detail_model="enterprises.Demand",
        detail_form=_form(),
        detail_required=True,
        panel_template="enterprises/_demand_panel.html",
        columns=[
            KindColumn(_("Enterprise"), lambda d: str(d.enterprise) if d else ""),
            KindColumn(_("Demand type"), lambda d: d.get_demand_type_display() if d else ""),
            KindColumn(_("Amount at stake"), lambda d: d.amount if d and d.amount is not None else ""),
        ],
        after_create=_created,
        api_data=_api_data,
    )
    visit = VisitExtension(
        key="enterprises.visit",
        label=_("Enterprise visit: demand found, policy explained"),
        visit_kinds=frozenset({"enterprise"}),
        form=_visit_form(),
        save=_visit_saved,
        panel_template="enterprises/_visit_panel.html",
        always=True,  # 无事不扰: every enterprise visit counts against the month's cap
    )
    return kind, visit
