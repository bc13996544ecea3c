"""All writes of field work: visits (with their photos and the matters they raise) and dual registration."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_list_view, audit_record, audit_view, snapshot
from core import imagehash
from core.exceptions import NotAllowed
from core.roles import Role, user_roles
from core.types import Actor
from core.uploads import CleanFile, check_clean_files
from core.validators import plain_text_validator
from fieldwork.extensions import extensions_save
from fieldwork.models import PlaceKind, Registration, RegistrationReport, Visit, VisitKind, VisitPhoto
from fieldwork.selectors import is_visit_author, visit_is_private
from matters.models import Category, Channel
from matters.services import matter_create
from org.models import ContactPoint, Person, Unit, UnitKind

MAX_DAY_HOURS = Decimal(24)
MAX_RAISED = 3
DELETE_WINDOW = dt.timedelta(days=7)
TENTH = Decimal("0.1")

# Places that are a unit, and the kind of unit each one needs.
UNIT_PLACES = {
    PlaceKind.COMMUNITY: UnitKind.COMMUNITY,
    PlaceKind.ENTERPRISE: UnitKind.ENTERPRISE,
    PlaceKind.COMPOUND: UnitKind.COMPOUND,
}


@dataclass(frozen=True)
class RaisedMatter:
    """A problem found on a visit: it becomes a matter with channel "visit", linked to the visit."""

    problem: str
    category: Category | None = None
    location: str = ""


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _plain(errors: dict[str, list[str]], field: str, value: str) -> None:
    try:
        plain_text_validator(value)
    except ValidationError as exc:
        errors.setdefault(field, []).extend(exc.messages)


def _hours(
    errors: dict[str, list[str]], hours: Decimal | None, start: dt.time | None, end: dt.time | None
) -> Decimal | None:
    """The hours of a visit: given, or derived from its start and end (rounded to a tenth of an hour)."""
    span: Decimal | None = None
    if start is not None and end is not None:
        if end <= start:
            errors["end_time"] = [_("The end must be after the start.")]
            return None
        minutes = (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)
        span = (Decimal(minutes) / 60).quantize(TENTH, rounding=ROUND_HALF_UP)
    if hours is None:
        if span is None:
            missing = "end_time" if start is not None else "start_time" if end is not None else "hours"
            errors[missing] = [_("Give the hours, or both the start and the end time.")]
            return None
        hours = span
    try:
        hours = Decimal(hours).quantize(TENTH, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError, TypeError):
        errors["hours"] = [_("Give the hours as a number, such as 2.5.")]
        return None
    if hours <= 0:
        errors["hours"] = [_("The hours must be more than 0.")]
    elif hours > MAX_DAY_HOURS:
        errors["hours"] = [_("A visit lasts at most 24 hours.")]
    elif span is not None and hours > span:
        errors["hours"] = [
            _("%(hours)s hours do not fit between the start and the end (%(span)s hours).")
            % {"hours": hours, "span": span}
        ]
    return hours


def _place(
    errors: dict[str, list[str]],
    place_kind: str,
    unit: Unit | None,
    contact_point: ContactPoint | None,
    place_detail: str,
) -> tuple[Unit | None, ContactPoint | None, str]:
    """Check that the place matches its kind; return the (unit, contact point, details) to keep."""
    if place_kind in UNIT_PLACES:
        wanted = UNIT_PLACES[PlaceKind(place_kind)]
        if unit is None:
            errors["unit"] = [_("Choose the %(place)s visited.") % {"place": PlaceKind(place_kind).label}]
        elif unit.kind != wanted:
            errors["unit"] = [
                _("“%(unit)s” is not a %(place)s: choose a place of the kind given.")
                % {"unit": unit.name, "place": PlaceKind(place_kind).label}
            ]
        return unit, None, place_detail
    if place_kind == PlaceKind.CONTACT_POINT:
        if contact_point is None:
            errors["contact_point"] = [_("Choose the contact point visited.")]
            return None, None, place_detail
        return contact_point.unit, contact_point, place_detail
    if place_kind in (PlaceKind.HOUSEHOLD, PlaceKind.OTHER):
        if not place_detail:
            errors["place_detail"] = [_("Say where the visit took place.")]
        return None, None, place_detail
    errors["place_kind"] = [_("Unknown place: choose one of the kinds of place offered.")]
    return None, None, place_detail


def _audit_after(visit: Visit, photos: int) -> dict[str, Any]:
    """What the audit log keeps of a visit: never the household details or the notes (personal data)."""
    return {
        "person": visit.person_id,
        "date": visit.date.isoformat(),
        "kind": visit.kind,
        "place_kind": visit.place_kind,
        "unit": visit.unit_id,
        "contact_point": visit.contact_point_id,
        "hours": str(visit.hours),
        "participants": visit.participants,
        "late_entry": bool(visit.late_reason),  # the reason itself is free text: kept with the visit only
        "photos": photos,
        "matters": [m.code for m in visit.matters.all()],
        "import_key": visit.import_key,
    }


def visit_create(
    *,
    actor: Actor,
    person: Person,
    date: dt.date,
    kind: str,
    place_kind: str,
    unit: Unit | None = None,
    contact_point: ContactPoint | None = None,
    place_detail: str = "",
    hours: Decimal | None = None,
    start_time: dt.time | None = None,
    end_time: dt.time | None = None,
    participants: int = 1,
    notes: str = "",
    late_reason: str = "",
    photos: Sequence[CleanFile] = (),
    raised: Sequence[RaisedMatter] = (),
    import_key: str = "",
    now: dt.datetime | None = None,
    extensions: Mapping[str, dict[str, Any]] | None = None,
) -> Visit:
    """Record a visit, its photos and the matters raised on it, in one transaction; a repeated import key returns
    the visit already recorded.

    Refuses (ValidationError by field) an end not after the start, hours outside (0, 24], more than 24 hours in a day
    for the person, a time overlapping another visit of the person (named in the message), a date in the future, a
    visit entered more than settings.VISIT_LATE_DAYS after its date without a reason (补录原因), a place that does not
    match its kind, files that are not images and markup.
    `extensions` is what domain apps add to visits of this kind, by extension key (fieldwork.extensions); each
    extension's save runs in the same transaction.
    """
    import_key = (import_key or "").strip()
    if import_key:
        existing = Visit.objects.filter(import_key=import_key).first()
        if existing is not None:
            return existing
    now = now or timezone.now()
    place_detail = (place_detail or "").strip()
    notes = (notes or "").strip()
    late_reason = (late_reason or "").strip()
    errors: dict[str, list[str]] = {}

    if date > timezone.localdate(now):
        errors["date"] = [_("The visit date cannot be in the future.")]
    late = late_entry_days(date, now)
    if late and not late_reason:
        errors["late_reason"] = [
            _(
                "This visit is entered %(days)d days after its date (more than %(limit)d): give the reason for the "
                "late entry (补录原因)."
            )
            % {"days": late, "limit": settings.VISIT_LATE_DAYS}
        ]
    if not late:
        late_reason = ""  # entered in time: nothing to explain
    _plain(errors, "late_reason", late_reason)
    if kind not in VisitKind.values:
        errors["kind"] = [_("Unknown kind of visit.")]
    hours = _hours(errors, hours, start_time, end_time)
    unit, contact_point, place_detail = _place(errors, place_kind, unit, contact_point, place_detail)
    _plain(errors, "place_detail", place_detail)
    _plain(errors, "notes", notes)
    if participants is None or participants < 0:
        errors["participants"] = [_("The number of participants cannot be negative.")]
    photo_errors = check_clean_files(photos, images_only=True)
    if photo_errors:
        errors["photos"] = photo_errors
    if len(raised) > MAX_RAISED:
        errors["raised"] = [_("Raise at most %(n)d problems with one visit.") % {"n": MAX_RAISED}]
    for item in raised:
        if not item.problem.strip():
            errors["raised"] = [_("Describe each problem found.")]
        _plain(errors, "raised", item.problem)
        _plain(errors, "raised", item.location)
    if errors:
        raise ValidationError(errors)
    assert hours is not None  # set whenever there is no error

    try:
        with transaction.atomic():
            # Lock the person so that two entries at once cannot together pass the 24 hours of a day.
            Person.objects.select_for_update().filter(pk=person.pk).first()
            logged = Visit.objects.filter(person=person, date=date).aggregate(total=Sum("hours"))["total"]
            if (logged or 0) + hours > MAX_DAY_HOURS:
                raise ValidationError(
                    {
                        "hours": _(
                            "That would make more than 24 hours in a day: %(logged)s hours are already logged "
                            "for %(date)s."
                        )
                        % {"logged": logged, "date": date.isoformat()}
                    }
                )
            _refuse_overlap(person, date, start_time, end_time)
            visit = Visit(
                person=person,
                date=date,
                start_time=start_time,
                end_time=end_time,
                hours=hours,
                kind=kind,
                place_kind=place_kind,
                unit=unit,
                contact_point=contact_point,
                place_detail=place_detail,
                participants=participants,
                notes=notes,
                late_reason=late_reason,
                entered_at=now,
                created_by=_user(actor),
                import_key=import_key,
            )
            visit.full_clean()
            visit.save()
            for photo in photos:
                _photo_store(visit, photo)
            # A household's description stays with the visit: matters may be published, so it is not their place.
            default_location = "" if place_kind in (PlaceKind.HOUSEHOLD, PlaceKind.OTHER) else visit.place_label
            for item in raised:
                matter, _created = matter_create(
                    actor=actor,
                    problem=item.problem,
                    channel=Channel.VISIT,
                    category=item.category,
                    location=item.location.strip() or default_location,
                    reported_at=now,
                )
                visit.matters.add(matter)
            # What domain apps add to visits of this kind (fieldwork.extensions), in the same transaction.
            extensions_save(visit, extensions or {}, actor)
            audit_record(
                actor=actor,
                action="fieldwork.visit_create",
                target=visit,
                after=_audit_after(visit, len(photos)),
                label=f"{visit.person} {visit.date} {visit.get_kind_display()}",
            )
    except IntegrityError:
        # A concurrent import with the same key won the race: answer with its visit.
        if import_key:
            existing = Visit.objects.filter(import_key=import_key).first()
            if existing is not None:
                return existing
        raise
    return visit


def late_entry_days(date: dt.date, now: dt.datetime) -> int:
    """How many days after its date a visit entered at `now` is, if more than settings.VISIT_LATE_DAYS; else 0."""
    days = (timezone.localdate(now) - date).days
    return days if days > settings.VISIT_LATE_DAYS else 0


def _refuse_overlap(person: Person, date: dt.date, start: dt.time | None, end: dt.time | None) -> None:
    """One person is in one place at a time: a visit whose times overlap another of theirs is refused, naming it.
    Visits given only in hours have no times to compare."""
    if start is None or end is None:
        return
    other = (
        Visit.objects.filter(person=person, date=date, start_time__lt=end, end_time__gt=start)
        .select_related("unit", "contact_point")
        .order_by("start_time")
        .first()
    )
    if other is None:
        return
    assert other.start_time is not None and other.end_time is not None  # the filter compared both
    raise ValidationError(
        {
            "start_time": _(
                "This overlaps another visit of %(person)s on %(date)s: %(kind)s, %(start)s–%(end)s (visit %(id)d)."
            )
            % {
                "person": person.display_name,
                "date": date.isoformat(),
                "kind": other.get_kind_display(),
                "start": other.start_time.strftime("%H:%M"),
                "end": other.end_time.strftime("%H:%M"),
                "id": other.pk,
            }
        }
    )


def _photo_store(visit: Visit, clean: CleanFile) -> VisitPhoto:
    photo = VisitPhoto(
        visit=visit,
        content_type=clean.content_type,
        size=len(clean.content),
        sha256=imagehash.sha256(clean.content),
        phash=imagehash.phash(clean.content),
    )
    photo.file.save(f"visit-{visit.pk}.{clean.extension}", ContentFile(clean.content), save=False)
    photo.save()
    return photo


def visits_viewed(*, actor: Actor, visits: Sequence[Visit], photos: bool = False) -> int:
    """Record who was shown the household details of visits they did not make; return how many were recorded.

    A visit to a household or a petitioner's home carries residents' personal data (its place, notes, photos).
    """
    recorded = 0
    for visit in visits:
        if actor is None or not visit_is_private(visit) or is_visit_author(actor, visit):
            continue
        shown = [name for name in ("place_detail", "notes") if getattr(visit, name)] + (["photos"] if photos else [])
        audit_view(actor=actor, action="fieldwork.view_visit", target=visit, fields=shown)
        recorded += 1
    return recorded


def visits_listed(*, actor: Actor, shown: Sequence[tuple[Visit, Sequence[str]]]) -> int:
    """Record one event for a page of visits (the visit list, a page of the API) that showed residents' details of
    visits the viewer did not make; `shown` pairs each visit with the fields the page showed. Returns how many."""
    ids: list[int] = []
    fields: set[str] = set()
    for visit, names in shown:
        present = [name for name in names if getattr(visit, name)]
        if actor is None or not present or not visit_is_private(visit) or is_visit_author(actor, visit):
            continue
        ids.append(visit.pk)
        fields.update(present)
    audit_list_view(actor=actor, action="fieldwork.view_visits", model=Visit, ids=ids, fields=sorted(fields))
    return len(ids)


def registrations_listed(*, actor: Actor, registrations: Sequence[Registration]) -> int:
    """Record one event for a list of dual registrations shown: where each cadre lives (their residential community).

    One's own registration is not recorded."""
    from fieldwork.selectors import person_of

    me = person_of(actor) if actor is not None else None
    ids = [r.pk for r in registrations if me is None or r.person_id != me.pk]
    audit_list_view(
        actor=actor, action="fieldwork.view_registrations", model=Registration, ids=ids, fields=["community"]
    )
    return len(ids)


def visit_may_delete(actor: Actor, visit: Visit, now: dt.datetime | None = None) -> bool:
    """Its author (the person, or whoever entered it) or a coordinator, within 7 days of its entry."""
    if actor is None or not actor.is_authenticated:
        return False
    now = now or timezone.now()
    if now - visit.entered_at > DELETE_WINDOW:
        return False
    person = getattr(actor, "person", None)
    is_author = (person is not None and person.pk == visit.person_id) or visit.created_by_id == actor.pk
    return is_author or Role.COORDINATOR in user_roles(actor)


def visit_delete(*, actor: Actor, visit: Visit, now: dt.datetime | None = None) -> None:
    """Delete a visit entered by mistake; the matters it raised stay, they follow their own loop."""
    if not visit_may_delete(actor, visit, now):
        raise NotAllowed(
            _("Only the author or the coordination team may delete a visit, and only within 7 days of its entry.")
        )
    with transaction.atomic():
        files = [photo.file.name for photo in visit.photos.all()]
        before = snapshot(visit, ["person", "date", "kind", "place_kind", "unit", "contact_point", "hours"])
        before["matters"] = [m.code for m in visit.matters.all()]
        audit_record(
            actor=actor,
            action="fieldwork.visit_delete",
            target=visit,
            before=before,
            label=f"{visit.person} {visit.date} {visit.get_kind_display()}",
        )
        visit.delete()
        storage = VisitPhoto._meta.get_field("file").storage  # type: ignore[attr-defined]

        def remove_files() -> None:
            for name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)


def registration_set(*, actor: Actor, person: Person, community: Unit, registered_on: dt.date) -> Registration:
    """双报到: register a person with their residential community; registering again moves the registration."""
    if community.kind != UnitKind.COMMUNITY:
        raise ValidationError({"community": _("“%(unit)s” is not a community.") % {"unit": community.name}})
    if registered_on > timezone.localdate():
        raise ValidationError({"registered_on": _("The registration date cannot be in the future.")})
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(person=person).first()
        if registration is None:
            registration = Registration(person=person, community=community, registered_on=registered_on)
            registration.full_clean()
            registration.save()
            audit_record(
                actor=actor, action="fieldwork.registration_set", target=registration, after=snapshot(registration)
            )
            return registration
        if registration.community_id == community.pk and registration.registered_on == registered_on:
            return registration
        before = snapshot(registration, ["community", "registered_on"])
        registration.community = community
        registration.registered_on = registered_on
        registration.full_clean()
        registration.save()
        audit_record(
            actor=actor,
            action="fieldwork.registration_set",
            target=registration,
            before=before,
            after=snapshot(registration, ["community", "registered_on"]),
        )
    return registration


def registration_report_file(
    *,
    actor: Actor,
    registration: Registration,
    period_start: dt.date,
    period_end: dt.date,
    text: str,
    now: dt.datetime | None = None,
) -> RegistrationReport:
    """双报告: file a registered person's report to their residential community for a period."""
    now = now or timezone.now()
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if period_end < period_start:
        errors["period_end"] = [_("The period must end on or after its start.")]
    elif period_start > timezone.localdate(now):
        errors["period_start"] = [_("The period cannot start in the future.")]
    if not text:
        errors["text"] = [_("Write what you did for the community.")]
    _plain(errors, "text", text)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = RegistrationReport(
            registration=registration, period_start=period_start, period_end=period_end, text=text, filed_at=now
        )
        report.full_clean()
        report.save()
        audit_record(
            actor=actor,
            action="fieldwork.registration_report",
            target=report,
            after={
                "registration": registration.pk,
                "period_start": period_start.isoformat(),
                "period_end": period_end.isoformat(),
            },
        )
    return report
