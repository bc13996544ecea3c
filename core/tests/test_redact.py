"""Masking personal numbers that people type into public text."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from core.privacy import phone_digest, redact
from core.validators import plain_text_validator


@pytest.mark.parametrize(
    "text",
    [
        "联系我13812345678",
        "电话 138-1234-5678 谢谢",
        "+86 13812345678",
        "座机0714-8812345",
        "身份证420101199001011234",
        "身份证42010119900101123X号",
    ],
)
def test_phone_and_id_numbers_are_masked(text: str) -> None:
    with translation.override("en"):
        out = redact(text)
    digits = "".join(ch for ch in out if ch.isdigit())
    assert len(digits) < 7, out
    assert "hidden]" in out


@pytest.mark.parametrize("text", ["幸福小区3栋2单元501室", "长宇社区12户", "3号房漏水"])
def test_door_numbers_are_masked_but_the_building_stays(text: str) -> None:
    with translation.override("en"):
        out = redact(text)
    assert "door number hidden" in out
    assert "501" not in out and "12户" not in out


@pytest.mark.parametrize("text", ["2022年6月底前完成", "投资1200万元", "幸福小区3栋", "MQ-2022-0001", ""])
def test_ordinary_numbers_are_left_alone(text: str) -> None:
    assert redact(text) == text


def test_a_phone_digest_ignores_formatting_and_never_contains_the_number() -> None:
    assert phone_digest("138-1234-5678") == phone_digest("13812345678")
    assert "13812345678" not in phone_digest("13812345678")


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "<b>粗体</b>", "<img src=x onerror=alert(1)>", "javascript:alert(1)", "&lt;"]
)
def test_markup_is_refused_in_plain_text(text: str) -> None:
    with pytest.raises(ValidationError):
        plain_text_validator(text)


@pytest.mark.parametrize("text", ["路面破损 < 5 米", "a < b", "满意度>90%", "3 > 2 且 1 < 2"])
def test_comparison_signs_in_plain_text_are_accepted(text: str) -> None:
    plain_text_validator(text)
