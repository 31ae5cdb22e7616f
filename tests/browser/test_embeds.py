"""A chart embedded in another site's page (dashboards/embeds.py), in Chromium: the host page is
served from another origin (a small server of its own, at 127.0.0.1 on another port, while the
portal answers at localhost); the chart's embed address draws in its frame, right to left in
Arabic, and its picture (SVG) shows there, while a normal page of the portal is refused a frame."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from .conftest import AXE, wait_for_charts
from .test_pages import AXE_RUN

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

CHART = "chart-1-2-internet-use"
EMBED = f"/ar/embed/plans/2020-2023/targets/1.2/{CHART}/"
PICTURE = f"/ar/embed/plans/2020-2023/targets/1.2/{CHART}.svg"
TARGET_PAGE = "/ar/plans/2020-2023/targets/1.2/"


def host_page(server: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>A partner's report</title></head>
<body>
<h1>A partner's report</h1>
<iframe name="embed" src="{server}{EMBED}" title="Internet use" width="800" height="600"></iframe>
<iframe name="page" src="{server}{TARGET_PAGE}" title="Target" width="800" height="600"></iframe>
<img id="picture" src="{server}{PICTURE}" alt="Internet use">
</body></html>"""


@pytest.fixture
def partner(loaded_server):
    """Another site, whose report frames the portal's addresses: its origin. (Not a made-up
    public host name answered by Playwright: Chromium refuses a public page a frame from the
    local network whatever the portal allows.)"""
    body = host_page(loaded_server.url).encode()

    class Report(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Report)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    assert origin.split("//")[1].split(":")[0] not in loaded_server.url  # another origin
    yield origin
    server.shutdown()
    server.server_close()


def test_arabic_embed_draws_in_another_sites_frame_and_a_page_does_not(
    loaded_server, partner, page
):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"{partner}/report.html")
    page.wait_for_load_state("load")

    embed = page.frame(name="embed")
    assert embed is not None and embed.url == f"{loaded_server.url}{EMBED}", console
    embed.wait_for_function("document.documentElement.dataset.chartsDrawn === 'true'")
    assert embed.evaluate("document.documentElement.dir") == "rtl"
    assert embed.evaluate("document.documentElement.lang") == "ar"
    # plotly drew the chart: its svg, with the series' line
    assert embed.locator(f"#{CHART} .main-svg").count() >= 1
    assert embed.locator(f"#{CHART} .scatterlayer .trace").count() >= 1
    # alone: no site navigation; the way back opens the portal in the whole window
    assert embed.locator(".site-header, .site-nav, .site-footer").count() == 0
    back = embed.locator("a.embed-back")
    assert back.get_attribute("target") == "_top"
    assert back.get_attribute("href") == f"{TARGET_PAGE}#{CHART}"

    # the normal page is refused: its frame holds no document of the portal's
    framed = page.frame(name="page")
    assert framed is not None
    page.wait_for_timeout(500)
    assert framed.locator(".site-header").count() == 0
    assert framed.locator("#main").count() == 0
    assert any("frame-ancestors 'none'" in text for text in console), console

    # the chart's picture, drawn by the server, shows in the partner's page too
    assert page.evaluate("document.getElementById('picture').naturalWidth") == 800


def test_embed_alone_passes_an_accessibility_scan_and_fits_a_small_frame(loaded_server, page):
    # the snippet's frame (dashboards.embeds.FRAME_WIDTH and FRAME_HEIGHT)
    page.set_viewport_size({"width": 800, "height": 600})
    page.goto(f"{loaded_server.url}{EMBED}")
    wait_for_charts(page)
    # the source line and the way back are in view without scrolling
    back = page.locator("a.embed-back").bounding_box()
    assert back["y"] + back["height"] <= 600
    page.evaluate(AXE.read_text())
    result = page.evaluate(AXE_RUN)
    problems = [
        f"{violation['id']} ({violation['impact']}) {violation['help']}"
        for violation in result["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not problems, problems
    # a phone-sized frame: nothing wider than it
    page.set_viewport_size({"width": 360, "height": 600})
    page.wait_for_timeout(100)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
