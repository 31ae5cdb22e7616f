from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from dashboards.views import public_page
from frameworks.models import StrategicPlan

from .formats import FORMATS
from .opensdg import plan_indicators
from .sdmx import observation_series_code


def indicator_files(plan: StrategicPlan | None) -> list[dict]:
    """Each indicator of `plan` with the addresses of its files: Open SDG's data and metadata,
    the SDMX data of its figures and of its per-country series. One query."""
    if plan is None:
        return []
    files = []
    for open_sdg_id, indicator in plan_indicators(plan).items():
        series_code = observation_series_code(indicator)
        country_series = indicator.country_series
        files.append(
            {
                "indicator": indicator,
                "open_sdg_id": open_sdg_id,
                "open_sdg_data": reverse("opendata:opensdg-data", args=[open_sdg_id]),
                "open_sdg_meta": reverse("opendata:opensdg-meta", args=[open_sdg_id]),
                "sdmx_xml": reverse("opendata:sdmx-series-xml", args=[series_code]),
                "sdmx_csv": reverse("opendata:sdmx-series-csv", args=[series_code]),
                "country_series": country_series,
                "country_sdmx_xml": country_series
                and reverse("opendata:sdmx-series-xml", args=[country_series.code]),
                "country_sdmx_csv": country_series
                and reverse("opendata:sdmx-series-csv", args=[country_series.code]),
            }
        )
    return files


@require_safe
@public_page
def index(request):
    """/<lang>/open-data/: every format the portal publishes its data in, and each indicator's
    files."""
    plan = StrategicPlan.objects.current()  # the site's navigation names the plan
    formats = [{"format": item, "url": reverse(item.url_name)} for item in FORMATS]
    context = {
        "plan": plan,
        "formats": formats,
        "indicators": indicator_files(plan),
        "section": "open-data",
    }
    return render(request, "opendata/index.html", context)
