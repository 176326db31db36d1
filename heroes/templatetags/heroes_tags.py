"""Template helpers for lists: page links that keep the other query parameters."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """Return ``?...`` with ``param`` set to ``number`` and every other GET parameter kept."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()
