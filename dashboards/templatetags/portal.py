"""Template helpers of the public pages: plan text in the visitor's language (marked with its
own language where it falls back), status badges, and the language switcher's addresses."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from dashboards.pages import citation, localized
from dashboards.presentation import status_look
from frameworks.i18n import LANGUAGES

register = template.Library()


@register.simple_tag
def text(obj, field, block=False):
    """A translated field; text shown in a fallback language carries a `lang` attribute so that
    screen readers pronounce it right. block=True keeps the text's paragraphs."""
    value, language = localized(obj, field)
    html = linebreaks_filter(value, autoescape=True) if block else escape(value)
    if language == translation.get_language():
        return format_html("{}", html)
    tag = "div" if block else "span"
    direction = "rtl" if get_language_info(language)["bidi"] else "ltr"
    return format_html(
        '<{} lang="{}" dir="{}" class="fallback">{}</{}>', tag, language, direction, html, tag
    )


@register.filter
def table_body_rows(rows):
    """A data table's body: one <tr> per row, its first cell the row's header. Built here rather
    than by two nested template loops: pages with several charts render hundreds of cells."""
    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (row[0], format_html_join("", "<td>{}</td>", ((cell,) for cell in row[1:])))
            for row in rows
        ),
    )


@register.filter
def cited(observation) -> str:
    """A figure's citation ("ITU, Facts and Figures 2024"), as the public pages write it."""
    return citation(observation.publisher, observation.publication, observation.edition)


@register.inclusion_tag("dashboards/includes/_status.html")
def status_badge(status, small=False):
    return {"look": status_look(status), "small": small}


@register.simple_tag(takes_context=True)
def language_links(context):
    """Each language with the address of this same page in it (for the switcher and hreflang)."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language()
    links = []
    for code in LANGUAGES:
        info = get_language_info(code)
        links.append(
            {
                "code": code,
                "name": info["name_local"],
                "url": translate_url(path, code),
                "current": code == current,
            }
        )
    return links


DOWNLOAD_FORMATS = (("csv", _("CSV")), ("xlsx", _("Excel")), ("json", _("JSON")))


@register.simple_tag
def download_links(url_name, *args):
    """The list of a page's downloads, one link per format: {% download_links 'name' a b %}
    reverses `name` with the arguments and the format last."""
    return format_html(
        '<ul class="downloads">{}</ul>',
        format_html_join(
            "",
            '<li><a href="{}" download>{}</a></li>',
            ((reverse(url_name, args=[*args, fmt]), label) for fmt, label in DOWNLOAD_FORMATS),
        ),
    )
