"""Site search across scripts: the page /search/ and the autocomplete, on the real seed data.

Every variant people type finds its hero or street as the first result; only live,
public content is ever returned.
"""

import csv
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from django.utils import translation
from wagtail.models import PageViewRestriction

from catalog.search.engine import Rank, search
from catalog.search.models import SearchEntry, SearchName, SearchTerm
from heroes.models import HeroIndexPage, HeroPage, Settlement, StreetHero, StreetPage
from heroes.names import word_key

from .exhibition_factories import make_exhibition, make_stop, seed_settlement
from .i18n_helpers import english as english_page
from .i18n_helpers import english_index

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parent.parent / "catalog" / "seed"
HEROES = list(csv.DictReader((SEED / "heroes.csv").open(encoding="utf-8")))


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def results(client, query, **params):
    """The result links (page paths) of the search page, in order."""
    response = client.get("/en/search/", {"q": query, **params})
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [
        item.select_one(".card__title a")["href"] for item in soup.select("ol.search-results > li")
    ], soup


def first(client, query):
    links, _soup = results(client, query)
    assert links, f"nothing found for {query!r}"
    return links[0]


# --- The variants of the issue ---------------------------------------------------------

MOMYSHULY = "/en/heroes/bauyrzhan-momyshuly/"
MAMETOVA = "/en/heroes/manshuk-mametova/"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Момышулы", MOMYSHULY),
        ("Момышұлы", MOMYSHULY),
        ("Momyshuly", MOMYSHULY),
        ("Momysh-uly", MOMYSHULY),
        ("Momyşūly", MOMYSHULY),
        ("Momishuly", MOMYSHULY),  # a typo that the folding absorbs
        ("момышулы", MOMYSHULY),
        ("Маметова", MAMETOVA),
        ("Мәметова", MAMETOVA),
        ("mametova", MAMETOVA),
        ("Koshkarbaev", "/en/heroes/rakhimzhan-koshkarbayev/"),
        ("Қошқарбаев", "/en/heroes/rakhimzhan-koshkarbayev/"),
        ("МОЛДАҒҰЛОВА", "/en/heroes/aliya-moldagulova/"),
        ("проспект Момышулы", "/en/streets/shymkent-momyshuly-ave/"),  # its Russian name
        ("Momyshuly avenue", "/en/streets/almaty-momyshuly-ave/"),  # Almaty's and Shymkent's
        ("Момышұлы даңғылы", "/en/streets/almaty-momyshuly-ave/"),
        ("Казарменная", "/en/streets/almaty-panfilov-st/"),  # a former name
        ("Aktobe airport", "/en/streets/aktobe-airport-moldagulova/"),
        ("Алматы Маметовой", "/en/streets/almaty-mametova-st/"),
        ("Mametova street", "/en/streets/almaty-mametova-st/"),
    ],
)
def test_every_variant_finds_its_hero_or_street_first(client, query, expected):
    assert first(client, query) == expected


def _hero_names():
    for row in HEROES:
        for column in ("name_kk", "name_kk_latn", "name_ru", "name_en"):
            if row[column]:
                yield pytest.param(row[column], row["slug"], id=f"{row['slug']}-{column}")


@pytest.mark.parametrize(("name", "slug"), list(_hero_names()))
def test_each_seeded_hero_is_first_under_each_of_its_names(client, name, slug):
    assert first(client, name) == f"/en/heroes/{slug}/"


@pytest.mark.parametrize(
    ("query", "rank"),
    [
        ("Bauyrzhan Momyshuly", Rank.EXACT),  # as written
        ("Bauyrjan Momyshuly", Rank.VARIANT),  # another spelling of the whole name
        ("Momyshuly", Rank.VARIANT),  # the surname
        ("Маншук Маметова", Rank.VARIANT),  # without the patronymic
        ("Bauyrzhan Momyshev", Rank.WORDS),  # a Russified ending
        ("Bauyrz", Rank.PREFIX),  # as typed so far
        ("Bauyrzan Momyshuly", Rank.FUZZY),  # a letter missing
    ],
)
def test_ranks_from_exact_to_fuzzy(query, rank):
    hit = search(query).hits[0]
    assert hit.kind == "hero" and hit.rank == rank


def test_a_hero_ranks_above_the_streets_named_after_the_full_name():
    hits = search("Bauyrzhan Momyshuly").hits
    assert [hit.kind for hit in hits[:2]] == ["hero", "street"]
    assert hits[0].rank == Rank.EXACT and hits[1].rank > Rank.EXACT


def test_street_kind_words_help_rather_than_hurt(client):
    # A kind word in any language narrows to that kind of place, never to nothing.
    for query in ("Momyshuly avenue", "Momyshuly даңғылы", "проспект Momyshuly", "Momyshuly ave"):
        links, _soup = results(client, query)
        assert links[0] in (
            "/en/streets/almaty-momyshuly-ave/",
            "/en/streets/shymkent-momyshuly-ave/",
        )
    assert first(client, "Momyshuly street") != MOMYSHULY  # streets before the person
    links, _soup = results(client, "airport")
    assert set(links) == {
        "/en/streets/aktobe-airport-moldagulova/",
        "/en/streets/atyrau-airport-dospanova/",
        "/en/streets/oral-airport-mametova/",
    }


def test_every_word_must_match(client):
    links, soup = results(client, "Momyshuly Kyzylorda")
    assert links == [] and "Nothing matches" in soup.text


def test_words_match_across_name_place_and_hero(client):
    links, _soup = results(client, "Almaty Momyshuly")
    assert links == ["/en/streets/almaty-momyshuly-ave/"]
    assert "/en/streets/shymkent-momyshuly-ave/" in results(client, "Shymkent")[0]


# --- Former names ------------------------------------------------------------------------


def test_a_former_name_finds_the_street_and_says_when_it_was_renamed(client):
    links, soup = results(client, "улица Строителей")
    assert links[0] == "/en/streets/shakhtinsk-shakhan-momyshuly-st/"
    note = soup.select_one(".search-result__renamed").get_text(" ", strip=True)
    assert note == "Renamed in 2023; formerly “улица Строителей”."


def test_a_former_name_in_another_case_and_script(client):
    links, soup = results(client, "ULITSA CHKALOVA")
    assert links[0] == "/en/streets/pavlodar-nurmagambetov-st/"
    assert "Renamed in 2020; formerly “улица Чкалова”." in soup.text


def test_a_former_name_without_a_known_date_says_so(client):
    _links, soup = results(client, "Красноармейская")
    note = soup.select_one(".search-result__renamed").get_text(" ", strip=True)
    assert note == "Renamed; formerly “Красноармейская” (the sources do not say when)."


def test_current_names_show_no_renaming_note(client):
    _links, soup = results(client, "Panfilov")
    assert soup.select(".search-result__renamed") == []


# --- Typos -------------------------------------------------------------------------------


def test_a_typo_finds_the_name_and_offers_did_you_mean(client):
    links, soup = results(client, "Mometova")
    assert links[0] == MAMETOVA
    suggestion = soup.select_one(".did-you-mean a")
    assert suggestion.text == "Mametova" and "q=Mametova" in suggestion["href"]


def test_did_you_mean_keeps_the_script_and_the_other_words(client):
    _links, soup = results(client, "Молдагулва Aktobe")
    assert soup.select_one(".did-you-mean a").text == "Молдағұлова Aktobe"


def test_no_did_you_mean_when_the_name_is_right(client):
    _links, soup = results(client, "Mametova")
    assert soup.select(".did-you-mean") == []


# --- Filters and pagination -----------------------------------------------------------


def test_kind_filter(client):
    links, _soup = results(client, "Momyshuly", kind="street")
    assert links and all(link.startswith("/en/streets/") for link in links)
    links, soup = results(client, "Momyshuly", kind="hero")
    assert links == [MOMYSHULY]
    assert "Streets and places (5)" in soup.select_one(".search-kinds").text


def test_region_filter(client):
    links, _soup = results(client, "Momyshuly", region="KZ-79")
    assert links == [MOMYSHULY, "/en/streets/shymkent-momyshuly-ave/"]  # a hero with a street there
    links, _soup = results(client, "Mametova", region="KZ-79")
    assert links == []


@pytest.mark.parametrize(
    "params",
    [{"kind": "dragon"}, {"region": "KZ-99"}, {"region": "<script>"}, {"kind": ["hero", "x"]}],
)
def test_bad_filter_values_are_ignored_with_a_message(client, params):
    links, soup = results(client, "Momyshuly", **params)
    assert links[0] == MOMYSHULY and len(links) == 6
    assert "A filter value was not recognised and was ignored." in soup.text
    assert "<script>" not in str(soup.select_one("main"))


def test_results_are_paginated(client):
    links, soup = results(client, "street")
    assert len(links) == 20 and "Page 1 of 2" in soup.text
    more, _soup = results(client, "street", page=2)
    assert more and not set(more) & set(links)
    last, _soup = results(client, "street", page=99)
    assert last == more


def test_empty_odd_and_long_queries_never_fail(client):
    for query in ("", "   ", "…", "a\x00b", "%", "_", "'", "ё" * 500, "Ω" * 50):
        assert client.get("/en/search/", {"q": query}).status_code == 200
        assert client.get("/en/search/autocomplete/", {"q": query}).status_code == 200
    assert client.post("/en/search/", {"q": "Momyshuly"}).status_code == 405
    assert client.post("/en/search/autocomplete/", {"q": "Momyshuly"}).status_code == 405


def test_the_same_query_in_the_home_search_box(client):
    html = client.get("/en/").content.decode()
    soup = BeautifulSoup(html, "html.parser")
    form = soup.select_one("form.search-form")
    assert form["action"] == "/en/search/"
    assert form["data-autocomplete"] == "/en/search/autocomplete/"


# --- Autocomplete ------------------------------------------------------------------------


def suggestions(client, query, **params):
    response = client.get("/en/search/autocomplete/", {"q": query, **params})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_autocomplete_suggests_pages_as_typed(client):
    data = suggestions(client, "Момыш")
    assert data["query"] == "Момыш"
    assert data["results"][0] == {
        "kind": "hero",
        "kind_label": "Hero",
        "label": "Bauyrzhan Momyshuly",
        "detail": "",
        "url": MOMYSHULY,
    }
    assert len(data["results"]) == 6 and data["status"] == "6 suggestions"
    assert {
        "kind": "street",
        "kind_label": "Street or place",
        "label": "Momyshuly Avenue",
        "detail": "Almaty",
        "url": "/en/streets/almaty-momyshuly-ave/",
    } in data["results"]


def test_autocomplete_limits_filters_and_says_formerly(client):
    assert len(suggestions(client, "street")["results"]) == 8
    assert {r["kind"] for r in suggestions(client, "Mom", kind="street")["results"]} == {"street"}
    (panfilov,) = suggestions(client, "Казарм")["results"]
    assert panfilov["url"] == "/en/streets/almaty-panfilov-st/"
    assert panfilov["detail"] == "Almaty · formerly Казарменная"
    assert suggestions(client, "zzzzqqq") == {
        "query": "zzzzqqq",
        "results": [],
        "status": "No suggestions",
    }


# --- Only live, public content ---------------------------------------------------------


def found(client, query):
    """Page paths found by the search page and the autocomplete together."""
    links, _soup = results(client, query)
    return set(links) | {r["url"] for r in suggestions(client, query)["results"]}


def test_unpublished_pages_are_absent(client):
    # Unpublished in every language: a reader of one language would otherwise be
    # served another language's live version.
    for page in [*HeroPage.objects.filter(slug="leonid-beda")] + [
        *StreetPage.objects.filter(slug="almaty-panfilov-st")
    ]:
        page.unpublish()
    assert "/en/heroes/leonid-beda/" not in found(client, "Beda")
    assert "/en/streets/kostanay-beda-st/" in found(client, "Beda")  # its own name says Beda
    assert found(client, "Казарменная") == set()
    assert not SearchEntry.objects.filter(page__slug__in=["leonid-beda", "almaty-panfilov-st"])


def test_a_republished_page_is_found_again(client):
    hero = english_page(HeroPage, slug="leonid-beda")
    hero.unpublish()
    hero.save_revision().publish()
    assert "/en/heroes/leonid-beda/" in found(client, "Beda")


def test_drafts_are_absent(client):
    index = english_index(HeroIndexPage)
    draft = index.add_child(
        instance=HeroPage(title="Zhanna Zzhidden", slug="zhanna-zzhidden", live=False)
    )
    draft.save_revision()
    assert found(client, "Zzhidden") == set()
    hero = english_page(HeroPage, slug="talgat-bigeldinov")
    hero.name_en = "Qqdraftname Bigeldinov"
    hero.save_revision()
    assert found(client, "Qqdraftname") == set()
    assert "/en/heroes/talgat-bigeldinov/" in found(client, "Talgat Bigeldinov")


def test_private_pages_are_absent_until_the_restriction_goes(client):
    # Private in every language: otherwise another language's public version is served.
    restrictions = [
        PageViewRestriction.objects.create(
            page=hero, restriction_type=PageViewRestriction.PASSWORD, password="secret"
        )
        for hero in HeroPage.objects.filter(slug="manshuk-mametova")
    ]
    assert len(restrictions) == 3
    assert MAMETOVA not in found(client, "Mametova")
    for restriction in restrictions:
        restriction.delete()
    assert MAMETOVA in found(client, "Mametova")


def test_a_private_section_hides_everything_below_it(client):
    for index in HeroIndexPage.objects.all():  # the section in every language
        PageViewRestriction.objects.create(page=index, restriction_type=PageViewRestriction.LOGIN)
    assert not any("/heroes/" in path for path in found(client, "Momyshuly"))
    assert "/en/streets/almaty-momyshuly-ave/" in found(client, "Momyshuly")


def test_streets_in_an_unpublished_settlement_are_absent(client):
    shymkent = Settlement.objects.get(name_en="Shymkent")
    shymkent.unpublish()
    assert "/en/streets/shymkent-momyshuly-ave/" not in found(client, "Momyshuly")
    assert "/en/streets/shymkent-momyshuly-ave/" not in found(client, "проспект Момышулы")
    shymkent.save_revision().publish()
    assert "/en/streets/shymkent-momyshuly-ave/" in found(client, "Momyshuly")


def test_a_renamed_settlement_is_found_by_its_new_name(client):
    shymkent = Settlement.objects.get(name_en="Shymkent")
    shymkent.name_kk = "Қаласыжаңа"
    shymkent.save_revision().publish()
    assert "/en/streets/shymkent-momyshuly-ave/" in found(client, "Қаласыжаңа")


def test_an_unpublished_hero_no_longer_finds_streets_through_its_name(client):
    hero = english_index(HeroIndexPage).add_child(
        instance=HeroPage(title="Zhanna Zzhidden", slug="zhanna-zzhidden")
    )
    hero.save_revision().publish()
    street = english_page(StreetPage, slug="almaty-momyshuly-ave")
    StreetHero.objects.create(page=street, hero=hero)
    street.save_revision().publish()
    assert found(client, "Zzhidden") == {
        "/en/heroes/zhanna-zzhidden/",
        "/en/streets/almaty-momyshuly-ave/",
    }
    hero.unpublish()
    assert found(client, "Zzhidden") == set()


def test_a_deleted_hero_leaves_no_entry_and_no_trace_in_streets(client):
    hero = english_index(HeroIndexPage).add_child(
        instance=HeroPage(title="Zhanna Zzhidden", slug="zhanna-zzhidden")
    )
    hero.save_revision().publish()
    street = english_page(StreetPage, slug="almaty-momyshuly-ave")
    StreetHero.objects.create(page=street, hero=hero)
    street.save_revision().publish()
    hero.delete()
    assert found(client, "Zzhidden") == set()
    assert not SearchTerm.objects.filter(term=word_key("Zzhidden")).exists()


# --- The stored keys -------------------------------------------------------------------


def _snapshot():
    return sorted(
        SearchName.objects.values_list("entry__page_id", "entry__kind", "role", "exact", "loose")
    ), sorted(SearchTerm.objects.values_list("entry__page_id", "term", "stem", "field"))


def test_rebuild_is_idempotent_and_matches_the_live_keys():
    before = _snapshot()
    call_command("rebuild_search_index", verbosity=0)
    assert _snapshot() == before
    english_entries = SearchEntry.objects.filter(page__locale__language_code="en")
    assert english_entries.filter(kind="hero").count() == 55
    assert english_entries.filter(kind="street").count() == 58


def test_keys_are_stored_folded():
    entry = SearchEntry.objects.get(
        page__slug="bauyrzhan-momyshuly", page__locale__language_code="en"
    )
    assert {"бауыржан момышұлы", "bauyrjan momyşūly", "bauyrzhan momyshuly"} <= set(
        entry.names.values_list("exact", flat=True)
    )
    assert set(entry.terms.values_list("term", flat=True)) == {"bauirjan", "momishuli"}


# --- Exhibitions and their stops ---------------------------------------------------------


def test_exhibitions_and_stops_are_found_by_title_venue_and_place(client):
    exhibition = make_exhibition(title="Panfilov's men at Moscow", slug="panfilovs-men")
    stop = make_stop(
        exhibition,
        settlement=seed_settlement("Shymkent"),
        title="Shymkent",
        slug="shymkent",
        venue="Regional Museum of Local History",
    )
    assert first(client, "Panfilov's men at Moscow") == exhibition.url
    assert first(client, "Regional Museum of Local History") == stop.url
    links, _soup = results(client, "Шымкент", kind="stop")
    assert links == [stop.url]
    links, _soup = results(client, "Panfilov men", region="KZ-79")
    assert exhibition.url in links and "/en/heroes/ivan-panfilov/" not in links
    (suggestion,) = suggestions(client, "Regional Museum of Loc", kind="stop")["results"]
    assert suggestion["label"] == "Shymkent: Regional Museum of Local History"
    assert suggestion["detail"] == "Panfilov's men at Moscow"


def test_stops_of_an_unpublished_exhibition_and_draft_stops_are_absent(client):
    exhibition = make_exhibition(title="Qqtouring exhibition", slug="qq-touring")
    make_stop(exhibition, title="Qqstop one", slug="qq-one", venue="Qqvenue hall")
    make_stop(exhibition, title="Qqstop two", slug="qq-two", venue="Qqdraft hall", live=False)
    assert found(client, "Qqdraft") == set()
    assert len(found(client, "Qqvenue")) == 1
    exhibition.unpublish()
    assert found(client, "Qqvenue") == set() and found(client, "Qqtouring") == set()


def test_a_copied_live_page_is_found(client):
    hero = english_page(HeroPage, slug="leonid-beda")
    hero.copy(
        update_attrs={"title": "Leonid Qqcopied", "slug": "leonid-qqcopied", "name_en": "Qqcopied"},
        keep_live=True,
    )
    assert found(client, "Qqcopied") == {"/en/heroes/leonid-qqcopied/"}


def test_result_pages_are_not_indexed_by_search_engines(client):
    html = client.get("/en/search/", {"q": "Momyshuly"}).content.decode()
    assert '<meta name="robots" content="noindex, follow">' in html
    assert 'name="robots"' not in client.get("/en/search/").content.decode()


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_hero_cards_count_each_street_once(client, language):
    """The street count on a hero's search result is the number of streets named after
    the hero (as on the hero page and the home page), not that number per language."""
    from django.test import override_settings

    with override_settings(PAGE_CACHE_SECONDS=0):
        hero_page = client.get(f"/{language}/heroes/bauyrzhan-momyshuly/")
        streets = len(hero_page.context["streets"])
        assert streets > 1
        response = client.get(f"/{language}/search/", {"q": "Momyshuly", "kind": "hero"})
    soup = BeautifulSoup(response.content, "html.parser")
    card = next(
        item
        for item in soup.select("ol.search-results > li")
        if item.select_one(".card__title a")["href"].endswith("/heroes/bauyrzhan-momyshuly/")
    )
    with translation.override(language):
        expected = translation.ngettext(
            "%(counter)s street or place named after this hero",
            "%(counter)s streets or places named after this hero",
            streets,
        ) % {"counter": streets}
    assert expected in [meta.get_text(strip=True) for meta in card.select(".card__meta")]
