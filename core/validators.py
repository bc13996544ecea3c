import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

_PHONE = r"^(1\d{10}|0\d{2,3}-?\d{7,8})$"
phone_validator = RegexValidator(
    _PHONE,
    _("Enter a mainland mobile number (11 digits starting with 1) or a landline such as 0714-1234567."),
)
# \d also matches other scripts' digits (١٣٩…), which no phone network dials: match ASCII digits only. Compiled
# here rather than passed as flags, so that the migrations, which record the constructor's arguments, stay as they are.
phone_validator.regex = re.compile(_PHONE, re.ASCII)

_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^>]*>|</?[A-Za-z]|javascript\s*:|&#?\w+;", re.IGNORECASE)


def plain_text_validator(value: str) -> None:
    """Refuse HTML tags, entities and script URLs in text the public types: it is kept as plain text."""
    if value and _MARKUP.search(value):
        raise ValidationError(_("Write plain text: HTML tags and scripts are not accepted."), code="markup")
