from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from frameworks.models import PlanElement


class Risk(PlanElement):
    """A strategic risk of the plan (Table 2)."""

    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("strategic risk")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="risk_number_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"

    def get_absolute_url(self):
        return reverse("dashboards:risks", kwargs={"plan": self.plan.code})


class Mitigation(models.Model):
    class Strategy(models.TextChoices):
        AVOID = "avoid", _("Avoid")
        LIMIT = "limit", _("Limit")
        TRANSFER = "transfer", _("Transfer")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="mitigations")
    order = models.PositiveSmallIntegerField(_("order"))
    strategy = models.CharField(_("strategy"), max_length=10, choices=Strategy.choices)
    text = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["risk", "order"]
        verbose_name = _("mitigation")
        constraints = [
            models.UniqueConstraint(fields=["risk", "order"], name="mitigation_order_unique"),
        ]

    def __str__(self):
        return f"{self.risk.number}.{self.order} ({self.strategy})"


SCALE = [MinValueValidator(1), MaxValueValidator(5)]


def severity(likelihood: int, impact: int) -> str:
    """The band of a risk on the 5 × 5 matrix, from the product of its likelihood and impact:
    low up to 4, medium up to 9, high up to 16, very high above (20 and 25)."""
    score = likelihood * impact
    if score <= 4:
        return "low"
    if score <= 9:
        return "medium"
    if score <= 16:
        return "high"
    return "very-high"


SEVERITY_LABELS = {
    "low": _("Low"),
    "medium": _("Medium"),
    "high": _("High"),
    "very-high": _("Very high"),
}


class RiskAssessmentQuerySet(models.QuerySet):
    def latest_per_risk(self, plan) -> dict[int, "RiskAssessment"]:
        """Each risk's newest assessment, by risk id (one query)."""
        newest = {}
        for assessment in self.filter(risk__plan=plan).order_by("risk_id", "-year"):
            newest.setdefault(assessment.risk_id, assessment)
        return newest


class RiskAssessment(models.Model):
    """A strategic risk as administrators judged it for a year: the plan's risk management
    (its implementation section) reviews the register every year."""

    class Trend(models.TextChoices):
        RISING = "rising", _("Rising")
        STEADY = "steady", _("Steady")
        FALLING = "falling", _("Falling")

    class MitigationStatus(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        UNDER_WAY = "under_way", _("Under way")
        IN_PLACE = "in_place", _("In place")
        EFFECTIVE = "effective", _("Effective")

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="assessments")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), validators=SCALE, help_text=_("1 (rare) to 5 (almost certain).")
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), validators=SCALE, help_text=_("1 (minor) to 5 (severe).")
    )
    trend = models.CharField(_("trend"), max_length=10, choices=Trend.choices)
    owner = models.CharField(
        _("owner"),
        max_length=200,
        help_text=_("Who manages the risk, e.g. the General Secretariat."),
    )
    mitigation_status = models.CharField(
        _("mitigation status"), max_length=12, choices=MitigationStatus.choices
    )
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = RiskAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["risk", "-year"]
        verbose_name = _("risk assessment")
        constraints = [
            models.UniqueConstraint(fields=["risk", "year"], name="risk_assessment_one_per_year"),
            models.CheckConstraint(
                condition=models.Q(likelihood__gte=1, likelihood__lte=5),
                name="risk_assessment_likelihood_1_to_5",
            ),
            models.CheckConstraint(
                condition=models.Q(impact__gte=1, impact__lte=5),
                name="risk_assessment_impact_1_to_5",
            ),
        ]

    def __str__(self):
        return f"{self.risk.number} · {self.year}"

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def severity(self) -> str:
        return severity(self.likelihood, self.impact)

    def get_severity_display(self) -> str:
        return SEVERITY_LABELS[self.severity]
