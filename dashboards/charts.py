"""Plotly figure specs for the public pages: pure functions from plain data to a figure dict.

Each `build_<chart>_figure(data) -> dict` returns {"data": [...], "layout": {...}} as plotly.js
reads it (plain dicts: building plotly.graph_objects costs milliseconds per figure, and a page
has several; the tests check every spec against plotly's own schema instead). The page embeds
the dict as JSON and static/js/charts.js draws it. Labels are translated here, in the active
language; colours and icons of statuses come from dashboards.presentation.
"""

from django.utils.translation import gettext as _

from .presentation import axis_title, decimals_for, status_look, verdict_look

FONT = (
    "system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'Noto Sans Arabic', "
    "'Noto Sans SC', 'Noto Sans CJK SC', sans-serif"
)
INK = "#1a1a1a"
GRID = "#d9d9d9"
# Other geographies than the headline one: dark enough for 3:1 on white, each with its own
# marker symbol so that no series is told apart by colour alone.
SERIES_COLOURS = ("#0b5394", "#6a3d9a", "#7a4f00", "#4d4d4d", "#b3006b", "#006d77")
SERIES_SYMBOLS = ("square", "diamond", "triangle-up", "cross", "triangle-down", "x")
OUTPUTS_COLOUR = "#0b5394"
ACTIVITIES_COLOUR = "#a33d00"


def _layout(data: dict, **extra) -> dict:
    layout = {
        "font": {"family": FONT, "size": 13, "color": INK},
        "separators": data.get("separators", ".,"),
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "hovermode": "closest",
        "margin": {"l": 56, "r": 16, "t": 16, "b": 48},
    }
    layout.update(extra)
    return layout


def _axis(**extra) -> dict:
    # automargin costs plotly extra layout passes: only category axes, whose labels vary in
    # length with the language, ask for it; numeric axes fit fixed margins
    axis = {"fixedrange": True, "gridcolor": GRID, "zeroline": False}
    axis.update(extra)
    return axis


def _hover(unit: str) -> str:
    """d3 number format for hovers: as many decimals as the pages show, zeros trimmed."""
    return f",.{decimals_for(unit)}~f"


def build_target_figure(data: dict) -> dict:
    """The target's main chart: each geography's observed series, the baseline, the target line
    and the trajectory the status method projects from the latest value to the target year.

    data: unit, status, separators; series: [{geography, name, years, values, headline}];
    baseline: {year, value} | None; target: {year, value} | None; trajectory: [{year, value}];
    colour (optional: a closed target's verdict colour, instead of its status's).
    The headline series is drawn in the colour of the status.
    """
    unit = data["unit"]
    # an indicator that gives no status (context, proxies) draws its headline series in ink
    status_colour = status_look(data["status"]).colour if data.get("status") else INK
    status_colour = data.get("colour") or status_colour  # a closed target's verdict colour
    number = _hover(unit)
    traces = []
    others = 0
    years = []
    for series in data["series"]:
        years.extend(series["years"])
        if series.get("headline"):
            colour, symbol, width = status_colour, "circle", 3
        else:
            colour = SERIES_COLOURS[others % len(SERIES_COLOURS)]
            symbol = SERIES_SYMBOLS[others % len(SERIES_SYMBOLS)]
            width = 2
            others += 1
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": series["name"],
                "meta": f"observed:{series['geography']}",
                "x": list(series["years"]),
                "y": list(series["values"]),
                "line": {"color": colour, "width": width},
                "marker": {"color": colour, "symbol": symbol, "size": 8},
                "hovertemplate": f"%{{x}}: %{{y:{number}}}<extra>{series['name']}</extra>",
            }
        )
    baseline = data.get("baseline")
    if baseline:
        label = _("Baseline (%(year)s)") % {"year": baseline["year"]}
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "meta": "baseline",
                "x": [baseline["year"]],
                "y": [baseline["value"]],
                "marker": {
                    "color": INK,
                    "symbol": "diamond-open",
                    "size": 14,
                    "line": {"width": 2, "color": INK},
                },
                "hovertemplate": f"%{{x}}: %{{y:{number}}}<extra>{label}</extra>",
            }
        )
    target = data.get("target")
    if target:
        years.append(target["year"])
        first = min(years)
        label = _("Target for %(year)s") % {"year": target["year"]}
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "meta": "target",
                "x": [first, target["year"]],
                "y": [target["value"], target["value"]],
                "line": {"color": INK, "width": 2, "dash": "dash"},
                "marker": {"color": INK, "symbol": "star", "size": [0, 16]},
                "hovertemplate": f"%{{y:{number}}}<extra>{label}</extra>",
            }
        )
    trajectory = data.get("trajectory") or []
    if len(trajectory) > 1:
        label = _("Projection at the recent pace")
        traces.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": label,
                "meta": "projection",
                "x": [point["year"] for point in trajectory],
                "y": [point["value"] for point in trajectory],
                "line": {"color": status_colour, "width": 2, "dash": "dot"},
                "marker": {"color": status_colour, "symbol": "circle-open", "size": 8},
                "hovertemplate": f"%{{x}}: %{{y:{number}}}<extra>{label}</extra>",
            }
        )
        years.extend(point["year"] for point in trajectory)
    xaxis = _axis(title={"text": _("Year")}, tickformat="d", dtick=1)
    if years:
        # a fixed range, half a year beyond each end: the last year's label and the target's
        # star are always drawn, at any width (a printed page too), never left to autorange
        xaxis["range"] = [min(years) - 0.5, max(years) + 0.5]
    # plotly makes room below the axis for a legend; a chart of one series has none, and its
    # year labels and axis title need a margin of their own, or they are cut off
    legend = len(traces) > 1
    layout = _layout(
        data,
        height=420,
        showlegend=legend,
        xaxis=xaxis,
        yaxis=_axis(
            title={"text": axis_title(unit)},
            rangemode="normal" if unit in ("ratio", "index") else "tozero",
            tickformat=",",
        ),
        legend={"orientation": "h", "x": 0, "y": -0.2, "yanchor": "top"},
        margin={"l": 64, "r": 16, "t": 16, "b": 16 if legend else 64},
    )
    return {"data": traces, "layout": layout}


def build_status_counts_figure(data: dict) -> dict:
    """The overview's chart: each goal's targets counted by status, stacked.

    data: separators; statuses: [status, ...] in display order; goals: [{label, counts}].
    """
    return _counts_figure(data, data["statuses"], status_look)


def build_verdict_counts_figure(data: dict) -> dict:
    """The overview's chart once the plan is over: each goal's targets counted by verdict
    (achieved, not achieved, not measured and why), stacked.

    data: separators; verdicts: [verdict, ...] in display order; goals: [{label, counts}].
    """
    return _counts_figure(data, data["verdicts"], verdict_look)


def _counts_figure(data: dict, keys, look_of) -> dict:
    labels = [goal["label"] for goal in data["goals"]]
    traces = []
    for key in keys:
        counts = [goal["counts"].get(key, 0) for goal in data["goals"]]
        if not any(counts):
            continue
        look = look_of(key)
        name = f"{look.icon} {look.label}"
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "meta": str(key),
                "x": counts,
                "y": labels,
                "marker": {"color": look.colour, "line": {"color": "#ffffff", "width": 1}},
                # the icon goes with the count, so a bar does not rely on its colour alone
                "text": [f"{look.icon} {count}" if count else "" for count in counts],
                "textposition": "inside",
                "insidetextanchor": "middle",
                "textfont": {"color": "#ffffff"},
                "hovertemplate": f"%{{y}}: %{{x}}<extra>{name}</extra>",
            }
        )
    layout = _layout(
        data,
        barmode="stack",
        height=120 + 44 * len(labels),
        xaxis=_axis(title={"text": _("Targets")}, dtick=1, tickformat="d"),
        yaxis=_axis(autorange="reversed", gridcolor="rgba(0,0,0,0)", automargin=True),
        legend={"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top", "traceorder": "normal"},
        margin={"l": 16, "r": 16, "t": 8, "b": 16},
    )
    return {"data": traces, "layout": layout}


def build_bullet_figure(data: dict) -> dict:
    """A target's latest value as a bar, against its target (a tick) and its baseline.

    data: unit, status, separators; latest: {year, value}; target: {year, value} | None;
    baseline: {year, value} | None; colour (optional, instead of the status's).
    """
    unit = data["unit"]
    number = _hover(unit)
    colour = data.get("colour") or status_look(data["status"]).colour
    latest = data["latest"]
    latest_label = _("Latest (%(year)s)") % {"year": latest["year"]}
    traces = [
        {
            "type": "bar",
            "orientation": "h",
            "name": latest_label,
            "meta": "latest",
            "x": [latest["value"]],
            "y": [""],
            "width": [0.5],
            "marker": {"color": colour},
            "hovertemplate": f"%{{x:{number}}}<extra>{latest_label}</extra>",
        }
    ]
    values = [latest["value"]]
    for key, label, symbol, size in (
        ("target", _("Target for %(year)s"), "line-ns", 30),
        ("baseline", _("Baseline (%(year)s)"), "diamond", 11),
    ):
        point = data.get(key)
        if not point:
            continue
        name = label % {"year": point["year"]}
        values.append(point["value"])
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "meta": key,
                "x": [point["value"]],
                "y": [""],
                "marker": {"symbol": symbol, "size": size, "color": INK, "line": {"width": 3}},
                "hovertemplate": f"%{{x:{number}}}<extra>{name}</extra>",
            }
        )
    low = min(0, *values)
    high = max(values)
    layout = _layout(
        data,
        height=72,
        showlegend=False,
        margin={"l": 8, "r": 16, "t": 4, "b": 24},
        xaxis=_axis(range=[low, high * 1.1 if high > 0 else 1], tickformat=",", nticks=5),
        yaxis=_axis(visible=False),
    )
    return {"data": traces, "layout": layout}


def build_sparkline_figure(data: dict) -> dict:
    """A small trend line of one series in the colour of its status, with its target.

    data: unit, status, separators, name; years, values; target: {year, value} | None;
    colour (optional, instead of the status's).
    """
    unit = data["unit"]
    number = _hover(unit)
    colour = data.get("colour") or status_look(data["status"]).colour
    traces = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": data.get("name", ""),
            "meta": "observed",
            "x": list(data["years"]),
            "y": list(data["values"]),
            "line": {"color": colour, "width": 2},
            "marker": {"color": colour, "size": 6},
            "hovertemplate": f"%{{x}}: %{{y:{number}}}<extra></extra>",
        }
    ]
    years = list(data["years"])
    target = data.get("target")
    if target:
        label = _("Target for %(year)s") % {"year": target["year"]}
        years.append(target["year"])
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "meta": "target",
                "x": [target["year"]],
                "y": [target["value"]],
                "marker": {"color": INK, "symbol": "star", "size": 12},
                "hovertemplate": f"%{{y:{number}}}<extra>{label}</extra>",
            }
        )
    xaxis = _axis(tickformat="d", showgrid=False)
    if years:
        xaxis.update(tickvals=sorted({min(years), max(years)}))
        xaxis.update(range=[min(years) - 0.5, max(years) + 0.5])
    layout = _layout(
        data,
        height=110,
        showlegend=False,
        margin={"l": 40, "r": 12, "t": 6, "b": 24},
        xaxis=xaxis,
        yaxis=_axis(nticks=3, tickformat=","),
    )
    return {"data": traces, "layout": layout}


def build_linkage_matrix_figure(data: dict) -> dict:
    """Table 3: which sector objectives contribute to which goals, primary and secondary drawn
    differently (a filled and an open circle, and named in the legend).

    data: separators; goals: [{number, label}]; objectives: [code]; links: [{objective, goal,
    kind}].
    """
    goal_labels = {goal["number"]: goal["label"] for goal in data["goals"]}
    traces = []
    for kind, name, symbol, size in (
        ("primary", _("Primary link"), "circle", 18),
        ("secondary", _("Secondary link"), "circle-open", 14),
    ):
        links = [link for link in data["links"] if link["kind"] == kind]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": name,
                "meta": kind,
                "x": [goal_labels[link["goal"]] for link in links],
                "y": [link["objective"] for link in links],
                "marker": {
                    "symbol": symbol,
                    "size": size,
                    "color": OUTPUTS_COLOUR,
                    "line": {"width": 2, "color": OUTPUTS_COLOUR},
                },
                "hovertemplate": f"%{{y}} → %{{x}}<extra>{name}</extra>",
            }
        )
    objectives = list(data["objectives"])
    layout = _layout(
        data,
        height=120 + 26 * len(objectives),
        xaxis=_axis(
            type="category",
            categoryorder="array",
            categoryarray=[goal["label"] for goal in data["goals"]],
            side="top",
            automargin=True,
        ),
        yaxis=_axis(
            type="category",
            categoryorder="array",
            categoryarray=objectives,
            autorange="reversed",
            automargin=True,
        ),
        legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top"},
        margin={"l": 16, "r": 16, "t": 16, "b": 16},
    )
    return {"data": traces, "layout": layout}


def build_contributions_figure(data: dict) -> dict:
    """How many ITU outputs and activities serve each WSIS action line or SDG (grouped bars;
    activities are hatched as well as coloured). Short labels on the axis (C1, SDG 1) keep the
    chart readable on a phone; the full names show on hover and in the page's table.

    data: separators; categories: [short label]; names: [full name]; outputs: [n | None];
    activities: [n | None].
    """
    labels = list(data["categories"])
    names = list(data.get("names") or labels)
    traces = []
    for key, name, colour, pattern in (
        ("outputs", _("ITU outputs"), OUTPUTS_COLOUR, ""),
        ("activities", _("ITU activities"), ACTIVITIES_COLOUR, "/"),
    ):
        traces.append(
            {
                "type": "bar",
                "orientation": "h",
                "name": name,
                "meta": key,
                "x": list(data[key]),
                "y": labels,
                "customdata": names,
                "marker": {
                    "color": colour,
                    "pattern": {"shape": pattern, "fgcolor": "#ffffff", "fillmode": "overlay"},
                },
                "hovertemplate": f"%{{customdata}}: %{{x}}<extra>{name}</extra>",
            }
        )
    layout = _layout(
        data,
        barmode="group",
        height=120 + 40 * len(labels),
        xaxis=_axis(title={"text": _("Number")}, tickformat="d"),
        yaxis=_axis(autorange="reversed", gridcolor="rgba(0,0,0,0)", automargin=True),
        legend={"orientation": "h", "x": 0, "y": -0.12, "yanchor": "top"},
        margin={"l": 16, "r": 16, "t": 8, "b": 16},
    )
    return {"data": traces, "layout": layout}


def build_peer_strip_figure(data: dict) -> dict:
    """A country among its region's countries in one year: every peer a dot on one line, the
    country a larger diamond with its name, the target level a tick (a strip chart).

    data: unit, separators, year; country: {name, value}; peers: [{name, value}] (the country
    not among them); target: {year, value} | None; colour (optional: the country's verdict
    colour).
    """
    unit = data["unit"]
    number = _hover(unit)
    colour = data.get("colour") or SERIES_COLOURS[0]
    peers = data["peers"]
    country = data["country"]
    traces = [
        {
            "type": "scatter",
            "mode": "markers",
            "name": _("Other countries of the region (%(year)s)") % {"year": data["year"]},
            "meta": "peers",
            "x": [peer["value"] for peer in peers],
            "y": [0] * len(peers),
            "customdata": [peer["name"] for peer in peers],
            "marker": {
                "color": "rgba(77,77,77,0.55)",
                "symbol": "circle",
                "size": 11,
                "line": {"width": 1, "color": "#ffffff"},
            },
            "hovertemplate": f"%{{customdata}}: %{{x:{number}}}<extra></extra>",
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": country["name"],
            "meta": "country",
            "x": [country["value"]],
            "y": [0],
            "text": [country["name"]],
            "textposition": "top center",
            "marker": {
                "color": colour,
                "symbol": "diamond",
                "size": 18,
                "line": {"width": 2, "color": INK},
            },
            "hovertemplate": f"%{{text}}: %{{x:{number}}}<extra></extra>",
        },
    ]
    values = [peer["value"] for peer in peers] + [country["value"]]
    target = data.get("target")
    if target:
        label = _("Target for %(year)s") % {"year": target["year"]}
        values.append(target["value"])
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": label,
                "meta": "target",
                "x": [target["value"]],
                "y": [0],
                "marker": {"symbol": "line-ns", "size": 34, "color": INK, "line": {"width": 3}},
                "hovertemplate": f"%{{x:{number}}}<extra>{label}</extra>",
            }
        )
    low, high = min(0, *values), max(values)
    layout = _layout(
        data,
        height=150,
        legend={"orientation": "h", "x": 0, "y": -0.45, "yanchor": "top"},
        margin={"l": 16, "r": 16, "t": 28, "b": 16},
        xaxis=_axis(
            title={"text": axis_title(unit)},
            range=[low, high * 1.08 if high > 0 else 1],
            tickformat=",",
        ),
        yaxis=_axis(visible=False, range=[-1, 1]),
    )
    return {"data": traces, "layout": layout}


# A sequential blue scale (ColorBrewer "Blues", light to dark): every step differs in lightness,
# so the map reads in greyscale too; countries without a figure keep the land colour.
MAP_COLOURSCALE = [
    [0.0, "#eff3ff"],
    [0.25, "#bdd7e7"],
    [0.5, "#6baed6"],
    [0.75, "#3182bd"],
    [1.0, "#08519c"],
]
NO_DATA_COLOUR = "#d9d9d9"


def build_choropleth_figure(data: dict) -> dict:
    """A world map of one series in one year: each country with a figure shaded by its value.

    data: unit, separators, codes (ISO 3166 alpha-3), names, values;
    range: (low, high) of the colour scale (a percent series runs 0-100, so that years and
    series compare). Geometry: plotly's world_110m (static/vendor/topojson/, see its README),
    which static/js/maps.js hands to plotly; countries without a figure keep the land colour.
    """
    unit = data["unit"]
    low, high = data.get("range") or (None, None)
    trace = {
        "type": "choropleth",
        "locationmode": "ISO-3",
        "locations": data["codes"],
        "z": data["values"],
        "text": data["names"],
        "hovertemplate": f"%{{text}}: %{{z:{_hover(unit)}}}<extra></extra>",
        "colorscale": MAP_COLOURSCALE,
        "marker": {"line": {"color": "#ffffff", "width": 0.5}},
        # no colour bar: plotly writes an empty style="" attribute on its cells, which the CSP
        # refuses; the page draws the scale in HTML instead (templates/.../_map.html)
        "showscale": False,
    }
    if low is not None and high is not None:
        trace.update(zmin=low, zmax=high, zauto=False)
    layout = _layout(
        data,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        height=data.get("height", 420),
        dragmode=False,
        geo={
            "scope": "world",
            "resolution": 110,
            "projection": {"type": "natural earth"},
            "showframe": False,
            "showcoastlines": False,
            "showcountries": True,
            "countrycolor": "#ffffff",
            "showland": True,
            "landcolor": NO_DATA_COLOUR,
            "showocean": False,
            "showlakes": False,
            "lataxis": {"range": [-58, 85]},
            "bgcolor": "#ffffff",
        },
    )
    return {"data": [trace], "layout": layout}
