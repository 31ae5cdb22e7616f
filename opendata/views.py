from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe

from dashboards.views import public_page
from frameworks.models import StrategicPlan

from .formats import FORMATS


@require_safe
@public_page
def index(request):
    """/<lang>/open-data/: every format the portal publishes its data in."""
    formats = [{"format": item, "url": reverse(item.url_name)} for item in FORMATS]
    context = {
        "plan": StrategicPlan.objects.current(),  # the site's navigation names the plan
        "formats": formats,
        "section": "open-data",
    }
    return render(request, "opendata/index.html", context)
