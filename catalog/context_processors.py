"""Template context shared by every page."""

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from exhibitions.models import ExhibitionIndexPage
from heroes.generation import current_generation
from heroes.i18n import active_language, best_translations, locale_code, url_in_language
from heroes.models import HeroIndexPage, StreetIndexPage

SECTIONS = {
    HeroIndexPage: "heroes",
    StreetIndexPage: "streets",
    ExhibitionIndexPage: "exhibition",
}


def _navigation(request):
    language = active_language()
    urls = _section_urls(request, language)
    current = next((name for name, url in urls.items() if url and request.path.startswith(url)), "")
    return {"urls": urls, "current": current}


def _section_urls(request, language):
    """Section name -> URL of its index page for readers of ``language``. The index
    pages of the reader's language (else the first of kk, ru, en that has one, linked
    under the reader's prefix, like ``{% localurl %}``). Kept per content generation
    (any publish computes it afresh, one query), host and language."""
    key = f"navigation:{current_generation()}:{request.get_host()}:{language}"
    urls = cache.get(key)
    if urls is not None:
        return urls
    # Plain Page rows are enough for URLs; the content type names the section.
    sections = {
        ContentType.objects.get_for_model(model).pk: name for model, name in SECTIONS.items()
    }
    live = Page.objects.live().filter(content_type__in=sections).order_by("path")
    urls = {}
    for page in best_translations(live, language):
        if locale_code(page.locale_id) == language:
            url = page.get_url(request)
        else:
            url = url_in_language(page, language)
        urls.setdefault(sections[page.content_type_id], url)
    urls["search"] = reverse("search")
    cache.set(key, urls, 3600)
    return urls


def site_navigation(request):
    """Navigation for every template, loaded with one query only when used.

    ``nav.urls`` maps "heroes", "streets", "exhibition", "search" to URLs; ``nav.current`` is the
    section the request is in ("" outside them); ``hero_index_url`` and
    ``street_index_url`` are shortcuts.
    """
    nav = SimpleLazyObject(lambda: _navigation(request))
    return {
        "nav": nav,
        "hero_index_url": SimpleLazyObject(lambda: nav["urls"].get("heroes", "/")),
        "street_index_url": SimpleLazyObject(lambda: nav["urls"].get("streets", "/")),
    }
