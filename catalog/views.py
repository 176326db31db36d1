"""Site-wide views: home page data and the street and hero look-up."""

from django.db.models import Prefetch, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from heroes.models import Settlement, StreetHero, StreetPage
from heroes.views import (
    live_hero_links,
    live_heroes,
    live_street_count,
    live_streets,
    paginate,
    with_portraits,
)

MAX_QUERY_LENGTH = 100


def home_page_context(home):
    """``featured`` heroes (editor-chosen, else the most honoured) and ``counts``."""
    featured = [
        item.hero
        for item in with_portraits(
            home.featured_heroes.filter(hero__in=live_heroes()).select_related("hero"),
            prefix="hero__",
        )
    ]
    if not featured:
        featured = list(
            with_portraits(live_heroes())
            .annotate(street_count=live_street_count())
            .order_by("-street_count", "title")[:6]
        )
    streets = live_streets()
    return {
        "featured": featured,
        "counts": {
            "heroes": live_heroes().count(),
            "streets": streets.count(),
            "settlements": Settlement.objects.filter(live=True, streets__in=streets)
            .distinct()
            .count(),
        },
    }


MAX_QUERY_WORDS = 8
HERO_FIELDS = ["title", "name_kk", "name_kk_latn", "name_ru", "name_en", "name_variants__name"]
PLACE_FIELDS = [
    f"settlement__{prefix}name_{language}"
    for prefix in ("", "region__")
    for language in ("kk", "ru", "en")
]
STREET_FIELDS = ["title", "name_kk", "name_ru", "name_en", "former_names__name", *PLACE_FIELDS]


def _case_variants(word):
    """The word as typed, lower-cased, capitalised and upper-cased.

    SQLite's LIKE folds only ASCII case, so ``момышұлы`` would miss
    ``Момышұлы``; trying these variants covers how people type names.
    Cross-script matching is the search module's job.
    """
    return {word, word.lower(), word.capitalize(), word.upper()}


def _matches(fields, word):
    query = Q()
    for variant in _case_variants(word):
        for field in fields:
            query |= Q(**{f"{field}__contains": variant})
    return query


def find_streets_and_heroes(query):
    """Live streets and heroes matching every word of ``query`` (str).

    A street matches a word through its current or former names, its settlement
    or region, or the names of its heroes; a hero through its names. The heroes
    of the matching streets are returned too: they answer "who is my street
    named after?". Returns ``(streets, heroes)`` querysets ordered by title.
    """
    words = query.split()[:MAX_QUERY_WORDS]
    streets, heroes = live_streets(), live_heroes()
    for word in words:
        named = live_heroes().filter(_matches(HERO_FIELDS, word)).values("pk")
        by_word = StreetPage.objects.filter(
            _matches(STREET_FIELDS, word) | Q(heroes__hero__in=named)
        ).values("pk")
        streets = streets.filter(pk__in=by_word)
        heroes = heroes.filter(pk__in=named)
    honoured = StreetHero.objects.filter(page__in=streets.values("pk")).values("hero")
    heroes = live_heroes().filter(Q(pk__in=heroes.values("pk")) | Q(pk__in=honoured))
    streets = streets.order_by("title").prefetch_related(
        Prefetch("heroes", queryset=live_hero_links())
    )
    return streets, heroes.order_by("title")


@require_GET
def search(request):
    """Find streets and heroes by name, place or former name: ``GET /search/?q=``.

    Matching is a case-insensitive substring match of each word on the stored
    names (see :func:`find_streets_and_heroes`), live public pages only.
    Renders ``catalog/search.html`` with ``streets`` and ``heroes``, pages of
    results paged by ``?street_page=`` and ``?hero_page=``.
    """
    # NUL cannot be stored or compared in PostgreSQL text; no name contains it.
    query = " ".join(request.GET.get("q", "").replace("\x00", "").split())[:MAX_QUERY_LENGTH]
    streets = heroes = None
    if query:
        streets, heroes = find_streets_and_heroes(query)
        streets = paginate(request, streets, param="street_page")
        heroes = paginate(request, heroes, param="hero_page")
    return render(
        request,
        "catalog/search.html",
        {"query": query, "streets": streets, "heroes": heroes, "page_title": _("Search")},
    )
