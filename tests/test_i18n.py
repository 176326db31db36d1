"""The site in Kazakh, Russian and English: language prefixes, the switcher, fallback,
translated interface, dates per language, hreflang and the sitemap (issue #6)."""

import datetime
import re
from urllib.parse import unquote

import pytest
from django.utils import translation

from heroes.dates import PartialDate
from heroes.i18n import translate_page
from heroes.models import HeroIndexPage, HeroPage

pytestmark = pytest.mark.django_db

HERO = "/heroes/bauyrzhan-momyshuly/"
STREET = "/streets/almaty-momyshuly-ave/"

# A piece of each language's interface (the main navigation) and its <html lang>.
INTERFACE = {
    "kk": ("Батырлар", "Көшелер"),
    "ru": ("Герои", "Улицы"),
    "en": ("Heroes", "Streets"),
}


def nav_labels(html):
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r">([^<>]+)</a>", nav)


@pytest.mark.parametrize(
    "accept, expected",
    [("ru-RU,ru;q=0.9", "/ru/"), ("en-GB,en;q=0.8", "/en/"), ("kk", "/kk/"), ("de-DE", "/kk/")],
)
def test_root_sends_readers_to_their_browsers_language_else_kazakh(client, accept, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=accept)
    assert response.status_code == 302
    assert response["Location"] == expected


def test_an_explicit_choice_is_remembered(client):
    response = client.get(f"/language/en/?next=/en{HERO}", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 302
    assert response["Location"] == f"/en{HERO}"
    assert client.cookies["django_language"].value == "en"
    # Later, "/" and the plaque permalinks follow the choice, not the browser.
    assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru")["Location"] == "/en/"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:x"])
def test_the_switch_never_redirects_off_site(client, target):
    response = client.get("/language/ru/", {"next": target})
    assert response["Location"] == "/ru/"


def test_unknown_language_is_404(client):
    response = client.get("/language/de/?next=/", follow=True)
    assert response.status_code == 404
    assert "django_language" not in client.cookies


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/heroes/",
        "/heroes/?region=KZ-75",
        HERO,
        "/streets/",
        "/streets/?region=KZ-75",
        STREET,
        "/search/?q=Momyshuly",
    ],
)
def test_every_page_type_renders_in_each_language(client, language, path):
    response = client.get(f"/{language}{path}")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert list(INTERFACE[language]) == nav_labels(html)[:2]


def test_hero_page_in_each_language_has_its_title_and_hreflang_alternates(client):
    titles = {"kk": "Бауыржан Момышұлы", "ru": "Бауыржан Момышулы", "en": "Bauyrzhan Momyshuly"}
    for language, title in titles.items():
        html = client.get(f"/{language}{HERO}").content.decode()
        assert f"<h1>{title}</h1>" in html
        for other in titles:
            assert (
                f'<link rel="alternate" hreflang="{other}" href="http://testserver/{other}{HERO}">'
                in html
            )


def test_switcher_keeps_the_reader_on_the_same_hero(client):
    html = client.get(f"/ru{HERO}").content.decode()
    switcher = re.search(r'<nav class="language-switcher".*?</nav>', html, re.S).group(0)
    links = dict(re.findall(r'href="([^"]+)" hreflang="(\w+)"', switcher))
    by_language = {language: url for url, language in links.items()}
    assert by_language["kk"] == "/language/kk/?next=%2Fkk%2Fheroes%2Fbauyrzhan-momyshuly%2F"
    assert by_language["en"] == "/language/en/?next=%2Fen%2Fheroes%2Fbauyrzhan-momyshuly%2F"
    assert 'lang="kk">Қазақ<' in switcher or 'lang="kk">Қазақша<' in switcher
    assert 'aria-current="true">Русский<' in switcher


def test_switcher_keeps_the_filters_of_a_list(client):
    html = client.get("/kk/heroes/?region=KZ-75").content.decode()
    assert "/language/ru/?next=%2Fru%2Fheroes%2F%3Fregion%3DKZ-75" in html


def test_relations_point_to_the_same_language(client):
    """A Russian street page links to the Russian hero page, and back."""
    street = client.get(f"/ru{STREET}").content.decode()
    assert f'href="/ru{HERO}"' in street
    hero = client.get(f"/ru{HERO}").content.decode()
    assert f'href="/ru{STREET}"' in hero
    kk_street = client.get(f"/kk{STREET}").content.decode()
    assert f'href="/kk{HERO}"' in kk_street


def test_untranslated_text_is_marked_not_passed_off_as_kazakh(client):
    """The seed's summaries are English: the Kazakh page says so and marks them lang=en."""
    html = client.get(f"/kk{HERO}").content.decode()
    with translation.override("kk"):
        notice = translation.gettext(
            "Parts of this page are not yet translated. They are shown in English."
        )
    assert notice != "Parts of this page are not yet translated. They are shown in English."
    assert notice in html
    assert '<div class="lead prose" lang="en">' in html
    # The English page has no such notice.
    english = client.get(f"/en{HERO}").content.decode()
    assert "not yet translated" not in english
    assert 'class="lead prose" lang=' not in english


@pytest.fixture
def russian_only_hero():
    """A hero written in Russian only (no Kazakh or English version yet)."""
    index = HeroIndexPage.objects.get(locale__language_code="ru")
    hero = HeroPage(
        title="Тестовый Герой",
        slug="testovyi-geroi",
        name_ru="Тестовый Герой",
        birth_date=datetime.date(1920, 1, 1),
        birth_date_precision="year",
        birth_date_approximate=True,
    )
    index.add_child(instance=hero)
    hero.save_revision().publish()
    return hero


def test_a_page_missing_in_the_readers_language_falls_back_with_a_notice(client, russian_only_hero):
    response = client.get("/kk/heroes/testovyi-geroi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="kk">' in html  # the interface stays Kazakh
    with translation.override("kk"):
        notice = translation.gettext(
            "This page is not yet available in your language. It is shown in Russian."
        )
    assert notice in html
    # Kazakh wording of the date, and the Russian version's text.
    assert "шамамен 1920 ж." in html
    # English readers fall back to Russian too (kk, then ru, then en).
    assert client.get("/en/heroes/testovyi-geroi/").status_code == 200
    # The Kazakh hero list shows it, linked under the Kazakh prefix.
    listing = client.get("/kk/heroes/", {"letter": "Т"}).content.decode()
    assert 'href="/kk/heroes/testovyi-geroi/"' in listing


def test_an_unknown_path_is_still_404_in_every_language(client):
    for language in ("kk", "ru", "en"):
        assert client.get(f"/{language}/heroes/no-such-hero/").status_code == 404


@pytest.mark.parametrize(
    "language, approximate_year, month, day",
    [
        ("en", "c. 1920", "October 1943", "24 December 1910"),
        ("ru", "около 1920 г.", "октябрь 1943 г.", "24 декабря 1910 г."),
        ("kk", "шамамен 1920 ж.", "1943 ж. қазан", "1910 ж. 24 желтоқсан"),
    ],
)
def test_dates_are_worded_per_language(language, approximate_year, month, day):
    with translation.override(language):
        assert PartialDate(datetime.date(1920, 1, 1), "year", True).display() == approximate_year
        assert PartialDate(datetime.date(1943, 10, 1), "month").display() == month
        assert PartialDate(datetime.date(1910, 12, 24), "day").display() == day


def test_hero_page_shows_the_birth_date_in_the_readers_language(client):
    assert "1910 ж. 24 желтоқсан" in client.get(f"/kk{HERO}").content.decode()
    assert "24 декабря 1910 г." in client.get(f"/ru{HERO}").content.decode()
    assert "24 December 1910" in client.get(f"/en{HERO}").content.decode()


def test_sitemap_lists_every_language_with_alternates(client):
    xml = client.get("/sitemap.xml").content.decode()
    for language in ("kk", "ru", "en"):
        assert f"<loc>http://localhost/{language}{HERO}</loc>" in xml
        assert f'hreflang="{language}" href="http://localhost/{language}{HERO}"' in xml


def test_search_shows_the_readers_version_once(client):
    html = client.get("/ru/search/", {"q": "Momyshuly", "kind": "hero"}).content.decode()
    assert html.count(f'href="/ru{HERO}"') == 1
    assert "Бауыржан Момышулы" in html


def test_translations_go_through_the_editorial_workflow(editor):
    """A translation made as a draft by an editor is reviewed like any page: the
    Russian and English trees carry the same "Editorial review" workflow."""
    source = HeroPage.objects.get(slug="bauyrzhan-momyshuly", locale__language_code="en")
    draft = translate_page(source, "ru", {"title": "Бауыржан Момышулы"}, user=editor, publish=False)
    workflow = draft.get_workflow()
    assert workflow is not None and workflow.name == "Editorial review"
    state = workflow.start(draft, editor)
    assert state.status == "in_progress"


def test_a_name_missing_in_the_readers_language_is_marked_with_its_own(client):
    """Oral's Moldagulova street has no Kazakh name in the seed: the Kazakh page shows
    the Russian one, marked lang="ru"; a name in the reader's language is not marked."""
    html = client.get("/kk/streets/oral-moldagulova-st/").content.decode()
    assert '<h1 lang="ru">Улица А. Молдагуловой</h1>' in html
    html = client.get("/ru/streets/oral-moldagulova-st/").content.decode()
    assert "<h1>Улица А. Молдагуловой</h1>" in html


def test_an_address_whose_readers_version_has_another_slug_redirects_to_it(client):
    """The Kazakh version renamed (Unicode slug): the shared address leads Kazakh
    readers to it, not to the English version with a 'not translated' notice."""
    kk = HeroPage.objects.get(slug="bauyrzhan-momyshuly", locale__language_code="kk")
    kk.slug = "бауыржан-момышұлы"
    kk.save_revision().publish()
    response = client.get("/kk/heroes/bauyrzhan-momyshuly/")
    assert response.status_code == 302
    assert unquote(response["Location"]) == "/kk/heroes/бауыржан-момышұлы/"
    assert client.get(response["Location"]).status_code == 200
    # Russian readers still get their own version at the shared address.
    assert client.get("/ru/heroes/bauyrzhan-momyshuly/").status_code == 200


def test_facts_published_in_one_language_reach_the_other_versions_at_once(client):
    """A corrected birth date, published in the English source, is on the Kazakh and
    Russian pages without "Sync translated pages", and stays on a later publish of the
    Kazakh version; translated texts are untouched."""
    en = HeroPage.objects.get(slug="manshuk-mametova", locale__language_code="en")
    kk = HeroPage.objects.get(slug="manshuk-mametova", locale__language_code="kk")
    kk_title = kk.title
    en.birth_date = datetime.date(1923, 1, 1)
    en.save_revision().publish()
    kk.refresh_from_db()
    assert kk.birth_date == datetime.date(1923, 1, 1) and kk.title == kk_title
    assert "1923 ж." in client.get("/kk/heroes/manshuk-mametova/").content.decode()
    assert "1923 г." in client.get("/ru/heroes/manshuk-mametova/").content.decode()
    kk.get_latest_revision().publish()  # e.g. an approved Kazakh edit, later
    kk.refresh_from_db()
    assert kk.birth_date == datetime.date(1923, 1, 1)


def test_the_letter_index_follows_the_readers_alphabet():
    from heroes.views import alphabet_position

    with translation.override("kk"):
        assert sorted(["Я", "І", "Ә", "А", "Қ", "К", "M"], key=alphabet_position) == [
            "А",
            "Ә",
            "К",
            "Қ",
            "І",
            "Я",
            "M",
        ]
    with translation.override("en"):
        assert sorted(["Ə", "Ş", "S", "А", "B"], key=alphabet_position)[:3] == ["B", "S", "Ş"]


def nav_links(html):
    nav = re.search(r'<nav class="site-nav".*?</nav>', html, re.S).group(0)
    return re.findall(r'<a href="([^"]+)"([^>]*)>', nav)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_main_navigation_links_to_the_readers_index_pages(client, language):
    html = client.get(f"/{language}/heroes/").content.decode()
    links = dict(nav_links(html))
    for section in ("heroes", "streets", "exhibition", "search"):
        assert f"/{language}/{section}/" in links
    assert "aria-current" in links[f"/{language}/heroes/"]
    assert "aria-current" not in links[f"/{language}/streets/"]
    # The home page's "all heroes" button too.
    home = client.get(f"/{language}/").content.decode()
    assert f'class="button" href="/{language}/heroes/"' in home


def test_main_navigation_falls_back_under_the_readers_prefix(client):
    """With no live Kazakh hero index the menu still leads to /kk/heroes/ (served in
    Russian by the fallback), not to another language's URL."""
    HeroIndexPage.objects.get(locale__language_code="kk").unpublish()
    links = dict(nav_links(client.get("/kk/streets/").content.decode()))
    assert "/kk/heroes/" in links and "/kk/streets/" in links
    assert client.get("/kk/heroes/").status_code == 200


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_the_password_form_is_in_the_readers_language(client, language):
    """Wagtail's own password page has no Kazakh: the site's template is used instead."""
    from django.test import override_settings
    from wagtail.models import PageViewRestriction

    hero = HeroPage.objects.get(slug="bauyrzhan-momyshuly", locale__language_code=language)
    PageViewRestriction.objects.create(
        page=hero, restriction_type=PageViewRestriction.PASSWORD, password="secret"
    )
    with translation.override(language):
        texts = [
            translation.gettext(text)
            for text in (
                "Password required",
                "You need a password to access this page.",
                "Continue",
                "Password",
            )
        ]
        wrong = translation.gettext(
            "The password you have entered is not correct. Please try again."
        )
    with override_settings(PAGE_CACHE_SECONDS=0):
        response = client.get(f"/{language}{HERO}")
        html = response.content.decode()
        assert f'<html lang="{language}">' in html
        for text in texts:
            assert f">{text}<" in html
        assert "You need a password" not in html and "Password required" not in html
        assert list(INTERFACE[language]) == nav_labels(html)[:2]  # the site's layout
        action = re.search(r'<form action="([^"]+)"', html).group(1)
        response = client.post(
            action, {"password": "wrong", "return_url": f"/{language}{HERO}"}, follow=True
        )
        assert wrong in response.content.decode()
        response = client.post(action, {"password": "secret", "return_url": f"/{language}{HERO}"})
        assert response.status_code == 302
