"""The secretariat's workspace, figures side: a reporter reports a figure and revises a returned
one; a reviewer works through the queue of submitted figures, each beside the figure it would
replace and its series, and approves or returns them in bulk. Every write goes through
indicators.services (the review workflow); every figure is checked by ObservationValidator."""

from dataclasses import dataclass
from decimal import Decimal

from axes.helpers import get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_safe

from frameworks import roles
from frameworks import services as plan_services
from frameworks.i18n import text_columns
from frameworks.models import StrategicPlan
from indicators import services, status
from indicators.models import Evidence, Geography, Indicator, Observation
from indicators.numbers import (
    AmbiguousNumber,
    NumberError,
    how_numbers_are_written,
    read_typed_number,
    readings,
    which_number,
)
from indicators.validation import ReportingWindow
from itu_rbm.formats import plain_number

from . import delivery_views
from .plan_views import role_required

QUEUE_LIMIT = 100
OUTLIER_CHANGE = Decimal("0.2")
"""A figure that differs by 20% or more from the one it is compared with is flagged for a
second look (a hint for the reviewer, not a rule)."""

SERIES_SHOWN = 6


# --- the reviewer's queue -----------------------------------------------------------------------


@dataclass
class QueueItem:
    observation: Observation
    previous: status.Point | None  # the figure it is compared with
    previous_kind: str  # "edition": same year, other edition; "year": the year before
    series: list  # approved series of the indicator for this geography: [Point]
    change: Decimal | None  # relative change from `previous`
    spark: dict | None

    @property
    def outlier(self) -> bool:
        return self.change is not None and abs(self.change) >= OUTLIER_CHANGE

    @property
    def change_percent(self) -> str:
        return "" if self.change is None else f"{self.change * 100:+.1f}%"

    @property
    def recent_series(self) -> list:
        return self.series[-SERIES_SHOWN:]


def sparkline(
    points: list[tuple[int, float]], candidate: tuple[int, float], *, width=120, height=32
):
    """Pure: an SVG polyline of the series and a dot for the figure under review, in a
    width × height box (2 px margin), or None without two points to draw."""
    everything = [*points, candidate]
    if len(everything) < 2:
        return None
    years = [year for year, _value in everything]
    values = [value for _year, value in everything]
    low_year, high_year = min(years), max(years)
    low, high = min(values), max(values)
    margin = 2

    def x(year):
        span = high_year - low_year or 1
        return round(margin + (year - low_year) / span * (width - 2 * margin), 1)

    def y(value):
        span = high - low or 1
        return round(height - margin - (value - low) / span * (height - 2 * margin), 1)

    return {
        "width": width,
        "height": height,
        "line": " ".join(f"{x(year)},{y(value)}" for year, value in points),
        "dot": (x(candidate[0]), y(candidate[1])),
    }


def queue_items(observations: list[Observation]) -> list[QueueItem]:
    """Each submitted figure beside what it would replace: the approved figure of the same
    indicator, geography and year from the edition in use (the newest), else the one of the
    year before; and the approved series. One query, whatever the number of figures."""
    rows = status.approved_rows(
        indicator_ids={o.indicator_id for o in observations},
        geography_ids={o.geography_id for o in observations},
    )
    by_series: dict[tuple, list] = {}
    for row in rows:
        by_series.setdefault((row.indicator_id, row.geography_id), []).append(row)
    chosen = {key: status.choose_points(series)[0] for key, series in by_series.items()}
    items = []
    for observation in observations:
        series = chosen.get((observation.indicator_id, observation.geography_id), [])
        same_year = [point for point in series if point.year == observation.year]
        earlier = [point for point in series if point.year < observation.year]
        if same_year:
            previous, kind = same_year[0], "edition"
        elif earlier:
            previous, kind = earlier[-1], "year"
        else:
            previous, kind = None, ""
        change = None
        if previous is not None and previous.value:
            change = (observation.value - previous.value) / abs(previous.value)
        spark = sparkline(
            [(point.year, float(point.value)) for point in series],
            (observation.year, float(observation.value)),
        )
        items.append(QueueItem(observation, previous, kind, series, change, spark))
    return items


class ReviewForm(forms.Form):
    APPROVE, RETURN = "approve", "return"

    figures = forms.ModelMultipleChoiceField(
        queryset=Observation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Select at least one figure.")},
    )
    decision = forms.ChoiceField(
        choices=[(APPROVE, gettext_lazy("Approve")), (RETURN, gettext_lazy("Return"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=gettext_lazy("Comment for the reporters (required to return figures)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, scope: Q | None, **kwargs):
        super().__init__(*args, **kwargs)
        # any figure of the reviewer's sectors: one that is no longer waiting is refused by the
        # workflow, with its reason, rather than as an unknown choice
        figures = Observation.objects.select_related("indicator__sector")
        self.fields["figures"].queryset = figures if scope is None else figures.filter(scope)

    def clean(self):
        cleaned_data = super().clean()
        if (
            cleaned_data.get("decision") == self.RETURN
            and not cleaned_data.get("comment", "").strip()
        ):
            self.add_error("comment", _("Say why the figures are returned: a comment is required."))
        return cleaned_data


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(roles.Role.REVIEWER)
def review(request):
    """/workspace/review/: figures, then outputs' delivery records, waiting for review in the
    reviewer's sectors, oldest first."""
    scope = roles.scope_filter(request.user, Observation)
    # two forms on the page: the figures', and the delivery records' (kind=deliveries)
    delivery_form, records, more_records, done = delivery_views.review_deliveries(
        request, QUEUE_LIMIT
    )
    if done:
        messages.success(request, done)
        return redirect("workspace:review")
    posted = request.method == "POST" and request.POST.get("kind") != "deliveries"
    form = ReviewForm(request.POST if posted else None, scope=scope)
    if posted and form.is_valid():
        approve = form.cleaned_data["decision"] == ReviewForm.APPROVE
        try:
            count = services.observations_review(
                observations=list(form.cleaned_data["figures"]),
                user=request.user,
                approve=approve,
                comment=form.cleaned_data["comment"].strip(),
            )
        except services.WorkflowError as refused:
            form.add_error(None, _("Nothing was changed: %(reason)s") % {"reason": refused})
        else:
            message = (
                ngettext("%(count)d figure approved.", "%(count)d figures approved.", count)
                if approve
                else ngettext("%(count)d figure returned.", "%(count)d figures returned.", count)
            )
            messages.success(request, message % {"count": count})
            return redirect("workspace:review")
    queue = Observation.objects.awaiting_review().select_related(
        "indicator", "geography", "reported_by"
    )
    if scope is not None:
        queue = queue.filter(scope)
    observations = list(queue[: QUEUE_LIMIT + 1])
    context = {
        "form": form,
        "items": queue_items(observations[:QUEUE_LIMIT]),
        "more": len(observations) > QUEUE_LIMIT,
        "limit": QUEUE_LIMIT,
        "selected": {str(pk) for pk in request.POST.getlist("figures")},
        "delivery_form": delivery_form,
        "records": records,
        "more_records": more_records,
        "selected_records": {str(pk) for pk in request.POST.getlist("delivery-records")},
        "section": "review",
    }
    failed = form.errors or delivery_form.errors
    return render(request, "workspace/review.html", context, status=400 if failed else 200)


# --- the reporter's pages -----------------------------------------------------------------------


class FigureForm(forms.Form):
    """A figure as a reporter types it. The form only checks that something was given; whether
    it is a valid figure is ObservationValidator's decision (through indicators.services), the
    same as for an import or the API."""

    indicator = forms.ChoiceField(label=gettext_lazy("Indicator"))
    geography = forms.ChoiceField(label=gettext_lazy("Geography"))
    year = forms.CharField(
        label=gettext_lazy("Year"),
        max_length=10,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    # typed as the page's language writes numbers ("407,5" in French), shown so (localize)
    value = forms.CharField(
        label=gettext_lazy("Value"),
        max_length=40,
        localize=True,
        widget=forms.TextInput(
            attrs={"inputmode": "decimal", "aria-describedby": "figure-context"}
        ),
    )
    # asked only when the value reads two ways ("1,234" in French): which number is meant
    value_reading = forms.CharField(
        label=gettext_lazy("Which number do you mean?"),
        required=False,
        widget=forms.RadioSelect,
    )
    # the citation: publisher, publication, edition (ObservationValidator checks the lengths)
    publisher = forms.CharField(
        label=gettext_lazy("Publisher"),
        max_length=400,
        help_text=gettext_lazy("Who published the figure, e.g. ITU."),
    )
    publication = forms.CharField(
        label=gettext_lazy("Publication"),
        max_length=400,
        help_text=gettext_lazy("Its name as published, e.g. Facts and Figures 2024."),
    )
    edition = forms.CharField(label=gettext_lazy("Edition"), max_length=400)
    # the provenance: how the value was obtained
    source = forms.CharField(
        label=gettext_lazy("Provenance"),
        max_length=600,
        help_text=gettext_lazy(
            "How the value was obtained: the file, page or report it was read in."
        ),
    )
    source_url = forms.CharField(
        label=gettext_lazy("Source address"), max_length=600, required=False
    )
    reported_in = forms.CharField(
        label=gettext_lazy("As reported by"),
        max_length=400,
        required=False,
        help_text=gettext_lazy(
            "Where only a report carries the figure (a news article, a summary): its name."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, indicators, geographies, window=None, **kwargs):
        super().__init__(*args, **kwargs)
        if window is not None:
            self.fields["year"].help_text = _("From %(first)s to %(last)s.") % {
                "first": window.first,
                "last": window.last,
            }
        self.indicators, self.geographies = indicators, geographies
        self.fields["indicator"].choices = [("", "—")] + [
            (indicator.code, f"{indicator.code} — {indicator.name}") for indicator in indicators
        ]
        self.fields["geography"].choices = [("", "—")] + [
            (geography.code, f"{geography.code} — {geography.name}") for geography in geographies
        ]

    def clean_value(self) -> Decimal:
        """The number as the page's language writes it; a text that reads two ways is asked
        about (both readings offered as value_reading), never guessed."""
        text = self.cleaned_data["value"]
        shown = self.initial.get("value")
        try:
            return read_typed_number(text, shown=shown if isinstance(shown, Decimal) else None)
        except AmbiguousNumber as asked:
            choices = readings(asked)
            self.fields["value_reading"].widget.choices = list(choices.items())
            chosen = self.data.get(self.add_prefix("value_reading"))
            if chosen in choices:
                return Decimal(chosen)
            raise forms.ValidationError(which_number(asked), code="ambiguous") from None
        except NumberError:
            raise forms.ValidationError(how_numbers_are_written(text), code="invalid") from None

    def add_other_problems(self, *, plan, user, exclude_pk=None) -> None:
        """When the form refused a field (a value it cannot read), the validator's problems
        with the other fields too, so that every problem is listed at once."""
        raw = {name: self.cleaned_data.get(name) for name in self.fields}
        try:
            services.observation_validate(plan=plan, raw=raw, user=user, exclude_pk=exclude_pk)
        except services.InvalidFigure as invalid:
            for field, problems in invalid.by_field().items():
                if field not in self.errors:
                    self.add_error(field if field in self.fields else None, problems)
        except services.WorkflowError as refused:
            self.add_error(None, str(refused))

    @property
    def asks_reading(self) -> bool:
        return bool(self.fields["value_reading"].widget.choices)

    def add_refusal(self, refused: services.WorkflowError) -> None:
        """What the review workflow refused, on the fields it names (or on the whole form)."""
        if isinstance(refused, services.InvalidFigure):
            for field, problems in refused.by_field().items():
                self.add_error(field if field in self.fields else None, problems)
        else:
            self.add_error(None, str(refused))


def _figure_form(request, plan, *, data=None, initial=None) -> FigureForm:
    """The form, with the reporter's indicators (their sectors'), every geography, and the
    plan's reporting window as the year's help (three queries)."""
    indicators = Indicator.objects.for_plan(plan).order_by(
        "target__goal__number", "target__order", "code"
    )
    scope = roles.scope_filter(request.user, Indicator)
    if scope is not None:
        indicators = indicators.filter(scope)
    return FigureForm(
        data,
        initial=initial,
        indicators=list(
            indicators.only("code", "unit", "min_value", "max_value", *text_columns("name"))
        ),
        geographies=list(Geography.objects.only("code", *text_columns("name"))),
        window=ReportingWindow.for_plan(plan),
    )


def _number(value: Decimal) -> str:
    """A stored value in the page's format, without its trailing zeros (407.500000 -> 407,5)."""
    return number_format(Decimal(plain_number(value)), use_l10n=True, force_grouping=True)


def figure_context(form: FigureForm) -> dict:
    """What the form shows beside the value: the chosen indicator's unit and expected range,
    and the last approved figure of that indicator and geography; for every indicator of the
    form, so that a script (static/js/figure-form.js) shows them when the choice changes.
    One query (the approved figures of the form's indicators)."""
    indicators = form.indicators
    geographies = {geography.pk: geography.code for geography in form.geographies}
    by_series: dict[tuple, list] = {}
    for row in status.approved_rows(indicator_ids=[indicator.pk for indicator in indicators]):
        by_series.setdefault((row.indicator_id, row.geography_id), []).append(row)
    codes = {indicator.pk: indicator.code for indicator in indicators}
    latest = {}
    for (indicator_id, geography_id), rows in by_series.items():
        if geography_id not in geographies:
            continue
        point = status.choose_points(rows)[0][-1]
        latest[f"{codes[indicator_id]}|{geographies[geography_id]}"] = _(
            "%(value)s in %(year)s (%(edition)s)"
        ) % {"value": _number(point.value), "year": point.year, "edition": point.edition}
    about = {}
    for indicator in indicators:
        low, high = indicator.min_value, indicator.max_value
        if low is None and high is None:
            expected = _("no range set")
        elif high is None:
            expected = _("%(min)s or more") % {"min": _number(low)}
        elif low is None:
            expected = _("up to %(max)s") % {"max": _number(high)}
        else:
            expected = f"{_number(low)} – {_number(high)}"
        about[indicator.code] = {"unit": str(indicator.get_unit_display()), "range": expected}
    chosen_indicator = form["indicator"].value() or ""
    chosen_geography = form["geography"].value() or ""
    shown = about.get(chosen_indicator)
    data = {
        "indicators": about,
        "latest": latest,
        "none": "—",
        "no_figure": str(_("no approved figure yet")),
    }
    return {
        "data": data,
        "unit": shown["unit"] if shown else data["none"],
        "range": shown["range"] if shown else data["none"],
        "latest": (
            latest.get(f"{chosen_indicator}|{chosen_geography}", data["no_figure"])
            if shown
            else data["none"]
        ),
    }


@require_safe
@role_required(roles.Role.REPORTER)
def figures(request):
    """/workspace/figures/: the figures the user reported, those waiting for them first."""
    order = {"returned": 0, "draft": 1, "submitted": 2, "approved": 3}
    mine = list(
        Observation.objects.filter(reported_by=request.user)
        .select_related("indicator", "geography", "reviewed_by")
        .order_by("-updated_at")[:200]
    )
    mine.sort(key=lambda observation: order[observation.status])
    return render(request, "workspace/figures.html", {"figures": mine, "section": "figures"})


PREFILLED = ("indicator", "geography", "year")


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(roles.Role.REPORTER)
def report(request):
    """/workspace/figures/new/: report a figure of the current plan; it is submitted for review."""
    plan = StrategicPlan.objects.current()
    if plan is None:
        raise Http404(_("No plan is published yet."))
    # the desk links here with the missing figure's indicator, geography and year filled in
    prefilled = {name: request.GET[name] for name in PREFILLED if request.GET.get(name)}
    form = _figure_form(request, plan, data=request.POST or None, initial=prefilled)
    if request.method == "POST" and form.is_valid():
        try:
            observation = services.observation_report(
                plan=plan, raw=form.cleaned_data, user=request.user
            )
        except services.WorkflowError as refused:
            form.add_refusal(refused)
        else:
            messages.success(
                request,
                _("%(figure)s was submitted for review.") % {"figure": _describe(observation)},
            )
            return redirect("workspace:figures")
    elif request.method == "POST":
        form.add_other_problems(plan=plan, user=request.user)
    context = {
        "form": form,
        "plan_code": plan.code,
        "section": "report",
        "figure_context": figure_context(form),
    }
    return render(
        request, "workspace/figure_form.html", context, status=400 if form.errors else 200
    )


@require_http_methods(["GET", "HEAD", "POST"])
@role_required(roles.Role.REPORTER)
def revise(request, pk):
    """/workspace/figures/<pk>/: change a figure one reported, until it is approved (a returned
    figure goes back to review). A change based on an older version is refused, showing what
    changed meanwhile, and the input is kept."""
    visible = Observation.objects.select_related(
        "indicator__plan", "indicator__sector", "geography"
    )
    scope = roles.scope_filter(request.user, Observation)
    observation = get_object_or_404(visible if scope is None else visible.filter(scope), pk=pk)
    if not roles.can_revise(request.user, observation):
        return render(
            request,
            "workspace/forbidden.html",
            {"reason": _("You may only change figures you reported, until they are approved.")},
            status=403,
        )
    initial = {
        "indicator": observation.indicator.code,
        "geography": observation.geography.code,
        "year": observation.year,
        "value": Decimal(plain_number(observation.value)),  # shown in the page's format
        "publisher": observation.publisher,
        "publication": observation.publication,
        "edition": observation.edition,
        "source": observation.source,
        "source_url": observation.source_url,
        "reported_in": observation.reported_in,
        "note": observation.note,
        "version": observation.version,
    }
    form = _figure_form(
        request, observation.indicator.plan, data=request.POST or None, initial=initial
    )
    conflicts = []
    if request.method == "POST" and form.is_valid():
        based_on = form.cleaned_data["version"]
        try:
            services.observation_revise(
                observation=observation,
                raw=form.cleaned_data,
                user=request.user,
                based_on_version=based_on if based_on is not None else -1,
            )
        except services.StaleVersion as stale:
            yours = {name: form.cleaned_data[name] for name in initial if name != "version"}
            conflicts = plan_services.edit_conflicts(
                stale.current, based_on=based_on or 0, yours=yours
            )
            form.data = form.data.copy()
            form.data["version"] = stale.current.version  # saving again is now deliberate
            form.add_error(None, str(stale))
        except services.WorkflowError as refused:
            form.add_refusal(refused)
        else:
            messages.success(
                request,
                _("%(figure)s was changed and submitted for review.")
                % {"figure": _describe(observation)},
            )
            return redirect("workspace:figures")
    elif request.method == "POST":
        form.add_other_problems(
            plan=observation.indicator.plan, user=request.user, exclude_pk=observation.pk
        )
    context = {
        "form": form,
        "observation": observation,
        "conflicts": conflicts,
        "plan_code": observation.indicator.plan.code,
        "section": "figures",
        "figure_context": figure_context(form),
        "attachments": list(Evidence.objects.of(observation).select_related("added_by")),
    }
    return render(
        request, "workspace/figure_form.html", context, status=400 if form.errors else 200
    )


def _describe(observation: Observation) -> str:
    return f"{observation.indicator.code} · {observation.geography.code} · {observation.year}"


# --- sign-in lock-out ---------------------------------------------------------------------------


def signin_locked(request, original_response=None, credentials=None):
    """The answer to a locked sign-in (axes' AXES_LOCKOUT_CALLABLE): 429, with how long to wait
    (the pair's whole cool-off: it only ends sooner) on the page and in Retry-After."""
    wait = get_cool_off(request)
    minutes = max(1, -(-int(wait.total_seconds()) // 60))  # rounded up: never "wait 0 minutes"
    response = render(
        request,
        "workspace/locked.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
    response["Retry-After"] = str(int(wait.total_seconds()))
    return response
