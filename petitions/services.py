"""Writes of the petition line, each audited: cases and petitioners, documents, dispositions, closing, reopening.

The audit log never holds a petitioner's data: events name the case (by its number) and which fields changed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record
from core.privacy import redact
from core.types import Actor
from core.uploads import CleanFile
from matters.models import Channel as MatterChannel
from matters.services import matter_create, matter_transition
from matters.workflow import Action, Status
from petitions.models import (
    CaseDocument,
    CloseWay,
    Closing,
    Disposition,
    DocumentKind,
    PetitionCase,
    Petitioner,
    RefusalGround,
)

PETITION = "petition"
_PETITIONER_FIELDS = ("name", "phone", "id_number", "address")
HIDDEN = "【信访人】"
_NOTE = re.compile(r"[（(][^（()）]*[)）]$")


def anonymised(text: str, petitioners: Sequence[Any]) -> str:
    """The text without these people's (petitioners', parties') names, phones, ID numbers and addresses, numbers
    masked; the people are dicts or records with those fields."""
    for person in petitioners:
        for name in _PETITIONER_FIELDS:
            value = person.get(name, "") if isinstance(person, Mapping) else getattr(person, name, "")
            value = (value or "").strip()
            # A name written with a note (张某某（演示）) is also written without it.
            for variant in {value, _NOTE.sub("", value).strip()}:
                if len(variant) >= 2:
                    text = text.replace(variant, HIDDEN)
    return redact(text)


def _user(actor: Actor) -> Any:
    return actor if actor is not None and actor.is_authenticated else None


def _not_future(value: dt.date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("This date lies in the future.")})


def _check_petitioners(petitioners: Sequence[Mapping[str, Any]]) -> list[Petitioner]:
    if not petitioners:
        raise ValidationError({"petitioners": _("Name at least one petitioner.")})
    rows = []
    for data in petitioners:
        row = Petitioner(**{name: (data.get(name) or "").strip() for name in _PETITIONER_FIELDS})
        row.full_clean(exclude=["case"])
        rows.append(row)
    return rows


def case_create(
    *,
    actor: Actor,
    data: Mapping[str, Any],
    petitioners: Sequence[Mapping[str, Any]],
    ref: str = "",
    registered_at: dt.datetime | None = None,
) -> PetitionCase:
    """Register a backlog case: a matter of kind `petition` (never public) with its case data and petitioners.

    `data` is the CaseForm's data (owners and handling units by id). The matter's problem is the summary without
    the petitioners' details, so that the matter lists and exports never show them. The matter is reported when
    the case is registered (in the running campaign; `registered_at` for records brought in later); the case's own
    dates keep its history.
    """
    rows = _check_petitioners(petitioners)
    summary = str(data.get("summary") or "").strip()
    problem = anonymised(summary, petitioners)[:1000]
    with transaction.atomic():
        matter, _created = matter_create(
            actor=actor,
            problem=problem or _("Petition backlog case"),
            kind=PETITION,
            channel=MatterChannel.PETITION,
            is_public=False,
            kind_data=data,
            reported_at=registered_at,
        )
        case = PetitionCase.objects.get(matter=matter)
        case.ref = ref
        case.public_summary = problem if case.publishable else ""
        case.full_clean()
        case.save(update_fields=["ref", "public_summary"])
        for row in rows:
            row.case = case
            row.save()
        audit_record(
            actor=actor,
            action="petitions.case_create",
            target=case,
            after={
                "matter": matter.code,
                "petitioners": len(rows),
                "owners": sorted(case.owners.values_list("pk", flat=True)),
            },
        )
    return case


def case_update(*, actor: Actor, case: PetitionCase, form: Any) -> list[str]:
    """Save a bound, valid CaseForm on an existing case; the audit names the changed fields, not the summary."""
    changed = list(form.changed_data)
    if not changed:
        return []
    with transaction.atomic():
        saved = form.save(commit=False)
        saved.public_summary = anonymised(saved.summary, list(case.petitioners.all())) if saved.publishable else ""
        saved.full_clean()
        saved.save()
        form.save_m2m()
        if not saved.owners.exists():
            raise ValidationError({"owners": _("A case always has at least one owning leader.")})
        audit_record(actor=actor, action="petitions.case_update", target=saved, after={"fields": sorted(changed)})
    return changed


def petitioner_add(*, actor: Actor, case: PetitionCase, data: Mapping[str, Any]) -> Petitioner:
    (row,) = _check_petitioners([data])
    with transaction.atomic():
        row.case = case
        row.save()
        audit_record(
            actor=actor, action="petitions.petitioner_add", target=case, after={"fields": list(_PETITIONER_FIELDS)}
        )
    return row


def _store(
    case: PetitionCase, kind: str, clean: CleanFile, actor: Actor, disposition: Disposition | None
) -> CaseDocument:
    document = CaseDocument(
        case=case,
        kind=kind,
        disposition=disposition,
        content_type=clean.content_type,
        size=len(clean.content),
        original_name=clean.original_name,
        uploaded_by=_user(actor),
    )
    document.file.save(f"{case.case_number}.{clean.extension}", ContentFile(clean.content), save=False)
    document.full_clean()
    document.save()
    return document


def documents_add(*, actor: Actor, case: PetitionCase, kind: str, files: Sequence[CleanFile]) -> list[CaseDocument]:
    if not files:
        raise ValidationError({"files": _("Choose at least one file.")})
    if kind not in DocumentKind.values:
        raise ValidationError({"kind": _("Choose a kind of document.")})
    with transaction.atomic():
        stored = [_store(case, kind, clean, actor, None) for clean in files]
        audit_record(
            actor=actor, action="petitions.documents_add", target=case, after={"kind": kind, "files": len(stored)}
        )
    return stored


def disposition_add(
    *, actor: Actor, case: PetitionCase, term: str, done: str, done_on: dt.date, evidence: Sequence[CleanFile] = ()
) -> Disposition:
    """Record one term of 三到位一处理 with what was done, its date and its evidence (files, photos)."""
    _not_future(done_on, "done_on")
    with transaction.atomic():
        row = Disposition(case=case, term=term, done=done.strip(), done_on=done_on, recorded_by=_user(actor))
        row.full_clean()
        row.save()
        for clean in evidence:
            _store(case, DocumentKind.OTHER, clean, actor, row)
        audit_record(
            actor=actor,
            action="petitions.disposition_add",
            target=case,
            after={"term": term, "done_on": done_on.isoformat(), "evidence": len(evidence)},
        )
    return row


def case_refuse(
    *, actor: Actor, case: PetitionCase, ground: str, reason: str, notice: Sequence[CleanFile] = ()
) -> PetitionCase:
    """Refuse to accept a petition: the 不予受理告知书 with its ground, the matter declined with the reason."""
    if ground not in RefusalGround.values:
        raise ValidationError({"ground": _("Choose the ground of the refusal.")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Give a reason.")})
    with transaction.atomic():
        case.refusal_ground = ground
        case.save(update_fields=["refusal_ground"])
        for clean in notice:
            _store(case, DocumentKind.NOTICE, clean, actor, None)
        matter_transition(matter=case.matter, action=Action.DECLINE, actor=actor, reason=reason)
        audit_record(actor=actor, action="petitions.case_refuse", target=case, after={"ground": ground})
    case.matter.refresh_from_db()
    return case


def case_close(
    *, actor: Actor, case: PetitionCase, way: str, basis: str, evidence: Sequence[CleanFile] = ()
) -> Closing:
    """Close a verified case by 息诉罢访 or 终结, with its basis: the matter's `close` step, in one transaction."""
    basis = (basis or "").strip()
    if way not in CloseWay.values:
        raise ValidationError({"way": _("Choose how the case ends: the petitioner accepts, or it is terminated.")})
    if not basis:
        raise ValidationError({"basis": _("Give the basis of the closing: the statement recorded or the legal basis.")})
    if way == CloseWay.TERMINATED and case.reexamined_on is None:
        raise ValidationError(
            {"way": _("A case is terminated (终结) only once its re-examination (复核) is concluded.")}
        )
    with transaction.atomic():
        closing = Closing(case=case, way=way, basis=basis, closed_on=timezone.localdate(), recorded_by=_user(actor))
        closing.full_clean()
        closing.save()
        kind = DocumentKind.ACCEPTANCE if way == CloseWay.ACCEPTED else DocumentKind.REEXAMINATION
        for clean in evidence:
            _store(case, kind, clean, actor, None)
        matter_transition(matter=case.matter, action=Action.CLOSE, actor=actor)
        audit_record(
            actor=actor, action="petitions.case_close", target=case, after={"way": way, "evidence": len(evidence)}
        )
    case.matter.refresh_from_db()
    return closing


def case_petitioned_again(*, actor: Actor, case: PetitionCase, on: dt.date) -> PetitionCase:
    """A new petition on a closed case reopens it (the matter returns to work), counted; it is not a new case."""
    _not_future(on, "on")
    if case.matter.status != Status.CLOSED:
        raise ValidationError({"on": _("Only a closed case is reopened by a new petition; this one is still open.")})
    with transaction.atomic():
        closing = case.closings.filter(reopened_on__isnull=True).last()
        if closing is not None:
            closing.reopened_on = on
            closing.save(update_fields=["reopened_on"])
        case.reopened += 1
        case.petition_count += 1
        case.save(update_fields=["reopened", "petition_count"])
        matter_transition(
            matter=case.matter,
            action=Action.RETURN,
            actor=actor,
            reason=_("Petitioned again on %(date)s: the case is reopened.") % {"date": on.isoformat()},
        )
        audit_record(actor=actor, action="petitions.case_reopen", target=case, after={"on": on.isoformat()})
    case.matter.refresh_from_db()
    return case
