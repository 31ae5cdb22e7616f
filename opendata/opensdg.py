"""Open SDG (open-sdg.org): each indicator of the current plan as the input files of an Open SDG
data repository, so that an Open SDG site (a Member State's own, say) can read the portal's
figures: data/indicator_<id>.csv and meta/<id>.yml per indicator, and the whole repository as one
zip with sdg-build's configuration (config_data.yml, metadata_schema.yml).

Indicator ids. Open SDG names an indicator "<goal>-<target>-<indicator>" and reads its goal and
target from the id. A plan indicator's id is its target's code, dashed, then its place among the
target's indicators: the main indicator first, the others by code (as Indicator.Meta orders
them): 1.2-internet-use is 1-2-1. An id changes only if its target's indicators do; each metadata
file names the portal's code (`portal_indicator_code`) and the Open data page lists the mapping.

The data follow Open SDG's data format (open-sdg.readthedocs.io/en/latest/data-format/): Year
first, Value last, GeoCode just before it; a blank disaggregation means "all". They hold

- the plan's approved figures, one per geography and year (indicators.status.choose_points: the
  newest edition, as the plan's charts show them), under Series = the indicator's name: the
  headline geography's are the headline (every disaggregation blank); every other geography's
  carry its name (Geography) and its M49 code (GeoCode: opendata.sdmx.ref_area_code);
- the per-country series that measures the indicator, if there is one: every country's figure
  the portal shows (indicators.statistics.choose), under Series = "<the series' name>, per
  country", with Sex, Age and Location (urban or rural) where the series has them.

A disaggregation column no row uses is left out. Where the headline geography has no approved
figure, the file has no headline (every row is disaggregated). Texts are in the address's
language; the metadata also carry their texts in every language, in a block per language
(sdg-build's per-language overrides).
"""

import csv
import io
import zipfile
from collections import Counter, defaultdict
from dataclasses import dataclass

import yaml
from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseNotFound
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from dashboards.views import public_page
from frameworks.models import StrategicPlan
from indicators.models import Geography, Indicator, Observation, Statistic
from indicators.statistics import choose
from indicators.status import choose_points
from itu_rbm.formats import csv_cell

from .formats import FORMATS, Format, built_once
from .sdmx import ref_area_code

# Disaggregation columns, in the order they appear; Open SDG translates their values itself.
DISAGGREGATIONS = ("Geography", "Sex", "Age", "Location")
TOTAL = Statistic.TOTAL
REPORTING_STATUSES = ("notstarted", "inprogress", "complete", "notapplicable")
GRAPH_TYPES = ("line", "bar")


def open_sdg_language(code: str) -> str:
    """Open SDG's language codes are BCP 47 ("zh-Hans"), Django's lower-case ("zh-hans")."""
    return "zh-Hans" if code == "zh-hans" else code


# --- ids ----------------------------------------------------------------------------------------


def plan_indicators(plan: StrategicPlan) -> dict[str, Indicator]:
    """Open SDG id -> indicator, for every indicator of `plan`, in the plan's order. One query
    (each indicator's target, goal, headline geography, series and data source selected)."""
    indicators = (
        Indicator.objects.for_plan(plan)
        .select_related("target__goal", "headline_geography", "country_series", "data_source")
        .order_by("target__goal__number", "target__order", "-is_main", "code")
    )
    return {open_sdg_id(indicator, place): indicator for indicator, place in numbered(indicators)}


def numbered(indicators) -> list[tuple[Indicator, int]]:
    """Each indicator with its place in its target (1 for the main one, then by code): the
    last part of its Open SDG id. Pure: `indicators` with their targets (and goals) loaded."""
    ordered = sorted(
        indicators,
        key=lambda i: (i.target.goal.number, i.target.order, not i.is_main, i.code),
    )
    places = Counter()
    result = []
    for indicator in ordered:
        places[indicator.target_id] += 1
        result.append((indicator, places[indicator.target_id]))
    return result


def open_sdg_id(indicator: Indicator, place: int) -> str:
    """ "1-2-1": the target's code, dashed, and the indicator's place in it."""
    return f"{indicator.target.code.replace('.', '-')}-{place}"


def sort_order(open_sdg_id: str) -> str:
    """sdg-build's indicator_sort_order: each part on two digits, "2-10-1" -> "02-10-01"."""
    return "-".join(part.zfill(2) for part in open_sdg_id.split("-"))


# --- the data -----------------------------------------------------------------------------------


@dataclass
class Figures:
    """What the data files are built from (read_figures)."""

    observations: dict  # indicator pk -> its approved observations
    statistics: dict  # series pk -> the country figures the portal shows
    geographies: dict  # pk -> Geography


def read_figures(indicators: list[Indicator]) -> Figures:
    """The approved observations of `indicators`, the country figures of their series and every
    geography. Three queries, however many indicators."""
    observations = defaultdict(list)
    approved = (
        Observation.objects.approved()
        .filter(indicator__in=[indicator.pk for indicator in indicators])
        .only(
            *("indicator", "geography", "year", "value", "edition", "note"),
            *("source", "source_url", "publisher", "publication", "reported_in"),
        )
        .order_by()
    )
    for observation in approved:
        observations[observation.indicator_id].append(observation)
    series = {indicator.country_series_id for indicator in indicators} - {None}
    statistics = defaultdict(list)
    if series:
        published = (
            Statistic.objects.filter(
                release__series__in=series, geography__kind=Geography.Kind.COUNTRY
            )
            .select_related("release")
            .only(
                *("geography", "year", "sex", "age", "area", "value"),
                *("release__series", "release__is_leading", "release__released_on"),
            )
            .order_by()
        )
        for statistic in choose(published):
            statistics[statistic.release.series_id].append(statistic)
    geographies = {geography.pk: geography for geography in Geography.objects.all()}
    return Figures(dict(observations), dict(statistics), geographies)


def indicator_rows(indicator: Indicator, figures: Figures) -> list[dict]:
    """The indicator's rows, by column name (numbers as numbers, the rest as text; blank for
    "all"), sorted: the plan's figures (the headline first), then the country series'."""
    keyed = []
    by_geography = defaultdict(list)
    for observation in figures.observations.get(indicator.pk, []):
        by_geography[observation.geography_id].append(observation)
    name, unit = indicator.name.strip(), indicator.get_unit_display()
    for geography_id, observations in by_geography.items():
        geography = figures.geographies[geography_id]
        headline = geography_id == indicator.headline_geography_id
        chosen, _superseded = choose_points(observations)
        for point in chosen:
            row = {"Year": point.year, "Series": name, "Units": unit, "Value": point.value}
            if not headline:
                row["Geography"] = geography.name.strip()
                row["GeoCode"] = ref_area_code(geography)
            keyed.append(((0, not headline, geography.order, geography.code, "", point.year), row))
    series = indicator.country_series
    if series is not None:
        sexes, ages, areas = (
            dict(Statistic.Sex.choices),
            dict(Statistic.Age.choices),
            dict(Statistic.Area.choices),
        )
        # its own Series, even where the indicator has the series' name: the plan's figures and
        # the countries' never share a row key
        series_name = gettext("%(series)s, per country") % {"series": series.name.strip()}
        series_unit = series.get_unit_display()
        for statistic in figures.statistics.get(series.pk, []):
            geography = figures.geographies[statistic.geography_id]
            row = {
                "Year": statistic.year,
                "Series": series_name,
                "Units": series_unit,
                "Geography": geography.name.strip(),
                "Sex": "" if statistic.sex == TOTAL else sexes[statistic.sex],
                "Age": "" if statistic.age == TOTAL else ages[statistic.age],
                "Location": "" if statistic.area == TOTAL else areas[statistic.area],
                "GeoCode": ref_area_code(geography),
                "Value": statistic.value,
            }
            breakdown = f"{statistic.sex} {statistic.age} {statistic.area}"
            keyed.append(((1, True, 0, geography.code, breakdown, statistic.year), row))
    keyed.sort(key=lambda pair: pair[0])
    return [row for _key, row in keyed]


def columns_of(rows: list[dict]) -> list[str]:
    """Year, Series, Units, the disaggregations some row uses, GeoCode if any, Value."""
    used = {name for row in rows for name, value in row.items() if value not in ("", None)}
    disaggregations = [name for name in DISAGGREGATIONS if name in used]
    tail = ["GeoCode"] if "GeoCode" in used else []
    head = ["Series", "Units"] if rows else []
    return ["Year", *head, *disaggregations, *tail, "Value"]


def data_csv(rows: list[dict]) -> bytes:
    """data/indicator_<id>.csv of indicator_rows: Open SDG's data format (UTF-8, no byte-order
    mark). An indicator without figures has the header Year,Value alone (sdg-build reads it as
    an indicator without data)."""
    columns = columns_of(rows)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([csv_cell(row.get(column)) for column in columns])
    return out.getvalue().encode()


# --- the metadata -------------------------------------------------------------------------------


def _texts(indicator: Indicator) -> dict[str, str]:
    """The metadata's texts in the active language (modeltranslation reads that language's
    field, falling back to English), the empty ones left out."""
    texts = {
        "indicator_name": indicator.name,
        "graph_title": indicator.name,
        "target": indicator.target.text,
        "indicator_definition": indicator.definition,
        "computation_calculations": indicator.computation_method,
        "computation_disaggregation": indicator.disaggregation,
        "comments_limitations": indicator.comparability,
        "computation_units": str(indicator.get_unit_display()),
        "national_geographical_coverage": indicator.headline_geography.name,
        "source_organisation_1": indicator.data_source.name,
        "source_url_text_1": indicator.data_source.name,
        "source_contact_1": indicator.data_source.contact,
    }
    return {key: value.strip() for key, value in texts.items() if value and value.strip()}


def indicator_metadata(
    plan: StrategicPlan, open_sdg_id: str, indicator: Indicator, has_data: bool
) -> dict:
    """meta/<id>.yml as a dict: Open SDG's metadata fields in the active language, then a block
    per language with the same texts (sdg-build lays a language's block over the fields when
    it builds that language's site). No query: `indicator` comes from plan_indicators."""
    goal, target, place = open_sdg_id.split("-")
    metadata = {
        "indicator_number": f"{goal}.{target}.{place}",
        "indicator_sort_order": sort_order(open_sdg_id),
        "goal_number": goal,
        "target_number": f"{goal}.{target}",
        "target_id": f"{goal}.{target}",
        **_texts(indicator),
        "reporting_status": "complete" if has_data else "notstarted",
        "data_non_statistical": False,
        "graph_type": "line",
        "data_show_map": False,  # a site adds its own boundaries to show one
        "published": True,
        "source_active_1": True,
        "portal_indicator_code": indicator.code,
        "portal_plan": plan.code,
    }
    if indicator.data_source.url:
        metadata["source_url_1"] = indicator.data_source.url
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            metadata[open_sdg_language(code)] = _texts(indicator)
    return metadata


def metadata_yaml(metadata: dict) -> bytes:
    return yaml.safe_dump(
        metadata, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100
    ).encode()


# --- the repository -----------------------------------------------------------------------------

# The fields of the metadata files and how Open SDG edits them (Prose.io elements): sdg-build
# validates each file against metadata_schema.yml, written from this list.
METADATA_FIELDS = {
    **dict.fromkeys(
        (
            "indicator_number",
            "indicator_sort_order",
            "goal_number",
            "target_number",
            "target_id",
            "indicator_name",
            "graph_title",
            "target",
            "indicator_definition",
            "computation_calculations",
            "computation_disaggregation",
            "comments_limitations",
            "computation_units",
            "national_geographical_coverage",
            "source_organisation_1",
            "source_url_text_1",
            "source_contact_1",
            "source_url_1",
            "portal_indicator_code",
            "portal_plan",
        ),
        "text",
    ),
    "reporting_status": REPORTING_STATUSES,
    "graph_type": GRAPH_TYPES,
    **dict.fromkeys(
        ("data_non_statistical", "data_show_map", "published", "source_active_1"), "checkbox"
    ),
}


def metadata_schema() -> dict:
    """metadata_schema.yml: sdg-build's schema of the metadata (a Prose.io configuration)."""
    fields = []
    for name, element in METADATA_FIELDS.items():
        if isinstance(element, tuple):
            options = [{"name": value, "value": value} for value in element]
            field = {"element": "select", "label": name, "options": options}
        else:
            field = {"element": element, "label": name}
        fields.append({"name": name, "field": field})
    return {"prose": {"metadata": {"meta": fields}}}


def sdg_build_config(language: str) -> dict:
    """config_data.yml: what sdg-build's open_sdg_check and open_sdg_build read."""
    languages = [open_sdg_language(language)] + [
        open_sdg_language(code) for code, _name in settings.LANGUAGES if code != language
    ]
    return {
        "languages": languages,
        "src_dir": "",
        "site_dir": "_site",
        "schema_file": "metadata_schema.yml",
        "inputs": [
            {"class": "InputCsvData", "path_pattern": "data/*-*.csv"},
            {"class": "InputYamlMeta", "path_pattern": "meta/*-*.yml", "git": False},
        ],
    }


def data_path(open_sdg_id: str) -> str:
    return f"data/indicator_{open_sdg_id}.csv"


def metadata_path(open_sdg_id: str) -> str:
    return f"meta/{open_sdg_id}.yml"


def build_zip(plan: StrategicPlan) -> bytes:
    """The plan's indicators as an Open SDG data repository, in the active language: data/,
    meta/, config_data.yml and metadata_schema.yml. Four queries (plan_indicators, read_figures)."""
    indicators = plan_indicators(plan)
    figures = read_figures(list(indicators.values()))
    language = translation.get_language()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("config_data.yml", metadata_yaml(sdg_build_config(language)))
        archive.writestr("metadata_schema.yml", metadata_yaml(metadata_schema()))
        for open_sdg_id, indicator in indicators.items():
            rows = indicator_rows(indicator, figures)
            archive.writestr(data_path(open_sdg_id), data_csv(rows))
            metadata = indicator_metadata(plan, open_sdg_id, indicator, has_data=bool(rows))
            archive.writestr(metadata_path(open_sdg_id), metadata_yaml(metadata))
    return buffer.getvalue()


def has_figures(indicator: Indicator) -> bool:
    """Whether the indicator's data file has rows: an approved figure or a country figure of its
    series. One or two queries."""
    if Observation.objects.approved().filter(indicator=indicator).exists():
        return True
    series_id = indicator.country_series_id
    return series_id is not None and (
        Statistic.objects.filter(
            release__series_id=series_id, geography__kind=Geography.Kind.COUNTRY
        ).exists()
    )


# --- the views ----------------------------------------------------------------------------------

CSV = "text/csv; charset=utf-8"
YAML = "application/yaml; charset=utf-8"


def _current_plan() -> StrategicPlan:
    plan = StrategicPlan.objects.current()
    if plan is None:
        raise Http404("No plan has been published.")
    return plan


def _file(body: bytes, content_type: str, filename: str, disposition: str = "inline"):
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def _unknown(indicator_id: str) -> HttpResponse:
    message = _(
        "No indicator of the current plan has the Open SDG id %(id)s: the Open data page lists "
        "them."
    ) % {"id": indicator_id}
    return HttpResponseNotFound(message, content_type="text/plain; charset=utf-8")


@require_safe
@public_page
def data_file(request, indicator_id):
    """/<lang>/open-data/open-sdg/data/indicator_<id>.csv: one indicator's data."""
    indicator = plan_indicators(_current_plan()).get(indicator_id)
    if indicator is None:
        return _unknown(indicator_id)
    rows = indicator_rows(indicator, read_figures([indicator]))
    return _file(data_csv(rows), CSV, f"indicator_{indicator_id}.csv")


@require_safe
@public_page
def metadata_file(request, indicator_id):
    """/<lang>/open-data/open-sdg/meta/<id>.yml: one indicator's metadata."""
    plan = _current_plan()
    indicator = plan_indicators(plan).get(indicator_id)
    if indicator is None:
        return _unknown(indicator_id)
    metadata = indicator_metadata(plan, indicator_id, indicator, has_data=has_figures(indicator))
    return _file(metadata_yaml(metadata), YAML, f"{indicator_id}.yml")


@require_safe
@public_page
def download(request):
    """/<lang>/open-data/open-sdg.zip: every indicator, built once per content generation and
    language (formats.built_once: the zip may outgrow what the public cache keeps of a page)."""
    plan = _current_plan()
    language = translation.get_language()
    body = built_once(f"open-sdg:{language}.zip", lambda: build_zip(plan))
    return _file(body, "application/zip", f"open-sdg-{language}.zip", "attachment")


urlpatterns = [
    path("open-sdg.zip", download, name="opensdg-zip"),
    path("open-sdg/data/indicator_<str:indicator_id>.csv", data_file, name="opensdg-data"),
    path("open-sdg/meta/<str:indicator_id>.yml", metadata_file, name="opensdg-meta"),
]

FORMATS.append(
    Format(
        name=_("Open SDG (data and metadata of each indicator)"),
        description=_(
            "Each indicator of the plan as the input files of an Open SDG site: its figures as "
            "a CSV file (Year, Series, Units, its disaggregations, GeoCode, Value) and its "
            "metadata as a YAML file in six languages, one pair per indicator below, or all as "
            "one data repository (open-sdg.zip) that sdg-build reads as it is."
        ),
        url_name="opendata:opensdg-zip",
        standard_url="https://open-sdg.readthedocs.io/en/latest/data-format/",
    )
)
