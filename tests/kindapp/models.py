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
