"""An indicator's page (/<lang>/plans/<plan>/indicators/<code>/): its figures as a target page
shows them (dashboards.pages.indicator_section) and its metadata in the SDG metadata concepts'
order, each text in the page's language or, where it has none yet, in the first fallback language
(English), marked as such. Its download is the target download's rows of this indicator."""

from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from frameworks.i18n import first_text
from frameworks.models import StrategicPlan
from indicators.models import Indicator, Observation

from . import pages

# The SDG metadata concepts the page shows, in their order; the translated ones are the
# indicator's (or its data source's) fields of these names.
METADATA_TEXTS = {
    "definition": gettext_lazy("Definition"),
    "computation_method": gettext_lazy("Method of computation"),
    "disaggregation": gettext_lazy("Disaggregation"),
    "comparability": gettext_lazy("Comparability and limitations"),
}


def metadata_text(obj, field: str) -> dict:
    """A translated text of the metadata: in the page's language, else in the first fallback
    that has it (`fallback` then names that language's code, for the page to mark it)."""
    text, language = first_text(obj, field)
    active = translation.get_language()
    return {
        "text": text,
        "language": language or active,
        "fallback": bool(text) and language != active,
    }


def find_indicator(plan: StrategicPlan, code: str) -> Indicator:
    """The plan's indicator of this code, with its target, goal, headline geography and data
    source (1 query); 404 with the code otherwise."""
    indicator = (
        Indicator.objects.filter(plan=plan, code=code)
        .select_related("target__goal", "headline_geography", "data_source")
        .first()
    )
    if indicator is None:
        raise Http404(
            _("The plan %(plan)s has no indicator with the code %(code)s.")
            % {"plan": plan.code, "code": code}
        )
    return indicator


def indicator_context(plan: StrategicPlan, code: str) -> dict:
    """The page of one indicator (2 queries): name, the target it measures, its chart, figures,
    editions and metadata."""
    indicator = find_indicator(plan, code)
    observations = list(
        Observation.objects.approved()
        .filter(indicator=indicator)
        .select_related("geography")
        .order_by("geography__order", "geography__code", "year", "edition")
    )
    geographies = {obs.geography_id: obs.geography for obs in observations}
    section = pages.indicator_section(indicator, observations, geographies, plan)
    source = indicator.data_source
    texts = {field: metadata_text(indicator, field) for field in METADATA_TEXTS}
    target = indicator.target
    return {
        "plan": plan,
        "section": "overview",
        "subpage": True,
        "indicator": indicator,
        "target": target,
        "goal": target.goal,
        "main": section if indicator.is_main else None,
        "sections": [section],
        "figures": section,
        "charts": [section["chart"]] if section["chart"] else [],
        "editions": pages.edition_rows(observations),
        "observation_count": len(observations),
        "metadata": {
            **texts,
            "labels": METADATA_TEXTS,
            "unit": section["unit_label"],
            "source": source,
            "contact": metadata_text(source, "contact"),
        },
        "fallback": pages.fallback_note(
            [(indicator, ("name", "note")), (target, ("text",)), (source, ("name",))]
        ),
    }


def download_rows(plan: StrategicPlan, code: str) -> tuple[Indicator, list[dict]]:
    """The indicator's figures with the columns, names and words of its target's download
    (dashboards.downloads.COLUMNS), the target's status included (3 queries)."""
    indicator = find_indicator(plan, code)
    _target, rows = pages.target_download(plan, indicator.target.code)
    return indicator, [row for row in rows if row["indicator"] == indicator.code]
