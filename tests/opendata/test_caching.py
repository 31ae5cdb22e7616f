"""The Data Package download kept as a file (opendata/datapackage.py): built once per content
generation, streamed from disk, in the same number of queries whatever the number of figures,
and built again after a write."""

import csv
import io
import os
import time
import zipfile
from datetime import date

import pytest
from django.http import FileResponse

from frameworks.models import StrategicPlan
from indicators.models import Geography, Observation, Release, Series, Statistic
from itu_rbm.caching import content_changed
from opendata.datapackage import TABLES, write_zip

pytestmark = pytest.mark.django_db

URL = "/en/open-data/datapackage.zip"


@pytest.fixture(autouse=True)
def package_directory(settings, tmp_path):
    settings.OPEN_DATA_DIRECTORY = tmp_path / "open-data"
    return settings.OPEN_DATA_DIRECTORY


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def table(content: bytes, name: str) -> list[list[str]]:
    """A table's rows, header first."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return list(csv.reader(io.StringIO(archive.read(f"{name}.csv").decode("utf-8"))))


def add_statistics(count: int) -> Release:
    """`count` figures of a new release of an existing series, written in bulk as the loaders
    write them (no signal: content_changed() announces them)."""
    release = Release.objects.create(
        series=Series.objects.order_by("code").first(),
        publisher="Test",
        publication="Synthetic figures",
        edition="1",
        released_on=date(2025, 1, 1),
    )
    countries = list(Geography.objects.countries().order_by("code")[: count // 20 + 1])
    Statistic.objects.bulk_create(
        Statistic(release=release, geography=country, year=2000 + n % 20, value=n / 7)
        for n, country in enumerate(country for country in countries for _year in range(20))
        if n < count
    )
    content_changed()
    return release


def test_the_queries_are_the_same_whatever_the_number_of_figures(
    visitor, django_assert_max_num_queries, django_assert_num_queries
):
    plans = StrategicPlan.objects.published().count()
    before = Statistic.objects.count()
    with django_assert_max_num_queries(len(TABLES) + 1 + 3 * plans) as real_size:
        small = body(visitor.get(URL))
    add_statistics(4000)
    with django_assert_num_queries(len(real_size)):
        larger = body(visitor.get(URL))
    assert len(table(small, "statistics")) == before + 1
    assert len(table(larger, "statistics")) == before + 4000 + 1


def test_the_download_is_a_file_streamed_from_disk(visitor, package_directory):
    response = visitor.get(URL)
    assert isinstance(response, FileResponse)
    (built,) = package_directory.glob("*.zip")
    assert response["ETag"] == f'"{built.stem}"'
    assert int(response["Content-Length"]) == built.stat().st_size
    assert body(response) == built.read_bytes()
    assert response["Cache-Control"] == "public, no-cache"
    assert response["Vary"] == "Accept-Encoding, Authorization, Cookie"


def test_a_matching_etag_is_answered_without_the_file(
    visitor, package_directory, django_assert_num_queries
):
    etag = visitor.get(URL)["ETag"]
    for built in package_directory.glob("*.zip"):
        built.unlink()
    with django_assert_num_queries(0):
        response = visitor.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert list(package_directory.glob("*.zip")) == []


def test_a_new_approved_figure_is_in_the_next_download(visitor):
    first = body(visitor.get(URL))
    existing = Observation.objects.approved().filter(indicator__code="1.2-internet-use").first()
    Observation.objects.create(
        indicator=existing.indicator,
        geography=existing.geography,
        year=2031,
        value="71.5",
        publisher="ITU",
        publication="Facts and Figures",
        source="s",
        edition="Facts and Figures 2031",
        status=Observation.Status.APPROVED,
    )
    release = add_statistics(3)
    second = body(visitor.get(URL))
    assert second != first
    added = [row for row in table(second, "observations") if row[2] == "2031"]
    assert [(row[0], row[1], row[3], row[6]) for row in added] == [
        (
            f"2020-2023:{existing.indicator.code}",
            existing.geography.code,
            "71.5",
            "Facts and Figures 2031",
        )
    ]
    statistics = [row for row in table(second, "statistics") if row[0] == str(release.pk)]
    assert len(statistics) == 3
    assert len(table(first, "observations")) + 1 == len(table(second, "observations"))


def test_the_statistics_csv_is_the_databases_rows(visitor):
    rows = table(body(visitor.get(URL)), "statistics")
    codes = dict(Geography.objects.values_list("pk", "code"))
    expected = [
        (release, codes[geography], year, sex, age, area, value, is_estimate, coverage)
        for release, geography, year, sex, age, area, value, is_estimate, coverage in (
            Statistic.objects.order_by(
                "release_id", "geography_id", "year", "sex", "age", "area"
            ).values_list(
                "release_id", "geography_id", "year", "sex", "age", "area", "value",
                "is_estimate", "coverage",
            )
        )
    ]  # fmt: skip
    assert rows[0] == [column.name for column in TABLES[-1].columns]
    found = [
        (
            int(release), geography, int(year), sex, age, area, float(value),
            is_estimate == "true", float(coverage) if coverage else None,
        )
        for release, geography, year, sex, age, area, value, is_estimate, coverage in rows[1:]
    ]  # fmt: skip
    assert len(found) == Statistic.objects.count() > 50_000
    assert found == expected


def test_older_packages_are_deleted_once_stale(visitor, package_directory):
    body(visitor.get(URL))  # read to the end: close() would close the database connection
    (old,) = package_directory.glob("*.zip")
    content_changed()
    body(visitor.get(URL))
    assert old.exists()  # a reader of the earlier generation may still ask for it
    hour_ago = time.time() - 3600
    os.utime(old, (hour_ago, hour_ago))
    content_changed()
    body(visitor.get(URL))
    assert not old.exists()
    assert len(list(package_directory.glob("*.zip"))) == 2


def test_the_same_data_gives_the_same_bytes():
    built = []
    for _ in range(2):
        buffer = io.BytesIO()
        write_zip(buffer, homepage="", date_time=(2026, 1, 2, 3, 4, 5))
        built.append(buffer.getvalue())
    assert built[0] == built[1]


def test_a_signed_in_user_gets_a_private_package_built_afresh(
    client, staff_user, package_directory
):
    client.force_login(staff_user)
    response = client.get(URL)
    assert response["Cache-Control"] == "private, no-store"
    assert len(table(body(response), "statistics")) == Statistic.objects.count() + 1
    assert not package_directory.exists()
