"""What Open311 adds: GeoReport v2 under /open311/v2/, public reads, submissions with a client key."""

from core.plugins import Open, Plugin, RouteAccess, access

PUBLIC = Open.PUBLIC

PLUGIN = Plugin(
    urls=[("open311/v2/", "open311.urls")],
    area="Open311 GeoReport v2 (/open311/v2/)",
    routes=[
        *access("open311:root", PUBLIC),
        *access("open311:discovery", PUBLIC, fmt="json"),
        *access("open311:services", PUBLIC, fmt="json"),
        *access("open311:service", PUBLIC, service_code="{service_code}", fmt="json"),
        *access("open311:requests", PUBLIC, fmt="json"),
        *access("open311:requests", Open.API_KEY, "POST", fmt="json"),
        *access("open311:request", PUBLIC, request_id="{public_code}", fmt="json"),
        *access("open311:token", PUBLIC, token="{open311_token}", fmt="json"),  # noqa: S106
        RouteAccess("open311:not_found", "GET", PUBLIC, path="/open311/v2/no/such/endpoint", missing_ok=True),
    ],
)
