"""A DCAT catalogue (DCAT 3 vocabulary) of the portal's datasets, as JSON-LD and Turtle at
/<lang>/open-data/catalogue.jsonld and .ttl: one dcat:Dataset per indicator of the current plan,
one per per-country series, one for the plan and one for the whole portal, each with a
dcat:Distribution for every file and API address that serves it today.

`catalogue_facts` reads the database (8 queries); `build_catalogue` is a pure function of those
facts, the site's address and the page's language."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Max, Min
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, XSD

from dashboards.views import public_page
from frameworks.models import StrategicPlan
from indicators.models import Geography, Indicator, Observation, Release, Series, Statistic

from .formats import FORMATS, Format
from .opensdg import numbered, open_sdg_id
from .sdmx import observation_series_code

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
ITU = URIRef("https://www.itu.int/")
# the portal states no licence of its own: ITU's terms of use govern what it publishes; a
# series whose release names Creative Commons BY 4.0 says so instead
ITU_TERMS = URIRef("https://www.itu.int/en/about/Pages/terms-of-use.aspx")
LICENCES = {"CC BY 4.0": URIRef("https://creativecommons.org/licenses/by/4.0/")}
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
    "xml": "application/xml",
    "yml": "application/yaml",
}
DOWNLOAD_FORMATS = ("csv", "xlsx", "json")  # dashboards.downloads serves these today
WORLD = "WLD"

JSONLD_CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


@dataclass
class Coverage:
    first_year: int | None = None
    last_year: int | None = None
    modified: date | datetime | None = None
    geographies: list = field(default_factory=list)  # Geography rows, the world first


@dataclass
class CatalogueFacts:
    plan: StrategicPlan
    indicators: list  # Indicator rows, their target selected
    indicator_coverage: dict  # indicator pk -> Coverage
    series: list  # Series rows
    series_coverage: dict  # series pk -> Coverage
    series_licences: dict  # series pk -> the leading release's licence text
    world: Geography | None


def catalogue_facts(plan: StrategicPlan) -> CatalogueFacts:
    """What the catalogue says, in 8 queries whatever the number of datasets."""
    indicators = list(Indicator.objects.filter(plan=plan).select_related("target__goal"))
    approved = Observation.objects.approved().filter(indicator__plan=plan)
    coverage = defaultdict(Coverage)
    for row in approved.values("indicator_id").annotate(
        first=Min("year"), last=Max("year"), modified=Max(Coalesce("reviewed_at", "created_at"))
    ):
        entry = coverage[row["indicator_id"]]
        entry.first_year, entry.last_year, entry.modified = (
            row["first"],
            row["last"],
            row["modified"],
        )
    pairs = list(approved.values_list("indicator_id", "geography_id").distinct())
    geographies = Geography.objects.in_bulk({geography for _indicator, geography in pairs})
    world = Geography.objects.filter(code=WORLD).first()
    for indicator_id, geography_id in pairs:
        coverage[indicator_id].geographies.append(geographies[geography_id])
    for entry in coverage.values():
        entry.geographies.sort(key=lambda g: (g.code != WORLD, g.order, g.code))

    series = list(Series.objects.order_by("order", "code"))
    series_coverage = defaultdict(Coverage)
    for row in Statistic.objects.values("release__series_id").annotate(
        first=Min("year"), last=Max("year")
    ):
        entry = series_coverage[row["release__series_id"]]
        entry.first_year, entry.last_year = row["first"], row["last"]
    licences = {}
    for release in Release.objects.only("series_id", "licence", "loaded_at", "is_leading"):
        entry = series_coverage[release.series_id]
        if entry.modified is None or release.loaded_at > entry.modified:
            entry.modified = release.loaded_at
        if release.is_leading:
            licences[release.series_id] = release.licence
    return CatalogueFacts(
        plan=plan,
        indicators=indicators,
        indicator_coverage=dict(coverage),
        series=series,
        series_coverage=dict(series_coverage),
        series_licences=licences,
        world=world,
    )


class _Builder:
    """Adds the catalogue's triples to a graph; addresses are absolute on `site`."""

    def __init__(self, site: str, language: str):
        self.site = site.rstrip("/")
        self.language = language
        self.graph = Graph()
        self.graph.bind("dcat", DCAT)
        self.graph.bind("dct", DCTERMS)
        self.graph.bind("foaf", FOAF)
        self.graph.bind("vcard", VCARD)

    def url(self, path: str) -> URIRef:
        return URIRef(self.site + path)

    def text(self, value) -> Literal:
        return Literal(str(value), lang=self.language)

    def publisher(self) -> URIRef:
        graph = self.graph
        graph.add((ITU, RDF.type, FOAF.Organization))
        graph.add((ITU, FOAF.name, Literal("International Telecommunication Union", lang="en")))
        graph.add((ITU, FOAF.homepage, ITU))
        return ITU

    def location(self, geography) -> URIRef:
        """A geography as a dct:Location at its API address, named in the page's language."""
        node = self.url(reverse("api-geography-detail", kwargs={"code": geography.code}))
        self.graph.add((node, RDF.type, DCTERMS.Location))
        self.graph.add((node, RDFS.label, self.text(geography.name)))
        return node

    def dataset(self, node, *, title, description, landing, licence, coverage, keywords):
        graph = self.graph
        graph.add((node, RDF.type, DCAT.Dataset))
        graph.add((node, DCTERMS.title, self.text(title)))
        if description:
            graph.add((node, DCTERMS.description, self.text(description)))
        graph.add((node, DCTERMS.publisher, self.publisher()))
        graph.add((node, DCTERMS.license, licence))
        graph.add((node, DCAT.landingPage, self.url(landing)))
        for keyword in keywords:
            if keyword:
                graph.add((node, DCAT.keyword, self.text(keyword)))
        if coverage is None:
            return
        if coverage.first_year is not None:
            period = BNode()
            graph.add((node, DCTERMS.temporal, period))
            graph.add((period, RDF.type, DCTERMS.PeriodOfTime))
            graph.add(
                (period, DCAT.startDate, Literal(str(coverage.first_year), datatype=XSD.gYear))
            )
            graph.add((period, DCAT.endDate, Literal(str(coverage.last_year), datatype=XSD.gYear)))
        if coverage.modified is not None:
            graph.add(
                (node, DCTERMS.modified, Literal(coverage.modified.date(), datatype=XSD.date))
            )
        for geography in coverage.geographies:
            graph.add((node, DCTERMS.spatial, self.location(geography)))

    def distribution(self, dataset, name: str, path: str, extension: str, title, *, download):
        """One distribution: a file (downloadURL and accessURL) or an API address (accessURL);
        `name` tells it apart from the dataset's others in its identifier."""
        graph = self.graph
        address = self.url(path)
        node = URIRef(f"{dataset}-{name}")
        graph.add((dataset, DCAT.distribution, node))
        graph.add((node, RDF.type, DCAT.Distribution))
        graph.add((node, DCTERMS.title, self.text(title)))
        graph.add((node, DCAT.accessURL, address))
        if download:
            graph.add((node, DCAT.downloadURL, address))
        media_type = URIRef(
            "https://www.iana.org/assignments/media-types/" + MEDIA_TYPES[extension]
        )
        graph.add((node, DCAT.mediaType, media_type))
        return node


def catalogue_iri(site: str) -> URIRef:
    """The catalogue's and its datasets' identifiers hold no language: the same dataset in
    every language's catalogue (the address /open-data/catalogue redirects to the visitor's)."""
    return URIRef(site.rstrip("/") + "/open-data/catalogue")


def build_catalogue(facts: CatalogueFacts, site: str, language: str) -> Graph:
    """The catalogue as an rdflib Graph, in the active language (`language` tags its texts)."""
    builder = _Builder(site, language)
    graph = builder.graph
    plan = facts.plan
    base = str(catalogue_iri(site))
    catalogue = URIRef(base)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    graph.add(
        (catalogue, DCTERMS.title, builder.text(gettext("ITU results-based management portal")))
    )
    graph.add((catalogue, DCTERMS.publisher, builder.publisher()))
    graph.add((catalogue, DCTERMS.license, ITU_TERMS))
    graph.add((catalogue, FOAF.homepage, builder.url(reverse("dashboards:overview"))))
    world = [facts.world] if facts.world else []

    portal = URIRef(base + "#portal")
    plan_node = URIRef(f"{base}#plan-{plan.code}")
    plan_years = [c for c in facts.indicator_coverage.values() if c.first_year is not None]
    plan_coverage = Coverage(
        first_year=min((c.first_year for c in plan_years), default=None),
        last_year=max((c.last_year for c in plan_years), default=None),
        modified=max((c.modified for c in plan_years if c.modified), default=None),
        geographies=world,
    )
    builder.dataset(
        plan_node,
        title=gettext("Figures of the ITU Strategic Plan %(plan)s") % {"plan": plan.code},
        description=plan.title,
        landing=reverse("dashboards:plan", kwargs={"plan": plan.code}),
        licence=ITU_TERMS,
        coverage=plan_coverage,
        keywords=[gettext("ITU Strategic Plan"), plan.code],
    )
    for extension in DOWNLOAD_FORMATS:
        builder.distribution(
            plan_node,
            f"download-{extension}",
            reverse("dashboards:plan_download", kwargs={"plan": plan.code, "fmt": extension}),
            extension,
            gettext("Every target's figures (%(format)s)") % {"format": extension.upper()},
            download=True,
        )
    for name, route, title in (
        ("tree", "api-plan-tree", gettext("API: the plan's tree with every figure")),
        ("progress", "api-plan-progress-list", gettext("API: every target's progress")),
    ):
        builder.distribution(
            plan_node,
            f"api-{name}",
            reverse(route, kwargs={"plan": plan.code}),
            "json",
            title,
            download=False,
        )

    for indicator, place in numbered(facts.indicators):
        target = indicator.target
        node = URIRef(f"{base}#indicator-{plan.code}-{indicator.code}")
        graph.add((plan_node, DCTERMS.hasPart, node))
        builder.dataset(
            node,
            title=indicator.name,
            description=indicator.definition,
            landing=reverse(
                "dashboards:indicator", kwargs={"plan": plan.code, "code": indicator.code}
            ),
            licence=ITU_TERMS,
            coverage=facts.indicator_coverage.get(indicator.pk),
            keywords=[
                target.goal.short_name,
                gettext("ITU Strategic Plan"),
                indicator.get_unit_display(),
            ],
        )
        graph.add((node, DCTERMS.identifier, Literal(indicator.code)))
        for extension in DOWNLOAD_FORMATS:
            builder.distribution(
                node,
                f"download-{extension}",
                reverse(
                    "dashboards:indicator-download",
                    kwargs={"plan": plan.code, "code": indicator.code, "fmt": extension},
                ),
                extension,
                gettext("The indicator's figures (%(format)s)") % {"format": extension.upper()},
                download=True,
            )
        series_code = observation_series_code(indicator)
        for name, path, extension, title in (
            (
                "sdmx-xml",
                reverse("opendata:sdmx-series-xml", kwargs={"series_code": series_code}),
                "xml",
                gettext("SDMX-ML: the indicator's figures"),
            ),
            (
                "sdmx-csv",
                reverse("opendata:sdmx-series-csv", kwargs={"series_code": series_code}),
                "csv",
                gettext("SDMX-CSV: the indicator's figures"),
            ),
            (
                "open-sdg-data",
                reverse(
                    "opendata:opensdg-data",
                    kwargs={"indicator_id": open_sdg_id(indicator, place)},
                ),
                "csv",
                gettext("Open SDG: the indicator's data"),
            ),
            (
                "open-sdg-meta",
                reverse(
                    "opendata:opensdg-meta",
                    kwargs={"indicator_id": open_sdg_id(indicator, place)},
                ),
                "yml",
                gettext("Open SDG: the indicator's metadata"),
            ),
        ):
            builder.distribution(node, name, path, extension, title, download=True)
        builder.distribution(
            node,
            "api-indicator",
            reverse("api-indicator-detail", kwargs={"plan": plan.code, "code": indicator.code}),
            "json",
            gettext("API: the indicator"),
            download=False,
        )
        builder.distribution(
            node,
            "api-figures",
            reverse("api-observation-list") + f"?plan={plan.code}&indicator={indicator.code}",
            "json",
            gettext("API: the indicator's figures"),
            download=False,
        )

    for series in facts.series:
        node = URIRef(f"{base}#series-{series.code}")
        graph.add((portal, DCTERMS.hasPart, node))
        licence_text = facts.series_licences.get(series.pk, "")
        coverage = facts.series_coverage.get(series.pk, Coverage())
        coverage.geographies = world
        builder.dataset(
            node,
            title=series.name,
            description=series.definition,
            landing=reverse("dashboards:countries"),
            licence=LICENCES.get(licence_text, ITU_TERMS),
            coverage=coverage,
            keywords=[gettext("Countries"), series.get_unit_display()],
        )
        graph.add((node, DCTERMS.identifier, Literal(series.code)))
        builder.distribution(
            node,
            "api-countries",
            reverse("api-series-countries", kwargs={"code": series.code}),
            "json",
            gettext("API: every economy's latest figure"),
            download=False,
        )
        builder.distribution(
            node,
            "api-statistics",
            reverse("api-statistic-list") + f"?series={series.code}",
            "json",
            gettext("API: every figure of the series"),
            download=False,
        )

    builder.dataset(
        portal,
        title=gettext("ITU results-based management portal: all data"),
        description=gettext(
            "The ITU Strategic Plan's indicators and their figures, and the per-country series "
            "that measure them."
        ),
        landing=reverse("opendata:index"),
        licence=ITU_TERMS,
        coverage=Coverage(
            first_year=plan_coverage.first_year,
            last_year=plan_coverage.last_year,
            modified=plan_coverage.modified,
            geographies=world,
        ),
        keywords=[gettext("ITU Strategic Plan"), gettext("Countries")],
    )
    graph.add((portal, DCTERMS.hasPart, plan_node))
    builder.distribution(
        portal, "api", reverse("api-root"), "json", gettext("The REST API"), download=False
    )
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        graph.add((catalogue, DCAT.dataset, dataset))
    return graph


SERIALISATIONS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
}


@require_safe
@public_page
def catalogue(request, fmt):
    """/<lang>/open-data/catalogue.jsonld and .ttl: the current plan's catalogue (9 queries)."""
    if fmt not in SERIALISATIONS:
        raise Http404("The catalogue is .jsonld or .ttl.")
    plan = StrategicPlan.objects.current()
    if plan is None:
        raise Http404("No plan has been published.")
    site = f"{request.scheme}://{request.get_host()}"
    graph = build_catalogue(catalogue_facts(plan), site, translation.get_language())
    rdf_format, content_type = SERIALISATIONS[fmt]
    options = {"context": JSONLD_CONTEXT, "auto_compact": True} if fmt == "jsonld" else {}
    body = graph.serialize(format=rdf_format, **options)
    return HttpResponse(body.encode(), content_type=content_type)


FORMATS.append(
    Format(
        name=_("DCAT catalogue (JSON-LD)"),
        description=_(
            "Every dataset of the portal (one per indicator, per-country series, the plan, the "
            "whole portal) with its licence, coverage and download addresses, for open-data "
            "portals to harvest."
        ),
        url_name="opendata:catalogue-jsonld",
        standard_url="https://www.w3.org/TR/vocab-dcat-3/",
    )
)
FORMATS.append(
    Format(
        name=_("DCAT catalogue (Turtle)"),
        description=_("The same catalogue in Turtle."),
        url_name="opendata:catalogue-ttl",
        standard_url="https://www.w3.org/TR/vocab-dcat-3/",
    )
)
