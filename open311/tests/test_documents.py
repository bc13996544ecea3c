"""Discovery, the service list and service definitions, in both formats."""

from __future__ import annotations

import pytest
from django.test import Client

from matters.models import Category
from open311.tests.conftest import BASE, assert_schema, error_codes, get_json, parse_xml

pytestmark = pytest.mark.usefixtures("demo")


def test_discovery_lists_this_endpoint_with_the_spec_and_both_formats() -> None:
    body = get_json("discovery.json")
    assert {"changeset", "contact", "key_service", "endpoints"} <= set(body)
    [endpoint] = body["endpoints"]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == "http://testserver/open311/v2/"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    assert endpoint["type"] == "production"


def test_discovery_in_xml_nests_endpoints_and_formats_as_the_spec_shows() -> None:
    root = parse_xml(Client().get(BASE + "discovery.xml"))
    assert root.tag == "discovery"
    endpoint = root.find("endpoints/endpoint")
    assert endpoint is not None
    assert endpoint.findtext("specification") == "http://wiki.open311.org/GeoReport_v2"
    assert [f.text for f in endpoint.findall("formats/format")] == ["text/xml", "application/json"]


def test_discovery_uses_the_configured_site_url_behind_a_proxy(settings) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = "https://minqing.example.org"
    assert get_json("discovery.json")["endpoints"][0]["url"] == "https://minqing.example.org/open311/v2/"


def test_the_base_url_leads_to_discovery() -> None:
    response = Client().get(BASE)
    assert response.status_code == 302 and response["Location"].endswith("/open311/v2/discovery.json")


def test_services_are_the_matter_categories_and_match_the_schema() -> None:
    body = get_json("services.json")
    assert_schema(body, "services.json")
    assert [s["service_code"] for s in body] == list(Category.objects.values_list("code", flat=True))
    roads = body[0]
    assert roads == {
        "service_code": "roads",
        "service_name": "道路交通",
        "description": "道路破损、拓宽、出行隐患",
        "metadata": False,
        "type": "realtime",
        "keywords": "",
        "group": roads["group"],
    }
    assert roads["group"]


def test_services_in_xml_keep_chinese_names_in_utf8() -> None:
    response = Client().get(BASE + "services.xml")
    root = parse_xml(response)
    assert root.tag == "services"
    services = root.findall("service")
    assert len(services) == Category.objects.count()
    assert services[0].findtext("service_name") == "道路交通"
    assert services[0].findtext("metadata") == "false"
    assert "道路交通".encode() in response.content


def test_a_service_definition_matches_the_schema_with_no_attributes() -> None:
    body = get_json("services/environment.json", jurisdiction_id="anything")
    assert_schema(body, "service-definition.json")
    assert body == {"service_code": "environment", "attributes": []}


def test_a_service_definition_in_xml() -> None:
    root = parse_xml(Client().get(BASE + "services/environment.xml"))
    assert root.tag == "service_definition"
    assert root.findtext("service_code") == "environment"
    assert root.find("attributes") is not None


def test_a_new_category_is_a_new_service() -> None:
    Category.objects.create(code="heating", name="供暖", order=99)
    assert "heating" in [s["service_code"] for s in get_json("services.json")]
    assert get_json("services/heating.json")["service_code"] == "heating"


@pytest.mark.parametrize("fmt", ["json", "xml"])
@pytest.mark.parametrize("code", ["potholes", "ROADS", "roads%00", "道路", "x" * 300])
def test_an_unknown_service_code_is_404_in_the_asked_format(fmt: str, code: str) -> None:
    response = Client().get(f"{BASE}services/{code}.{fmt}")
    assert response.status_code == 404
    assert error_codes(response) == [404]


@pytest.mark.parametrize(
    "path",
    [
        "services.html",
        "services.JSON",
        "services.yaml",
        "discovery.",
        "services",
        "services/roads",
        "services/roads.csv",
        "requests.txt",
        "requests/MQ-2022-0001.pdf",
        "tokens/whatever.php",
        "nothing.json",
        "requests/a/b.json",
    ],
)
def test_unknown_formats_and_paths_are_404_with_a_spec_error(path: str) -> None:
    response = Client().get(BASE + path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert error_codes(response) == [404]


def test_get_answers_are_open_to_every_origin_and_typed() -> None:
    for path, content_type in [
        ("discovery.json", "application/json; charset=utf-8"),
        ("services.xml", "text/xml; charset=utf-8"),
        ("services/roads.json", "application/json; charset=utf-8"),
        ("requests.xml", "text/xml; charset=utf-8"),
        ("services/nope.json", "application/json; charset=utf-8"),
    ]:
        response = Client().get(BASE + path)
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Content-Type"] == content_type


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_other_methods_are_refused_with_405(method: str) -> None:
    for path in ["services.json", "requests.json", "discovery.xml"]:
        response = getattr(Client(), method)(BASE + path)
        assert response.status_code == 405
        assert error_codes(response) == [405]
    assert Client().post(BASE + "services.json").status_code == 405
