"""The open311_key command: create prints a key once, list shows it without the secret, revoke stops it."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from open311.models import ApiKey, api_key_digest
from open311.tests.conftest import matter_count, post, valid_post

pytestmark = pytest.mark.usefixtures("demo")


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("open311_key", *args, stdout=out)
    return out.getvalue()


def test_create_prints_a_key_once_that_opens_posting() -> None:
    output = _run("create", "12345热线")
    secret = output.strip().splitlines()[-1]
    assert len(secret) >= 40
    key = ApiKey.objects.get(name="12345热线")
    assert key.active and key.prefix == secret[:8]
    assert key.digest == api_key_digest(secret) and secret not in (key.digest, key.prefix, key.name)
    assert post(valid_post(secret)).status_code == 200
    assert matter_count() == 1


def test_two_keys_differ_and_a_name_is_unique() -> None:
    first = _run("create", "app").strip().splitlines()[-1]
    second = _run("create", "hotline").strip().splitlines()[-1]
    assert first != second
    with pytest.raises(CommandError):
        _run("create", "app")
    with pytest.raises(CommandError):
        _run("create", "   ")
    assert ApiKey.objects.count() == 2


def test_list_shows_names_prefixes_and_states_but_never_secrets() -> None:
    secret = _run("create", "app").strip().splitlines()[-1]
    _run("create", "old")
    _run("revoke", "old")
    output = _run("list")
    assert secret not in output
    lines = {line.split("\t")[0]: line for line in output.strip().splitlines()}
    assert set(lines) == {"app", "old"}
    assert secret[:8] in lines["app"]
    assert lines["app"].split("\t")[2] != lines["old"].split("\t")[2]


def test_list_says_so_when_there_are_no_keys() -> None:
    assert _run("list").strip()


def test_revoke_stops_a_key_at_once_and_both_steps_are_audited() -> None:
    secret = _run("create", "app").strip().splitlines()[-1]
    assert post(valid_post(secret)).status_code == 200
    _run("revoke", "app")
    key = ApiKey.objects.get()
    assert not key.active and key.revoked_at is not None
    assert post(valid_post(secret)).status_code == 403
    assert matter_count() == 1
    events = list(AuditEvent.objects.filter(target_type="open311.apikey").order_by("seq"))
    assert [e.action for e in events] == ["open311.key_create", "open311.key_revoke"]
    assert events[0].after == {"name": "app", "prefix": secret[:8]}
    assert all(secret not in str(e.after) + str(e.before) for e in events)


def test_revoking_an_unknown_or_revoked_key_is_an_error() -> None:
    with pytest.raises(CommandError):
        _run("revoke", "nobody")
    _run("create", "app")
    _run("revoke", "app")
    with pytest.raises(CommandError):
        _run("revoke", "app")
    assert AuditEvent.objects.filter(action="open311.key_revoke").count() == 1
