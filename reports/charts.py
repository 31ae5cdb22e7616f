"""The report's charts, drawn by dashboards.static_charts and kept in the default cache."""

import hashlib
import json

from django.core.cache import cache

from dashboards.static_charts import render_chart

# A chart's pixels (as the PDF's): the Word file scales it to the text's width
CHART_SIZE = (800, 420)
CHART_CACHE_SECONDS = 7 * 24 * 3600


def chart_image(figure: dict, fmt: str, language: str) -> bytes:
    """A chart drawn by dashboards.static_charts at CHART_SIZE, kept in the default cache by
    its content: drawing is most of a report's time, and a chart is the same in every build
    of the same figures (the next format, a report rebuilt after an unrelated change)."""
    width, height = CHART_SIZE
    spec = json.dumps([figure, fmt, width, height, language], sort_keys=True, default=str)
    key = "report-chart:" + hashlib.sha256(spec.encode()).hexdigest()
    image = cache.get(key)
    if image is None:
        image = render_chart(figure, fmt, width=width, height=height, language=language)
        cache.set(key, image, CHART_CACHE_SECONDS)
    return image
