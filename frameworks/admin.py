"""The secretariat's editing screens: every element of the plan, every language in tabs, with
history (who changed what, as a diff per field and language) and revert on each element.

Three rules hold on every screen of plan content (PlanContentAdmin, and the observations'
admin in indicators/admin.py):

- Sector scope (frameworks.roles): lists show the elements of the user's sectors; change,
  delete and revert need `roles.can_edit`; choices of sectors, objectives, outcomes and
  indicators are limited to the user's sectors. Administrators see and change everything.
- No lost edits: each change form carries the version it was opened at; a save based on an
  older version is refused, showing what changed meanwhile (their value, your value), and the
  form keeps the user's input. Every successful save increments the version.
- Users: assigning a role also makes the user staff, since without staff status nobody can
  sign in to the admin (a role without it would be a role that cannot be used here). An
  administrator who is not a superuser manages accounts without becoming more than an
  administrator: no superuser status, no permissions outside the roles, no superuser's account,
  password or token, no API key shown after it was issued (frameworks.roles.can_manage_user).
"""

import json
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, DELETION, LogEntry
from django.contrib.admin.options import get_content_type_for_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language_info, gettext
from django.utils.translation import gettext_lazy as _
from knox.models import AuthToken
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from . import models, roles, services

# --- no lost edits ------------------------------------------------------------------------------


class VersionedForm(forms.ModelForm):
    """A change form that knows the version it was opened at (a hidden field) and refuses a save
    based on an older one, listing what changed meanwhile in `conflicts`."""

    based_on_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflicts: list[services.Conflict] = []
        self.stored_version: int | None = None
        if self.instance.pk is not None and not self.is_bound:
            # read, not taken from the instance: a revert form is built on an old version
            self.initial["based_on_version"] = (
                type(self.instance)
                ._default_manager.filter(pk=self.instance.pk)
                .values_list("version", flat=True)
                .first()
            )

    def clean(self):
        cleaned_data = super().clean()
        if self.instance.pk is None:
            return cleaned_data
        stored = type(self.instance)._default_manager.filter(pk=self.instance.pk)
        if connection.in_atomic_block:
            stored = stored.select_for_update()  # held until the save is written
        stored = stored.first()
        if stored is None:
            raise forms.ValidationError(_("This element was deleted meanwhile."))
        based_on = cleaned_data.get("based_on_version")
        if based_on is None:
            raise forms.ValidationError(
                _("This form does not say which version it was opened at: reload the page.")
            )
        if based_on != stored.version:
            columns = {f.name for f in self._meta.model._meta.concrete_fields}
            yours = {name: value for name, value in cleaned_data.items() if name in columns}
            self.conflicts = services.edit_conflicts(stored, based_on=based_on, yours=yours)
            # The form shown again is based on what is stored now: saving it again, after
            # reading the differences, is a deliberate choice.
            self.data = self.data.copy()
            self.data[self.add_prefix("based_on_version")] = stored.version
            raise forms.ValidationError(
                _(
                    "Someone else saved this element while you were editing it (version "
                    "%(stored)s; you opened version %(yours)s). Nothing was saved: compare "
                    "their values with yours below, then save again to keep yours."
                )
                % {"stored": stored.version, "yours": based_on},
                code="stale_version",
            )
        self.stored_version = stored.version
        return cleaned_data


class HistoryAdmin(SimpleHistoryAdmin):
    """History pages as readable diffs (field, old, new; one row per language of a text), and a
    revert that only those who may change the element can use."""

    object_history_list_template = "admin/history_list.html"
    object_history_form_template = "admin/history_form.html"

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = services.history_delta(previous, current)
                helper = HistoricalRecordContextHelper(
                    self.model, previous, max_displayed_delta_change_chars=400
                )
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def revert_disabled(self, request, obj=None):
        return super().revert_disabled(request, obj) or not self.has_change_permission(request, obj)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            current = self.get_object(request, object_id)
            if current is None or not self.has_change_permission(request, current):
                raise PermissionDenied
        with transaction.atomic():  # the version check locks the element until it is written
            return super().history_form_view(request, object_id, version_id, extra_context)


# --- sector scope -------------------------------------------------------------------------------


def is_autocomplete(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.url_name == "autocomplete"


class ScopeMixin:
    """Sector scope for a ModelAdmin or an inline: choices of sector-owned rows (sectors,
    objectives, indicators…) and of an enabler's provider are those of the user's sectors, as
    frameworks.roles says."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        if roles.is_sector_owned(related):
            queryset = kwargs.get("queryset", related._default_manager.all())
            scope = roles.scope_filter(request.user, related)
            kwargs["queryset"] = queryset if scope is None else queryset.filter(scope)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        model = db_field.model
        if getattr(model, "sector_path", None) == db_field.name:  # e.g. an enabler's provider
            allowed = roles.allowed_sector_values(request.user, model)
            if allowed is not None:
                kwargs["choices"] = [
                    (value, label) for value, label in db_field.choices if value in allowed
                ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


class ScopedAdmin(ScopeMixin, admin.ModelAdmin):
    """Lists, change pages and deletions limited to the user's sectors."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_autocomplete(request) and not roles.is_sector_owned(self.model):
            # choosing a goal or a target to link to is reading plan-wide content, not editing it
            return queryset
        scope = roles.scope_filter(request.user, self.model)
        return queryset if scope is None else queryset.filter(scope)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not is_autocomplete(request):
            # outside the user's sectors: say so (403), rather than "does not exist"
            field = self.model._meta.get_field(from_field) if from_field else self.model._meta.pk
            try:
                exists = self.model._default_manager.filter(
                    **{field.name: field.to_python(object_id)}
                ).exists()
            except (ValueError, ValidationError):
                exists = False
            if exists:
                raise PermissionDenied
        return obj

    def may_change(self, user, obj) -> bool:
        return roles.can_edit(user, obj)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or roles.in_scope(request.user, obj)
        )

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or self.may_change(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or self.may_change(request.user, obj)
        )

    def has_add_permission(self, request):
        return super().has_add_permission(request) and roles.has_scope_for(request.user, self.model)

    def save_model(self, request, obj, form, change):
        if not self.may_change(request.user, obj):
            # the choices already keep out other sectors; this is the last guard
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class ScopedInline(ScopeMixin):
    """An inline's rows belong to the parent's sector: they are written by who may edit it."""

    def _may(self, request, obj):
        return obj is None or roles.can_edit(request.user, obj)

    def has_add_permission(self, request, obj):
        return super().has_add_permission(request, obj) and self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._may(request, obj)


class VersionedAdmin(HistoryAdmin, ScopedAdmin):
    """Scope, history and the version check: the base of every editable element's admin."""

    form = VersionedForm
    change_form_template = "admin/versioned_change_form.html"

    def save_model(self, request, obj, form, change):
        if change:
            # the stored version, read (and locked) by the form's check; obj may be a revert
            obj.bump_version(based_on=form.stored_version)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        """Rows saved through an inline are new versions of themselves too."""
        instances = formset.save(commit=False)
        for instance in instances:
            if instance.pk is not None and isinstance(instance, models.Editable):
                instance.bump_version()
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()


class LanguageDirection:
    """Each language's box reads in its own direction, whatever the admin's language: Arabic
    right to left (dir and lang on the input, so the browser lays out and spell-checks it as
    Arabic), the others left to right. modeltranslation only marks the Arabic boxes "mt-bidi"."""

    def patch_translation_field(self, db_field, field, request, **kwargs):
        super().patch_translation_field(db_field, field, request, **kwargs)
        language = getattr(db_field, "language", None)
        if language:
            widget = getattr(field.widget, "widget", field.widget)  # under "clearable" wrappers
            widget.attrs.update(
                lang=language, dir="rtl" if get_language_info(language)["bidi"] else "ltr"
            )


class SixLanguageAdmin(LanguageDirection, TabbedTranslationAdmin):
    """Translation tabs with each language's direction, the language menu agreeing with the tab
    that is open (static/js/admin-translations.js)."""

    class Media:
        js = ("js/admin-translations.js",)


class PlanContentAdmin(VersionedAdmin, SixLanguageAdmin):
    """The one base for plan content: translation tabs, history, sector scope, versions,
    filtered by plan."""

    list_filter = ["plan"]
    list_select_related = ["plan"]
    readonly_fields = ["version", "updated_at"]


class TranslatedAdmin(SixLanguageAdmin):
    """Shared reference data (sectors, SDGs…): translated, not tied to a plan."""


class TargetInline(ScopedInline, LanguageDirection, TranslationTabularInline):
    model = models.Target
    fields = ["code", "order", "text", "proposed"]
    extra = 0
    show_change_link = True


class OutcomeInline(ScopedInline, LanguageDirection, TranslationTabularInline):
    model = models.Outcome
    fields = ["code", "order", "text"]
    extra = 0


class OutputInline(ScopedInline, LanguageDirection, TranslationTabularInline):
    model = models.Output
    fields = ["code", "order", "text"]
    extra = 0


class GoalLinkInline(ScopedInline, admin.TabularInline):
    model = models.ObjectiveGoalLink
    extra = 0
    autocomplete_fields = ["goal"]


@admin.register(models.StrategicPlan)
class StrategicPlanAdmin(PlanContentAdmin):
    list_display = [
        "code",
        "title",
        "period_start",
        "period_end",
        "status",
        "progress_method",
        "reporting_reach_years",
    ]
    list_filter = ["status"]
    list_select_related = []
    search_fields = ["code", "title"]
    filter_horizontal = ["custodian_indicators"]


@admin.register(models.FrameworkLevel)
class FrameworkLevelAdmin(PlanContentAdmin):
    list_display = ["plan", "order", "name"]
    ordering = ["plan", "order"]


@admin.register(models.Value)
class ValueAdmin(PlanContentAdmin):
    list_display = ["plan", "order", "name"]
    search_fields = ["name", "description"]
    ordering = ["plan", "order"]


@admin.register(models.Goal)
class GoalAdmin(PlanContentAdmin):
    list_display = ["plan", "number", "short_name", "name"]
    search_fields = ["short_name", "name", "description"]
    ordering = ["plan", "number"]
    inlines = [TargetInline]
    filter_horizontal = ["sdg_targets"]


@admin.register(models.Target)
class TargetAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "goal", "text", "proposed"]
    list_filter = ["plan", "goal__number", "proposed", "data_sources"]
    list_select_related = ["plan", "goal"]
    search_fields = ["code", "text"]
    ordering = ["plan", "goal__number", "order"]
    filter_horizontal = ["data_sources"]


@admin.register(models.Objective)
class ObjectiveAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "sector", "short_name"]
    list_filter = ["plan", "sector"]
    list_select_related = ["plan", "sector"]
    search_fields = ["code", "short_name", "text"]
    ordering = ["plan", "sector__order", "order"]
    inlines = [GoalLinkInline, OutcomeInline, OutputInline]


@admin.register(models.Outcome, models.Output)
class OutcomeOutputAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "objective", "text"]
    list_filter = ["plan", "objective__sector", "objective"]
    list_select_related = ["plan", "objective"]
    search_fields = ["code", "text"]
    ordering = ["plan", "objective__sector__order", "objective__order", "order"]


@admin.register(models.Enabler)
class EnablerAdmin(PlanContentAdmin):
    list_display = ["code", "plan", "provider", "activity", "supports_all_objectives"]
    list_filter = ["plan", "provider", "objectives__sector"]
    search_fields = ["code", "activity", "contribution", "results"]
    ordering = ["plan", "order"]
    filter_horizontal = ["objectives"]


@admin.register(models.ObjectiveGoalLink)
class ObjectiveGoalLinkAdmin(HistoryAdmin, ScopedAdmin):
    list_display = ["objective", "goal", "kind"]
    list_filter = ["objective__plan", "kind", "goal__number", "objective__sector"]
    list_select_related = ["objective", "goal"]
    autocomplete_fields = ["objective", "goal"]


@admin.register(models.DataSource)
class DataSourceAdmin(TranslatedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Sector)
class SectorAdmin(TranslatedAdmin):
    list_display = ["code", "prefix", "name", "order"]


@admin.register(models.WsisActionLine)
class WsisActionLineAdmin(TranslatedAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]


@admin.register(models.Sdg)
class SdgAdmin(TranslatedAdmin):
    list_display = ["number", "name"]
    search_fields = ["name"]


@admin.register(models.SdgTarget)
class SdgTargetAdmin(admin.ModelAdmin):
    list_display = ["code", "sdg"]
    list_filter = ["sdg"]
    search_fields = ["code"]


@admin.register(models.SdgIndicator)
class SdgIndicatorAdmin(admin.ModelAdmin):
    list_display = ["code", "target"]
    search_fields = ["code"]


@admin.register(models.WsisContribution, models.SdgContribution)
class ContributionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "outputs", "activities"]
    list_filter = ["plan"]
    list_select_related = True


# --- users, roles and sectors -------------------------------------------------------------------


class SectorAssignmentInline(admin.TabularInline):
    model = models.SectorAssignment
    extra = 1
    verbose_name_plural = _("sectors (the roles apply within these)")


SUPERUSER_ONLY_FIELDS = ("is_superuser", "user_permissions")
"""Superuser status and permissions outside the roles: only a superuser sees and gives them,
else an administrator could make themselves (or a friend) more than an administrator."""


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    """Django's user admin, with the user's sectors; a role (group) also grants staff status.
    Who may change which account, and give which role, is frameworks.roles' decision
    (can_manage_user, can_grant_group)."""

    inlines = [SectorAssignmentInline]
    list_display = ["username", "email", "role_names", "sector_codes", "is_staff", "is_active"]
    list_filter = ["groups", "sector_assignments__sector", "is_staff", "is_active"]

    def get_queryset(self, request):
        # the list shows each user's roles and sectors: two prefetches, not two queries per row
        return (
            super().get_queryset(request).prefetch_related("groups", "sector_assignments__sector")
        )

    @admin.display(description=_("roles"))
    def role_names(self, user):
        return ", ".join(sorted(group.name for group in user.groups.all()))

    @admin.display(description=_("sectors"))
    def sector_codes(self, user):
        return ", ".join(a.sector.code for a in user.sector_assignments.all())

    def has_change_permission(self, request, obj=None):
        # the password form asks this too: a superuser's password stays out of reach
        return super().has_change_permission(request, obj) and (
            obj is None or roles.can_manage_user(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or roles.can_manage_user(request.user, obj)
        )

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        return [
            (
                name,
                {
                    **options,
                    "fields": [f for f in options["fields"] if f not in SUPERUSER_ONLY_FIELDS],
                },
            )
            for name, options in fieldsets
        ]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            groups = Group.objects.all()
            kwargs["queryset"] = groups.filter(
                pk__in=[group.pk for group in groups if roles.can_grant_group(request.user, group)]
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if "groups" in form.base_fields:
            form.base_fields["groups"].help_text = _(
                "The user's roles: Reporter, Editor, Reviewer, Administrator. They apply within "
                "the sectors below. Giving a role also gives staff status (the right to sign in "
                "here)."
            )
        return form

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        user = form.instance
        roles.forget(user)
        if roles.roles_of(user) and not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
            self.message_user(
                request,
                gettext("%(user)s has a role, and can now sign in to the admin (staff status).")
                % {"user": user.get_username()},
                messages.INFO,
            )


# knox registers an admin of its own, which lists digests and never asks who may issue for whom
admin.site.unregister(AuthToken)


@dataclass(frozen=True)
class TokenShown:
    """How confirmations and the admin's log name a token: by whose it is (knox names a token
    by its digest; its key is not stored at all)."""

    pk: object
    username: str

    @classmethod
    def of(cls, token) -> "TokenShown":
        return cls(pk=token.pk, username=token.user.get_username())

    def __str__(self):
        return gettext("API token of %(user)s") % {"user": self.username}


TOKEN_PREFIX_SHOWN = 8


class IssueTokenForm(forms.ModelForm):
    """Issue a token: for whom, and for how long (settings.API_TOKEN_TTL_DAYS unless chosen)."""

    valid_days = forms.IntegerField(
        label=_("valid for (days)"),
        min_value=1,
        max_value=max(366, settings.API_TOKEN_TTL_DAYS),
        initial=settings.API_TOKEN_TTL_DAYS,
        help_text=_("The token stops working after this many days; issue a new one then."),
    )

    class Meta:
        model = AuthToken
        fields = ["user"]


@admin.register(AuthToken)
class PortalTokenAdmin(admin.ModelAdmin):
    """API tokens (django-rest-knox: only a hash of each key is stored), issued and revoked by
    administrators for the accounts they may manage (roles.can_manage_user: never a
    superuser's). A key is shown once, to whoever issues it; lists, confirmations and the admin's
    log name the token's user and show the first characters of its key. Tokens are never edited
    (changing a token's user would hand an existing key to another account), and a token's own
    page is for superusers only."""

    form = IssueTokenForm
    list_display = ["user", "key_prefix", "created", "expiry"]
    list_select_related = ["user"]
    search_fields = ["user__username"]
    ordering = ["-created"]
    readonly_fields = ["key_prefix", "created", "expiry"]

    @admin.display(description=_("key begins with"))
    def key_prefix(self, token):
        return f"{token.token_key[:TOKEN_PREFIX_SHOWN]}…"

    def get_fields(self, request, obj=None):
        return ["user", "valid_days"] if obj is None else ["user", *self.readonly_fields]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = User.objects.filter(is_superuser=False)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_list_display_links(self, request, list_display):
        if not request.user.is_superuser:
            return None  # the token's page is closed to them: no link to it
        return super().get_list_display_links(request, list_display)

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and (
            obj is None or request.user.is_superuser
        )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or roles.can_manage_user(request.user, obj.user)
        )

    def save_model(self, request, obj, form, change):
        if change or not roles.can_manage_user(request.user, obj.user):
            raise PermissionDenied  # the choices already keep such accounts out
        days = form.cleaned_data["valid_days"]
        token, key = AuthToken.objects.create(user=obj.user, expiry=timedelta(days=days))
        obj.pk, obj.token_key, obj.created, obj.expiry = (
            token.pk,
            token.token_key,
            token.created,
            token.expiry,
        )
        obj.issued_key = key  # for response_add: the only time it is known

    def response_add(self, request, obj, post_url_continue=None):
        self.message_user(
            request,
            gettext(
                "The API token of %(user)s is %(key)s. Give it to them now: it is not shown "
                "again. It works until %(expiry)s."
            )
            % {
                "user": obj.user.get_username(),
                "key": obj.issued_key,
                "expiry": date_format(localtime(obj.expiry), "DATETIME_FORMAT"),
            },
            messages.SUCCESS,
        )
        return HttpResponseRedirect(reverse("admin:knox_authtoken_changelist"))

    def delete_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is not None:
            extra_context = {**(extra_context or {}), "object": TokenShown.of(obj)}
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        _deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        return [str(TokenShown.of(token)) for token in objs], model_count, perms_needed, protected

    def delete_model(self, request, obj):
        request.token_shown = TokenShown.of(obj)  # for response_delete, which gets its digest
        super().delete_model(request, obj)

    def response_delete(self, request, obj_display, obj_id):
        return super().response_delete(request, str(request.token_shown), obj_id)

    def log_addition(self, request, obj, message):
        return self._log(request, obj, ADDITION, message)

    def log_deletions(self, request, queryset):
        return [self._log(request, obj, DELETION, "") for obj in queryset]

    @staticmethod
    def _log(request, obj, action_flag, message):
        # LogEntry's own helpers name the object by str(), which is the token's digest
        return LogEntry.objects.create(
            user_id=request.user.pk,
            content_type_id=get_content_type_for_model(obj).pk,
            object_id=str(obj.pk),
            object_repr=str(TokenShown.of(obj))[:200],
            action_flag=action_flag,
            change_message=message if isinstance(message, str) else json.dumps(message),
        )
