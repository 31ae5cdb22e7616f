"""Static files as production serves them: collected with content-hashed names, compressed
(Brotli and gzip), and served by the portal itself with a year-long, immutable Cache-Control."""

import gzip
import json
import re
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PLOTLY = ROOT / "static" / "vendor" / "plotly-basic-4.1.1.min.js"


@pytest.fixture
def production_static(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    # the portal's own files only: the admin's and the API docs' would take a minute to compress
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    return Client()  # a new client: whitenoise reads the collected files when it starts


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_pages_name_hashed_files_served_compressed_and_immutable(production_static, plan):
    client = production_static
    # target 3.1's page draws charts and no map: the basic bundle
    html = client.get("/en/plans/2020-2023/targets/3.1/").content.decode()
    address = re.search(r'src="(/static/vendor/plotly-basic-4\.1\.1\.min\.[0-9a-f]{12}\.js)"', html)
    assert address, "the page names plotly by its content hash"
    original = PLOTLY.read_bytes()

    as_brotli = client.get(address.group(1), HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert as_brotli["Content-Encoding"] == "br"
    compressed = body(as_brotli)
    assert brotli.decompress(compressed) == original
    assert len(compressed) < len(original) / 3
    assert "immutable" in as_brotli["Cache-Control"]
    assert int(re.search(r"max-age=(\d+)", as_brotli["Cache-Control"]).group(1)) >= 365 * 86400

    as_gzip = client.get(address.group(1), HTTP_ACCEPT_ENCODING="gzip")
    assert as_gzip["Content-Encoding"] == "gzip"
    assert gzip.decompress(body(as_gzip)) == original
    assert "Accept-Encoding" in as_gzip["Vary"]

    plain = client.get(address.group(1))
    assert "Content-Encoding" not in plain and body(plain) == original


def test_the_cache_of_public_pages_knows_the_release_of_the_static_files(
    production_static, settings
):
    from itu_rbm.caching import assets_token

    manifest = json.loads((Path(settings.STATIC_ROOT) / "staticfiles.json").read_text())
    assert assets_token() == manifest["hash"] != ""
