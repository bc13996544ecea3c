"""Form helpers shared by every app: Bootstrap styling and running a service from a form."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from core.exceptions import DomainError

T = TypeVar("T")


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
            css = "form-select"
        elif isinstance(widget, (forms.CheckboxSelectMultiple, forms.RadioSelect)):
            css = ""
        else:
            css = "form-control"
        if css:
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


def picker(placeholder: object = "") -> forms.SelectMultiple:
    """A multiple choice that static/js/pickers.js turns into a searchable box (Tom Select); a plain
    `<select multiple>` without JavaScript."""
    return forms.SelectMultiple(attrs={"data-picker": "", "data-placeholder": placeholder, "size": 6})


def searchable(field: forms.Field, placeholder: object = "") -> None:
    """Mark a (single or multiple) choice of people or units for the search box of static/js/pickers.js."""
    field.widget.attrs.update({"data-picker": "", "data-placeholder": placeholder})


class PeopleField(forms.ModelMultipleChoiceField):
    """People by name and unit ('杨立新 · 基建办'), so a search finds them by either; an incomplete name shows as such."""

    def label_from_instance(self, obj: Any) -> str:
        unit = getattr(getattr(obj, "unit", None), "name", "")
        return f"{obj.display_name} · {unit}" if unit else str(obj.display_name)


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


class StyledModelForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_widgets(self)


def save_form(form: forms.BaseForm, save: Callable[[dict[str, Any]], T]) -> T | None:
    """Validate `form` and call the service; a refusal becomes a form error and nothing is kept."""
    if not form.is_valid():
        return None
    try:
        return save(form.cleaned_data)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, exc)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return None


def form_page(
    request: Any,
    *,
    form: forms.BaseForm,
    save: Callable[[dict[str, Any]], T],
    success: str,
    then: Callable[[T], Any],
    title: str,
    back: str | None = None,
) -> Any:
    """Render a form page; on a valid POST run `save` (a service call), flash `success`, answer `then(result)`."""
    from django.contrib import messages
    from django.shortcuts import render

    if request.method == "POST":
        result = save_form(form, save)
        if result is not None:
            messages.success(request, success)
            return then(result)
    return render(request, "core/form_page.html", {"form": form, "title": title, "back": back})
