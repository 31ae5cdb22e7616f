"""/<lang>/open-data/catalogue.jsonld and .ttl: a DCAT catalogue that rdflib reads, listing every
indicator of the plan, each dataset with its title, publisher, licence and distributions."""

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.compare import isomorphic

from frameworks.models import StrategicPlan
from indicators.models import Indicator, Series

pytestmark = pytest.mark.django_db

SITE = "http://testserver"
# plain namespaces: pytest's collection probes a module's names, which rdflib's closed
# namespaces (rdflib.namespace.DCAT) answer with a warning
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
RDF = Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")


def catalogue(visitor, fmt, language="en"):
    response = visitor.get(f"/{language}/open-data/catalogue.{fmt}")
    assert response.status_code == 200
    graph = Graph().parse(data=response.content, format="json-ld" if fmt == "jsonld" else "turtle")
    return response, graph


def test_both_serialisations_give_the_same_graph(visitor, django_assert_max_num_queries):
    with django_assert_max_num_queries(9):
        response, jsonld = catalogue(visitor, "jsonld")
    assert response["Content-Type"] == "application/ld+json"
    response, turtle = catalogue(visitor, "ttl")
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    assert len(jsonld) > 1000
    assert isomorphic(jsonld, turtle)


def test_every_indicator_of_the_plan_and_every_series_is_a_dataset(visitor):
    _response, graph = catalogue(visitor, "ttl")
    plan = StrategicPlan.objects.current()
    datasets = set(graph.subjects(RDF.type, DCAT.Dataset))
    base = f"{SITE}/open-data/catalogue"
    indicators = {
        URIRef(f"{base}#indicator-{plan.code}-{code}")
        for code in Indicator.objects.filter(plan=plan).values_list("code", flat=True)
    }
    series = {
        URIRef(f"{base}#series-{code}") for code in Series.objects.values_list("code", flat=True)
    }
    assert indicators and series
    assert datasets == indicators | series | {
        URIRef(f"{base}#plan-{plan.code}"),
        URIRef(f"{base}#portal"),
    }
    catalogue_node = URIRef(base)
    assert set(graph.objects(catalogue_node, DCAT.dataset)) == datasets
    assert set(graph.objects(URIRef(f"{base}#plan-{plan.code}"), DCTERMS.hasPart)) == indicators


def test_every_dataset_has_title_publisher_licence_and_distributions(visitor):
    _response, graph = catalogue(visitor, "jsonld")
    for dataset in graph.subjects(RDF.type, DCAT.Dataset):
        assert graph.value(dataset, DCTERMS.title), dataset
        assert graph.value(dataset, DCTERMS.publisher) == URIRef("https://www.itu.int/")
        assert graph.value(dataset, DCTERMS.license), dataset
        assert graph.value(dataset, DCAT.landingPage), dataset
        distributions = list(graph.objects(dataset, DCAT.distribution))
        assert distributions, dataset
        for distribution in distributions:
            assert str(graph.value(distribution, DCAT.accessURL)).startswith(SITE + "/")
            assert str(graph.value(distribution, DCAT.mediaType)).startswith(
                "https://www.iana.org/assignments/media-types/"
            )


def test_an_indicator_dataset_says_its_coverage_and_downloads(visitor):
    indicator = Indicator.objects.select_related("target", "plan").get(
        plan=StrategicPlan.objects.current(), target__code="1.2", is_main=True
    )
    years = sorted(indicator.observations.approved().values_list("year", flat=True))
    _response, graph = catalogue(visitor, "ttl", language="fr")
    node = URIRef(f"{SITE}/open-data/catalogue#indicator-{indicator.plan.code}-{indicator.code}")
    title = graph.value(node, DCTERMS.title)
    assert title.language == "fr"
    assert str(title) == (indicator.name_fr or indicator.name)
    page = f"{SITE}/fr/plans/{indicator.plan.code}/indicators/{indicator.code}/"
    assert graph.value(node, DCAT.landingPage) == URIRef(page)
    period = graph.value(node, DCTERMS.temporal)
    assert int(graph.value(period, DCAT.startDate)) == years[0]
    assert int(graph.value(period, DCAT.endDate)) == years[-1]
    assert graph.value(node, DCTERMS.modified) is not None
    spatial = {str(s) for s in graph.objects(node, DCTERMS.spatial)}
    assert f"{SITE}/api/v1/geographies/WLD/" in spatial
    downloads = {
        str(graph.value(d, DCAT.downloadURL))
        for d in graph.objects(node, DCAT.distribution)
        if graph.value(d, DCAT.downloadURL)
    }
    series = indicator.code.replace(".", "_")
    assert downloads == {
        *(f"{page}download.{fmt}" for fmt in ("csv", "xlsx", "json")),
        f"{SITE}/fr/open-data/sdmx/{series}.xml",
        f"{SITE}/fr/open-data/sdmx/{series}.csv",
        f"{SITE}/fr/open-data/open-sdg/data/indicator_1-2-1.csv",
        f"{SITE}/fr/open-data/open-sdg/meta/1-2-1.yml",
    }
    access = {str(graph.value(d, DCAT.accessURL)) for d in graph.objects(node, DCAT.distribution)}
    assert f"{SITE}/api/v1/plans/{indicator.plan.code}/indicators/{indicator.code}/" in access


def test_every_address_in_the_catalogue_answers(visitor):
    _response, graph = catalogue(visitor, "ttl")
    addresses = {
        str(address).removeprefix(SITE)
        for predicate in (DCAT.accessURL, DCAT.downloadURL, DCAT.landingPage)
        for address in graph.objects(None, predicate)
    }
    assert len(addresses) > 20
    for address in sorted(addresses):
        assert visitor.get(address).status_code == 200, address


def test_a_series_dataset_lists_its_api_addresses(visitor):
    series = Series.objects.order_by("code").first()
    _response, graph = catalogue(visitor, "jsonld")
    node = URIRef(f"{SITE}/open-data/catalogue#series-{series.code}")
    access = {str(graph.value(d, DCAT.accessURL)) for d in graph.objects(node, DCAT.distribution)}
    assert access == {
        f"{SITE}/api/v1/series/{series.code}/countries/",
        f"{SITE}/api/v1/statistics/?series={series.code}",
    }


def test_the_catalogue_is_listed_on_the_open_data_page(visitor):
    page = visitor.get("/es/open-data/").content.decode()
    assert 'href="/es/open-data/catalogue.jsonld"' in page
    assert 'href="/es/open-data/catalogue.ttl"' in page


def test_the_catalogue_is_cached_like_the_pages(visitor, django_assert_max_num_queries):
    first = visitor.get("/en/open-data/catalogue.ttl")
    with django_assert_max_num_queries(0):
        again = visitor.get("/en/open-data/catalogue.ttl")
    assert again.content == first.content
