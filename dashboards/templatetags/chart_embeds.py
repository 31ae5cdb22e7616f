"""The embed links under each chart (dashboards.embeds decides the addresses)."""

from django import template

from dashboards.embeds import embed_links

register = template.Library()


@register.simple_tag(takes_context=True)
def chart_embed(context, chart):
    """`{% chart_embed chart as links %}`: the chart's embed addresses on this page, or None."""
    return embed_links(context.get("request"), context.get("plan"), chart)
