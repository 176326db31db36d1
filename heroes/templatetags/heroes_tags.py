"""Template helpers: list page links that keep the other query parameters, and links
across languages (the language switcher, ``hreflang``, links to pages of any language)."""

from urllib.parse import urlencode

from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.translation import get_language_info
from wagtail.models import Page

from heroes.dates import format_date
from heroes.i18n import active_language, locale_code, public, url_in_language
from heroes.models import localized_name_and_language

register = template.Library()


@register.simple_tag(takes_context=True)
def page_query(context, number, param="page"):
    """Return ``?...`` with ``param`` set to ``number`` and every other GET parameter kept."""
    query = context["request"].GET.copy()
    query[param] = number
    return "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def localurl(context, page):
    """The URL of ``page`` for this reader: Wagtail's ``{% pageurl %}`` when the page is
    in the reader's language, else the same path under the reader's language prefix
    (``/kk/heroes/<slug>/``), which serves the reader's version or the fallback
    (:mod:`heroes.i18n`). Use it for links to pages chosen across languages (lists,
    heroes a street is named after). No query."""
    if page is None:
        return ""
    language = active_language()
    if locale_code(page.locale_id) == language:
        return page.get_url(context.get("request"))
    return url_in_language(page, language)


@register.simple_tag(takes_context=True)
def language_versions(context, page=None):
    """The language switcher's entries for this request: a list of dicts with ``code``,
    ``name`` (the language's own name), ``url`` (the same content in that language,
    through ``switch_language`` so the choice is remembered), ``href`` (the direct
    URL, for ``hreflang``), ``current`` and ``exists`` (a version in that language is
    live; else it is reached through the fallback). One query for a page."""
    request = context.get("request")
    current = active_language()
    path = request.path if request else "/"
    direct = {}
    exists = set()
    if page is not None and getattr(page, "translation_key", None):
        own_url = page.get_url(request) or ""
        own_language = locale_code(page.locale_id)
        suffix = ""
        served = path
        prefix = f"/{current}"
        if own_language != current and path.startswith(prefix):
            served = f"/{own_language}" + path[len(prefix) :]
        if own_url and served.startswith(own_url):
            suffix = served[len(own_url) :]
        for version in public(Page.objects.live()).filter(translation_key=page.translation_key):
            code = locale_code(version.locale_id)
            exists.add(code)
            direct[code] = (version.get_url(request) or "") + suffix
        for code, _name in settings.LANGUAGES:
            direct.setdefault(code, url_in_language(page, code) + suffix)
    else:
        for code, _name in settings.LANGUAGES:
            direct[code] = translate_url(path, code)
            exists.add(code)
    query = request.META.get("QUERY_STRING", "") if request else ""
    entries = []
    for code, _name in settings.LANGUAGES:
        href = direct[code]
        target = href + (f"?{query}" if query else "")
        entries.append(
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "href": href,
                "url": reverse("switch_language", args=[code]) + "?" + urlencode({"next": target}),
                "current": code == current,
                "exists": code in exists,
            }
        )
    return entries


@register.simple_tag(takes_context=True)
def lang_attr(context, field=None):
    """`` lang="xx"`` for an element holding page text that is not in the interface
    language: the page is another language's version (fallback), or ``field`` is still
    in the source language (``untranslated`` in the context, see
    ``SlugRulePage.get_context``); ``""`` otherwise."""
    current = active_language()
    language = context.get("content_language") or current
    if field and field in context.get("untranslated", ()):
        language = context.get("source_language") or language
    return format_html(' lang="{}"', language) if language != current else ""


@register.filter
def name_lang(obj, prefix="name"):
    """`` lang="xx"`` when ``obj``'s name in the reader's language is missing and the
    name shown is another language's (``localized_name`` falls back kk -> ru -> en),
    else ``""``. Usage: ``<h1{{ page|name_lang }}>{{ page.name }}</h1>``."""
    name, code = localized_name_and_language(obj, prefix)
    if not name or code == active_language():
        return ""
    return format_html(' lang="{}"', code)


@register.filter
def local_date(value, format_name="DATE_FORMAT"):
    """``value`` in the reader's language's date format (``heroes.dates.format_date``:
    "24 December 1910", "24 декабря 1910 г.", "1910 ж. 24 желтоқсан")."""
    if not value:
        return ""
    return format_date(value, format_name)
