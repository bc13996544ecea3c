"""Oversight's models, one module per area; each is imported here so that Django finds it."""

from oversight.models.assessment import *  # noqa: F403
from oversight.models.circulars import *  # noqa: F403
from oversight.models.clues import *  # noqa: F403
from oversight.models.dashboard import *  # noqa: F403
from oversight.models.pack import *  # noqa: F403
from oversight.models.publication import *  # noqa: F403
from oversight.models.reviews import *  # noqa: F403
from oversight.models.signals import *  # noqa: F403
