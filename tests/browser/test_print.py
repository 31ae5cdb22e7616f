"""Printing target pages, as a reader would: a wide screen, then "Print" on A4 paper, in English,
Arabic (right to left) and Chinese. Each chart must fit the page with its last year and the
target's star drawn, and no word of the PDF may run past the margins (static/css/print.css,
the print handlers in static/js/charts.js)."""

import re
import subprocess
from html import unescape

import pytest

from .conftest import wait_for_charts

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PLAN = "/plans/2020-2023"
LANGUAGES = ("en", "ar", "zh-hans")
TARGETS = ("1.1", "1.2")
# A4 less print.css's @page margins (15 mm each side), in CSS pixels; the same in charts.js
MM = 96 / 25.4
PRINT_WIDTH = int((210 - 2 * 15) * MM)
MARGIN_PT = 15 * 72 / 25.4

# Every chart (and map) of the page as laid out for print: its box and its svg's, the plot area,
# the x tick labels and the target's star (the last point of the trace whose meta is "target").
CHART_GEOMETRY = """() => [...document.querySelectorAll(
        '.chart-plot[data-figure], .map-plot[data-figure]')].map(chart => {
    const box = r => { const b = r.getBoundingClientRect();
                       return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
    const svg = chart.querySelector('.main-svg');
    const area = chart.querySelector('.draglayer .nsewdrag');
    const targetIndex = (chart.data || []).findIndex(t => t.meta === 'target');
    let star = null;
    if (targetIndex >= 0) {
        const points = chart.querySelectorAll('.scatterlayer .trace')[targetIndex]
            .querySelectorAll('.points path');
        star = points.length ? box(points[points.length - 1]) : null;
    }
    const years = (chart.data || []).flatMap(t => t.x || []).filter(x => typeof x === 'number');
    return {
        id: chart.id,
        drawn: chart.dataset.drawn || '',
        chart: box(chart),
        svg: svg ? box(svg) : null,
        area: area ? box(area) : null,
        lastYear: years.length ? Math.max(...years) : null,
        ticks: [...chart.querySelectorAll('.xtick text')].map(t => [t.textContent, box(t)]),
        target: targetIndex >= 0,
        star: star,
    };
})"""


def target_url(server, language: str, code: str) -> str:
    return f"{server.url}/{language}{PLAN}/targets/{code}/"


def inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (
        inner["left"] >= outer["left"] - slack
        and inner["right"] <= outer["right"] + slack
        and inner["top"] >= outer["top"] - slack
        and inner["bottom"] <= outer["bottom"] + slack
    )


def chart_problems(charts: list[dict], page_width: float) -> list[str]:
    """What is cut off or missing in the charts as laid out for print."""
    problems = []
    paper = {"left": 0, "right": page_width, "top": -1e9, "bottom": 1e9}
    for chart in charts:
        name = chart["id"]
        if chart["drawn"] != "true" or not chart["svg"]:
            problems.append(f"{name}: not drawn")
            continue
        for part in ("chart", "svg"):
            if not inside(chart[part], paper):
                problems.append(f"{name}: its {part} runs off the page: {chart[part]}")
        if chart["lastYear"] is None:
            continue  # a chart without years (none on a target page)
        last = str(chart["lastYear"])
        ticks = [b for text, b in chart["ticks"] if text == last]
        if not ticks:
            shown = [text for text, _ in chart["ticks"]]
            problems.append(f"{name}: no tick label for {last} (ticks {shown})")
        elif not inside(ticks[0], chart["svg"]):
            problems.append(f"{name}: the tick label {last} lies outside the chart: {ticks[0]}")
        if chart["target"]:
            if not chart["star"]:
                problems.append(f"{name}: the target's star is not drawn")
            elif not inside(chart["star"], chart["area"], slack=9):  # half the star's size
                star = chart["star"]
                problems.append(f"{name}: the target's star lies outside the plot area: {star}")
    return problems


def pdf_words(path) -> list[dict]:
    """Every word of a PDF with its page's width and its box, in points (pdftotext -bbox)."""
    output = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = []
    page_number, page_width = 0, 0.0
    for line in output.splitlines():
        if page := re.search(r'<page width="([\d.]+)"', line):
            page_number += 1
            page_width = float(page.group(1))
        elif word := re.search(
            r'xMin="([-\d.]+)" yMin="([-\d.]+)" xMax="([-\d.]+)" yMax="([-\d.]+)">(.*)</word>',
            line,
        ):
            x0, y0, x1, y1 = (float(value) for value in word.groups()[:4])
            words.append(
                {
                    "page": page_number,
                    "page_width": page_width,
                    "x0": x0,
                    "x1": x1,
                    "y": round((y0 + y1) / 2),
                    "text": unescape(word.group(5)),
                }
            )
    return words


def printed_lines(words: list[dict]) -> list[list[str]]:
    """The PDF's lines of text, each its words from left to right."""
    lines = {}
    for word in words:
        lines.setdefault((word["page"], word["y"]), []).append(word)
    return [[w["text"] for w in sorted(line, key=lambda w: w["x0"])] for line in lines.values()]


def holds(line: list[str], labels: list[str]) -> bool:
    """Whether the labels follow one another on the line."""
    return any(line[i : i + len(labels)] == labels for i in range(len(line) - len(labels) + 1))


@pytest.mark.parametrize("language", LANGUAGES)
def test_printed_target_pages_keep_every_chart_inside_the_page(
    loaded_server, page, tmp_path, language
):
    for code in TARGETS:
        # a reader on a wide screen prints the page: the charts further down are not drawn yet
        page.set_viewport_size({"width": 1280, "height": 900})
        page.goto(target_url(loaded_server, language, code))
        wait_for_charts(page)
        on_screen = page.evaluate(CHART_GEOMETRY)
        assert on_screen[0]["svg"]["right"] - on_screen[0]["svg"]["left"] > PRINT_WIDTH

        path = tmp_path / f"{language}-{code}.pdf"
        page.pdf(path=str(path), format="A4")
        words = pdf_words(path)
        text = " ".join(word["text"] for word in words)
        # the target's code and the plan's last year are printed
        assert code in text
        assert "2023" in text
        # no word runs into the margins, let alone off the paper (right to left or not)
        cut = [
            f"page {w['page']}: {w['text']!r} at {w['x0']:.0f}-{w['x1']:.0f} pt"
            for w in words
            # 3 pt (1 mm) of slack: pdftotext's boxes of rotated and Arabic words are loose
            if w["x0"] < MARGIN_PT - 3 or w["x1"] > w["page_width"] - MARGIN_PT + 3
        ]
        assert not cut, f"{language} {code}: " + "; ".join(cut[:10])

        # the page as laid out for print (print media, the width of the printed page): every
        # chart drawn inside the page, with its last year and its target's star
        page.emulate_media(media="print")
        page.set_viewport_size({"width": PRINT_WIDTH, "height": 900})
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart-plot[data-figure], .map-plot')]"
            ".every(chart => chart.dataset.drawn === 'true'"
            f" && chart._fullLayout.width <= {PRINT_WIDTH})"
        )
        charts = page.evaluate(CHART_GEOMETRY)
        assert len(charts) == len(on_screen) >= 1
        assert charts[0]["target"], "the main chart has a target"
        problems = chart_problems(charts, PRINT_WIDTH)
        assert not problems, f"{language} {code}: " + "; ".join(problems)
        # the PDF has each chart's year axis whole, to its last year (2023 or later for the
        # main chart): every label on one line, in order
        lines = printed_lines(words)
        for chart in charts:
            labels = [label for label, _ in chart["ticks"]]
            assert any(holds(line, labels) for line in lines), f"{chart['id']}: {labels}"
        assert int(charts[0]["ticks"][-1][0]) >= 2023
        # navigation, language menu and footer are not printed
        hidden = page.evaluate(
            "['.site-header', '.languages', '.site-nav', '.skip-link', '.site-footer', '.pager']"
            ".map(s => getComputedStyle(document.querySelector(s)).display)"
        )
        assert hidden == ["none"] * 6

        # back on the screen, the charts fill their box again
        page.emulate_media(media="null")  # no emulation: page.pdf prints as print again
        page.set_viewport_size({"width": 1280, "height": 900})
        page.wait_for_function(
            "() => [...document.querySelectorAll('.chart-plot[data-figure]')].every(chart => "
            "Math.abs(chart.querySelector('.main-svg').getBoundingClientRect().width"
            " - chart.clientWidth) < 2)"
        )
