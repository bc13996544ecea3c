"""What the core adds: the workbench capability that every role holds."""

from core.capabilities import GRANTS
from core.plugins import Plugin

PLUGIN = Plugin(grants=GRANTS)
