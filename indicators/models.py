"""Indicators of the plan's targets, the geographies they are measured for, and observations.

An observation is one published or reported figure: indicator × geography × year × edition.
Editions coexist because ITU restates past years; the dashboards and the status use the latest
approved edition of each year, and older editions stay visible as history.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Q
from django.utils.text import get_valid_filename
from django.utils.translation import gettext_lazy as _

from frameworks import roles
from frameworks.models import (
    DataSource,
    Editable,
    Outcome,
    Output,
    Sector,
    StrategicPlan,
    Target,
)

from . import progress

FIRST_YEAR = 1990
LAST_YEAR = 2035
# Published series reach further back (the WDI's Internet use starts in 1960).
STATISTICS_FIRST_YEAR = 1960


class GeographyQuerySet(models.QuerySet):
    def countries(self):
        return self.filter(kind=Geography.Kind.COUNTRY)

    def member_states(self):
        """ITU's 193 Member States (itu-member-states-derived.csv, loaded by load_countries)."""
        return self.filter(kind=Geography.Kind.COUNTRY, is_member_state=True)

    def regions(self):
        return self.filter(kind=Geography.Kind.REGION)


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
    # Countries only, from the UN M49 standard (un-m49-country-codes.csv): the formal name is
    # UNTERM's ("the Kingdom of Norway"), `name` its short one.
    formal_name = models.CharField(_("formal name"), max_length=300, blank=True)
    iso2 = models.CharField(_("ISO 3166 alpha-2 code"), max_length=2, blank=True)
    m49 = models.CharField(_("M49 code"), max_length=3, blank=True)
    is_member_state = models.BooleanField(_("ITU Member State"), default=False)
    # A country's ITU region (BDT's classification). Development groups (LDC, LLDC, SIDS) list
    # their countries in `members` instead: a country is in one region but in several groups.
    region = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="countries",
        limit_choices_to={"kind": "region"},
        verbose_name=_("ITU region"),
    )

    objects = GeographyQuerySet.as_manager()

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("geography")
        verbose_name_plural = _("geographies")
        indexes = [
            models.Index(fields=["kind"], name="geography_kind_idx"),
            models.Index(fields=["kind", "is_member_state"], name="geography_member_state_idx"),
        ]

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
        # per-economy series (fixtures/countries/series.json): bandwidth, traffic, e-waste
        KBIT_S = "kbit_s", _("kbit/s")
        MEGABYTES = "mb", _("MB")
        KG_PER_CAPITA = "kg_capita", _("kg per capita")
        TONNES = "tonnes", _("tonnes")

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
    # SDG metadata concepts (the indicator's metadata section, Open SDG's metadata files)
    computation_method = models.TextField(_("computation method"), blank=True)
    disaggregation = models.TextField(_("disaggregation"), blank=True)
    comparability = models.TextField(_("comparability and limitations"), blank=True)
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
    # The per-economy series that measures this indicator, when one is published: country pages
    # hold each economy's figures against the target's level.
    country_series = models.ForeignKey(
        "Series",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="indicators",
        verbose_name=_("per-country series"),
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


class ReviewStatus(models.TextChoices):
    """Where a reported item (a figure, an output's delivery record) is in the review workflow
    (indicators.services)."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


class ReviewableQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=ReviewStatus.APPROVED)

    def visible_to(self, user):
        """The public sees approved items; users with a role (frameworks.roles) see every
        state."""
        if roles.is_privileged(user):
            return self
        return self.approved()

    def awaiting_review(self):
        return self.filter(status=ReviewStatus.SUBMITTED).order_by("submitted_at", "pk")


class Reviewable(Editable):
    """What a reporter submits and a reviewer of its sector approves or returns: one workflow
    (indicators.services) for every kind. A concrete model names the element whose sector
    decides who reports it (`reported_element`), and its words in the workflow's messages
    (`review_messages`, keys as in ReviewMessages)."""

    Status = ReviewStatus

    status = models.CharField(
        _("review status"), max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reported_%(class)ss",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reviewed_%(class)ss",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # its attachments and discussion (deleted with it; the stored files stay in the storage)
    evidence = GenericRelation("Evidence")
    comments = GenericRelation("Comment")

    class Meta:
        abstract = True

    @property
    def reported_element(self):
        """The element whose sector's reporters report this item (frameworks.roles.can_report):
        read through a foreign key, select_related it."""
        raise NotImplementedError


class ObservationQuerySet(ReviewableQuerySet):
    pass


class Observation(Reviewable):
    sector_path = "indicator__sector__code"  # the indicator's sector (frameworks.roles)
    review_messages = {
        "illegal": _("A figure that is %(current)s cannot become %(new)s."),
        "may_not_report": _("You may not report figures for this indicator's sector."),
        "may_not_review": _("You may not review figures of this sector."),
        "own": _("You reported this figure: another reviewer must review it."),
        "comment": _("Say why the figure is returned: a comment is required."),
        "gone": _("A figure of the selection no longer exists."),
        "stale": _(
            "Someone else changed this figure while you were editing it (version %(version)s "
            "is stored now). Compare, then save again."
        ),
    }

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

    @property
    def reported_element(self):
        return self.indicator


class OutputDeliveryQuerySet(ReviewableQuerySet):
    def for_plan(self, plan):
        return self.filter(output__plan=plan)


class OutputDelivery(Reviewable):
    """Whether an output of a sector objective was delivered in a year, in the words of its
    sector's reporters, reviewed like figures. The narrative may be written in any of the six
    languages (a reporter writes the one they work in); pages show it with its language."""

    sector_path = "output__objective__sector__code"  # the output's sector (frameworks.roles)
    review_messages = {
        "illegal": _("A delivery record that is %(current)s cannot become %(new)s."),
        "may_not_report": _("You may not record the delivery of this output's sector."),
        "may_not_review": _("You may not review delivery records of this sector."),
        "own": _("You recorded this delivery: another reviewer must review it."),
        "comment": _("Say why the delivery record is returned: a comment is required."),
        "gone": _("A delivery record of the selection no longer exists."),
        "stale": _(
            "Someone else changed this delivery record while you were editing it (version "
            "%(version)s is stored now). Compare, then save again."
        ),
    }

    class Delivery(models.TextChoices):
        DELIVERED = "delivered", _("Delivered")
        PARTLY = "partly", _("Partly delivered")
        NOT_DELIVERED = "not_delivered", _("Not delivered")
        NOT_DUE = "not_due", _("Not due yet")

    output = models.ForeignKey(
        Output, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("output")
    )
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
    )
    delivery = models.CharField(_("delivery"), max_length=14, choices=Delivery.choices)
    # translated (indicators/translation.py): any one language may be the only one written
    narrative = models.TextField(_("narrative"), blank=True)
    evidence_url = models.URLField(_("evidence (web address)"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OutputDeliveryQuerySet.as_manager()

    class Meta:
        ordering = ["output", "year"]
        verbose_name = _("output delivery record")
        constraints = [
            models.UniqueConstraint(
                fields=["output", "year"], name="one_delivery_record_per_output_year"
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="delivery_year_in_reach",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "submitted_at"], name="delivery_queue_idx"),
        ]

    def __str__(self):
        return f"{self.output.code} {self.year}: {self.delivery}"

    @property
    def reported_element(self):
        return self.output


# Evidence and discussion of a reported item (a figure, an output's delivery record): files or
# links attached to it, and the comments of its reporter and reviewers. Generic (a content type
# and an id) so that every kind of Reviewable has them; indicators/evidence.py holds the rules.


class SubjectQuerySet(models.QuerySet):
    def of(self, subject):
        """What belongs to one reported item (the index on content type and id)."""
        return self.of_model(type(subject)).filter(object_id=subject.pk)

    def of_model(self, model):
        """What belongs to items of `model`: by the content type's natural key, joined in the
        same query (no lookup of its id first)."""
        return self.filter(
            content_type__app_label=model._meta.app_label,
            content_type__model=model._meta.model_name,
        )

    def of_many(self, model, pks):
        """What belongs to the items of `model` with the ids `pks`."""
        return self.of_model(model).filter(object_id__in=pks)


class EvidenceQuerySet(SubjectQuerySet):
    def public(self):
        """Marked public by whoever attached it; shown only with an approved item."""
        return self.filter(is_public=True)


def evidence_path(instance: "Evidence", filename: str) -> str:
    """evidence/<model>/<id>/<random>-<safe name>: the random part keeps two files of the same
    name apart and makes an address nobody guesses; the name is kept for the download."""
    try:
        name = get_valid_filename(PurePath(filename).name)
    except SuspiciousFileOperation:  # nothing usable left ("..", only symbols)
        name = "file"
    stem, dot, suffix = name.rpartition(".")
    if dot and len(name) > 100:
        name = f"{stem[: 99 - len(suffix)]}.{suffix[:10]}"
    return (
        f"evidence/{instance.content_type.model}/{instance.object_id}/"
        f"{uuid.uuid4().hex}-{name[:100]}"
    )


class Evidence(models.Model):
    """A file (PDF, workbook, CSV table, image) or a link attached to a reported item."""

    class Kind(models.TextChoices):
        PDF = "pdf", _("PDF document")
        XLSX = "xlsx", _("Excel workbook")
        CSV = "csv", _("CSV table")
        PNG = "png", _("PNG image")
        JPEG = "jpeg", _("JPEG image")
        GIF = "gif", _("GIF image")
        WEBP = "webp", _("WebP image")
        LINK = "link", _("Web link")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    title = models.CharField(_("title"), max_length=200)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300, blank=True)
    url = models.URLField(_("web address"), max_length=500, blank=True)
    kind = models.CharField(_("type"), max_length=4, choices=Kind.choices)
    size = models.PositiveBigIntegerField(_("size in bytes"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"),
        default=False,
        help_text=_("Listed on the public pages once the item it supports is approved."),
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("added by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        constraints = [
            # a file (with its detected type and size) or a link, never both or neither
            models.CheckConstraint(
                condition=(~Q(file="") & Q(url="") & ~Q(kind="link") & Q(size__isnull=False))
                | (Q(file="") & ~Q(url="") & Q(kind="link") & Q(size__isnull=True)),
                name="evidence_file_or_link",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="evidence_subject_idx")]

    def __str__(self):
        return self.title

    @property
    def is_link(self) -> bool:
        return self.kind == self.Kind.LINK

    @property
    def filename(self) -> str:
        """The name the file was uploaded with (made safe), without the random part."""
        return PurePath(self.file.name).name.split("-", 1)[-1] if self.file else ""


class Comment(models.Model):
    """One message of the discussion of a reported item, between its reporter and reviewers."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubjectQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        constraints = [models.CheckConstraint(condition=~Q(text=""), name="comment_not_empty")]
        indexes = [models.Index(fields=["content_type", "object_id"], name="comment_subject_idx")]

    def __str__(self):
        return self.text[:60]


# Per-economy statistics: published series (ITU's databases, the World Bank's WDI, UNSD's SDG
# database) loaded in bulk from their files. Unlike Observation they are not reported or
# reviewed: they are read as published, each with its release, and restatements are kept beside
# the older release.


class Series(models.Model):
    """One statistic published per economy, e.g. "Individuals using the Internet (%)". Its
    breakdowns (sex, age, area) are figures of the same series."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveIntegerField(_("order"), default=0)
    name = models.CharField(_("name"), max_length=300)
    definition = models.TextField(_("definition"), blank=True)
    unit = models.CharField(_("unit"), max_length=12, choices=Indicator.Unit.choices)
    direction = models.CharField(
        _("direction"),
        max_length=8,
        choices=[(member.value, label) for member, label in Indicator.DIRECTION_LABELS.items()],
        default=Indicator.Direction.INCREASE.value,
    )

    class Meta:
        ordering = ["order", "code"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.code


class ReleaseQuerySet(models.QuerySet):
    def leading(self):
        return self.filter(is_leading=True)


class Release(models.Model):
    """A series as one publication and edition published it ("ITU, World Telecommunication/ICT
    Indicators Database, January 2022"), or as the portal computed it (aggregates)."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="releases")
    publisher = models.CharField(_("publisher"), max_length=200)
    publication = models.CharField(_("publication"), max_length=300)
    edition = models.CharField(_("edition"), max_length=300)
    released_on = models.DateField(_("release date"), null=True, blank=True)
    # Provenance, never the citation: the file read and where it was copied from.
    source = models.TextField(_("provenance"), blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # The release whose figures a country-year shows; the others fill its gaps and are listed
    # as restatements. Chosen explicitly, one per series.
    is_leading = models.BooleanField(_("leading release"), default=False)
    # Aggregates of regions and groups computed by the portal from the countries' figures.
    is_computed = models.BooleanField(_("computed by the portal"), default=False)
    loaded_at = models.DateTimeField(auto_now=True)

    objects = ReleaseQuerySet.as_manager()

    class Meta:
        ordering = ["series", "-is_leading", "-released_on", "pk"]
        verbose_name = _("release")
        constraints = [
            models.UniqueConstraint(
                fields=["series", "publisher", "publication", "edition"],
                name="one_release_per_edition",
            ),
            models.UniqueConstraint(
                fields=["series"], condition=Q(is_leading=True), name="one_leading_release"
            ),
        ]

    def __str__(self):
        return f"{self.series.code}: {self.publisher}, {self.publication}, {self.edition}"

    def make_leading(self) -> None:
        """Makes this release its series' leading one, and no other."""
        with transaction.atomic():
            Release.objects.filter(series_id=self.series_id, is_leading=True).exclude(
                pk=self.pk
            ).update(is_leading=False)
            self.is_leading = True
            self.save(update_fields=["is_leading", "loaded_at"])


class StatisticQuerySet(models.QuerySet):
    def of_series(self, series):
        """The figures of every release of `series`. Reads the series' release ids at once (one
        small query): with the ids in the query PostgreSQL reads statistic_map_idx for them,
        where a join to the releases made it scan every statistic (map_years, 1.8 million
        statistics: 270 ms against 30 ms; bench/country_scale.py)."""
        releases = Release.objects.filter(series=series).values_list("pk", flat=True)
        return self.filter(release__in=list(releases))

    def totals(self):
        """Figures for the whole population, not a breakdown."""
        total = Statistic.TOTAL
        return self.filter(sex=total, age=total, area=total)


class Statistic(models.Model):
    """One published figure of a series: release × geography × year × breakdown."""

    # Written only in bulk by load_statistics, which calls itu_rbm.caching.content_changed()
    writes_announced = True

    TOTAL = "_T"  # SDMX's code for "all": the SDG data structure's, used again by open data

    class Sex(models.TextChoices):
        TOTAL = "_T", _("Both sexes")
        FEMALE = "F", _("Women")
        MALE = "M", _("Men")

    class Age(models.TextChoices):
        TOTAL = "_T", _("All ages")
        UNDER_15 = "Y0T14", _("Under 15 years")
        YOUTH = "Y15T24", _("15–24 years")
        ADULT = "Y25T74", _("25–74 years")
        OLD = "Y_GE75", _("75 years and over")

    class Area(models.TextChoices):
        TOTAL = "_T", _("Urban and rural")
        URBAN = "U", _("Urban")
        RURAL = "R", _("Rural")

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="statistics")
    geography = models.ForeignKey(Geography, on_delete=models.PROTECT, related_name="statistics")
    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(STATISTICS_FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
    )
    sex = models.CharField(_("sex"), max_length=2, choices=Sex.choices, default=TOTAL)
    age = models.CharField(_("age"), max_length=6, choices=Age.choices, default=TOTAL)
    area = models.CharField(_("area"), max_length=2, choices=Area.choices, default=TOTAL)
    value = models.FloatField(_("value"))
    is_estimate = models.BooleanField(_("estimate"), default=False)
    # Computed aggregates only: the share of the group's population whose countries have a
    # figure (0–1).
    coverage = models.FloatField(_("population coverage"), null=True, blank=True)

    objects = StatisticQuerySet.as_manager()

    class Meta:
        ordering = ["release", "geography", "year", "sex", "age", "area"]
        verbose_name = _("statistic")
        constraints = [
            models.UniqueConstraint(
                fields=["release", "geography", "year", "sex", "age", "area"],
                name="one_statistic_per_release",
            ),
            models.CheckConstraint(
                condition=Q(year__gte=STATISTICS_FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="statistic_year_in_reach",
            ),
            models.CheckConstraint(
                condition=Q(coverage__isnull=True) | (Q(coverage__gte=0) & Q(coverage__lte=1)),
                name="statistic_coverage_is_a_share",
            ),
        ]
        indexes = [
            # the map: one release (or a series' few), one year, every country
            models.Index(fields=["release", "year"], name="statistic_map_idx"),
            # a country page: every series of one country
            models.Index(fields=["geography", "release"], name="statistic_country_idx"),
        ]

    def __str__(self):
        return f"{self.release.series.code} {self.geography.code} {self.year}: {self.value}"


class Population(models.Model):
    """Population per economy and year: the weights of the portal's aggregates."""

    # Written only in bulk by load_statistics, which calls itu_rbm.caching.content_changed()
    writes_announced = True

    geography = models.ForeignKey(Geography, on_delete=models.CASCADE, related_name="population")
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.BigIntegerField(_("population"))
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        ordering = ["geography", "year"]
        verbose_name = _("population")
        verbose_name_plural = _("population")
        constraints = [
            models.UniqueConstraint(fields=["geography", "year"], name="one_population_per_year")
        ]

    def __str__(self):
        return f"{self.geography.code} {self.year}: {self.value}"
