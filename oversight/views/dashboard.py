"""The dashboard (/oversight/dashboard/): headline figures and every chart of a period with its table, in the
viewer's scope; each chart's table as .xlsx (the PNG is drawn in the browser)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from core.access import require_cap
from core.dates import add_months
from oversight import charts
from oversight.capabilities import OversightCap
from oversight.selectors.dashboard import Period, chart_xlsx, dashboard_data, default_period, error_text, period_from

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _shortcuts(today: dt.date) -> list[tuple[str, str]]:
    """Quick periods: this month, last month, this quarter, the campaign (labels translated in the template)."""
    this_month = today.replace(day=1)
    last_month = add_months(this_month, -1)
    quarter = f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    return [
        ("this_month", f"period=month&month={this_month:%Y-%m}"),
        ("last_month", f"period=month&month={last_month:%Y-%m}"),
        ("this_quarter", f"period=quarter&quarter={quarter}"),
        ("campaign", "period=campaign"),
    ]


@require_cap(OversightCap.DASHBOARD)
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = charts.scope_for(request.user)
    today = timezone.localdate()
    context: dict[str, object] = {
        "scope": scope,
        "scope_name": charts.scope_name(scope),
        "shortcuts": _shortcuts(today),
        "kinds": ["month", "quarter", "campaign", "custom"],
    }
    try:
        period = period_from(request.GET, today)
    except ValidationError as error:
        fallback = default_period(today)
        context.update({"error": error_text(error), "period": fallback, "form": request.GET})
        return render(request, "oversight/dashboard/page.html", context, status=400)
    context.update({"period": period, "form": _form_values(period, request)})
    context.update(dashboard_data(period, scope))
    return render(request, "oversight/dashboard/page.html", context)


def _form_values(period: Period, request: HttpRequest) -> dict[str, str]:
    return {
        "period": period.kind,
        "month": period.month,
        "quarter": period.quarter,
        "from": period.start.isoformat(),
        "to": period.end.isoformat(),
    }


@require_cap(OversightCap.DASHBOARD)
def chart_download(request: HttpRequest, key: str) -> HttpResponse:
    """One chart's table as .xlsx, for the period asked (?period=…) in the viewer's scope."""
    scope = charts.scope_for(request.user)
    try:
        period = period_from(request.GET)
    except ValidationError as error:
        return HttpResponse(error_text(error), status=400, content_type="text/plain; charset=utf-8")
    spec = charts.chart(key, period.start, period.end, scope)
    if spec is None:
        raise Http404
    response = HttpResponse(chart_xlsx(spec, period, charts.scope_name(scope)), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="dashboard-{spec.key}-{period.slug}.xlsx"'
    return response
