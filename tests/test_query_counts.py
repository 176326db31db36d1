"""Queries per page stay constant as the catalogue grows."""

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from catalog.search.index import refresh
from heroes.models import (
    HeroIndexPage,
    HeroPage,
    Settlement,
    StreetHero,
    StreetIndexPage,
    StreetPage,
)

from .i18n_helpers import english, english_index

pytestmark = pytest.mark.django_db

URLS = [
    "/en/",
    "/en/heroes/",
    "/en/heroes/?region=KZ-75",
    "/en/heroes/bauyrzhan-momyshuly/",
    "/en/streets/",
    "/en/streets/?region=KZ-75",
    "/en/streets/almaty-momyshuly-ave/",
    "/en/search/?q=Momyshuly",
    "/en/search/?q=a",
    "/en/search/?q=Momyshuly&kind=street&region=KZ-75",
    "/en/search/?q=Mometova",  # the typo path: did you mean
    "/en/search/?q=street&page=2",
    "/en/search/autocomplete/?q=Mom",
    "/sitemap.xml",
]


def query_counts(client):
    counts = {}
    for url in URLS:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, url
        counts[url] = len(queries)
    return counts


def add_heroes_with_streets(count):
    hero_index = english_index(HeroIndexPage)
    street_index = english_index(StreetIndexPage)
    almaty = Settlement.objects.get(name_en="Almaty")
    momyshuly = english(HeroPage, slug="bauyrzhan-momyshuly")
    added = []
    for number in range(count):
        hero = hero_index.add_child(
            instance=HeroPage(title=f"Added Hero {number}", slug=f"added-hero-{number}")
        )
        street = StreetPage(
            title=f"Added Momyshuly Street {number}",
            slug=f"added-street-{number}",
            name_en=f"Added Momyshuly Street {number}",
            settlement=almaty,
        )
        street.heroes = [StreetHero(hero=hero), StreetHero(hero=momyshuly)]
        street_index.add_child(instance=street)
        added += [hero.pk, street.pk]
    # Pages made live without a revision send no signal: give them search keys.
    refresh(added)


@override_settings(PAGE_CACHE_SECONDS=0)  # rendering is measured, not the page cache
def test_queries_per_page_do_not_grow_with_the_catalogue(client):
    query_counts(client)  # warm Wagtail's per-process caches (site root paths)
    before = query_counts(client)
    add_heroes_with_streets(30)
    # The first request after a publish recomputes the language fallbacks (one query
    # per content change, not per page): measure the pages as readers then get them.
    query_counts(client)
    assert query_counts(client) == before
    # The added streets are found (a full first page), so the counts cover them.
    html = client.get("/en/search/?q=Momyshuly").content.decode()
    assert html.count('<li class="search-result ') == 20


def test_search_costs_a_few_queries(client):
    """Two to five queries for the search itself (names, words; on the typo path the
    typo candidates, the words again and the spellings for "did you mean"); the rest
    load a page of results, the region filter's choices and the site navigation."""
    query_counts(client)
    counts = query_counts(client)
    assert counts["/en/search/?q=Momyshuly"] <= 16
    assert counts["/en/search/?q=Mometova"] <= 19
    assert counts["/en/search/?q=Momyshuly&kind=street&region=KZ-75"] <= 20
    assert counts["/en/search/autocomplete/?q=Mom"] <= 10
