"""/<lang>/open-data/: the page that lists every open-data format."""

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "heading"),
    [("en", "Open data"), ("fr", "Données ouvertes"), ("ar", "البيانات المفتوحة")],
)
def test_the_open_data_page_is_in_the_pages_language(visitor, language, heading):
    page = visitor.get(f"/{language}/open-data/").content.decode()
    assert f"<h1>{heading}</h1>" in page
    assert f'href="/{language}/open-data/" aria-current="page"' in page  # the navigation
    assert 'href="/api/v1/"' in page
