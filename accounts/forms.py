"""The forms of signing in, of a new account and of an account's roles."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.exceptions import LoginRefused
from core.forms import StyledForm, style_widgets
from core.roles import Role
from org.models import Person


class AccountCreateForm(StyledForm):
    username = forms.RegexField(
        label=_("Username"),
        max_length=150,
        regex=r"^[\w.@+-]+$",
        error_messages={"invalid": _("Use letters, digits and @ . + - _ only.")},
    )
    password = forms.CharField(label=_("Initial password"), widget=forms.PasswordInput, strip=False)
    person = forms.ModelChoiceField(
        label=_("Person"),
        required=False,
        queryset=Person.objects.filter(user__isnull=True).select_related("unit"),
        widget=forms.Select(attrs={"data-picker": ""}),
    )

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"]
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username


class RolesForm(StyledForm):
    roles = forms.MultipleChoiceField(
        label=_("Roles"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


class LoginForm(AuthenticationForm):
    """Django's login form, with our lockout service deciding."""

    error_messages = {"inactive": _("This account is inactive.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)

    def clean(self) -> dict[str, Any]:
        from accounts.services import login_check

        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if username and password:
            try:
                user = login_check(request=self.request, username=username, password=password)
            except LoginRefused as exc:
                raise ValidationError(exc.message, code="invalid_login") from None
            self.confirm_login_allowed(user)  # type: ignore[arg-type]
            self.user_cache = user  # type: ignore[assignment]
        return self.cleaned_data
