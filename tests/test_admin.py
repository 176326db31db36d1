"""Editors can reach, search and filter everything in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from heroes.models import HeroPage, Region, Settlement, StreetPage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["bauyrzhan-momyshuly", "izgutty-aitykov"])
def test_hero_edit_view_opens(admin_client, slug):
    page = HeroPage.objects.get(slug=slug)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200


def test_street_edit_view_opens(admin_client):
    page = StreetPage.objects.get(slug="almaty-panfilov-st")
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200
    assert "Казарменная" in response.content.decode()


def test_region_snippets_are_searchable(admin_client):
    url = reverse("wagtailsnippets_heroes_region:list")
    html = admin_client.get(url, {"q": "KZ-75"}).content.decode()
    assert "Almaty" in html and "Shymkent" not in html


def test_settlements_filter_by_region(admin_client):
    almaty = Region.objects.get(iso_code="KZ-75")
    url = reverse("wagtailsnippets_heroes_settlement:list")
    html = admin_client.get(url, {"region": almaty.pk}).content.decode()
    assert "Almaty" in html and "Kokshetau" not in html


def test_settlement_with_swapped_coordinates_is_refused_in_the_admin(admin_client):
    settlement = Settlement.objects.get(name_en="Almaty")
    url = reverse("wagtailsnippets_heroes_settlement:edit", args=(settlement.pk,))
    response = admin_client.post(
        url,
        {
            "region": settlement.region_id,
            "name_en": "Almaty",
            "name_kk": "Алматы",
            "name_ru": "Алматы",
            "kind": "city",
            "kato_code": "",
            "lat": "76.9",
            "lon": "43.2",
        },
    )
    assert response.status_code == 200
    assert "look swapped" in response.content.decode()
    settlement.refresh_from_db()
    assert settlement.lat is None


def test_street_cannot_be_saved_without_a_hero(admin_client):
    street = StreetPage.objects.get(slug="almaty-momyshuly-ave")
    street.heroes = []
    with pytest.raises(ValidationError, match="at least one hero"):
        street.save_revision()
    assert StreetPage.objects.get(slug="almaty-momyshuly-ave").heroes.count() == 1
