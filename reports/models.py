"""A report built for staff (reports.builds): one per plan, year, language, format and content
generation, so that two requests for the same report share one build."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class ReportFormat(models.TextChoices):
    PDF = "pdf", _("PDF")
    DOCX = "docx", _("Word (.docx)")


class ReportBuild(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        BUILDING = "building", _("building")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    plan = models.ForeignKey(
        "frameworks.StrategicPlan", on_delete=models.CASCADE, related_name="report_builds"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    format = models.CharField(_("format"), max_length=4, choices=ReportFormat.choices)
    # itu_rbm.caching's content generation when asked: a build serves later requests until the
    # public content changes
    generation = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)  # percent
    file = models.FileField(_("file"), upload_to="reports/", blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("report build")
        verbose_name_plural = _("report builds")
        constraints = [
            # single flight: a failed build does not count, so the report can be asked again
            models.UniqueConstraint(
                fields=["plan", "year", "language", "format", "generation"],
                condition=~Q(status="failed"),
                name="reports_one_build_per_content",
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="reports_progress_percent"),
        ]

    def __str__(self):
        return f"{self.plan_id} {self.year} {self.language} {self.format} ({self.status})"

    def get_absolute_url(self):
        return reverse("reports:build", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def filename(self) -> str:
        """The name a download is saved under."""
        return f"progress-report-{self.plan.code}-{self.year}-{self.language}.{self.format}"
