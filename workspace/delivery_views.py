"""The secretariat's workspace, outputs side: a reporter records whether an output of their
sectors was delivered in a year (and changes the record until it is approved); the reviewer's
queue (workspace/views.py) shows the records beside the figures. Every write goes through
indicators.services, the same review workflow as figures."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from frameworks import roles
from frameworks.i18n import text_columns
from frameworks.models import Objective, Output, StrategicPlan
from indicators import services
from indicators.delivery import narrative_of
from indicators.models import OutputDelivery
from indicators.validation import ReportingWindow

from .plan_views import role_required

Status = OutputDelivery.Status


class DeliveryForm(forms.Form):
    """A delivery record as a reporter types it; indicators.services decides whether it is
    valid (the output in the reporter's sectors, the year in the plan's reporting window)."""

    output = forms.ChoiceField(label=gettext_lazy("Output"))
    year = forms.CharField(
        label=gettext_lazy("Year"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    delivery = forms.ChoiceField(
        label=gettext_lazy("Delivery"),
        choices=OutputDelivery.Delivery.choices,
        widget=forms.RadioSelect,
    )
    narrative = forms.CharField(
        label=gettext_lazy("Narrative"),
        max_length=services.NARRATIVE_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "What was delivered, in a few sentences, in any of the six languages."
        ),
    )
    narrative_language = forms.ChoiceField(
        label=gettext_lazy("Language of the narrative"), choices=settings.LANGUAGES
    )
    evidence_url = forms.CharField(
        label=gettext_lazy("Evidence (web address)"),
        max_length=600,
        required=False,
        help_text=gettext_lazy("A page or document that shows the delivery, if there is one."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, objectives, window=None, fixed=False, **kwargs):
        super().__init__(*args, **kwargs)
        if window is not None:
            self.fields["year"].help_text = _("From %(first)s to %(last)s.") % {
                "first": window.first,
                "last": window.last,
            }
        # the outputs grouped by objective (an <optgroup> each)
        self.fields["output"].choices = [("", "—")] + [
            (
                f"{objective.code} — {objective.short_name}",
                [
                    (output.code, f"{output.code} — {Truncator(output.text).chars(90)}")
                    for output in objective.output_list
                ],
            )
            for objective in objectives
            if objective.output_list
        ]
        self.fields["narrative_language"].initial = translation.get_language()
        if fixed:  # a record keeps its output and year; only what it says changes
            for name in ("output", "year"):
                self.fields[name].disabled = True

    def add_refusal(self, refused: services.WorkflowError) -> None:
        if isinstance(refused, services.InvalidDelivery):
            for field, problems in refused.by_field().items():
                self.add_error(field if field in self.fields else None, problems)
        else:
            self.add_error(None, str(refused))


def _objectives(user, plan: StrategicPlan) -> list[Objective]:
    """The plan's objectives in the user's sectors, each with its outputs. Two queries."""
    objectives = Objective.objects.filter(plan=plan).order_by("sector__order", "order")
    scope = roles.scope_filter(user, Objective)
    if scope is not None:
        objectives = objectives.filter(scope)
    return list(
        objectives.only(
            "code", "plan_id", "sector_id", *text_columns("short_name")
        ).prefetch_related(
            Prefetch(
                "outputs",
                Output.objects.order_by("order").only(
                    "code", "objective_id", "order", *text_columns("text")
                ),
                to_attr="output_list",
            )
        )
    )


def _delivery_form(request, plan, *, data=None, initial=None, fixed=False) -> DeliveryForm:
    return DeliveryForm(
        data,
        initial=initial,
        objectives=_objectives(request.user, plan),
        window=ReportingWindow.for_plan(plan),
        fixed=fixed,
    )


def _describe(record: OutputDelivery) -> str:
    return f"{record.output.code} · {record.year}"


@require_safe
@role_required(roles.Role.REPORTER)
def deliveries(request):
    """/workspace/delivery/: the delivery records the user made, those waiting for them first."""
    order = {"returned": 0, "draft": 1, "submitted": 2, "approved": 3}
    mine = list(
        OutputDelivery.objects.filter(reported_by=request.user)
        .select_related("output", "reviewed_by")
        .order_by("-updated_at")[:200]
    )
    mine.sort(key=lambda record: order[record.status])
    return render(request, "workspace/deliveries.html", {"records": mine, "section": "deliveries"})


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(roles.Role.REPORTER)
def record(request):
    """/workspace/delivery/new/: record an output's delivery in a year; submitted for review."""
    plan = StrategicPlan.objects.current()
    if plan is None:
        raise Http404(_("No plan is published yet."))
    # the desk links here with the output and the year filled in
    existing = None
    prefilled = {name: request.GET[name] for name in ("output", "year") if request.GET.get(name)}
    form = _delivery_form(request, plan, data=request.POST or None, initial=prefilled)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.delivery_record(plan=plan, raw=form.cleaned_data, user=request.user)
        except services.InvalidDelivery as invalid:
            form.add_refusal(invalid)
            existing = invalid.existing
            if existing is not None and services.delivery_revise_refusal(request.user, existing):
                existing = None  # not theirs to change: the message says enough
        except services.WorkflowError as refused:
            form.add_refusal(refused)
        else:
            messages.success(
                request,
                _("The delivery of %(record)s was submitted for review.")
                % {"record": _describe(saved)},
            )
            return redirect("workspace:deliveries")
    context = {
        "form": form,
        "plan_code": plan.code,
        "existing": existing,
        "section": "delivery_record",
    }
    return render(
        request, "workspace/delivery_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(roles.Role.REPORTER)
def revise(request, pk):
    """/workspace/delivery/<pk>/: change a delivery record one made, until it is approved (a
    returned record goes back to review)."""
    visible = OutputDelivery.objects.select_related(
        "output__plan", "output__objective__sector", "reviewed_by"
    )
    scope = roles.scope_filter(request.user, OutputDelivery)
    found = get_object_or_404(visible if scope is None else visible.filter(scope), pk=pk)
    refusal = services.delivery_revise_refusal(request.user, found)
    if refusal:
        return render(request, "workspace/forbidden.html", {"reason": refusal}, status=403)
    language = translation.get_language()
    text, written_in = narrative_of(found)
    initial = {
        "output": found.output.code,
        "year": found.year,
        "delivery": found.delivery,
        "narrative": text,
        "narrative_language": written_in or language,
        "evidence_url": found.evidence_url,
        "version": found.version,
    }
    form = _delivery_form(
        request, found.output.plan, data=request.POST or None, initial=initial, fixed=True
    )
    if request.method == "POST" and form.is_valid():
        based_on = form.cleaned_data["version"]
        try:
            services.delivery_revise(
                record=found,
                raw=form.cleaned_data,
                user=request.user,
                based_on_version=based_on if based_on is not None else -1,
            )
        except services.StaleVersion as stale:
            form.data = form.data.copy()
            form.data["version"] = stale.current.version  # saving again is now deliberate
            form.add_error(None, str(stale))
        except services.WorkflowError as refused:
            form.add_refusal(refused)
        else:
            messages.success(
                request,
                _("The delivery of %(record)s was changed and submitted for review.")
                % {"record": _describe(found)},
            )
            return redirect("workspace:deliveries")
    context = {
        "form": form,
        "record": found,
        "plan_code": found.output.plan.code,
        "section": "deliveries",
    }
    return render(
        request, "workspace/delivery_form.html", context, status=400 if form.errors else 200
    )


# --- the reviewer's part of the queue (workspace/views.py's review page) -------------------------


class DeliveryReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    records = forms.ModelMultipleChoiceField(
        queryset=OutputDelivery.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Select at least one delivery record.")},
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, gettext_lazy("Approve")), (RETURN, gettext_lazy("Return"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the reporters (required to return records)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, scope: Q | None, **kwargs):
        super().__init__(*args, prefix="delivery", **kwargs)
        # any record of the reviewer's sectors: one no longer waiting is refused by the workflow
        records = OutputDelivery.objects.select_related("output__objective__sector")
        self.fields["records"].queryset = records if scope is None else records.filter(scope)

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") == self.RETURN
            and not cleaned_data.get("comment", "").strip()
        ):
            self.add_error(
                "comment", _("Say why the delivery records are returned: a comment is required.")
            )
        return cleaned_data


def review_deliveries(request, limit: int):
    """The delivery part of the review page: (form, waiting records, more than `limit`?, done).
    `done` is the success message after a valid POST of this form (the caller redirects).
    Two queries to list (the records, then the page's forms)."""
    scope = roles.scope_filter(request.user, OutputDelivery)
    posted = request.method == "POST" and request.POST.get("kind") == "deliveries"
    form = DeliveryReviewForm(request.POST if posted else None, scope=scope)
    done = None
    if posted and form.is_valid():
        approve = form.cleaned_data["decision"] == DeliveryReviewForm.APPROVE
        try:
            count = services.deliveries_review(
                deliveries=list(form.cleaned_data["records"]),
                user=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"].strip(),
            )
        except services.WorkflowError as refused:
            form.add_error(None, _("Nothing was changed: %(reason)s") % {"reason": refused})
        else:
            done = (
                ngettext(
                    "%(count)d delivery record approved.",
                    "%(count)d delivery records approved.",
                    count,
                )
                if approve
                else ngettext(
                    "%(count)d delivery record returned.",
                    "%(count)d delivery records returned.",
                    count,
                )
            ) % {"count": count}
    queue = OutputDelivery.objects.awaiting_review().select_related("output", "reported_by")
    if scope is not None:
        queue = queue.filter(scope)
    records = list(queue[: limit + 1])
    return form, records[:limit], len(records) > limit, done
