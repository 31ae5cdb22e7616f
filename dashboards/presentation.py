"""How statuses and figures read on the public pages: words, icons, colours, numbers, sentences.

The one place that maps a status (indicators.progress.Status) to what a visitor sees. Colours
meet WCAG 2.1 AA with white text (contrast >= 4.5:1, and >= 3:1 as chart marks on white); a
status is never shown by colour alone: its icon and its words go with it.

Pure functions over an `Assessment` and plain values: no database, unit-tested without HTTP.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from indicators.progress import Assessment, Status


@dataclass(frozen=True)
class StatusLook:
    status: Status
    label: Promise
    icon: str
    colour: str
    meaning: Promise


STATUS_LOOKS = {
    look.status: look
    for look in (
        StatusLook(
            Status.ACHIEVED,
            gettext_lazy("Target achieved"),
            "✔",
            "#00695c",
            gettext_lazy("The latest value already meets the target."),
        ),
        StatusLook(
            Status.ON_TRACK,
            gettext_lazy("On track"),
            "↑",
            "#2e7d32",
            # xgettext:no-python-format
            gettext_lazy("Moving fast enough: at least 95% of the pace the target requires."),
        ),
        StatusLook(
            Status.MODERATE,
            gettext_lazy("Moderate progress"),
            "↗",
            "#8d5b00",
            # xgettext:no-python-format
            gettext_lazy("Right direction, 60% to 95% of the required pace: needs to speed up."),
        ),
        StatusLook(
            Status.LIMITED,
            gettext_lazy("Limited progress"),
            "→",
            "#a33d00",
            # xgettext:no-python-format
            gettext_lazy("Right direction, but under 60% of the required pace."),
        ),
        StatusLook(
            Status.DETERIORATION,
            gettext_lazy("Deterioration"),
            "↓",
            "#b71c1c",
            gettext_lazy("Moving away from the target."),
        ),
        StatusLook(
            Status.MET_OR_ON_WAY,
            gettext_lazy("Met or on the way"),
            "↑",
            "#2e7d32",
            gettext_lazy(
                # xgettext:no-python-format
                "Met already, or the current pace covers at least 95% of the way by the target "
                "year."
            ),
        ),
        StatusLook(
            Status.FAIR,
            gettext_lazy("Fair progress"),
            "↗",
            "#8d5b00",
            # xgettext:no-python-format
            gettext_lazy("The current pace covers 10% to 95% of the way: acceleration needed."),
        ),
        StatusLook(
            Status.STAGNATION,
            gettext_lazy("Stagnation or regression"),
            "↓",
            "#b71c1c",
            # xgettext:no-python-format
            gettext_lazy("The current pace covers less than 10% of the way, or goes backwards."),
        ),
        StatusLook(
            Status.INSUFFICIENT_DATA,
            gettext_lazy("Insufficient data"),
            "?",
            "#55606e",
            gettext_lazy("There is data, but not enough to judge progress."),
        ),
        StatusLook(
            Status.NO_DATA,
            gettext_lazy("No data"),
            "–",
            "#6b6b6b",
            gettext_lazy("No figure has been published for this target yet."),
        ),
    )
}

# The order statuses are listed in (best first), per method; the last two are shared.
STATCAN_ORDER = (
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.MODERATE,
    Status.LIMITED,
    Status.DETERIORATION,
    Status.INSUFFICIENT_DATA,
    Status.NO_DATA,
)
UNSD_ORDER = (
    Status.MET_OR_ON_WAY,
    Status.FAIR,
    Status.STAGNATION,
    Status.INSUFFICIENT_DATA,
    Status.NO_DATA,
)
STATUS_ORDER = tuple(dict.fromkeys(STATCAN_ORDER + UNSD_ORDER))


def status_look(status: str) -> StatusLook:
    return STATUS_LOOKS[Status(status)]


def statuses_for(method: str) -> tuple[Status, ...]:
    return UNSD_ORDER if method == "unsd" else STATCAN_ORDER


# --- numbers ----------------------------------------------------------------------------------

_DECIMALS = {"ratio": 2, "index": 2, "count": 0}
_UNIT_FORMATS = {
    "percent": gettext_lazy("%(value)s%%"),
    "percent_gni": gettext_lazy("%(value)s%% of GNI per capita"),
    "per_100": gettext_lazy("%(value)s per 100 inhabitants"),
    "millions": gettext_lazy("%(value)s million"),
    "usd": gettext_lazy("US$%(value)s"),
}
_AXIS_TITLES = {
    "percent": gettext_lazy("per cent"),
    # xgettext:no-python-format
    "percent_gni": gettext_lazy("% of GNI per capita"),
    "per_100": gettext_lazy("per 100 inhabitants"),
    "millions": gettext_lazy("millions"),
    "usd": gettext_lazy("US dollars"),
    "count": gettext_lazy("count"),
    "ratio": gettext_lazy("ratio"),
    "index": gettext_lazy("index"),
}


def decimals_for(unit: str) -> int:
    """Most decimals a value of this unit is shown with (fewer when they are zeros)."""
    return _DECIMALS.get(unit, 1)


def format_number(value, max_decimals: int = 1) -> str:
    """67.0 -> '67', 68.234 -> '68.2', 1486.5 -> '1,486.5', in the active language's format."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-max_decimals), ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # never "-0"
    exponent = number.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    return number_format(number, decimal_pos=decimals, use_l10n=True, force_grouping=True)


def format_value(value, unit: str) -> str:
    """A figure with its unit ('67%', '1,486.5 million'); '' for no value."""
    if value is None:
        return ""
    number = format_number(value, decimals_for(unit))
    template = _UNIT_FORMATS.get(unit)
    return str(template) % {"value": number} if template else number


def format_rate(rate) -> str:
    """A yearly growth rate (0.0574 -> '5.7% a year')."""
    return _("%(value)s%% a year") % {"value": format_number(rate * 100, 1)}


def axis_title(unit: str) -> str:
    return str(_AXIS_TITLES.get(unit, ""))


# --- sentences --------------------------------------------------------------------------------


def status_sentence(assessment: Assessment, *, unit: str, geography: str) -> str:
    """The status in words with the numbers behind it, e.g. "On track: at the recent pace the
    figure for World reaches 68% in 2023, against a target of 65%."
    """
    status = Status(assessment.status)
    label = str(status_look(status).label)
    a = assessment
    numbers = {
        "status": label,
        "geography": geography,
        "latest": format_value(a.latest_value, unit),
        "latest_year": a.latest_year,
        "target": format_value(a.target_value, unit),
        "target_year": a.target_year,
        "projected": format_value(a.projected_value, unit),
        "base": format_value(a.base_value, unit),
        "base_year": a.base_year,
    }
    if status is Status.NO_DATA:
        return _("%(status)s: no figure for %(geography)s has been published yet.") % numbers
    if status is Status.INSUFFICIENT_DATA:
        if a.latest_value is None:
            return (
                _(
                    "%(status)s: there are no figures for %(geography)s between the base year "
                    "and %(target_year)s to measure progress from."
                )
                % numbers
            )
        return (
            _(
                "%(status)s: the latest figure for %(geography)s is %(latest)s "
                "(%(latest_year)s), but progress cannot be measured from the figures available."
            )
            % numbers
        )
    reached = (
        a.latest_year is not None and a.latest_year >= a.target_year
    ) or a.projected_value is None
    if status is Status.ACHIEVED or (status is Status.MET_OR_ON_WAY and reached):
        if a.target_value is None:
            return (
                _("%(status)s: the figure for %(geography)s was %(latest)s in %(latest_year)s.")
                % numbers
            )
        return (
            _(
                "%(status)s: the figure for %(geography)s was %(latest)s in %(latest_year)s, "
                "against a target of %(target)s by %(target_year)s."
            )
            % numbers
        )
    if a.target_value is None:
        return _(
            "%(status)s: the figure for %(geography)s went from %(base)s in %(base_year)s to "
            "%(latest)s in %(latest_year)s (%(rate)s); the plan sets no numeric target."
        ) % {**numbers, "rate": format_rate(a.cagr_observed or 0)}
    return (
        _(
            "%(status)s: at the recent pace the figure for %(geography)s reaches %(projected)s "
            "in %(target_year)s, against a target of %(target)s."
        )
        % numbers
    )


def assessment_facts(assessment: Assessment, *, unit: str) -> list[tuple[str, str]]:
    """The numbers behind a status, as (label, text) pairs; numbers that do not exist are left
    out."""
    a = assessment
    facts = []
    if a.base_value is not None:
        facts.append((_("Base"), _("%(value)s in %(year)s") % _vy(a.base_value, a.base_year, unit)))
    if a.latest_value is not None:
        facts.append(
            (_("Latest"), _("%(value)s in %(year)s") % _vy(a.latest_value, a.latest_year, unit))
        )
    if a.target_value is not None:
        facts.append(
            (_("Target"), _("%(value)s by %(year)s") % _vy(a.target_value, a.target_year, unit))
        )
    if a.cagr_observed is not None:
        facts.append((_("Observed growth"), format_rate(a.cagr_observed)))
    if a.cagr_required is not None:
        facts.append((_("Required growth"), format_rate(a.cagr_required)))
    if a.ratio is not None:
        facts.append((_("Ratio of observed to required pace"), format_number(a.ratio, 2)))
    if a.share_covered is not None:
        facts.append(
            (_("Share of the way covered"), format_value(a.share_covered * 100, "percent"))
        )
    if a.projected_value is not None and (a.latest_year or 0) < a.target_year:
        facts.append(
            (
                _("Projection at the recent pace"),
                _("%(value)s in %(year)s") % _vy(a.projected_value, a.target_year, unit),
            )
        )
    return facts


def _vy(value, year, unit) -> dict:
    return {"value": format_value(value, unit), "year": year}
