"""The values and helpers the form fuzzers share: uploads that lie, phones in every script, signed-in clients."""


from __future__ import annotations

import io
import re
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from hypothesis import strategies as st
from PIL import Image

EXAMPLES = 50
PASSWORD = "demo-pass-2026"
# Refused logins are counted and audited on purpose: the lockout.
LOGIN_RECORDS = frozenset({"AccountLock", "LoginBlock", "AuditEvent"})
ASCII_PHONE = re.compile(r"^[0-9-]*$")
# A page that shows personal data (a reporter, a household) records the read.
READ_RECORDS = frozenset({"AuditEvent"})



# --- values -----------------------------------------------------------------------------------------------


def image_bytes(fmt: str, size: tuple[int, int] = (8, 6), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, "red" if mode == "RGB" else 1).save(out, format=fmt)
    return out.getvalue()


PNG, JPEG, WEBP, GIF = image_bytes("PNG"), image_bytes("JPEG"), image_bytes("WEBP"), image_bytes("GIF", mode="P")
# A 1-bit image of 12,000 × 12,000 pixels: a few kilobytes that decode to 144 megapixels.
BOMB = image_bytes("PNG", (12_000, 12_000), mode="1")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
UPLOADS: list[tuple[str, bytes]] = [
    ("photo.png", PNG),
    ("photo.jpg", JPEG),
    ("photo.webp", WEBP),
    ("photo.gif", GIF),
    ("photo.jpg", PNG),  # a PNG named .jpg: judged by its content
    ("photo.png", PNG[:60]),  # truncated
    ("photo.jpg", JPEG[: len(JPEG) // 2]),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64),  # the signature and nothing else
    ("bomb.png", BOMB),
    ("scan.pdf", PDF),
    ("scan.pdf", PDF[:20]),
    ("empty.jpg", b""),
    ("evil.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    ("archive.zip", b"PK\x03\x04" + b"\x00" * 40),
    ("名字 😀 <b>.png", PNG),
    ("../../etc/passwd", PNG),
    ("x" * 300 + ".png", PNG),
]


def uploads() -> st.SearchStrategy[SimpleUploadedFile]:
    named = st.sampled_from(UPLOADS)
    random = st.tuples(st.sampled_from(["a.jpg", "a.png", "a.pdf", "a"]), st.binary(max_size=300))
    return st.one_of(named, random).map(
        lambda item: SimpleUploadedFile(item[0], item[1], content_type="application/octet-stream")
    )


def phones() -> st.SearchStrategy[str]:
    mobile = st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True)
    return st.one_of(
        mobile,
        mobile.map(lambda p: f"+86 {p[:3]} {p[3:7]} {p[7:]}"),
        st.from_regex(r"0[0-9]{2,3}-[0-9]{7,8}", fullmatch=True),
        st.sampled_from(["１３９１２３４５６７８", "1٣٩١٢٣٤٥٦٧٨", "13912345678\n", "139 1234 5678 9"]),
    )


def optional_box() -> st.SearchStrategy[str]:
    return st.sampled_from(["on", "", "off", "1", "true"])


def digits_only(value: str) -> str:
    return re.sub(r"\s", "", value)


# --- helpers ----------------------------------------------------------------------------------------------


def login_as(username: str) -> Client:
    client = Client(raise_request_exception=True)
    client.force_login(get_user_model().objects.get(username=username))
    return client


def assert_answered(response: Any, context: Any = "") -> None:
    assert response.status_code < 500, f"{response.status_code} for {context!r}"


