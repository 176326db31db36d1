"""Hero tags: one tag whatever the case or Unicode form of its name, letters kept in slugs."""

import unicodedata
from urllib.parse import quote

import pytest
from django.db import IntegrityError
from django.urls import reverse
from django.utils import translation

from heroes.models import HeroPage, HeroTag

from .admin_helpers import form_errors, submit_edit_form
from .i18n_helpers import english

pytestmark = pytest.mark.django_db

AKTOBE_NFD = unicodedata.normalize("NFD", "ақтөбе")


@pytest.fixture(autouse=True)
def english_interface():
    with translation.override("en"):
        yield


def tag(slug, *names):
    hero = english(HeroPage, slug=slug)
    hero.tags.add(*names)
    hero.save_revision().publish()
    return hero


def test_names_in_any_case_or_normal_form_are_one_tag():
    tag("aliya-moldagulova", "Ақтөбе")
    tag("bauyrzhan-momyshuly", "АҚТӨБЕ")
    tag("manshuk-mametova", AKTOBE_NFD, "ақтөбе ")
    (aktobe,) = HeroTag.objects.all()
    assert aktobe.name == "Ақтөбе" and unicodedata.is_normalized("NFC", aktobe.name)
    assert aktobe.slug == "ақтөбе" and aktobe.key == "ақтөбе"
    assert aktobe.tagged_heroes.count() == 3


def test_a_new_tag_is_stored_in_nfc_with_its_letters_in_the_slug():
    HeroTag.objects.create(name=unicodedata.normalize("NFD", "Мәскеу шайқасы"))
    created = HeroTag.objects.get()
    assert created.name == "Мәскеу шайқасы" and unicodedata.is_normalized("NFC", created.name)
    assert created.slug == "мәскеу-шайқасы"


def test_the_database_refuses_a_second_tag_with_the_same_folded_name():
    HeroTag.objects.create(name="Ақтөбе")
    with pytest.raises(IntegrityError):
        HeroTag.objects.create(name="АҚТӨБЕ")


def test_tags_typed_in_the_admin_reuse_the_existing_tag(moderator_client):
    tag("aliya-moldagulova", "Ақтөбе")
    hero = english(HeroPage, slug="bauyrzhan-momyshuly")
    url = reverse("wagtailadmin_pages:edit", args=(hero.pk,))
    response = submit_edit_form(moderator_client, url, {"tags": "АҚТӨБЕ, Мәскеу"}, "action-publish")
    assert response.status_code == 302, form_errors(response)
    assert sorted(HeroTag.objects.values_list("name", flat=True)) == ["Ақтөбе", "Мәскеу"]
    assert set(HeroPage.objects.get(pk=hero.pk).tags.values_list("slug", flat=True)) == {
        "ақтөбе",
        "мәскеу",
    }


@pytest.mark.parametrize("value", ["ақтөбе", "АҚТӨБЕ", "Ақтөбе", AKTOBE_NFD])
def test_the_hero_index_filters_by_tag_in_any_case(client, value):
    tag("aliya-moldagulova", "Ақтөбе")
    html = client.get("/en/heroes/", {"tag": value}).content.decode()
    assert "1 hero matches the filters" in html and "Aliya Moldagulova" in html
    assert "was not recognised" not in html


def test_a_hero_page_links_its_tags_by_their_unicode_slug(client):
    tag("aliya-moldagulova", "Ақтөбе")
    html = client.get("/en/heroes/aliya-moldagulova/").content.decode()
    assert f"?tag={quote('ақтөбе')}" in html
