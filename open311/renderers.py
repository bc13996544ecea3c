"""Write the serializers' dicts in the two formats of the spec: JSON and XML (UTF-8, with a declaration)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET  # only to write XML, never to parse it
from decimal import Decimal
from typing import Any

JSON = "json"
XML = "xml"
FORMATS = (JSON, XML)
CONTENT_TYPES = {JSON: "application/json; charset=utf-8", XML: "text/xml; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# The element name of each item of a nested list, as in the spec's XML examples.
ITEM_TAGS = {"endpoints": "endpoint", "formats": "format", "attributes": "attribute", "values": "value"}
# Characters XML 1.0 cannot carry at all: left out rather than writing a document no parser accepts.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def render_json(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, default=str).encode("utf-8")


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int | Decimal):
        return str(value)
    return _NOT_XML.sub("", str(value))


def _fill(element: ET.Element, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            if isinstance(child, list):
                holder = ET.SubElement(element, key)
                for item in child:
                    _fill(ET.SubElement(holder, ITEM_TAGS.get(key, "item")), item)
            else:
                _fill(ET.SubElement(element, key), child)
    else:
        element.text = _text(value)


def render_xml(payload: Any, *, root: str, item: str = "") -> bytes:
    """A list becomes <root><item>…</item>…</root>; a dict becomes <root>…</root>."""
    top = ET.Element(root)
    if isinstance(payload, list):
        for entry in payload:
            _fill(ET.SubElement(top, item), entry)
    else:
        _fill(top, payload)
    return (XML_DECLARATION + ET.tostring(top, encoding="unicode")).encode("utf-8")


def render(fmt: str, payload: Any, *, root: str, item: str = "") -> bytes:
    return render_json(payload) if fmt == JSON else render_xml(payload, root=root, item=item)
