"""The monthly pack page: choose a month, start the job, follow its progress, download the .docx and the PDF."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from core.access import require_cap
from oversight import pack
from oversight.capabilities import OversightCap
from oversight.forms_pack import PackForm
from oversight.pack_data import month_label
from oversight.selectors.pack import pack_made_get, pack_rows
from oversight.services.pack import pack_generate

POLL_SECONDS = 2


@require_http_methods(["GET", "POST"])
@require_cap(OversightCap.PACK)
def pack_page(request: HttpRequest) -> HttpResponse:
    form = PackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            made = pack_generate(actor=request.user, month=form.cleaned_data["month"])
        except ValidationError as exc:
            form.add_error("month", exc)
        else:
            messages.success(request, _("The pack of %(month)s is being made.") % {"month": month_label(made.month)})
            return redirect("oversight:pack")
    rows = pack_rows()
    context = {"form": form, "rows": rows, "running": any(r.running for r in rows), "poll_seconds": POLL_SECONDS}
    return render(request, "oversight/pack/page.html", context, status=400 if form.errors else 200)


@require_GET
@require_cap(OversightCap.PACK)
def pack_download(request: HttpRequest, pk: int, file_format: str) -> FileResponse:
    found = pack_made_get(pk)
    if found is None or file_format not in pack.CONTENT_TYPES:
        raise Http404
    stored = found.docx if file_format == "docx" else found.pdf
    return FileResponse(
        stored.open("rb"),
        as_attachment=True,
        filename=pack.filename({"month": f"{found.month:%Y-%m}"}, file_format),
        content_type=pack.CONTENT_TYPES[file_format],
    )
