"""SDMX 2.1: the portal's figures as one data structure (a DSD with its codelists and concepts) and
data in SDMX-ML (structure-specific) and SDMX-CSV 1.0, built with the sdmx1 library.

What the data holds, on the DSD's dimensions SERIES, REF_AREA, SEX, AGE, URBANISATION and
TIME_PERIOD:

- every country's published statistics, one figure per key: the one the portal shows
  (indicators.statistics.choose: the leading release, others filling its gaps). SDMX allows one
  observation per key, so restatements by other releases are left out; the EDITION attribute
  names the release each figure comes from. The portal's computed aggregates are not published
  figures and are left out too;
- the current plan's approved observations (world, groups, regions), one per year as the
  plan's charts choose them (indicators.status.choose_points: the newest edition), under a
  SERIES code of their own: the indicator's code, its dots made underscores (SDMX ids have none).

REF_AREA is the UN M49 code: a country's, and the SDG codes of the world (1), the least developed
countries (199), landlocked developing countries (432) and small island developing States (722);
geographies without one (ITU regions, income and development groups) keep the portal's code.
"""

from collections import defaultdict

import pandas
import sdmx
from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from sdmx import message
from sdmx.format.csv import v1 as csv_v1
from sdmx.model import common, v21

from dashboards.views import public_page
from frameworks.models import StrategicPlan
from indicators.models import Geography, Indicator, Observation, Series, Statistic
from indicators.statistics import choose
from indicators.status import choose_points

from .formats import FORMATS, Format, built_once

AGENCY_ID = "ITU"
VERSION = "1.0"
DSD_ID = "DSD_ITU_RBM"
DATAFLOW_ID = "DF_ITU_RBM"
TOTAL = Statistic.TOTAL
ACTUAL, ESTIMATE = "A", "E"

# The SDG codes of the world and the groups the SDG database publishes (unstats.un.org/sdgs)
SDG_AREA_CODES = {"WLD": "1", "LDC": "199", "LLDC": "432", "SIDS": "722"}


def ref_area_code(geography: Geography) -> str:
    """The REF_AREA code of a geography: its M49 code, else the portal's code."""
    return SDG_AREA_CODES.get(geography.code) or geography.m49 or geography.code


def observation_series_code(indicator: Indicator) -> str:
    """The SERIES code of a plan indicator's observations: "1.2-x" → "1_2-x"."""
    return indicator.code.replace(".", "_")


# --- names in the six languages --------------------------------------------------------------


def _sdmx_language(code: str) -> str:
    """xml:lang follows BCP 47: "zh-Hans", where Django writes "zh-hans"."""
    return "zh-Hans" if code == "zh-hans" else code


def _gettext_names(text) -> dict[str, str]:
    """A lazy translation in every language of the portal."""
    names = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            names[_sdmx_language(code)] = str(text)
    return names


def _field_names(obj, field: str = "name") -> dict[str, str]:
    """A modeltranslation field in every language that has it."""
    names = {}
    for code, _name in settings.LANGUAGES:
        value = getattr(obj, f"{field}_{code.replace('-', '_')}", None)
        if value:
            names[_sdmx_language(code)] = value
    return names or {"en": getattr(obj, field)}


# --- the structure ---------------------------------------------------------------------------


CONCEPTS = {
    "SERIES": _("Series"),
    "REF_AREA": _("Reference area"),
    "SEX": _("Sex"),
    "AGE": _("Age"),
    "URBANISATION": _("Urbanisation"),
    "TIME_PERIOD": _("Time period"),
    "OBS_VALUE": _("Observation value"),
    "UNIT_MEASURE": _("Unit of measure"),
    "EDITION": _("Edition"),
    "OBS_STATUS": _("Observation status"),
}
OBS_STATUSES = {ACTUAL: _("Normal value"), ESTIMATE: _("Estimated value")}


def _codelist(agency, identifier: str, name, codes: dict[str, dict[str, str]]) -> common.Codelist:
    codelist = common.Codelist(
        id=identifier, maintainer=agency, version=VERSION, is_final=True, name=name
    )
    for code, names in codes.items():
        codelist.append(common.Code(id=code, name=names))
    return codelist


def _choices(choices) -> dict[str, dict[str, str]]:
    return {value: _gettext_names(label) for value, label in choices}


def build_structure(plan: StrategicPlan | None) -> message.StructureMessage:
    """The DSD, its codelists, concept scheme and dataflow. Three queries (series, indicators of
    the plan, geographies)."""
    agency = common.Agency(
        id=AGENCY_ID, name=_gettext_names(_("International Telecommunication Union"))
    )
    series_codes = {
        series.code: _field_names(series) for series in Series.objects.order_by("order", "code")
    }
    if plan is not None:
        for indicator in Indicator.objects.for_plan(plan).order_by("code"):
            series_codes[observation_series_code(indicator)] = _field_names(indicator)
    areas = {}
    for geography in Geography.objects.order_by("kind", "order", "code"):
        areas.setdefault(ref_area_code(geography), _field_names(geography))
    codelists = {
        "SERIES": _codelist(agency, "CL_SERIES", _gettext_names(_("Series")), series_codes),
        "REF_AREA": _codelist(agency, "CL_AREA", _gettext_names(_("Reference area")), areas),
        "SEX": _codelist(
            agency, "CL_SEX", _gettext_names(_("Sex")), _choices(Statistic.Sex.choices)
        ),
        "AGE": _codelist(
            agency, "CL_AGE", _gettext_names(_("Age")), _choices(Statistic.Age.choices)
        ),
        "URBANISATION": _codelist(
            agency,
            "CL_URBANISATION",
            _gettext_names(_("Urbanisation")),
            _choices(Statistic.Area.choices),
        ),
        "UNIT_MEASURE": _codelist(
            agency,
            "CL_UNIT_MEASURE",
            _gettext_names(_("Unit of measure")),
            _choices(Indicator.Unit.choices),
        ),
        "OBS_STATUS": _codelist(
            agency,
            "CL_OBS_STATUS",
            _gettext_names(_("Observation status")),
            _choices(OBS_STATUSES.items()),
        ),
    }
    scheme = common.ConceptScheme(
        id="CS_ITU_RBM",
        maintainer=agency,
        version=VERSION,
        is_final=True,
        name=_gettext_names(_("Concepts of the ITU results portal")),
    )
    concepts = {}
    for identifier, name in CONCEPTS.items():
        concepts[identifier] = common.Concept(id=identifier, name=_gettext_names(name))
        scheme.append(concepts[identifier])

    def represented(identifier):
        codelist = codelists.get(identifier)
        return {
            "concept_identity": concepts[identifier],
            "local_representation": common.Representation(enumerated=codelist)
            if codelist
            else None,
        }

    dsd = v21.DataStructureDefinition(
        id=DSD_ID,
        maintainer=agency,
        version=VERSION,
        is_final=True,
        name=_gettext_names(_("Figures of the ITU results portal")),
    )
    for order, identifier in enumerate(("SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION"), 1):
        dsd.dimensions.getdefault(identifier, order=order, **represented(identifier))
    dsd.dimensions.getdefault(
        "TIME_PERIOD", cls=common.TimeDimension, order=6, **represented("TIME_PERIOD")
    )
    dsd.measures.getdefault("OBS_VALUE", **represented("OBS_VALUE"))
    for identifier in ("UNIT_MEASURE", "EDITION", "OBS_STATUS"):
        dsd.attributes.getdefault(
            identifier,
            related_to=v21.PrimaryMeasureRelationship(),
            usage_status=common.UsageStatus.mandatory,
            **represented(identifier),
        )
    dataflow = v21.DataflowDefinition(
        id=DATAFLOW_ID,
        maintainer=agency,
        version=VERSION,
        is_final=True,
        structure=dsd,
        name=_gettext_names(_("Figures of the ITU results portal")),
    )
    return message.StructureMessage(
        header=message.Header(id="ITU_RBM_STRUCTURE", sender=agency, test=False),
        codelist={codelist.id: codelist for codelist in codelists.values()},
        concept_scheme={scheme.id: scheme},
        structure={dsd.id: dsd},
        dataflow={dataflow.id: dataflow},
    )


# --- the data ---------------------------------------------------------------------------------

KEY = ("SERIES", "REF_AREA", "SEX", "AGE", "URBANISATION")


def country_figures(series_code: str | None = None) -> list[dict]:
    """Every country's figure the portal shows (one per series, country, year and breakdown), of
    one series or all. One query."""
    # only what a figure shows and `choose` weighs: whole rows with six languages' names of
    # every geography and release took seconds for the ~80,000 figures
    statistics = (
        Statistic.objects.filter(geography__kind=Geography.Kind.COUNTRY)
        .select_related("release__series", "geography")
        .only(
            *("year", "sex", "age", "area", "value", "is_estimate"),
            *("geography__code", "geography__m49"),
            *("release__edition", "release__is_leading", "release__released_on"),
            *("release__series__code", "release__series__unit", "release__series__order"),
        )
    )
    if series_code is not None:
        statistics = statistics.filter(release__series__code=series_code)
    ordered = statistics.order_by("release__series__order", "geography__code", "year")
    return [
        {
            "SERIES": statistic.release.series.code,
            "REF_AREA": ref_area_code(statistic.geography),
            "SEX": statistic.sex,
            "AGE": statistic.age,
            "URBANISATION": statistic.area,
            "TIME_PERIOD": str(statistic.year),
            "OBS_VALUE": statistic.value,
            "UNIT_MEASURE": statistic.release.series.unit,
            "EDITION": statistic.release.edition,
            "OBS_STATUS": ESTIMATE if statistic.is_estimate else ACTUAL,
        }
        for statistic in choose(ordered)
    ]


def plan_figures(plan: StrategicPlan | None, series_code: str | None = None) -> list[dict]:
    """The plan's approved observations, one per indicator, geography and year (the newest
    edition's). One query."""
    if plan is None:
        return []
    observations = (
        Observation.objects.approved()
        .filter(indicator__plan=plan)
        .select_related("indicator", "geography")
        .order_by("indicator__code", "geography__code", "year")
    )
    grouped = defaultdict(list)
    for observation in observations:
        code = observation_series_code(observation.indicator)
        if series_code is None or code == series_code:
            grouped[(code, observation.indicator.unit, observation.geography)].append(observation)
    figures = []
    for (code, unit, geography), group in grouped.items():
        chosen, _superseded = choose_points(group)
        for point in chosen:
            figures.append(
                {
                    "SERIES": code,
                    "REF_AREA": ref_area_code(geography),
                    "SEX": TOTAL,
                    "AGE": TOTAL,
                    "URBANISATION": TOTAL,
                    "TIME_PERIOD": str(point.year),
                    "OBS_VALUE": float(point.value),
                    "UNIT_MEASURE": unit,
                    "EDITION": point.edition,
                    "OBS_STATUS": ACTUAL,  # the plan's figures carry no estimate flag
                }
            )
    return figures


def build_data(structure: message.StructureMessage, figures: list[dict]) -> message.DataMessage:
    """A structure-specific data message of `figures` (as country_figures gives them), one
    series per key, observations by TIME_PERIOD."""
    dsd = structure.structure[DSD_ID]
    dataflow = structure.dataflow[DATAFLOW_ID]
    measure = dsd.measures.get("OBS_VALUE")
    attributes = {
        identifier: dsd.attributes.get(identifier)
        for identifier in ("UNIT_MEASURE", "EDITION", "OBS_STATUS")
    }
    dataset = v21.StructureSpecificDataSet(structured_by=dsd, described_by=dataflow)
    by_key = defaultdict(list)
    for figure in figures:
        by_key[tuple(figure[identifier] for identifier in KEY)].append(figure)
    for key_values, group in by_key.items():
        series_key = dsd.make_key(common.SeriesKey, dict(zip(KEY, key_values, strict=True)))
        dataset.add_obs(
            [
                v21.Observation(
                    dimension=dsd.make_key(common.Key, {"TIME_PERIOD": figure["TIME_PERIOD"]}),
                    value=figure["OBS_VALUE"],
                    value_for=measure,
                    attached_attribute={
                        identifier: common.AttributeValue(
                            value=figure[identifier], value_for=attribute
                        )
                        for identifier, attribute in attributes.items()
                    },
                )
                for figure in group
            ],
            series_key,
        )
    return message.DataMessage(
        header=message.Header(id="ITU_RBM_DATA", sender=structure.header.sender, test=False),
        data=[dataset],
        dataflow=dataflow,
        observation_dimension=dsd.dimensions.get("TIME_PERIOD"),
    )


def data_csv(data: message.DataMessage) -> bytes:
    """SDMX-CSV 1.0 (the version of SDMX 2.1): DATAFLOW, the dimensions, OBS_VALUE, the
    attributes."""
    frame = sdmx.to_csv(
        data.data[0], rtype=pandas.DataFrame, attributes="o", format_options=csv_v1.FormatOptions()
    )
    return frame.to_csv(index=False).encode()


# --- the files --------------------------------------------------------------------------------

XML = "application/xml; charset=utf-8"
CSV = "text/csv; charset=utf-8"


def _data(series_code: str | None) -> message.DataMessage:
    plan = StrategicPlan.objects.current()
    structure = build_structure(plan)
    if series_code is not None and series_code not in structure.codelist["CL_SERIES"].items:
        raise Http404("No such series")
    figures = country_figures(series_code) + plan_figures(plan, series_code)
    return build_data(structure, figures)


def _file(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
@public_page
def structure(request):
    """/<lang>/open-data/sdmx/structure.xml: the DSD, its codelists, concepts and dataflow."""
    body = built_once(
        "structure", lambda: sdmx.to_xml(build_structure(StrategicPlan.objects.current()))
    )
    return _file(body, XML, "structure.xml")


@require_safe
@public_page
def data_xml(request, series_code=None):
    """/<lang>/open-data/sdmx/<series>.xml and all.xml: SDMX-ML structure-specific data."""
    body = built_once(f"{series_code or ''}.xml", lambda: sdmx.to_xml(_data(series_code)))
    return _file(body, XML, f"{series_code or 'all'}.xml")


@require_safe
@public_page
def data_csv_file(request, series_code=None):
    """/<lang>/open-data/sdmx/<series>.csv and all.csv: SDMX-CSV 1.0."""
    body = built_once(f"{series_code or ''}.csv", lambda: data_csv(_data(series_code)))
    return _file(body, CSV, f"{series_code or 'all'}.csv")


urlpatterns = [
    path("sdmx/structure.xml", structure, name="sdmx-structure"),
    path("sdmx/all.xml", data_xml, name="sdmx-all-xml"),
    path("sdmx/all.csv", data_csv_file, name="sdmx-all-csv"),
    path("sdmx/<slug:series_code>.xml", data_xml, name="sdmx-series-xml"),
    path("sdmx/<slug:series_code>.csv", data_csv_file, name="sdmx-series-csv"),
]

FORMATS.append(
    Format(
        name=_("SDMX 2.1 (SDMX-ML and SDMX-CSV)"),
        description=_(
            "Every published figure of every country, and the plan's approved figures, in the "
            "statistical data exchange standard: the data structure (structure.xml), then the data "
            "of each series (sdmx/<series>.xml, .csv) or of all (sdmx/all.xml, all.csv)."
        ),
        url_name="opendata:sdmx-structure",
        standard_url="https://sdmx.org/?page_id=5008",
    )
)
