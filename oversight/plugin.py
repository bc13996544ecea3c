"""What the oversight app adds: the monthly review and its publication, the monthly pack, the dashboards, the
assessment, and conduct supervision (signals, clues, investigation, accountability, circulars).
"""

from __future__ import annotations

from core.plugins import DemoOptions, Plugin
from oversight.capabilities import GRANTS


def _demo(options: DemoOptions) -> str:
    from oversight import demo

    return demo.load(options)


PLUGIN = Plugin(
    grants=GRANTS,
    demo=_demo,
    urls=[("oversight/", "oversight.urls")],
    area="Oversight",
)
