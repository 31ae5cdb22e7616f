"""The strategic plan as data: plan → goals → targets; sectors → objectives → outcomes, outputs;
enablers; links to WSIS action lines and SDGs.

Every element belongs to one plan and is addressed by its code within that plan, so that a second
plan cycle (2024–2027) joins the same tables without a schema change. ITU's sectors, the WSIS
action lines, the SDGs and the data-source organisations are shared by all plans.
"""

from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from . import roles


class Editable(models.Model):
    """Content that staff edit: a version for lost-update checks and a modification time."""

    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def bump_version(self, based_on: int | None = None) -> None:
        """Make the change about to be saved the next version: one after `based_on`, the stored
        version a caller has just read (and locked) to check for lost edits, or else after the
        version this instance holds. The caller saves."""
        self.version = (self.version if based_on is None else based_on) + 1


class PlanQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=StrategicPlan.Status.PUBLISHED)

    def visible_to(self, user):
        """Drafts are for users with a role (frameworks.roles); everybody sees published plans."""
        if roles.is_privileged(user):
            return self
        return self.published()

    def current(self):
        """The published plan that started last."""
        return self.published().order_by("-period_start").first()


class StrategicPlan(Editable):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    class ProgressMethod(models.TextChoices):
        STATCAN = "statcan", _("Statistics Canada / Open SDG")
        UNSD = "unsd", _("UN Statistics Division progress chart")

    code = models.CharField(
        _("code"),
        max_length=20,
        unique=True,
        validators=[RegexValidator(r"^\d{4}-\d{4}$", _("Use the form 2020-2023."))],
    )
    title = models.CharField(_("title"), max_length=200)
    resolution = models.CharField(_("resolution"), max_length=200, blank=True)
    edition = models.TextField(
        _("edition"), blank=True, help_text=_("Which text of the plan this is (draft, adopted).")
    )
    period_start = models.PositiveSmallIntegerField(_("first year"))
    period_end = models.PositiveSmallIntegerField(_("last year"))
    vision = models.TextField(_("vision"))
    mission = models.TextField(_("mission"))
    values_intro = models.TextField(_("introduction to the values"), blank=True)
    sources = models.TextField(_("sources"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    progress_method = models.CharField(
        _("progress method"),
        max_length=10,
        choices=ProgressMethod.choices,
        default=ProgressMethod.STATCAN,
    )
    # the reporting window (indicators.validation.ReportingWindow): the years figures are taken for
    reporting_reach_years = models.PositiveSmallIntegerField(
        _("reporting reach (years after the target year)"),
        default=3,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "Figures are taken up to this many years after the target year (never after the "
            "current year): results published after the plan's period still measure it."
        ),
    )
    reporting_lookback_years = models.PositiveSmallIntegerField(
        _("context (years before the earliest baseline year)"),
        default=5,
        validators=[MaxValueValidator(20)],
        help_text=_(
            "Figures are taken from this many years before the earliest baseline year of the "
            "plan's indicators: the context of a series."
        ),
    )
    custodian_indicators = models.ManyToManyField(
        "SdgIndicator",
        blank=True,
        related_name="custodian_in_plans",
        verbose_name=_("SDG indicators of which ITU is custodian"),
    )

    objects = PlanQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start"]
        verbose_name = _("strategic plan")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_start__lte=models.F("period_end")),
                name="plan_period_start_before_end",
            ),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("dashboards:plan", kwargs={"plan": self.code})

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class PlanElement(Editable):
    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="+")

    class Meta:
        abstract = True


class FrameworkLevel(PlanElement):
    """A level of the RBM framework (the plan's first table) and what it means."""

    code = models.SlugField(_("code"), max_length=40)
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    definition = models.TextField(_("definition"))

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("RBM framework level")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="level_code_unique_in_plan"),
        ]

    def __str__(self):
        return self.name


class Value(PlanElement):
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("value")
        constraints = [
            models.UniqueConstraint(fields=["plan", "order"], name="value_order_unique_in_plan"),
        ]

    def __str__(self):
        return self.name


class DataSource(models.Model):
    """An organisation that publishes the data for a target (ITU, UNCTAD, World Bank…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # the SDG metadata's "contact": the unit that answers questions about the data
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    url = models.URLField(_("web address"), blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("data source")

    def __str__(self):
        return self.code


class Goal(PlanElement):
    number = models.PositiveSmallIntegerField(_("number"))
    short_name = models.CharField(_("short name"), max_length=100)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    note = models.TextField(_("note"), blank=True)
    sdg_targets = models.ManyToManyField(
        "SdgTarget", blank=True, related_name="goals", verbose_name=_("SDG targets")
    )

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = _("strategic goal")
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="goal_number_unique_in_plan"),
        ]

    def __str__(self):
        return f"{self.number}. {self.short_name}"

    def get_absolute_url(self):
        return reverse("dashboards:goal", kwargs={"plan": self.plan.code, "number": self.number})


class Target(PlanElement):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[RegexValidator(r"^\d+\.\d+$", _("Use the form 1.2."))],
    )
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    proposed = models.BooleanField(
        _("proposed"), default=False, help_text=_("Marked as a proposed target in the plan.")
    )
    data_sources = models.ManyToManyField(
        DataSource, blank=True, related_name="targets", verbose_name=_("data sources")
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "goal__number", "order"]
        verbose_name = _("target")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="target_code_unique_in_plan"),
        ]

    def __str__(self):
        return self.code

    def get_absolute_url(self):
        return reverse("dashboards:target", kwargs={"plan": self.plan.code, "code": self.code})


class Sector(models.Model):
    """ITU-R, ITU-T, ITU-D, and the intersectoral objectives."""

    sector_path = "code"  # a sector is its own scope (frameworks.roles)

    code = models.CharField(_("code"), max_length=20, unique=True)
    prefix = models.CharField(
        _("objective prefix"), max_length=1, unique=True, help_text=_("R, T, D or I.")
    )
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["order"]
        verbose_name = _("sector")

    def __str__(self):
        return self.code


OBJECTIVE_CODE = r"[RTDI]\.\d+"


class Objective(PlanElement):
    sector_path = "sector__code"  # how frameworks.roles finds the owning sector

    sector = models.ForeignKey(Sector, on_delete=models.PROTECT, related_name="objectives")
    code = models.CharField(
        _("code"),
        max_length=10,
        validators=[RegexValidator(rf"^{OBJECTIVE_CODE}$", _("Use the form R.1."))],
    )
    order = models.PositiveSmallIntegerField(_("order"))
    short_name = models.CharField(_("short name"), max_length=200)
    text = models.TextField(_("text"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["plan", "sector__order", "order"]
        verbose_name = _("sector objective")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="objective_code_unique_in_plan"),
        ]

    def __str__(self):
        return self.code


class ObjectiveGoalLink(models.Model):
    """How a sector objective contributes to a strategic goal (the plan's Table 3)."""

    sector_path = "objective__sector__code"  # the objective's sector (frameworks.roles)

    class Kind(models.TextChoices):
        PRIMARY = "primary", _("Primary")
        SECONDARY = "secondary", _("Secondary")

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="goal_links")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="objective_links")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)

    class Meta:
        ordering = ["objective", "goal__number"]
        verbose_name = _("objective–goal link")
        constraints = [
            models.UniqueConstraint(fields=["objective", "goal"], name="one_link_per_goal"),
        ]

    def __str__(self):
        return f"{self.objective} → {self.goal.number} ({self.kind})"


class ObjectiveResult(PlanElement):
    """What an objective is measured by (outcomes) or delivers (outputs): same shape, own codes."""

    sector_path = "objective__sector__code"  # the objective's sector (frameworks.roles)

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="%(class)ss")
    order = models.PositiveSmallIntegerField(_("order"))
    text = models.TextField(_("text"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        abstract = True
        ordering = ["plan", "objective__sector__order", "objective__order", "order"]

    def __str__(self):
        return self.code


class Outcome(ObjectiveResult):
    code = models.CharField(
        _("code"),
        max_length=12,
        validators=[RegexValidator(rf"^{OBJECTIVE_CODE}-[a-z]$", _("Use the form R.1-a."))],
    )

    class Meta(ObjectiveResult.Meta):
        verbose_name = _("outcome")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="outcome_code_unique_in_plan"),
        ]


class Output(ObjectiveResult):
    code = models.CharField(
        _("code"),
        max_length=12,
        validators=[RegexValidator(rf"^{OBJECTIVE_CODE}-\d+$", _("Use the form R.1-1."))],
    )

    class Meta(ObjectiveResult.Meta):
        verbose_name = _("output")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="output_code_unique_in_plan"),
        ]


class Enabler(PlanElement):
    """An activity of a bureau or of the General Secretariat that supports the objectives."""

    class Provider(models.TextChoices):
        BR = "BR", _("Radiocommunication Bureau")
        TSB = "TSB", _("Telecommunication Standardization Bureau")
        BDT = "BDT", _("Telecommunication Development Bureau")
        GS = "GS", _("General Secretariat")

    # Each bureau's enablers belong to its sector; the General Secretariat's are plan-wide
    # (frameworks.roles).
    sector_path = "provider"
    sector_of_value = {
        Provider.BR: "ITU-R",
        Provider.TSB: "ITU-T",
        Provider.BDT: "ITU-D",
        Provider.GS: roles.INTERSECTORAL,
    }

    code = models.CharField(
        _("code"),
        max_length=12,
        validators=[RegexValidator(r"^(BR|TSB|BDT|GS)-\d+$", _("Use the form BDT-1."))],
    )
    order = models.PositiveSmallIntegerField(_("order"))
    provider = models.CharField(_("provider"), max_length=3, choices=Provider.choices)
    activity = models.TextField(_("activity"))
    contribution = models.TextField(_("contribution to the outcomes"))
    results = models.TextField(_("results"))
    note = models.TextField(_("note"), blank=True)
    supports_all_objectives = models.BooleanField(_("supports all objectives"), default=False)
    objectives = models.ManyToManyField(
        Objective, blank=True, related_name="enablers", verbose_name=_("objectives supported")
    )

    class Meta:
        ordering = ["plan", "order"]
        verbose_name = _("enabler")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="enabler_code_unique_in_plan"),
        ]

    def __str__(self):
        return self.code


class WsisActionLine(models.Model):
    code = models.CharField(
        _("code"), max_length=4, unique=True, validators=[RegexValidator(r"^C\d{1,2}$")]
    )
    order = models.PositiveSmallIntegerField(_("order"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["order"]
        verbose_name = _("WSIS action line")

    def __str__(self):
        return self.code


class Sdg(models.Model):
    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["number"]
        verbose_name = _("Sustainable Development Goal")

    def __str__(self):
        return f"SDG {self.number}"


class SdgTarget(models.Model):
    sdg = models.ForeignKey(Sdg, on_delete=models.CASCADE, related_name="targets")
    code = models.CharField(
        _("code"), max_length=8, unique=True, validators=[RegexValidator(r"^\d+\.[0-9a-z]+$")]
    )
    order = models.PositiveIntegerField(_("order"), help_text=_("Sort key: 9.1 < 9.2 < 9.a."))

    class Meta:
        ordering = ["order"]
        verbose_name = _("SDG target")

    def __str__(self):
        return self.code


class SdgIndicator(models.Model):
    target = models.ForeignKey(SdgTarget, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(
        _("code"), max_length=10, unique=True, validators=[RegexValidator(r"^\d+\.[0-9a-z]+\.\d+$")]
    )

    class Meta:
        ordering = ["target__order", "code"]
        verbose_name = _("SDG indicator")

    def __str__(self):
        return self.code


class Contribution(models.Model):
    """How many ITU outputs and activities a plan maps to a WSIS action line or SDG."""

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="+")
    outputs = models.PositiveIntegerField(_("ITU outputs"), null=True, blank=True)
    activities = models.PositiveIntegerField(_("ITU activities"), null=True, blank=True)

    class Meta:
        abstract = True


class WsisContribution(Contribution):
    action_line = models.ForeignKey(
        WsisActionLine, on_delete=models.CASCADE, related_name="contributions"
    )

    class Meta:
        ordering = ["plan", "action_line__order"]
        verbose_name = _("contribution to a WSIS action line")
        verbose_name_plural = _("contributions to WSIS action lines")
        constraints = [
            models.UniqueConstraint(fields=["plan", "action_line"], name="one_wsis_count_per_plan"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.action_line}"


class SdgContribution(Contribution):
    sdg = models.ForeignKey(Sdg, on_delete=models.CASCADE, related_name="contributions")

    class Meta:
        ordering = ["plan", "sdg__number"]
        verbose_name = _("contribution to an SDG")
        verbose_name_plural = _("contributions to SDGs")
        constraints = [
            models.UniqueConstraint(fields=["plan", "sdg"], name="one_sdg_count_per_plan"),
        ]

    def __str__(self):
        return f"{self.plan} · {self.sdg}"


class SectorAssignment(models.Model):
    """The sectors a staff member works for; their roles (groups) apply within these sectors."""

    user = models.ForeignKey(
        "auth.User", on_delete=models.CASCADE, related_name="sector_assignments"
    )
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, related_name="assignments")

    class Meta:
        ordering = ["user", "sector__order"]
        verbose_name = _("sector assignment")
        constraints = [
            models.UniqueConstraint(fields=["user", "sector"], name="one_assignment_per_sector"),
        ]

    def __str__(self):
        return f"{self.user} · {self.sector}"
