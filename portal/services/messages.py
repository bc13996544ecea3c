"""Residents are told: a text message to the reporter of a matter when it is accepted or declined, and when it is
completed (with the link to rate it).

One message per step (a step taken again, after a redo, is not told twice), at most one a day per matter (a step
that finds the day's message already sent waits for the next day, when `resident_messages_send` sends it), none if
the reporter left no mobile number or asked for none on the form (`Matter.reporter_no_sms`). matters tells the portal
of each committed step through its extension point "matters.step" (portal/plugin.py); nothing here is called inside
the step's transaction, and a gateway that fails leaves the message waiting for the next run.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matters.models import Matter
from matters.selectors import matters_public
from matters.workflow import FINISHED, Action
from portal.models import ResidentMessage, ResidentStep
from portal.sms import SmsError, send_sms

log = logging.getLogger("minqing.sms")

STEPS = {
    Action.ACCEPT: ResidentStep.ACCEPTED,
    Action.DECLINE: ResidentStep.DECLINED,
    Action.COMPLETE: ResidentStep.COMPLETED,
}
MOBILE = re.compile(r"^(?:\+?86)?(1[3-9]\d{9})$")
MAX_TRIES = 5


def mobile_of(phone: str) -> str | None:
    """The mainland mobile number in what the reporter typed (spaces, dashes, +86 allowed), or None (a landline)."""
    found = MOBILE.match(re.sub(r"[\s\-()]", "", phone or ""))
    return found.group(1) if found else None


def resident_step_told(matter_id: int, action: Action) -> ResidentMessage | None:
    """After a committed step: record the message to the reporter if the step is one they are told of, and send it
    if today's message of the matter is not sent yet. Returns the message recorded, or None."""
    step = STEPS.get(Action(action))
    if step is None:
        return None
    matter = Matter.objects.filter(pk=matter_id).only("id", "reporter_phone", "reporter_no_sms").first()
    if matter is None or matter.reporter_no_sms or mobile_of(matter.reporter_phone) is None:
        return None
    try:
        with transaction.atomic():
            message, created = ResidentMessage.objects.get_or_create(
                matter=matter, step=step, defaults={"created_at": timezone.now()}
            )
    except IntegrityError:  # the same step told twice at once: the other one has it
        return None
    if not created:
        return None  # one message per step
    _send_if_due(message.pk)
    message.refresh_from_db()
    return message


def resident_messages_send(now: dt.datetime | None = None) -> int:
    """Send the messages that waited (a second step the same day, a gateway that failed); returns how many were sent."""
    sent = 0
    waiting = ResidentMessage.objects.filter(sent_at__isnull=True, tries__lt=MAX_TRIES).values_list("pk", flat=True)
    for pk in list(waiting):
        sent += _send_if_due(pk, now=now)
    return sent


def _send_if_due(message_pk: int, *, now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        message = ResidentMessage.objects.select_for_update().select_related("matter").filter(pk=message_pk).first()
        if message is None or message.sent_at is not None:
            return 0
        matter = Matter.objects.select_for_update().get(pk=message.matter_id)  # one sender per matter at a time
        if ResidentMessage.objects.filter(matter=matter, sent_on=today).exists():
            return 0  # today's message is sent: this one waits for tomorrow
        phone = mobile_of(matter.reporter_phone)
        if phone is None or matter.reporter_no_sms:
            message.tries = MAX_TRIES  # nothing to send to any more
            message.save(update_fields=["tries"])
            return 0
        message.tries += 1
        try:
            send_sms(phone, message_text(matter, ResidentStep(message.step)))
        except SmsError:
            log.warning("SMS to the reporter of matter %s not sent (try %d)", matter.pk, message.tries)
            message.save(update_fields=["tries"])
            return 0
        message.sent_at, message.sent_on = now, today
        message.save(update_fields=["tries", "sent_at", "sent_on"])
    return 1


def _link(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def message_text(matter: Matter, step: ResidentStep) -> str:
    """The message, in the site's language: the matter's code and where to follow or rate it; no personal data."""
    follow = (
        _link(reverse("portal:track", kwargs={"tracking_code": matter.tracking_code}))
        if matter.tracking_code
        else _link(reverse("portal:track_form"))
    )
    with translation.override(settings.LANGUAGE_CODE):
        if step == ResidentStep.ACCEPTED:
            return _(
                "Minqing: your report %(code)s was accepted and will be handed to the responsible unit. Follow it: %(link)s"
            ) % {"code": matter.code, "link": follow}
        if step == ResidentStep.DECLINED:
            return _("Minqing: your report %(code)s was not accepted. The reason: %(link)s") % {
                "code": matter.code,
                "link": follow,
            }
        rateable = matter.status in FINISHED and matters_public().filter(pk=matter.pk).exists()
        rate = _link(reverse("portal:rate", kwargs={"code": matter.code})) if rateable else follow
        return _("Minqing: the work on your report %(code)s is done. Please rate it: %(link)s") % {
            "code": matter.code,
            "link": rate,
        }
