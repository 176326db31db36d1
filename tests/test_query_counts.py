"""Queries per page stay constant as the catalogue grows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from heroes.models import (
    HeroIndexPage,
    HeroPage,
    Settlement,
    StreetHero,
    StreetIndexPage,
    StreetPage,
)

pytestmark = pytest.mark.django_db

URLS = [
    "/",
    "/heroes/",
    "/heroes/?region=KZ-75",
    "/heroes/bauyrzhan-momyshuly/",
    "/streets/",
    "/streets/?region=KZ-75",
    "/streets/almaty-momyshuly-ave/",
    "/search/?q=Momyshuly",
    "/search/?q=a",
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
    hero_index = HeroIndexPage.objects.get()
    street_index = StreetIndexPage.objects.get()
    almaty = Settlement.objects.get(name_en="Almaty")
    momyshuly = HeroPage.objects.get(slug="bauyrzhan-momyshuly")
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


def test_queries_per_page_do_not_grow_with_the_catalogue(client):
    query_counts(client)  # warm Wagtail's per-process caches (site root paths)
    before = query_counts(client)
    add_heroes_with_streets(30)
    assert query_counts(client) == before
