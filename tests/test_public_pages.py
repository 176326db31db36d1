"""Every public page type renders with its content; drafts never reach readers."""

import pytest
from django.utils import translation

from heroes.models import HeroPage, StreetPage

from .i18n_helpers import english, english_index

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


def get_html(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, url
    return response.content.decode()


def test_home_offers_the_street_search_featured_heroes_and_counts(client):
    html = get_html(client, "/en/")
    assert 'action="/en/search/"' in html and 'name="q"' in html
    assert "55" in html and "58" in html
    assert "Bauyrzhan Momyshuly" in html  # most streets, so featured by default


def test_hero_index_lists_heroes_a_to_z_with_pagination(client):
    html = get_html(client, "/en/heroes/")
    assert "Abylkhair Baimuldin" in html  # first by name
    assert "?page=2" in html  # 55 heroes, 24 per page
    assert "Zhumagali Kaldykarayev" not in html  # on a later page


@pytest.mark.parametrize(
    ("query", "present", "absent"),
    [
        ("region=KZ-27", "Manshuk Mametova", "Bauyrzhan Momyshuly"),
        ("award=People%27s+Hero+of+Kazakhstan", "Kasym Kaisenov", "Manshuk Mametova"),
        ("letter=M", "Manshuk Mametova", "Aliya Moldagulova"),
    ],
)
def test_hero_index_filters(client, query, present, absent):
    html = get_html(client, f"/en/heroes/?{query}")
    assert present in html
    assert absent not in html


def test_bad_filter_value_is_ignored_not_an_error(client):
    html = get_html(client, "/en/heroes/?region=KZ-99&award=%3Cscript%3E")
    assert "Abylkhair Baimuldin" in html
    assert "<script>" not in html


def test_hero_page_shows_names_dates_awards_sources_and_streets(client):
    html = get_html(client, "/en/heroes/bauyrzhan-momyshuly/")
    for text in (
        "Бауыржан Момышұлы",
        "Bauyrjan Momyşūly",
        "Бауыржан Момышулы",
        "24 December 1910",
        "Hero of the Soviet Union",
        "https://rus.baq.kz/legendarnomu-polkovodtsu-bauyrzhanu-momyshuly-ispolnilos-115-let_300029912/",
        "/en/streets/almaty-momyshuly-ave/",
        "Momyshuly Avenue",
    ):
        assert text in html, text


def test_mametova_page_shows_dates_at_their_precision(client):
    html = get_html(client, "/en/heroes/manshuk-mametova/")
    assert "1922" in html and "October 1943" in html
    assert "1 January 1922" not in html and "1 October 1943" not in html


def test_street_index_groups_region_settlement_street(client):
    html = get_html(client, "/en/streets/")
    assert "Almaty" in html and "?region=KZ-75" in html
    html = get_html(client, "/en/streets/?region=KZ-75")
    assert "Momyshuly Avenue" in html and "/en/streets/almaty-momyshuly-ave/" in html
    assert "Astana" not in html.split("<main", 1)[1]


def test_street_page_links_its_hero(client):
    html = get_html(client, "/en/streets/almaty-momyshuly-ave/")
    assert "Момышұлы даңғылы" in html
    assert "/en/heroes/bauyrzhan-momyshuly/" in html
    assert "43.29089, 76.81567" in html


def test_street_page_shows_former_names(client):
    html = get_html(client, "/en/streets/almaty-panfilov-st/")
    assert "Казарменная" in html and "Красноармейская" in html


def test_short_permalink_redirects_to_the_street(client):
    street = english(StreetPage, slug="almaty-momyshuly-ave")
    response = client.get(f"/s/{street.short_code}/")
    assert response.status_code == 302
    assert response["Location"].endswith("/streets/almaty-momyshuly-ave/")


def test_search_finds_the_street_and_its_hero(client):
    html = get_html(client, "/en/search/?q=Momyshuly")
    assert "/en/streets/almaty-momyshuly-ave/" in html
    assert "/en/heroes/bauyrzhan-momyshuly/" in html


@pytest.mark.parametrize("query", ["момышұлы", "МОМЫШҰЛЫ", "Момышұлы даңғылы", "Казарменная"])
def test_search_matches_cyrillic_in_any_case_and_former_names(client, query):
    html = get_html(client, f"/en/search/?q={query}")
    assert "/en/streets/" in html


def test_missing_page_is_a_404_with_search(client):
    html = get_html(client, "/en/heroes/no-such-hero/", status=404)
    assert 'name="q"' in html


def test_unpublished_hero_is_hidden_everywhere(client):
    # Unpublished in every language (a reader is otherwise served another language's version).
    for hero in HeroPage.objects.filter(slug="leonid-beda"):
        hero.unpublish()
    assert client.get("/en/heroes/leonid-beda/").status_code == 404
    assert "Leonid Beda" not in get_html(client, "/en/heroes/?letter=L")
    assert "/heroes/leonid-beda/" not in get_html(client, "/en/search/?q=Beda")
    assert "/heroes/leonid-beda/" not in get_html(client, "/en/streets/kostanay-beda-st/")
    assert "/heroes/leonid-beda/" not in get_html(client, "/sitemap.xml")  # in any language


def test_draft_changes_are_not_shown(client):
    hero = english(HeroPage, slug="talgat-bigeldinov")
    hero.rank = "DRAFT RANK"
    hero.save_revision()
    assert "DRAFT RANK" not in get_html(client, "/en/heroes/talgat-bigeldinov/")


def test_sitemap_lists_heroes_and_streets(client):
    xml = get_html(client, "/sitemap.xml")
    assert "/en/heroes/bauyrzhan-momyshuly/" in xml and "/en/streets/almaty-momyshuly-ave/" in xml


@pytest.mark.parametrize(
    ("query", "street"),
    [
        ("Aktobe airport", "aktobe-airport-moldagulova"),
        ("Momyshuly avenue Almaty", "almaty-momyshuly-ave"),
        ("Almaty Momyshuly", "almaty-momyshuly-ave"),
        ("Момышулы проспект", "shymkent-momyshuly-ave"),
        ("Mametova street", "kyzylorda-mametova-st"),
        ("Shymkent", "shymkent-momyshuly-ave"),
        ("Алматы Маметовой", "almaty-mametova-st"),
    ],
)
def test_search_matches_every_word_in_any_order_across_name_place_and_hero(client, query, street):
    html = get_html(client, f"/en/search/?q={query}")
    assert f"/en/streets/{street}/" in html


def test_search_answers_with_the_hero_of_the_matching_street(client):
    html = get_html(client, "/en/search/?q=Aktobe airport")
    assert "/en/heroes/aliya-moldagulova/" in html


def test_search_words_must_all_match(client):
    html = get_html(client, "/en/search/?q=Momyshuly Kyzylorda")
    assert "Nothing matches" in html


def test_search_and_short_links_survive_nul_bytes(client):
    assert client.get("/en/search/?q=a%00b").status_code == 200
    assert client.get("/s/ab%00cd/").status_code == 404


def test_search_is_get_only(client):
    assert client.post("/en/search/", {"q": "Momyshuly"}).status_code == 405


def test_search_does_not_reveal_streets_through_an_unpublished_hero(client):
    from heroes.models import HeroIndexPage, StreetHero

    secret = english_index(HeroIndexPage).add_child(
        instance=HeroPage(title="Zhanna Zzhidden", slug="zhanna-zzhidden", live=False)
    )
    street = english(StreetPage, slug="almaty-momyshuly-ave")
    StreetHero.objects.create(page=street, hero=secret)
    assert "Nothing matches" in get_html(client, "/en/search/?q=Zzhidden")


def test_server_error_page_renders_without_the_database():
    from django.db import connection
    from django.template.loader import render_to_string
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("500.html")
    assert len(queries) == 0
    assert "Something went wrong" in html


def test_django_admin_is_not_mounted(client):
    # Unprefixed paths are redirected into a language (/kk/django-admin/): not found there.
    assert client.get("/django-admin/", follow=True).status_code == 404


def test_a_copied_street_gets_its_own_plaque_code():
    from heroes.models import StreetPage

    street = english(StreetPage, slug="almaty-momyshuly-ave")
    copy = street.copy(update_attrs={"slug": "almaty-momyshuly-ave-copy"})
    assert copy.short_code and copy.short_code != street.short_code
    assert len(copy.short_code) == 6
