"""A background job's row, and the claims that make a periodic job run once per period."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """Work that left the request: an export, an import, a batch of reports. It belongs to whoever started it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("started by"), on_delete=models.CASCADE, related_name="jobs"
    )
    kind = models.CharField(_("kind"), max_length=60)
    title = models.CharField(_("title"), max_length=200)  # what the job page calls it, in its owner's language
    language = models.CharField(_("language"), max_length=10)  # the owner's: the job's texts are written in it
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    input = models.FileField(_("input file"), upload_to="jobs/input/", blank=True)  # removed when the job ends
    input_name = models.CharField(_("input file name"), max_length=255, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED)
    stage = models.CharField(_("stage"), max_length=100, blank=True)  # an English msgid, shown translated
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows in all"), default=0)
    message = models.TextField(_("outcome"), blank=True)
    error = models.TextField(_("error"), blank=True)
    result = models.FileField(_("result"), upload_to="jobs/", blank=True)
    result_name = models.CharField(_("result file name"), max_length=255, blank=True)
    result_type = models.CharField(_("result content type"), max_length=120, blank=True)
    created_at = models.DateTimeField(_("started"))
    started_at = models.DateTimeField(_("running since"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)  # runs started (a lost run is retried)
    runner = models.CharField(_("worker"), max_length=100, blank=True)  # host:pid of the worker of the last run
    expires_at = models.DateTimeField(_("result kept until"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        indexes = [models.Index(fields=["owner", "-created_at"]), models.Index(fields=["expires_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total=0) | models.Q(done__lte=models.F("total")), name="job_done_within_total"
            ),
            models.CheckConstraint(
                condition=~models.Q(status__in=["done", "failed"]) | models.Q(finished_at__isnull=False),
                name="job_finished_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id}"

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)


class PeriodClaim(models.Model):
    """ "This periodic job has run for this period": inserted before it runs, so a second worker's insert fails."""

    task = models.CharField(_("task"), max_length=100)
    period = models.CharField(_("period"), max_length=40)
    claimed_at = models.DateTimeField(_("claimed at"))

    class Meta:
        verbose_name = _("period claim")
        verbose_name_plural = _("period claims")
        constraints = [models.UniqueConstraint(fields=["task", "period"], name="period_claim_once")]

    def __str__(self) -> str:
        return f"{self.task} {self.period}"
