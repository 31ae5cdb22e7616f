"""Pages and API answers are gzipped for clients that accept it; zip downloads and images, which
are compressed already, are sent as they are."""

import pytest

pytestmark = pytest.mark.django_db


def test_a_page_is_gzipped(visitor, plan):
    response = visitor.get("/en/plans/2020-2023/risks/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"


def test_the_data_package_zip_is_not_gzipped_again(visitor, plan):
    response = visitor.get("/en/open-data/datapackage.zip", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Type"] == "application/zip"
    assert not response.has_header("Content-Encoding")
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert body[:4] == b"PK\x03\x04"  # the zip itself


def test_a_chart_png_is_not_gzipped(visitor, plan):
    response = visitor.get(
        "/en/embed/plans/2020-2023/targets/1.2/chart-1-2-internet-use.png",
        HTTP_ACCEPT_ENCODING="gzip",
    )
    assert response["Content-Type"] == "image/png"
    assert not response.has_header("Content-Encoding")
