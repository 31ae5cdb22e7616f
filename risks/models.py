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
