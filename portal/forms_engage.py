"""The resident's two rating forms: ask for a code by phone, then rate with it."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from core.forms import StyledForm
from core.validators import phone_validator, plain_text_validator
from matters.models import Satisfaction
from portal.services.codes import CODE_DIGITS
from portal.services.engage import COMMENT_MAX


class PhoneField(forms.CharField):
    """A phone number as people type it: spaces and a leading +86 are dropped before it is checked."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "help_text", _("Used only to send the code and to count one rating per phone; it is not kept or shown.")
        )
        super().__init__(
            label=_("Mobile phone"),
            max_length=20,
            validators=[phone_validator],
            widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
            **kwargs,
        )

    def to_python(self, value: Any) -> str:
        text = re.sub(r"[\s()]", "", str(super().to_python(value)))
        return re.sub(r"^(\+?86)(?=1\d{10}$)", "", text)


class TiedErrorsForm(StyledForm):
    def tie_errors(self) -> None:
        """Point each field with errors at its error message (and help text), for screen readers."""
        for name, field in self.fields.items():
            if name in self.errors:
                auto_id = self[name].auto_id
                ids = [f"{auto_id}_error"] + ([f"{auto_id}_helptext"] if field.help_text else [])
                field.widget.attrs["aria-describedby"] = " ".join(ids)


class CodeField(forms.CharField):
    """The six digits of the text message."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Code from the text message"),
            max_length=CODE_DIGITS,
            min_length=CODE_DIGITS,
            validators=[RegexValidator(rf"^\d{{{CODE_DIGITS}}}$", _("The code is the 6 digits in the text message."))],
            widget=forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": r"\d{6}"}
            ),
            error_messages={
                "min_length": _("The code is the 6 digits in the text message."),
                "max_length": _("The code is the 6 digits in the text message."),
            },
            **kwargs,
        )


ENDORSE_PHONE_HELP = _("Used only to send the code and to count one endorsement per phone; it is not kept or shown.")


class CodeRequestForm(TiedErrorsForm):
    phone = PhoneField()


class EndorseCodeRequestForm(TiedErrorsForm):
    phone = PhoneField(help_text=ENDORSE_PHONE_HELP)


class EndorseForm(TiedErrorsForm):
    """附议 with a phone: the phone and the code sent to it."""

    phone = PhoneField(help_text=ENDORSE_PHONE_HELP)
    code = CodeField()


class RateForm(TiedErrorsForm):
    phone = PhoneField()
    code = CodeField()
    value = forms.ChoiceField(
        label=_("Your rating"),
        choices=Satisfaction.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose satisfied, basically satisfied or dissatisfied.")},
    )
    comment = forms.CharField(
        label=_("Comment (optional)"),
        required=False,
        max_length=COMMENT_MAX,
        validators=[plain_text_validator],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Plain text, at most 500 characters. Shown to the public without your name or phone."),
    )
