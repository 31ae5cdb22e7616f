"""The world map's figure spec (dashboards.charts.build_choropleth_figure), without HTTP."""

import plotly.graph_objects as go

from dashboards import charts


def test_the_choropleth_names_countries_by_iso3_on_a_fixed_percent_scale():
    figure = charts.build_choropleth_figure(
        {
            "unit": "percent",
            "separators": ".,",
            "codes": ["NOR", "NER"],
            "names": ["Norway", "Niger"],
            "values": [99.0, 17.0],
            "range": (0, 100),
        }
    )
    go.Figure(figure)  # plotly's own schema: raises on anything plotly.js would not read
    trace = figure["data"][0]
    assert trace["type"] == "choropleth"
    assert trace["locationmode"] == "ISO-3"
    assert (trace["locations"], trace["z"]) == (["NOR", "NER"], [99.0, 17.0])
    assert (trace["zmin"], trace["zmax"]) == (0, 100)
    assert trace["showscale"] is False  # its colour bar writes style="" (CSP): drawn in HTML
    geo = figure["layout"]["geo"]
    assert (geo["scope"], geo["resolution"]) == ("world", 110)  # world_110m.json
