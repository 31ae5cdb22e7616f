"""A Member State's own page (/<lang>/countries/<ISO3>/) and its downloads: what the page shows,
from indicators.countries.country_report (the numbers and the rules), in words, charts and
tables in the page's language. Nothing here decides a verdict or a rank.
"""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks.models import StrategicPlan
from indicators.countries import CountryReport, CountryTarget, Figure, country_report
from indicators.models import Geography, Statistic
from indicators.progress import TargetKind, Verdict

from . import charts
from .pages import Chart, citation, separators
from .presentation import (
    format_number,
    format_target,
    format_value,
    status_look,
    status_sentence,
    verdict_look,
    verdict_sentence,
)

DIMENSION_LABELS = {
    "sex": gettext_lazy("Women and men"),
    "area": gettext_lazy("Urban and rural"),
    "age": gettext_lazy("Age groups"),
}
GROUP_LABELS = {
    "sex": dict(Statistic.Sex.choices),
    "area": dict(Statistic.Area.choices),
    "age": dict(Statistic.Age.choices),
}
PACE_SHOWN = (Verdict.NOT_ACHIEVED, Verdict.NO_TARGET_YEAR_FIGURE, Verdict.NO_NUMERIC_TARGET)
# the order a line of the main chart is drawn and listed in
LINE_ORDER = ("region", "region_published", "world", "world_published", "world_plan")


def member_state(code: str) -> Geography:
    """The Member State with this ISO3 code, its region loaded; 404 for any other code (an
    unknown one, a territory that is not a Member State, a region or a group)."""
    country = Geography.objects.member_states().select_related("region").filter(code=code).first()
    if country is None:
        raise Http404(_("No ITU Member State has the code %(code)s.") % {"code": code})
    return country


def line_name(role: str, geography: Geography, figures: list[Figure]) -> str:
    """How a line of the main chart is named: whose figures, and who computed or published
    them (the World Bank publishes its own world aggregate of ITU's series)."""
    if role in ("region", "world"):
        return _("%(name)s (computed by the portal)") % {"name": geography.name}
    if role == "world_plan":
        return _("%(name)s (ITU)") % {"name": geography.name}
    publisher = figures[-1].publisher if figures else ""
    return _("%(name)s (%(publisher)s)") % {"name": geography.name, "publisher": publisher}


def figure_citation(figure: Figure) -> str:
    return citation(figure.publisher, figure.publication, figure.edition)


def breakdown_label(figure: Figure) -> str:
    if figure.is_total:
        return _("Total")
    dimension = figure.dimension
    if dimension is None:  # crossed breakdowns are not shown on the page, only in downloads
        return ", ".join(
            str(GROUP_LABELS[name][getattr(figure, name)])
            for name in ("sex", "age", "area")
            if getattr(figure, name) != Statistic.TOTAL
        )
    return str(GROUP_LABELS[dimension].get(figure.group, figure.group))


def estimate_label(figure: Figure) -> str:
    if figure.is_estimate is None:
        return ""
    return _("ITU estimate") if figure.is_estimate else _("no")


def figure_row(figure: Figure, unit: str) -> dict:
    return {
        "year": figure.year,
        "value": format_value(figure.value, unit),
        "breakdown": breakdown_label(figure),
        "citation": figure_citation(figure),
        "edition": figure.edition,
        "estimate": figure.is_estimate,
    }


def _slug(code: str) -> str:
    return code.replace(".", "-")


def _line_table(lines: list[tuple[str, list[Figure]]], unit: str) -> tuple[list, list]:
    years = sorted({figure.year for _name, figures in lines for figure in figures})
    rows = []
    for name, figures in lines:
        by_year = {figure.year: format_value(figure.value, unit) for figure in figures}
        rows.append([name] + [by_year.get(year, "") for year in years])
    return [_("Geography")] + [str(year) for year in years], rows


@dataclass
class Section:
    """One indicator of the page, as the template shows it."""

    row: CountryTarget
    slug: str
    look: object
    pace_look: object
    sentence: str
    pace_sentence: str
    target_text: str
    chart: Chart | None
    breakdown_charts: list
    parity: dict | None
    rank_sentence: str
    strip: Chart | None
    figures: list[dict]
    restated: list[dict]

    @property
    def charts(self) -> list[Chart]:
        return [c for c in (self.chart, *self.breakdown_charts, self.strip) if c is not None]


def target_sentence(row: CountryTarget) -> str:
    spec = row.spec
    unit = row.indicator.unit
    if spec.kind is TargetKind.LEVEL:
        return _("The plan's global target: %(value)s by %(year)s.") % {
            "value": format_value(spec.value, unit),
            "year": spec.year,
        }
    if spec.kind is TargetKind.RELATIVE:
        text = _("The plan's global target: a change of %(change)s from the base year by %(year)s.")
        return text % {"change": format_value(spec.value * 100, "percent"), "year": spec.year}
    if spec.kind is TargetKind.PARITY:
        return _("The plan's global target: parity, %(value)s by %(year)s.") % {
            "value": format_target(row.reading.judgement, unit),
            "year": spec.year,
        }
    return _("The plan sets no figure to reach for this indicator by %(year)s.") % {
        "year": spec.year
    }


def line_figure(unit: str, lines, *, colour=None, target=None) -> dict:
    """Lines (name, key, figures, headline) drawn as a target page draws its series."""
    return charts.build_target_figure(
        {
            "unit": unit,
            "status": None,
            "colour": colour,
            "separators": separators(),
            "series": [
                {
                    "geography": key,
                    "name": name,
                    "years": [f.year for f in figures],
                    "values": [f.value for f in figures],
                    "headline": headline,
                }
                for name, key, figures, headline in lines
            ],
            "baseline": None,
            "target": target,
            "trajectory": [],
        }
    )


def main_chart(row: CountryTarget, country: Geography, slug: str, colour: str) -> Chart | None:
    unit = row.indicator.unit
    if not row.figures:
        return None
    lines = [(country.name, country.code, row.figures, True)]
    order = {role: index for index, role in enumerate(LINE_ORDER)}
    for role, geography, figures in sorted(row.lines, key=lambda line: order[line[0]]):
        lines.append(
            (line_name(role, geography, figures), f"{geography.code}-{role}", figures, False)
        )
    a = row.reading.assessment
    target = None
    if a.target_value is not None:
        target = {"year": a.target_year, "value": float(a.target_value)}
    figure = line_figure(unit, lines, colour=colour, target=target)
    headers, rows = _line_table([(name, figures) for name, _key, figures, _h in lines], unit)
    latest = row.figures[-1]
    summary = _("%(country)s: %(value)s in %(year)s.") % {
        "country": country.name,
        "value": format_value(latest.value, unit),
        "year": latest.year,
    }
    if target:
        summary += " " + _("The dashed line is the target of %(target)s for %(year)s.") % {
            "target": format_value(target["value"], unit),
            "year": target["year"],
        }
    title = _("%(indicator)s: %(country)s, its region and the world") % {
        "indicator": row.indicator.name,
        "country": country.name,
    }
    return Chart(f"chart-{slug}", title, figure, summary, headers, rows)


def breakdown_charts(row: CountryTarget, country: Geography, slug: str) -> list[Chart]:
    unit = row.indicator.unit
    result = []
    for dimension, groups in row.breakdowns.items():
        labels = GROUP_LABELS[dimension]
        lines = [(str(labels.get(code, code)), code, figures) for code, figures in groups.items()]
        figure = line_figure(unit, [(*line, False) for line in lines])
        headers, rows = _line_table([(name, figures) for name, _code, figures in lines], unit)
        headers[0] = str(DIMENSION_LABELS[dimension])
        parts = [
            f"{name}: {format_value(figures[-1].value, unit)} ({figures[-1].year})"
            for name, _code, figures in lines
        ]
        title = _("%(indicator)s in %(country)s: %(breakdown)s") % {
            "indicator": row.indicator.name,
            "country": country.name,
            "breakdown": DIMENSION_LABELS[dimension],
        }
        result.append(
            Chart(
                f"chart-{slug}-{dimension}",
                title,
                figure,
                _("Latest figures: %(parts)s.") % {"parts": "; ".join(parts)},
                headers,
                rows,
            )
        )
    return result


def parity_block(row: CountryTarget, country: Geography) -> dict | None:
    parity = row.parity
    if parity is None or not parity.scores:
        return None
    unit = row.indicator.unit
    reading = parity.reading
    return {
        "look": verdict_look(reading.judgement.verdict)
        if reading.judgement.closed
        else status_look(reading.assessment.status),
        "sentence": verdict_sentence(
            reading.judgement,
            unit="ratio",
            geography=country.name,
            pace=reading.assessment,
        ),
        "target": format_target(reading.judgement, "ratio"),
        "indicator": parity.indicator,
        "rows": [
            {
                "year": year,
                "women": format_value(parity.women[year], unit),
                "men": format_value(parity.men[year], unit),
                "score": format_number(score, 2),
            }
            for year, score in parity.scores.items()
        ],
    }


def rank_sentence(row: CountryTarget, country: Geography, region: Geography | None) -> str:
    rank = row.rank
    if rank is None or region is None:
        return ""
    numbers = {
        "country": country.name,
        "place": rank.place,
        "count": rank.count,
        "region": region.name,
        "year": rank.year,
    }
    if rank.count == 1:
        return _("%(country)s is the only country of %(region)s with a figure for %(year)s.") % (
            numbers
        )
    if rank.tied:
        text = _(
            "%(country)s shares place %(place)s of the %(count)s countries of %(region)s with a "
            "figure for %(year)s."
        )
    else:
        text = _(
            "%(country)s is in place %(place)s of the %(count)s countries of %(region)s with a "
            "figure for %(year)s."
        )
    text %= numbers
    if row.indicator.direction == "decrease":
        text += " " + _("Lower is better: the lowest figure is in place 1.")
    return text


def peer_strip(row: CountryTarget, country: Geography, slug: str, colour: str) -> Chart | None:
    rank = row.rank
    if rank is None or rank.count < 2:
        return None
    unit = row.indicator.unit
    others = [peer for peer in row.peers if peer.geography.pk != country.pk]
    a = row.reading.assessment
    target = None
    if a.target_value is not None:
        target = {"year": a.target_year, "value": float(a.target_value)}
    figure = charts.build_peer_strip_figure(
        {
            "unit": unit,
            "separators": separators(),
            "year": rank.year,
            "colour": colour,
            "country": {"name": country.name, "value": rank.value},
            "peers": [{"name": peer.geography.name, "value": peer.value} for peer in others],
            "target": target,
        }
    )
    rows = [
        [peer.geography.name, format_value(peer.value, unit)]
        + ([_("this country")] if peer.geography.pk == country.pk else [""])
        for peer in row.peers
    ]
    title = _("%(indicator)s: the countries of the region in %(year)s") % {
        "indicator": row.indicator.name,
        "year": rank.year,
    }
    return Chart(
        f"chart-{slug}-peers",
        title,
        figure,
        rank_sentence(row, country, country.region),
        [_("Country"), _("Value"), ""],
        rows,
        small=False,
    )


def section_of(row: CountryTarget, report: CountryReport) -> Section:
    country = report.country
    unit = row.indicator.unit
    judgement, assessment = row.reading.judgement, row.reading.assessment
    look = verdict_look(judgement.verdict) if judgement.closed else status_look(assessment.status)
    cited = ""
    if judgement.year is not None and row.indicator.target_kind != TargetKind.PARITY:
        shown = next((f for f in row.figures if f.year == judgement.year), None)
        cited = figure_citation(shown) if shown else ""
    sentence_unit = "ratio" if row.indicator.target_kind == TargetKind.PARITY else unit
    slug = _slug(row.indicator.code)
    figures = sorted(
        [f for f in row.figures]
        + [f for groups in row.breakdowns.values() for fs in groups.values() for f in fs],
        key=lambda f: (f.year, not f.is_total),
    )
    return Section(
        row=row,
        slug=slug,
        look=look,
        pace_look=status_look(assessment.status),
        sentence=verdict_sentence(
            judgement, unit=sentence_unit, geography=country.name, cited=cited, pace=assessment
        ),
        # the pace, where it adds to the verdict (an open target's verdict sentence is its pace)
        pace_sentence=status_sentence(assessment, unit=sentence_unit, geography=country.name)
        if judgement.verdict in PACE_SHOWN
        else "",
        target_text=target_sentence(row),
        chart=main_chart(row, country, slug, look.colour),
        breakdown_charts=breakdown_charts(row, country, slug),
        parity=parity_block(row, country),
        rank_sentence=rank_sentence(row, country, report.region),
        strip=peer_strip(row, country, slug, look.colour),
        figures=[figure_row(f, unit) for f in figures],
        restated=[figure_row(f, unit) for f in row.restated],
    )


def country_context(plan: StrategicPlan, code: str, *, as_of_year: int | None = None) -> dict:
    """The country page: the country's names, region and groups, then one section per indicator
    with a per-country series (9 queries)."""
    country = member_state(code)
    report = country_report(plan, country, as_of_year=as_of_year)
    sections = [section_of(row, report) for row in report.targets]
    return {
        "plan": plan,
        "section": "countries",
        "subpage": True,
        "country": country,
        "report": report,
        "sections": sections,
        "charts": [chart for section in sections for chart in section.charts],
        "figure_count": sum(len(s.figures) + len(s.restated) for s in sections),
    }


# --- downloads --------------------------------------------------------------------------------

COLUMNS = (
    ("country", gettext_lazy("Country code")),
    ("target", gettext_lazy("Target code")),
    ("indicator", gettext_lazy("Indicator code")),
    ("indicator_name", gettext_lazy("Indicator")),
    ("series", gettext_lazy("Series code")),
    ("role", gettext_lazy("Shown as")),
    ("geography", gettext_lazy("Geography code")),
    ("geography_name", gettext_lazy("Geography")),
    ("sex", gettext_lazy("Sex")),
    ("age", gettext_lazy("Age")),
    ("area", gettext_lazy("Area")),
    ("unit", gettext_lazy("Unit")),
    ("year", gettext_lazy("Year")),
    ("value", gettext_lazy("Value")),
    ("used", gettext_lazy("Used in the series")),
    ("is_estimate", gettext_lazy("ITU estimate")),
    ("computed", gettext_lazy("Computed by the portal")),
    ("coverage", gettext_lazy("Population coverage")),
    ("publisher", gettext_lazy("Publisher")),
    ("publication", gettext_lazy("Publication")),
    ("edition", gettext_lazy("Edition")),
    ("citation", gettext_lazy("Citation")),
    ("target_value", gettext_lazy("Target value")),
    ("target_year", gettext_lazy("Target year")),
    ("verdict", gettext_lazy("Verdict code")),
    ("verdict_label", gettext_lazy("Verdict on the target")),
)
NUMBERS = ("year", "value", "coverage", "target_value", "target_year")

ROLE_LABELS = {
    "country": gettext_lazy("Country"),
    "restated": gettext_lazy("Other release (restated)"),
    "region": gettext_lazy("ITU region, computed by the portal"),
    "region_published": gettext_lazy("ITU region, published"),
    "world": gettext_lazy("World, computed by the portal"),
    "world_published": gettext_lazy("World, published"),
    "world_plan": gettext_lazy("World, ITU"),
    "peer": gettext_lazy("Country of the region"),
}


def download_rows(plan: StrategicPlan, code: str) -> tuple[Geography, list[dict]]:
    """Every figure of the country page, in the page's language: the country's figures (totals,
    breakdowns, other releases' restatements), its region's and the world's, and the region's
    countries of the peer strip (9 queries)."""
    country = member_state(code)
    report = country_report(plan, country)
    geographies = {g.pk: g for g in (country, report.region, report.world) if g is not None}
    rows = []
    for row in report.targets:
        indicator = row.indicator
        judgement = row.reading.judgement
        verdict = "" if judgement.verdict is Verdict.OPEN else judgement.verdict.value
        common = {
            "country": country.code,
            "target": indicator.target.code,
            "indicator": indicator.code,
            "indicator_name": indicator.name,
            "series": indicator.country_series.code,
            "unit": str(indicator.get_unit_display()),
            "target_value": row.reading.assessment.target_value,
            "target_year": row.spec.year,
            "verdict": verdict,
            "verdict_label": str(verdict_look(judgement.verdict).label) if verdict else "",
        }

        def add(role: str, figure: Figure, geography: Geography, used: bool, common=common):
            rows.append(
                {
                    **common,
                    "role": str(ROLE_LABELS[role]),
                    "geography": geography.code,
                    "geography_name": geography.name,
                    "sex": str(GROUP_LABELS["sex"][figure.sex]),
                    "age": str(GROUP_LABELS["age"][figure.age]),
                    "area": str(GROUP_LABELS["area"][figure.area]),
                    "year": figure.year,
                    "value": figure.value,
                    "used": used,
                    "is_estimate": figure.is_estimate,
                    "computed": figure.is_computed,
                    "coverage": figure.coverage,
                    "publisher": figure.publisher,
                    "publication": figure.publication,
                    "edition": figure.edition,
                    "citation": figure_citation(figure),
                }
            )

        chosen = row.figures + [
            f for groups in row.breakdowns.values() for fs in groups.values() for f in fs
        ]
        for figure in sorted(chosen, key=lambda f: (f.year, f.sex, f.age, f.area)):
            add("country", figure, country, True)
        for figure in row.restated:
            add("restated", figure, country, False)
        for role, geography, figures in row.lines:
            for figure in figures:
                add(role, figure, geographies.get(geography.pk, geography), True)
        for peer in row.peers:
            if peer.geography.pk == country.pk:
                continue
            add("peer", peer.figure, peer.geography, True)
    return country, rows
