"""How statuses and figures read on the public pages: words, icons, colours, numbers, sentences.

The one place that maps a status (indicators.progress.Status) to what a visitor sees. Colours
meet WCAG 2.1 AA with white text (contrast >= 4.5:1, and >= 3:1 as chart marks on white); a
status is never shown by colour alone: its icon and its words go with it.

Pure functions over an `Assessment` and plain values: no database, unit-tested without HTTP.
"""

import functools
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

from indicators.progress import MEASURED, Assessment, Judgement, Status, Verdict


@dataclass(frozen=True)
class Look:
    """How a pace status or a verdict shows: its words, icon, colour and what it means."""

    value: Status | Verdict
    label: Promise
    icon: str
    colour: str
    meaning: Promise

    @property
    def css(self) -> str:
        """The badge's class, and its anchor on the method page."""
        kind = "verdict" if isinstance(self.value, Verdict) else "status"
        return f"{kind}-{self.value}"


STATUS_LOOKS = {
    look.value: look
    for look in (
        Look(
            Status.ACHIEVED,
            gettext_lazy("Target achieved"),
            "✔",
            "#00695c",
            gettext_lazy("The latest value already meets the target."),
        ),
        Look(
            Status.ON_TRACK,
            gettext_lazy("On track"),
            "↑",
            "#2e7d32",
            # xgettext:no-python-format
            gettext_lazy("Moving fast enough: at least 95% of the pace the target requires."),
        ),
        Look(
            Status.MODERATE,
            gettext_lazy("Moderate progress"),
            "↗",
            "#8d5b00",
            # xgettext:no-python-format
            gettext_lazy("Right direction, 60% to 95% of the required pace: needs to speed up."),
        ),
        Look(
            Status.LIMITED,
            gettext_lazy("Limited progress"),
            "→",
            "#a33d00",
            # xgettext:no-python-format
            gettext_lazy("Right direction, but under 60% of the required pace."),
        ),
        Look(
            Status.DETERIORATION,
            gettext_lazy("Deterioration"),
            "↓",
            "#b71c1c",
            gettext_lazy("Moving away from the target."),
        ),
        Look(
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
        Look(
            Status.FAIR,
            gettext_lazy("Fair progress"),
            "↗",
            "#8d5b00",
            # xgettext:no-python-format
            gettext_lazy("The current pace covers 10% to 95% of the way: acceleration needed."),
        ),
        Look(
            Status.STAGNATION,
            gettext_lazy("Stagnation or regression"),
            "↓",
            "#b71c1c",
            # xgettext:no-python-format
            gettext_lazy("The current pace covers less than 10% of the way, or goes backwards."),
        ),
        Look(
            Status.INSUFFICIENT_DATA,
            gettext_lazy("Insufficient data"),
            "?",
            "#55606e",
            gettext_lazy("There is data, but not enough to judge progress."),
        ),
        Look(
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


def status_look(status: str) -> Look:
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


@functools.cache
def _number_style(language: str | None) -> tuple[str, int, str]:
    """The language's decimal separator, grouping and thousand separator, read once: a page
    formats thousands of numbers (a country page's tables), each lookup costing as much as the
    formatting itself. Format files do not change while the process runs."""
    return (
        get_format("DECIMAL_SEPARATOR", language, use_l10n=True),
        get_format("NUMBER_GROUPING", language, use_l10n=True),
        get_format("THOUSAND_SEPARATOR", language, use_l10n=True),
    )


@functools.cache
def _unit_format(unit: str, language: str | None) -> str | None:
    """The unit's template in the language ('%(value)s%%'), translated once per language."""
    template = _UNIT_FORMATS.get(unit)
    return str(template) if template else None


def format_number(value, max_decimals: int = 1) -> str:
    """67.0 -> '67', 68.234 -> '68.2', 1486.5 -> '1,486.5', in the active language's format."""
    number = Decimal(str(value)).quantize(Decimal(1).scaleb(-max_decimals), ROUND_HALF_UP)
    if number == 0:
        number = abs(number)  # never "-0"
    exponent = number.normalize().as_tuple().exponent
    decimals = max(0, -exponent) if isinstance(exponent, int) else 0
    decimal_separator, grouping, thousand_separator = _number_style(get_language())
    return numberformat.format(
        number,
        decimal_separator,
        decimal_pos=decimals,
        grouping=grouping,
        thousand_sep=thousand_separator,
        force_grouping=True,
        use_l10n=True,
    )


def format_value(value, unit: str) -> str:
    """A figure with its unit ('67%', '1,486.5 million'); '' for no value."""
    if value is None:
        return ""
    number = format_number(value, decimals_for(unit))
    template = _unit_format(unit, get_language())
    return template % {"value": number} if template else number


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


# --- the verdict on a closed target -----------------------------------------------------------


VERDICT_LOOKS = {
    look.value: look
    for look in (
        Look(
            Verdict.ACHIEVED,
            gettext_lazy("Target achieved"),
            "✔",
            "#00695c",
            gettext_lazy(
                "A figure for the target year, or for an earlier year of the plan, meets the "
                "target."
            ),
        ),
        Look(
            Verdict.NOT_ACHIEVED,
            gettext_lazy("Target not achieved"),
            "✘",
            "#b71c1c",
            gettext_lazy("The figure for the target year falls short of the target."),
        ),
        Look(
            Verdict.NO_TARGET_YEAR_FIGURE,
            gettext_lazy("No figure for the target year"),
            "…",
            "#8d5b00",
            gettext_lazy(
                "The latest figure is older than the target year: the target can be neither "
                "confirmed nor ruled out."
            ),
        ),
        Look(
            Verdict.NO_NUMERIC_TARGET,
            gettext_lazy("No numeric target"),
            "○",
            "#0b5394",
            gettext_lazy(
                "The plan sets a direction but no figure to reach: the target cannot be judged "
                "met or missed."
            ),
        ),
        Look(
            Verdict.NO_BASE_FIGURE,
            gettext_lazy("No figure for the base year"),
            "?",
            "#6a3d9a",
            gettext_lazy(
                "The target is a change from a base year that has no figure, so the level it "
                "asks for is not known."
            ),
        ),
        Look(
            Verdict.NO_DATA,
            gettext_lazy("No data"),
            "–",
            "#6b6b6b",
            gettext_lazy("No figure has been published for this target yet."),
        ),
    )
}

VERDICT_ORDER = tuple(VERDICT_LOOKS)
"""The closed plan's verdicts, in the order they are listed (measured first)."""

# statuses that describe a pace: worth keeping as the history of a closed target
PACE_STATUSES = frozenset(STATUS_ORDER) - {
    Status.ACHIEVED,
    Status.INSUFFICIENT_DATA,
    Status.NO_DATA,
}


def verdict_look(verdict: str) -> Look:
    return VERDICT_LOOKS[Verdict(verdict)]


def verdict_count_part(verdict: str, count: int, target_year: int) -> str:
    """'2 achieved', '6 with no figure for 2023': one part of the overview's line."""
    verdict = Verdict(verdict)
    numbers = {"count": count, "year": target_year}
    if verdict is Verdict.ACHIEVED:
        return ngettext("%(count)s achieved", "%(count)s achieved", count) % numbers
    if verdict is Verdict.NOT_ACHIEVED:
        return ngettext("%(count)s not achieved", "%(count)s not achieved", count) % numbers
    if verdict is Verdict.NO_TARGET_YEAR_FIGURE:
        text = ngettext(
            "%(count)s with no figure for %(year)s", "%(count)s with no figure for %(year)s", count
        )
        return text % numbers
    if verdict is Verdict.NO_NUMERIC_TARGET:
        text = ngettext(
            "%(count)s with no numeric target", "%(count)s with no numeric target", count
        )
        return text % numbers
    if verdict is Verdict.NO_BASE_FIGURE:
        text = ngettext(
            "%(count)s with no figure for its base year",
            "%(count)s with no figure for their base year",
            count,
        )
        return text % numbers
    return ngettext("%(count)s with no data", "%(count)s with no data", count) % numbers


def verdict_line(counts: dict[str, int], total: int, target_year: int) -> str:
    """The overview's answer in one line: 'Of the plan's 26 targets: 2 achieved, 1 not
    achieved, 6 with no figure for 2023, … .' Verdicts no target has are left out."""
    parts = [
        verdict_count_part(verdict, counts[verdict], target_year)
        for verdict in VERDICT_ORDER
        if counts.get(verdict)
    ]
    separator = pgettext("between the parts of a list", ", ")
    text = ngettext(
        "Of the plan's %(total)s target: %(parts)s.",
        "Of the plan's %(total)s targets: %(parts)s.",
        total,
    )
    return text % {"total": total, "parts": separator.join(parts)}


def format_shortfall(value, unit: str) -> str:
    """A gap in the indicator's unit: percentage points for percentages ('7.7 percentage
    points'), else the unit's own format."""
    if unit in ("percent", "percent_gni"):
        number = format_number(value, decimals_for(unit))
        return _("%(value)s percentage points") % {"value": number}
    return format_value(value, unit)


def format_target(judgement: Judgement, unit: str) -> str:
    """The target as a level, with its band where it has one: '1 (0.98–1.02)'."""
    j = judgement
    if j.target_value is None:
        return ""
    text = format_value(j.target_value, unit)
    if j.target_band_low is not None and j.target_band_high is not None:
        band = f"{format_value(j.target_band_low, unit)}–{format_value(j.target_band_high, unit)}"
        if j.target_band_low != j.target_band_high:
            text = _("%(value)s (%(band)s)") % {"value": text, "band": band}
    return text


def verdict_sentence(
    judgement: Judgement,
    *,
    unit: str,
    geography: str,
    cited: str = "",
    pace: Assessment | None = None,
) -> str:
    """A closed target's verdict in words with its numbers: the figure (and its publication)
    it rests on, the target, by how much it was missed and how far it came, later figures, and
    where the series stops early, the projection labelled as one. `cited`: the figure's
    citation ("ITU, Facts and Figures 2024"); `pace`: the pace assessment, for a target whose
    year has not passed."""
    j = judgement
    if j.verdict is Verdict.OPEN:
        return status_sentence(pace, unit=unit, geography=geography) if pace else ""
    label = str(verdict_look(j.verdict).label)
    numbers = {
        "status": label,
        "geography": geography,
        "value": format_value(j.value, unit),
        "year": j.year,
        "target": format_target(j, unit),
        "target_year": j.target_year,
        "citation": cited,
        "base": format_value(j.base_value, unit),
        "base_year": j.base_year,
    }
    if j.verdict is Verdict.NO_DATA:
        return _("%(status)s: no figure for %(geography)s has been published yet.") % numbers
    if j.verdict is Verdict.NO_NUMERIC_TARGET:
        text = _(
            "%(status)s: the plan asks for progress but sets no figure to reach, so the target "
            "cannot be judged met or missed."
        )
        text %= numbers
        if j.base_year is not None and j.year is not None and j.base_year < j.year:
            text += (
                " "
                + _(
                    "The figure for %(geography)s went from %(base)s in %(base_year)s to %(value)s "
                    "in %(year)s."
                )
                % numbers
            )
        elif j.year is not None:
            text += " " + _("The latest figure for %(geography)s is %(value)s (%(year)s).") % (
                numbers
            )
        return text
    if j.verdict is Verdict.NO_BASE_FIGURE:
        text = _(
            "%(status)s: the target is a change from %(base_year)s, and there is no figure for "
            "%(base_year)s to measure it from."
        )
        text %= numbers
        if j.year is not None:
            text += " " + _("The latest figure for %(geography)s is %(value)s (%(year)s).") % (
                numbers
            )
        return text
    if j.verdict is Verdict.ACHIEVED:
        if numbers["citation"]:
            text = _(
                "%(status)s: the figure for %(geography)s was %(value)s in %(year)s "
                "(%(citation)s), against a target of %(target)s by %(target_year)s."
            )
        else:
            text = _(
                "%(status)s: the figure for %(geography)s was %(value)s in %(year)s, against a "
                "target of %(target)s by %(target_year)s."
            )
        return text % numbers
    if j.verdict is Verdict.NOT_ACHIEVED:
        if numbers["citation"]:
            text = _(
                "%(status)s: the figure for %(geography)s was %(value)s in %(year)s "
                "(%(citation)s), against a target of %(target)s."
            )
        else:
            text = _(
                "%(status)s: the figure for %(geography)s was %(value)s in %(year)s, against a "
                "target of %(target)s."
            )
        parts = [text % numbers, _how_far(j, unit)]
    else:  # no figure for the target year
        if j.year is None:
            text = _("%(status)s: there is no figure for %(geography)s up to %(target_year)s.")
        elif numbers["citation"]:
            text = _(
                "%(status)s: there is no figure for %(target_year)s. The latest figure for "
                "%(geography)s is %(value)s in %(year)s (%(citation)s), against a target of "
                "%(target)s by %(target_year)s."
            )
        else:
            text = _(
                "%(status)s: there is no figure for %(target_year)s. The latest figure for "
                "%(geography)s is %(value)s in %(year)s, against a target of %(target)s by "
                "%(target_year)s."
            )
        parts = [text % numbers, _how_far(j, unit), projection_sentence(j, unit)]
    parts.append(_later_sentence(j, unit))
    return " ".join(part for part in parts if part)


def _how_far(j: Judgement, unit: str) -> str:
    """'That is 0.06 short of the target: 33.3% of the way from the 2018 base (0.89).'"""
    if j.shortfall is None or j.shortfall <= 0:
        return ""
    numbers = {
        "shortfall": format_shortfall(j.shortfall, unit),
        "share": format_value((j.share_of_way or 0) * 100, "percent"),
        "base": format_value(j.base_value, unit),
        "base_year": j.base_year,
    }
    if j.share_of_way is None:
        return _("That is %(shortfall)s short of the target.") % numbers
    if j.share_of_way < 0:
        return (
            _(
                "That is %(shortfall)s short of the target, and further from it than the "
                "%(base_year)s base (%(base)s)."
            )
            % numbers
        )
    return (
        _(
            "That is %(shortfall)s short of the target: %(share)s of the way from the "
            "%(base_year)s base (%(base)s)."
        )
        % numbers
    )


def projection_sentence(j: Judgement, unit: str) -> str:
    """The pace method's projection, labelled as a projection (never as a figure)."""
    if j.projected_value is None or j.base_year is None or j.year is None:
        return ""
    return _(
        "Projection, not a published figure: at the %(from)s–%(to)s pace it would have reached "
        "%(value)s in %(target_year)s."
    ) % {
        "from": j.base_year,
        "to": j.year,
        "value": format_value(j.projected_value, unit),
        "target_year": j.target_year,
    }


def _later_sentence(j: Judgement, unit: str) -> str:
    if j.later_year is None:
        return ""
    numbers = {"year": j.later_year, "value": format_value(j.later_value, unit)}
    if j.reached_later:
        return _("The target was reached later, in %(year)s (%(value)s).") % numbers
    return _("It had not been reached by %(year)s either (%(value)s).") % numbers


def pace_history(judgement: Judgement) -> str:
    """'Pace status in 2019: On track' for a closed target, where the pace method gave one;
    '' otherwise (and never for a target without a numeric target)."""
    j = judgement
    if (
        j is None
        or not j.closed
        or j.verdict in (Verdict.NO_NUMERIC_TARGET, Verdict.NO_DATA)
        or j.pace_status not in PACE_STATUSES
        or j.pace_year is None
    ):
        return ""
    return _("Pace status in %(year)s: %(status)s.") % {
        "year": j.pace_year,
        "status": status_look(j.pace_status).label,
    }


def verdict_facts(judgement: Judgement, *, unit: str, cited: str = "") -> list[tuple[str, str]]:
    """The numbers behind a verdict as (label, text) pairs; what does not apply is left out."""
    j = judgement
    if not j.closed:
        return []
    facts = []
    if j.value is not None:
        figure = _("%(value)s in %(year)s") % _vy(j.value, j.year, unit)
        if cited:
            figure = f"{figure} ({cited})"
        label = _("Figure judged") if j.verdict in MEASURED else _("Latest figure")
        facts.append((label, figure))
    if j.target_value is not None:
        facts.append(
            (
                _("Target"),
                _("%(value)s by %(year)s")
                % {"value": format_target(j, unit), "year": j.target_year},
            )
        )
    if j.verdict in MEASURED or j.verdict is Verdict.NO_TARGET_YEAR_FIGURE:
        if j.shortfall is not None and j.shortfall > 0:
            facts.append((_("Short of the target by"), format_shortfall(j.shortfall, unit)))
        if j.share_of_way is not None:
            facts.append(
                (
                    _("Share of the way from the base"),
                    _("%(share)s (base %(value)s in %(year)s)")
                    % {
                        "share": format_value(j.share_of_way * 100, "percent"),
                        **_vy(j.base_value, j.base_year, unit),
                    },
                )
            )
    if j.later_year is not None:
        facts.append(
            (
                _("After the target year"),
                _("%(value)s in %(year)s") % _vy(j.later_value, j.later_year, unit),
            )
        )
    if j.projected_value is not None:
        facts.append(
            (
                _("Projection (not a figure)"),
                _("%(value)s in %(year)s") % _vy(j.projected_value, j.target_year, unit),
            )
        )
    return facts
