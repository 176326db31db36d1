"""Template context shared by every page."""

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from wagtail.models import Page

from exhibitions.models import ExhibitionIndexPage
from heroes.i18n import active_language, best_translations, locale_code, url_in_language
from heroes.models import HeroIndexPage, StreetIndexPage

SECTIONS = {
    HeroIndexPage: "heroes",
    StreetIndexPage: "streets",
    ExhibitionIndexPage: "exhibition",
}


def _navigation(request):
    # The index pages of the reader's language (else the first of kk, ru, en that has
    # one, linked under the reader's prefix, like ``{% localurl %}``). Plain Page rows
    # are enough for URLs; the content type names the section.
    language = active_language()
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
    current = next((name for name, url in urls.items() if url and request.path.startswith(url)), "")
    return {"urls": urls, "current": current}


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
