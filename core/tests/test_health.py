"""The health check the reverse proxy asks every second: ok when the database and the cache answer, else 503."""

from __future__ import annotations

import pytest
from django.test import Client


@pytest.mark.django_db
def test_the_health_check_answers_ok_without_login_and_without_a_cookie() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.content == b"ok"
    assert not response.cookies and "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_says_which_part_failed_with_503(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.cache import cache

    def refuse(*args: object, **kwargs: object) -> None:
        raise ConnectionError("the cache is away")

    monkeypatch.setattr(cache, "set", refuse)
    response = Client().get("/healthz")
    assert response.status_code == 503 and response.content == b"unavailable: cache"


@pytest.mark.django_db
def test_the_health_check_refuses_writes() -> None:
    assert Client().post("/healthz").status_code == 405
