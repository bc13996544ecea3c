"""What the API app adds: /api/v1/ itself (the apps add their collections), tokens, the schema and its docs."""

from core.capabilities import CoreCap
from core.plugins import Open, Plugin, RouteAccess, access

PLUGIN = Plugin(
    urls=[("api/v1/", "api.urls")],
    area="REST API (/api/v1/)",
    routes=[
        *access("api:token", Open.PUBLIC, "POST"),
        *access("api:schema", Open.PUBLIC),
        *access("api:docs", Open.PUBLIC),
        *access("api:api-root", CoreCap.WORKBENCH),
        RouteAccess("api:not_found", "GET", Open.PUBLIC, path="/api/v1/no.such/endpoint/", missing_ok=True),
    ],
)
