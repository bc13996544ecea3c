"""Open311 GeoReport v2: plain views that answer in JSON or XML, as the URL's extension asks.

Errors follow the spec: a list of {code, description}; 404 for an unknown service, request, token or format,
403 for a missing, wrong or revoked API key, 400 for anything else the client got wrong.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from core.exceptions import DomainError
from core.idempotency import IdempotencyKeyError, idempotency_key
from open311 import selectors, serializers
from open311.forms import RequestSearchForm, ServiceRequestForm
from open311.renderers import CONTENT_TYPES, FORMATS, JSON, render
from open311.services import api_key_mark_used, service_request_create

View = Callable[..., HttpResponse]
_SERVICE_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,40}$")
_REQUEST_ID = re.compile(r"^[-A-Za-z0-9]{1,40}$")
_TOKEN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def answer(fmt: str, payload: Any, *, root: str, item: str = "", status: int = 200) -> HttpResponse:
    return HttpResponse(render(fmt, payload, root=root, item=item), status=status, content_type=CONTENT_TYPES[fmt])


def errors(fmt: str, status: int, *descriptions: Any) -> HttpResponse:
    payload = [serializers.error(status, str(description)) for description in descriptions]
    return answer(fmt, payload, root="errors", item="error", status=status)


def form_errors(fmt: str, form: forms.Form) -> HttpResponse:
    """One error per message, named after the parameter: “description: This field is required.”"""
    descriptions = []
    for name, messages in form.errors.items():
        for message in messages:
            descriptions.append(message if name == "__all__" else f"{name}: {message}")
    return errors(fmt, 400, *descriptions)


def open311_view(*methods: str) -> Callable[[View], View]:
    """Check the format and the method, turn unreadable requests into 400s, and open GET answers to every origin."""
    allowed = {*methods, "HEAD"} if "GET" in methods else set(methods)

    def decorate(view: View) -> View:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            if fmt not in FORMATS:
                response = errors(JSON, 404, _("Unknown format “%(format)s”: use json or xml.") % {"format": fmt[:20]})
            elif request.method not in allowed:
                response = errors(fmt, 405, _("This method is not allowed here."))
                response["Allow"] = ", ".join(sorted(allowed))
            else:
                try:
                    response = view(request, *args, fmt=fmt, **kwargs)
                except (SuspiciousOperation, MultiPartParserError):
                    # Too many fields, a body too big, a broken multipart body: the client's fault, said the spec's way.
                    response = errors(fmt, 400, _("The request could not be read."))
            if request.method in ("GET", "HEAD"):
                response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapper

    return decorate


def root(request: HttpRequest) -> HttpResponse:
    return HttpResponseRedirect(reverse("open311:discovery", kwargs={"fmt": JSON}))


def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    response = errors(JSON, 404, _("There is no such Open311 endpoint."))
    response["Access-Control-Allow-Origin"] = "*"
    return response


@open311_view("GET")
def discovery(request: HttpRequest, *, fmt: str) -> HttpResponse:
    return answer(fmt, serializers.discovery(request), root="discovery")


@open311_view("GET")
def services(request: HttpRequest, *, fmt: str) -> HttpResponse:
    payload = [serializers.service(category) for category in selectors.services_all()]
    return answer(fmt, payload, root="services", item="service")


@open311_view("GET")
def service_definition(request: HttpRequest, service_code: str, *, fmt: str) -> HttpResponse:
    category = selectors.service_get(service_code) if _SERVICE_CODE.match(service_code) else None
    if category is None:
        return errors(fmt, 404, _("Unknown service code: %(codes)s.") % {"codes": service_code[:40]})
    return answer(fmt, serializers.service_definition(category), root="service_definition")


@csrf_exempt  # authenticated by the API key in the body, never by a cookie
@open311_view("GET", "POST")
def requests(request: HttpRequest, *, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _request_create(request, fmt)
    form = RequestSearchForm(request.GET)
    if not form.is_valid():
        return form_errors(fmt, form)
    payload = [serializers.service_request(request, matter) for matter in selectors.requests_search(form.search())]
    return answer(fmt, payload, root="service_requests", item="request")


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return ""
    if isinstance(value, str | int | float):
        return str(value)
    raise ValueError("not a scalar")


def _posted(request: HttpRequest) -> Any:
    """The form-encoded fields (the spec's way), or the members of a JSON object."""
    if request.content_type == "application/json":
        body = json.loads(request.body or b"{}")
        if not isinstance(body, dict):
            raise ValueError("not an object")
        return {str(key): _scalar(value) for key, value in body.items()}
    return request.POST


def _request_create(request: HttpRequest, fmt: str) -> HttpResponse:
    try:
        data = _posted(request)
    except (ValueError, RecursionError):
        return errors(fmt, 400, _("The body is not a JSON object of fields."))
    secret = data.get("api_key") or request.GET.get("api_key") or ""
    key = selectors.api_key_by_secret(secret) if isinstance(secret, str) else None
    if key is None:
        return errors(fmt, 403, _("A valid api_key is required to submit service requests."))
    api_key_mark_used(key=key)
    try:
        client_key = idempotency_key(request)
    except IdempotencyKeyError as exc:
        return errors(fmt, 400, exc.message)
    form = ServiceRequestForm(data)
    if not form.is_valid():
        return form_errors(fmt, form)
    try:
        matter, token, _created = service_request_create(
            key=key, submitted=form.submitted(), idempotency_key=client_key
        )
    except ValidationError as exc:
        return errors(fmt, 400, *exc.messages)
    except DomainError as exc:
        return errors(fmt, 400, exc.message)
    return answer(fmt, [serializers.request_created(matter, token)], root="service_requests", item="request")


@open311_view("GET")
def request_detail(request: HttpRequest, request_id: str, *, fmt: str) -> HttpResponse:
    matter = selectors.request_get(request_id) if _REQUEST_ID.match(request_id) else None
    if matter is None:
        return errors(fmt, 404, _("There is no public service request “%(id)s”.") % {"id": request_id[:40]})
    return answer(fmt, [serializers.service_request(request, matter)], root="service_requests", item="request")


@open311_view("GET")
def token(request: HttpRequest, token: str, *, fmt: str) -> HttpResponse:
    matter = selectors.request_by_token(token) if _TOKEN.match(token) else None
    if matter is None:
        return errors(fmt, 404, _("Unknown token."))
    return answer(fmt, [serializers.token_resolved(matter, token)], root="service_requests", item="request")
