"""Indicators of the plan's targets, the geographies they are measured for, and observations.

An observation is one published or reported figure: indicator × geography × year × edition.
Editions coexist because ITU restates past years; the dashboards and the status use the latest
approved edition of each year, and older editions stay visible as history.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from frameworks import roles
from frameworks.models import DataSource, Editable, Outcome, Sector, StrategicPlan, Target

from . import progress

FIRST_YEAR = 1990
LAST_YEAR = 2035


class Geography(models.Model):
    class Kind(models.TextChoices):
        WORLD = "world", _("World")
        DEVELOPMENT_GROUP = "development_group", _("Development group")
        INCOME_GROUP = "income_group", _("Income group")
        REGION = "region", _("ITU region")
        COUNTRY = "country", _("Country or territory")

    code = models.CharField(_("code"), max_length=10, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="groups", verbose_name=_("members")
    )
    source = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("geography")
        verbose_name_plural = _("geographies")
        indexes = [models.Index(fields=["kind"], name="geography_kind_idx")]

    def __str__(self):
        return self.code


class IndicatorQuerySet(models.QuerySet):
    def for_plan(self, plan):
        return self.filter(plan=plan)

    def main(self):
        return self.filter(is_main=True)


class Indicator(Editable):
    sector_path = "sector__code"  # how frameworks.roles finds the owning sector

    class Unit(models.TextChoices):
        PERCENT = "percent", _("per cent")
        # xgettext:no-python-format
        PERCENT_GNI = "percent_gni", _("% of GNI per capita")
        PER_100 = "per_100", _("per 100 inhabitants")
        COUNT = "count", _("count")
        MILLIONS = "millions", _("millions")
        INDEX = "index", _("index")
        RATIO = "ratio", _("ratio")
        USD = "usd", _("US dollars")

    # Defined by the status method (indicators/progress.py, which stays free of Django); only
    # their labels are declared here.
    Direction = progress.Direction
    TargetKind = progress.TargetKind
    DIRECTION_LABELS = {
        Direction.INCREASE: _("Higher is better"),
        Direction.DECREASE: _("Lower is better"),
    }
    TARGET_KIND_LABELS = {
        TargetKind.LEVEL: _("A level to reach"),
        TargetKind.RELATIVE: _("A change from the baseline"),
        TargetKind.PARITY: _("Parity"),
        TargetKind.NONE: _("No numeric target"),
    }

    plan = models.ForeignKey(StrategicPlan, on_delete=models.CASCADE, related_name="indicators")
    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="indicators")
    outcome = models.ForeignKey(
        Outcome, on_delete=models.SET_NULL, null=True, blank=True, related_name="indicators"
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("sector"),
        help_text=_("The sector whose reporters submit figures for this indicator."),
    )
    code = models.CharField(_("code"), max_length=60)
    is_main = models.BooleanField(
        _("main indicator"),
        default=False,
        help_text=_("The indicator that gives the target its status."),
    )
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    note = models.TextField(_("note"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=[(member.value, label) for member, label in DIRECTION_LABELS.items()],
        default=Direction.INCREASE.value,
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("Empty: taken from the series."),
    )
    target_kind = models.CharField(
        _("kind of target"),
        max_length=8,
        choices=[(member.value, label) for member, label in TARGET_KIND_LABELS.items()],
        default=TargetKind.LEVEL.value,
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=20,
        decimal_places=6,
        null=True,
        blank=True,
        help_text=_("A level (65), a change as a fraction (0.25 for +25%) or a parity value (1)."),
    )
    target_band_low = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    target_band_high = models.DecimalField(max_digits=20, decimal_places=6, null=True, blank=True)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    min_value = models.DecimalField(
        _("lowest allowed value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("highest allowed value"), max_digits=20, decimal_places=6, null=True, blank=True
    )
    headline_geography = models.ForeignKey(
        Geography, on_delete=models.PROTECT, related_name="+", verbose_name=_("headline geography")
    )
    data_source = models.ForeignKey(
        DataSource,
        on_delete=models.PROTECT,
        related_name="indicators",
        verbose_name=_("data source"),
    )

    objects = IndicatorQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "target__goal__number", "target__order", "-is_main", "code"]
        verbose_name = _("indicator")
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="indicator_code_unique_in_plan"),
            models.UniqueConstraint(
                fields=["target"], condition=Q(is_main=True), name="one_main_indicator_per_target"
            ),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(min_value__lte=models.F("max_value")),
                name="indicator_range_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(target_kind="none") | Q(target_value__isnull=True),
                name="indicator_no_value_without_target",
            ),
        ]

    def __str__(self):
        return self.code


class ObservationQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Observation.Status.APPROVED)

    def visible_to(self, user):
        """The public sees approved figures; users with a role (frameworks.roles) see every
        state."""
        if roles.is_privileged(user):
            return self
        return self.approved()

    def awaiting_review(self):
        return self.filter(status=Observation.Status.SUBMITTED).order_by("submitted_at", "pk")


class Observation(Editable):
    sector_path = "indicator__sector__code"  # the indicator's sector (frameworks.roles)

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="observations")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="observations")
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=6)
    # The citation: who published the figure, in which publication and edition ("ITU",
    # "Facts and Figures 2024", "Facts and Figures 2024"). Proper names, shown as published.
    publisher = models.CharField(
        _("publisher"), max_length=200, help_text=_("The organisation that published the figure.")
    )
    publication = models.CharField(
        _("publication"),
        max_length=300,
        help_text=_("The publication's name as published, e.g. Facts and Figures 2024."),
    )
    # Provenance, never the citation: how the portal obtained the value (a data file and where
    # it was read, a summary, a press report quoting the publisher).
    source = models.CharField(
        _("provenance"),
        max_length=500,
        help_text=_("How the value was obtained: the file, page or report it was read in."),
    )
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    reported_in = models.CharField(
        _("as reported by"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where only a report carries the figure (a news article, a summary): its name. "
            "Empty when the publication itself was read."
        ),
    )
    edition = models.CharField(
        _("edition"),
        max_length=300,
        help_text=_("Names the release on its own, e.g. Facts and Figures 2024."),
    )
    note = models.TextField(_("note"), blank=True)
    status = models.CharField(
        _("review status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_observations",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_observations",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ObservationQuerySet.as_manager()

    class Meta:
        ordering = ["indicator", "geography", "year", "edition"]
        verbose_name = _("observation")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "geography", "year", "edition"],
                name="one_figure_per_edition",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="observation_year_in_reach",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="observation_queue_idx"),
            models.Index(
                fields=["indicator", "status", "geography", "year"], name="observation_series_idx"
            ),
            models.Index(fields=["edition"], name="observation_edition_idx"),
        ]

    def __str__(self):
        return f"{self.indicator.code} {self.geography.code} {self.year}: {self.value}"
