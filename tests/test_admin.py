"""Editors can reach, search and filter everything in the admin."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from heroes.models import HeroPage, Region, Settlement, StreetHero, StreetPage

from .i18n_helpers import en, english

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("slug", ["bauyrzhan-momyshuly", "izgutty-aitykov"])
def test_hero_edit_view_opens(admin_client, slug):
    page = english(HeroPage, slug=slug)
    response = admin_client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    assert response.status_code == 200


def test_street_edit_view_opens(admin_client):
    page = english(StreetPage, slug="almaty-panfilov-st")
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
    street = english(StreetPage, slug="almaty-momyshuly-ave")
    street.heroes = []
    with translation.override("en"), pytest.raises(ValidationError, match="at least one hero"):
        street.save_revision()
    assert english(StreetPage, slug="almaty-momyshuly-ave").heroes.count() == 1


def test_deleting_a_hero_that_streets_are_named_after_is_refused(admin_client):
    hero = english(HeroPage, slug="leonid-beda")
    response = admin_client.post(reverse("wagtailadmin_pages:delete", args=(hero.pk,)), follow=True)
    assert "cannot be deleted" in response.content.decode()
    assert en(HeroPage.objects).filter(slug="leonid-beda").exists()
    assert english(StreetPage, slug="kostanay-beda-st").heroes.count() == 1


def test_deleting_the_heroes_index_is_refused_not_an_error(admin_client):
    index = english(HeroPage, slug="leonid-beda").get_parent()
    response = admin_client.post(
        reverse("wagtailadmin_pages:delete", args=(index.pk,)), follow=True
    )
    assert response.status_code == 200
    assert "cannot be deleted" in response.content.decode()
    assert en(HeroPage.objects).count() == 55
    assert HeroPage.objects.count() == 3 * 55  # nor any language's version


def test_hero_without_streets_can_be_deleted(admin_client):
    hero = english(HeroPage, slug="madi-begenov")
    admin_client.post(reverse("wagtailadmin_pages:delete", args=(hero.pk,)))
    assert not en(HeroPage.objects).filter(slug="madi-begenov").exists()


def test_old_street_revision_naming_a_since_deleted_hero_still_opens(admin_client):
    street = english(StreetPage, slug="almaty-momyshuly-ave")
    extra = english(HeroPage, slug="madi-begenov")
    street.heroes.add(StreetHero(hero=extra))
    old = street.save_revision()
    street.heroes = [link for link in street.heroes.all() if link.hero_id != extra.pk]
    street.save_revision().publish()
    extra.delete()
    url = reverse("wagtailadmin_pages:revisions_revert", args=(street.pk, old.pk))
    assert admin_client.get(url).status_code == 200


def test_bulk_deleting_heroes_that_streets_are_named_after_is_refused(admin_client):
    heroes = en(HeroPage.objects).filter(slug__in=["leonid-beda", "madi-begenov"])
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    query = "&".join(f"id={hero.pk}" for hero in heroes)
    admin_client.post(f"{url}?{query}", follow=True)
    assert en(HeroPage.objects).filter(slug__in=["leonid-beda", "madi-begenov"]).count() == 2


def test_bulk_deleting_heroes_without_streets_works(admin_client):
    hero = english(HeroPage, slug="madi-begenov")
    url = reverse("wagtail_bulk_action", args=("wagtailcore", "page", "delete"))
    admin_client.post(f"{url}?id={hero.pk}")
    assert not en(HeroPage.objects).filter(slug="madi-begenov").exists()


def test_dashboard_lists_catalogue_gaps_with_edit_links(admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Gaps in the catalogue" in html
    assert "Heroes with an unknown birth date (26)" in html
    first = en(HeroPage.objects).filter(birth_date_precision="unknown").order_by("title").first()
    assert reverse("wagtailadmin_pages:edit", args=(first.pk,)) in html
    assert "Streets with no coordinates (49)" in html
    gap = admin_client.get(reverse("catalogue_gap", args=("heroes-without-birth-date",)))
    assert gap.status_code == 200
    assert gap.content.decode().count("/admin/pages/") >= 26
    assert admin_client.get(reverse("catalogue_gap", args=("nonsense",))).status_code == 404


def test_editor_guide_is_in_the_admin(admin_client):
    response = admin_client.get(reverse("editor_guide"))
    assert response.status_code == 200
    assert "Entering an uncertain date" in response.content.decode()
    home = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("editor_guide") in home
