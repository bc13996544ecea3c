"""What the portal adds: the public side, no login, and the demo's endorsements and ratings."""

from typing import Any

from core.plugins import DemoOptions, Open, Plugin, access
from matters.services.notify import STEP_POINT, StepListener

PUBLIC = Open.PUBLIC


def _demo(options: DemoOptions) -> str:
    if not options.full:
        return ""
    from portal import demo

    counts = demo.load()
    return f"Demo engagement: {counts['endorsements']} endorsements and {counts['ratings']} ratings added."


def _resident_told(matter_id: int, action: Any) -> None:
    from portal.services.messages import resident_step_told

    resident_step_told(matter_id, action)


PLUGIN = Plugin(
    demo=_demo,
    # The reporter is told of their matter's steps by text message (portal.services.messages).
    extensions={STEP_POINT: [StepListener(key="portal.resident_sms", after_step=_resident_told)]},
    urls=[("", "portal.urls")],
    area="Public portal",
    routes=[
        *access("portal:home", PUBLIC),
        *access("portal:elder", PUBLIC, "POST"),
        *access("portal:list", PUBLIC, list_kind="problems"),
        *access("portal:matter", PUBLIC, code="{public_code}"),
        *access("portal:evidence", PUBLIC, code="{public_code}", token="{evidence}"),  # noqa: S106
        *access("portal:raise", PUBLIC, "GET POST"),
        *access("portal:raise_done", PUBLIC),
        *access("portal:similar", PUBLIC, query="description=streetlight+broken+for+a+week"),
        *access("portal:track_form", PUBLIC),
        *access("portal:track", PUBLIC, tracking_code="{tracking_code}"),
        *access("portal:endorse", PUBLIC, "POST", code="{public_code}"),
        *access("portal:endorse_phone", PUBLIC, "GET POST", code="{public_code}"),
        *access("portal:endorse_code", PUBLIC, "POST", code="{public_code}"),
        *access("portal:rate", PUBLIC, "GET POST", code="{done_code}"),
        *access("portal:rate_code", PUBLIC, "GET POST", code="{done_code}"),
        *access("portal:poster_png", PUBLIC, code="{done_code}", note="download"),
        *access("portal:poster_pdf", PUBLIC, code="{done_code}", note="download"),
        *access("portal:published_list", PUBLIC),
        *access("portal:published_month", PUBLIC, month="{published_month}"),
        *access("portal:published_version", PUBLIC, month="{published_month}", version="1"),
        *access("portal:clue", PUBLIC, "GET POST"),
        *access("portal:clue_done", PUBLIC),
        *access("portal:clue_track_form", PUBLIC),
        *access("portal:clue_track", PUBLIC, tracking_code="{clue_tracking_code}"),
    ],
)
