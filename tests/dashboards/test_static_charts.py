"""Charts drawn on the server as SVG and PNG (dashboards.static_charts), from the same figure
dicts the pages draw with plotly: target 1.2 of the loaded plan, in English, Arabic and Chinese."""

import io
import struct
import xml.etree.ElementTree as ET

import matplotlib.image
import pytest
from django.utils import translation

from dashboards import charts
from dashboards.pages import target_context
from dashboards.static_charts import (
    PlotlyFormatter,
    format_number,
    render_chart,
    shape_label,
)
from indicators.progress import Status

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def target_chart(plan):
    """Target 1.2's main chart (Internet use), as its page builds it, in English."""
    with translation.override("en"):
        return target_context(plan, "1.2")["main"]["chart"]


def svg_root(svg: bytes) -> ET.Element:
    return ET.fromstring(svg)  # raises on anything that is not well-formed XML


def groups(root: ET.Element) -> dict[str, ET.Element]:
    return {g.get("id"): g for g in root.iter(f"{SVG}g") if g.get("id")}


def marks(group: ET.Element) -> int:
    """Shapes drawn in a group: each marker is a <path>, or a <use> of a path in <defs>."""

    def walk(element):
        for child in element:
            if child.tag == f"{SVG}defs":
                continue
            if child.tag in (f"{SVG}path", f"{SVG}use"):
                yield child
            yield from walk(child)

    return sum(1 for _ in walk(group))


def text_left(group: ET.Element) -> float:
    """Where a text drawn as glyphs starts: its transform's translate(x y)."""
    placed = next(g for g in group.iter(f"{SVG}g") if g.get("transform"))
    return float(placed.get("transform").split("(")[1].split()[0])


def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == PNG_SIGNATURE
    width, height = struct.unpack(">II", png[16:24])  # the IHDR chunk
    return width, height


def test_target_chart_as_svg_draws_every_point_and_the_target_star(target_chart):
    figure = target_chart.figure
    traces = {trace["meta"]: trace for trace in figure["data"]}
    assert traces["observed:WLD"]["x"][-1] == 2024  # the last year's point, asserted below
    svg = render_chart(figure, "svg", title=target_chart.title, source="Source: ITU")
    root = svg_root(svg)
    assert root.get("width") == "800" and root.get("height") == "450"
    assert root.get("viewBox") == "0 0 800 450"
    drawn = groups(root)
    for meta, trace in traces.items():
        gid = meta.replace(":", "-")
        shown = [size for size in _sizes(trace) if size]  # a marker of size 0 is not drawn
        assert marks(drawn[f"{gid}-markers"]) == len(shown), meta
    # the headline series' line and every point, 2017 to 2024
    assert marks(drawn["observed-WLD-markers"]) == 7
    assert "observed-WLD-line" in drawn
    # the target: a dashed line from the first year, the star at 2023 only
    assert marks(drawn["target-markers"]) == 1
    assert "target-line" in drawn
    assert "chart-title" in drawn and "chart-source" in drawn and "legend" in drawn
    assert root.find(f".//{SVG}text") is None  # glyphs are paths: no font needed to view it


def _sizes(trace: dict) -> list:
    size = trace["marker"]["size"]
    return size if isinstance(size, list) else [size] * len(trace["x"])


def test_last_point_and_star_sit_where_the_years_are(target_chart):
    """The star is drawn at 2023 and the last point at 2024, the rightmost mark of the plot."""
    root = svg_root(render_chart(target_chart.figure, "svg"))
    drawn = groups(root)

    def xs(gid):
        group = drawn[gid]
        found = [float(u.get("x")) for u in group.iter(f"{SVG}use") if u.get("x")]
        if not found:  # drawn as paths: their first coordinate
            found = [float(p.get("d").split()[1]) for p in group.iter(f"{SVG}path")]
        return found

    world = xs("observed-WLD-markers")
    star = xs("target-markers")
    assert len(world) == 7 and world == sorted(world)
    step = (world[-1] - world[0]) / 7  # 2017 to 2024
    assert star[0] == pytest.approx(world[0] + 6 * step, abs=step / 2)  # 2023


def test_svg_is_the_same_on_every_rendering(target_chart):
    first = render_chart(target_chart.figure, "svg", title="T", source="S")
    again = render_chart(target_chart.figure, "svg", title="T", source="S")
    assert first == again
    assert b"<dc:date>" not in first


def test_target_chart_as_png_has_the_asked_size(target_chart):
    png = render_chart(target_chart.figure, "png", title=target_chart.title, width=640, height=400)
    assert png_size(png) == (640, 400)
    pixels = matplotlib.image.imread(io.BytesIO(png), format="png")
    assert pixels.shape[:2] == (400, 640)
    assert pixels[0, 0, :3].tolist() == [1.0, 1.0, 1.0]  # white paper, as the pages


def test_arabic_chart_shapes_its_text_as_glyph_paths(plan):
    with translation.override("ar"):
        chart = target_context(plan, "1.2")["main"]["chart"]
        svg = render_chart(chart.figure, "svg", title=chart.title, source="المصدر: الاتحاد")
    root = svg_root(svg)
    assert root.find(f".//{SVG}text") is None
    glyphs = [p.get("id") for p in root.iter(f"{SVG}path") if p.get("id")]
    assert any(gid.startswith("NotoSansArabic-") for gid in glyphs)
    # the title and the source are aligned right, as the page's text
    drawn = groups(root)
    assert text_left(drawn["chart-title"]) > 400
    assert text_left(drawn["chart-source"]) > 600
    with translation.override("en"):
        english = groups(svg_root(render_chart(chart.figure, "svg", title="Internet use")))
    assert text_left(english["chart-title"]) < 20


def test_chinese_chart_draws_with_the_cjk_font(plan):
    with translation.override("zh-hans"):
        chart = target_context(plan, "1.2")["main"]["chart"]
        svg = render_chart(chart.figure, "svg", title=chart.title)
    glyphs = [p.get("id") for p in svg_root(svg).iter(f"{SVG}path") if p.get("id")]
    assert any(gid.startswith("NotoSansCJK") for gid in glyphs)


def test_shape_label_joins_and_orders_arabic_for_a_plain_renderer():
    # "Target" then a year: the letters take their joined forms, the word reads right to
    # left, the digits stay left to right
    word = "الهدف 2023"
    assert shape_label(word, native=False) == "2023 \ufed1\ufeaa\ufeec\ufedf\ufe8d"
    assert shape_label("Target 2023", native=False) == "Target 2023"
    # matplotlib with libraqm shapes by itself: the label goes untouched
    assert shape_label(word, native=True) == word


def test_numbers_follow_the_figures_separators():
    assert format_number(12345.5, ",\u00a0", 1, grouping=True) == "12\u00a0345,5"
    assert format_number(-2.0, ".,", 2, grouping=True) == "−2"
    assert format_number(2023, ".,", 0, grouping=False) == "2023"
    years = PlotlyFormatter(".,", "d")
    assert years.format_ticks([2017.0, 2018.0]) == ["2017", "2018"]
    values = PlotlyFormatter(",\u00a0", ",")
    assert values.format_ticks([0, 2500, 5000.5]) == ["0", "2\u00a0500", "5\u00a0000,5"]


def test_status_bars_draw_one_bar_per_goal_and_status():
    with translation.override("en"):
        figure = charts.build_status_counts_figure(
            {
                "statuses": [Status.ACHIEVED, Status.ON_TRACK],
                "goals": [
                    {"label": "1. Growth", "counts": {"achieved": 1, "on_track": 2}},
                    {"label": "2. Inclusiveness", "counts": {"on_track": 1}},
                ],
            }
        )
    root = svg_root(render_chart(figure, "svg", width=600, height=300))
    ids = set(groups(root)) | {p.get("id") for p in root.iter(f"{SVG}path")}
    assert {"achieved-bar-0", "achieved-bar-1", "on_track-bar-0", "on_track-bar-1"} <= ids
    assert png_size(render_chart(figure, "png", width=600, height=300)) == (600, 300)


def test_unknown_format_is_refused_with_a_message(target_chart):
    with pytest.raises(ValueError, match="Unknown image format 'gif'"):
        render_chart(target_chart.figure, "gif")


def test_maps_are_refused_with_a_message():
    figure = charts.build_choropleth_figure(
        {"unit": "percent", "codes": ["NOR"], "names": ["Norway"], "values": [99.0]}
    )
    with pytest.raises(ValueError, match="Trace type 'choropleth' cannot be drawn"):
        render_chart(figure, "png")
