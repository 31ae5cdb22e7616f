"""The world map of a country series and the pages that show it: the countries page
(/<lang>/countries/: every Member State by ITU region, the map of a chosen series and year with
its table, the group aggregates beside ITU's published ones) and the map and country
distribution added to a target's page.

Figures come from indicators.statistics (map_years, map_figures), aggregates from
indicators.groups, the countries' verdicts from indicators.distribution; the figure spec from
dashboards.charts. Each function reads a constant number of queries, whatever the data's size.
"""

import re
from dataclasses import dataclass, field

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks.models import StrategicPlan
from indicators.distribution import country_distribution
from indicators.groups import DEVELOPMENT_GROUPS, group_aggregates
from indicators.models import Geography, Indicator, Series, Statistic
from indicators.statistics import default_map_year, map_figures, map_years

from . import charts, pages
from .presentation import VERDICT_LOOKS, format_number, format_value, verdict_look

DEFAULT_MAP_TARGET = "1.2"
"""The map first shows the series measuring this target's main indicator (Internet use)."""

PERCENT_RANGE = (0, 100)


@dataclass
class MapRow:
    """One country on the map and in its table."""

    code: str
    name: str
    value: float
    value_text: str
    year: int
    citation: str
    edition: str
    estimate: bool


@dataclass
class WorldMap:
    """A choropleth with what the page needs beside it: a summary in words and the same
    figures as a table (the map's accessible alternative)."""

    id: str
    title: str
    figure: dict
    summary: str
    rows: list[MapRow] = field(default_factory=list)
    legend: list[str] = field(default_factory=list)  # the colour scale's two ends, formatted

    @property
    def data_id(self) -> str:
        return f"{self.id}-data"


def world_map(map_id: str, series: Series, year: int, *, keep=None) -> WorldMap:
    """The map of `series` in `year`: every country's chosen figure (indicators.statistics.
    map_figures, one query); `keep(geography)` leaves out the countries it refuses."""
    statistics = map_figures(series, year)
    if keep is not None:
        statistics = [statistic for statistic in statistics if keep(statistic.geography)]
    unit = series.unit
    citations = {}  # by release: a series has a few, the map a few hundred rows

    def cited(release) -> str:
        if release.pk not in citations:
            citations[release.pk] = pages.citation(
                release.publisher, release.publication, release.edition
            )
        return citations[release.pk]

    rows = sorted(
        (
            MapRow(
                code=statistic.geography.code,
                name=statistic.geography.name,
                value=statistic.value,
                value_text=format_value(statistic.value, unit),
                year=statistic.year,
                citation=cited(statistic.release),
                edition=statistic.release.edition,
                estimate=statistic.is_estimate,
            )
            for statistic in statistics
        ),
        key=lambda row: row.name.casefold(),
    )
    title = _("%(series)s, %(year)s") % {"series": series.name, "year": year}
    values = [row.value for row in rows] or [0.0]
    scale = PERCENT_RANGE if unit == Indicator.Unit.PERCENT else (min(values), max(values))
    figure = charts.build_choropleth_figure(
        {
            "unit": unit,
            "separators": pages.separators(),
            "codes": [row.code for row in rows],
            "names": [row.name for row in rows],
            "values": [row.value for row in rows],
            "range": scale,
        }
    )
    legend = [format_value(scale[0], unit), format_value(scale[1], unit)] if rows else []
    return WorldMap(map_id, title, figure, map_summary(title, rows), rows, legend)


def map_summary(title: str, rows: list[MapRow]) -> str:
    """The map in one sentence: how many countries, the lowest and the highest figure."""
    if not rows:
        return _("%(title)s: no country has a figure.") % {"title": title}
    low = min(rows, key=lambda row: row.value)
    high = max(rows, key=lambda row: row.value)
    return _(
        "%(title)s: %(count)s countries and territories with a figure, from %(low)s "
        "(%(low_name)s) to %(high)s (%(high_name)s)."
    ) % {
        "title": title,
        "count": len(rows),
        "low": low.value_text,
        "low_name": low.name,
        "high": high.value_text,
        "high_name": high.name,
    }


# --- the countries page -----------------------------------------------------------------------


class CountriesForm(forms.Form):
    """What the countries page reads from its address; anything unknown falls back to the
    default (with a message), never an error."""

    q = forms.CharField(required=False, max_length=100, strip=True)
    region = forms.CharField(required=False, max_length=10)
    group = forms.ChoiceField(
        required=False, choices=[("", "")] + [(code, code) for code in DEVELOPMENT_GROUPS]
    )
    series = forms.CharField(required=False, max_length=60)
    year = forms.CharField(required=False, max_length=10)


def mapped_series() -> list[Series]:
    """Series with at least one country's figure: what the map offers (one query)."""
    has_figures = Statistic.objects.filter(
        release__series=OuterRef("pk"), geography__kind=Geography.Kind.COUNTRY
    )
    return list(Series.objects.filter(Exists(has_figures)))


def default_series(series_list: list[Series]) -> Series | None:
    """The series of the Internet-use target's main indicator if it has figures, else the first
    series with figures (one query)."""
    preferred = (
        Indicator.objects.filter(
            is_main=True, target__code=DEFAULT_MAP_TARGET, country_series__isnull=False
        )
        .order_by("-plan__period_start")
        .values_list("country_series_id", flat=True)
        .first()
    )
    return next(
        (series for series in series_list if series.pk == preferred),
        series_list[0] if series_list else None,
    )


def choose_series_and_year(form: CountriesForm, series_list: list[Series]):
    """(series, years offered, year, messages): what the address asks for where it makes
    sense, else the defaults, with a message saying what was not understood."""
    messages = []
    data = form.cleaned_data if form.is_valid() else {}
    asked_series = (form.data.get("series") or "").strip()
    series = next((s for s in series_list if s.code == asked_series), None)
    if series is None:
        if asked_series:
            messages.append(
                _("No series has the code “%(code)s”: the default series is shown.")
                % {"code": asked_series[:60]}
            )
        series = default_series(series_list)
    if series is None:
        return None, {}, None, messages
    years = map_years(series)
    asked_year = (data.get("year") or form.data.get("year") or "").strip()
    year = None
    if asked_year:
        if re.fullmatch(r"\d{4}", asked_year) and int(asked_year) in years:
            year = int(asked_year)
        elif re.fullmatch(r"\d{4}", asked_year):
            messages.append(
                _(
                    "No figures for %(year)s in this series: "
                    "its latest nearly complete year is shown."
                )
                % {"year": asked_year}
            )
        else:
            messages.append(
                _("“%(year)s” is not a year: the latest nearly complete year is shown.")
                % {"year": asked_year[:10]}
            )
    if year is None:
        year = default_map_year(years)
    return series, years, year, messages


def member_state_groups() -> dict[int, list[str]]:
    """Country id -> the development groups it belongs to (one query)."""
    links = Geography.members.through.objects.filter(
        from_geography__code__in=DEVELOPMENT_GROUPS
    ).values_list("to_geography_id", "from_geography__code")
    groups: dict[int, list[str]] = {}
    for country_id, code in links:
        groups.setdefault(country_id, []).append(code)
    for codes in groups.values():
        codes.sort(key=DEVELOPMENT_GROUPS.index)
    return groups


def matches(country: Geography, query: str) -> bool:
    """A search by name in the page's language (or the formal name) or by ISO code."""
    if not query:
        return True
    needle = query.casefold()
    if needle in (country.code.casefold(), country.iso2.casefold()):
        return True
    return needle in country.name.casefold() or needle in country.formal_name.casefold()


def countries_context(query) -> dict:
    """/<lang>/countries/: the Member States by ITU region (filtered by the address's q,
    region and group), the map and table of a series in a year, the group aggregates
    (a constant 11 queries)."""
    form = CountriesForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    text = data.get("q", "")
    states = list(Geography.objects.member_states().select_related("region"))
    groups = member_state_groups()
    regions = {}
    for state in states:
        if state.region is not None:
            regions.setdefault(state.region.pk, state.region)
    region_list = sorted(regions.values(), key=lambda region: (region.order, region.code))
    region_code = data.get("region", "")
    if region_code and region_code not in {region.code for region in region_list}:
        region_code = ""
    group_code = data.get("group", "")

    def in_filters(country: Geography) -> bool:
        if region_code and (country.region is None or country.region.code != region_code):
            return False
        return not group_code or group_code in groups.get(country.pk, [])

    for state in states:
        state.group_codes = groups.get(state.pk, [])
    shown = [state for state in states if in_filters(state) and matches(state, text)]
    by_region = []
    for region in [*region_list, None]:
        members = sorted(
            (state for state in shown if state.region == region),
            key=lambda state: state.name.casefold(),
        )
        if members:
            by_region.append({"region": region, "countries": members})

    series_list = mapped_series()
    series, years, year, messages = choose_series_and_year(form, series_list)
    world = None
    aggregates = []
    if series is not None and year is not None:
        # the region and group filters apply to the map and its table too; the search does not
        world = world_map("map-countries", series, year, keep=in_filters)
        aggregates = aggregate_rows(series, year)
    plan = StrategicPlan.objects.current()
    return {
        "plan": plan,
        "section": "countries",
        "form": form,
        "q": text,
        "region_code": region_code,
        "group_code": group_code,
        "regions": region_list,
        "groups": [(code, group_label(code)) for code in DEVELOPMENT_GROUPS],
        "by_region": by_region,
        "state_count": len(states),
        "shown_count": len(shown),
        "series_list": series_list,
        "series": series,
        "years": sorted(years, reverse=True),
        "year": year,
        "notices": messages,
        "map": world,
        "maps": [world] if world else [],
        "aggregates": aggregates,
    }


def group_label(code: str) -> str:
    labels = {
        "LDC": gettext_lazy("Least developed countries (LDC)"),
        "LLDC": gettext_lazy("Landlocked developing countries (LLDC)"),
        "SIDS": gettext_lazy("Small island developing States (SIDS)"),
    }
    return str(labels[code])


def aggregate_rows(series: Series, year: int) -> list[dict]:
    """The aggregates panel: each group's computed figure with its coverage, ITU's published
    one and the difference, formatted (three queries)."""
    unit = series.unit
    rows = []
    for figure in group_aggregates(series, year):
        computed, published = figure.computed, figure.published
        difference = figure.difference
        rows.append(
            {
                "geography": figure.geography,
                "computed": format_value(computed.value, unit) if computed else "",
                "coverage": (
                    _("%(share)s%%") % {"share": format_number(computed.coverage * 100, 0)}
                    if computed and computed.coverage is not None
                    else ""
                ),
                "published": format_value(published.value, unit) if published else "",
                "published_citation": (
                    pages.citation(published.publisher, published.publication, published.edition)
                    if published
                    else ""
                ),
                "difference": (
                    ("+" if difference > 0 else "") + format_number(difference, 1)
                    if difference is not None
                    else ""
                ),
            }
        )
    return rows


# --- a target's page --------------------------------------------------------------------------


def target_context(plan: StrategicPlan, code: str) -> dict:
    """A target's page (dashboards.pages.target_context) and, when its main indicator is
    measured per country, the map of that series (latest year up to the target year) and the
    Member States' verdicts against the target (5 more queries)."""
    context = pages.target_context(plan, code)
    main = context["main"]
    indicator = main["indicator"] if main else None
    if indicator is None or indicator.country_series_id is None:
        return context
    series = Series.objects.get(pk=indicator.country_series_id)
    years = [year for year in map_years(series) if year <= indicator.target_year]
    if not years:
        return context
    world = world_map("map-target", series, max(years))
    distribution = country_distribution(indicator, plan)
    context.update(
        map=world,
        maps=[world],
        map_series=series,
        distribution=distribution_section(distribution, indicator),
    )
    return context


def distribution_section(distribution, indicator: Indicator) -> dict:
    """The Member States against the target in one sentence, and those that did not reach it
    (or cannot be judged) as a table."""
    unit = indicator.unit
    spec = distribution.spec
    sentence = _(
        "On their own figures, %(reached)s of the %(total)s Member States reached the target's "
        "level by %(year)s, %(not_reached)s did not, and %(unjudged)s cannot be judged (no "
        "figure for %(year)s)."
    ) % {
        "reached": len(distribution.reached),
        "total": distribution.total,
        "year": spec.year,
        "not_reached": len(distribution.not_reached),
        "unjudged": len(distribution.unjudged),
    }
    if spec.value is not None and spec.kind == "level":
        sentence += " " + _("The target's level: %(value)s.") % {
            "value": format_value(spec.value, unit)
        }
    rows = []
    for verdict in [*distribution.not_reached, *distribution.unjudged]:
        judgement = verdict.judgement
        rows.append(
            {
                "geography": verdict.geography,
                "value": format_value(judgement.value, unit),
                "year": judgement.year or "",
                "verdict": (
                    str(verdict_look(judgement.verdict).label)
                    if judgement.verdict in VERDICT_LOOKS
                    else ""  # the target year has not passed: no verdict yet
                ),
            }
        )
    return {
        "sentence": sentence,
        "reached": len(distribution.reached),
        "not_reached": len(distribution.not_reached),
        "unjudged": len(distribution.unjudged),
        "total": distribution.total,
        "rows": rows,
    }
