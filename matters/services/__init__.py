"""All writes to matters, by sub-domain; nothing else writes a matter's status.

- `create`: registering a matter (`matter_create`), its code and tracking code;
- `transitions`: every workflow step (`matter_transition`, `matters_bulk_assign`);
- `extensions`: more time asked and decided (`extension_request`, `extension_decide`);
- `engagement`: what the public's endorsements and ratings change on a matter (its counters, the redo flag);
- `categories`: a category's time limits (`category_limits_set`);
- `attachments`, `location`, `notify`, `reads`: evidence, the public site location, who is told, reads on record.

The names below are the matters app's public hooks: other apps call these, never the modules' private parts.
"""

from matters.services.attachments import attachment_store
from matters.services.categories import category_limits_set
from matters.services.common import Conflict, InvalidTransition
from matters.services.create import TRACKING_ALPHABET, matter_create, new_tracking_code
from matters.services.engagement import matter_endorsement_counted, matter_rating_counted, matter_redo_flag
from matters.services.extensions import extension_decide, extension_request
from matters.services.location import matter_site_location_set
from matters.services.notify import lead_users, responsible_users
from matters.services.reads import matters_listed
from matters.services.transitions import check_deadline, check_responsible_units, matter_transition, matters_bulk_assign

__all__ = [
    "TRACKING_ALPHABET",
    "Conflict",
    "InvalidTransition",
    "attachment_store",
    "category_limits_set",
    "check_deadline",
    "check_responsible_units",
    "extension_decide",
    "extension_request",
    "lead_users",
    "matter_create",
    "matter_endorsement_counted",
    "matter_rating_counted",
    "matter_redo_flag",
    "matter_site_location_set",
    "matter_transition",
    "matters_bulk_assign",
    "matters_listed",
    "new_tracking_code",
    "responsible_users",
]
