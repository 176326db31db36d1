"""Site-wide views: home page data and the street and hero look-up."""

from django.db.models import Count, Prefetch, Q
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from heroes.models import HeroPage, Settlement
from heroes.views import live_hero_links, live_heroes, live_streets, paginate, with_portraits

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
            .annotate(
                street_count=Count(
                    "street_links", filter=Q(street_links__page__live=True), distinct=True
                )
            )
            .order_by("-street_count", "title")[:6]
        )
    streets = live_streets()
    return {
        "featured": featured,
        "counts": {
            "heroes": live_heroes().count(),
            "streets": streets.count(),
            "settlements": Settlement.objects.filter(streets__in=streets).distinct().count(),
        },
    }


def _case_variants(text):
    """The query as typed, lower-cased, capitalised and upper-cased.

    SQLite's LIKE folds only ASCII case, so ``момышұлы`` would miss
    ``Момышұлы``; trying these variants covers how people type names.
    Cross-script matching is the search module's job.
    """
    return {text, text.lower(), text.capitalize(), text.title(), text.upper()}


def _name_query(fields, text):
    query = Q()
    for variant in _case_variants(text):
        for field in fields:
            query |= Q(**{f"{field}__contains": variant})
    return query


def search(request):
    """Find streets (current and former names) and heroes by name: ``GET /search/?q=``.

    Matching is a case-insensitive substring match on the stored names, live
    public pages only. Renders ``catalog/search.html`` with ``streets`` and
    ``heroes`` (pages of results).
    """
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    streets = heroes = None
    if query:
        street_fields = ["title", "name_kk", "name_ru", "name_en", "former_names__name"]
        hero_fields = [
            "title",
            "name_kk",
            "name_kk_latn",
            "name_ru",
            "name_en",
            "name_variants__name",
        ]
        matching_heroes = HeroPage.objects.filter(_name_query(hero_fields, query))
        streets = (
            live_streets()
            .filter(_name_query(street_fields, query) | Q(heroes__hero__in=matching_heroes))
            .distinct()
            .order_by("title")
            .prefetch_related(Prefetch("heroes", queryset=live_hero_links()))
        )
        heroes = live_heroes().filter(pk__in=matching_heroes).order_by("title")
        streets = paginate(request, streets, param="street_page")
        heroes = paginate(request, heroes, param="hero_page")
    return render(
        request,
        "catalog/search.html",
        {"query": query, "streets": streets, "heroes": heroes, "page_title": _("Search")},
    )
