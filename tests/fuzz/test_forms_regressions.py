"""What the form fuzzing found, pinned down.

Whatever comes in: no server error; a refusal stores nothing; what is accepted is stored exactly as typed (trimmed,
never escaped), but for the bidi controls and zero-width characters that every text field drops (core.text).
"""

from __future__ import annotations

import uuid
import warnings

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from matters.models import Category
from tests.fuzz.conftest import (
    assert_unchanged,
    row_counts,
)
from tests.fuzz.forms_common import (
    BOMB,
    login_as,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo", "frozen_now", "media_root", "generous_limits")]


# --- regressions: what the fuzzing found, pinned down --------------------------------------------------------


def test_a_phone_written_in_another_script_s_digits_is_refused_and_nothing_is_stored() -> None:
    from core.validators import phone_validator

    for phone in ("1٣٩١٢٣٤٥٦٧٨", "１３９１２３４５６７８"):
        with pytest.raises(ValidationError):
            phone_validator(phone)
    phone_validator("13912345678")
    phone_validator("0714-1234567")
    category = Category.objects.first()
    assert category is not None
    before = row_counts()
    response = Client().post(
        "/report/",
        {
            "category": category.pk,
            "description": "路灯不亮已有一周，晚上出行不便。",
            "place": "长宇社区",
            "name": "王小明",
            "phone": "1٣٩١٢٣٤٥٦٧٨",
            "consent": "on",
            "token": uuid.uuid4().hex,
        },
    )
    assert response.status_code == 400
    assert_unchanged(before)


def test_an_image_past_pillows_pixel_limit_is_refused_whatever_the_warning_filters() -> None:
    from core.uploads import clean_upload

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(ValidationError):
            clean_upload("bomb.png", BOMB)
    before = row_counts()
    response = login_as("cadre").post(
        "/fieldwork/visits/new/",
        {
            "date": "2022-12-30",
            "hours": "2",
            "kind": "site_visit",
            "place_kind": "other",
            "place_detail": "长宇社区",
            "participants": "0",
            "photos": SimpleUploadedFile("bomb.png", BOMB),
        },
    )
    assert response.status_code == 200  # the form again, with the photo refused
    assert_unchanged(before)


def test_page_filters_ignore_digits_that_int_cannot_read_and_numbers_too_large() -> None:
    coordinator = login_as("coordinator")
    for path in (
        "/org/people/?unit=²",
        f"/org/people/?unit={'9' * 25}",
        "/matters/?unit=²&community=𐩀&lead=²&month=2022-²",
        "/matters/lists/?month=2022-²",
        "/fieldwork/visits/?person=²&unit=²",
        "/fieldwork/registrations/?community=²",
        "/fieldwork/duties/?unit=²",
        "/lists/tasks/?unit=²&month=２０２２-０６",
    ):
        assert coordinator.get(path).status_code == 200, path


def test_a_nul_in_a_search_of_people_or_of_the_audit_log_matches_nothing_instead_of_failing() -> None:
    assert login_as("coordinator").get("/org/people/?q=%00").status_code == 200
    auditor = login_as("auditor")
    for name in ("action", "actor", "target_type", "target_id"):
        response = auditor.get(f"/audit/?{name}=%00")
        assert response.status_code == 200, name


