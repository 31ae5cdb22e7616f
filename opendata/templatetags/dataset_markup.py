"""{% target_dataset_markup %}: schema.org `Dataset` markup of a target page, as JSON-LD in a
`<script type="application/ld+json">` (a data block: the browser never runs it, so the
Content-Security-Policy allows it), built from the page's own context without a query."""

import json

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from ..catalogue import DOWNLOAD_FORMATS, ITU_TERMS, MEDIA_TYPES

register = template.Library()

# what Django's json_script escapes, so that no value can close the script element
_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def ld_json_script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True).translate(_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


def target_dataset(context, site: str) -> dict:
    """The schema.org Dataset of a target page (dashboards.pages.target_context's keys: plan,
    target, sections with their indicator and their table rows of geography and year)."""
    plan, target = context["plan"], context["target"]
    page = site + reverse("dashboards:target", kwargs={"plan": plan.code, "code": target.code})
    name = gettext("Target %(code)s") % {"code": target.code}
    return page_dataset(context, page, name, str(target.text))


def indicator_dataset(context, site: str) -> dict:
    """The schema.org Dataset of an indicator page (dashboards.indicator_page's context: the
    same keys as a target page's, its one section the indicator's)."""
    plan, indicator = context["plan"], context["indicator"]
    page = site + reverse(
        "dashboards:indicator", kwargs={"plan": plan.code, "code": indicator.code}
    )
    return page_dataset(context, page, str(indicator.name), str(indicator.definition))


def page_dataset(context, page: str, name: str, description: str) -> dict:
    """A page's Dataset: `name` and `description`, the variables of its sections, the years
    and places of their figures, and its downloads (`<page>download.<format>`)."""
    plan, target = context["plan"], context["target"]
    sections = context["sections"]
    years = sorted({row["year"] for section in sections for row in section["rows"]})
    places = list(dict.fromkeys(row["geography"] for s in sections for row in s["rows"]))
    itu = {
        "@type": "Organization",
        "name": "International Telecommunication Union",
        "url": "https://www.itu.int/",
    }
    dataset = {
        "@context": "https://schema.org",
        "@type": "Dataset",
        "name": name + " — " + gettext("ITU Strategic Plan %(plan)s") % {"plan": plan.code},
        "description": description,
        "url": page,
        "license": str(ITU_TERMS),
        "creator": itu,
        "publisher": itu,
        "isAccessibleForFree": True,
        "inLanguage": context.get("LANGUAGE_CODE") or "",
        "keywords": [gettext("ITU Strategic Plan"), str(target.goal.short_name)],
        "variableMeasured": [
            {
                "@type": "PropertyValue",
                "name": str(section["indicator"].name),
                "description": str(section["indicator"].definition),
                "unitText": str(section["unit_label"]),
            }
            for section in sections
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": MEDIA_TYPES[extension],
                "contentUrl": f"{page}download.{extension}",
            }
            for extension in DOWNLOAD_FORMATS
        ],
    }
    if years:
        dataset["temporalCoverage"] = f"{years[0]}/{years[-1]}"
    if places:
        dataset["spatialCoverage"] = [{"@type": "Place", "name": str(p)} for p in places]
    if not dataset["inLanguage"]:
        del dataset["inLanguage"]
    return dataset


@register.simple_tag(takes_context=True)
def target_dataset_markup(context):
    request = context["request"]
    site = f"{request.scheme}://{request.get_host()}"
    return ld_json_script(target_dataset(context, site))


@register.simple_tag(takes_context=True)
def indicator_dataset_markup(context):
    request = context["request"]
    site = f"{request.scheme}://{request.get_host()}"
    return ld_json_script(indicator_dataset(context, site))
