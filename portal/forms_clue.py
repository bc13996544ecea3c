"""The public's forms for a problem clue (问题线索) on cadres' conduct: sending one, looking up its tracking code."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.validators import phone_validator, plain_text_validator
from matters.services import TRACKING_ALPHABET
from oversight.services.clues import TEXT_MAX, TRACKING_LENGTH, TRACKING_PREFIX
from portal.forms_raise import normalise_tracking_code

CLUE_TRACKING_PATTERN = re.compile(rf"^{TRACKING_PREFIX}[{TRACKING_ALPHABET}]{{{TRACKING_LENGTH - 1}}}$")


class ClueForm(StyledForm):
    """A clue from anyone: what happened (required), whom it concerns, and optionally a name and phone for a reply."""

    text = forms.CharField(
        label=_("What happened"),
        required=False,  # the service's message says it is missing, as on every other face
        max_length=TEXT_MAX,
        validators=[plain_text_validator],
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": TEXT_MAX}),
        help_text=_(
            "What you saw or experienced, when and where: perfunctory work, falsified records, going through the motions."
        ),
    )
    concerned = forms.CharField(
        label=_("Whom it concerns (optional)"),
        max_length=500,
        required=False,
        validators=[plain_text_validator],
        help_text=_("The cadres, departments or communities concerned, as you know them."),
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
        help_text=_("Only if you want a reply. Seen only by the conduct supervision team, never published."),
    )

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self) -> str:
        return re.sub(r"\s", "", self.cleaned_data["phone"])


class ClueTrackForm(StyledForm):
    code = forms.CharField(
        label=_("Tracking code"),
        max_length=40,
        help_text=_("The code starting with X you received when you sent the clue, e.g. X7Q2M9XD4K."),
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false", "inputmode": "text"}
        ),
        error_messages={"required": _("Enter your tracking code.")},
    )

    def clean_code(self) -> str:
        code = normalise_tracking_code(self.cleaned_data["code"])
        if not CLUE_TRACKING_PATTERN.match(code):
            raise ValidationError(
                _("A clue's tracking code has 10 letters and digits and starts with X. Check what you typed."),
                code="format",
            )
        return code


def tracking_ok(code: str) -> bool:
    return bool(CLUE_TRACKING_PATTERN.match(code))


__all__ = ["CLUE_TRACKING_PATTERN", "ClueForm", "ClueTrackForm", "tracking_ok"]
