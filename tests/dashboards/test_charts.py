"""The figure functions, without HTTP: series, target line, trajectory, colours by status; every
spec is checked against plotly's own schema (plotly.graph_objects raises on a wrong property)."""

import plotly.graph_objects as go
import pytest
from django.utils import translation

from dashboards import charts
from dashboards.presentation import STATUS_LOOKS, VERDICT_LOOKS, VERDICT_ORDER, status_look
from indicators.progress import Status, Verdict


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def valid(figure: dict) -> dict:
    go.Figure(figure)  # raises ValueError on anything plotly.js would not understand
    return figure


def by_meta(figure: dict) -> dict:
    return {trace["meta"]: trace for trace in figure["data"]}


TARGET_DATA = {
    "unit": "percent",
    "status": "on_track",
    "separators": ",\u00a0",
    "series": [
        {
            "geography": "DEVD",
            "name": "Developed countries",
            "years": [2017, 2019],
            "values": [81.9, 86.6],
            "headline": False,
        },
        {
            "geography": "WLD",
            "name": "World",
            "years": [2017, 2018, 2019],
            "values": [49.0, 51.4, 53.6],
            "headline": True,
        },
    ],
    "baseline": {"year": 2017, "value": 49.0},
    "target": {"year": 2023, "value": 65.0},
    "trajectory": [{"year": 2019, "value": 53.6}, {"year": 2023, "value": 62.9}],
}


def test_target_figure_draws_each_series_with_its_points():
    figure = valid(charts.build_target_figure(TARGET_DATA))
    traces = by_meta(figure)
    assert traces["observed:WLD"]["x"] == [2017, 2018, 2019]
    assert traces["observed:WLD"]["y"] == [49.0, 51.4, 53.6]
    assert traces["observed:WLD"]["name"] == "World"
    assert traces["observed:DEVD"]["x"] == [2017, 2019]
    assert figure["layout"]["separators"] == ",\u00a0"


def test_target_figure_colours_the_headline_series_by_status():
    for status in ("on_track", "limited", "achieved"):
        figure = charts.build_target_figure({**TARGET_DATA, "status": status})
        traces = by_meta(figure)
        assert traces["observed:WLD"]["line"]["color"] == status_look(status).colour
        assert traces["projection"]["line"]["color"] == status_look(status).colour
        # other geographies never take a status colour, and differ by marker symbol too
        other = traces["observed:DEVD"]
        assert other["line"]["color"] not in {look.colour for look in STATUS_LOOKS.values()}
        assert other["marker"]["symbol"] != traces["observed:WLD"]["marker"]["symbol"]


def test_target_figure_draws_the_target_line_baseline_and_trajectory():
    traces = by_meta(charts.build_target_figure(TARGET_DATA))
    target = traces["target"]
    assert target["x"] == [2017, 2023]
    assert target["y"] == [65.0, 65.0]
    assert target["line"]["dash"] == "dash"
    assert target["name"] == "Target for 2023"
    assert traces["baseline"]["x"] == [2017] and traces["baseline"]["y"] == [49.0]
    assert traces["baseline"]["name"] == "Baseline (2017)"
    assert traces["projection"]["x"] == [2019, 2023]
    assert traces["projection"]["line"]["dash"] == "dot"


def test_target_figure_without_target_or_status():
    data = {**TARGET_DATA, "status": None, "baseline": None, "target": None, "trajectory": []}
    figure = valid(charts.build_target_figure(data))
    assert set(by_meta(figure)) == {"observed:WLD", "observed:DEVD"}
    assert by_meta(figure)["observed:WLD"]["line"]["color"] == charts.INK
    assert figure["layout"]["xaxis"]["range"] == [2016.5, 2019.5]


def test_status_counts_figure_stacks_goals_by_status():
    figure = valid(
        charts.build_status_counts_figure(
            {
                "statuses": [Status.ACHIEVED, Status.ON_TRACK, Status.DETERIORATION],
                "goals": [
                    {"label": "1. Growth", "counts": {"achieved": 1, "on_track": 2}},
                    {"label": "2. Inclusiveness", "counts": {"on_track": 1}},
                ],
            }
        )
    )
    traces = by_meta(figure)
    assert list(traces) == ["achieved", "on_track"]  # a status no goal has is left out
    assert traces["on_track"]["x"] == [2, 1]
    assert traces["on_track"]["y"] == ["1. Growth", "2. Inclusiveness"]
    assert traces["achieved"]["marker"]["color"] == STATUS_LOOKS[Status.ACHIEVED].colour
    assert traces["achieved"]["name"] == "✔ Target achieved"
    assert traces["achieved"]["text"] == ["✔ 1", ""]  # the icon goes with the count
    assert figure["layout"]["barmode"] == "stack"


def test_verdict_counts_figure_stacks_goals_by_verdict():
    figure = valid(
        charts.build_verdict_counts_figure(
            {
                "verdicts": VERDICT_ORDER,
                "goals": [
                    {"label": "1. Growth", "counts": {"achieved": 1, "no_data": 5}},
                    {"label": "2. Inclusiveness", "counts": {"not_achieved": 1, "no_data": 5}},
                ],
            }
        )
    )
    traces = by_meta(figure)
    assert list(traces) == ["achieved", "not_achieved", "no_data"]
    assert traces["not_achieved"]["x"] == [0, 1]
    assert traces["not_achieved"]["marker"]["color"] == VERDICT_LOOKS[Verdict.NOT_ACHIEVED].colour
    assert traces["not_achieved"]["name"] == "✘ Target not achieved"
    assert traces["no_data"]["text"] == ["– 5", "– 5"]
    assert figure["layout"]["barmode"] == "stack"


def test_a_verdict_colour_replaces_the_status_colour_of_small_charts():
    colour = VERDICT_LOOKS[Verdict.NO_TARGET_YEAR_FIGURE].colour
    spark = charts.build_sparkline_figure(
        {
            "unit": "percent",
            "status": "on_track",
            "colour": colour,
            "years": [2017, 2019],
            "values": [52.4, 57.0],
        }
    )
    assert spark["data"][0]["line"]["color"] == colour
    bullet = charts.build_bullet_figure(
        {
            "unit": "percent",
            "status": "on_track",
            "colour": colour,
            "latest": {"year": 2019, "value": 57.0},
        }
    )
    assert bullet["data"][0]["marker"]["color"] == colour


def test_bullet_figure_sets_latest_against_target():
    figure = valid(
        charts.build_bullet_figure(
            {
                "unit": "percent",
                "status": "limited",
                "latest": {"year": 2019, "value": 11.8},
                "target": {"year": 2023, "value": 30.0},
                "baseline": {"year": 2017, "value": 10.3},
            }
        )
    )
    traces = by_meta(figure)
    assert traces["latest"]["x"] == [11.8]
    assert traces["latest"]["marker"]["color"] == STATUS_LOOKS[Status.LIMITED].colour
    assert traces["target"]["x"] == [30.0]
    assert traces["baseline"]["x"] == [10.3]
    assert figure["layout"]["xaxis"]["range"] == [0, pytest.approx(33.0)]


def test_sparkline_figure_shows_the_trend_and_target():
    figure = valid(
        charts.build_sparkline_figure(
            {
                "unit": "percent",
                "status": "achieved",
                "years": [2017, 2023],
                "values": [49.0, 67.0],
                "target": {"year": 2023, "value": 65.0},
            }
        )
    )
    traces = by_meta(figure)
    assert traces["observed"]["y"] == [49.0, 67.0]
    assert traces["observed"]["line"]["color"] == STATUS_LOOKS[Status.ACHIEVED].colour
    assert traces["target"]["y"] == [65.0]
    assert figure["layout"]["xaxis"]["tickvals"] == [2017, 2023]


def test_linkage_matrix_figure_draws_primary_and_secondary_differently():
    figure = valid(
        charts.build_linkage_matrix_figure(
            {
                "goals": [{"number": 1, "label": "1. Growth"}, {"number": 2, "label": "2. Incl"}],
                "objectives": ["R.1", "D.1"],
                "links": [
                    {"objective": "R.1", "goal": 1, "kind": "primary"},
                    {"objective": "D.1", "goal": 2, "kind": "secondary"},
                    {"objective": "D.1", "goal": 1, "kind": "primary"},
                ],
            }
        )
    )
    traces = by_meta(figure)
    assert traces["primary"]["x"] == ["1. Growth", "1. Growth"]
    assert traces["primary"]["y"] == ["R.1", "D.1"]
    assert traces["secondary"]["x"] == ["2. Incl"]
    assert traces["primary"]["marker"]["symbol"] != traces["secondary"]["marker"]["symbol"]
    assert figure["layout"]["yaxis"]["categoryarray"] == ["R.1", "D.1"]


def test_contributions_figure_groups_outputs_and_activities():
    figure = valid(
        charts.build_contributions_figure(
            {
                "categories": ["C1", "C8"],
                "names": ["C1 Governance", "C8 Cultural diversity"],
                "outputs": [10, None],
                "activities": [17, None],
            }
        )
    )
    traces = by_meta(figure)
    assert traces["outputs"]["x"] == [10, None]
    assert traces["activities"]["x"] == [17, None]
    assert traces["outputs"]["customdata"] == ["C1 Governance", "C8 Cultural diversity"]
    # activities are hatched as well as coloured
    assert traces["activities"]["marker"]["pattern"]["shape"] == "/"
    assert traces["outputs"]["marker"]["color"] != traces["activities"]["marker"]["color"]


def test_chart_labels_follow_the_language():
    with translation.override("fr"):
        traces = by_meta(charts.build_target_figure(TARGET_DATA))
    assert traces["target"]["name"] != "Target for 2023"
    assert "2023" in traces["target"]["name"]


def test_target_figure_x_range_holds_the_last_year_and_the_target_star():
    """The axis range is fixed, not left to autorange: printed on a narrow page, the chart still
    ends after its last observed year and the target year, where the star is drawn."""
    late = {
        **TARGET_DATA,
        "series": [{**TARGET_DATA["series"][1], "years": [2017, 2024], "values": [49.0, 67.0]}],
        "trajectory": [],
    }
    for data, last in ((TARGET_DATA, 2023), (late, 2024)):
        figure = valid(charts.build_target_figure(data))
        low, high = figure["layout"]["xaxis"]["range"]
        star = by_meta(figure)["target"]
        assert star["x"][-1] == 2023 and star["marker"]["size"][-1] > 0  # the star, at 2023
        observed = max(year for trace in figure["data"] for year in trace["x"])
        assert observed == last
        assert low == 2016.5 and high == last + 0.5  # half a year beyond the last one
        assert "autorange" not in figure["layout"]["xaxis"]


def test_target_figure_of_one_series_keeps_room_for_its_year_labels():
    alone = {**TARGET_DATA, "series": TARGET_DATA["series"][1:], "baseline": None}
    alone.update(target=None, trajectory=[])
    one = valid(charts.build_target_figure(alone))["layout"]
    several = valid(charts.build_target_figure(TARGET_DATA))["layout"]
    # no legend to push the axis title up: a bottom margin of its own for labels and title
    assert (one["showlegend"], one["margin"]["b"]) == (False, 64)
    assert (several["showlegend"], several["margin"]["b"]) == (True, 16)
