"""Indicators, geographies and observations in the admin.

Observations follow the review workflow (indicators.services): a reporter adds a figure (it is
submitted for review at once) and may change it until it is approved; reviewers approve or
return figures of their sectors in bulk, from the list. A figure's review status is never edited
by hand, and an approved figure is never changed (a correction is a new edition), so the history
of figures is read but not reverted.
"""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from frameworks import roles
from frameworks.admin import (
    PlanContentAdmin,
    SixLanguageAdmin,
    TranslatedAdmin,
    VersionedAdmin,
    VersionedForm,
)
from itu_rbm.formats import plain_number

from . import services
from .models import Geography, Indicator, Observation, OutputDelivery, Release, Series, Statistic
from .numbers import (
    AmbiguousNumber,
    NumberError,
    how_numbers_are_written,
    read_typed_number,
    readings,
    which_number,
)
from .validation import FIELDS


@admin.register(Indicator)
class IndicatorAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "target", "sector", "is_main", "unit", "target_value"]
    list_filter = ["plan", "sector", "is_main", "unit", "target_kind"]
    list_select_related = ["plan", "target", "sector"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["headline_geography"]


@admin.register(Geography)
class GeographyAdmin(TranslatedAdmin):
    list_display = ["code", "kind", "name", "region", "is_member_state"]
    list_filter = ["kind", "is_member_state", "region"]
    list_select_related = ["region"]
    search_fields = ["code", "name", "iso2", "m49"]
    filter_horizontal = ["members"]


@admin.register(Series)
class SeriesAdmin(TranslatedAdmin):
    list_display = ["code", "name", "unit", "direction"]
    search_fields = ["code", "name"]
    readonly_fields = ["code"]


@admin.register(Release)
class ReleaseAdmin(admin.ModelAdmin):
    """Releases come from the loaded files; here an administrator chooses which one leads."""

    list_display = ["series", "publisher", "publication", "edition", "is_leading", "is_computed"]
    list_filter = ["is_leading", "is_computed", "publisher", "series"]
    list_select_related = ["series"]
    fields = [
        "series",
        "publisher",
        "publication",
        "edition",
        "released_on",
        "source",
        "source_url",
        "licence",
        "is_computed",
        "is_leading",
    ]
    readonly_fields = [field for field in fields if field != "is_leading"]

    def save_model(self, request, obj, form, change):
        if obj.is_leading and "is_leading" in form.changed_data:
            obj.make_leading()  # and no other release of the series
        else:
            super().save_model(request, obj, form, change)


@admin.register(Statistic)
class StatisticAdmin(admin.ModelAdmin):
    """Read only: published figures change by loading a new release."""

    list_display = ["geography", "series", "year", "sex", "age", "area", "value", "is_estimate"]
    list_filter = ["release__series", "sex", "age", "area", "is_estimate"]
    list_select_related = ["geography", "release__series"]
    search_fields = ["geography__code"]
    show_full_result_count = False  # millions of rows: no COUNT(*) on every page

    @admin.display(description=_("series"), ordering="release__series__code")
    def series(self, statistic):
        return statistic.release.series

    def has_change_permission(self, request, obj=None):
        return False


def figure_as_raw(cleaned_data: dict) -> dict:
    """A form's cleaned values as a row of the import format (codes, not objects), for
    indicators.validation.ObservationValidator."""
    raw = {field: cleaned_data.get(field) for field in FIELDS}
    for field in ("indicator", "geography"):
        if raw[field] is not None:
            raw[field] = raw[field].code
    return raw


class ObservationForm(VersionedForm):
    """The figure's values, checked by the same rules as an import or the API."""

    user = None  # set by ObservationAdmin.get_form
    source_url = forms.URLField(
        label=_("source address"), max_length=500, required=False, assume_scheme="https"
    )

    # typed as the admin's language writes numbers ("407,5" in French), shown so (localize)
    value = forms.CharField(label=_("value"), max_length=40, localize=True)

    class Meta:
        model = Observation
        fields = list(FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            # shown without the stored trailing zeros (407.500000 -> 407,5)
            self.initial["value"] = Decimal(plain_number(self.instance.value))

    def clean_value(self) -> Decimal:
        """Read as the language writes numbers; a text that reads two ways ("1,234" in French)
        is refused with both readings and how to write each, never guessed."""
        text = self.cleaned_data["value"]
        shown = self.initial.get("value")
        try:
            return read_typed_number(text, shown=shown if isinstance(shown, Decimal) else None)
        except AmbiguousNumber as asked:
            raise forms.ValidationError(
                [which_number(asked), *readings(asked).values()], code="ambiguous"
            ) from None
        except NumberError:
            raise forms.ValidationError(how_numbers_are_written(text), code="invalid") from None

    def clean(self):
        cleaned_data = super().clean()
        indicator = cleaned_data.get("indicator")
        if self.errors or indicator is None:
            return cleaned_data  # the fields' own errors come first
        try:
            services.observation_validate(
                plan=indicator.plan,
                raw=figure_as_raw(cleaned_data),
                user=self.user,
                exclude_pk=self.instance.pk,
            )
        except services.InvalidFigure as invalid:
            for field, problems in invalid.by_field().items():
                self.add_error(field if field in self.fields else None, problems)
        except services.WorkflowError as refused:
            self.add_error("indicator", str(refused))
        return cleaned_data


@admin.register(Observation)
class ObservationAdmin(VersionedAdmin):
    form = ObservationForm
    list_display = [
        "indicator",
        "geography",
        "year",
        "value",
        "publisher",
        "publication",
        "edition",
        "status",
        "reported_by",
        "submitted_at",
    ]
    list_filter = ["status", "indicator__sector", "indicator__plan", "year"]
    list_select_related = ["indicator", "geography", "reported_by"]
    search_fields = ["indicator__code", "geography__code", "publisher", "publication", "edition"]
    autocomplete_fields = ["geography"]
    readonly_fields = [
        "status",
        "reported_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "version",
        "updated_at",
        "created_at",
    ]
    actions = ["approve_selected", "return_selected", "submit_selected"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"user": request.user})

    def may_change(self, user, obj) -> bool:
        return roles.can_revise(user, obj)

    def has_review_permission(self, request) -> bool:
        return roles.has_role(request.user, roles.Role.REVIEWER)

    def has_report_permission(self, request) -> bool:
        return roles.has_role(request.user, roles.Role.REPORTER)

    def revert_disabled(self, request, obj=None):
        return True  # a figure moves by the workflow, not by restoring an old state

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        """Through the workflow's services: reported (submitted at once) or revised."""
        raw = figure_as_raw(form.cleaned_data)
        if change:
            saved = services.observation_revise(
                observation=obj,
                raw=raw,
                user=request.user,
                based_on_version=form.cleaned_data["based_on_version"],
            )
        else:
            saved = services.observation_report(
                plan=form.cleaned_data["indicator"].plan, raw=raw, user=request.user
            )
        obj.pk = saved.pk
        obj.refresh_from_db()

    def _review(self, request, queryset, *, approve: bool, comment: str = ""):
        try:
            count = services.observations_review(
                observations=list(queryset), user=request.user, approve=approve, comment=comment
            )
        except services.WorkflowError as refused:
            self.message_user(
                request,
                gettext("Nothing was changed: %(reason)s") % {"reason": refused},
                messages.ERROR,
            )
            return
        message = (
            ngettext("%(count)d figure approved.", "%(count)d figures approved.", count)
            if approve
            else ngettext("%(count)d figure returned.", "%(count)d figures returned.", count)
        )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected figures"), permissions=["review"])
    def approve_selected(self, request, queryset):
        self._review(request, queryset, approve=True)

    @admin.action(
        description=_("Return the selected figures to their reporters…"), permissions=["review"]
    )
    def return_selected(self, request, queryset):
        """A page that asks why, then returns every selected figure or none."""
        comment = request.POST.get("comment", "").strip()
        if "confirm" in request.POST and comment:
            self._review(request, queryset, approve=False, comment=comment)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Return figures to their reporters"),
            "opts": self.model._meta,
            "observations": queryset.select_related("indicator", "geography"),
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            "comment": comment,
            "missing_comment": "confirm" in request.POST,
        }
        return TemplateResponse(request, "admin/indicators/observation/return.html", context)

    @admin.action(description=_("Submit the selected figures for review"), permissions=["report"])
    def submit_selected(self, request, queryset):
        try:
            with transaction.atomic():
                observations = list(queryset.select_related("indicator__sector"))
                for observation in observations:
                    services.observation_submit(observation=observation, user=request.user)
        except services.WorkflowError as refused:
            self.message_user(
                request,
                gettext("Nothing was changed: %(reason)s") % {"reason": refused},
                messages.ERROR,
            )
            return
        self.message_user(
            request,
            ngettext(
                "%(count)d figure submitted.", "%(count)d figures submitted.", len(observations)
            )
            % {"count": len(observations)},
            messages.SUCCESS,
        )


@admin.register(OutputDelivery)
class OutputDeliveryAdmin(VersionedAdmin, SixLanguageAdmin):
    """Delivery records are made and reviewed in the workspace (the output, the year against
    the reporting window, the review workflow); here staff read them in their sectors, and
    administrators correct a record's words or evidence. Its review state is never edited by
    hand."""

    list_display = ["output", "year", "delivery", "status", "reported_by", "reviewed_by"]
    list_filter = ["status", "delivery", "year", "output__objective__sector", "output__plan"]
    list_select_related = ["output", "reported_by", "reviewed_by"]
    search_fields = ["output__code"]
    fields = [
        "output",
        "year",
        "delivery",
        "narrative",
        "evidence_url",
        "status",
        "reported_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "version",
        "updated_at",
    ]
    readonly_fields = [
        "output",
        "year",
        "status",
        "reported_by",
        "submitted_at",
        "reviewed_by",
        "reviewed_at",
        "review_comment",
        "version",
        "updated_at",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "evidence_url":
            kwargs["assume_scheme"] = "https"  # as the workspace asks for it
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def may_change(self, user, obj) -> bool:
        return roles.is_administrator(user)

    def has_add_permission(self, request):
        return False  # recorded in the workspace, where the output and the year are checked

    def has_change_permission(self, request, obj=None):
        return roles.is_administrator(request.user) and super().has_change_permission(request, obj)

    def revert_disabled(self, request, obj=None):
        return True  # a record moves by the workflow, not by restoring an old state
