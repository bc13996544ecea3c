"""What the core adds: the workbench capability that every role holds, and the pages of background jobs."""

from core.capabilities import GRANTS
from core.plugins import Open, Plugin, RouteAccess

PLUGIN = Plugin(
    grants=GRANTS,
    urls=[("", "core.urls")],
    area="Background jobs",
    routes=[
        # A background job answers its owner alone: anyone else, anonymous and administrators too, gets "not
        # found" (core/tests/test_jobs.py), so no capability stands in for it and the row lets everyone reach it.
        RouteAccess(
            name,
            "GET",
            Open.PUBLIC,
            (("pk", "{own_job}"),),
            note="its owner only, 404 for anyone else",
            missing_ok=True,
        )
        for name in ("core:job", "core:job_progress", "core:job_download")
    ]
    + [RouteAccess("core:healthz", "GET", Open.PUBLIC, note="the proxy's health check: ok or 503")],
)
