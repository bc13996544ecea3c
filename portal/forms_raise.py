"""The public's forms: raise a problem, look up a tracking code."""

from __future__ import annotations

import re
import uuid
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.uploads import UploadField
from core.validators import phone_validator, plain_text_validator
from matters.models import PROBLEM_MAX_LENGTH, Category, problem_length
from matters.services import TRACKING_ALPHABET
from portal.services.intake import TOKEN_PATTERN

DESCRIPTION_MIN = 10
FORM_ID = "mq-raise"
_MICRODEGREE = Decimal("0.000001")
TOKEN_MESSAGE = _("This form has expired or was changed. Check your entries and send it again.")


def new_form_token() -> str:
    return uuid.uuid4().hex


class CoordinateField(forms.DecimalField):
    """A coordinate from the browser's geolocation, rounded to the six decimals we store (about 10 cm)."""

    widget = forms.HiddenInput

    def __init__(self, *, bound: int, **kwargs: Any) -> None:
        super().__init__(required=False, **kwargs)
        self.validators += [MinValueValidator(-bound), MaxValueValidator(bound)]

    def clean(self, value: Any) -> Decimal | None:
        number = super().clean(value)
        return None if number is None else number.quantize(_MICRODEGREE)


class RaiseForm(StyledForm):
    """A problem from anyone, with an optional photo and optional contact details for follow-up."""

    category = forms.ModelChoiceField(
        label=_("Category"),
        queryset=Category.objects.all(),
        empty_label=_("Choose a category"),
        error_messages={
            "required": _("Choose the category closest to your problem (or “other”)."),
            "invalid_choice": _("Choose one of the listed categories."),
        },
    )
    description = forms.CharField(
        label=_("Describe the problem"),
        min_length=DESCRIPTION_MIN,
        validators=[plain_text_validator, problem_length],
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": PROBLEM_MAX_LENGTH}),
        help_text=_("What is wrong, since when, and who is affected. Please do not write phone or ID numbers here."),
        error_messages={
            "required": _("Describe the problem."),
            "min_length": _("Describe the problem in at least %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    place = forms.CharField(
        label=_("Where is it?"),
        max_length=200,
        validators=[plain_text_validator],
        help_text=_("A street, compound, building or landmark."),
        error_messages={
            "required": _("Say where the problem is."),
            "max_length": _("Keep the place to %(limit_value)d characters (you wrote %(show_value)d)."),
        },
    )
    latitude = CoordinateField(bound=90)
    longitude = CoordinateField(bound=180)
    photo = UploadField(
        label=_("Photo (optional)"),
        multiple=False,
        images_only=True,
        help_text=_("JPEG, PNG or WebP. Location and camera details are removed from the photo."),
    )
    name = forms.CharField(
        label=_("Your name (optional)"), max_length=60, required=False, validators=[plain_text_validator]
    )
    phone = forms.CharField(
        label=_("Your phone (optional)"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    no_sms = forms.BooleanField(
        label=_(
            "Do not send me text messages about this problem (otherwise: when it is accepted or declined, and when it is done)"
        ),
        required=False,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the coordination team uses my name and phone only to follow up on this problem. "
            "They are never published."
        ),
        required=False,
    )
    is_public = forms.BooleanField(
        label=_("Publish my problem (without my name or phone) so others can see and endorse it"),
        required=False,
        initial=True,
    )
    token = forms.CharField(
        widget=forms.HiddenInput,
        error_messages={"required": TOKEN_MESSAGE, "max_length": TOKEN_MESSAGE},
        max_length=32,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "name"
        self.fields["place"].widget.attrs["autocomplete"] = "off"
        # Suggestions of similar matters are fetched while typing (htmx); without JavaScript the form works the same.
        self.fields["description"].widget.attrs.update(
            {
                "hx-get": reverse("portal:similar"),
                "hx-trigger": "input changed delay:500ms",
                "hx-target": "#mq-similar",
                "hx-swap": "innerHTML",
                "hx-sync": "this:replace",
            }
        )
        # The suggestions region (which holds endorse forms of its own) sits between the fields, outside the
        # <form> element, so every field names its form explicitly.
        for field in self.fields.values():
            field.widget.attrs["form"] = FORM_ID
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields and not self.fields[name].widget.is_hidden:
                widget = self.fields[name].widget
                widget.attrs["class"] = (widget.attrs.get("class", "") + " is-invalid").strip()

    def clean_token(self) -> str:
        token = self.cleaned_data["token"]
        if not TOKEN_PATTERN.match(token):
            raise ValidationError(TOKEN_MESSAGE, code="token")
        return token

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        latitude, longitude = data.get("latitude"), data.get("longitude")
        if (
            (latitude is None) != (longitude is None)
            and not self.has_error("latitude")
            and not self.has_error("longitude")
        ):
            self.add_error("latitude", _("The location is incomplete. Use “my location” again or clear it."))
        if (data.get("name") or data.get("phone")) and not data.get("consent"):
            self.add_error("consent", _("Tick the box to agree how your name and phone are used, or leave them empty."))
        return data


def normalise_tracking_code(value: str) -> str:
    """Upper-case a tracking code and drop the spaces and dashes people type or read out."""
    return re.sub(r"[\s\-–—_]", "", value or "").upper()


TRACKING_PATTERN = re.compile(rf"^[{TRACKING_ALPHABET}]{{8}}$")


class TrackForm(StyledForm):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The 8 letters and digits you received when you reported the problem, e.g. K7Q2M9XD."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
        error_messages={"required": _("Enter your tracking code.")},
    )

    def clean_code(self) -> str:
        code = normalise_tracking_code(self.cleaned_data["code"])
        if not TRACKING_PATTERN.match(code):
            raise ValidationError(
                _("A tracking code has 8 letters and digits, e.g. K7Q2M9XD. Check what you typed."), code="format"
            )
        return code
