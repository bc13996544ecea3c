"""A trial kind's own data: the site of the trial and how many households it concerns."""

from django.db import models

from matters.models import Matter


class TrialDetail(models.Model):
    matter = models.OneToOneField(Matter, on_delete=models.CASCADE, related_name="trial_detail")
    site = models.CharField("site", max_length=100)
    households = models.PositiveIntegerField("households")
    steps_seen = models.PositiveIntegerField("steps seen", default=0)

    def __str__(self) -> str:
        return self.site


class TrialVisit(models.Model):
    """What a household visit of the trial recorded: the site and the households it reached."""

    visit = models.OneToOneField("fieldwork.Visit", on_delete=models.CASCADE, related_name="trial_visit")
    site = models.CharField("site", max_length=100)
    households = models.PositiveIntegerField("households")

    def __str__(self) -> str:
        return self.site
