"""An output's delivery on a page: its badge (the words, not a colour alone) and its narrative,
marked with its language when it is not the page's."""

from django import template
from django.utils import translation
from django.utils.html import format_html
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from indicators.delivery import narrative_of

register = template.Library()


@register.simple_tag
def delivery_badge(record):
    return format_html(
        '<span class="tag delivery delivery-{}">{}</span>',
        record.delivery,
        record.get_delivery_display(),
    )


@register.simple_tag
def delivery_narrative(record):
    text, language = narrative_of(record)
    if not text or language == translation.get_language():
        return text
    info = get_language_info(language)
    return format_html(
        '<span lang="{}" dir="{}" class="fallback">{}</span>'
        ' <span class="fallback-language">({})</span>',
        language,
        "rtl" if info["bidi"] else "ltr",
        text,
        _("written in %(language)s") % {"language": info["name_translated"]},
    )
