"""While a resident types, open public matters like theirs are suggested, so they can endorse instead of repeat."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine
from django.test import Client

from matters.models import Matter
from matters.tests.factories import matter_in
from portal import views_raise
from portal.similar import score, similar_matters, tokens

pytestmark = pytest.mark.django_db

FROZEN = "2022-07-15 10:00:00+08:00"
EN: dict[str, Any] = {"HTTP_ACCEPT_LANGUAGE": "en"}
ROAD = "居民反映赵罗路道路较窄，且有破损。"
TYPED = "赵罗路路面破损，出行不方便"


@pytest.fixture(autouse=True)
def _frozen(demo: None):  # type: ignore[no-untyped-def]
    with time_machine.travel(FROZEN, tick=False):
        yield


def test_tokens_leave_out_stop_words_punctuation_digits_and_single_characters() -> None:
    words = tokens("居民反映：3号楼的路灯2022年坏了！！ Street light broken")
    assert {"路灯", "street", "light", "broken"} <= words
    assert not words & {"居民", "反映", "3", "2022", "！", "的", "了"}
    assert all(len(w) >= 2 for w in words)
    assert tokens("   ") == set()


def test_score_is_one_for_the_same_words_and_zero_for_none_in_common() -> None:
    assert score({"赵罗路", "破损"}, {"赵罗路", "破损"}) == 1.0
    assert score({"赵罗路"}, {"路灯"}) == 0.0


def test_a_similar_description_finds_the_open_matter() -> None:
    road = matter_in("assigned", problem=ROAD)
    matter_in("accepted", problem="幼儿园门口路灯晚上不亮")
    assert similar_matters(TYPED) == [road]


def test_unrelated_text_finds_nothing() -> None:
    matter_in("accepted", problem=ROAD)
    assert similar_matters("幼儿园门口路灯晚上不亮，孩子放学看不清") == []
    assert similar_matters("") == []


def test_private_closed_declined_and_merged_matters_are_never_suggested() -> None:
    matter_in("accepted", problem=ROAD, is_public=False)
    matter_in("closed", problem=ROAD)
    matter_in("completed", problem=ROAD)
    matter_in("declined", problem=ROAD)
    merged = matter_in("merged", problem=ROAD)
    assert merged.merged_into is not None  # its target ("另一件相同问题") is open but unrelated
    assert similar_matters(TYPED) == []


def test_the_best_match_comes_first_and_at_most_the_limit_are_given() -> None:
    close = matter_in("accepted", problem="赵罗路路面破损，出行不便")
    far = matter_in("accepted", problem=ROAD)
    assert similar_matters(TYPED) == [close, far]
    for _i in range(6):
        matter_in("accepted", problem=ROAD)
    assert len(similar_matters(TYPED)) == 5
    assert len(similar_matters(TYPED, limit=2)) == 2


def test_the_fragment_lists_code_status_link_and_endorse_button_with_personal_data_masked() -> None:
    matter = matter_in("accepted", problem="赵罗路道路破损，联系人电话13912345678，身份证420102199001011234")
    Matter.objects.filter(pk=matter.pk).update(endorsement_count=3)
    response = Client().get("/report/similar/", {"description": TYPED}, HTTP_HX_REQUEST="true", **EN)
    assert response.status_code == 200
    text = response.content.decode()
    assert matter.code in text and f"/m/{matter.code}/" in text
    assert "Accepted" in text and "3 residents endorsed this" in text
    assert "endorse it instead" in text
    assert f"/m/{matter.code}/endorse/" in text
    assert "13912345678" not in text and "420102199001011234" not in text
    assert "[phone hidden]" in text and "[ID number hidden]" in text
    assert "<html" not in text  # a fragment, not a page


def test_the_fragment_is_empty_for_short_or_unrelated_text() -> None:
    matter_in("accepted", problem=ROAD)
    assert Client().get("/report/similar/", {"description": "路"}).content.decode().strip() == ""
    assert Client().get("/report/similar/", {"description": "食堂饭菜太贵"}).content.decode().strip() == ""


def test_the_form_asks_for_suggestions_while_typing() -> None:
    html = Client().get("/report/").content.decode()
    assert 'hx-get="/report/similar/"' in html
    assert 'hx-trigger="input changed delay:500ms"' in html
    assert 'id="mq-similar"' in html and 'aria-live="polite"' in html


def test_suggestions_are_throttled_loosely(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(views_raise, "SIMILAR_LIMIT", 2)
    client = Client()
    for _i in range(2):
        assert client.get("/report/similar/", {"description": TYPED}).status_code == 200
    assert client.get("/report/similar/", {"description": TYPED}).status_code == 429
