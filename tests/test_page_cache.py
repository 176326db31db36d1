"""Anonymous page cache (catalog/pagecache.py): readers get stored pages, and the next
anonymous request after any change shows the change; signed-in users never see a
stored page."""

import pytest
from django.test import Client, override_settings

from exhibitions.models import ExhibitionStopPage
from heroes.models import HeroPage, Settlement, StreetPage

from .admin_helpers import client_for
from .exhibition_factories import make_booking, make_exhibition, make_stop
from .i18n_helpers import english

pytestmark = pytest.mark.django_db(transaction=False)

HERO = "/en/heroes/bauyrzhan-momyshuly/"
STREET = "/en/streets/almaty-momyshuly-ave/"


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response


def publish(page):
    page.save_revision().publish()


@pytest.fixture
def reader():
    return Client()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the on-commit callbacks (the invalidation) as a real commit would."""

    def run(change, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return change(*args, **kwargs)

    return run


def test_second_anonymous_request_is_served_from_the_cache(reader):
    first = get(reader, HERO)
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Cookie" in first["Vary"]
    second = get(reader, HERO)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    # A browser's copy that is still current gets a 304 without the page.
    unchanged = reader.get(HERO, HTTP_IF_NONE_MATCH=second["ETag"])
    assert unchanged.status_code == 304 and unchanged.content == b""
    # The security headers are added to stored pages too.
    assert "Content-Security-Policy" in second and second["X-Content-Type-Options"] == "nosniff"


def test_each_language_and_query_is_its_own_entry(reader):
    get(reader, "/en/heroes/")
    assert get(reader, "/en/heroes/?region=KZ-27")["X-Page-Cache"] == "miss"
    assert get(reader, "/ru/heroes/")["X-Page-Cache"] == "miss"
    kk = get(reader, "/kk/heroes/")
    assert kk["X-Page-Cache"] == "miss" and 'lang="kk"' in kk.content.decode()


def test_publishing_a_hero_shows_on_its_page_its_streets_and_the_index(reader, committed):
    for url in (HERO, STREET, "/en/heroes/?letter=B"):
        get(reader, url)
        assert get(reader, url)["X-Page-Cache"] == "hit"
    hero = english(HeroPage, slug="bauyrzhan-momyshuly")
    hero.title = hero.name_en = "Baurzhan Momyshuly (edited)"
    committed(publish, hero)
    for url in (HERO, STREET, "/en/heroes/?letter=B"):
        response = get(reader, url)
        assert response["X-Page-Cache"] == "miss", url
        assert "Baurzhan Momyshuly (edited)" in response.content.decode(), url


def test_a_draft_changes_nothing_readers_see(reader, committed):
    get(reader, HERO)
    hero = english(HeroPage, slug="bauyrzhan-momyshuly")
    hero.title = "Draft title"
    committed(hero.save_revision)
    response = get(reader, HERO)
    assert "Draft title" not in response.content.decode()


def test_unpublishing_republishing_and_deleting_reach_readers_at_once(reader, committed):
    exhibition = make_exhibition(title="Short exhibition", slug="short-exhibition")
    stop = make_stop(exhibition, title="Short stop", slug="short-stop")
    url = stop.get_url()
    get(reader, url)
    committed(stop.unpublish)
    get(reader, url, status=404)
    committed(publish, stop)
    assert "Short stop" in get(reader, url).content.decode()
    committed(stop.delete)
    get(reader, url, status=404)


def test_unpublishing_one_language_serves_another_with_its_notice(reader, committed):
    get(reader, STREET)
    street = english(StreetPage, slug="almaty-momyshuly-ave")
    committed(street.unpublish)
    fallback = get(reader, STREET)
    assert fallback["X-Page-Cache"] == "miss"
    assert "not yet available in your language" in fallback.content.decode()


def test_moving_a_page_serves_it_at_its_new_address(reader, committed):
    exhibition = make_exhibition(title="Moving exhibition", slug="moving-exhibition")
    other = make_exhibition(title="Second exhibition", slug="second-exhibition")
    stop = make_stop(exhibition, title="Moving stop", slug="moving-stop")
    old = stop.get_url()
    get(reader, old)
    committed(stop.move, other, "last-child")
    moved = ExhibitionStopPage.objects.get(pk=stop.pk)
    assert get(reader, old, status=301)["Location"] == moved.get_url()
    assert "Moving stop" in get(reader, moved.get_url()).content.decode()


def test_renaming_a_settlement_shows_on_street_pages(reader, committed):
    get(reader, STREET)
    almaty = Settlement.objects.get(name_en="Almaty")
    almaty.name_en = "Almaty City"
    committed(almaty.save)
    assert "Almaty City" in get(reader, STREET).content.decode()


def test_a_booking_updates_the_places_left_on_the_stop_page(reader, committed):
    exhibition = make_exhibition(title="Places exhibition", slug="places-exhibition")
    stop = make_stop(exhibition, title="Places stop", slug="places-stop")
    slot = stop.slots.get()
    before = get(reader, stop.get_url()).content.decode()
    assert get(reader, stop.get_url())["X-Page-Cache"] == "hit"
    committed(make_booking, slot, pupils=10)
    after = get(reader, stop.get_url())
    assert after["X-Page-Cache"] == "miss"
    assert after.content.decode() != before


def test_signed_in_users_never_get_or_fill_the_cache(reader, editor):
    editor_client = client_for(editor)
    mine = get(editor_client, HERO)
    assert "X-Page-Cache" not in mine
    assert "private" in mine["Cache-Control"] and "no-cache" in mine["Cache-Control"]
    assert get(reader, HERO)["X-Page-Cache"] == "miss"  # the editor's page was not stored
    assert get(reader, HERO)["X-Page-Cache"] == "hit"
    assert "X-Page-Cache" not in get(editor_client, HERO)  # nor served to the editor


def test_a_request_with_a_session_cookie_is_neither_served_nor_stored_publicly(reader):
    get(reader, HERO)
    reader.cookies["sessionid"] = "expired-or-forged"
    response = get(reader, HERO)
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_pages_with_a_form_are_not_stored(reader):
    exhibition = make_exhibition(title="Form exhibition", slug="form-exhibition")
    stop = make_stop(exhibition, title="Form stop", slug="form-stop")
    slot = stop.slots.get()
    url = f"{stop.get_url()}book/{slot.pk}/"
    first = reader.get(url)
    assert first.status_code == 200, url
    assert "csrfmiddlewaretoken" in first.content.decode()
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in reader.get(url)


def test_personal_and_staff_addresses_are_never_cached(reader):
    for url in ("/admin/login/", "/visits/not-a-token/", "/language/ru/?next=/ru/"):
        reader.get(url)
        assert "X-Page-Cache" not in reader.get(url), url


@override_settings(PAGE_CACHE_SECONDS=0)
def test_the_cache_can_be_turned_off(reader):
    get(reader, HERO)
    assert "X-Page-Cache" not in get(reader, HERO)
