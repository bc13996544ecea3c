"""Who is asking: the client's address as the application may trust it, and the address range it belongs to."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# A range is what one household, office or provider usually holds: a /24 of IPv4, a /64 of IPv6 (one site's LAN).
IPV4_RANGE = 24
IPV6_RANGE = 64


def client_address(request: HttpRequest | None) -> str:
    """REMOTE_ADDR; behind a proxy that overwrites X-Forwarded-For (TRUST_X_FORWARDED_FOR), its first hop."""
    if request is None:
        return ""
    address = request.META.get("REMOTE_ADDR", "") or ""
    if getattr(settings, "TRUST_X_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            address = forwarded.split(",")[0].strip()
    return address[:100]


def address_range(address: str) -> str:
    """The /24 (IPv4) or /64 (IPv6) that `address` belongs to; anything unparsable stands for itself."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    prefix = IPV4_RANGE if ip.version == 4 else IPV6_RANGE
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def normal_address(address: str) -> str:
    """One spelling per address (an IPv4-mapped IPv6 address is its IPv4 address), so no spelling escapes a limit."""
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return address
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return str(ip.ipv4_mapped)
    return str(ip)
