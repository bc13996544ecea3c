"""The demo gives the portal a public voice: endorsements and anonymous support, ratings, and one matter residents
want redone."""

from __future__ import annotations

import io

import pytest
import time_machine
from django.core.management import call_command
from django.db.models import Sum

from matters.models import Matter
from portal.models import Endorsement, EndorsementKind, Rating

pytestmark = pytest.mark.django_db


def test_demo_adds_endorsements_ratings_and_one_redo_flag_once(demo: None) -> None:
    with time_machine.travel("2022-08-20 10:00:00+08:00", tick=False):
        out = io.StringIO()
        call_command("load_demo", shift_months=0, stdout=out)
        assert "endorsements" in out.getvalue()
        endorsements, ratings = Endorsement.objects.count(), Rating.objects.count()
        verified = Endorsement.objects.filter(kind=EndorsementKind.VERIFIED).count()
        assert verified > 10 and endorsements > verified and ratings > 10  # anonymous support besides
        totals = Matter.objects.aggregate(e=Sum("endorsement_count"), d=Sum("rated_dissatisfied"))
        assert totals["e"] == verified
        assert Matter.objects.filter(redo_flagged_at__isnull=False).count() == 1
        call_command("load_demo", shift_months=0, stdout=io.StringIO())
    assert (Endorsement.objects.count(), Rating.objects.count()) == (endorsements, ratings)
