"""Translations are reviewed like any change: an editor's translation is a draft until
a moderator approves it (catalog/translation_review.py)."""

import datetime

import pytest
from django.urls import reverse
from wagtail.models import Locale
from wagtail_localize.models import StringTranslation, TranslationSource

from catalog.translation_review import translation_of as translation_of_page
from heroes.models import HeroIndexPage, HeroPage

from .admin_helpers import client_for, fresh, workflow_action_url
from .i18n_helpers import english_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    """A published English hero page with no translation yet."""
    index = english_index(HeroIndexPage)
    page = index.add_child(
        instance=HeroPage(title="Zeinep Reviewed", slug="zeinep-reviewed", rank="Sergeant")
    )
    page.save_revision().publish()
    return page


def translate_into_kazakh(editor_client, page):
    kk = Locale.objects.get(language_code="kk")
    response = editor_client.post(
        reverse("wagtail_localize:submit_page_translation", args=[page.pk]),
        {"locales": [kk.pk]},
    )
    assert response.status_code == 302, response.status_code
    translation = HeroPage.objects.get(translation_key=page.translation_key, locale=kk)
    # The editor translates the title in wagtail-localize's editor.
    source = TranslationSource.objects.get_for_instance(page)
    segment = source.stringsegment_set.select_related("string").get(context__path="title")
    StringTranslation.objects.create(
        translation_of=segment.string,
        locale=kk,
        context=segment.context,
        data="Зейнеп (тексерілген)",
        translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
    )
    return translation, source


def test_an_editors_translation_is_a_draft_until_a_moderator_approves_it(
    editor, moderator, source, client, django_capture_on_commit_callbacks
):
    editor_client = client_for(editor)
    kk_page, translation_source = translate_into_kazakh(editor_client, source)
    assert not kk_page.live  # "Translate this page" makes a draft, not a live page

    # "Update existing translations" offers no "Publish immediately" to an editor, and
    # a forged field changes nothing.
    update = reverse("wagtail_localize:update_translations", args=[translation_source.pk])
    form_html = editor_client.get(update).content.decode()
    assert 'type="checkbox" name="publish_translations"' not in form_html
    with django_capture_on_commit_callbacks(execute=True):  # wagtail-localize publishes then
        editor_client.post(update, {"publish_translations": "on"})
    assert not fresh(kk_page).live
    assert client.get("/kk/heroes/zeinep-reviewed/").status_code == 200  # the English one
    assert "Зейнеп" not in client.get("/kk/heroes/zeinep-reviewed/").content.decode()

    # The editor submits it for review: a draft revision with the translated title.
    submit = reverse("submit_translation_for_review", args=[kk_page.pk])
    assert "Submit for review" in editor_client.get(submit).content.decode()
    assert editor_client.post(submit).status_code == 302
    kk_page = fresh(kk_page)
    assert kk_page.workflow_in_progress and not kk_page.live
    assert kk_page.get_latest_revision_as_object().title == "Зейнеп (тексерілген)"

    # The moderator approves it from the dashboard: now it is public.
    moderator_client = client_for(moderator)
    assert "Зейнеп (тексерілген)" in moderator_client.get("/admin/").content.decode()
    response = moderator_client.post(workflow_action_url(kk_page, "approve"), {"comment": ""})
    assert response.status_code in (200, 302)
    kk_page = fresh(kk_page)
    assert kk_page.live and kk_page.title == "Зейнеп (тексерілген)"
    assert "Зейнеп (тексерілген)" in client.get("/kk/heroes/zeinep-reviewed/").content.decode()


def test_a_moderator_may_still_publish_translations_at_once(
    moderator, source, django_capture_on_commit_callbacks
):
    moderator_client = client_for(moderator)
    translate_into_kazakh(moderator_client, source)
    translation_source = TranslationSource.objects.get_for_instance(source)
    update = reverse("wagtail_localize:update_translations", args=[translation_source.pk])
    assert 'name="publish_translations"' in moderator_client.get(update).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(update, {"publish_translations": "on"})
    assert response.status_code == 302, response.content.decode()[-3000:]
    kk_page = HeroPage.objects.get(
        translation_key=source.translation_key, locale__language_code="kk"
    )
    assert kk_page.live


def test_only_editors_of_a_translated_page_may_submit_it(editor, source):
    editor_client = client_for(editor)
    # The English source is not a translation.
    submit = reverse("submit_translation_for_review", args=[source.pk])
    refused = editor_client.get(submit)  # Wagtail's admin turns 403 into a redirect home
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert not fresh(source).workflow_in_progress
    assert client_for(None).get(submit).status_code == 302  # to the admin's sign-in


def translate_rank(page, language, text):
    """A translator's string for ``page``'s rank in ``language`` (not reviewed yet)."""
    source = TranslationSource.objects.get_for_instance(page)
    segment = source.stringsegment_set.select_related("string", "context").get(context__path="rank")
    StringTranslation.objects.update_or_create(
        translation_of=segment.string,
        locale=Locale.objects.get(language_code=language),
        context=segment.context,
        defaults={"data": text, "translation_type": StringTranslation.TRANSLATION_TYPE_MANUAL},
    )


def seeded_versions():
    return {
        code: HeroPage.objects.get(slug="bauyrzhan-momyshuly", locale__language_code=code)
        for code in ("en", "kk", "ru")
    }


def test_a_submitted_live_translation_stays_private_until_approved_and_keeps_new_facts(
    editor, moderator, client
):
    versions = seeded_versions()
    # A date corrected in English after the Kazakh translation was last synced.
    versions["en"].birth_date = datetime.date(1910, 12, 25)
    versions["en"].save_revision().publish()
    translate_rank(versions["en"], "kk", "ТЕКСЕРІЛМЕГЕН АТАҚ")

    kk = versions["kk"]
    submit = reverse("submit_translation_for_review", args=[kk.pk])
    assert client_for(editor).post(submit).status_code == 302
    public = client.get("/kk/heroes/bauyrzhan-momyshuly/").content.decode()
    assert "ТЕКСЕРІЛМЕГЕН АТАҚ" not in public  # nothing public before approval
    kk = fresh(kk)
    assert kk.workflow_in_progress and kk.rank != "ТЕКСЕРІЛМЕГЕН АТАҚ"
    draft = kk.get_latest_revision_as_object()
    assert draft.rank == "ТЕКСЕРІЛМЕГЕН АТАҚ" and draft.slug == kk.slug
    assert draft.birth_date == datetime.date(1910, 12, 25)  # today's facts, not the sync's

    response = client_for(moderator).post(workflow_action_url(kk, "approve"), {"comment": ""})
    assert response.status_code in (200, 302)
    assert fresh(kk).rank == "ТЕКСЕРІЛМЕГЕН АТАҚ"
    for version in seeded_versions().values():
        assert version.birth_date == datetime.date(1910, 12, 25), version.locale


def test_a_rejected_translation_never_reaches_readers(editor, moderator, client):
    versions = seeded_versions()
    translate_rank(versions["en"], "kk", "ҚАБЫЛДАНБАҒАН АТАҚ")
    kk = versions["kk"]
    client_for(editor).post(reverse("submit_translation_for_review", args=[kk.pk]))
    client_for(moderator).post(workflow_action_url(kk, "reject"), {"comment": "Тексеріңіз"})
    assert (
        "ҚАБЫЛДАНБАҒАН АТАҚ" not in client.get("/kk/heroes/bauyrzhan-momyshuly/").content.decode()
    )
    assert fresh(kk).rank != "ҚАБЫЛДАНБАҒАН АТАҚ"


def test_publishing_a_translation_never_brings_back_an_old_fact(
    moderator, django_capture_on_commit_callbacks
):
    """A moderator publishes the Kazakh translation from wagtail-localize's editor: its
    facts come from the last sync (older), but the corrected date stays everywhere."""
    versions = seeded_versions()
    versions["en"].birth_date = datetime.date(1910, 12, 25)
    versions["en"].save_revision().publish()
    translation = translation_of_page(versions["kk"])
    with django_capture_on_commit_callbacks(execute=True):
        translation.save_target(user=moderator, publish=True)
    for version in seeded_versions().values():
        assert version.birth_date == datetime.date(1910, 12, 25), version.locale
